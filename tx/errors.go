package tx

import (
	"fmt"
	"strings"

	"github.com/akash-wallet/akw/errkind"
)

// Every typed error of the tx packages says its kind (errkind: the
// user's input, the chain's refusal, a proof that did not check out, the
// network, the key) and what the user can do about it: a medium-neutral
// Hint and a typed Remedy that each face words for its medium.

// InputError is input refused before anything was signed: a bad amount,
// address, vote or flag combination.
type InputError struct {
	Err  error
	hint string
	then errkind.Remedy
}

// Input wraps err as an input error; with no hint of its own, err's own
// hint (errkind.HintOf) is the hint.
func Input(err error, hint string) *InputError { return &InputError{Err: err, hint: hint} }

// Inputf makes an input error from a format.
func Inputf(hint, format string, args ...any) *InputError {
	return &InputError{Err: fmt.Errorf(format, args...), hint: hint}
}

func (e *InputError) Error() string      { return e.Err.Error() }
func (e *InputError) Unwrap() error      { return e.Err }
func (e *InputError) Kind() errkind.Kind { return errkind.Usage }
func (e *InputError) Hint() string       { return e.hint }

// Remedy is the step InputThen named, if any.
func (e *InputError) Remedy() errkind.Remedy { return e.then }

// InputThen is Inputf with a remedy the faces word.
func InputThen(then errkind.Remedy, hint, format string, args ...any) *InputError {
	return &InputError{Err: fmt.Errorf(format, args...), hint: hint, then: then}
}

// CheckError is a check against proven chain state that the transaction
// would fail: the chain would reject it, so akw does not sign it.
type CheckError struct {
	Check  string // "balance", "validator", "redelegation", "proposal", ...
	Reason string
	Fix    string         // what to do, in words for any face
	Then   errkind.Remedy // the step to take, when a face can name it
}

func (e *CheckError) Error() string          { return e.Reason }
func (e *CheckError) Kind() errkind.Kind     { return errkind.Rejected }
func (e *CheckError) Hint() string           { return e.Fix }
func (e *CheckError) Remedy() errkind.Remedy { return e.Then }

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
func (e *RejectedError) Kind() errkind.Kind { return errkind.Rejected }
func (e *RejectedError) Hint() string {
	switch {
	case e.sequence():
		return "the account sequence changed (another transaction from this key)"
	case e.Codespace == "sdk" && e.Code == 13:
		return "the fee is too low for this node"
	case e.Codespace == "sdk" && e.Code == 11:
		return "out of gas"
	case e.Codespace == "sdk" && e.Code == 5:
		return "insufficient funds"
	case e.Stage == StageDeliver:
		return "the transaction is on chain with a failing code: its messages had no effect (the fee may still have been charged). Fix the cause, then build a new transaction"
	}
	return "nothing was changed on chain; fix the cause above, then build the transaction again"
}
func (e *RejectedError) Remedy() errkind.Remedy {
	switch {
	case e.sequence():
		return errkind.Remedy{Do: errkind.ShowAccount}
	case e.Codespace == "sdk" && e.Code == 13:
		return errkind.Remedy{Do: errkind.RaiseFee}
	case e.Codespace == "sdk" && e.Code == 11:
		return errkind.Remedy{Do: errkind.RaiseGas}
	case e.Codespace == "sdk" && e.Code == 5:
		return errkind.Remedy{Do: errkind.ShowBalance}
	}
	return errkind.Remedy{}
}

func (e *RejectedError) sequence() bool {
	return e.Codespace == "sdk" && e.Code == 32 || strings.Contains(e.Log, "account sequence mismatch")
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
func (e *UnknownOutcomeError) Kind() errkind.Kind {
	if e.Network {
		return errkind.Network
	}
	return errkind.Failure
}
func (e *UnknownOutcomeError) Hint() string {
	return "do not sign it again yet: a second signature could move the funds twice"
}
func (e *UnknownOutcomeError) Remedy() errkind.Remedy {
	return errkind.Remedy{Do: errkind.TxStatus, Subject: e.Hash}
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
func (e *UnverifiedError) Unwrap() error      { return e.Reason }
func (e *UnverifiedError) Kind() errkind.Kind { return errkind.Verification }
func (e *UnverifiedError) Hint() string       { return "do not rely on this result" }
func (e *UnverifiedError) Remedy() errkind.Remedy {
	return errkind.Remedy{Do: errkind.TxStatusElsewhere, Subject: e.Hash}
}

// KeyError is a problem with the signing key.
type KeyError struct {
	Key  string
	Err  error
	hint string
	// Then is the step to take, when a face can name it.
	Then errkind.Remedy
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
func (e *KeyError) Unwrap() error          { return e.Err }
func (e *KeyError) Kind() errkind.Kind     { return errkind.Key }
func (e *KeyError) Hint() string           { return e.hint }
func (e *KeyError) Remedy() errkind.Remedy { return e.Then }
