package trusted_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/akash-wallet/akw/lightclient"
	"github.com/akash-wallet/akw/lightclient/trusted"
	"github.com/akash-wallet/akw/lightclient/trusted/trustedtest"
)

// TestPredictHeight pins the height a one-shot query guesses (issue 14):
// block H's header time is the BFT time of the block before it, so a
// node serves H only about an interval after its time (on the devnet 1.2
// to 1.5 intervals). A guess counted as there before that is refused and
// costs a round trip; so block H is counted only an interval and a half
// after its expected time, and never below the newest verified header.
// In the half interval before that, H may be served already: the
// prediction says so (next), and a query asks for both.
func TestPredictHeight(t *testing.T) {
	const interval = 6 * time.Second
	chain := trustedtest.NewChain(trustedtest.ChainConfig{ChainID: chainID, Validators: 4, Blocks: 50, Interval: interval})
	n := &testNet{chain: chain, primary: serve(t, chain), witnesses: []*trustedtest.Server{serve(t, chain)}}
	chain.SetTip(40)
	c := initLatest(t, n.config(t.TempDir()))
	if _, ok := c.PredictHeight(time.Now()); ok {
		t.Fatal("a prediction from a single stored header: no interval to measure")
	}
	chain.SetTip(42)
	if _, err := c.VerifiedAt(context.Background(), 42); err != nil {
		t.Fatal(err)
	}
	t42 := chain.Header(42).Time
	for _, tc := range []struct {
		after time.Duration // since header 42's time
		want  int64
		next  bool // the block after want may be served: hedged
	}{
		{-time.Minute, 42, false}, // a clock behind: never below the verified header
		{0, 42, false},
		{interval, 42, false},                         // block 43's time: not served yet
		{interval*2 - time.Millisecond, 42, false},    // 43's time plus an interval, not quite
		{interval * 2, 42, true},                      // 43 may be served
		{interval*5/2 - time.Millisecond, 42, true},   // 43's time plus 1.5 intervals, not quite
		{interval * 5 / 2, 43, false},                 // 43 counted
		{interval*3 - time.Millisecond, 43, false},    // 44 not yet
		{interval * 3, 43, true},                      // 44 may be served
		{interval*7/2 - time.Millisecond, 43, true},   // 44 not counted yet
		{interval * 7 / 2, 44, false},                 //
		{interval*21/2 + time.Millisecond, 51, false}, // ten blocks on
	} {
		got, next, ok := c.PredictNext(t42.Add(tc.after))
		if !ok || got != tc.want || next != tc.next {
			t.Errorf("%v after header 42: predicted %d, next %v (%v), want %d, next %v", tc.after, got, next, ok, tc.want, tc.next)
		}
		if h, _ := c.PredictHeight(t42.Add(tc.after)); h != got {
			t.Errorf("%v after header 42: PredictHeight %d, PredictNext %d", tc.after, h, got)
		}
	}
}

// TestGuessAboveTipStopsWitnesses: a guessed height the primary refuses
// is above the chain's tip, and the witnesses' copies asked for beside it
// are not needed. A witness without the block stops waiting for it at
// once (issue 14): it used to poll it every 150 ms until NextBlockWait
// ran out, requests a public node counts against the client.
func TestGuessAboveTipStopsWitnesses(t *testing.T) {
	chain := trustedtest.NewChain(trustedtest.ChainConfig{ChainID: chainID, Validators: 4, Blocks: 50, Interval: 6 * time.Second})
	n := &testNet{chain: chain, primary: serve(t, chain), witnesses: []*trustedtest.Server{serve(t, chain), serve(t, chain)}}
	chain.SetTip(40)
	cfg := n.config(t.TempDir())
	cfg.NextBlockWait = 20 * time.Second // far more than one poll
	c := initLatest(t, cfg)
	// The witnesses answer only once the primary's refusal is in: their
	// first answer ("not yet") then finds the fetch abandoned.
	var releases []func()
	for _, w := range n.witnesses {
		w.ResetCounts()
		release := w.Hold()
		defer release()
		releases = append(releases, release)
	}
	_, err := c.VerifiedAtGuess(context.Background(), 42)
	var above *lightclient.ErrAboveTip
	if !errors.As(err, &above) || above.Tip != 40 {
		t.Fatalf("guess 42 with tip 40: %v, want ErrAboveTip naming 40", err)
	}
	for _, release := range releases {
		release()
	}
	trusted.WaitBackground(c)
	for i, w := range n.witnesses {
		if commits, _ := w.Counts(); commits != 1 {
			t.Errorf("witness %d was asked /commit %d times for a height above the tip, want 1", i, commits)
		}
	}
}

