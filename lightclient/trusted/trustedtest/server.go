package trustedtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cometbft/cometbft/libs/log"
	"github.com/cometbft/cometbft/p2p"
	ctypes "github.com/cometbft/cometbft/rpc/core/types"
	rpcserver "github.com/cometbft/cometbft/rpc/jsonrpc/server"
	rpctypes "github.com/cometbft/cometbft/rpc/jsonrpc/types"
	"github.com/cometbft/cometbft/types"
)

// Server answers a CometBFT node's light-client RPC methods for a Chain on
// 127.0.0.1, through cometbft's own JSON-RPC server code so that the wire
// format and the error texts are the real ones.
type Server struct {
	chain *Chain
	base  atomic.Int64 // lowest height served (pruning)
	srv   *http.Server
	ln    net.Listener
	url   string

	// Latency, when set, is added to every request.
	latency atomic.Int64
	// held, when set, holds every request until it is closed (Hold).
	held atomic.Pointer[chan struct{}]
	// claimed, when positive, is the tip this node says it has; with
	// capped it also refuses every height above it (see ClaimTip, Lag).
	claimed atomic.Int64
	capped  atomic.Bool

	commits    atomic.Int64
	validators atomic.Int64
	statuses   atomic.Int64
	conns      atomic.Int64

	mu       sync.Mutex
	evidence []types.Evidence
}

// Serve starts a server for chain on a free loopback port.
func Serve(chain *Chain) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{chain: chain, ln: ln, url: "http://" + ln.Addr().String()}
	s.base.Store(1)
	mux := http.NewServeMux()
	funcs := map[string]*rpcserver.RPCFunc{
		"commit":             rpcserver.NewRPCFunc(s.commit, "height"),
		"validators":         rpcserver.NewRPCFunc(s.validatorsAt, "height,page,per_page"),
		"status":             rpcserver.NewRPCFunc(s.status, ""),
		"health":             rpcserver.NewRPCFunc(s.health, ""),
		"broadcast_evidence": rpcserver.NewRPCFunc(s.broadcastEvidence, "evidence"),
	}
	rpcserver.RegisterRPCFuncs(mux, funcs, log.NewNopLogger())
	s.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second,
		ConnState: func(_ net.Conn, st http.ConnState) {
			switch st {
			case http.StateNew:
				s.conns.Add(1)
			case http.StateClosed, http.StateHijacked:
				s.conns.Add(-1)
			}
		}}
	go s.srv.Serve(ln) //nolint:errcheck // ends with Close
	return s, nil
}

// URL is the server's RPC address.
func (s *Server) URL() string { return s.url }

// Chain is the chain served.
func (s *Server) Chain() *Chain { return s.chain }

// SetBase prunes: heights below h are answered "not available".
func (s *Server) SetBase(h int64) { s.base.Store(h) }

// Lag makes the node behave as if its newest block were h, as a node that
// fell behind (or one that lies about its tip thoroughly): /status and
// /commit without a height report h, and every height above h is refused
// with the node's "must be less than or equal to the current blockchain
// height" error. Zero makes it follow the chain again.
func (s *Server) Lag(h int64) { s.claimed.Store(h); s.capped.Store(h > 0) }

// ClaimTip makes the node say its newest block is h (in /status and in
// /commit without a height) while still serving any height it is asked
// for: a node that lies about its tip to roll a client back, but answers
// a request it cannot plausibly refuse. Zero stops the lie.
func (s *Server) ClaimTip(h int64) { s.claimed.Store(h); s.capped.Store(false) }

// tip is the newest height this node admits to.
func (s *Server) tip() int64 {
	tip := s.chain.Tip()
	if c := s.claimed.Load(); c > 0 && c < tip {
		return c
	}
	return tip
}

// SetLatency adds d to every request.
func (s *Server) SetLatency(d time.Duration) { s.latency.Store(int64(d)) }

// Counts returns the number of /commit and /validators requests served.
func (s *Server) Counts() (commits, validators int64) {
	return s.commits.Load(), s.validators.Load()
}

// Statuses returns the number of /status requests served.
func (s *Server) Statuses() int64 { return s.statuses.Load() }

// OpenConns is the number of client connections open now.
func (s *Server) OpenConns() int64 { return s.conns.Load() }

// ResetCounts zeroes the request counters.
func (s *Server) ResetCounts() {
	s.commits.Store(0)
	s.validators.Store(0)
	s.statuses.Store(0)
}

