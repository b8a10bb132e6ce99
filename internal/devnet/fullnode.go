package devnet

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	cmted25519 "github.com/cometbft/cometbft/crypto/ed25519"
	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
)

// FullNode configures a non-validator full node (Config.FullNodes): a
// CometBFT node with its own app that follows the chain over P2P and
// serves RPC, gRPC and REST as a validator does, without a vote. It plays
// the public nodes a wallet meets: one that lags (Network.HoldBehind), one
// that prunes (KeepRecent).
type FullNode struct {
	// KeepRecent, if positive, makes the node prune as public nodes do:
	// its application keeps the last KeepRecent versions of the state
	// (the SDK's custom pruning, every 10 blocks, its smallest interval)
	// and CometBFT the last KeepRecent blocks (the node answers Commit
	// with that retain height, as a node with min-retain-blocks does once
	// the evidence window allows). Queries below then fail with the
	// errors of a pruned node. 0 keeps everything; otherwise at least 2.
	KeepRecent int64
}

// MaxFullNodes bounds len(Config.FullNodes).
const MaxFullNodes = 4

// fullNodeNamePrefix names full nodes: fullnode0, fullnode1, ...
const fullNodeNamePrefix = "fullnode"

// FullNodeInfo describes one running full node.
type FullNodeInfo struct {
	Name       string `json:"name"`
	NodeID     string `json:"node_id"`
	RPC        string `json:"rpc"`
	GRPC       string `json:"grpc"`
	API        string `json:"api"`
	P2P        string `json:"p2p"`
	KeepRecent int64  `json:"keep_recent,omitempty"`
}

// newFullNode makes full node i. Its keys are new at every start: it
// signs nothing, and a new node ID on restart is of no consequence.
func newFullNode(chainDir string, i int, fn FullNode) *validator {
	keys := ValidatorKeys{
		Operator:     Account{Name: fmt.Sprintf("%s%d", fullNodeNamePrefix, i)},
		ConsensusKey: cmted25519.GenPrivKey(),
		NodeKey:      cmted25519.GenPrivKey(),
	}
	v := newValidator(chainDir, i, keys)
	v.home = filepath.Join(chainDir, keys.Operator.Name)
	v.full = &fn
	return v
}

// fullNodePeers are the validators a full node dials: the first three.
func fullNodePeers(validators []*validator) []string {
	var peers []string
	for i := 0; i < len(validators) && i < 3; i++ {
		peers = append(peers, validators[i].peerAddress())
	}
	return peers
}

// HoldBehind keeps full node i blocks heights behind validator0: it
// applies block h only once validator0 has committed block h+blocks, so its
// RPC answers (status, commit, validators, abci_query at the latest height)
// are those of a node that lags, a real one. 0 lets it catch up.
func (n *Network) HoldBehind(i int, blocks int64) error {
	if i < 0 || i >= len(n.full) {
		return fmt.Errorf("devnet: no full node %d", i)
	}
	if blocks < 0 {
		return fmt.Errorf("devnet: cannot hold a node %d blocks behind", blocks)
	}
	n.full[i].held.Store(blocks)
	return nil
}

// FullNodes describes the running full nodes.
func (n *Network) FullNodes() []FullNodeInfo { return n.Info().FullNodes }

// FullNodeClient returns a CometBFT RPC client of full node i.
func (n *Network) FullNodeClient(i int) *rpchttp.HTTP { return n.fullRPC[i] }

// WaitForFullNodeHeight waits until full node i's application has
// committed block h (its RPC status may show h a moment earlier).
func (n *Network) WaitForFullNodeHeight(ctx context.Context, i int, h int64) error {
	return n.poll(ctx, func() (int64, error) {
		res, err := n.fullRPC[i].ABCIInfo(ctx)
		if err != nil {
			return 0, err
		}
		return res.Response.LastBlockHeight, nil
	}, h)
}

// leaderHeight is validator0's latest stored block, in-process. It reads
// the block store directly: a held full node asks from inside CometBFT's
// consensus, which must not wait for anything a restart holds.
func (n *Network) leaderHeight() int64 {
	bs := n.leader.Load()
	if bs == nil {
		return 0
	}
	return bs.Height()
}

// fullInfo describes the running full node.
func (v *validator) fullInfo() FullNodeInfo {
	return FullNodeInfo{
		Name:       v.name,
		NodeID:     string(v.nodeID),
		RPC:        "http://" + v.rpcAddr,
		GRPC:       v.grpcAddr,
		API:        "http://" + v.apiAddr,
		P2P:        v.p2pAddr,
		KeepRecent: v.full.KeepRecent,
	}
}

// fullNodeApp is a full node's ABCI application: the node's app, held back
// by HoldBehind, and answering Commit with its retain height when it
// prunes.
type fullNodeApp struct {
	abci.Application
	v        *validator
	leader   func() int64
	stopping <-chan struct{} // closed when the node stops
	current  atomic.Int64    // height of the block being finalised
}

func (a *fullNodeApp) FinalizeBlock(ctx context.Context, req *abci.RequestFinalizeBlock) (*abci.ResponseFinalizeBlock, error) {
	a.hold(req.Height)
	a.current.Store(req.Height)
	return a.Application.FinalizeBlock(ctx, req)
}

// hold returns once block h may be applied: at once if the node is not
// held, else when the leader has committed h plus the lag, or when the
// node stops (CometBFT's stop waits for this call).
func (a *fullNodeApp) hold(h int64) {
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		lag := a.v.held.Load()
		if lag <= 0 || a.leader() >= h+lag {
			return
		}
		select {
		case <-a.stopping:
			return
		case <-t.C:
		}
	}
}

func (a *fullNodeApp) Commit(ctx context.Context, req *abci.RequestCommit) (*abci.ResponseCommit, error) {
	res, err := a.Application.Commit(ctx, req)
	if err != nil || a.v.full.KeepRecent <= 0 {
		return res, err
	}
	if retain := a.current.Load() - a.v.full.KeepRecent + 1; retain > res.RetainHeight {
		res.RetainHeight = retain
	}
	return res, nil
}
