package tx

import (
	"errors"
	"fmt"
	"strings"
)

// Kind says whose fault an error is, so that the command line maps it to
// an exit code without knowing every type: the user's input (2), the
// chain's refusal (4), a proof that did not check out (3), the network (5),
// the key (6).
type Kind int

const (
	KindFailure      Kind = iota
	KindUsage             // bad input, nothing was signed
	KindRejected          // the chain refused, or would refuse, the transaction
	KindVerification      // a node's answer did not check out
	KindNetwork           // a node could not be reached
	KindKey               // key, keyring or Ledger
	KindCancelled         // the user said no
)

// Kinded is implemented by the typed errors of the tx packages.
type Kinded interface {
	error
	Kind() Kind
}

// KindOf returns the kind of the first error in err's chain that has one.
func KindOf(err error) Kind {
	var k Kinded
	if errors.As(err, &k) {
		return k.Kind()
	}
	return KindFailure
}

// HintOf returns the hint of the first error in err's chain that has one.
func HintOf(err error) string {
	var h interface{ Hint() string }
	if errors.As(err, &h) {
		return h.Hint()
	}
	return ""
}

// InputError is input refused before anything was signed: a bad amount,
// address, vote or flag combination.
type InputError struct {
	Err  error
	hint string
}

// Input wraps err as an input error; the hint is err's own when it has one.
func Input(err error, hint string) *InputError { return &InputError{Err: err, hint: hint} }

// Inputf makes an input error from a format.
func Inputf(hint, format string, args ...any) *InputError {
	return &InputError{Err: fmt.Errorf(format, args...), hint: hint}
}

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }
func (e *InputError) Kind() Kind    { return KindUsage }
func (e *InputError) Hint() string {
	if e.hint != "" {
		return e.hint
	}
	var h interface{ Hint() string }
	if errors.As(e.Err, &h) {
		return h.Hint()
	}
	return ""
}

// CheckError is a check against proven chain state that the transaction
// would fail: the chain would reject it, so akw does not sign it.
type CheckError struct {
	Check  string // "balance", "validator", "redelegation", "proposal", ...
	Reason string
	Fix    string
}

func (e *CheckError) Error() string { return e.Reason }
func (e *CheckError) Kind() Kind    { return KindRejected }
func (e *CheckError) Hint() string  { return e.Fix }

// Stage is where the chain refused a transaction.
type Stage string

const (
	StageSimulate Stage = "simulate" // the node's simulation failed
	StageCheckTx  Stage = "check"    // the mempool refused it (CheckTx)
	StageDeliver  Stage = "deliver"  // included in a block with a failing code
)

// RejectedError is the chain's refusal, with its own words.
type RejectedError struct {
	Stage     Stage
	Hash      string // empty for simulation
	Height    int64  // for StageDeliver
	Code      uint32
	Codespace string
	Log       string
	Verified  bool // StageDeliver: the failing code was proven
}

func (e *RejectedError) Error() string {
	var b strings.Builder
	switch e.Stage {
	case StageSimulate:
		b.WriteString("the chain would reject this transaction (simulation)")
	case StageCheckTx:
		b.WriteString("the node refused the transaction (CheckTx)")
	case StageDeliver:
		fmt.Fprintf(&b, "the transaction was included in block %d but failed", e.Height)
	}
	fmt.Fprintf(&b, ": code %d", e.Code)
	if e.Codespace != "" {
		fmt.Fprintf(&b, " (%s)", e.Codespace)
	}
	if e.Log != "" {
		b.WriteString(": " + e.Log)
	}
	if e.Hash != "" {
		b.WriteString("; txhash " + e.Hash)
	}
	return b.String()
}
func (e *RejectedError) Kind() Kind { return KindRejected }
func (e *RejectedError) Hint() string {
	switch {
	case e.Codespace == "sdk" && e.Code == 32, strings.Contains(e.Log, "account sequence mismatch"):
		return "the account sequence changed (another transaction from this key); check with `akw query account`, then sign again"
	case e.Codespace == "sdk" && e.Code == 13:
		return "the fee is too low for this node; raise --fees or --gas-prices"
	case e.Codespace == "sdk" && e.Code == 11:
		return "out of gas; use --gas auto or a larger --gas"
	case e.Codespace == "sdk" && e.Code == 5:
		return "insufficient funds; check `akw query balance`"
	case e.Stage == StageDeliver:
		return "the transaction is on chain with a failing code: its messages had no effect (the fee may still have been charged). Fix the cause, then build a new transaction"
	}
	return "nothing was changed on chain; fix the cause above, then build the transaction again"
}

// UnknownOutcomeError means akw cannot tell whether the transaction was
// accepted: the broadcast or the wait failed, and the lookup by hash did
// not settle it. Nothing is retried; the hash lets the user check later.
type UnknownOutcomeError struct {
	Hash    string
	Reason  error
	InPool  bool // the node still lists it in its mempool (node-reported)
	Network bool // the cause was the network
}

func (e *UnknownOutcomeError) Error() string {
	s := "the outcome of transaction " + e.Hash + " is unknown: " + e.Reason.Error()
	if e.InPool {
		s += " (the node still lists it in its mempool)"
	}
	return s
}
func (e *UnknownOutcomeError) Unwrap() error { return e.Reason }
func (e *UnknownOutcomeError) Kind() Kind {
	if e.Network {
		return KindNetwork
	}
	return KindFailure
}
func (e *UnknownOutcomeError) Hint() string {
	return "do not sign it again yet: check it with `akw tx status " + e.Hash + "`; a second signature could move the funds twice"
}

// UnverifiedError means the transaction is reported included, but the
// report did not check out against the verified headers.
type UnverifiedError struct {
	Hash   string
	Height int64
	Reason error
}

func (e *UnverifiedError) Error() string {
	if e.Height == 0 {
		return fmt.Sprintf("the node's report on transaction %s could not be verified: %v", e.Hash, e.Reason)
	}
	return fmt.Sprintf("the node says transaction %s is in block %d, but that could not be verified: %v", e.Hash, e.Height, e.Reason)
}
func (e *UnverifiedError) Unwrap() error { return e.Reason }
func (e *UnverifiedError) Kind() Kind    { return KindVerification }
func (e *UnverifiedError) Hint() string {
	return "do not rely on this result; check it against another node with `akw --node URL tx status " + e.Hash + "`"
}

// KeyError is a problem with the signing key.
type KeyError struct {
	Key  string
	Err  error
	hint string
}

// NewKeyError wraps err as a key problem.
func NewKeyError(key string, err error, hint string) *KeyError {
	return &KeyError{Key: key, Err: err, hint: hint}
}

func (e *KeyError) Error() string {
	if e.Key == "" {
		return e.Err.Error()
	}
	return fmt.Sprintf("key %q: %v", e.Key, e.Err)
}
func (e *KeyError) Unwrap() error { return e.Err }
func (e *KeyError) Kind() Kind    { return KindKey }
func (e *KeyError) Hint() string  { return e.hint }
