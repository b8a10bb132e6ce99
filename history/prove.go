package history

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	coretypes "github.com/cometbft/cometbft/rpc/core/types"
	cmttypes "github.com/cometbft/cometbft/types"
	"golang.org/x/sync/errgroup"

	"github.com/akash-wallet/akw/lightclient"
	"github.com/akash-wallet/akw/lightclient/txproof"
)

// record is a transaction proven against verified headers: what the
// cache keeps. The node-reported part (events, codespace, log) is kept
// apart and never counts as proven.
type record struct {
	Hash           string         `json:"hash"`
	Height         int64          `json:"height"`
	Index          uint32         `json:"index"`      // the copy whose result this is
	NodeIndex      uint32         `json:"node_index"` // the copy the node's index named
	Time           time.Time      `json:"time"`       // of verified header Height
	HeaderHash     string         `json:"header_hash"`
	NextHeaderHash string         `json:"next_header_hash"`
	Tx             []byte         `json:"tx"`
	Code           uint32         `json:"code"`
	Data           []byte         `json:"data,omitempty"`
	GasWanted      int64          `json:"gas_wanted"`
	GasUsed        int64          `json:"gas_used"`
	Duplicates     []txproof.Copy `json:"duplicates,omitempty"`
	Reported       reported       `json:"reported"`
}

// reported is what only the node's word backs.
type reported struct {
	Codespace string `json:"codespace,omitempty"`
	Log       string `json:"log,omitempty"`
	// Events are the transaction's transfer and tx events, the only ones
	// history reads (rewards paid out; whether a failed fee was charged).
	Events []abci.Event `json:"events,omitempty"`
}

// proveHeight proves the entries the index places at one height: the
// headers at height and height+1 from the light client, the block (its
// transactions against DataHash) and the block's results (against the
// next header's LastResultsHash), through txproof.Check. An entry that
// does not check out is refused with the reason; an error means nothing
// at this height could be checked (pruned, unreachable).
func (l *Lister) proveHeight(ctx context.Context, node lightclient.Node, height int64, ents []entry) (map[string]*record, map[string]string, error) {
	var (
		hdr, next *cmttypes.LightBlock
		blk       *coretypes.ResultBlock
		results   *coretypes.ResultBlockResults
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { hdr, err = l.header(gctx, height); return })
	g.Go(func() (err error) { next, err = l.header(gctx, height+1); return })
	g.Go(func() error {
		b, err := node.Block(gctx, &height)
		if err != nil {
			return l.nodeErr(gctx, node, "block", height, err)
		}
		blk = b
		return nil
	})
	g.Go(func() error {
		r, err := node.BlockResults(gctx, &height)
		if err != nil {
			return l.nodeErr(gctx, node, "block results", height, err)
		}
		results = r
		return nil
	})
	if err := g.Wait(); err != nil {
		return nil, nil, err
	}

	proven, refused := map[string]*record{}, map[string]string{}
	refuseAll := func(reason string) (map[string]*record, map[string]string, error) {
		for _, e := range ents {
			refused[e.Hash] = reason
		}
		return proven, refused, nil
	}
	if blk == nil || blk.Block == nil {
		return refuseAll(fmt.Sprintf("the node served no block %d", height))
	}
	if results == nil {
		return refuseAll(fmt.Sprintf("the node served no results for block %d", height))
	}
	txs := blk.Block.Data.Txs
	// The list must be the block's before "not in the block" can mean
	// anything: a node could otherwise hide a transaction by serving
	// another list.
	if got := txs.Hash(); !bytes.Equal(got, hdr.DataHash) {
		return refuseAll(fmt.Sprintf("the node's block %d does not match the verified header (its transactions hash to %X, the header commits %X)", height, got, []byte(hdr.DataHash)))
	}
	for _, e := range ents {
		hash, err := hex.DecodeString(e.Hash)
		if err != nil {
			refused[e.Hash] = "not a transaction hash"
			continue
		}
		at := -1
		for i, tx := range txs {
			if bytes.Equal(tx.Hash(), hash) {
				at = i
				break
			}
		}
		switch {
		case at < 0:
			refused[e.Hash] = fmt.Sprintf("the node's index places it in block %d, which does not hold it (proven against the verified header)", height)
			continue
		case int(e.Index) >= len(txs) || !bytes.Equal(txs[e.Index].Hash(), hash):
			refused[e.Hash] = fmt.Sprintf("the node's index places it at position %d of block %d, which holds another transaction", e.Index, height)
			continue
		}
		a := txproof.Answer{
			Height:   height,
			Tx:       txs[e.Index],
			Proof:    txs.Proof(int(e.Index)),
			Claimed:  abci.ExecTxResult{Code: e.Code, Data: e.Data, GasWanted: e.GasWanted, GasUsed: e.GasUsed},
			Results:  results.TxsResults,
			BlockTxs: txs,
		}
		res, err := txproof.Check(hash, a, hdr.Header, next.Header)
		if err != nil {
			var inv *txproof.ErrInvalid
			if errors.As(err, &inv) {
				refused[e.Hash] = inv.Reason
			} else {
				refused[e.Hash] = err.Error()
			}
			continue
		}
		r := &record{
			Hash: res.Hash, Height: height, Index: res.Index, NodeIndex: res.NodeIndex,
			Time: hdr.Time.UTC(), HeaderHash: res.HeaderHash, NextHeaderHash: strings.ToUpper(hex.EncodeToString(next.Hash())),
			Tx: res.Tx, Code: res.Code, Data: res.Data, GasWanted: res.GasWanted, GasUsed: res.GasUsed,
			Duplicates: res.Duplicates,
		}
		if x := results.TxsResults[res.Index]; x != nil {
			r.Reported = reported{Codespace: x.Codespace, Log: x.Log, Events: keepEvents(x.Events)}
		}
		proven[e.Hash] = r
	}
	return proven, refused, nil
}

