package proxy

import (
	"context"
	"errors"
	"io"
	"net/http"
	"sync"
	"time"

	rpcclient "github.com/cometbft/cometbft/rpc/client"
	ctypes "github.com/cometbft/cometbft/rpc/core/types"
	cmttypes "github.com/cometbft/cometbft/types"
	"golang.org/x/sync/singleflight"

	"github.com/akash-wallet/akw/lightclient"
	"github.com/akash-wallet/akw/lightclient/state"
)

// Headers are the light client's verified headers
// (lightclient/trusted.Client implements it). Latest never returns a
// header below the newest one already verified.
type Headers interface {
	lightclient.Headers
}

// Views pins proven state to a verified header: the state at
// lb.Height-1, whose app hash lb commits (lightclient/state.Querier
// implements it).
type Views interface {
	Pin(lb *cmttypes.LightBlock) (*state.View, error)
}

// Node is the untrusted full node the proxy fetches from and forwards to
// (cometbft's *rpc/client/http.HTTP implements it). Nothing it says is
// passed on unchecked, except what the proxy labels as node-reported.
type Node interface {
	rpcclient.ABCIClient
	rpcclient.SignClient
	rpcclient.StatusClient
	BlockchainInfo(ctx context.Context, minHeight, maxHeight int64) (*ctypes.ResultBlockchainInfo, error)
	// Remote is the node's URL, for forwarding and for error messages.
	Remote() string
}

// Upstream names the node to ask now: the light client's current
// primary, which changes when the light client falls over to a witness.
type Upstream interface {
	Node() (Node, error)
}

// UpstreamFunc adapts a function to Upstream.
type UpstreamFunc func() (Node, error)

// Node calls f.
func (f UpstreamFunc) Node() (Node, error) { return f() }

// Config is what a Server needs. Headers, Views and Upstream are
// required; every other field has a default (see withDefaults).
type Config struct {
	Headers  Headers
	Views    Views
	Upstream Upstream

	// Failover runs the work behind one proven answer with the wallet
	// session's failover policy (wallet.Session.Failover): once more
	// through the witnesses when the primary failed midway, and a node
	// whose answer did not verify demoted, so that the answers after it
	// are asked of a witness; the call that met the lie still fails.
	// Nil: run once, and a lying primary stays the primary.
	Failover func(ctx context.Context, op func(ctx context.Context) error) error

	// Bech32Prefix is the chain's account address prefix ("akash");
	// validator operators use Bech32Prefix+"valoper". Query requests are
	// checked with it exactly as the node's own address codec does.
	Bech32Prefix string

	// AllowUnverified forwards what the proxy cannot verify instead of
	// refusing it; every such answer is marked (X-Akw-Unverified and the
	// log line).
	AllowUnverified bool

	// MaxAge is how long the newest verified header is reused for "the
	// newest state" after the nodes were last asked for a newer one; a
	// background refresh every MaxAge/2 keeps it warm. Zero asks on every
	// request (each then costs a round trip to the primary).
	MaxAge time.Duration
	// StaleAfter marks answers resting on a header older than this (by
	// its block time) with X-Akw-Stale: the chain may have halted or the
	// nodes be withholding blocks. Zero never marks.
	StaleAfter time.Duration

	// Limits.
	MaxBodyBytes    int64         // request body (default 1,000,000, as a node)
	MaxBatch        int           // calls per batch (default 10, as a node)
	MaxDepth        int           // JSON nesting of a request (default 64)
	MaxInFlight     int           // HTTP requests served at once (default 256)
	MaxConns        int           // open connections (default 1024)
	RequestTimeout  time.Duration // one call, proofs and headers included (default 30s)
	HeaderTimeout   time.Duration // a request's headers must arrive within it (default 10s)
	ReadTimeout     time.Duration // a whole request must arrive within it (default 30s)
	CommitTimeout   time.Duration // broadcast_tx_commit: inclusion and proof (default 60s)
	MaxUpstreamBody int64         // one forwarded answer of the node (default 32 MiB)

	// Caches.
	HeaderCache int   // verified light blocks kept (default 256)
	AnswerBytes int64 // bytes of proven answers kept (default 64 MiB; negative: none kept)

	// Log receives one line per call and the summary (nil: none). JSON
	// writes them as JSON objects, one per line.
	Log  io.Writer
	JSON bool

	// Now is the clock (default time.Now).
	Now func() time.Time
}

