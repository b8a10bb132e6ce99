package proxy

import (
	"context"
	"errors"
	"fmt"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/lightclient"
	"github.com/akash-wallet/akw/lightclient/state"
)

// Outcome is what the proxy did with one call. Every call's log line and
// the X-Akw-Outcome header name it.
type Outcome string

const (
	// Verified: every value in the answer is proven against a verified
	// header.
	Verified Outcome = "verified"
	// Labelled: the answer is verified except for parts that cannot be,
	// which are named in X-Akw-Unverified (a transaction's log and
	// events, a search's list).
	Labelled Outcome = "verified+node-reported"
	// Forwarded: the node's answer, passed on unchecked (broadcasts,
	// simulation, and with --allow-unverified anything else); marked in
	// X-Akw-Unverified.
	Forwarded Outcome = "forwarded"
	// Refused: the proxy cannot verify what was asked, and did not ask.
	Refused Outcome = "refused"
	// Failed: the node's answer did not check out; nothing of it was
	// passed on.
	Failed Outcome = "verification-failed"
	// Unavailable: no node answered in time.
	Unavailable Outcome = "unavailable"
	// Invalid: the request itself was malformed.
	Invalid Outcome = "invalid"
	// Local: answered by the proxy about itself (health).
	Local Outcome = "local"
	// Skipped: a notification (a call without an id), which a node
	// neither runs nor answers.
	Skipped Outcome = "skipped"
)

// JSON-RPC error codes of the proxy's own refusals, in the range the
// JSON-RPC spec leaves to servers. A node's own errors (a height above
// its newest, a transaction it does not know) keep a node's code.
const (
	CodeRefused      = -32001 // cannot be verified; nothing was asked
	CodeVerification = -32002 // the node's answer did not check out
	CodeUnavailable  = -32003 // no node answered in time
	CodeBusy         = -32004 // too many requests in flight
)

// callError is a call's error as the client sees it: a JSON-RPC error
// object whose data says what went wrong and what to do.
type callError struct {
	code    int
	message string // short, fixed per kind
	reason  string
	hint    string
	outcome Outcome
	err     error // the cause, for the log
}

func (e *callError) Error() string {
	if e.hint == "" {
		return e.reason
	}
	return e.reason + " (hint: " + e.hint + ")"
}

func (e *callError) Unwrap() error { return e.err }

// refuse: akw cannot prove the answer to what was asked.
func refuse(reason, hint string) *callError {
	if hint == "" {
		hint = "ask the node itself if you accept its word, or run akw proxy with --allow-unverified, which forwards and marks such answers"
	}
	return &callError{code: CodeRefused, message: "not verifiable", reason: reason, hint: hint, outcome: Refused}
}

// invalid: the request is malformed; a node would refuse it too. Its
// message is the one a node gives (cometbft's -32602).
func invalid(format string, args ...any) *callError {
	return &callError{code: -32602, message: "Invalid params", reason: fmt.Sprintf(format, args...), outcome: Invalid}
}

// nodeSays is an error the node itself returned (or one the proxy
// returns exactly as a node would, such as a height above the newest):
// cometbft's -32603 with the node's text.
func nodeSays(err error) *callError {
	return &callError{code: -32603, message: "Internal error", reason: err.Error(), outcome: Invalid, err: err}
}

// classify turns an error from the light client, the proof checks or the
// node into what the client is told.
func classify(what string, err error) *callError {
	var ce *callError
	if errors.As(err, &ce) {
		return ce
	}
	var tooHigh *lightclient.ErrHeightTooHigh
	if errors.As(err, &tooHigh) {
		return &callError{code: -32603, message: "Internal error", outcome: Invalid, err: err,
			reason: fmt.Sprintf("height %d is above the newest block the nodes have", tooHigh.Height)}
	}
	hint := errkind.HintOf(err).String()
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return &callError{code: CodeUnavailable, message: "node unavailable", outcome: Unavailable, err: err,
			reason: what + ": no answer in time: " + err.Error(), hint: "the nodes are slow or unreachable; retry, or check akw's --node and --witness"}
	}
	switch errkind.KindOf(err) {
	case errkind.Verification:
		if hint == "" {
			hint = "nothing from the node's answer was passed on; check the node, or use another --node"
		}
		return &callError{code: CodeVerification, message: "verification failed", outcome: Failed, err: err,
			reason: what + ": " + err.Error(), hint: hint}
	case errkind.Network, errkind.Unproven:
		if hint == "" {
			hint = "check akw's --node and --witness"
		}
		return &callError{code: CodeUnavailable, message: "node unavailable", outcome: Unavailable, err: err,
			reason: what + ": " + err.Error(), hint: hint}
	}
	var busy *lightclient.ErrStoreBusy
	if errors.As(err, &busy) {
		// No node was asked and nothing failed to verify: another akw
		// process holds the store.
		return &callError{code: CodeUnavailable, message: "light-client store busy", outcome: Unavailable, err: err,
			reason: what + ": " + err.Error(), hint: "another akw process on the same --home holds the store (a transaction waiting for inclusion); retry in a few seconds"}
	}
	var tooEarly *state.ErrTooEarly
	if errors.As(err, &tooEarly) {
		return &callError{code: CodeUnavailable, message: "node unavailable", outcome: Unavailable, err: err,
			reason: what + ": " + err.Error(), hint: tooEarly.Hint()}
	}
	return &callError{code: CodeVerification, message: "verification failed", outcome: Failed, err: err,
		reason: what + ": " + err.Error(), hint: hintOr(hint, "nothing unverified was passed on")}
}

func hintOr(h, fallback string) string {
	if h != "" {
		return h
	}
	return fallback
}

// errPanic is a panic recovered while checking or building an answer:
// whatever a node sends, the proxy lives on and refuses the answer.
type errPanic struct{ value any }

func (e *errPanic) Error() string {
	return fmt.Sprintf("checking the answer stopped on a value it cannot handle: %v", e.value)
}

// Kind makes a recovered panic a verification failure.
func (e *errPanic) Kind() errkind.Kind { return errkind.Verification }

// guarded runs fn, turning a panic into errPanic.
func guarded[T any](fn func() (T, error)) (out T, err error) {
	defer func() {
		if r := recover(); r != nil {
			var zero T
			out, err = zero, &errPanic{value: r}
		}
	}()
	return fn()
}

// verificationError is a node's answer that does not match what akw
// verified: a verification failure (CodeVerification).
type verificationError string

func (e verificationError) Error() string      { return string(e) }
func (e verificationError) Kind() errkind.Kind { return errkind.Verification }

// errVerification is wrapped by every mismatch the proxy finds itself.
var errVerification error = verificationError("the node's answer does not match what akw verified")
