package proxy

import (
	"bytes"
	"context"
	"fmt"

	cmtbytes "github.com/cometbft/cometbft/libs/bytes"
	ctypes "github.com/cometbft/cometbft/rpc/core/types"
	cmttypes "github.com/cometbft/cometbft/types"
	"golang.org/x/sync/errgroup"
)

// Headers, commits and validator sets come from the light client: each
// is part of a light block it has verified (skipping verification from
// the trusted store, cross-checked against the witnesses), never from the
// node directly.

type heightParams struct{ Height *int64 }

type hexHashParams struct{ Hash cmtbytes.HexBytes }

type hashParams struct{ Hash []byte }

type validatorsParams struct {
	Height        *int64
	Page, PerPage *int
}

type blockchainParams struct{ MinHeight, MaxHeight int64 }

func (s *Server) header(ctx context.Context, _ *call, p any) *answer {
	lb, cerr := s.headerAt(ctx, p.(*heightParams).Height)
	if cerr != nil {
		return failed(cerr)
	}
	return verified(&ctypes.ResultHeader{Header: lb.Header}, lb.Height)
}

// commit answers with the verified light block's commit. CometBFT calls
// a commit canonical when it is the one the next block includes; the
// light block's may be another valid set of signatures (a node serves
// its own "seen" commit for its newest block), so canonical is said
// only when the next verified header commits exactly this one.
func (s *Server) commit(ctx context.Context, _ *call, p any) *answer {
	lb, cerr := s.headerAt(ctx, p.(*heightParams).Height)
	if cerr != nil {
		return failed(cerr)
	}
	canonical := false
	if next, ok := s.headers.get(lb.Height + 1); ok {
		canonical = bytes.Equal(next.LastCommitHash, lb.Commit.Hash())
	}
	return verified(ctypes.NewResultCommit(lb.Header, lb.Commit, canonical), lb.Height)
}

// headerByHash asks the node which height holds the hash, then answers
// with the verified header at that height, if its hash is the one asked.
// A node that does not know the hash proves nothing (it may be lagging
// or lying): that is refused, not passed on as "no such header".
func (s *Server) headerByHash(ctx context.Context, _ *call, p any) *answer {
	hash := p.(*hexHashParams).Hash
	lb, cerr := s.byHash(ctx, hash, func(node Node) (int64, error) {
		res, err := node.HeaderByHash(ctx, hash)
		if err != nil {
			return 0, err
		}
		if res == nil || res.Header == nil {
			return 0, nil
		}
		return res.Header.Height, nil
	})
	if cerr != nil {
		return failed(cerr)
	}
	return verified(&ctypes.ResultHeader{Header: lb.Header}, lb.Height)
}

// byHash finds the verified light block whose hash is hash, at the
// height the node names.
func (s *Server) byHash(ctx context.Context, hash []byte, height func(Node) (int64, error)) (*cmttypes.LightBlock, *callError) {
	if len(hash) != 32 {
		return nil, invalid("a block hash is 32 bytes, got %d", len(hash))
	}
	node, err := s.cfg.Upstream.Node()
	if err != nil {
		return nil, classify("the node", err)
	}
	h, err := height(node)
	if err != nil {
		return nil, classify("the node's answer for hash "+cmtbytes.HexBytes(hash).String(), err)
	}
	if h <= 0 {
		return nil, refuse(fmt.Sprintf("the node does not know a block with hash %X; akw cannot prove that no block has it", hash),
			"the block may be newer than the node's, or on another chain")
	}
	lb, err := s.verifiedAt(ctx, h)
	if err != nil {
		return nil, classify(fmt.Sprintf("header %d", h), err)
	}
	if !bytes.Equal(lb.Hash(), hash) {
		return nil, classify("the node's answer for hash "+cmtbytes.HexBytes(hash).String(),
			fmt.Errorf("%w: the node places hash %X at height %d, whose verified header is %X", errVerification, hash, h, lb.Hash()))
	}
	return lb, nil
}

