package state

import (
	"fmt"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/lightclient/proof"
)

// ErrNode means the node could not be asked: connection refused, timeout,
// or an RPC-level error. Nothing was proven or disproven.
type ErrNode struct {
	Op  string
	Err error
}

func (e *ErrNode) Error() string          { return fmt.Sprintf("%s: node did not answer: %v", e.Op, e.Err) }
func (e *ErrNode) Unwrap() error          { return e.Err }
func (e *ErrNode) Kind() errkind.Kind     { return errkind.Network }
func (e *ErrNode) Remedy() errkind.Remedy { return errkind.Remedy{Do: errkind.CheckNode} }

// ErrProof means a node's answer to one query did not check out against
// the verified header (or the node could not answer it at that height).
// It names the node and the query; Err is the proof package's reason,
// which wraps proof.ErrVerification.
type ErrProof struct {
	Node  string // the node's URL; empty when its client does not say
	Query proof.Query
	Err   error
}

func (e *ErrProof) Error() string {
	who := "the node"
	if e.Node != "" {
		who = "node " + e.Node
	}
	return fmt.Sprintf("answer of %s to abci_query %s at height %d: %v", who, e.Query.Path(), e.Query.Height, e.Err)
}
func (e *ErrProof) Unwrap() error { return e.Err }

// Kind is the reason's: verification for every proof.Err* type.
func (e *ErrProof) Kind() errkind.Kind { return errkind.KindOf(e.Err) }

// Remedy: another node. A caller that knows the witnesses names one
// (wallet.Session does).
func (e *ErrProof) Remedy() errkind.Remedy { return errkind.Remedy{Do: errkind.OtherNode} }

// ErrNotFound means the chain holds no such entry at the height, and that
// absence is proven (it is a verified answer, not a failure to verify).
type ErrNotFound struct {
	What   string
	Height int64
}

func (e *ErrNotFound) Error() string {
	return fmt.Sprintf("%s does not exist at height %d (absence proven)", e.What, e.Height)
}
func (e *ErrNotFound) Kind() errkind.Kind { return errkind.Failure }

// ErrDecode means a proven value does not decode as the type its key
// holds: the proof is good, so the chain's layout differs from what akw
// expects (another SDK version). Nothing is shown.
type ErrDecode struct {
	What string
	Err  error
}

func (e *ErrDecode) Error() string {
	return fmt.Sprintf("proven %s does not decode: %v", e.What, e.Err)
}
func (e *ErrDecode) Unwrap() error      { return e.Err }
func (e *ErrDecode) Kind() errkind.Kind { return errkind.Verification }
func (e *ErrDecode) Hint() string {
	return "the chain's state layout is not the one this akw was built for (Cosmos SDK v0.50-v0.53)"
}

// ErrInconsistent means proven pieces of state contradict each other (a
// delegation to a validator with no record, rewards that would be
// negative). With honest proofs this means the chain's invariants broke;
// akw shows nothing rather than a guess.
type ErrInconsistent struct{ Reason string }

func (e *ErrInconsistent) Error() string      { return "proven state is inconsistent: " + e.Reason }
func (e *ErrInconsistent) Kind() errkind.Kind { return errkind.Verification }

// ErrStoreAbsent means the chain's state at Height has no store named
// Store, and that is proven: the stores on either side of its name, Left
// and Right (empty at an edge), are adjacent in the multistore committed
// by the verified header. A chain adds and removes stores at upgrades, so
// a historical query can meet a height before the store was added (or
// after it was removed). It is an answer, not a failed verification.
type ErrStoreAbsent struct {
	Store       string
	Height      int64
	Left, Right string
}

func (e *ErrStoreAbsent) Error() string {
	return fmt.Sprintf("the chain had no %s store at height %d (proven: the stores around it, %s, are adjacent in the multistore at that height); an upgrade adds or removes a store",
		e.Store, e.Height, e.between())
}

func (e *ErrStoreAbsent) between() string {
	switch {
	case e.Left == "":
		return fmt.Sprintf("none before and %s after", e.Right)
	case e.Right == "":
		return fmt.Sprintf("%s before and none after", e.Left)
	}
	return e.Left + " and " + e.Right
}

func (e *ErrStoreAbsent) Kind() errkind.Kind { return errkind.Failure }
func (e *ErrStoreAbsent) Hint() string {
	return fmt.Sprintf("ask about a height at which the chain has the %s store (a later one, if an upgrade added it)", e.Store)
}

var errBadLength = errorString("length prefix does not match")

type errorString string

func (e errorString) Error() string { return string(e) }

// ErrTooEarly means the chain is too young to prove anything: the SDK
// serves proofs from state height 2 on, committed in header 3.
type ErrTooEarly struct{ Height int64 }

func (e *ErrTooEarly) Error() string {
	return fmt.Sprintf("the newest verified header is %d; proven state starts with header 3", e.Height)
}
func (e *ErrTooEarly) Kind() errkind.Kind { return errkind.Failure }
func (e *ErrTooEarly) Hint() string {
	return "wait a few seconds for the chain to produce blocks, then retry"
}
