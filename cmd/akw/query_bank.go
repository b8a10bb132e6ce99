package main

import (
	"context"
	"fmt"
	"io"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/lightclient/state"
	"github.com/akash-wallet/akw/wallet"
)

// queryBalanceOptions are what `akw query balance` was asked.
type queryBalanceOptions struct {
	Query   *queryOptions
	Address sdk.AccAddress
	Denom   string
}

func newQueryBalanceCmd(app *App, qo *queryOptions, runF func(*queryBalanceOptions) error) *cobra.Command {
	o := &queryBalanceOptions{Query: qo}
	cmd := &cobra.Command{
		Use:     "balance ADDRESS|KEY",
		Aliases: []string{"balances"},
		Short:   "All balances of an address, proven complete (or one denom with --denom), each in the unit its proven metadata states",
		Args:    cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			if err := queryArgs(app, func() (err error) { o.Address, err = resolveAccount(app, args[0]); return }); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return runQueryBalance(app, o)
		},
	}
	cmd.Flags().StringVar(&o.Denom, "denom", "", "show only this denomination (one proof instead of a complete list)")
	return cmd
}

func runQueryBalance(app *App, o *queryBalanceOptions) error {
	addr, denomName := o.Address, o.Denom
	return runQuery(app, o.Query, func(ctx context.Context, v *state.View) error {
		if denomName != "" {
			// The denom's metadata at the same height, in the same batch
			// of proofs: the unit it is shown in.
			b, err := wallet.ProveBalance(ctx, v, addr, denomName)
			if err != nil {
				return err
			}
			out := oneBalanceJSON{Proven: b.Proven, Address: b.Address, Balance: newBalanceJSON(b.Coin.Amount, b.Denom, b.Tokens.Token(denomName))}
			return app.Printer.Result(out, func(w io.Writer) error {
				fmt.Fprintf(w, "Balance of %s\n", b.Address)
				balanceLines(w, sdk.Coins{b.Coin}, []state.DenomMetadata{b.Denom}, b.Tokens)
				provenLine(w, b.Proven, "amount and its denom's metadata")
				return nil
			})
		}
		h, err := wallet.ProveHoldings(ctx, v, addr)
		if err != nil {
			return err
		}
		out := balancesJSON{Proven: h.Proven, Address: h.Address, Balances: make([]balanceJSON, 0, len(h.Coins))}
		for i, c := range h.Coins {
			out.Balances = append(out.Balances, newBalanceJSON(c.Amount, h.Denoms[i], h.Tokens.Token(c.Denom)))
		}
		return app.Printer.Result(out, func(w io.Writer) error {
			fmt.Fprintf(w, "Balances of %s\n", h.Address)
			if len(h.Coins) == 0 {
				fmt.Fprintf(w, "  (none)\n")
			}
			balanceLines(w, h.Coins, h.Denoms, h.Tokens)
			provenLine(w, h.Proven, "every balance, that there are no others, and each denom's metadata")
			return nil
		})
	})
}

func newQueryAccountCmd(app *App, qo *queryOptions, runF func(*queryAddrOptions) error) *cobra.Command {
	return newQueryAddrCmd(app, qo, &cobra.Command{
		Use:   "account ADDRESS|KEY",
		Short: "Account number, sequence, public key and vesting of an address",
	}, runF, func(o *queryAddrOptions) error { return runQueryAccount(app, o) })
}

func runQueryAccount(app *App, o *queryAddrOptions) error {
	addr := o.Address
	return runQuery(app, o.Query, func(ctx context.Context, v *state.View) error {
		a, err := v.Account(ctx, addr)
		if err != nil {
			return err
		}
		return app.Printer.Result(a, func(w io.Writer) error {
			fmt.Fprintf(w, "Account %s\n", a.Address)
			fmt.Fprintf(w, "  type            %s\n", a.Type)
			fmt.Fprintf(w, "  account number  %d\n", a.AccountNumber)
			fmt.Fprintf(w, "  sequence        %d\n", a.Sequence)
			if a.PubKey != nil {
				fmt.Fprintf(w, "  public key      %s %s\n", a.PubKey.Type, a.PubKey.Key)
			} else {
				fmt.Fprintf(w, "  public key      (none yet: the account has not signed)\n")
			}
			if vs := a.Vesting; vs != nil {
				vestingLines(w, app, vs)
			}
			provenLine(w, a.Proven, "account record")
			return nil
		})
	})
}

// vestingLines says what a vesting account's schedule locks, and until
// when: a permanently locked account has no end (its stored end time is
// zero, which read as a date would be 1970).
func vestingLines(w io.Writer, app *App, vs *state.Vesting) {
	at := func(t time.Time) string { return t.Format("2006-01-02 15:04 MST") }
	orig := app.coinsText(vs.OriginalVesting)
	switch vs.Kind {
	case state.VestingPermanent:
		fmt.Fprintf(w, "  vesting         %s locked permanently (it can still be delegated)\n", orig)
	case state.VestingDelayed:
		fmt.Fprintf(w, "  vesting         %s, delayed: all unlocked at %s\n", orig, at(vs.EndTime))
	case state.VestingPeriodic:
		start := ""
		if vs.StartTime != nil {
			start = " from " + at(*vs.StartTime)
		}
		fmt.Fprintf(w, "  vesting         %s in %d periods%s until %s\n", orig, len(vs.Periods), start, at(vs.EndTime))
		for i, p := range vs.Periods {
			fmt.Fprintf(w, "    period %-3d    %s unlocked at %s\n", i+1, app.coinsText(p.Amount), at(p.EndTime))
		}
	default:
		start := ""
		if vs.StartTime != nil {
			start = " from " + at(*vs.StartTime)
		}
		fmt.Fprintf(w, "  vesting         %s, continuously%s until %s\n", orig, start, at(vs.EndTime))
	}
	fmt.Fprintf(w, "  locked now      %s (at the verified header's time)\n", app.coinsText(vs.Locked))
	fmt.Fprintf(w, "  delegated       free %s; vesting %s\n", app.coinsText(vs.DelegatedFree), app.coinsText(vs.DelegatedVesting))
}
