package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/history"
	"github.com/akash-wallet/akw/internal/output"
	"github.com/akash-wallet/akw/keys"
	"github.com/akash-wallet/akw/tx/amount"
	"github.com/akash-wallet/akw/wallet"
)

// historyOptions are what `akw history` was asked, parsed and checked.
type historyOptions struct {
	Address sdk.AccAddress
	// Query is the history library's query, but for the address (the
	// network's bech32 of Address, set when run).
	Query history.Query
	// CSV is the file the export goes to ("-": stdout); Overwrite lets
	// it replace a file.
	CSV       string
	Overwrite bool
	// Reconcile proves the balance at both ends of the range and holds
	// the rows against it.
	Reconcile bool
	Timeout   time.Duration
}

// historyAnswer is the JSON of `akw history`: the page as the library
// gives it, where each part comes from, and what the export wrote.
type historyAnswer struct {
	*history.Page
	Sources        historySources          `json:"sources"`
	CSV            *historyCSV             `json:"csv,omitempty"`
	Reconciliation *history.Reconciliation `json:"reconciliation,omitempty"`
}

// historySources says where each part of the answer comes from.
type historySources struct {
	List    string `json:"list"`
	Rows    string `json:"rows"`
	Rewards string `json:"rewards"`
}

var theHistorySources = historySources{
	List:    "node-reported: the node's transaction index (tx_search); no header commits it, so a node can leave a transaction out",
	Rows:    "proven: each row's bytes and position against the DataHash of verified header H, its result code against the LastResultsHash of H+1; what it moved is decoded from the proven bytes",
	Rewards: "node-reported: rewards paid out and whether a failed transaction's fee was charged come from the node's events (movements with \"verified\": false)",
}

// historyCSV is what an export wrote.
type historyCSV struct {
	Path string `json:"path"`
	*history.CSVSummary
}

func newHistoryCmd(app *App, runF func(*historyOptions) error) *cobra.Command {
	o := &historyOptions{}
	var since, until string
	cmd := &cobra.Command{
		Use:   "history ADDRESS|KEY|@NAME",
		Short: "An address's transactions, newest first, each proven; a CSV export for tax tools",
		Long: `The transactions that sent from, paid to, delegated from, claimed for or
voted as the address, or granted it (or revoked) an authz grant or a fee
allowance, newest first, with height, time, type, counterparties, amounts,
fee, memo and result.

Where each part comes from:
  the list   node-reported: the node's transaction index, whose completeness
             no header proves (a node can leave a transaction out)
  each row   proven: its bytes and block against the verified header's
             DataHash, its result code against the next header's
             LastResultsHash; what it moved decoded from the proven bytes.
             A row whose index entry does not check out is refused: its hash
             and the reason are shown, nothing else of it
  rewards    node-reported: what a claim paid out (the node's events)

Proven rows are cached under --home: a range already listed is answered
from the cache without the network; the output says what came from the
cache and what was listed and proven now. --offline reads only the cache.

Pages: --limit rows (default 20, at most 100), the next page by --cursor
(printed under each page) or --page N. --since and --until bound the block
time (both included; a date alone is a whole day in UTC), --from-height and
--to-height the height.

--csv FILE writes every row of the range (not one page), oldest first, one
line per movement, in the layout tax tools import (Koinly's universal
format; AKT with six decimals, the date in UTC). --reconcile proves the
balance at both ends of the range and shows the difference from the rows'
net (zero: the rows explain the proven change).

Not in the history nor the CSV: balance changes made outside any
transaction, at the end of a block. A governance deposit is written as
sent; its return (or burn, after a veto or a failed quorum) when the
proposal's vote ends is no line: the chain does it in its end-blocker, whose
events no header commits, and most nodes no longer hold the state that would
prove it. The export's summary counts such deposits and names their
proposals: "akw query proposal ID" says how each ended; --reconcile shows a
return as a difference. Likewise an unbonding completing and vesting.

Public nodes often turn the transaction index off or prune old blocks;
akw says which, and the hint names another --node or a narrower range.`,
		Example: `  akw history alice
  akw history akash1... --limit 50 --since 2026-01-01 --until 2026-12-31
  akw history alice --since 2026-01-01 --until 2026-12-31 --csv akt-2026.csv
  akw history alice --csv akt-2026.csv --since 2026-01-01 --until 2026-12-31 --offline`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			if err := o.check(c, since, until); err != nil {
				return err
			}
			if o.CSV == "-" && app.Output == output.JSON {
				// With -o json, stdout carries one JSON document.
				return output.UsageError("--csv - and -o json both write stdout", "give --csv FILE with -o json, or leave -o json out")
			}
			if err := queryArgs(app, func() (err error) { o.Address, err = resolveAccount(app, args[0]); return }); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return runHistory(app, o)
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.Query.Limit, "limit", 0, fmt.Sprintf("rows per page (default %d, at most %d)", history.DefaultLimit, history.MaxLimit))
	f.IntVar(&o.Query.Page, "page", 0, "page number, from 1 (newest first)")
	f.StringVar(&o.Query.Cursor, "cursor", "", "continue after the page that printed this cursor (HEIGHT.INDEX)")
	f.StringVar(&since, "since", "", "oldest block time: 2026-01-01 or 2026-01-01T12:00:00Z (included)")
	f.StringVar(&until, "until", "", "newest block time: 2026-12-31 (the whole day, UTC) or an RFC 3339 time (included)")
	f.Int64Var(&o.Query.FromHeight, "from-height", 0, "lowest block height (included)")
	f.Int64Var(&o.Query.ToHeight, "to-height", 0, "highest block height (included)")
	f.StringVar(&o.CSV, "csv", "", "write every row of the range as CSV to FILE (- for stdout)")
	f.BoolVar(&o.Overwrite, "overwrite", false, "let --csv replace an existing file")
	f.BoolVar(&o.Query.Offline, "offline", false, "answer from the cache alone, asking no node")
	f.BoolVar(&o.Query.Refresh, "refresh", false, "list and prove the range again, ignoring the cache, and name cached rows that differ")
	f.BoolVar(&o.Reconcile, "reconcile", false, "prove the balance at both ends of the range and compare its change with the rows")
	f.DurationVar(&o.Timeout, "timeout", 5*time.Minute, "give up after this long")
	return cmd
}