// keepEvents keeps the events history reads.
func keepEvents(evs []abci.Event) []abci.Event {
	var out []abci.Event
	for _, ev := range evs {
		if ev.Type == "transfer" || ev.Type == "tx" {
			out = append(out, ev)
		}
	}
	return out
}

// header is a verified header; a height no node holds any more is
// ErrPruned.
func (l *Lister) header(ctx context.Context, height int64) (*cmttypes.LightBlock, error) {
	lb, err := l.headers.VerifiedAt(ctx, height)
	if err != nil {
		var un *lightclient.ErrHeightUnavailable
		if errors.As(err, &un) {
			return nil, &ErrPruned{Height: height, What: "header"}
		}
		return nil, err
	}
	if lb == nil || lb.SignedHeader == nil || lb.Header == nil {
		return nil, fmt.Errorf("no verified header at height %d", height)
	}
	return lb, nil
}

// CometBFT's answers for a height below the node's base (rpc/core
// env.getHeight), and for results it did not keep (state.ErrNoABCIResponsesForHeight).
var (
	pruned    = regexp.MustCompile(`height \d+ is not available, lowest height is (\d+)`)
	discarded = "could not find results for height"
)

// nodeErr types a node's error for what at height.
func (l *Lister) nodeErr(ctx context.Context, node lightclient.Node, what string, height int64, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	msg := err.Error()
	if m := pruned.FindStringSubmatch(msg); m != nil {
		lowest, _ := strconv.ParseInt(m[1], 10, 64)
		return &ErrPruned{Node: l.nodeURL(node), Height: height, What: what, Lowest: lowest}
	}
	if strings.Contains(msg, discarded) {
		return &ErrPruned{Node: l.nodeURL(node), Height: height, What: what, Discarded: true}
	}
	return &ErrNode{Node: l.nodeURL(node), Op: fmt.Sprintf("%s %d", what, height), Err: err}
}
