package proven

import (
	"testing"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-wallet/akw/lightclient/state"
)

func TestLocked(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	end := start.Add(100 * time.Hour)
	v := &state.Vesting{OriginalVesting: sdk.NewCoins(sdk.NewInt64Coin("uakt", 1000)), StartTime: &start, EndTime: end}
	cont := "cosmos.vesting.v1beta1.ContinuousVestingAccount"
	cases := []struct {
		typ  string
		at   time.Time
		want int64
	}{
		{cont, start.Add(-time.Hour), 1000},
		{cont, start.Add(25 * time.Hour), 750},
		{cont, end, 0},
		{"cosmos.vesting.v1beta1.DelayedVestingAccount", start.Add(99 * time.Hour), 1000},
		{"cosmos.vesting.v1beta1.DelayedVestingAccount", end.Add(time.Second), 0},
		{"cosmos.vesting.v1beta1.PermanentLockedAccount", end.Add(1000 * time.Hour), 1000},
		// Periodic: schedule not in the proven summary, counted locked
		// until the end (never lets through a spend the chain refuses).
		{"cosmos.vesting.v1beta1.PeriodicVestingAccount", start.Add(99 * time.Hour), 1000},
	}
	for _, c := range cases {
		if got := Locked(c.typ, v, c.at).AmountOf("uakt").Int64(); got != c.want {
			t.Errorf("%s at %s: locked %d, want %d", c.typ, c.at, got, c.want)
		}
	}
	// Coins delegated from vesting are not locked in the bank.
	v.DelegatedVesting = sdk.NewCoins(sdk.NewInt64Coin("uakt", 300))
	if got := Locked(cont, v, start.Add(25*time.Hour)).AmountOf("uakt").Int64(); got != 450 {
		t.Errorf("with delegated vesting: %d", got)
	}
	v.DelegatedVesting = sdk.NewCoins(sdk.NewInt64Coin("uakt", 2000))
	if got := Locked(cont, v, start.Add(25*time.Hour)); !got.IsZero() {
		t.Errorf("clamped: %v", got)
	}
}