// check validates what needs no network: the flags' values and how they
// combine.
func (o *historyOptions) check(c *cobra.Command, since, until string) error {
	var err error
	if o.Query.Since, err = parseHistoryTime("--since", since, false); err != nil {
		return err
	}
	if o.Query.Until, err = parseHistoryTime("--until", until, true); err != nil {
		return err
	}
	q := o.Query
	switch {
	case q.Limit < 0 || q.Limit > history.MaxLimit:
		return output.UsageError(fmt.Sprintf("--limit %d is not between 1 and %d", q.Limit, history.MaxLimit), fmt.Sprintf("give a --limit from 1 to %d", history.MaxLimit))
	case c.Flags().Changed("limit") && q.Limit == 0:
		return output.UsageError("--limit 0", fmt.Sprintf("give a --limit from 1 to %d", history.MaxLimit))
	case q.Page < 0 || (c.Flags().Changed("page") && q.Page == 0):
		return output.UsageError(fmt.Sprintf("--page %d", q.Page), "pages count from 1")
	case q.Page > 0 && q.Cursor != "":
		return output.UsageError("--page and --cursor both given", "give --page N, or the --cursor the previous page printed")
	case q.FromHeight < 0 || q.ToHeight < 0:
		return output.UsageError("a negative height", "heights count from 1")
	case q.ToHeight > 0 && q.FromHeight > q.ToHeight:
		return output.UsageError(fmt.Sprintf("--from-height %d is above --to-height %d", q.FromHeight, q.ToHeight), "give the lower height first")
	case !q.Since.IsZero() && !q.Until.IsZero() && q.Since.After(q.Until):
		return output.UsageError("--since is after --until", "give --since before --until")
	case q.Offline && q.Refresh:
		return output.UsageError("--offline and --refresh both given", "--refresh proves the range again from the network; --offline asks no node")
	case o.CSV != "" && (q.Limit != 0 || q.Page != 0 || q.Cursor != ""):
		return output.UsageError("--csv exports the whole range, not a page", "leave out --limit, --page and --cursor; bound the range with --since/--until or --from-height/--to-height")
	case o.Overwrite && (o.CSV == "" || o.CSV == "-"):
		return output.UsageError("--overwrite without a --csv FILE", "give --csv FILE, or leave --overwrite out")
	case o.Reconcile && q.Offline:
		return output.UsageError("--reconcile proves balances, and --offline asks no node", "leave out one of them")
	case o.Reconcile && q.FromHeight == 0 && q.Since.IsZero():
		return output.UsageError("--reconcile needs the start of the range", "give --since or --from-height: the balance is proven just before it")
	}
	return nil
}