func (c Config) withDefaults() Config {
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = 1_000_000
	}
	if c.MaxBatch <= 0 {
		c.MaxBatch = 10
	}
	if c.MaxDepth <= 0 {
		c.MaxDepth = 64
	}
	if c.MaxInFlight <= 0 {
		c.MaxInFlight = 256
	}
	if c.MaxConns <= 0 {
		c.MaxConns = 1024
	}
	if c.RequestTimeout <= 0 {
		c.RequestTimeout = 30 * time.Second
	}
	if c.HeaderTimeout <= 0 {
		c.HeaderTimeout = 10 * time.Second
	}
	if c.ReadTimeout <= 0 {
		c.ReadTimeout = 30 * time.Second
	}
	if c.CommitTimeout <= 0 {
		c.CommitTimeout = 60 * time.Second
	}
	if c.MaxUpstreamBody <= 0 {
		c.MaxUpstreamBody = 32 << 20
	}
	if c.HeaderCache <= 0 {
		c.HeaderCache = 256
	}
	if c.AnswerBytes == 0 {
		c.AnswerBytes = 64 << 20
	}
	if c.Bech32Prefix == "" {
		c.Bech32Prefix = "akash"
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// Server is a verifying CometBFT JSON-RPC endpoint. It is safe for
// concurrent use.
type Server struct {
	cfg     Config
	methods map[string]*method
	codecs  codecs
	forward *forwarder
	log     *requestLog

	// base lives as long as the server: shared work (a header several
	// requests wait for) runs on it, not on whichever request came first.
	base   context.Context
	cancel context.CancelFunc

	flight  singleflight.Group
	headers *lru[int64, *cmttypes.LightBlock]
	answers *byteLRU
	blocks  *lru[int64, *blockData]

	hmu       sync.Mutex
	checkedAt time.Time            // when the nodes were last asked for a newer header
	newest    *cmttypes.LightBlock // the newest header verified

	inflight chan struct{}
	listen   string // set by Serve: what status reports as the listen address
	follow   sync.WaitGroup
}

// New makes a Server from cfg. It starts nothing: Serve does.
func New(cfg Config) (*Server, error) {
	if cfg.Headers == nil || cfg.Views == nil || cfg.Upstream == nil {
		return nil, errors.New("proxy.New: Headers, Views and Upstream are required")
	}
	cfg = cfg.withDefaults()
	s := &Server{cfg: cfg}
	s.base, s.cancel = context.WithCancel(context.Background())
	s.codecs = newCodecs(cfg.Bech32Prefix)
	s.forward = newForwarder(cfg.MaxUpstreamBody, cfg.RequestTimeout)
	s.log = newRequestLog(cfg.Log, cfg.JSON, cfg.Now)
	s.headers = newLRU[int64, *cmttypes.LightBlock](cfg.HeaderCache)
	s.answers = newByteLRU(cfg.AnswerBytes)
	s.blocks = newLRU[int64, *blockData](64)
	s.inflight = make(chan struct{}, cfg.MaxInFlight)
	s.methods = s.routes()
	return s, nil
}

// Handler is the JSON-RPC endpoint as an http.Handler, with the request
// limits applied (Serve adds the connection limits and timeouts).
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

// Summary is what the proxy did since it started.
func (s *Server) Summary() Summary { return s.log.summary() }

// Close stops the background refresh and cancels shared work. Serve
// calls it when it returns.
func (s *Server) Close() {
	s.cancel()
	s.follow.Wait()
}
