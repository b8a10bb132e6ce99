package proof

import (
	"errors"
	"fmt"

	"github.com/akash-wallet/akw/errkind"
)

// ErrVerification is wrapped by every error in this package that means
// "the node's answer did not check out". Callers map it to exit code 3 and
// must show no value from the answer.
var ErrVerification = errors.New("verification failed")

// ErrNoProof: the node answered without proof operations.
type ErrNoProof struct{ Store string }

func (e ErrNoProof) Error() string {
	return fmt.Sprintf("node answered the %s query without a proof", e.Store)
}
func (e ErrNoProof) Unwrap() error { return ErrVerification }

// ErrWrongKey: the node answered about a key other than the one asked for.
type ErrWrongKey struct{ Want, Got []byte }

func (e ErrWrongKey) Error() string {
	return fmt.Sprintf("node answered for key %X, asked for %X", e.Got, e.Want)
}
func (e ErrWrongKey) Unwrap() error { return ErrVerification }

// ErrWrongHeight: the node answered at a height other than the one asked for.
type ErrWrongHeight struct{ Want, Got int64 }

func (e ErrWrongHeight) Error() string {
	return fmt.Sprintf("node answered at height %d, asked for height %d", e.Got, e.Want)
}
func (e ErrWrongHeight) Unwrap() error { return ErrVerification }

// ErrQueryFailed: the node returned an error code instead of an answer, so
// nothing could be proven (a pruned height is the common cause).
type ErrQueryFailed struct {
	Code      uint32
	Codespace string
	Log       string
}

func (e ErrQueryFailed) Error() string {
	return fmt.Sprintf("node could not answer the query (code %d %s): %s", e.Code, e.Codespace, e.Log)
}
func (e ErrQueryFailed) Unwrap() error { return ErrVerification }

// ErrUnexpectedProof: the proof is not the two-operation ICS23 chain the
// Cosmos SDK produces (module store, then multistore).
type ErrUnexpectedProof struct{ Reason string }

func (e ErrUnexpectedProof) Error() string { return "unexpected proof shape: " + e.Reason }
func (e ErrUnexpectedProof) Unwrap() error { return ErrVerification }

// ErrValueMismatch: the value in the answer is not the value the proof
// commits to.
type ErrValueMismatch struct{ Key []byte }

func (e ErrValueMismatch) Error() string {
	return fmt.Sprintf("value for key %X does not match its proof", e.Key)
}
func (e ErrValueMismatch) Unwrap() error { return ErrVerification }

// ErrBadProof: the proof does not lead from the key to the verified app hash.
type ErrBadProof struct {
	Key []byte
	Err error
}

func (e ErrBadProof) Error() string {
	return fmt.Sprintf("proof for key %X does not verify against the app hash: %v", e.Key, e.Err)
}
func (e ErrBadProof) Unwrap() []error { return []error{ErrVerification, e.Err} }

// ErrMalformedProof: checking the proof made the proof code (ics23, the
// SDK's proof runtime) panic. Only a malformed proof can do that; it is
// refused like any other proof that does not verify.
type ErrMalformedProof struct {
	Store  string
	Key    []byte
	Height int64
	Panic  string // what the proof code said when it gave up
}

func (e ErrMalformedProof) Error() string {
	return fmt.Sprintf("proof for key %X in store %s at height %d is malformed (the proof checker failed on it: %s)",
		e.Key, e.Store, e.Height, e.Panic)
}
func (e ErrMalformedProof) Unwrap() error { return ErrVerification }

// ErrIncomplete: a range walk did not reach its end within its limit, so the
// list cannot be shown as complete.
type ErrIncomplete struct {
	Prefix []byte
	Limit  int
}

func (e ErrIncomplete) Error() string {
	return fmt.Sprintf("range %X has more than %d entries; not proven complete", e.Prefix, e.Limit)
}
func (e ErrIncomplete) Unwrap() error { return ErrVerification }

// Kind places ErrNoProof with the failures that exit 3.
func (e ErrNoProof) Kind() errkind.Kind { return errkind.Verification }

// Kind places ErrWrongKey with the failures that exit 3.
func (e ErrWrongKey) Kind() errkind.Kind { return errkind.Verification }

// Kind places ErrWrongHeight with the failures that exit 3.
func (e ErrWrongHeight) Kind() errkind.Kind { return errkind.Verification }

// Kind places ErrQueryFailed with the failures that exit 3.
func (e ErrQueryFailed) Kind() errkind.Kind { return errkind.Verification }

// Kind places ErrUnexpectedProof with the failures that exit 3.
func (e ErrUnexpectedProof) Kind() errkind.Kind { return errkind.Verification }

// Kind places ErrValueMismatch with the failures that exit 3.
func (e ErrValueMismatch) Kind() errkind.Kind { return errkind.Verification }

// Kind places ErrBadProof with the failures that exit 3.
func (e ErrBadProof) Kind() errkind.Kind { return errkind.Verification }

// Kind places ErrMalformedProof with the failures that exit 3.
func (e ErrMalformedProof) Kind() errkind.Kind { return errkind.Verification }

// Kind places ErrIncomplete with the failures that exit 3.
func (e ErrIncomplete) Kind() errkind.Kind { return errkind.Verification }

// Kind places ErrStoreNotProvenAbsent with the failures that exit 3.
func (e ErrStoreNotProvenAbsent) Kind() errkind.Kind { return errkind.Verification }
