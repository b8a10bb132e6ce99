package trusted

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/cometbft/cometbft/light/provider"
	rpctypes "github.com/cometbft/cometbft/rpc/jsonrpc/types"
)

// An endpoint's health: how its failures are classified and remembered
// (dead, demoted, a tip claimed too high), which decides whether the
// light client asks it again. provider.go fetches light blocks.

// classify maps an RPC call's error to the sentinel the light client
// understands, recording the real reason. ctx is the caller's context: if
// it is done, that is the caller's doing, not the node's.
func (e *endpoint) classify(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var limited *ErrRateLimited
	if errors.As(err, &limited) {
		// Throttled, and waited for as asked: a witness serves instead,
		// and the node is left alone for a while (limitedFor) rather
		// than have every later request wait its backoff again.
		e.markDeadFor(limited, limitedFor)
		return e.fail(ctx, kindRateLimited, limited, provider.ErrNoResponse)
	}
	var rpcErr *rpctypes.RPCError
	if errors.As(err, &rpcErr) {
		if m := rpcHeightPruned.FindStringSubmatch(rpcErr.Data); m != nil {
			return e.fail(ctx, kindPruned, fmt.Errorf("pruned: %s", rpcErr.Data), provider.ErrLightBlockNotFound)
		}
		if m := rpcHeightTooHigh.FindStringSubmatch(rpcErr.Data); m != nil {
			latest, _ := strconv.ParseInt(m[1], 10, 64)
			return e.fail(ctx, kindTooHigh, &tooHigh{latest: latest, text: rpcErr.Data}, provider.ErrHeightTooHigh)
		}
		// Any other error the node chose to send: it answered, but not
		// usefully. Not proof of malice, so the light client keeps it.
		return e.fail(ctx, kindRPC, rpcErr, provider.ErrNoResponse)
	}
	if isNetwork(err) {
		reason := unwrapNetwork(err)
		if unresponsive(err) {
			e.markDead(reason)
		}
		return e.fail(ctx, kindNetwork, reason, provider.ErrNoResponse)
	}
	// The node answered something that is not a well-formed JSON-RPC
	// response.
	return e.fail(ctx, kindBad, err, provider.ErrBadLightBlock{Reason: err})
}

// A failure is recorded where the work that will explain it reads it.
// The light client's operations (VerifiedAt, Update, Init's cross-check:
// one at a time, under Client.mu) read the endpoint's own record when
// they end (translate, noWitnesses, endOp's notices). Work beside them —
// a background fetch nobody has received yet (prefetch), and the guess's
// and the hedge's own requests (guess.go), which run while an operation
// does — records into a failureRec of its own, carried in its context,
// so that it cannot change what an operation it is no part of says: a
// hedge's "no block h+1 yet" turned a failure of header h into "above
// the newest block the nodes have", and its reset of the primary's
// record erased why the primary failed. A background fetch's failure
// becomes the endpoint's when a caller receives it (LightBlock).
type failureRec struct {
	mu     sync.Mutex
	kind   errorKind
	reason error
}

type failureRecKey struct{}

// withFailureRec makes the failures of requests made with ctx go to r.
func withFailureRec(ctx context.Context, r *failureRec) context.Context {
	return context.WithValue(ctx, failureRecKey{}, r)
}

func (r *failureRec) get() (errorKind, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.kind, r.reason
}

// fail records the failure where ctx says and returns ret.
func (e *endpoint) fail(ctx context.Context, kind errorKind, reason, ret error) error {
	e.record(ctx, kind, reason)
	return ret
}

func (e *endpoint) record(ctx context.Context, kind errorKind, reason error) {
	if r, ok := ctx.Value(failureRecKey{}).(*failureRec); ok {
		r.mu.Lock()
		r.kind, r.reason = kind, reason
		r.mu.Unlock()
		return
	}
	e.mu.Lock()
	e.lastErr, e.lastKind = reason, kind
	e.mu.Unlock()
}

