package integration_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	sdkmath "cosmossdk.io/math"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/history"
	"github.com/akash-wallet/akw/internal/devnet/devnettest"
	"github.com/akash-wallet/akw/internal/rpcproxy"
	"github.com/akash-wallet/akw/internal/testctx"
	"github.com/akash-wallet/akw/lightclient/state"
	"github.com/akash-wallet/akw/tx/amount"
)

// The history of alice over the scenario's range is exactly what the
// test did: every transaction, newest first, proven, with its movements;
// and the CSV export's rows and totals equal the proven balance change.
func TestHistoryEqualsWhatTheTestDid(t *testing.T) {
	s := theScenario(t)
	ctx := testctx.New(t)
	l, err := history.New(s.lc, nil)
	if err != nil {
		t.Fatal(err)
	}
	page, err := l.All(ctx, history.Query{Address: s.alice, FromHeight: s.from + 1, ToHeight: s.to})
	if err != nil {
		t.Fatal(err)
	}
	if page.ListVerified {
		t.Fatal("the list is node-reported, and must say so")
	}
	if len(page.Rows) != len(s.txs) {
		for _, r := range page.Rows {
			t.Logf("row %s at %d: %s %v", r.Hash, r.Height, r.Status, kinds(r.Movements))
		}
		t.Fatalf("%d rows, the test made %d transactions", len(page.Rows), len(s.txs))
	}
	for i, r := range page.Rows {
		want := s.txs[len(s.txs)-1-i] // newest first
		if r.Hash != want.hash || r.Height != want.height {
			t.Fatalf("row %d is %s at %d, want the %s %s at %d", i, r.Hash, r.Height, want.what, want.hash, want.height)
		}
		if r.Status != history.Proven || !r.Verified || r.HeaderHash == "" || r.NextHeaderHash == "" || r.Time.IsZero() {
			t.Fatalf("%s: not proven: %+v", want.what, r)
		}
		if got := kinds(r.Movements); got != want.movements {
			t.Errorf("%s: movements %q, want %q", want.what, got, want.movements)
		}
		if r.Memo != want.memo {
			t.Errorf("%s: memo %q, want %q", want.what, r.Memo, want.memo)
		}
		if want.what == "failed vote" == r.Success {
			t.Errorf("%s: success %v (code %d)", want.what, r.Success, r.Code)
		}
		t.Logf("%-28s height %d  %s", want.what, r.Height, kinds(r.Movements))
	}

	// The rows explain the proven balance change exactly.
	q := state.New(s.lc, nil)
	rec, err := history.Reconcile(ctx, q, "akash", s.alice, s.from, s.to, page.Rows, "uakt")
	if err != nil {
		t.Fatal(err)
	}
	if !rec.Difference.IsZero() || rec.Refused != 0 {
		t.Fatalf("rows net %s, proven balance %s -> %s: difference %s", rec.Rows, rec.Before, rec.After, rec.Difference)
	}
	t.Logf("proven balance %s -> %s uakt (change %s); rows net %s", rec.Before, rec.After, rec.After.Sub(rec.Before), rec.Rows)

	// The CSV, read back with a standard CSV reader, has one line per
	// movement (fees on their transaction's line) and the same total.
	var buf bytes.Buffer
	sum, err := history.WriteCSV(&buf, page.Rows, amount.Akash)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(buf.Bytes()))
	r.FieldsPerRecord = len(history.CSVHeader)
	lines, err := r.ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not parse: %v\n%s", err, buf.String())
	}
	if strings.Join(lines[0], ",") != strings.Join(history.CSVHeader, ",") {
		t.Fatalf("header %q", lines[0])
	}
	lines = lines[1:]
	if len(lines) != sum.Lines || sum.Transactions != len(s.txs) {
		t.Fatalf("%d lines, summary %+v", len(lines), sum)
	}
	net := sdkmath.ZeroInt()
	labels := map[string]int{}
	prev := ""
	for _, l := range lines {
		labels[l[9]]++
		if l[0] < prev {
			t.Fatalf("lines not in time order: %q after %q", l[0], prev)
		}
		prev = l[0]
		if !strings.HasSuffix(l[0], " UTC") || len(l[0]) != len("2006-01-02 15:04:05 UTC") {
			t.Fatalf("date %q", l[0])
		}
		for _, col := range []int{2, 4, 6} {
			if l[col] != "" && l[col] != "AKT" {
				t.Fatalf("currency %q: uakt must be written as AKT", l[col])
			}
		}
		net = net.Add(csvUakt(t, l[3])).Sub(csvUakt(t, l[1])).Sub(csvUakt(t, l[5]))
	}
	if !net.Equal(rec.After.Sub(rec.Before)) {
		t.Fatalf("the CSV's total %s uakt, the proven balance change %s\n%s", net, rec.After.Sub(rec.Before), buf.String())
	}
	for _, d := range s.txs {
		if d.what != "create a vesting account" {
			continue
		}
		// Its line: the amount sent, labelled vesting, the schedule said.
		var line []string
		for _, l := range lines {
			if l[11] == d.hash {
				line = l
			}
		}
		if line == nil || line[1] != "3.000000" || line[9] != history.LabelVesting || !strings.Contains(line[10], "delayed vesting account") {
			t.Errorf("the vesting account's creation: line %q\n%s", line, buf.String())
		}
	}
	for _, want := range []string{history.LabelTransfer, history.LabelVesting, history.LabelDelegation, history.LabelUndelegation, history.LabelVote, history.LabelFee} {
		if labels[want] == 0 {
			t.Errorf("no %q line in\n%s", want, buf.String())
		}
	}
	t.Logf("CSV: %d lines, labels %v, total %s uakt\n%s", len(lines), labels, net, buf.String())
}

