package state

import (
	"context"
	"errors"
	"fmt"
	"time"

	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/akash-wallet/akw/lightclient"
)

// guesser is what lightclient/trusted.Client offers for a newest state in
// one round trip: a predicted newest height, and the header at a guessed
// height without waiting for a block the primary does not have yet.
type guesser interface {
	PredictHeight(now time.Time) (int64, bool)
	VerifiedAtGuess(ctx context.Context, height int64) (*cmttypes.LightBlock, error)
}

// Newest runs read on a view of the newest state. When the headers can
// predict the newest height (lightclient/trusted: from the newest
// verified header's time and the measured block interval), the header at
// that height, its witnesses' copies and the proofs of the state below
// it are all asked for at once: one round trip. If the guess was ahead of
// the chain, read is run again on a view at the tip the primary named
// (LatestPipelined's second half: one more round trip, as many as
// LatestPipelined takes in all); a guess behind the chain gives state up
// to a block older than the newest, never older than the newest header
// already verified (the guess is never below it). Without a prediction
// it is LatestPipelined.
//
// read may be run twice; it must not show anything before it returns.
func (q *Querier) Newest(ctx context.Context, read func(*View) error) error {
	g, ok := q.headers.(guesser)
	if !ok || q.node != nil {
		return q.readPipelined(ctx, read)
	}
	h, ok := g.PredictHeight(q.now())
	if !ok || h < 3 || h < q.floor() {
		return q.readPipelined(ctx, read)
	}
	v := q.pipelinedAt(ctx, h, g.VerifiedAtGuess)
	v.guess = true
	err := read(v)
	var above *lightclient.ErrAboveTip
	if err == nil || !errors.As(err, &above) {
		return err
	}
	// The primary's tip is its own word, as /status would be: it only
	// chooses the height, and never one below the newest verified header.
	if above.Tip < 3 || above.Tip < q.floor() || above.Tip >= h {
		return q.readPipelined(ctx, read)
	}
	return read(q.pipelinedAt(ctx, above.Tip, q.headers.VerifiedAt))
}

func (q *Querier) readPipelined(ctx context.Context, read func(*View) error) error {
	v, err := q.LatestPipelined(ctx)
	if err != nil {
		return err
	}
	return read(v)
}

// pipelinedAt is a View of the state at h-1 whose header h is verified
// by verify while the view's proofs are fetched.
func (q *Querier) pipelinedAt(ctx context.Context, h int64, verify func(context.Context, int64) (*cmttypes.LightBlock, error)) *View {
	f := &headerFuture{done: make(chan struct{})}
	go func() {
		defer close(f.done)
		// This goroutine verifies what a node sent: a panic in it could
		// not be recovered by any caller and would end the process.
		defer func() {
			if r := recover(); r != nil {
				f.lb, f.err = nil, panicked(fmt.Sprintf("the header at height %d", h), r)
			}
		}()
		f.lb, f.err = verify(ctx, h)
		if f.err == nil && (f.lb == nil || f.lb.Height != h) {
			f.lb, f.err = nil, fmt.Errorf("light client returned header %v for height %d", f.lb, h)
		}
	}()
	return &View{q: q, height: h - 1, next: f}
}

// aboveTip is the header's error if the view rests on a guessed height
// the primary did not have: a refusal of the state below it is then
// because of the guess, and the caller asks again at the tip.
func (v *View) aboveTip(ctx context.Context) error {
	if !v.guess {
		return nil
	}
	_, err := v.header(ctx)
	var above *lightclient.ErrAboveTip
	if errors.As(err, &above) {
		return err
	}
	return nil
}
