// Package txproof proves that a transaction was included in a block and
// what its result was, against headers the light client has verified:
//
//   - the transaction bytes by a Merkle proof against the DataHash of the
//     verified header H of the block that holds it;
//   - every copy of it in that block, from the block's whole transaction
//     list checked against the same DataHash (only when the block holds
//     more than one transaction);
//   - its result (code, data, gas wanted and used: the deterministic fields)
//     by recomputing LastResultsHash of the verified header H+1 from the
//     block's results and picking the entry of the copy that executed.
//
// Why copies: CometBFT does not refuse a block that lists the same
// transaction bytes twice. The first copy executes; the later ones run
// against the state it left and fail (a signed transaction's sequence is
// used up, an unordered one's nonce is taken). A node's /tx answer names
// one copy, and an honest CometBFT v0.38 node names the LAST one — its
// indexer writes a block's transactions in order under the hash, the later
// copy over the earlier — so taking the node's copy would prove a
// successful send "failed" and invite the user to send it again.
//
// Which copy is the outcome: the first that succeeded (code 0), else the
// first. Only one copy can pass the ante handler, which consumes the
// sequence or nonce; one that failed there changed nothing, so a later
// copy may still have run (the account was funded in between) — and then
// "failed" would be false. When no copy succeeded the first failure is
// the one to explain. The other copies are reported with their codes.
//
// The log, events and codespace are not committed by any hash; they are
// returned labelled as node-reported.
package txproof

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cometbft/cometbft/crypto/tmhash"
	coretypes "github.com/cometbft/cometbft/rpc/core/types"
	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/lightclient"
)

// Result is a transaction's proven inclusion and outcome.
type Result struct {
	Hash   string `json:"txhash"`
	Height int64  `json:"height"`
	// Index is the position in the block of the copy whose result this
	// is: the first that succeeded, else the first (see the package
	// comment), whichever copy the node named.
	Index uint32 `json:"index"`
	// Code, Data, GasWanted and GasUsed are proven (LastResultsHash).
	Code      uint32 `json:"code"`
	Data      []byte `json:"data,omitempty"`
	GasWanted int64  `json:"gas_wanted"`
	GasUsed   int64  `json:"gas_used"`
	// Codespace and Log are node-reported: no header commits them.
	Codespace string `json:"codespace,omitempty"`
	Log       string `json:"log,omitempty"`
	// LogVerified is always false; it is there so that a JSON reader
	// cannot mistake the log for proven.
	LogVerified bool `json:"log_verified"`
	// Tx is the proven transaction bytes.
	Tx []byte `json:"-"`
	// HeaderHash is the hash of the verified header H that includes the tx.
	HeaderHash string `json:"header_hash"`
	Verified   bool   `json:"verified"`
	// Duplicates are the other copies of the same transaction bytes in
	// the block, with their proven codes; empty when it is there once.
	// The transaction's outcome is the copy at Index, above.
	Duplicates []Copy `json:"duplicates,omitempty"`
	// NodeIndex is the copy the node's /tx answer named (proven at that
	// index too); it differs from Index when the node named a later copy.
	NodeIndex uint32 `json:"node_index"`
}

// Copy is one copy of a transaction listed more than once in a block.
type Copy struct {
	Index uint32 `json:"index"`
	Code  uint32 `json:"code"` // proven (LastResultsHash)
}

// ErrNotFound: the node does not know the transaction. That is the node's
// word, not a proof: it may be pending, dropped, or the node may lie.
type ErrNotFound struct{ Hash []byte }

func (e *ErrNotFound) Error() string {
	return fmt.Sprintf("node reports no committed transaction %X (not proven)", e.Hash)
}
func (e *ErrNotFound) Kind() errkind.Kind { return errkind.Failure }

// ErrNode: the node could not be asked.
type ErrNode struct {
	Op  string
	Err error
}

func (e *ErrNode) Error() string      { return fmt.Sprintf("%s: node did not answer: %v", e.Op, e.Err) }
func (e *ErrNode) Unwrap() error      { return e.Err }
func (e *ErrNode) Kind() errkind.Kind { return errkind.Network }

// ErrInvalid: the node's answer does not check out against the verified
// headers. Nothing from it may be shown.
type ErrInvalid struct {
	Hash   []byte
	Height int64
	Reason string

	panicked bool // the checking code panicked (for the fuzz target)
}

func (e *ErrInvalid) Error() string {
	return fmt.Sprintf("transaction %X at height %d does not verify: %s", e.Hash, e.Height, e.Reason)
}
func (e *ErrInvalid) Kind() errkind.Kind { return errkind.Verification }

