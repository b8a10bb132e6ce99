package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/lightclient/state"
)

func newQueryRewardsCmd(app *App, qo *queryOptions, runF func(*queryAddrOptions) error) *cobra.Command {
	return newQueryAddrCmd(app, qo, &cobra.Command{
		Use:   "rewards ADDRESS|KEY",
		Short: "Pending staking rewards per validator, rebuilt from proven distribution state",
	}, runF, func(o *queryAddrOptions) error { return runQueryRewards(app, o) })
}

func runQueryRewards(app *App, o *queryAddrOptions) error {
	addr := o.Address
	return runQuery(app, o.Query, func(ctx context.Context, v *state.View) error {
		r, err := v.Rewards(ctx, addr)
		if err != nil {
			return err
		}
		return app.Printer.Result(r, func(w io.Writer) error {
			fmt.Fprintf(w, "Pending rewards of %s\n", r.Delegator)
			if len(r.Rewards) == 0 {
				fmt.Fprintf(w, "  (no delegations)\n")
			}
			for _, x := range r.Rewards {
				fmt.Fprintf(w, "  %-20s %s  %s\n", x.Moniker, decCoins(app, x.Reward), x.ValidatorAddress)
			}
			fmt.Fprintf(w, "  total %s\n", decCoins(app, r.Total))
			provenLine(w, r.Proven, "rewards computed as x/distribution does from proven starting info, reward ratios and slash events")
			return nil
		})
	})
}

// decCoins shows reward amounts truncated to whole base units, as a
// withdrawal would pay them, with the exact figure in JSON.
func decCoins(app *App, c sdk.DecCoins) string {
	if len(c) == 0 {
		return "0"
	}
	whole, _ := c.TruncateDecimal()
	if whole.IsZero() {
		return "0 (less than one base unit: " + c.String() + ")"
	}
	parts := make([]string, 0, len(whole))
	for _, w := range whole {
		parts = append(parts, app.coinText(w.Amount, w.Denom))
	}
	return strings.Join(parts, ", ")
}
