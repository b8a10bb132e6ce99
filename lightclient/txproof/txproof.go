// Package txproof proves that a transaction was included in a block and
// what its result was, against headers the light client has verified:
//
//   - the transaction bytes by a Merkle proof against the DataHash of the
//     verified header H of the block that holds it;
//   - its result (code, data, gas wanted and used: the deterministic fields)
//     by recomputing LastResultsHash of the verified header H+1 from the
//     block's results and picking the entry at the proven index.
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
	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/akash-wallet/akw/lightclient"
)

// Result is a transaction's proven inclusion and outcome.
type Result struct {
	Hash   string `json:"txhash"`
	Height int64  `json:"height"`
	Index  uint32 `json:"index"`
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
}

// ErrNotFound: the node does not know the transaction. That is the node's
// word, not a proof: it may be pending, dropped, or the node may lie.
type ErrNotFound struct{ Hash []byte }

func (e *ErrNotFound) Error() string {
	return fmt.Sprintf("node reports no committed transaction %X (not proven)", e.Hash)
}
func (e *ErrNotFound) Category() lightclient.Category { return lightclient.CategoryFailure }

// ErrNode: the node could not be asked.
type ErrNode struct {
	Op  string
	Err error
}

func (e *ErrNode) Error() string                  { return fmt.Sprintf("%s: node did not answer: %v", e.Op, e.Err) }
func (e *ErrNode) Unwrap() error                  { return e.Err }
func (e *ErrNode) Category() lightclient.Category { return lightclient.CategoryNetwork }

// ErrInvalid: the node's answer does not check out against the verified
// headers. Nothing from it may be shown.
type ErrInvalid struct {
	Hash   []byte
	Height int64
	Reason string
}

func (e *ErrInvalid) Error() string {
	return fmt.Sprintf("transaction %X at height %d does not verify: %s", e.Hash, e.Height, e.Reason)
}
func (e *ErrInvalid) Category() lightclient.Category { return lightclient.CategoryVerification }

// Verify fetches transaction hash from node with its inclusion proof and
// the results of its block, and proves both against headers. If the block
// after the transaction's is not there yet it waits for it, until ctx ends.
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
	if res.Height < 1 {
		return nil, &ErrInvalid{Hash: hash, Height: res.Height, Reason: "no height"}
	}

	// Both headers and the results are independent: fetch them together.
	type hdr struct {
		lb  *cmttypes.LightBlock
		err error
	}
	hc, nc := make(chan hdr, 1), make(chan hdr, 1)
	go func() { lb, err := headers.VerifiedAt(ctx, res.Height); hc <- hdr{lb, err} }()
	go func() { lb, err := waitVerified(ctx, headers, res.Height+1); nc <- hdr{lb, err} }()
	br, brErr := node.BlockResults(ctx, &res.Height)
	h, n := <-hc, <-nc
	if h.err != nil {
		return nil, h.err
	}
	if n.err != nil {
		return nil, n.err
	}
	if brErr != nil {
		return nil, &ErrNode{Op: "block_results", Err: brErr}
	}
	return Check(hash, res.Height, res.Tx, res.Proof, br.TxsResults, res.TxResult, h.lb.Header, n.lb.Header)
}

// Check is the pure part of Verify: tx and its proof against header (at
// the tx's height), the block's results against next (header height+1),
// and the node's claimed result against the proven one.
func Check(hash []byte, height int64, tx cmttypes.Tx, txProof cmttypes.TxProof, results []*abci.ExecTxResult,
	claimed abci.ExecTxResult, header, next *cmttypes.Header,
) (*Result, error) {
	bad := func(format string, args ...any) error {
		return &ErrInvalid{Hash: hash, Height: height, Reason: fmt.Sprintf(format, args...)}
	}
	if header == nil || next == nil || header.Height != height || next.Height != height+1 {
		return nil, bad("headers at the wrong heights")
	}
	if !bytes.Equal(tx.Hash(), hash) {
		return nil, bad("the transaction served hashes to %X", tx.Hash())
	}
	if !bytes.Equal(txProof.Data, tx) {
		return nil, bad("the proof is for other transaction bytes")
	}
	if err := txProof.Validate(header.DataHash); err != nil {
		return nil, bad("inclusion proof against the block's data hash: %v", err)
	}
	index, total := txProof.Proof.Index, txProof.Proof.Total
	if index < 0 || index >= total {
		return nil, bad("proof index %d outside %d transactions", index, total)
	}
	if int64(len(results)) != total {
		return nil, bad("block has %d transactions but %d results were served", total, len(results))
	}
	if got := cmttypes.NewResults(results).Hash(); !bytes.Equal(got, next.LastResultsHash) {
		return nil, bad("block results hash to %X, header %d commits %X", got, next.Height, next.LastResultsHash)
	}
	r := results[index]
	// The node's own summary must agree with the proven entry: a node that
	// reports success for a failed tx is lying, and is refused.
	if claimed.Code != r.Code || claimed.GasUsed != r.GasUsed || claimed.GasWanted != r.GasWanted || !bytes.Equal(claimed.Data, r.Data) {
		return nil, bad("the node's result (code %d) differs from the committed one (code %d)", claimed.Code, r.Code)
	}
	return &Result{
		Hash:       strings.ToUpper(hex.EncodeToString(hash)),
		Height:     height,
		Index:      uint32(index),
		Code:       r.Code,
		Data:       r.Data,
		GasWanted:  r.GasWanted,
		GasUsed:    r.GasUsed,
		Codespace:  r.Codespace,
		Log:        r.Log,
		Tx:         tx,
		HeaderHash: strings.ToUpper(hex.EncodeToString(header.Hash())),
		Verified:   true,
	}, nil
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
