package main

import (
	"strings"
	"testing"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-wallet/akw/internal/config"
	"github.com/akash-wallet/akw/lightclient/state"
)

// What `akw query account` says of each kind of vesting account: a
// permanently locked one is locked permanently (its stored end time is 0,
// which as a date read "until 1970-01-01"); the others their start and
// end, a periodic one each period.
func TestVestingLines(t *testing.T) {
	app := &App{Network: config.Presets()[config.Mainnet]}
	akt := func(n int64) sdk.Coins { return sdk.NewCoins(sdk.NewInt64Coin("uakt", n)) }
	start, end := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	base := state.Vesting{OriginalVesting: akt(8_000_000), DelegatedVesting: akt(1_000_000), Locked: akt(4_000_000), EndTime: end}
	for _, tc := range []struct {
		kind  string
		start *time.Time
		want  []string
	}{
		{state.VestingPermanent, nil, []string{"  vesting         8 AKT (8000000uakt) locked permanently (it can still be delegated)\n"}},
		{state.VestingDelayed, nil, []string{"  vesting         8 AKT (8000000uakt), delayed: all unlocked at 2027-01-01 00:00 UTC\n"}},
		{state.VestingContinuous, &start, []string{"  vesting         8 AKT (8000000uakt), continuously from 2026-01-01 00:00 UTC until 2027-01-01 00:00 UTC\n"}},
		{state.VestingPeriodic, &start, []string{
			"  vesting         8 AKT (8000000uakt) in 2 periods from 2026-01-01 00:00 UTC until 2027-01-01 00:00 UTC\n",
			"    period 1      3 AKT (3000000uakt) unlocked at 2026-07-01 00:00 UTC\n",
			"    period 2      5 AKT (5000000uakt) unlocked at 2027-01-01 00:00 UTC\n"}},
	} {
		vs := base
		vs.Kind, vs.StartTime = tc.kind, tc.start
		if tc.kind == state.VestingPermanent {
			vs.EndTime = time.Unix(0, 0).UTC()
		}
		if tc.kind == state.VestingPeriodic {
			vs.Periods = []state.VestingPeriodEnd{{EndTime: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), Amount: akt(3_000_000)}, {EndTime: end, Amount: akt(5_000_000)}}
		}
		var b strings.Builder
		vestingLines(&b, app, &vs)
		want := strings.Join(tc.want, "") + "  locked now      4 AKT (4000000uakt) (at the verified header's time)\n" +
			"  delegated       free none; vesting 1 AKT (1000000uakt)\n"
		if b.String() != want || strings.Contains(b.String(), "1970") {
			t.Errorf("%s:\n%s\nwant\n%s", tc.kind, b.String(), want)
		}
	}
}
