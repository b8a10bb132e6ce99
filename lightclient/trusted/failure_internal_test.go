package trusted

import (
	"errors"
	"testing"

	"github.com/cometbft/cometbft/light/provider"

	"github.com/akash-wallet/akw/internal/testctx"
)

// A node's failure is recorded for the work that asked: a background
// fetch's stays its own until a caller receives it, and a request made
// with a failureRec (the guess's, the hedge's) never reaches the
// endpoint's record, which the light client's operations read when they
// end. Before, a hedge's "no block h+1 yet", recorded while an operation
// on header h ran beside it, made that operation's failure read "above
// the newest block the nodes have" (a busy CI run, TestGrantsGovDevnet).
func TestFailureRecordedForItsCallerOnly(t *testing.T) {
	// No wait for a block the node does not have: "not yet" at once.
	e, _, _ := servedEndpoint(t, "record-1", -1)
	ctx := testctx.New(t)

	// A prefetch of a height above the node's tip fails in the
	// background: nobody asked for it yet, so nothing is recorded.
	e.prefetch(45)
	e.running.Wait()
	if kind, reason := e.failure(); kind != kindNone {
		t.Fatalf("a background fetch's failure was recorded before anyone received it: %v %v", kind, reason)
	}

	// A request with a record of its own (the guess's) records there.
	rec := &failureRec{}
	gctx := withFailureRec(ctx, rec)
	if _, err := e.fetchOnce(gctx, 46); !errors.Is(err, provider.ErrHeightTooHigh) {
		t.Fatalf("fetchOnce(46) = %v, want the node's 'not yet'", err)
	}
	if kind, _ := rec.get(); kind != kindTooHigh || e.tooHighLatest(gctx) != 40 {
		t.Fatalf("the request's own record: %v, tip %d; want too high, tip 40", kind, e.tooHighLatest(gctx))
	}
	if kind, reason := e.failure(); kind != kindNone {
		t.Fatalf("the guess's failure reached the endpoint's record: %v %v", kind, reason)
	}

	// A caller that receives a failure (the light client, in an
	// operation) has it recorded, so the operation can say why.
	if _, err := e.LightBlock(ctx, 45); !errors.Is(err, provider.ErrNoResponse) {
		t.Fatalf("LightBlock(45) = %v, want no response (the node has no block 45 yet)", err)
	}
	if kind, _ := e.failure(); kind != kindTooHigh || e.tooHighLatest(ctx) != 40 {
		t.Fatalf("after LightBlock(45) the record is %v, tip %d; want too high, tip 40", kind, e.tooHighLatest(ctx))
	}
}