// parseHistoryTime reads a time bound: RFC 3339, or a date (UTC) that
// stands for the start of the day, or for --until its end.
func parseHistoryTime(flag, s string, endOfDay bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse(time.DateTime, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, output.UsageError(fmt.Sprintf("%s %q is not a date or time", flag, s),
			"write a date as 2026-01-31 (UTC) or a time as 2026-01-31T12:00:00Z")
	}
	if endOfDay {
		t = t.Add(24*time.Hour - time.Nanosecond)
	}
	return t, nil
}

func runHistory(app *App, o *historyOptions) error {
	ctx, cancel := context.WithTimeout(app.Context(), o.Timeout)
	defer cancel()
	// Opening the session costs no round trip: an offline answer, or a
	// range the cache holds, touches no node.
	s, err := openReadSession(ctx, app)
	if err != nil {
		return err
	}
	defer s.Close()
	prefix := app.Network.Bech32Prefix
	if prefix == "" {
		prefix = keys.DefaultHRP
	}
	l, err := history.New(s.Light(), nil, history.WithCache(app.Paths.DataDir), history.WithPrefix(prefix), history.WithDenoms(s.Denoms()))
	if err != nil {
		return err
	}
	q := o.Query
	q.Address = o.Address.String()
	var page *history.Page
	if o.CSV != "" || o.Reconcile {
		page, err = l.All(ctx, q)
	} else {
		page, err = l.List(ctx, q)
	}
	if err != nil {
		return historyError(err)
	}
	if page.Rows == nil {
		page.Rows = []history.Row{} // JSON: an empty list, not null
	}
	ans := historyAnswer{Page: page, Sources: theHistorySources}
	if page.Cache.SaveError != "" {
		app.Printer.Warn("the history cache was not saved: %s", page.Cache.SaveError)
	}
	if page.Cache.Rebuilt != "" {
		app.Printer.Notice("the history cache was not used and is rebuilt: %s", page.Cache.Rebuilt)
	}
	if o.Reconcile {
		// The state after the block before the range, and after its last.
		rec, err := history.Reconcile(ctx, s.State(), prefix, q.Address, page.Range.From-1, page.Range.To, page.Rows, s.Denoms().Base)
		if err != nil {
			return historyError(err)
		}
		ans.Reconciliation = rec
	}
	if o.CSV != "" {
		var buf strings.Builder
		d, err := csvDenoms(ctx, app, s, page.Rows, o.Query.Offline)
		if err != nil {
			return historyError(err)
		}
		sum, err := history.WriteCSV(&buf, page.Rows, d)
		if err != nil {
			return err
		}
		ans.CSV = &historyCSV{Path: o.CSV, CSVSummary: sum}
		if o.CSV == "-" {
			// The CSV is the answer on stdout; the rest is a note.
			if _, err := io.WriteString(app.IO.Out, buf.String()); err != nil {
				return err
			}
			app.Printer.Notice("%s", csvWords(ans))
			for _, n := range csvNotes(ans) {
				app.Printer.Notice("%s", n)
			}
			for _, line := range sourceLines(ans) {
				app.Printer.Notice("%s", line)
			}
			return nil
		}
		if err := writeExport(o.CSV, []byte(buf.String()), o.Overwrite); err != nil {
			return err
		}
	}
	return app.Printer.Result(ans, func(w io.Writer) error {
		writeHistoryText(app, w, ans, o.CSV == "")
		return nil
	})
}

// historyError words an error of the history: the library's hints name
// this command's flags (--node, --since, --limit, --offline).
func historyError(err error) error { return queryErrors.wrap(err) }

// csvDenoms is the units the CSV writes amounts in: the network's token
// from its preset, every other token in the unit its proven bank metadata
// states (ACT as ACT). Proving that needs a node; a CSV of uakt alone, or
// one made with --offline, asks none — offline, other tokens are written in
// their base unit under their full denom (no exponent is guessed), and a
// note says so.
func csvDenoms(ctx context.Context, app *App, s *wallet.Session, rows []history.Row, offline bool) (amount.Denoms, error) {
	var others []string
	for _, d := range history.Denoms(rows) {
		if d != s.Denoms().Base {
			others = append(others, d)
		}
	}
	if len(others) == 0 {
		return s.Denoms(), nil
	}
	if offline {
		app.Printer.Notice("offline: %s written in base units (their display units come from proven metadata, which needs a node)", strings.Join(others, ", "))
		return s.Denoms(), nil
	}
	return s.DenomsFor(ctx, others)
}
