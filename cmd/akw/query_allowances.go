package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/lightclient/state"
	"github.com/akash-wallet/akw/tx/ops"
)

func newQueryAllowancesCmd(app *App, qo *queryOptions, runF func(*queryAddrOptions) error) *cobra.Command {
	return newQueryAddrCmd(app, qo, &cobra.Command{
		Use:   "allowances ADDRESS|KEY",
		Short: "Fee allowances an address received and gave (feegrant), proven complete",
		Long: `Fee allowances (x/feegrant) an address received (others pay its fees) and
gave (it pays others' fees), each with its limits: in total, per period
with what is left of the current one, the message types it pays for, and
its expiration. Both lists are proven complete (the allowances given are
found by walking every allowance on the chain: the store has no index by
granter).`,
	}, runF, func(o *queryAddrOptions) error { return runQueryAllowances(app, o) })
}

func runQueryAllowances(app *App, o *queryAddrOptions) error {
	addr := o.Address
	return runQuery(app, o.Query, func(ctx context.Context, v *state.View) error {
		a, err := v.Allowances(ctx, addr)
		if err != nil {
			return err
		}
		// JSON: empty lists, not null.
		if a.Received == nil {
			a.Received = []state.Allowance{}
		}
		if a.Granted == nil {
			a.Granted = []state.Allowance{}
		}
		return app.Printer.Result(a, func(w io.Writer) error {
			fmt.Fprintf(w, "Fee allowances received by %s (others pay its fees)\n", a.Address)
			writeAllowances(app, w, a.Received)
			fmt.Fprintf(w, "Fee allowances given by %s (it pays others' fees)\n", a.Address)
			writeAllowances(app, w, a.Granted)
			provenLine(w, a.Proven, "every fee allowance the address received and gave, and that there are no others")
			return nil
		})
	})
}

func writeAllowances(app *App, w io.Writer, list []state.Allowance) {
	if len(list) == 0 {
		fmt.Fprintf(w, "  (none)\n")
	}
	for _, a := range list {
		fmt.Fprintf(w, "  %s pays for %s\n", a.Granter, a.Grantee)
		for i, line := range allowanceWords(app, a) {
			label := ""
			if i == 0 {
				label = "allows"
			}
			fmt.Fprintf(w, "    %-11s %s\n", label, line)
		}
		fmt.Fprintf(w, "    expires     %s\n", allowanceExpiration(a))
	}
}

// allowanceWords says what a fee allowance pays, one line per term, as
// the chain enforces it.
func allowanceWords(app *App, a state.Allowance) []string {
	if a.Kind != "basic" && a.Kind != "periodic" {
		return []string{"an allowance of type " + a.TypeURL + " (akw does not decode its terms)"}
	}
	total := "fees without a total limit"
	if !a.SpendLimit.IsZero() {
		// The chain lowers a basic limit as it pays: this is what is left.
		total = "fees up to " + app.coinsText(a.SpendLimit) + " more in total"
	}
	out := []string{total}
	if a.Kind == "periodic" {
		out = append(out, "at most "+app.coinsText(a.PeriodSpendLimit)+" every "+ops.FormatDuration(a.Period))
		left := "left this period: " + app.coinsText(a.PeriodCanSpend)
		if a.PeriodReset != nil {
			left += ", until " + a.PeriodReset.UTC().Format(timeFormat)
		}
		out = append(out, left)
	}
	if len(a.AllowedMessages) > 0 {
		out = append(out, "only for transactions made of "+strings.Join(a.AllowedMessages, ", "))
	} else {
		out = append(out, "for any transaction")
	}
	return out
}

func allowanceExpiration(a state.Allowance) string {
	switch {
	case a.Expiration == nil:
		return "never"
	case a.Expired:
		return a.Expiration.UTC().Format(timeFormat) + " (expired: the chain no longer pays with it)"
	default:
		return a.Expiration.UTC().Format(timeFormat)
	}
}
