package main

import (
	"context"
	"fmt"
	"io"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/lightclient/state"
)

func newQueryBalanceCmd(app *App, opts *queryOptions) *cobra.Command {
	var denom string
	cmd := &cobra.Command{
		Use:   "balance ADDRESS|KEY",
		Short: "All balances of an address, proven complete (or one denom with --denom)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var addr sdk.AccAddress
			parse := func() (err error) { addr, err = resolveAccount(app, args[0]); return }
			return runQuery(cmd, app, opts, parse, func(ctx context.Context, v *state.View) error {
				if denom != "" {
					b, err := v.Balance(ctx, addr, denom)
					if err != nil {
						return err
					}
					return app.Printer.Result(b, func(w io.Writer) error {
						fmt.Fprintf(w, "Balance of %s\n  %s\n", b.Address, app.coinText(b.Coin.Amount, b.Coin.Denom))
						provenLine(w, b.Proven, "amount")
						return nil
					})
				}
				b, err := v.Balances(ctx, addr)
				if err != nil {
					return err
				}
				return app.Printer.Result(b, func(w io.Writer) error {
					fmt.Fprintf(w, "Balances of %s\n", b.Address)
					if len(b.Coins) == 0 {
						fmt.Fprintf(w, "  (none)\n")
					}
					for _, c := range b.Coins {
						fmt.Fprintf(w, "  %s\n", app.coinText(c.Amount, c.Denom))
					}
					provenLine(w, b.Proven, "every balance, and that there are no others")
					return nil
				})
			})
		},
	}
	cmd.Flags().StringVar(&denom, "denom", "", "show only this denomination (one proof instead of a complete list)")
	return cmd
}

func newQueryAccountCmd(app *App, opts *queryOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "account ADDRESS|KEY",
		Short: "Account number, sequence, public key and vesting of an address",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var addr sdk.AccAddress
			parse := func() (err error) { addr, err = resolveAccount(app, args[0]); return }
			return runQuery(cmd, app, opts, parse, func(ctx context.Context, v *state.View) error {
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
						fmt.Fprintf(w, "  vesting         %s until %s\n", app.coinsText(vs.OriginalVesting), vs.EndTime.Format("2006-01-02 15:04 MST"))
						fmt.Fprintf(w, "  delegated       free %s; vesting %s\n", app.coinsText(vs.DelegatedFree), app.coinsText(vs.DelegatedVesting))
					}
					provenLine(w, a.Proven, "account record")
					return nil
				})
			})
		},
	}
}
