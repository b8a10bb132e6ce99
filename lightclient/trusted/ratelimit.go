package trusted

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/akash-wallet/akw/errkind"
)

// Public endpoints sit behind rate limiters that answer HTTP 429 Too Many
// Requests, often with Retry-After; a node in maintenance answers 503
// Service Unavailable with Retry-After. Neither is an answer: cometbft's
// RPC client would try to read the body as JSON-RPC and fail with a
// malformed-answer error, which makes a throttled node look broken. Every
// request akw sends to a node goes through this transport instead: it
// waits as asked and sends the request again, a few times, then gives up
// with ErrRateLimited (network, exit 5), so the light client moves to a
// witness and the user is told which node limited akw.

const (
	// rateLimitTries is how many times a throttled request is sent again.
	rateLimitTries = 3
	// maxRetryAfter bounds one wait: a node asking for longer is given
	// up on at once (a witness will do), not waited for.
	maxRetryAfter = 30 * time.Second
	// backoffBase is the first wait when the node does not say how long
	// (then 2x, 4x).
	backoffBase = 250 * time.Millisecond
	// limitedFor is how long a node that kept refusing is not asked
	// again (as a dead node, markDead): the rest of a command; a
	// long-lived session (the TUI) asks it again after that.
	limitedFor = time.Minute
)

// retryTransport sends requests through next and retries those a node
// throttled (429, or 503 with Retry-After).
type retryTransport struct {
	next http.RoundTripper
	node string // the node's URL, redacted, for errors
	// waitFor waits d or until ctx ends (a timer; a test may replace it).
	waitFor func(ctx context.Context, d time.Duration) error
	now     func() time.Time // for Retry-After as an HTTP date
	tries   int
	maxWait time.Duration
	base    time.Duration
	// throttled counts the throttled answers seen.
	throttled atomic.Int64
}

func newRetryTransport(next http.RoundTripper, node string) *retryTransport {
	return &retryTransport{next: next, node: node, waitFor: sleepCtx, now: time.Now,
		tries: rateLimitTries, maxWait: maxRetryAfter, base: backoffBase}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// RoundTrip implements http.RoundTripper. A throttled request is sent again
// only if its body can be replayed (GetBody): cometbft's client builds its
// requests from byte buffers, which can.
//
// Every request is also marked idempotent for Go's transport (an
// Idempotency-Key header with no value, which is not sent): a node closes
// an idle keep-alive connection after its idle timeout (CometBFT's RPC
// server: its read timeout, 10 s), and a request that goes out on such a
// connection just as it closes gets EOF. Go sends a request again on a
// new connection then only if it is marked so (POST is not, by default).
// Reads are marked; a broadcast is not: akw sends a signed transaction
// once, and when the connection drops before the answer it looks the
// transaction up by its hash (tx/broadcast), so that the user is told
// exactly what was sent.
func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if _, marked := req.Header["Idempotency-Key"]; !marked && !isBroadcast(req) {
		req = req.Clone(ctx)
		req.Header["Idempotency-Key"] = nil
	}
	for attempt := 0; ; attempt++ {
		resp, err := t.next.RoundTrip(req)
		if err != nil || !isThrottled(resp) {
			return resp, err
		}
		t.throttled.Add(1)
		wait, said := parseRetryAfter(resp.Header.Get("Retry-After"), t.now())
		if !said {
			wait = t.base << attempt
		}
		// Drain a little so the connection can be reused, then close.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		resp.Body.Close()
		gaveUp := &ErrRateLimited{Node: t.node, Status: resp.StatusCode, Tries: attempt + 1}
		if said {
			gaveUp.RetryAfter = wait
		}
		switch {
		case attempt >= t.tries:
			return nil, gaveUp
		case wait > t.maxWait:
			gaveUp.Reason = fmt.Sprintf("it asks to wait %s, more than akw waits (%s)", wait.Round(time.Second), t.maxWait)
			return nil, gaveUp
		}
		if dl, ok := ctx.Deadline(); ok && t.now().Add(wait).After(dl) {
			gaveUp.Reason = fmt.Sprintf("it asks to wait %s, past this request's deadline", wait.Round(time.Millisecond))
			return nil, gaveUp
		}
		next := req.Clone(ctx)
		if req.Body != nil && req.Body != http.NoBody {
			if req.GetBody == nil {
				gaveUp.Reason = "the request cannot be sent again"
				return nil, gaveUp
			}
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			next.Body = body
		}
		if err := t.waitFor(ctx, wait); err != nil {
			return nil, err
		}
		req = next
	}
}

// isBroadcast reports whether a JSON-RPC request (or a batch) carries a
// broadcast_tx method, or cannot be read to tell. A transaction's bytes
// travel base64-encoded, so the method name cannot appear inside them.
func isBroadcast(req *http.Request) bool {
	if req.Body == nil || req.Body == http.NoBody {
		return strings.Contains(req.URL.Path, "broadcast_tx")
	}
	if req.GetBody == nil {
		return true
	}
	body, err := req.GetBody()
	if err != nil {
		return true
	}
	defer body.Close()
	b, err := io.ReadAll(body)
	return err != nil || bytes.Contains(b, []byte("broadcast_tx"))
}

// isThrottled: 429, or 503 with a Retry-After header (a 503 without one is
// a node that is down, and fails as such).
func isThrottled(resp *http.Response) bool {
	return resp.StatusCode == http.StatusTooManyRequests ||
		(resp.StatusCode == http.StatusServiceUnavailable && resp.Header.Get("Retry-After") != "")
}

// parseRetryAfter reads a Retry-After header (RFC 9110 10.2.3): a number
// of seconds, or an HTTP date. It reports false when the header is absent
// or says neither; a date in the past is no wait.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseUint(v, 10, 32); err == nil {
		return time.Duration(secs) * time.Second, true
	}
	if at, err := http.ParseTime(v); err == nil {
		if d := at.Sub(now); d > 0 {
			return d, true
		}
		return 0, true
	}
	return 0, false
}

// ErrRateLimited means a node kept refusing akw's requests as too many
// (HTTP 429, or 503 with Retry-After) after akw waited as it asked, or
// asked for a wait akw does not make. Nothing it said was used.
type ErrRateLimited struct {
	Node       string
	Status     int           // the last HTTP status
	Tries      int           // requests sent
	RetryAfter time.Duration // what the node last asked for (0 if it did not say)
	Reason     string        // why akw stopped before its tries were used up
}

func (e *ErrRateLimited) Error() string {
	s := fmt.Sprintf("node %s rate-limited akw (HTTP %d %s", e.Node, e.Status, http.StatusText(e.Status))
	if e.RetryAfter > 0 {
		s += fmt.Sprintf(", Retry-After %s", e.RetryAfter.Round(time.Second))
	}
	s += fmt.Sprintf(") after %d requests", e.Tries)
	if e.Reason != "" {
		s += "; " + e.Reason
	}
	return s
}

func (e *ErrRateLimited) Kind() errkind.Kind { return errkind.Network }
func (e *ErrRateLimited) Hint() string {
	return "the node limits how often it answers; wait before retrying, or use a node of your own"
}
func (e *ErrRateLimited) Remedy() errkind.Remedy { return errkind.Remedy{Do: errkind.CheckNode} }

// deadKind is why a node was marked dead: it did not answer, or it kept
// rate-limiting akw.
func deadKind(reason error) errorKind {
	var limited *ErrRateLimited
	if errors.As(reason, &limited) {
		return kindRateLimited
	}
	return kindNetwork
}
