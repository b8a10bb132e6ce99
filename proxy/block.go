package proxy

import (
	"bytes"
	"context"
	"fmt"

	ctypes "github.com/cometbft/cometbft/rpc/core/types"
	cmttypes "github.com/cometbft/cometbft/types"
)

// A block is passed on only whole and checked against the verified
// header at its height: its header must hash to the verified header,
// its transactions to the header's DataHash, its last commit to
// LastCommitHash and its evidence to EvidenceHash, and the block id the
// node gives must be the header's hash with the part set header the
// block's own encoding yields. Every byte of the answer is then fixed by
// the verified header.

func (s *Server) block(ctx context.Context, _ *call, p any) *answer {
	lb, cerr := s.headerAt(ctx, p.(*heightParams).Height)
	if cerr != nil {
		return failed(cerr)
	}
	node, err := s.cfg.Upstream.Node()
	if err != nil {
		return failed(classify("the node", err))
	}
	h := lb.Height
	b, err := node.Block(ctx, &h)
	if err != nil {
		return failed(classify(fmt.Sprintf("block %d from %s", h, node.Remote()), nodeError(err)))
	}
	if err := checkBlock(b, lb); err != nil {
		return failed(classify(fmt.Sprintf("block %d from %s", h, node.Remote()), err))
	}
	return verified(nodeShaped(b), h)
}

// nodeShaped gives a checked block the shape a node's block store gives
// it (a node loads blocks from protobuf, where an empty list is an empty
// slice, not nil), so that its JSON is the node's byte for byte. The
// values are those checked; only nil and empty lists differ.
func nodeShaped(b *ctypes.ResultBlock) *ctypes.ResultBlock {
	pb, err := b.Block.ToProto()
	if err != nil {
		return b
	}
	blk, err := cmttypes.BlockFromProto(pb)
	if err != nil {
		return b
	}
	return &ctypes.ResultBlock{BlockID: b.BlockID, Block: blk}
}

func (s *Server) blockByHash(ctx context.Context, _ *call, p any) *answer {
	hash := p.(*hashParams).Hash
	var b *ctypes.ResultBlock
	lb, cerr := s.byHash(ctx, hash, func(node Node) (int64, error) {
		res, err := node.BlockByHash(ctx, hash)
		if err != nil {
			return 0, nodeError(err)
		}
		if res == nil || res.Block == nil {
			return 0, nil
		}
		b = res
		return res.Block.Height, nil
	})
	if cerr != nil {
		return failed(cerr)
	}
	if err := checkBlock(b, lb); err != nil {
		return failed(classify(fmt.Sprintf("block %X", hash), err))
	}
	return verified(nodeShaped(b), lb.Height)
}

// checkBlock checks a node's block against the verified light block at
// its height. It never panics on what the node sent.
func checkBlock(b *ctypes.ResultBlock, lb *cmttypes.LightBlock) error {
	_, err := guarded(func() (struct{}, error) { return struct{}{}, checkBlockUnguarded(b, lb) })
	return err
}

func checkBlockUnguarded(b *ctypes.ResultBlock, lb *cmttypes.LightBlock) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{errVerification}, args...)...)
	}
	if b == nil || b.Block == nil {
		return bad("the node served no block")
	}
	blk := b.Block
	if got := blk.Header.Hash(); !bytes.Equal(got, lb.Hash()) {
		return bad("the block's header hashes to %X, the verified header %d is %X", got, lb.Height, lb.Hash())
	}
	if !bytes.Equal(b.BlockID.Hash, lb.Hash()) {
		return bad("the block id names hash %X, the verified header %d is %X", b.BlockID.Hash, lb.Height, lb.Hash())
	}
	if got := blk.Data.Txs.Hash(); !bytes.Equal(got, lb.DataHash) {
		return bad("the block's transactions hash to %X, header %d commits %X", got, lb.Height, lb.DataHash)
	}
	if got := blk.LastCommit.Hash(); !bytes.Equal(got, lb.LastCommitHash) {
		return bad("the block's last commit hashes to %X, header %d commits %X", got, lb.Height, lb.LastCommitHash)
	}
	if got := blk.Evidence.Hash(); !bytes.Equal(got, lb.EvidenceHash) {
		return bad("the block's evidence hashes to %X, header %d commits %X", got, lb.Height, lb.EvidenceHash)
	}
	ps, err := blk.MakePartSet(cmttypes.BlockPartSizeBytes)
	if err != nil {
		return bad("the block does not encode: %v", err)
	}
	if psh := ps.Header(); !psh.Equals(b.BlockID.PartSetHeader) {
		return bad("the block id names part set %v, the block's encoding is %v", b.BlockID.PartSetHeader, psh)
	}
	return nil
}
