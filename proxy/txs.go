package proxy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	ctypes "github.com/cometbft/cometbft/rpc/core/types"
	cmttypes "github.com/cometbft/cometbft/types"
	"golang.org/x/sync/errgroup"

	"github.com/akash-wallet/akw/lightclient"
	"github.com/akash-wallet/akw/lightclient/txproof"
)

// Transactions. A transaction the proxy passes on is proven included
// (its bytes against the DataHash of the verified header of its block)
// and its result proven (code, data, gas wanted and used, against the
// LastResultsHash of the next verified header), with lightclient/txproof,
// which also finds the copy that executed when a block lists the same
// bytes twice. A transaction's log, info, events and codespace are
// committed by no hash: they are passed on as the node reported them for
// that copy, and marked so (X-Akw-Unverified). A search's list, and its
// total, are the node's word: a node can leave a transaction out, and
// that cannot be detected; the list is marked so.

type txParams struct {
	Hash  []byte
	Prove bool
}

type txSearchParams struct {
	Query         string
	Prove         bool
	Page, PerPage *int
	OrderBy       string
}

type txBytesParams struct{ Tx cmttypes.Tx }

const txNodeReported = "log, info, events and codespace are node-reported"

// blockData is a block's proven results, and its proven transactions
// when a proof needed them.
type blockData struct {
	results []*abci.ExecTxResult
	txs     cmttypes.Txs
}

func (s *Server) tx(ctx context.Context, _ *call, p any) *answer {
	tp := p.(*txParams)
	node, err := s.cfg.Upstream.Node()
	if err != nil {
		return failed(classify("the node", err))
	}
	res, err := node.Tx(ctx, tp.Hash, true)
	if err != nil {
		// "tx (...) not found" is the node's word: passed on as its error,
		// so that a client waiting for inclusion keeps waiting.
		a := failed(classify("tx", nodeError(err)))
		if a.err.code == -32603 {
			a.unverified = "tx: not found, as the node says (unproven)"
		}
		return a
	}
	out, cerr := s.proveTx(ctx, tp.Hash, res, tp.Prove)
	if cerr != nil {
		return failed(cerr)
	}
	a := verified(out, out.Height)
	a.outcome, a.unverified = Labelled, "tx: "+txNodeReported
	return a
}

