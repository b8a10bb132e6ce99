package trusted

import (
	"context"
	"errors"
	"time"

	"github.com/cometbft/cometbft/light/provider"
	"github.com/cometbft/cometbft/types"

	"github.com/akash-wallet/akw/lightclient"
)

// A one-shot query of "the newest state" needs the newest header, whose
// height a node's /status would tell — one round trip before the header
// and the proofs can be asked for. PredictHeight guesses it from the
// store instead (the newest verified header's time and the block
// interval measured between it and the stored header below it), so that
// the header, the witnesses' copies and the proofs are all asked for at
// once. A guess decides only which header is verified, never whether it
// is: a wrong guess costs a round trip or a block of freshness, never
// correctness.

// PredictHeight is the height of the newest block the chain should have
// at now, from the newest verified header and the average block interval
// between it and the stored header below it; never below the newest
// verified header. ok is false when the store cannot tell (a single
// stored header, or times that do not increase).
func (c *Client) PredictHeight(now time.Time) (height int64, ok bool) {
	height, _, ok = c.PredictNext(now)
	return height, ok
}

// PredictNext is PredictHeight with its doubt: next is true when block
// height+1, not counted yet, may be served already — now is past the
// earliest a node serves it (an interval after its expected time: its
// commit is made about when the block after it is timed), so a query can
// ask for both heights at once (state.Querier.Newest's hedge). Outside
// that window the count is as sure as the measured interval makes it.
func (c *Client) PredictNext(now time.Time) (height int64, next, ok bool) {
	if err := c.store.acquire(); err != nil {
		return 0, false, false
	}
	defer c.store.release()
	newest, err := c.lastTrusted()
	if err != nil {
		return 0, false, false
	}
	prev, err := c.store.LightBlockBefore(newest.Height)
	if err != nil || prev == nil || prev.Height >= newest.Height || !prev.Time.Before(newest.Time) {
		return 0, false, false
	}
	interval := newest.Time.Sub(prev.Time) / time.Duration(newest.Height-prev.Height)
	if interval <= 0 {
		return 0, false, false
	}
	// A header's time is not when its block was made: CometBFT's BFT
	// time is the median of the precommits for the block before it, so
	// block H is committed about an interval after its own time, and a
	// node serves its /commit once it has saved it (measured on the
	// devnet: 1.2 to 1.5 intervals after the header's time). Block
	// newest+k's time is about k intervals after newest's. A block
	// counted as there when it is not costs a round trip (the guess is
	// refused); one not counted costs a block of freshness, never more
	// (the guess is never below the newest verified header). So block
	// newest+k is counted an interval and a half after its expected
	// time, and the count is rounded down.
	ahead := int64(0)
	if elapsed := now.Sub(newest.Time) - interval - interval/2; elapsed > 0 {
		ahead = int64(elapsed / interval)
	}
	// Block newest+ahead+1 is expected at (ahead+1) intervals after
	// newest's time, and served from an interval after that at the
	// earliest: the last half interval before it is counted.
	next = now.Sub(newest.Time) >= time.Duration(ahead+2)*interval
	return newest.Height + ahead, next, true
}

// VerifiedAtGuess is VerifiedAt for a height that was guessed: the
// primary is asked for the header at once, without waiting for a block it
// does not have yet (VerifiedAt waits a few seconds for a node a few
// blocks behind), and the witnesses are asked for theirs at the same
// time. If the primary does not have that height, the error is
// *lightclient.ErrAboveTip with the tip the primary claims, and nothing
// is held against the primary: the guess was wrong, not the node.
func (c *Client) VerifiedAtGuess(ctx context.Context, height int64) (*types.LightBlock, error) {
	return c.verifiedAtGuess(ctx, height, true)
}

// VerifiedIfServed is VerifiedAtGuess for a height asked for besides the
// guess (state.Querier.Newest's hedge): the header is the primary's
// answer to its one request, verified and cross-checked with the
// witnesses' copies asked for beside it, as VerifiedAt does. Where
// VerifiedAtGuess would go on with VerifiedAt's failover (a primary marked
// dead, a failed request, a block the primary does not have yet), it
// returns the error instead: a hedge must not make the light client
// switch primaries or wait for a block nobody may need.
func (c *Client) VerifiedIfServed(ctx context.Context, height int64) (*types.LightBlock, error) {
	return c.verifiedAtGuess(ctx, height, false)
}

func (c *Client) verifiedAtGuess(ctx context.Context, height int64, failover bool) (*types.LightBlock, error) {
	if height <= 0 {
		return c.VerifiedAt(ctx, height) // its error
	}
	if err := c.store.acquire(); err != nil {
		return nil, err
	}
	lb, err := c.store.LightBlock(height)
	c.store.release()
	if err == nil {
		return lb, nil
	}
	p := c.currentPrimary()
	dead, reason := p.dead()
	if dead && !failover {
		return nil, &lightclient.ErrUnreachable{Endpoints: []lightclient.Endpoint{{URL: p.url, Reason: describe(deadKind(reason), reason, nil)}}}
	}
	if !dead {
		c.prefetchOthers(p, height)
		// The guess's request runs beside the operations of other
		// callers (and the hedge's beside the guess's): its failure is
		// recorded for it alone, never in the primary's record that an
		// operation reads when it ends (failureRec).
		gctx := withFailureRec(context.WithValue(ctx, guessing{}, true), &failureRec{})
		lb, err := p.fetchOnce(gctx, height)
		switch {
		case errors.Is(err, provider.ErrHeightTooHigh):
			tip := p.tooHighLatest(gctx)
			if tip < 0 {
				tip = 0
			}
			// The witnesses' copies asked for above are not needed:
			// they stop waiting for the block (abandon), rather than
			// poll a public node until it is made.
			for _, e := range c.others(p) {
				e.abandon(height)
			}
			return nil, &lightclient.ErrAboveTip{Node: p.url, Height: height, Tip: tip}
		case err == nil:
			// Fetched, not trusted: VerifiedAt verifies it from the
			// store's header below and cross-checks it with the
			// witnesses' copies asked for above.
			p.mu.Lock()
			p.remember(lb)
			p.mu.Unlock()
		case !failover:
			for _, e := range c.others(p) {
				e.abandon(height)
			}
			return nil, err
		}
		// Any other failure: VerifiedAt asks again, with its failover.
	}
	return c.VerifiedAt(ctx, height)
}

// guessing marks the context of a request for a guessed height: the
// node's "not yet" is the answer (the guess was ahead), not a load
// balancer's backend to ask past (heldRetries), which would add round
// trips to every wrong guess.
type guessing struct{}

func heldRetriesFor(ctx context.Context) int {
	if ctx.Value(guessing{}) != nil {
		return 0
	}
	return heldRetries
}
