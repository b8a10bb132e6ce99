package proxy

import (
	"context"
	"strings"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cometbft/cometbft/crypto/ed25519"
	"github.com/cometbft/cometbft/p2p"
	ctypes "github.com/cometbft/cometbft/rpc/core/types"
	"github.com/cometbft/cometbft/version"
)

// status and abci_info describe the newest verified header and the proxy
// itself. A node's status also describes the node: its p2p identity,
// listen address, moniker, validator key, its earliest stored block and
// whether it is catching up. None of that is proven by anything, and a
// client has no use for the identity of a node behind the proxy, so it
// is dropped: those fields describe the proxy instead (a zero node id
// and validator key with no voting power, as a full node that does not
// validate; moniker "akw-proxy"; the proxy's own listen address), and
// the earliest block is left out (zero), as on a node that has none.
//
// What is verified: the chain id (the light client's, which every
// verified header carries), the newest header's height, hash, app hash
// and time, and the block and app protocol versions from that header.
// version is the CometBFT version whose RPC the proxy speaks: cosmjs
// picks its client by it (connectComet), and 0.38 is the right one.

const moniker = "akw-proxy"

func (s *Server) status(ctx context.Context, _ *call, _ any) *answer {
	lb, err := s.head(ctx)
	if err != nil {
		return failed(classify("the newest header", err))
	}
	listen := "tcp://" + s.listenAddr()
	st := &ctypes.ResultStatus{
		NodeInfo: p2p.DefaultNodeInfo{
			ProtocolVersion: p2p.NewProtocolVersion(version.P2PProtocol, lb.Version.Block, lb.Version.App),
			DefaultNodeID:   p2p.ID(strings.Repeat("0", 40)),
			ListenAddr:      listen,
			Network:         s.cfg.Headers.ChainID(),
			Version:         version.TMCoreSemVer,
			Moniker:         moniker,
			Other:           p2p.DefaultNodeInfoOther{TxIndex: "on", RPCAddress: listen},
		},
		SyncInfo: ctypes.SyncInfo{
			LatestBlockHash:   lb.Hash(),
			LatestAppHash:     lb.AppHash,
			LatestBlockHeight: lb.Height,
			LatestBlockTime:   lb.Time,
			EarliestBlockTime: time.Unix(0, 0).UTC(),
		},
		ValidatorInfo: ctypes.ValidatorInfo{
			Address: make([]byte, 20),
			PubKey:  ed25519.PubKey(make([]byte, ed25519.PubKeySize)),
		},
	}
	a := verified(st, lb.Height)
	a.stale = s.staleNote(lb)
	return a
}

// abciInfo answers from the newest verified header N: the app's state
// after block N-1 is what N's app hash commits, so that is the height
// and hash given (a node answers one block ahead, with an app hash that
// no verified header commits yet). The app's name and version string
// are the node's word and are left empty; the app protocol version is
// the header's.
func (s *Server) abciInfo(ctx context.Context, _ *call, _ any) *answer {
	lb, err := s.head(ctx)
	if err != nil {
		return failed(classify("the newest header", err))
	}
	a := verified(&ctypes.ResultABCIInfo{Response: abci.ResponseInfo{
		AppVersion:       lb.Version.App,
		LastBlockHeight:  lb.Height - 1,
		LastBlockAppHash: lb.AppHash,
	}}, lb.Height-1)
	a.stale = s.staleNote(lb)
	return a
}

// health is the proxy's own: it answers, as a node's does, with an
// empty object.
func (s *Server) health(context.Context, *call, any) *answer {
	return &answer{result: &ctypes.ResultHealth{}, outcome: Local}
}

func (s *Server) listenAddr() string {
	s.hmu.Lock()
	defer s.hmu.Unlock()
	if s.listen == "" {
		return "127.0.0.1:26658"
	}
	return s.listen
}