// Evidence returns the evidence nodes were sent.
func (s *Server) Evidence() []types.Evidence {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]types.Evidence(nil), s.evidence...)
}

// Close stops the server and drops its connections, as a node that dies.
func (s *Server) Close() error {
	return s.srv.Close()
}

// Hold makes every request wait, counted but unanswered, until release
// is called: a test orders what the client does before the answers.
func (s *Server) Hold() (release func()) {
	ch := make(chan struct{})
	s.held.Store(&ch)
	var once sync.Once
	return func() {
		once.Do(func() {
			s.held.Store(nil)
			close(ch)
		})
	}
}

func (s *Server) delay(ctx context.Context) {
	if ch := s.held.Load(); ch != nil {
		select {
		case <-*ch:
		case <-ctx.Done():
		}
	}
	if d := time.Duration(s.latency.Load()); d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
		}
	}
}

// height resolves a requested height with the node's own error texts
// (rpc/core/env.go getHeight).
func (s *Server) height(p *int64) (int64, error) {
	tip := s.tip()
	if p == nil {
		return tip, nil
	}
	if !s.capped.Load() {
		tip = s.chain.Tip()
	}
	h := *p
	if h <= 0 {
		return 0, fmt.Errorf("height must be greater than 0, but got %d", h)
	}
	if h > tip {
		return 0, fmt.Errorf("height %d must be less than or equal to the current blockchain height %d", h, tip)
	}
	if base := s.base.Load(); h < base {
		return 0, fmt.Errorf("height %d is not available, lowest height is %d", h, base)
	}
	return h, nil
}

func (s *Server) commit(ctx *rpctypes.Context, height *int64) (*ctypes.ResultCommit, error) {
	s.commits.Add(1)
	s.delay(ctx.Context())
	h, err := s.height(height)
	if err != nil {
		return nil, err
	}
	return ctypes.NewResultCommit(s.chain.Header(h), s.chain.Commit(h), h < s.tip()), nil
}

func (s *Server) validatorsAt(ctx *rpctypes.Context, height *int64, pagePtr, perPagePtr *int) (*ctypes.ResultValidators, error) {
	s.validators.Add(1)
	s.delay(ctx.Context())
	h, err := s.height(height)
	if err != nil {
		return nil, err
	}
	vals := s.chain.ValidatorSet(h)
	perPage := 30
	if perPagePtr != nil && *perPagePtr >= 1 {
		perPage = min(*perPagePtr, 100)
	}
	total := vals.Size()
	page := 1
	if pagePtr != nil {
		pages := max((total-1)/perPage+1, 1)
		page = *pagePtr
		if page <= 0 || page > pages {
			return nil, fmt.Errorf("page should be within [1, %d] range, given %d", pages, page)
		}
	}
	skip := (page - 1) * perPage
	v := vals.Validators[skip:min(skip+perPage, total)]
	return &ctypes.ResultValidators{BlockHeight: h, Validators: v, Count: len(v), Total: total}, nil
}

func (s *Server) status(ctx *rpctypes.Context) (*ctypes.ResultStatus, error) {
	s.statuses.Add(1)
	s.delay(ctx.Context())
	tip, base := s.tip(), s.base.Load()
	top, bottom := s.chain.Header(tip), s.chain.Header(base)
	return &ctypes.ResultStatus{
		NodeInfo: p2p.DefaultNodeInfo{Network: s.chain.ChainID(), Moniker: "synthetic", Version: "0.38.23"},
		SyncInfo: ctypes.SyncInfo{
			LatestBlockHash: top.Hash(), LatestAppHash: top.AppHash, LatestBlockHeight: tip, LatestBlockTime: top.Time,
			EarliestBlockHash: bottom.Hash(), EarliestAppHash: bottom.AppHash, EarliestBlockHeight: base, EarliestBlockTime: bottom.Time,
		},
	}, nil
}

func (s *Server) health(*rpctypes.Context) (*ctypes.ResultHealth, error) {
	return &ctypes.ResultHealth{}, nil
}

func (s *Server) broadcastEvidence(_ *rpctypes.Context, ev types.Evidence) (*ctypes.ResultBroadcastEvidence, error) {
	if ev == nil {
		return nil, errors.New("no evidence was provided")
	}
	s.mu.Lock()
	s.evidence = append(s.evidence, ev)
	s.mu.Unlock()
	return &ctypes.ResultBroadcastEvidence{Hash: ev.Hash()}, nil
}
