package trusted_test

import (
	"context"
	"testing"
	"time"

	"github.com/akash-wallet/akw/lightclient/trusted/trustedtest"
)

// TestPredictHeight pins the height a one-shot query guesses (issue 14):
// block H's header time is the BFT time of the block before it, so a
// node serves H only about an interval after its time (on the devnet 1.2
// to 1.5 intervals). A guess counted as there before that is refused and
// costs a round trip; so block H is counted only an interval and a half
// after its expected time, and never below the newest verified header.
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
	}{
		{-time.Minute, 42}, // a clock behind: never below the verified header
		{0, 42},
		{interval, 42},                         // block 43's time: not served yet
		{interval*5/2 - time.Millisecond, 42},  // 43's time plus 1.5 intervals, not quite
		{interval * 5 / 2, 43},                 // 43 counted
		{interval*7/2 - time.Millisecond, 43},  // 44 not yet
		{interval * 7 / 2, 44},                 //
		{interval*21/2 + time.Millisecond, 51}, // ten blocks on
	} {
		got, ok := c.PredictHeight(t42.Add(tc.after))
		if !ok || got != tc.want {
			t.Errorf("%v after header 42: predicted %d (%v), want %d", tc.after, got, ok, tc.want)
		}
	}
}
