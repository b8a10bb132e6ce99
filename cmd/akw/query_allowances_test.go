package main

import (
	"reflect"
	"testing"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-wallet/akw/internal/config"
	"github.com/akash-wallet/akw/lightclient/state"
)

// The words of `akw query allowances` for each kind of allowance: what is
// left in total, per period with what remains of the current one and when
// it resets, the message types it pays for, and its end.
func TestAllowanceWords(t *testing.T) {
	app := &App{Network: config.Presets()[config.Mainnet]}
	akt := func(n int64) sdk.Coins { return sdk.NewCoins(sdk.NewInt64Coin("uakt", n)) }
	reset := time.Date(2027, 1, 2, 3, 4, 5, 0, time.UTC)
	cases := []struct {
		name string
		a    state.Allowance
		want []string
	}{
		{"basic without limit", state.Allowance{Kind: "basic"}, []string{"fees without a total limit", "for any transaction"}},
		{"basic", state.Allowance{Kind: "basic", SpendLimit: akt(1_500_000)},
			[]string{"fees up to 1.5 AKT (1500000uakt) more in total", "for any transaction"}},
		{"periodic with messages", state.Allowance{Kind: "periodic", Period: 24 * time.Hour, PeriodSpendLimit: akt(500_000), PeriodCanSpend: akt(200_000),
			PeriodReset: &reset, AllowedMessages: []string{"/cosmos.gov.v1.MsgVote"}},
			[]string{"fees without a total limit", "at most 0.5 AKT (500000uakt) every 1 day", "left this period: 0.2 AKT (200000uakt), until " + reset.Format(timeFormat),
				"only for transactions made of /cosmos.gov.v1.MsgVote"}},
		{"unknown", state.Allowance{Kind: "other", TypeURL: "/x.y.Z"}, []string{"an allowance of type /x.y.Z (akw does not decode its terms)"}},
	}
	for _, c := range cases {
		if got := allowanceWords(app, c.a); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\n got  %q\n want %q", c.name, got, c.want)
		}
	}
	exp := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	if got := allowanceExpiration(state.Allowance{Expiration: &exp, Expired: true}); got != exp.Format(timeFormat)+" (expired: the chain no longer pays with it)" {
		t.Errorf("expired: %q", got)
	}
	if got := allowanceExpiration(state.Allowance{}); got != "never" {
		t.Errorf("no expiration: %q", got)
	}
}
