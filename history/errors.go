package history

import (
	"fmt"

	"github.com/akash-wallet/akw/errkind"
)

// IndexDisabledMessage is what CometBFT (v0.37-v0.38, rpc/core/tx.go)
// answers to tx_search and tx when the node runs with
// [tx_index] indexer = "null".
const IndexDisabledMessage = "transaction indexing is disabled"

// ErrIndexDisabled: the node does not index transactions, so it cannot
// list an address's history (tx_search answers IndexDisabledMessage).
type ErrIndexDisabled struct {
	Node string // the node's URL, when known
}

func (e *ErrIndexDisabled) Error() string {
	return fmt.Sprintf("node %s has its transaction index turned off (%q): it cannot list an address's transactions", nodeName(e.Node), IndexDisabledMessage)
}

// Hint: another node.
func (e *ErrIndexDisabled) Hint() string {
	return "use a node that indexes transactions (CometBFT [tx_index] indexer = \"kv\"): --node URL; many public nodes turn the index off"
}

// Kind: no answer can be had from this node (exit 1).
func (e *ErrIndexDisabled) Kind() errkind.Kind { return errkind.Failure }

// ErrPruned: the node no longer holds what is needed to prove a
// transaction of the range: its block, its results, or the headers.
type ErrPruned struct {
	Node   string
	Height int64
	// What is missing: "block", "block results" or "header".
	What string
	// Lowest is the lowest height the node still has, when it said (0
	// when unknown).
	Lowest int64
	// Discarded is set when the node keeps no block results at all
	// (discard_abci_responses), so no height can be proven through it.
	Discarded bool
}

func (e *ErrPruned) Error() string {
	switch {
	case e.Discarded:
		return fmt.Sprintf("node %s has no results for block %d (it discards block results): the transaction's result cannot be proven", nodeName(e.Node), e.Height)
	case e.Lowest > 0:
		return fmt.Sprintf("node %s no longer has the %s at height %d (pruned; it keeps heights from %d): the transaction cannot be proven", nodeName(e.Node), e.What, e.Height, e.Lowest)
	}
	return fmt.Sprintf("no node has the %s at height %d any more (pruned): the transaction cannot be proven", e.What, e.Height)
}

// Hint: an archive node, or a narrower range.
func (e *ErrPruned) Hint() string {
	if e.Discarded {
		return "use a node that keeps block results (discard_abci_responses = false), e.g. an archive node: --node URL"
	}
	if e.Lowest > 0 {
		return fmt.Sprintf("use an archive node (--node URL), or narrow the range to heights from %d on (a later --since)", e.Lowest)
	}
	return "use an archive node (--node URL), or narrow the range to recent blocks (a later --since)"
}

// Kind: what was asked cannot be proven (exit 3).
func (e *ErrPruned) Kind() errkind.Kind { return errkind.Verification }

// ErrNode: the node could not be asked, or its answer could not be read.
type ErrNode struct {
	Node string
	Op   string
	Err  error
}

func (e *ErrNode) Error() string {
	return fmt.Sprintf("%s: node %s did not answer: %v", e.Op, nodeName(e.Node), e.Err)
}
func (e *ErrNode) Unwrap() error { return e.Err }

// Hint: the network, or another node.
func (e *ErrNode) Hint() string { return "check the network and --node, or try another node" }

// Kind: the network (exit 5).
func (e *ErrNode) Kind() errkind.Kind { return errkind.Network }

// ErrNotCached: an offline query needs what the cache does not hold.
type ErrNotCached struct {
	Address string
	What    string
}

func (e *ErrNotCached) Error() string {
	return fmt.Sprintf("the history cache of %s does not hold %s", e.Address, e.What)
}

// Hint: go online once.
func (e *ErrNotCached) Hint() string {
	return "run it once with the network (without --offline) to fill the cache, or ask for a range already exported"
}

// Kind: exit 1.
func (e *ErrNotCached) Kind() errkind.Kind { return errkind.Failure }

// ErrQuery: the query itself is wrong (a bad address, cursor or range).
type ErrQuery struct {
	Reason string
	Fix    string
	Err    error
}

func (e *ErrQuery) Error() string      { return e.Reason }
func (e *ErrQuery) Unwrap() error      { return e.Err }
func (e *ErrQuery) Hint() string       { return e.Fix }
func (e *ErrQuery) Kind() errkind.Kind { return errkind.Usage }

// ErrTooMany: the node lists more transactions in the range than one call
// handles.
type ErrTooMany struct {
	Listed int
}

func (e *ErrTooMany) Error() string {
	return fmt.Sprintf("the node lists more than %d transactions in the range", e.Listed)
}
func (e *ErrTooMany) Hint() string {
	return "narrow the range (--since/--until), or page through it with --limit"
}
func (e *ErrTooMany) Kind() errkind.Kind { return errkind.Failure }

func nodeName(url string) string {
	if url == "" {
		return "(primary)"
	}
	return url
}
