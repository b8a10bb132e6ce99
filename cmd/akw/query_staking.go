package main

import (
	"context"
	"fmt"
	"io"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/lightclient/state"
)

const timeFormat = "2006-01-02 15:04:05 MST"

func newQueryDelegationsCmd(app *App, qo *queryOptions, runF func(*queryAddrOptions) error) *cobra.Command {
	return newQueryAddrCmd(app, qo, &cobra.Command{
		Use:   "delegations ADDRESS|KEY",
		Short: "All delegations of a delegator, proven complete, valued in tokens",
	}, runF, func(o *queryAddrOptions) error { return runQueryDelegations(app, o) })
}

func runQueryDelegations(app *App, o *queryAddrOptions) error {
	addr := o.Address
	return runQuery(app, o.Query, func(ctx context.Context, v *state.View) error {
		d, err := v.Delegations(ctx, addr)
		if err != nil {
			return err
		}
		return app.Printer.Result(d, func(w io.Writer) error {
			fmt.Fprintf(w, "Delegations of %s\n", d.Delegator)
			if len(d.Delegations) == 0 {
				fmt.Fprintf(w, "  (none)\n")
			}
			for _, x := range d.Delegations {
				fmt.Fprintf(w, "  %-20s %s  %s\n", x.Moniker, app.coinText(x.Balance.Amount, x.Balance.Denom), x.ValidatorAddress)
			}
			fmt.Fprintf(w, "  total %s\n", app.coinText(d.Total.Amount, d.Total.Denom))
			provenLine(w, d.Proven, "every delegation and validator exchange rate, and that there are no other delegations")
			return nil
		})
	})
}

func newQueryUnbondingCmd(app *App, qo *queryOptions, runF func(*queryAddrOptions) error) *cobra.Command {
	return newQueryAddrCmd(app, qo, &cobra.Command{
		Use:     "unbonding ADDRESS|KEY",
		Aliases: []string{"unbondings"},
		Short:   "All unbonding delegations of a delegator, proven complete",
	}, runF, func(o *queryAddrOptions) error { return runQueryUnbonding(app, o) })
}

func runQueryUnbonding(app *App, o *queryAddrOptions) error {
	addr := o.Address
	return runQuery(app, o.Query, func(ctx context.Context, v *state.View) error {
		u, err := v.Unbondings(ctx, addr)
		if err != nil {
			return err
		}
		return app.Printer.Result(u, func(w io.Writer) error {
			fmt.Fprintf(w, "Unbonding delegations of %s\n", u.Delegator)
			if len(u.Unbondings) == 0 {
				fmt.Fprintf(w, "  (none)\n")
			}
			for _, x := range u.Unbondings {
				fmt.Fprintf(w, "  from %s\n", x.ValidatorAddress)
				for _, e := range x.Entries {
					fmt.Fprintf(w, "    %s completes %s (started at height %d)\n", e.Balance, e.CompletionTime.UTC().Format(timeFormat), e.CreationHeight)
				}
			}
			provenLine(w, u.Proven, "every unbonding entry, and that there are no others")
			return nil
		})
	})
}

func newQueryRedelegationsCmd(app *App, qo *queryOptions, runF func(*queryAddrOptions) error) *cobra.Command {
	return newQueryAddrCmd(app, qo, &cobra.Command{
		Use:   "redelegations ADDRESS|KEY",
		Short: "All redelegations of a delegator, proven complete",
	}, runF, func(o *queryAddrOptions) error { return runQueryRedelegations(app, o) })
}

func runQueryRedelegations(app *App, o *queryAddrOptions) error {
	addr := o.Address
	return runQuery(app, o.Query, func(ctx context.Context, v *state.View) error {
		r, err := v.Redelegations(ctx, addr)
		if err != nil {
			return err
		}
		return app.Printer.Result(r, func(w io.Writer) error {
			fmt.Fprintf(w, "Redelegations of %s\n", r.Delegator)
			if len(r.Redelegations) == 0 {
				fmt.Fprintf(w, "  (none)\n")
			}
			for _, x := range r.Redelegations {
				fmt.Fprintf(w, "  %s -> %s\n", x.ValidatorSrcAddress, x.ValidatorDstAddress)
				for _, e := range x.Entries {
					fmt.Fprintf(w, "    %s completes %s\n", e.InitialBalance, e.CompletionTime.UTC().Format(timeFormat))
				}
			}
			provenLine(w, r.Proven, "every redelegation entry, and that there are no others")
			return nil
		})
	})
}

