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
	PredictNext(now time.Time) (height int64, next, ok bool)
	VerifiedAtGuess(ctx context.Context, height int64) (*cmttypes.LightBlock, error)
	// VerifiedIfServed: the hedge's header, from the primary's one
	// answer, without failover (the read at the tip has VerifiedAt's).
	VerifiedIfServed(ctx context.Context, height int64) (*cmttypes.LightBlock, error)
}

// Newest runs read on a view of the newest state. When the headers can
// predict the newest height (lightclient/trusted: from the newest
// verified header's time and the measured block interval), the header at
// that height, its witnesses' copies and the proofs of the state below
// it are all asked for at once: one round trip. If the guess was ahead of
// the chain, read is run again on a view at the tip the primary named
// (LatestPipelined's second half: one more round trip, as many as
// LatestPipelined takes in all; a third if that height was not there
// either, below). The primary's tip is asked for in the
// same round trip (/status, beside the header and the proofs): a guess
// behind it (a block the prediction did not count yet, a block interval
// measured in a slow spell, a store last brought up long ago) is read
// again at that tip, one more round trip, so that the state shown is the
// newest the primary can prove, and never older than the newest header
// already verified (the guess is never below it). When the block after
// the guess may be served already (the prediction's window), that
// header and the state below it are asked for in the same wave too
// (hedge.go): a tip one above the guess is then read in that wave. If no
// node holds the header Newest chose, or the state below it (the nodes
// are behind it), it is asked again as LatestPipelined asks it, which
// says so. Without a prediction it is LatestPipelined.
//
// read may be run more than once (at most three times); it must not show
// anything before it returns.
func (q *Querier) Newest(ctx context.Context, read func(*View) error) error {
	g, ok := q.headers.(guesser)
	if !ok || q.node != nil {
		return q.readPipelined(ctx, read)
	}
	h, next, ok := g.PredictNext(q.now())
	if !ok || h < 3 || h < q.floor() {
		return q.readPipelined(ctx, read)
	}
	// The guess's header stands only once the primary's tip, asked
	// beside it, is not above it: the state at h-1 stands on header h,
	// and with a tip above h newer state is provable (a block the
	// prediction did not count yet, one made while the guess was asked
	// for, a block interval measured in a slow spell). Not a block of
	// slack: a transaction just proven included in block T changes the
	// state at T, which header T+1 proves; a query after it must show it.
	// The header's refusal fails every proof read on it, so read fails
	// before it shows anything, and is run again at the tip.
	tip := q.primaryTip(ctx)
	// Its answer is waited for before Newest returns, whichever way it
	// goes (a refused guess reads on without it): the light client
	// checks the claim (a primary whose tip is below the verified header
	// is named, lagging or lying), and a one-shot command that exits
	// right after would cut it off unread. It came in the same round
	// trip as the guess's header, so this seldom waits.
	defer tip.wait(ctx)
	// The hedge: header h+1 and the state at h, asked beside the guess
	// while the tip is not known (hedge.go); nil outside the window.
	var hedge *headerFuture
	var ahead *shadow
	if next {
		hedge = q.verifyAsync(ctx, h+1, g.VerifiedIfServed)
		// The shadow's queries end with Newest: one still out when
		// the read has failed would reach a node the caller may since
		// have stopped trusting (a session demotes a primary whose
		// proof did not verify), and one nobody reads is a wasted call.
		sctx, cancel := context.WithCancel(ctx)
		defer cancel()
		ahead = newShadow(sctx, h)
		defer ahead.decide()
	}
	guessed := func(ctx context.Context, h int64) (*cmttypes.LightBlock, error) {
		lb, err := g.VerifiedAtGuess(ctx, h)
		if err != nil {
			return lb, err
		}
		select {
		case tip := <-tip.height:
			ahead.decide()
			if tip > h && tip >= q.floor() {
				return nil, &errBehindTip{Height: h, Tip: tip}
			}
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		return lb, nil
	}
	v := q.pipelinedAt(ctx, h, guessed)
	v.guess = true
	v.ahead = ahead
	err := read(v)
	ahead.decide()
	if notThere(err) {
		// No node holds the guessed header, or the state below it, so
		// the nodes are behind it (a guess is never below the verified
		// header). Asked as without a guess: the primary's /status names
		// a node behind the verified header (the light client's notice),
		// and one a block or two behind is waited for.
		return q.readPipelined(ctx, read)
	}
	var behind *errBehindTip
	if errors.As(err, &behind) {
		if hedge != nil && behind.Tip == h+1 {
			// The tip is the hedged header: its state's answers were
			// asked in the first wave and are kept.
			return q.orPipelined(ctx, read, read(&View{q: q, height: h, next: q.verifyAsync(ctx, h+1, hedged(hedge, q.headers.VerifiedAt)), kept: ahead}))
		}
		return q.orPipelined(ctx, read, read(q.pipelinedAt(ctx, behind.Tip, q.headers.VerifiedAt)))
	}
	var above *lightclient.ErrAboveTip
	if err == nil || !errors.As(err, &above) {
		return err
	}
	// The primary's tip is its own word, as /status would be: it only
	// chooses the height, and never one below the newest verified header.
	if above.Tip < 3 || above.Tip < q.floor() || above.Tip >= h {
		return q.readPipelined(ctx, read)
	}
	return q.orPipelined(ctx, read, read(q.pipelinedAt(ctx, above.Tip, q.headers.VerifiedAt)))
}

// notThere reports whether err says the nodes do not have a height that
// Newest chose (a guess, the hedged block, a tip taken from the primary's
// word): no node holds the state below its header (ErrUnavailable), or
// none served the header itself (the light client's ErrHeightTooHigh).
// The latter is also what a failed request of the guess's header comes to
// when every node then lacks it: a load balancer's backend that answered
// the guess and one behind it that was asked again, or a primary that
// failed the guess and is behind it.
func notThere(err error) bool {
	var unavailable *ErrUnavailable
	var tooHigh *lightclient.ErrHeightTooHigh
	return errors.As(err, &unavailable) || errors.As(err, &tooHigh)
}

// orPipelined is err, or if the nodes did not have the height Newest
// chose after all, read run at a height chosen as without a guess (the
// primary's /status, waiting for a node a block or two behind), whose
// answer stands: a height Newest guessed is never the reason it fails,
// though the tip the primary names may not be there either (a primary
// ahead of every witness, or lying), which is then said.
func (q *Querier) orPipelined(ctx context.Context, read func(*View) error, err error) error {
	if notThere(err) {
		return q.readPipelined(ctx, read)
	}
	return err
}

// errBehindTip refuses a guessed header below the primary's tip: the
// state it proves is not the newest. Newest reads again at the tip; the
// error never leaves it.
type errBehindTip struct{ Height, Tip int64 }

func (e *errBehindTip) Error() string {
	return fmt.Sprintf("guessed header %d is below the primary's tip %d", e.Height, e.Tip)
}

// primaryTip asks the primary for its newest height (/status, through the
// light client's endpoint where there is one) and delivers it on height,
// or 0 if it cannot say: without a tip, a guess stands, as it did before
// the tip was asked. The tip only chooses a height to read at; whatever
// is read there is proven like any other.
func (q *Querier) primaryTip(ctx context.Context) *tipAnswer {
	t := &tipAnswer{height: make(chan int64, 1), done: make(chan struct{})}
	p, ok := q.headers.(statusProber)
	if !ok {
		t.height <- 0
		close(t.done)
		return t
	}
	go func() {
		var tip int64
		// The answer is a node's: a panic decoding it must not end the
		// process (no caller could recover it in this goroutine).
		defer func() {
			_ = recover()
			t.height <- tip
			close(t.done)
		}()
		if st, err := p.PrimaryStatus(ctx); err == nil && st != nil {
			tip = st.SyncInfo.LatestBlockHeight
		}
	}()
	return t
}

// tipAnswer is the primary's tip, asked in the background.
type tipAnswer struct {
	height chan int64    // the tip, once (0: not known)
	done   chan struct{} // closed once the answer is in (and checked)
}

// wait returns once the answer is in, or ctx ends.
func (t *tipAnswer) wait(ctx context.Context) {
	select {
	case <-t.done:
	case <-ctx.Done():
	}
}

func (q *Querier) readPipelined(ctx context.Context, read func(*View) error) error {
	v, err := q.LatestPipelined(ctx)
	if err != nil {
		return err
	}
	return read(v)
}

// hedged verifies a header with the hedge's answer (the header asked for
// beside the guess), or, if that failed (the primary had not served it
// yet when asked, though its tip says it has it now), with verify.
func hedged(f *headerFuture, verify func(context.Context, int64) (*cmttypes.LightBlock, error)) func(context.Context, int64) (*cmttypes.LightBlock, error) {
	return func(ctx context.Context, h int64) (*cmttypes.LightBlock, error) {
		select {
		case <-f.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if f.err == nil {
			return f.lb, nil
		}
		return verify(ctx, h)
	}
}

// pipelinedAt is a View of the state at h-1 whose header h is verified
// by verify while the view's proofs are fetched.
func (q *Querier) pipelinedAt(ctx context.Context, h int64, verify func(context.Context, int64) (*cmttypes.LightBlock, error)) *View {
	return &View{q: q, height: h - 1, next: q.verifyAsync(ctx, h, verify)}
}

// verifyAsync verifies header h with verify in the background.
func (q *Querier) verifyAsync(ctx context.Context, h int64, verify func(context.Context, int64) (*cmttypes.LightBlock, error)) *headerFuture {
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
	return f
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
