package trusted

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
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
		return e.fail(kindRateLimited, limited, provider.ErrNoResponse)
	}
	var rpcErr *rpctypes.RPCError
	if errors.As(err, &rpcErr) {
		if m := rpcHeightPruned.FindStringSubmatch(rpcErr.Data); m != nil {
			return e.fail(kindPruned, fmt.Errorf("pruned: %s", rpcErr.Data), provider.ErrLightBlockNotFound)
		}
		if m := rpcHeightTooHigh.FindStringSubmatch(rpcErr.Data); m != nil {
			latest, _ := strconv.ParseInt(m[1], 10, 64)
			e.mu.Lock()
			e.lastErr, e.lastKind = &tooHigh{latest: latest, text: rpcErr.Data}, kindTooHigh
			e.mu.Unlock()
			return provider.ErrHeightTooHigh
		}
		// Any other error the node chose to send: it answered, but not
		// usefully. Not proof of malice, so the light client keeps it.
		return e.fail(kindRPC, rpcErr, provider.ErrNoResponse)
	}
	if isNetwork(err) {
		reason := unwrapNetwork(err)
		if unresponsive(err) {
			e.markDead(reason)
		}
		return e.fail(kindNetwork, reason, provider.ErrNoResponse)
	}
	// The node answered something that is not a well-formed JSON-RPC
	// response.
	return e.fail(kindBad, err, provider.ErrBadLightBlock{Reason: err})
}

func (e *endpoint) fail(kind errorKind, reason, ret error) error {
	e.mu.Lock()
	e.lastErr, e.lastKind = reason, kind
	e.mu.Unlock()
	return ret
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
func (e *endpoint) checkDead() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.deadReason == nil || !time.Now().Before(e.deadUntil) {
		return nil
	}
	e.lastErr, e.lastKind = e.deadReason, deadKind(e.deadReason)
	return provider.ErrNoResponse
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

func (e *endpoint) tooHighLatest() int64 {
	if t, ok := e.lastErr.(*tooHigh); ok {
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
