// Package output renders akw's answers as text or JSON and turns errors
// into the documented exit codes, with a message and a hint for each.
package output

import (
	"errors"
	"fmt"

	"github.com/akash-wallet/akw/errkind"
)

// Code is a process exit code. The values are part of akw's command-line
// contract (README, "Exit codes"); never renumber them.
type Code int

const (
	OK           Code = 0   // success
	Failure      Code = 1   // anything not covered below
	Usage        Code = 2   // bad flags, arguments or input; nothing was done
	Verification Code = 3   // the node's answer did not check out, or could not be proven
	Rejected     Code = 4   // the chain rejected the transaction
	Network      Code = 5   // network unreachable or timed out
	Key          Code = 6   // key, keyring or Ledger error
	Cancelled    Code = 130 // the user cancelled (Ctrl-C, "no" at a prompt)
)

// String names the code as it appears in JSON errors.
func (c Code) String() string {
	switch c {
	case OK:
		return "ok"
	case Failure:
		return "failure"
	case Usage:
		return "usage"
	case Verification:
		return "verification_failed"
	case Rejected:
		return "tx_rejected"
	case Network:
		return "network"
	case Key:
		return "key"
	case Cancelled:
		return "cancelled"
	}
	return fmt.Sprintf("code_%d", int(c))
}

// Error is an error the user sees: what went wrong, how to fix it, and the
// exit code. Message and Hint must never contain secrets.
type Error struct {
	Code    Code
	Message string
	Hint    string
	Err     error // the cause, for errors.Is/As; not printed when Message is set
}

func (e *Error) Error() string {
	if e.Message != "" {
		return e.Message
	}
	if e.Err != nil {
		return e.Err.Error()
	}
	return e.Code.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Kind is the kind of error the code stands for, so that an *Error is
// one of errkind's like any other.
func (e *Error) Kind() errkind.Kind { return KindOfCode(e.Code) }

// CodeOf is the exit code of an error kind: the one place where akw's
// error taxonomy (errkind) becomes the command line's exit codes.
func CodeOf(k errkind.Kind) Code {
	switch k {
	case errkind.Usage:
		return Usage
	case errkind.Verification, errkind.Unproven:
		// The contract: 3 is "did not check out, or could not be proven".
		return Verification
	case errkind.Rejected:
		return Rejected
	case errkind.Network:
		return Network
	case errkind.Key:
		return Key
	case errkind.Cancelled:
		return Cancelled
	}
	return Failure
}

// KindOfCode is CodeOf backwards (OK and unknown codes are Failure).
func KindOfCode(c Code) errkind.Kind {
	for _, k := range []errkind.Kind{errkind.Usage, errkind.Verification, errkind.Rejected, errkind.Network, errkind.Key, errkind.Cancelled} {
		if CodeOf(k) == c {
			return k
		}
	}
	return errkind.Failure
}

// New returns an error with the given code, message and hint.
func New(code Code, message, hint string) *Error {
	return &Error{Code: code, Message: message, Hint: hint}
}

// Wrap attaches a code and a hint to err. The message is err's text unless
// message is given.
func Wrap(code Code, err error, message, hint string) *Error {
	if message == "" && err != nil {
		message = err.Error()
	}
	return &Error{Code: code, Message: message, Hint: hint, Err: err}
}

// Errorf builds an error of the given code from a format, with no hint.
func Errorf(code Code, format string, args ...any) *Error {
	err := fmt.Errorf(format, args...)
	return &Error{Code: code, Message: err.Error(), Err: errors.Unwrap(err)}
}

// UsageError is a bad flag, argument or input (exit 2).
func UsageError(message, hint string) *Error { return New(Usage, message, hint) }

// ExitCode maps any error to the exit code of the contract: the code of
// an *Error in its chain, else the code of its kind (errkind.KindOf).
func ExitCode(err error) Code {
	if err == nil {
		return OK
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeOf(errkind.KindOf(err))
}

// HintOf returns the hint carried by err, if any.
func HintOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Hint
	}
	return ""
}
