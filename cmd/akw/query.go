package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/lightclient/state"
	"github.com/akash-wallet/akw/tx/amount"
	"github.com/akash-wallet/akw/wallet"
)

// queryOptions are shared by every `akw query` command.
type queryOptions struct {
	Height  int64
	MaxAge  time.Duration
	Timeout time.Duration
}

// newQueryCmd is `akw query` over its verbs; leaves, when not nil, builds
// the verbs instead (flag tests: one verb with a capturing run function).
func newQueryCmd(app *App, leaves func(*queryOptions) []*cobra.Command) *cobra.Command {
	opts := &queryOptions{}
	cmd := &cobra.Command{
		Use:   "query",
		Short: "Query chain state, every value proven against a verified header",
		Long: `Query chain state. Each answer is proven with a Merkle proof against the
AppHash of a header the light client has verified (state at height H,
header H+1), and lists are proven complete. A node whose answer does not
check out makes the command fail with exit code 3; nothing unproven is shown.

The newest state is never older than the newest header akw has verified:
a node that says its newest block is older is named (lagging or lying) and
the witnesses are asked. Every answer carries its header's time and age
(header_time, age_seconds); one older than --stale-after is labelled stale
("stale": true), one asked for with --height is labelled historical.

Addresses may be given as bech32 addresses, key names, or @NAME for a
contact of the address book.`,
		Aliases: []string{"q"},
	}
	pf := cmd.PersistentFlags()
	pf.Int64Var(&opts.Height, "height", 0, "state height to query, for a deliberate look at the past (default: the newest verifiable state)")
	pf.DurationVar(&opts.MaxAge, "max-age", 0, "reuse the newest header already verified if it is younger than this, without asking the nodes for a newer one (0: always update)")
	pf.DurationVar(&opts.Timeout, "timeout", 30*time.Second, "give up after this long")

	if leaves == nil {
		leaves = func(o *queryOptions) []*cobra.Command {
			return []*cobra.Command{
				newQueryBalanceCmd(app, o, nil),
				newQueryAccountCmd(app, o, nil),
				newQueryDelegationsCmd(app, o, nil),
				newQueryUnbondingCmd(app, o, nil),
				newQueryRedelegationsCmd(app, o, nil),
				newQueryValidatorsCmd(app, o, nil),
				newQueryValidatorCmd(app, o, nil),
				newQueryProposalsCmd(app, o, nil),
				newQueryProposalCmd(app, o, nil),
				newQueryVoteCmd(app, o, nil),
				newQueryRewardsCmd(app, o, nil),
				newQueryGrantsCmd(app, o, nil),
				newQueryAllowancesCmd(app, o, nil),
				newQueryDepositsCmd(app, o, nil),
			}
		}
	}
	cmd.AddCommand(leaves(opts)...)
	return cmd
}

// queryArgs resolves the network, then parses the arguments (addresses
// need the network's bech32 prefix): everything a query checks before it
// touches a node, so that a flag test sees the validated options.
func queryArgs(app *App, parse func() error) error {
	if err := app.RequireNetwork(); err != nil {
		return err
	}
	if parse != nil {
		return parse()
	}
	return nil
}

// runQuery opens a wallet session and runs the query on a verified view,
// with the wallet's failover policy. run returns its errors as the
// libraries give them; they are worded once, here.
func runQuery(app *App, opts *queryOptions, run func(ctx context.Context, v *state.View) error) error {
	// One deadline for the whole command, retry included. The header is
	// verified while the proofs are fetched (ctx lives until the answer
	// is printed).
	ctx, cancel := context.WithTimeout(app.Context(), opts.Timeout)
	defer cancel()
	s, err := openReadSession(ctx, app)
	if err != nil {
		return err
	}
	defer s.Close()
	view := wallet.View{Height: opts.Height, MaxAge: opts.MaxAge, Pipelined: opts.Height <= 0 && opts.MaxAge <= 0}
	return queryError(s.Query(ctx, view, run))
}

// openReadSession opens the wallet session of a command that reads the
// chain (no keyring); its notices go to stderr.
func openReadSession(ctx context.Context, app *App) (*wallet.Session, error) {
	s, err := wallet.Open(ctx, wallet.Config{Name: app.NetworkName, Network: app.Network, Home: app.Paths.DataDir,
		Notify: func(m string) { app.Printer.Notice("%s", m) }})
	if err != nil {
		return nil, lightError(err)
	}
	return s, nil
}

// queryAddrOptions are the options of a query about one account
// (delegations, unbonding, redelegations, rewards, account).
type queryAddrOptions struct {
	Query   *queryOptions
	Address sdk.AccAddress
}

// newQueryAddrCmd is a query about one account: ADDRESS|KEY resolved
// before runF (or run) is called.
func newQueryAddrCmd(app *App, qo *queryOptions, cmd *cobra.Command, runF, run func(*queryAddrOptions) error) *cobra.Command {
	cmd.Args = cobra.ExactArgs(1)
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		o := &queryAddrOptions{Query: qo}
		if err := queryArgs(app, func() (err error) { o.Address, err = resolveAccount(app, args[0]); return }); err != nil {
			return err
		}
		if runF != nil {
			return runF(o)
		}
		return run(o)
	}
	return cmd
}

// queryError words an error of a query for the command line.
func queryError(err error) error { return queryErrors.wrap(err) }

// resolveAccount turns a key name or bech32 account address into bytes
// (App.ResolveAddress: keys in the configured keyring).
func resolveAccount(app *App, s string) (sdk.AccAddress, error) {
	return app.ResolveAddress(s)
}

// provenLine says plainly what the answer rests on, and how old it is:
// a stale answer (the newest verified header is older than the network's
// stale-after) or a historical one (--height) says so in words.
func provenLine(w io.Writer, p state.Proven, what string) {
	if p.Verified {
		fmt.Fprintf(w, "verified: %s, proven at height %d against the AppHash of verified header %d (%s), made %s (%s ago)\n",
			what, p.Height, p.Height+1, strings.ToUpper(shortHash(p.HeaderHash)), p.HeaderTime.UTC().Format(timeFormat), state.AgeWords(p.Age))
	} else {
		fmt.Fprintf(w, "NOT verified (%s): %s\n", p.Reason, what)
	}
	switch note := p.Note(p.Height); {
	case p.Stale:
		fmt.Fprintf(w, "WARNING: %s\n", note)
	case note != "":
		fmt.Fprintf(w, "%s\n", note)
	}
}

func shortHash(h string) string {
	if len(h) > 16 {
		return h[:16] + "…"
	}
	return h
}

// pct renders a rate as a percentage without trailing zeros.
func pct(d math.LegacyDec) string { return trimDec(d.MulInt64(100).String()) }

// trimDec drops the trailing zeros of a decimal's 18 places.
func trimDec(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// coinText shows an amount for people, with the exact base amount beside
// the network's token ("1.5 AKT (1500000uakt)"); other denoms as they are
// (tx/amount.Exact: akw guesses no exponent).
func (a *App) coinText(v math.Int, denom string) string {
	return amount.Exact(v, denom, wallet.Denoms(a.Network))
}

// coinsText is coinText for a list.
func (a *App) coinsText(cs sdk.Coins) string {
	if len(cs) == 0 {
		return "none"
	}
	parts := make([]string, 0, len(cs))
	for _, c := range cs {
		parts = append(parts, a.coinText(c.Amount, c.Denom))
	}
	return strings.Join(parts, ", ")
}