// lastFailure is the failure recorded where ctx says.
func (e *endpoint) lastFailure(ctx context.Context) (errorKind, error) {
	if r, ok := ctx.Value(failureRecKey{}).(*failureRec); ok {
		return r.get()
	}
	return e.failure()
}

// deadFor is how long a node that timed out or refused a connection is
// not asked again. CometBFT's light client keeps a primary that gave
// ErrNoResponse as a witness (findNewPrimary with remove=false), so its
// fork detector asks the same stalled node again, and akw's own status
// probe would too: each another full timeout. Failing fast instead makes
// a stalled node cost one timeout per command. It is ample for any one
// command (a Ledger confirmation included); a long-lived client (the TUI)
// tries the node again after it. Only which node is asked changes:
// every header is still verified and cross-checked against the witnesses
// that answer, and with none left the operation fails as before.
const deadFor = 5 * time.Minute

// unresponsive reports whether err means the node did not answer at all
// (a timeout, or a connection it refused or that could not be made), as
// opposed to a connection that broke or an answer that was wrong: only
// then is asking it again within the same command a waste.
func unresponsive(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	var oe *net.OpError
	return errors.As(err, &oe) && oe.Op == "dial"
}

// markDead makes every request to the node fail at once for deadFor.
func (e *endpoint) markDead(reason error) { e.markDeadFor(reason, deadFor) }

func (e *endpoint) markDeadFor(reason error, d time.Duration) {
	e.mu.Lock()
	e.deadUntil, e.deadReason = time.Now().Add(d), reason
	e.mu.Unlock()
}

// checkDead fails a request before it is sent if the node is marked
// dead, recording the reason it was marked for (beginOp clears the
// failure record, so each operation sees why this node did not serve).
func (e *endpoint) checkDead(ctx context.Context) error {
	dead, reason := e.dead()
	if !dead {
		return nil
	}
	return e.fail(ctx, deadKind(reason), reason, provider.ErrNoResponse)
}

// demote marks the node as one that answered a query with a lie.
func (e *endpoint) demote() {
	e.mu.Lock()
	e.demoted = true
	e.mu.Unlock()
}

func (e *endpoint) isDemoted() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.demoted
}

// dead reports whether the node is marked dead now, and why.
func (e *endpoint) dead() (bool, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.deadReason != nil && time.Now().Before(e.deadUntil), e.deadReason
}

type tooHigh struct {
	latest int64
	text   string
}

func (t *tooHigh) Error() string { return t.text }

// tooHighLatest is the newest height the node named when it last said a
// height asked of it with ctx was above its chain (-1 if it did not).
func (e *endpoint) tooHighLatest(ctx context.Context) int64 {
	_, reason := e.lastFailure(ctx)
	if t, ok := reason.(*tooHigh); ok {
		return t.latest
	}
	return -1
}

// failure returns the last recorded failure, if any.
func (e *endpoint) failure() (errorKind, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.lastKind, e.lastErr
}

func (e *endpoint) resetFailure() {
	e.mu.Lock()
	e.lastErr, e.lastKind = nil, kindNone
	e.mu.Unlock()
}

// lastTip is the newest height the node said it has the last time it
// was asked for its newest block (0 if never).
func (e *endpoint) lastTip() int64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.tip
}

func (e *endpoint) servedHash(height int64) []byte {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.served[height]
}

func isNetwork(err error) bool {
	var ne net.Error
	var ue *url.Error
	var oe *net.OpError
	return errors.As(err, &ne) || errors.As(err, &ue) || errors.As(err, &oe) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, context.DeadlineExceeded)
}

// unwrapNetwork strips the RPC client's wrapping down to the url.Error's
// cause ("connection refused", "i/o timeout"), which is what a user needs.
func unwrapNetwork(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		var oe *net.OpError
		if errors.As(ue.Err, &oe) && oe.Err != nil {
			return oe.Err
		}
		return ue.Err
	}
	return err
}
