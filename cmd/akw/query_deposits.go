package main

import (
	"context"
	"fmt"
	"io"

	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/lightclient/state"
)

// queryDepositsOptions are what `akw query deposits` was asked.
type queryDepositsOptions struct {
	Query      *queryOptions
	ProposalID uint64
}

func newQueryDepositsCmd(app *App, qo *queryOptions, runF func(*queryDepositsOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   "deposits PROPOSAL-ID",
		Short: "Deposits on a governance proposal, proven complete",
		Long: `Every deposit on a proposal and their total, proven complete. The chain
keeps deposits while the proposal is in its deposit or voting period and
deletes them (returned or burnt) when the vote ends: an ended proposal
has none.`,
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			o := &queryDepositsOptions{Query: qo}
			if err := queryArgs(app, func() (err error) { o.ProposalID, err = parseProposalID(args[0]); return }); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return runQueryDeposits(app, o)
		},
	}
}

func runQueryDeposits(app *App, o *queryDepositsOptions) error {
	id := o.ProposalID
	return runQuery(app, o.Query, func(ctx context.Context, v *state.View) error {
		d, err := v.Deposits(ctx, id)
		if err != nil {
			return err
		}
		if d.Deposits == nil {
			d.Deposits = []*govv1.Deposit{} // JSON: an empty list, not null
		}
		return app.Printer.Result(d, func(w io.Writer) error {
			fmt.Fprintf(w, "Deposits on proposal %d: %d\n", d.ProposalID, len(d.Deposits))
			for _, x := range d.Deposits {
				fmt.Fprintf(w, "  %s  %s\n", x.Depositor, app.coinsText(x.Amount))
			}
			fmt.Fprintf(w, "  total  %s\n", app.coinsText(d.Total))
			provenLine(w, d.Proven, "every deposit on the proposal, and that there are no others")
			return nil
		})
	})
}