// validators pages through the verified validator set of a height as a
// node does (30 per page, at most 100). Without a height a node answers
// with the set of the block after its newest; the proxy answers with the
// set of its newest verified header. Proposer priorities are not
// committed by any header hash (ValidatorsHash covers keys and voting
// powers only), so they are dropped (zero).
func (s *Server) validators(ctx context.Context, _ *call, p any) *answer {
	vp := p.(*validatorsParams)
	lb, cerr := s.headerAt(ctx, vp.Height)
	if cerr != nil {
		return failed(cerr)
	}
	set := lb.ValidatorSet
	if set == nil || !bytes.Equal(set.Hash(), lb.ValidatorsHash) {
		return failed(classify("validator set", fmt.Errorf("%w: the light block's validator set does not hash to header %d's", errVerification, lb.Height)))
	}
	total := len(set.Validators)
	perPage := 30
	if vp.PerPage != nil && *vp.PerPage >= 1 {
		perPage = min(*vp.PerPage, 100)
	}
	page := 1
	if vp.Page != nil {
		pages := max((total-1)/perPage+1, 1)
		if *vp.Page <= 0 || *vp.Page > pages {
			return failed(nodeSays(fmt.Errorf("page should be within [1, %d] range, given %d", pages, *vp.Page)))
		}
		page = *vp.Page
	}
	skip := (page - 1) * perPage
	n := min(perPage, total-skip)
	vals := make([]*cmttypes.Validator, n)
	for i := range n {
		v := *set.Validators[skip+i]
		v.ProposerPriority = 0
		vals[i] = &v
	}
	a := verified(&ctypes.ResultValidators{BlockHeight: lb.Height, Validators: vals, Count: n, Total: total}, lb.Height)
	a.outcome = Labelled
	a.unverified = "validators: proposer_priority dropped (no header commits it)"
	return a
}

// blockchain passes on the node's block metas for a range once each
// header is verified, each block id checked (its hash is the header's;
// its part set header is the one the next verified header names), and
// the list checked to be the contiguous range, newest first. The block
// size and transaction count of each meta are the node's word (no
// header commits them); they are labelled. last_height is the newest
// verified height, not the node's.
func (s *Server) blockchain(ctx context.Context, _ *call, p any) *answer {
	bp := p.(*blockchainParams)
	node, err := s.cfg.Upstream.Node()
	if err != nil {
		return failed(classify("the node", err))
	}
	res, err := node.BlockchainInfo(ctx, bp.MinHeight, bp.MaxHeight)
	if err != nil {
		return failed(nodeSays(err))
	}
	if res == nil || len(res.BlockMetas) > 20 {
		return failed(classify("blockchain", fmt.Errorf("%w: the node served no block metas, or more than the 20 of a range", errVerification)))
	}
	metas := res.BlockMetas
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(4)
	for i, m := range metas {
		if m == nil || (i > 0 && metas[i-1] != nil && m.Header.Height != metas[i-1].Header.Height-1) {
			return failed(classify("blockchain", fmt.Errorf("%w: the node's block metas are not one contiguous range, newest first", errVerification)))
		}
		g.Go(func() error {
			_, err := guarded(func() (struct{}, error) { return struct{}{}, s.checkMeta(gctx, m) })
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return failed(classify("blockchain", err))
	}
	last := s.newestHeight()
	if len(metas) > 0 && metas[0].Header.Height > last {
		last = metas[0].Header.Height
	}
	a := verified(&ctypes.ResultBlockchainInfo{LastHeight: last, BlockMetas: metas}, last)
	a.outcome = Labelled
	a.unverified = "blockchain: block_size and num_txs are node-reported"
	return a
}

// checkMeta checks one block meta's header and block id.
func (s *Server) checkMeta(ctx context.Context, m *cmttypes.BlockMeta) error {
	h := m.Header.Height
	lb, err := s.verifiedAt(ctx, h)
	if err != nil {
		return err
	}
	if !bytes.Equal(m.Header.Hash(), lb.Hash()) || !bytes.Equal(m.BlockID.Hash, lb.Hash()) {
		return fmt.Errorf("%w: block meta %d differs from the verified header", errVerification, h)
	}
	if h+1 <= s.newestHeight() {
		next, err := s.verifiedAt(ctx, h+1)
		if err != nil {
			return err
		}
		if !next.LastBlockID.Equals(m.BlockID) {
			return fmt.Errorf("%w: block meta %d names block id %v, verified header %d names %v", errVerification, h, m.BlockID, h+1, next.LastBlockID)
		}
		return nil
	}
	{
		// The newest verified block: its part set header is checked
		// against the block itself.
		node, nerr := s.cfg.Upstream.Node()
		if nerr != nil {
			return nerr
		}
		b, berr := node.Block(ctx, &h)
		if berr != nil {
			return berr
		}
		if err := checkBlock(b, lb); err != nil {
			return err
		}
		if !b.BlockID.Equals(m.BlockID) {
			return fmt.Errorf("%w: block meta %d names another block id than its block", errVerification, h)
		}
		return nil
	}
}
