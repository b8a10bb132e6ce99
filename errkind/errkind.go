// Package errkind is akw's one error taxonomy, shared by the libraries and
// both faces (the command line and the TUI):
//
//   - a Kind says whose fault an error is — the user's input, a node's
//     answer that did not check out, the chain's refusal, the network, a
//     key, the user saying no — so that a face decides what to do with an
//     error (the command line: its exit code, mapped once in
//     internal/output; the TUI: the alarm, a plain message) without
//     knowing every error type;
//   - a Hint says what the user can do about it: a sentence that holds for
//     any face, and a typed Remedy that each face words for its medium —
//     the command line names a command or a flag, the TUI a key or a
//     screen. Library errors never name a command, flag, key or screen.
//
// It imports nothing of akw's, so that every package can use it;
// lightclient imports it and nothing else of akw's.
package errkind

import (
	"context"
	"errors"
	"net"
	"net/url"
	"syscall"
)

// Kind says whose fault an error is.
type Kind int

const (
	// Failure is anything not below: a broken local store, a bug.
	Failure Kind = iota
	// Usage is bad input: a flag, an argument, a file, a setting.
	// Nothing was done.
	Usage
	// Verification means a node's answer did not check out, or could not
	// be proven: nothing from it may be shown.
	Verification
	// Rejected means the chain refused, or would refuse, a transaction.
	Rejected
	// Network means a node could not be reached or did not answer in time.
	Network
	// Key is a key, keyring or Ledger problem.
	Key
	// Cancelled means the user stopped the operation or said no.
	Cancelled
	// Unproven means nothing could be proven because no node holds what
	// was asked (a pruned height; every node behind the verified header):
	// no answer failed to check out, so it is no alarm — yet nothing may
	// be shown either. The command line's contract gives it the exit code
	// of Verification (3: "could not be proven"); the faces word it as
	// what it is, not as an attack.
	Unproven
)

func (k Kind) String() string {
	switch k {
	case Usage:
		return "usage"
	case Verification:
		return "verification"
	case Rejected:
		return "rejected"
	case Network:
		return "network"
	case Key:
		return "key"
	case Cancelled:
		return "cancelled"
	case Unproven:
		return "unproven"
	}
	return "failure"
}

// Kinded is implemented by errors that know their kind.
type Kinded interface {
	error
	Kind() Kind
}

// KindOf says what kind of error err is:
//
//   - Cancelled when err is (or wraps) context.Canceled, whatever else
//     it says: the user stopped it, and what failed as a consequence
//     does not matter;
//   - else the kind of the first error in err's chain that says its own,
//     unless that is Failure;
//   - else Network for a deadline or an error that means a node could not
//     be reached (IsNetwork);
//   - else Failure (nil too).
func KindOf(err error) Kind {
	if err == nil {
		return Failure
	}
	if errors.Is(err, context.Canceled) {
		return Cancelled
	}
	var k Kinded
	if errors.As(err, &k) {
		if kind := k.Kind(); kind != Failure {
			return kind
		}
	}
	if errors.Is(err, context.DeadlineExceeded) || IsNetwork(err) {
		return Network
	}
	return Failure
}

// IsNetwork reports whether err means an endpoint could not be reached or
// did not answer in time, as opposed to answering wrongly or a local
// failure.
func IsNetwork(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EHOSTUNREACH) ||
		errors.Is(err, syscall.ENETUNREACH) {
		return true
	}
	// syscall.Errno has Timeout and Temporary methods, so every errno
	// (ENOENT from a missing file, EACCES) would pass for a net.Error;
	// the network ones were matched above, any other is local.
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return errno == syscall.ETIMEDOUT || errno == syscall.ECONNABORTED || errno == syscall.EPIPE
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return true
	}
	var de *net.DNSError
	return errors.As(err, &de)
}

// Error is an error with a kind and a hint, for code that needs no error
// type of its own.
type Error struct {
	K   Kind
	Err error
	H   Hint
}

// With gives err a kind and a hint.
func With(kind Kind, err error, h Hint) *Error { return &Error{K: kind, Err: err, H: h} }

func (e *Error) Error() string  { return e.Err.Error() }
func (e *Error) Unwrap() error  { return e.Err }
func (e *Error) Kind() Kind     { return e.K }
func (e *Error) Hint() string   { return e.H.Text }
func (e *Error) Remedy() Remedy { return e.H.Remedy }

// Default gives err the kind def when KindOf finds none: the errors of a
// keyring are key errors unless they say otherwise. It returns err itself
// when it has a kind already, and nil for nil.
func Default(err error, def Kind) error {
	if err == nil || KindOf(err) != Failure || def == Failure {
		return err
	}
	return &Error{K: def, Err: err}
}