// Verify fetches transaction hash from node with its inclusion proof and
// the results of its block, and proves both against headers. If the block
// after the transaction's is not there yet it waits for it, until ctx ends.
//
// What it fetches, and why: /tx with its proof (the only way from a hash
// to a height; the proof also says how many transactions the block
// holds), the two headers, /block_results (every result of the block:
// LastResultsHash commits the list, not one entry) and — only when the
// block holds more than one transaction — /block, whose transaction list
// against DataHash is the one way to know every copy it holds (/tx names
// one, and a node's index cannot say "first"). The block is fetched
// alongside the results and headers, so it costs bytes, not a round trip:
// its transactions (of the same order as the results already fetched,
// which carry events) plus its header and last commit (on mainnet some
// 100 signatures, about 20 KB of JSON). A block of one transaction cannot
// hold two copies and costs nothing more: the proof's total, held by
// Check to the proven results' count, says so. The block alone would not
// do either: without /tx there is no height to fetch.
func Verify(ctx context.Context, headers lightclient.Headers, node lightclient.Node, hash []byte) (*Result, error) {
	if len(hash) != tmhash.Size {
		return nil, fmt.Errorf("transaction hash must be %d bytes, got %d", tmhash.Size, len(hash))
	}
	res, err := node.Tx(ctx, hash, true)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if strings.Contains(err.Error(), "not found") {
			return nil, &ErrNotFound{Hash: hash}
		}
		return nil, &ErrNode{Op: "tx", Err: err}
	}
	if res == nil || res.Height < 1 {
		return nil, &ErrInvalid{Hash: hash, Reason: "no height"}
	}

	// Both headers, the results and the block are independent: fetch them
	// together.
	type hdr struct {
		lb  *cmttypes.LightBlock
		err error
	}
	type blk struct {
		b   *coretypes.ResultBlock
		err error
	}
	hc, nc, bc := make(chan hdr, 1), make(chan hdr, 1), make(chan blk, 1)
	go func() { lb, err := headers.VerifiedAt(ctx, res.Height); hc <- hdr{lb, err} }()
	go func() { lb, err := waitVerified(ctx, headers, res.Height+1); nc <- hdr{lb, err} }()
	// The node's claim of the block's size decides whether the block is
	// fetched; Check holds the claim to the proven results' count, so a
	// node that understates it to hide a copy is refused.
	needBlock := res.Proof.Proof.Total > 1
	if needBlock {
		go func() { b, err := node.Block(ctx, &res.Height); bc <- blk{b, err} }()
	}
	br, brErr := node.BlockResults(ctx, &res.Height)
	h, n := <-hc, <-nc
	var b blk
	if needBlock {
		b = <-bc
	}
	if h.err != nil {
		return nil, h.err
	}
	if n.err != nil {
		return nil, n.err
	}
	if brErr != nil {
		return nil, &ErrNode{Op: "block_results", Err: brErr}
	}
	if b.err != nil {
		return nil, &ErrNode{Op: "block", Err: b.err}
	}
	a := Answer{Height: res.Height, Tx: res.Tx, Proof: res.Proof, Claimed: res.TxResult}
	if br != nil {
		a.Results = br.TxsResults
	}
	if needBlock {
		if b.b == nil || b.b.Block == nil {
			return nil, &ErrInvalid{Hash: hash, Height: res.Height, Reason: "the node served no block"}
		}
		a.BlockTxs = b.b.Block.Data.Txs
	}
	return Check(hash, a, h.lb.Header, n.lb.Header)
}

// Answer is what a node served about one transaction: its /tx answer, the
// /block_results of its block and, when that block holds more than one
// transaction, the block's transactions from /block.
type Answer struct {
	Height int64
	Tx     cmttypes.Tx
	Proof  cmttypes.TxProof
	// Claimed is the node's result for the copy its proof names.
	Claimed abci.ExecTxResult
	Results []*abci.ExecTxResult
	// BlockTxs is the block's transaction list; needed when the block
	// holds more than one transaction, ignored otherwise.
	BlockTxs cmttypes.Txs
}