// TestVerifiedIfServed: the hedge's header (state.Querier.Newest) is the
// primary's one answer or an error; no failover to the witnesses, which
// VerifiedAtGuess does for the guess itself.
func TestVerifiedIfServed(t *testing.T) {
	chain := trustedtest.NewChain(trustedtest.ChainConfig{ChainID: chainID, Validators: 4, Blocks: 50, Interval: 6 * time.Second})
	n := &testNet{chain: chain, primary: serve(t, chain), witnesses: []*trustedtest.Server{serve(t, chain), serve(t, chain)}}
	chain.SetTip(40)
	c := initLatest(t, n.config(t.TempDir()))
	ctx := context.Background()
	chain.SetTip(42)
	if lb, err := c.VerifiedIfServed(ctx, 41); err != nil || lb.Height != 41 {
		t.Fatalf("height 41, served: %v, %v", lb, err)
	}
	n.primary.Lag(41)
	var above *lightclient.ErrAboveTip
	if _, err := c.VerifiedIfServed(ctx, 42); !errors.As(err, &above) || above.Tip != 41 {
		t.Fatalf("height 42 above the primary's tip 41: %v, want ErrAboveTip", err)
	}
	n.primary.Lag(0)
	n.primary.Close()
	if lb, err := c.VerifiedIfServed(ctx, 42); err == nil {
		t.Fatalf("height 42 with the primary gone: header %d from a witness, want the primary's error", lb.Height)
	}
	// The guess itself fails over: the witness serves it.
	if lb, err := c.VerifiedAtGuess(ctx, 42); err != nil || lb.Height != 42 {
		t.Fatalf("VerifiedAtGuess(42) with the primary gone: %v, %v", lb, err)
	}
}

// TestGuessFailuresStayTheirOwn: a guess or a hedge refused above every
// node's tip records nothing in the endpoints' own records, which the
// light client's operations read when they end: the hedge of Newest runs
// beside such an operation, and its "no block yet" from every node used
// to turn that operation's failure of any kind into "above the newest
// block the nodes have" (a busy CI run). Its witnesses' copies, asked in
// the background and abandoned, record nothing either.
func TestGuessFailuresStayTheirOwn(t *testing.T) {
	chain := trustedtest.NewChain(trustedtest.ChainConfig{ChainID: chainID, Validators: 4, Blocks: 50, Interval: 6 * time.Second})
	n := &testNet{chain: chain, primary: serve(t, chain), witnesses: []*trustedtest.Server{serve(t, chain), serve(t, chain)}}
	chain.SetTip(40)
	cfg := n.config(t.TempDir())
	cfg.NextBlockWait = -1 // no block is made: not waited for
	c := initLatest(t, cfg)
	ctx := context.Background()
	var above *lightclient.ErrAboveTip
	if _, err := c.VerifiedIfServed(ctx, 41); !errors.As(err, &above) {
		t.Fatalf("the hedge above every tip: %v, want ErrAboveTip", err)
	}
	if _, err := c.VerifiedAtGuess(ctx, 42); !errors.As(err, &above) || above.Tip != 40 {
		t.Fatalf("the guess above every tip: %v, want ErrAboveTip with tip 40", err)
	}
	trusted.WaitBackground(c)
	for i, k := range trusted.RecordedFailures(c) {
		if k != 0 {
			t.Fatalf("endpoint %d's own record holds failure kind %d after a refused guess and hedge; want none", i, k)
		}
	}
	// An operation still records why the nodes did not serve.
	if _, err := c.VerifiedAt(ctx, 41); err == nil {
		t.Fatal("VerifiedAt(41) above every tip succeeded")
	}
	recorded := 0
	for _, k := range trusted.RecordedFailures(c) {
		if k != 0 {
			recorded++
		}
	}
	if recorded == 0 {
		t.Fatal("VerifiedAt(41) failed and no endpoint recorded why")
	}
}