func (s *Server) txSearch(ctx context.Context, _ *call, p any) *answer {
	sp := p.(*txSearchParams)
	node, err := s.cfg.Upstream.Node()
	if err != nil {
		return failed(classify("the node", err))
	}
	res, err := node.TxSearch(ctx, sp.Query, true, sp.Page, sp.PerPage, sp.OrderBy)
	if err != nil {
		return failed(classify("tx_search", nodeError(err)))
	}
	if res == nil || len(res.Txs) > 100 {
		return failed(classify("tx_search", fmt.Errorf("%w: the node served no page, or more than 100 transactions in one", errVerification)))
	}
	out := make([]*ctypes.ResultTx, len(res.Txs))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(4)
	for i, r := range res.Txs {
		g.Go(func() error {
			if r == nil {
				return fmt.Errorf("%w: the node served an empty entry", errVerification)
			}
			t, cerr := s.proveTx(gctx, r.Hash, r, sp.Prove)
			if cerr != nil {
				return cerr
			}
			out[i] = t
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return failed(classify("tx_search", err))
	}
	a := verified(&ctypes.ResultTxSearch{Txs: out, TotalCount: res.TotalCount}, 0)
	a.outcome = Labelled
	a.unverified = "tx_search: the list and total_count are node-reported (a node can leave transactions out); each transaction is proven, its " + txNodeReported
	return a
}

// proveTx proves a node's /tx answer about hash and rebuilds it from
// proven parts.
func (s *Server) proveTx(ctx context.Context, hash []byte, res *ctypes.ResultTx, prove bool) (*ctypes.ResultTx, *callError) {
	what := fmt.Sprintf("transaction %X", hash)
	if res == nil || res.Height < 1 {
		return nil, classify(what, fmt.Errorf("%w: no height", errVerification))
	}
	h := res.Height
	header, err := s.verifiedAt(ctx, h)
	if err != nil {
		return nil, classify(what, err)
	}
	next, err := s.waitVerified(ctx, h+1)
	if err != nil {
		return nil, classify(what, err)
	}
	bd, err := s.blockData(ctx, h, res.Proof.Proof.Total > 1, header, next)
	if err != nil {
		return nil, classify(what, err)
	}
	r, err := txproof.Check(hash, txproof.Answer{Height: h, Tx: res.Tx, Proof: res.Proof, Claimed: res.TxResult, Results: bd.results, BlockTxs: bd.txs}, header.Header, next.Header)
	if err != nil {
		return nil, classify(what, err)
	}
	exec := bd.results[r.Index] // proven: code, data, gas; node-reported: the rest
	out := &ctypes.ResultTx{
		Hash:   cmttypes.Tx(r.Tx).Hash(),
		Height: h,
		Index:  r.Index,
		TxResult: abci.ExecTxResult{
			Code: r.Code, Data: r.Data, GasWanted: r.GasWanted, GasUsed: r.GasUsed,
			Log: exec.Log, Info: exec.Info, Events: exec.Events, Codespace: exec.Codespace,
		},
		Tx: cmttypes.Tx(r.Tx),
	}
	if prove {
		out.Proof = res.Proof
		if r.Index != r.NodeIndex {
			out.Proof = bd.txs.Proof(int(r.Index))
		}
		if out.Proof.Proof.Aunts == nil {
			out.Proof.Proof.Aunts = [][]byte{} // as a node computes it (never nil)
		}
	}
	return out, nil
}

// blockData fetches a block's results (and its transactions when
// needTxs), checks them against the verified headers, and keeps them for
// the next transaction of the same block.
func (s *Server) blockData(ctx context.Context, h int64, needTxs bool, header, next *cmttypes.LightBlock) (*blockData, error) {
	if bd, ok := s.blocks.get(h); ok && (!needTxs || bd.txs != nil) {
		return bd, nil
	}
	return shared(ctx, s, "block/"+strconv.FormatInt(h, 10)+"/"+strconv.FormatBool(needTxs), func(ctx context.Context) (*blockData, error) {
		node, err := s.cfg.Upstream.Node()
		if err != nil {
			return nil, err
		}
		br, err := node.BlockResults(ctx, &h)
		if err != nil {
			return nil, nodeError(err)
		}
		bd := &blockData{}
		if br != nil {
			bd.results = br.TxsResults
		}
		for i, r := range bd.results {
			if r == nil {
				return nil, fmt.Errorf("%w: result %d of block %d is missing", errVerification, i, h)
			}
		}
		if got := cmttypes.NewResults(bd.results).Hash(); !bytes.Equal(got, next.LastResultsHash) {
			return nil, fmt.Errorf("%w: the results of block %d hash to %X, header %d commits %X", errVerification, h, got, h+1, next.LastResultsHash)
		}
		if needTxs {
			b, err := node.Block(ctx, &h)
			if err != nil {
				return nil, nodeError(err)
			}
			if err := checkBlock(b, header); err != nil {
				return nil, err
			}
			bd.txs = b.Block.Data.Txs
		}
		s.blocks.add(h, bd)
		return bd, nil
	})
}

// waitVerified is the verified header at height, waiting (polling) while
// the chain has not made it yet: a transaction's result is committed by
// the next block's header.
func (s *Server) waitVerified(ctx context.Context, height int64) (*cmttypes.LightBlock, error) {
	for {
		lb, err := s.verifiedAt(ctx, height)
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

// broadcast forwards broadcast_tx_sync and _async: what comes back is
// the node's mempool admission (CheckTx), its word alone.
func (s *Server) broadcast(ctx context.Context, c *call, _ any) *answer {
	return s.forwardCall(ctx, c, c.Method+": the node's mempool answer (CheckTx), node-reported")
}

// simulation forwards a simulation (abci_query Simulate, check_tx): it
// runs the transaction on the node's state, and nothing can prove it.
func (s *Server) simulation(ctx context.Context, c *call, _ any) *answer {
	a := s.forwardCall(ctx, c, "simulation: the node's own execution, node-reported")
	if c.Method == "abci_query" {
		var qp abciQueryParams
		if decodeParams(c, []string{"path", "data", "height", "prove"}, &qp) == nil {
			a.path = qp.Path
		}
	}
	return a
}

// broadcastCommit sends the transaction with broadcast_tx_sync and
// answers once its inclusion and result are proven, as a node answers
// broadcast_tx_commit once the block is committed. The mempool answer
// (check_tx) is the node's word.
func (s *Server) broadcastCommit(ctx context.Context, _ *call, p any) *answer {
	tx := p.(*txBytesParams).Tx
	node, err := s.cfg.Upstream.Node()
	if err != nil {
		return failed(classify("the node", err))
	}
	res, err := node.BroadcastTxSync(ctx, tx)
	if err != nil {
		return failed(classify("broadcast_tx_sync", nodeError(err)))
	}
	out := &ctypes.ResultBroadcastTxCommit{
		CheckTx: abci.ResponseCheckTx{Code: res.Code, Data: res.Data, Log: res.Log, Codespace: res.Codespace},
		Hash:    tx.Hash(),
	}
	if res.Code != abci.CodeTypeOK {
		a := &answer{result: out, outcome: Forwarded, unverified: "broadcast_tx_commit: the node's mempool refused it (check_tx), node-reported"}
		return a
	}
	for {
		r, err := node.Tx(ctx, out.Hash, true)
		if err == nil && r != nil {
			t, cerr := s.proveTx(ctx, out.Hash, r, false)
			if cerr != nil {
				return failed(cerr)
			}
			out.TxResult, out.Height = t.TxResult, t.Height
			a := verified(out, t.Height)
			a.outcome = Labelled
			a.unverified = "broadcast_tx_commit: check_tx is node-reported; tx_result's " + txNodeReported
			return a
		}
		if err != nil && !strings.Contains(err.Error(), "not found") {
			return failed(classify("tx", nodeError(err)))
		}
		select {
		case <-ctx.Done():
			return failed(&callError{code: CodeUnavailable, message: "node unavailable", outcome: Unavailable, err: ctx.Err(),
				reason: fmt.Sprintf("the node took transaction %X into its mempool, but its inclusion was not proven in time", out.Hash),
				hint:   "look it up with tx (hash) before sending it again"})
		case <-time.After(500 * time.Millisecond):
		}
	}
}