// Check is the pure part of Verify: the node's answer a about the
// transaction hash against header (at a.Height) and next (a.Height+1).
// The transaction and its proof against header's DataHash; the results
// against next's LastResultsHash; the node's claimed result against the
// proven one at the index it named; then the block's transactions against
// DataHash, for every copy; the result of the one that executed is
// returned.
//
// Everything but the headers comes from the node. Check refuses what it
// can name (an empty results entry, which JSON's null decodes to, made
// CometBFT's results hashing panic); a panic anywhere else in the
// checking code is recovered and refused as ErrInvalid, so no answer can
// end the process.
func Check(hash []byte, a Answer, header, next *cmttypes.Header) (res *Result, err error) {
	height := a.Height
	bad := func(format string, args ...any) error {
		return &ErrInvalid{Hash: hash, Height: height, Reason: fmt.Sprintf(format, args...)}
	}
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, &ErrInvalid{Hash: hash, Height: height, Reason: fmt.Sprintf("the answer is malformed (checking it failed: %v)", r), panicked: true}
		}
	}()
	if header == nil || next == nil || header.Height != height || next.Height != height+1 {
		return nil, bad("headers at the wrong heights")
	}
	if !bytes.Equal(a.Tx.Hash(), hash) {
		return nil, bad("the transaction served hashes to %X", a.Tx.Hash())
	}
	if !bytes.Equal(a.Proof.Data, a.Tx) {
		return nil, bad("the proof is for other transaction bytes")
	}
	if err := a.Proof.Validate(header.DataHash); err != nil {
		return nil, bad("inclusion proof against the block's data hash: %v", err)
	}
	index, total := a.Proof.Proof.Index, a.Proof.Proof.Total
	if index < 0 || index >= total {
		return nil, bad("proof index %d outside %d transactions", index, total)
	}
	// A Merkle proof does not bind its total (a proof can claim to be
	// leaf 1 of 2 in a tree of 3); the results' count, bound by
	// LastResultsHash, does.
	if int64(len(a.Results)) != total {
		return nil, bad("block has %d transactions but %d results were served", total, len(a.Results))
	}
	for i, r := range a.Results {
		if r == nil {
			return nil, bad("result %d of the block is missing", i)
		}
	}
	if got := cmttypes.NewResults(a.Results).Hash(); !bytes.Equal(got, next.LastResultsHash) {
		return nil, bad("block results hash to %X, header %d commits %X", got, next.Height, next.LastResultsHash)
	}
	// The node's own summary must agree with the proven entry it names: a
	// node that reports success for a failed tx is lying, and is refused.
	if r := a.Results[index]; a.Claimed.Code != r.Code || a.Claimed.GasUsed != r.GasUsed || a.Claimed.GasWanted != r.GasWanted || !bytes.Equal(a.Claimed.Data, r.Data) {
		return nil, bad("the node's result (code %d) differs from the committed one (code %d)", a.Claimed.Code, r.Code)
	}

	copies := []int64{index}
	if total > 1 {
		if int64(len(a.BlockTxs)) != total {
			return nil, bad("the node served %d of the block's %d transactions", len(a.BlockTxs), total)
		}
		if got := a.BlockTxs.Hash(); !bytes.Equal(got, header.DataHash) {
			return nil, bad("the block's transactions hash to %X, header %d commits %X", got, height, []byte(header.DataHash))
		}
		copies = copies[:0]
		for i, t := range a.BlockTxs {
			if bytes.Equal(t, a.Tx) {
				copies = append(copies, int64(i))
			}
		}
		// The proof put the transaction at index; the list, bound to the
		// same DataHash, must agree.
		if len(copies) == 0 || !bytes.Equal(a.BlockTxs[index], a.Tx) {
			return nil, bad("the block's transaction %d is not the one proven there", index)
		}
	}
	outcome := copies[0]
	for _, i := range copies {
		if a.Results[i].Code == abci.CodeTypeOK {
			outcome = i
			break
		}
	}
	r := a.Results[outcome]
	out := &Result{
		Hash:       strings.ToUpper(hex.EncodeToString(hash)),
		Height:     height,
		Index:      uint32(outcome),
		NodeIndex:  uint32(index),
		Code:       r.Code,
		Data:       r.Data,
		GasWanted:  r.GasWanted,
		GasUsed:    r.GasUsed,
		Codespace:  r.Codespace,
		Log:        r.Log,
		Tx:         a.Tx,
		HeaderHash: strings.ToUpper(hex.EncodeToString(header.Hash())),
		Verified:   true,
	}
	for _, i := range copies {
		if i != outcome {
			out.Duplicates = append(out.Duplicates, Copy{Index: uint32(i), Code: a.Results[i].Code})
		}
	}
	return out, nil
}

// waitVerified returns the verified header at height, waiting (polling)
// while the chain has not produced it yet.
func waitVerified(ctx context.Context, headers lightclient.Headers, height int64) (*cmttypes.LightBlock, error) {
	for {
		lb, err := headers.VerifiedAt(ctx, height)
		var tooHigh *lightclient.ErrHeightTooHigh
		if err == nil || !errors.As(err, &tooHigh) {
			return lb, err
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(300 * time.Millisecond):
		}
	}
}