// queryValidatorsOptions are what `akw query validators` was asked.
type queryValidatorsOptions struct {
	Query *queryOptions
}

func newQueryValidatorsCmd(app *App, qo *queryOptions, runF func(*queryValidatorsOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   "validators",
		Short: "The bonded validator set with monikers, commission, status and voting power",
		Args:  cobra.NoArgs,
		RunE: func(_ *cobra.Command, _ []string) error {
			o := &queryValidatorsOptions{Query: qo}
			if err := queryArgs(app, nil); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return runQueryValidators(app, o)
		},
	}
}

func runQueryValidators(app *App, o *queryValidatorsOptions) error {
	return runQuery(app, o.Query, func(ctx context.Context, v *state.View) error {
		vs, err := v.Validators(ctx)
		if err != nil {
			return err
		}
		return app.Printer.Result(vs, func(w io.Writer) error {
			fmt.Fprintf(w, "Bonded validators (%d, total voting power %d)\n", len(vs.Validators), vs.TotalVotingPower)
			fmt.Fprintf(w, "  %-20s %12s %7s %10s  %s\n", "MONIKER", "POWER", "SHARE", "COMMISSION", "OPERATOR")
			for _, x := range vs.Validators {
				share := 0.0
				if vs.TotalVotingPower > 0 {
					share = 100 * float64(x.VotingPower) / float64(vs.TotalVotingPower)
				}
				fmt.Fprintf(w, "  %-20s %12d %6.2f%% %9s%%  %s\n", x.Moniker, x.VotingPower, share, pct(x.CommissionRate), x.OperatorAddress)
			}
			provenLine(w, vs.Proven, "the validator set of the verified header and each member's staking record")
			return nil
		})
	})
}

// queryValidatorOptions are what `akw query validator` was asked.
type queryValidatorOptions struct {
	Query     *queryOptions
	Validator sdk.ValAddress
}

func newQueryValidatorCmd(app *App, qo *queryOptions, runF func(*queryValidatorOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   "validator VALOPER",
		Short: "One validator's record",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			o := &queryValidatorOptions{Query: qo}
			if err := queryArgs(app, func() (err error) { o.Validator, err = app.resolveValidator(args[0]); return }); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return runQueryValidator(app, o)
		},
	}
}

func runQueryValidator(app *App, o *queryValidatorOptions) error {
	val := o.Validator
	return runQuery(app, o.Query, func(ctx context.Context, v *state.View) error {
		a, err := v.Validator(ctx, val)
		if err != nil {
			return err
		}
		x := a.Validator
		return app.Printer.Result(a, func(w io.Writer) error {
			fmt.Fprintf(w, "Validator %s\n", x.Moniker)
			fmt.Fprintf(w, "  operator      %s\n", x.OperatorAddress)
			fmt.Fprintf(w, "  consensus     %s\n", x.ConsensusAddress)
			jailed := ""
			if x.Jailed {
				jailed = " (jailed)"
			}
			fmt.Fprintf(w, "  status        %s%s\n", x.Status, jailed)
			fmt.Fprintf(w, "  tokens        %s\n", x.Tokens)
			fmt.Fprintf(w, "  voting power  %d\n", x.VotingPower)
			fmt.Fprintf(w, "  commission    %s%% (max %s%%, max change %s%% a day)\n", pct(x.CommissionRate), pct(x.MaxRate), pct(x.MaxChangeRate))
			if x.Website != "" {
				fmt.Fprintf(w, "  website       %s\n", x.Website)
			}
			provenLine(w, a.Proven, "validator record")
			return nil
		})
	})
}
