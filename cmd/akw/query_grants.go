package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/internal/output"
	"github.com/akash-wallet/akw/lightclient/state"
)

// queryGrantsOptions are what `akw query grants` was asked.
type queryGrantsOptions struct {
	Query   *queryOptions
	Address sdk.AccAddress
	// To lists the grants Address received; otherwise those it gave.
	To bool
}

// grantsAnswer is the JSON of `akw query grants`: the proven list with
// which side of the grants the address is on.
type grantsAnswer struct {
	state.Proven
	Address string `json:"address"`
	// Direction is "by" (grants the address gave) or "to" (received).
	Direction string        `json:"direction"`
	Grants    []state.Grant `json:"grants"`
	// ProvenBy says how a list of received grants was proven complete
	// (the chain's grantee index, or every grant walked).
	ProvenBy string `json:"proven_by,omitempty"`
}

func newQueryGrantsCmd(app *App, qo *queryOptions, runF func(*queryGrantsOptions) error) *cobra.Command {
	o := &queryGrantsOptions{Query: qo}
	var by bool
	cmd := &cobra.Command{
		Use:   "grants ADDRESS|KEY",
		Short: "Authz grants an address gave (or received, with --to), proven complete",
		Long: `Authz grants an address gave (default, or --by) or received (--to), each
with its message type, what it allows (spend limit, allowed or denied
validators, max tokens) and its expiration. The list is proven complete.`,
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			if by && o.To {
				return output.UsageError("--by and --to cannot be used together", "give --by for the grants the address gave (the default) or --to for those it received")
			}
			if err := queryArgs(app, func() (err error) { o.Address, err = resolveAccount(app, args[0]); return }); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return runQueryGrants(app, o)
		},
	}
	cmd.Flags().BoolVar(&by, "by", false, "grants the address gave, as granter (the default)")
	cmd.Flags().BoolVar(&o.To, "to", false, "grants the address received, as grantee")
	return cmd
}

func runQueryGrants(app *App, o *queryGrantsOptions) error {
	addr, to := o.Address, o.To
	return runQuery(app, o.Query, func(ctx context.Context, v *state.View) error {
		var (
			l   *state.GrantList
			err error
		)
		ans := grantsAnswer{Address: addr.String(), Direction: "by"}
		if to {
			ans.Direction = "to"
			l, err = v.GrantsTo(ctx, addr)
		} else {
			l, err = v.GrantsBy(ctx, addr)
		}
		if err != nil {
			return err
		}
		ans.Proven, ans.Grants, ans.ProvenBy = l.Proven, l.Grants, l.By
		if ans.Grants == nil {
			ans.Grants = []state.Grant{} // JSON: an empty list, not null
		}
		return app.Printer.Result(ans, func(w io.Writer) error {
			if to {
				fmt.Fprintf(w, "Grants received by %s\n", ans.Address)
			} else {
				fmt.Fprintf(w, "Grants given by %s\n", ans.Address)
			}
			if len(ans.Grants) == 0 {
				fmt.Fprintf(w, "  (none)\n")
			}
			for _, g := range ans.Grants {
				fmt.Fprintf(w, "  %s -> %s\n", g.Granter, g.Grantee)
				fmt.Fprintf(w, "    message     %s\n", g.Authorization.MsgTypeURL)
				for i, line := range authorizationWords(app, g.Authorization) {
					label := ""
					if i == 0 {
						label = "allows"
					}
					fmt.Fprintf(w, "    %-11s %s\n", label, line)
				}
				fmt.Fprintf(w, "    expires     %s\n", expirationWords(g))
			}
			what := "every grant the address gave, and that there are no others"
			if to {
				what = "every grant the address received, and that there are no others (" + ans.ProvenBy + ")"
			}
			provenLine(w, ans.Proven, what)
			return nil
		})
	})
}

// authorizationWords says what a grant lets its grantee do, one line per
// term, as the chain enforces it.
func authorizationWords(app *App, a state.Authorization) []string {
	switch a.Kind {
	case "generic":
		return []string{"any " + a.MsgTypeURL + " message, without limit (generic authorization)"}
	case "send":
		out := []string{"sending up to " + app.coinsText(a.SpendLimit) + " in total (send authorization)"}
		if len(a.AllowList) > 0 {
			out = append(out, "only to "+strings.Join(a.AllowList, ", "))
		}
		return out
	case "stake":
		limit := "without limit"
		if a.MaxTokens != nil {
			limit = "up to " + app.coinText(a.MaxTokens.Amount, a.MaxTokens.Denom) + " in total"
		}
		out := []string{a.StakeType + " " + limit + " (stake authorization)"}
		switch {
		case len(a.AllowValidators) > 0:
			out = append(out, "only with "+strings.Join(a.AllowValidators, ", "))
		case len(a.DenyValidators) > 0:
			out = append(out, "with any validator but "+strings.Join(a.DenyValidators, ", "))
		}
		return out
	default:
		return []string{"an authorization of type " + a.TypeURL + " (akw does not decode its terms)"}
	}
}

func expirationWords(g state.Grant) string {
	switch {
	case g.Expiration == nil:
		return "never"
	case g.Expired:
		return g.Expiration.UTC().Format(timeFormat) + " (expired: the chain refuses it and prunes it at the next block)"
	default:
		return g.Expiration.UTC().Format(timeFormat)
	}
}
