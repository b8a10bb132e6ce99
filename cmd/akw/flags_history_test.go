package main

import (
	"testing"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/contacts"
	"github.com/akash-wallet/akw/internal/output"
)

func TestFlagsHistory(t *testing.T) {
	aliceBytes, alice := testAddr(t, 1)
	_, val := testValoper(t, 2)
	home := t.TempDir()
	if _, err := contacts.Open(home, "akash").Add(contacts.Contact{Name: "kraken", Address: alice}); err != nil {
		t.Fatal(err)
	}
	acc := sdk.AccAddress(aliceBytes)
	def := func(change func(*historyOptions)) *historyOptions {
		o := &historyOptions{Address: acc, Timeout: 5 * time.Minute}
		if change != nil {
			change(o)
		}
		return o
	}
	day := func(s string) time.Time {
		t.Helper()
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	h := "history " + alice
	runFlagsCases(t, topVerb(func(app *App, got func(any)) *cobra.Command {
		return newHistoryCmd(app, capture[historyOptions](got))
	}), []flagsCase{
		{name: "plain", args: h, want: def(nil)},
		{name: "contact", args: "history @kraken --home " + home, want: def(nil)},
		{name: "page", args: h + " --limit 50 --page 3 --timeout 1m",
			want: def(func(o *historyOptions) { o.Query.Limit, o.Query.Page, o.Timeout = 50, 3, time.Minute })},
		{name: "cursor", args: h + " --limit 5 --cursor 120.3", want: def(func(o *historyOptions) { o.Query.Limit, o.Query.Cursor = 5, "120.3" })},
		{name: "dates", args: h + " --since 2026-01-01 --until 2026-12-31",
			want: def(func(o *historyOptions) {
				o.Query.Since, o.Query.Until = day("2026-01-01T00:00:00Z"), day("2026-12-31T23:59:59.999999999Z")
			})},
		{name: "times", args: h + " --since 2026-01-01T10:00:00+02:00 --until 2026-01-02T00:00:00Z",
			want: def(func(o *historyOptions) {
				o.Query.Since, o.Query.Until = day("2026-01-01T08:00:00Z"), day("2026-01-02T00:00:00Z")
			})},
		{name: "heights", args: h + " --from-height 10 --to-height 20", want: def(func(o *historyOptions) { o.Query.FromHeight, o.Query.ToHeight = 10, 20 })},
		{name: "csv", args: h + " --csv out.csv --overwrite --since 2026-01-01",
			want: def(func(o *historyOptions) {
				o.CSV, o.Overwrite, o.Query.Since = "out.csv", true, day("2026-01-01T00:00:00Z")
			})},
		{name: "csv stdout", args: h + " --csv -", want: def(func(o *historyOptions) { o.CSV = "-" })},
		{name: "offline", args: h + " --offline --csv out.csv", want: def(func(o *historyOptions) { o.Query.Offline, o.CSV = true, "out.csv" })},
		{name: "refresh", args: h + " --refresh", want: def(func(o *historyOptions) { o.Query.Refresh = true })},
		{name: "reconcile", args: h + " --reconcile --from-height 5", want: def(func(o *historyOptions) { o.Reconcile, o.Query.FromHeight = true, 5 })},

		{name: "no address", args: "history", code: output.Usage, msg: "accepts 1 arg"},
		{name: "validator", args: "history " + val, code: output.Usage},
		{name: "unknown contact", args: "history @nobody --home " + home, code: output.Usage, msg: "no such contact"},
		{name: "limit too big", args: h + " --limit 101", code: output.Usage, msg: "--limit 101"},
		{name: "limit zero", args: h + " --limit 0", code: output.Usage, msg: "--limit 0"},
		{name: "page zero", args: h + " --page 0", code: output.Usage, msg: "--page 0"},
		{name: "page and cursor", args: h + " --page 2 --cursor 1.0", code: output.Usage, msg: "--page and --cursor"},
		{name: "bad date", args: h + " --since yesterday", code: output.Usage, msg: `--since "yesterday"`},
		{name: "bad until", args: h + " --until 2026-13-01", code: output.Usage, msg: "--until"},
		{name: "since after until", args: h + " --since 2026-02-01 --until 2026-01-01", code: output.Usage, msg: "--since is after --until"},
		{name: "heights reversed", args: h + " --from-height 20 --to-height 10", code: output.Usage, msg: "above --to-height"},
		{name: "negative height", args: h + " --from-height -1", code: output.Usage, msg: "negative"},
		{name: "offline refresh", args: h + " --offline --refresh", code: output.Usage, msg: "--offline and --refresh"},
		{name: "csv and page", args: h + " --csv x.csv --limit 5", code: output.Usage, msg: "--csv exports the whole range"},
		{name: "csv stdout and json", args: h + " --csv - -o json", code: output.Usage, msg: "--csv - and -o json"},
		{name: "overwrite without csv", args: h + " --overwrite", code: output.Usage, msg: "--overwrite without"},
		{name: "reconcile offline", args: h + " --reconcile --offline --since 2026-01-01", code: output.Usage, msg: "--reconcile"},
		{name: "reconcile open range", args: h + " --reconcile", code: output.Usage, msg: "start of the range"},
		{name: "bad timeout", args: h + " --timeout soon", code: output.Usage, msg: "--timeout"},
	})
}
