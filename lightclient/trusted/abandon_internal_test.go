package trusted

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/akash-wallet/akw/internal/testctx"
	"github.com/akash-wallet/akw/lightclient/trusted/trustedtest"
)

// A witness's fetch of a guessed height is abandoned when the primary
// refuses the guess; a caller that joined that fetch, or asks for the
// height after it, still gets the block once it is made. (The hedge of
// Newest meets this: its header refused above the primary's tip, the
// tip then reported at that very height, VerifiedAt asks the witnesses
// again.) It used to get the abandoned fetch's "no response", and the
// cross-check failed for want of a witness.
func TestAbandonedFetchIsAskedAgainByItsJoiners(t *testing.T) {
	// A wait for the block far longer than this test takes: the joiner
	// finds 42 by polling, once it is made.
	e, chain, srv := servedEndpoint(t, "abandon-1", 2*time.Minute)
	ctx := testctx.New(t)

	// The guess's witness copy of 42, held at the node before it
	// answers "not yet".
	release := srv.Hold()
	defer release()
	srv.ResetCounts()
	e.prefetch(42)
	for commits, _ := srv.Counts(); commits == 0; commits, _ = srv.Counts() {
		select {
		case <-ctx.Done():
			t.Fatal("the prefetch never reached the node")
		default:
			runtime.Gosched()
		}
	}
	// A caller joins it; the guess is refused and the fetch abandoned.
	joined := make(chan struct{})
	e.onRequest = func(*endpoint, int64) { close(joined) }
	type result struct {
		height int64
		err    error
	}
	got := make(chan result, 1)
	go func() {
		lb, err := e.LightBlock(ctx, 42)
		if err != nil {
			got <- result{err: err}
			return
		}
		got <- result{height: lb.Height}
	}()
	<-joined
	e.abandon(42)
	// The held request answers "not yet" (tip 40); once the joiner has
	// asked again (a second /commit, after that answer), block 42 is made.
	release()
	var r result
	for waiting := true; waiting; {
		select {
		case r = <-got:
			waiting = false
		case <-ctx.Done():
			t.Fatal("LightBlock(42) never returned")
		default:
			if commits, _ := srv.Counts(); commits >= 2 && chain.Tip() < 42 {
				chain.SetTip(42)
			}
			runtime.Gosched()
		}
	}
	if r.err != nil || r.height != 42 {
		t.Fatalf("LightBlock(42) after its fetch was abandoned: height %d, %v; want block 42", r.height, r.err)
	}
}

// servedEndpoint is an endpoint to a node serving a chain of 50 blocks
// whose tip is at 40, with NextBlockWait wait (negative: none).
func servedEndpoint(t *testing.T, chainID string, wait time.Duration) (*endpoint, *trustedtest.Chain, *trustedtest.Server) {
	t.Helper()
	chain := trustedtest.NewChain(trustedtest.ChainConfig{ChainID: chainID, Validators: 4, Blocks: 50, Interval: 6 * time.Second})
	chain.SetTip(40)
	srv, err := trustedtest.Serve(chain)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	base, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	e, err := newEndpoint(base, srv.URL(), chain.ChainID(), time.Minute, wait)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.close)
	return e, chain, srv
}