// csvUakt reads an AKT amount of the CSV ("1.500000") back in uakt.
func csvUakt(t *testing.T, s string) sdkmath.Int {
	t.Helper()
	if s == "" {
		return sdkmath.ZeroInt()
	}
	ip, fp, ok := strings.Cut(s, ".")
	if !ok || len(fp) != 6 {
		t.Fatalf("amount %q does not have six decimals", s)
	}
	// Base 10: math.Int's own parser reads a leading 0 as octal.
	v, ok := new(big.Int).SetString(ip+fp, 10)
	if !ok {
		t.Fatalf("amount %q", s)
	}
	return sdkmath.NewIntFromBigInt(v)
}

// Pages walked by cursor, or by number, are the whole history in order.
func TestPaging(t *testing.T) {
	s := theScenario(t)
	ctx := testctx.New(t)
	l, err := history.New(s.lc, nil)
	if err != nil {
		t.Fatal(err)
	}
	q := history.Query{Address: s.alice, FromHeight: s.from + 1, ToHeight: s.to, Limit: 3}
	var got []string
	for pages := 0; ; pages++ {
		p, err := l.List(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Rows) > 3 || pages > len(s.txs) {
			t.Fatalf("page of %d rows, %d pages", len(p.Rows), pages)
		}
		for _, r := range p.Rows {
			got = append(got, r.Hash)
		}
		if p.Next == "" {
			break
		}
		q.Cursor = p.Next
	}
	var want []string
	for i := len(s.txs) - 1; i >= 0; i-- {
		want = append(want, s.txs[i].hash)
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("pages by cursor:\n%v\nwant\n%v", got, want)
	}
	p2, err := l.List(ctx, history.Query{Address: s.alice, FromHeight: s.from + 1, ToHeight: s.to, Limit: 3, Page: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(p2.Rows) != 3 || p2.Rows[0].Hash != want[3] || p2.Rows[2].Hash != want[5] {
		t.Fatalf("page 2: %+v", p2.Rows)
	}
}

// A second export of the same range reads only the cache: the node is
// down and no header is asked for. A damaged cache is noticed and rebuilt.
func TestSecondExportReadsOnlyTheCache(t *testing.T) {
	s := theScenario(t)
	ctx := testctx.New(t)
	n := devnettest.Get(t)
	p, err := rpcproxy.New(n.RPC()[0])
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	headers := &countingHeaders{Headers: s.lc}
	dir := t.TempDir()
	l, err := history.New(headers, client(t, p.URL()), history.WithCache(dir))
	if err != nil {
		t.Fatal(err)
	}
	q := history.Query{Address: s.alice, FromHeight: s.from + 1, ToHeight: s.to}
	first, err := l.All(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	c := first.Cache
	if !c.Network || c.ProvenNow != len(s.txs) || c.ProvenFromCache != 0 || len(c.ListedFromNode) == 0 || p.Count("tx_search") == 0 {
		t.Fatalf("first export: %+v, requests %v", c, p.Counts())
	}
	t.Logf("first export: %d requests to the node %v, %d header calls; cache %+v", total(p.Counts()), p.Counts(), headers.calls.Load(), c)
	path := c.Path
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("cache file %s: %v %v", path, st, err)
	}
	if st, err := os.Stat(filepath.Dir(path)); err != nil || st.Mode().Perm() != 0o700 {
		t.Fatalf("cache directory: %v %v", st, err)
	}

	if err := p.Down(); err != nil {
		t.Fatal(err)
	}
	p.ResetCounts()
	headers.calls.Store(0)
	second, err := l.All(ctx, q)
	if err != nil {
		t.Fatalf("second export with the node down: %v", err)
	}
	c = second.Cache
	if c.Network || headers.calls.Load() != 0 || total(p.Counts()) != 0 || c.ProvenFromCache != len(s.txs) || c.ProvenNow != 0 || len(c.ListedFromNode) != 0 {
		t.Fatalf("second export: %+v, %d header calls, requests %v", c, headers.calls.Load(), p.Counts())
	}
	sameRows(t, first.Rows, second.Rows)
	t.Logf("second export: no request, no header; cache %+v", c)

	// Offline says so when the cache lacks the range.
	_, err = l.All(ctx, history.Query{Address: s.alice, FromHeight: 1, ToHeight: s.to, Offline: true})
	var nc *history.ErrNotCached
	if !errors.As(err, &nc) || errkind.HintOf(err).String() == "" {
		t.Fatalf("offline beyond the cache: %v", err)
	}

	// A damaged cache (a flipped byte) is detected and rebuilt.
	bz, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(bz, []byte(`"code":`))
	bz[i+7] ^= 1
	if err := os.WriteFile(path, bz, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := p.Up(); err != nil {
		t.Fatal(err)
	}
	third, err := l.All(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if third.Cache.Rebuilt == "" || !third.Cache.Network || third.Cache.ProvenNow != len(s.txs) {
		t.Fatalf("damaged cache: %+v", third.Cache)
	}
	sameRows(t, first.Rows, third.Rows)
	t.Logf("damaged cache: %s", third.Cache.Rebuilt)

	// Refresh proves again and compares with what the cache held.
	fourth, err := l.All(ctx, history.Query{Address: s.alice, FromHeight: s.from + 1, ToHeight: s.to, Refresh: true})
	if err != nil {
		t.Fatal(err)
	}
	if fourth.Cache.ProvenNow != len(s.txs) || len(fourth.Cache.Mismatches) != 0 {
		t.Fatalf("refresh: %+v", fourth.Cache)
	}
}

func total(m map[string]int64) int64 {
	var n int64
	for _, v := range m {
		n += v
	}
	return n
}

func sameRows(t *testing.T, a, b []history.Row) {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("%d rows, then %d", len(a), len(b))
	}
	for i := range a {
		if a[i].Hash != b[i].Hash || a[i].Code != b[i].Code || !a[i].Time.Equal(b[i].Time) || kinds(a[i].Movements) != kinds(b[i].Movements) || a[i].HeaderHash != b[i].HeaderHash {
			t.Fatalf("row %d differs:\n%+v\n%+v", i, a[i], b[i])
		}
	}
}

// Time bounds select by the verified headers' times.
func TestSinceUntil(t *testing.T) {
	s := theScenario(t)
	ctx := testctx.New(t)
	l, err := history.New(s.lc, nil)
	if err != nil {
		t.Fatal(err)
	}
	all, err := l.All(ctx, history.Query{Address: s.alice, FromHeight: s.from + 1, ToHeight: s.to})
	if err != nil {
		t.Fatal(err)
	}
	// From the second transaction's time to the second-to-last's.
	oldest := all.Rows[len(all.Rows)-1]
	second, last := all.Rows[len(all.Rows)-2], all.Rows[0]
	page, err := l.All(ctx, history.Query{Address: s.alice, Since: second.Time, Until: all.Rows[1].Time})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range page.Rows {
		if r.Hash == oldest.Hash || r.Hash == last.Hash {
			t.Fatalf("row %s at %s is outside %s..%s", r.Hash, r.Time, second.Time, all.Rows[1].Time)
		}
	}
	if len(page.Rows) != len(all.Rows)-2 {
		t.Fatalf("%d rows between the times, want %d (range %v)", len(page.Rows), len(all.Rows)-2, page.Range)
	}
}

// A node that lies in its index: a transaction placed in a block that does
// not hold it, and results it did not have. Those rows are refused as
// unproven; the others are shown proven.
func TestLyingIndex(t *testing.T) {
	s := theScenario(t)
	ctx := testctx.New(t)
	n := devnettest.Get(t)
	p, err := rpcproxy.New(n.RPC()[0])
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	byWhat := map[string]did{}
	for _, d := range s.txs {
		byWhat[d.what] = d
	}
	moved, fails, succeeds := byWhat["send"], byWhat["failed vote"], byWhat["claim"]
	p.Handle("tx_search", func(_ rpcproxy.Call, resp *rpcproxy.Response) {
		var res searchResult
		if err := resp.DecodeResult(&res); err != nil {
			t.Error(err)
			return
		}
		for _, tx := range res.Txs {
			switch tx.Hash.String() {
			case moved.hash:
				tx.Height-- // in a block that does not hold it
			case fails.hash:
				tx.TxResult.Code = 0 // a failure reported as success
			case succeeds.hash:
				tx.TxResult.Code = 5 // a success reported as failure
			}
		}
		if err := resp.EncodeResult(&res); err != nil {
			t.Error(err)
		}
	})
	l, err := history.New(s.lc, client(t, p.URL()))
	if err != nil {
		t.Fatal(err)
	}
	page, err := l.All(ctx, history.Query{Address: s.alice, FromHeight: s.from + 1, ToHeight: s.to})
	if err != nil {
		t.Fatal(err)
	}
	if page.Refused != 3 || len(page.Rows) != len(s.txs) {
		t.Fatalf("%d rows, %d refused", len(page.Rows), page.Refused)
	}
	for _, r := range page.Rows {
		switch r.Hash {
		case moved.hash, fails.hash, succeeds.hash:
			if r.Status != history.Refused || r.Verified || r.Reason == "" || len(r.Movements) != 0 {
				t.Fatalf("a lie was not refused: %+v", r)
			}
			t.Logf("refused %s: %s", r.Hash, r.Reason)
		default:
			if r.Status != history.Proven {
				t.Fatalf("an honest row was refused: %+v", r)
			}
		}
	}
	if !strings.Contains(refusal(page, moved.hash), "does not hold it") || !strings.Contains(refusal(page, fails.hash), "differs from the committed") {
		t.Fatalf("reasons: %q, %q", refusal(page, moved.hash), refusal(page, fails.hash))
	}
	// The export writes only what is proven.
	sum, err := history.WriteCSV(io.Discard, page.Rows, amount.Akash)
	if err != nil || len(sum.Refused) != 3 || sum.Transactions != len(s.txs)-3 {
		t.Fatalf("CSV of a lying node's rows: %+v %v", sum, err)
	}
}

func refusal(p *history.Page, hash string) string {
	for _, r := range p.Rows {
		if r.Hash == hash {
			return r.Reason
		}
	}
	return ""
}

// A node with its index turned off: the exact error CometBFT gives, typed
// with a hint.
func TestIndexDisabled(t *testing.T) {
	s := theScenario(t)
	ctx := testctx.New(t)
	n := devnettest.Get(t)
	raw := client(t, n.RPC()[unindexed])
	_, err := raw.TxSearch(ctx, "tx.height>0", false, nil, nil, "")
	if err == nil || !strings.Contains(err.Error(), history.IndexDisabledMessage) {
		t.Fatalf("the node with indexer = \"null\" answered tx_search with %v", err)
	}
	l, err := history.New(s.lc, raw)
	if err != nil {
		t.Fatal(err)
	}
	_, err = l.List(ctx, history.Query{Address: s.alice, ToHeight: s.to})
	var off *history.ErrIndexDisabled
	if !errors.As(err, &off) || off.Node != n.RPC()[unindexed] {
		t.Fatalf("got %v", err)
	}
	if errkind.KindOf(err) != errkind.Failure || !strings.Contains(errkind.HintOf(err).String(), "node that indexes") {
		t.Fatalf("kind %v, hint %q", errkind.KindOf(err), errkind.HintOf(err).String())
	}
	t.Logf("error: %v\nhint: %s", err, errkind.HintOf(err).String())
}

// A node pruned below the range, or one that discards block results: the
// answers CometBFT gives then, and a typed error with a hint.
func TestPrunedNode(t *testing.T) {
	s := theScenario(t)
	ctx := testctx.New(t)
	n := devnettest.Get(t)
	p, err := rpcproxy.New(n.RPC()[0])
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	l, err := history.New(s.lc, client(t, p.URL()))
	if err != nil {
		t.Fatal(err)
	}
	lowest := s.to + 100
	for _, tc := range []struct {
		method, data string
		check        func(*history.ErrPruned) bool
	}{
		{"block", "height %d is not available, lowest height is " + itoa(lowest), func(e *history.ErrPruned) bool { return e.Lowest == lowest && e.What == "block" }},
		{"block_results", "could not find results for height #%d", func(e *history.ErrPruned) bool { return e.Discarded }},
	} {
		p.Handle(tc.method, func(c rpcproxy.Call, resp *rpcproxy.Response) {
			resp.Error = &rpcproxy.RPCError{Code: -32603, Message: "Internal error", Data: strings.Replace(tc.data, "%d", "1", 1)}
		})
		_, err = l.All(ctx, history.Query{Address: s.alice, FromHeight: s.from + 1, ToHeight: s.to})
		p.Handle(tc.method, nil)
		var pr *history.ErrPruned
		if !errors.As(err, &pr) || !tc.check(pr) {
			t.Fatalf("%s pruned: got %v", tc.method, err)
		}
		if errkind.KindOf(err) != errkind.Verification || errkind.HintOf(err).String() == "" {
			t.Fatalf("kind %v, hint %q", errkind.KindOf(err), errkind.HintOf(err).String())
		}
		t.Logf("%s: %v\nhint: %s", tc.method, err, errkind.HintOf(err).String())
	}
}

func itoa(n int64) string { return sdkmath.NewInt(n).String() }
