// Package rpcproxy is an HTTP proxy on 127.0.0.1 in front of CometBFT
// JSON-RPC endpoints, for tests: it can add latency, go down and come back,
// count requests per method, and rewrite responses per method through a
// hook (to play a node that lies).
//
// It also plays the public endpoints a wallet meets on mainnet:
//
//   - NewRoundRobin spreads requests over several nodes, the next node for
//     each HTTP request and no stickiness, as Akash's public RPC proxy does
//     (github.com/akash-network/rpc-proxy, internal/proxy/balancer.go,
//     RoundRobin): two consecutive requests may reach nodes at different
//     heights, with different pruning;
//   - PruneBelow answers for heights below a floor what a pruned node
//     answers, with the very errors of CometBFT and the Cosmos SDK;
//   - RateLimit answers HTTP 429 Too Many Requests, with Retry-After if
//     asked.
//
// It understands JSON-RPC over POST (single calls and batches) and the
// URI form (GET /commit?height=5). Websocket is not proxied.
package rpcproxy

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	cmtjson "github.com/cometbft/cometbft/libs/json"
)

// Call is one JSON-RPC call as the client sent it.
type Call struct {
	Method string
	// Params is the call's params: a JSON object (or array) for POST;
	// for the URI form, an object of the query parameters as JSON strings
	// (exactly as given, e.g. {"height":"5"}).
	Params json.RawMessage
}

// RPCError is a JSON-RPC error object.
type RPCError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Data    string `json:"data,omitempty"`
}

// Response is the node's answer to one call; a hook may change it in place.
type Response struct {
	Result json.RawMessage
	Error  *RPCError
}

// DecodeResult decodes the result with CometBFT's JSON encoding (int64 as
// strings, amino-style interfaces) into v, e.g. *coretypes.ResultCommit.
func (r *Response) DecodeResult(v any) error {
	return cmtjson.Unmarshal(r.Result, v)
}

// EncodeResult replaces the result with v in CometBFT's JSON encoding.
func (r *Response) EncodeResult(v any) error {
	bz, err := cmtjson.Marshal(v)
	if err != nil {
		return err
	}
	r.Result = bz
	return nil
}

// Hook rewrites the response to call.
type Hook func(call Call, resp *Response)

// Proxy forwards to one target, or in turn to several (NewRoundRobin).
type Proxy struct {
	targets []*url.URL
	next    atomic.Uint64 // round-robin position
	client  *http.Client

	mu     sync.Mutex
	hooks  map[string]Hook
	counts map[string]int64
	ln     net.Listener
	srv    *http.Server
	addr   string
	conns  map[net.Conn]struct{}
	// connsChanged is closed (and replaced) when a connection closes:
	// WaitIdle's wake-up.
	connsChanged chan struct{}
	gate         *Gate // SetGate

	latency atomic.Int64
	down    atomic.Bool

	perTarget []atomic.Int64 // HTTP requests sent to each target
	modes     modes          // PruneBelow, RateLimit
}

// New starts a proxy to target (http://host:port) on a free loopback port.
func New(target string) (*Proxy, error) { return NewRoundRobin(target) }

// NewRoundRobin starts a proxy that sends each HTTP request to the next of
// targets in turn, whatever the request (a JSON-RPC batch goes to one
// target). Nothing is sticky: a client's two consecutive requests reach two
// nodes. Targets may be other proxies, to give one backend a mode of its
// own (a lagging or pruned node behind a balancer).
func NewRoundRobin(targets ...string) (*Proxy, error) {
	if len(targets) == 0 {
		return nil, errors.New("rpcproxy: no target")
	}
	p := &Proxy{
		client:       &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 32, DisableCompression: true}},
		hooks:        map[string]Hook{},
		counts:       map[string]int64{},
		conns:        map[net.Conn]struct{}{},
		connsChanged: make(chan struct{}),
		perTarget:    make([]atomic.Int64, len(targets)),
	}
	for _, target := range targets {
		u, err := url.Parse(target)
		if err != nil || u.Host == "" {
			return nil, fmt.Errorf("rpcproxy: bad target %q", target)
		}
		if u.Scheme == "tcp" {
			u.Scheme = "http"
		}
		p.targets = append(p.targets, u)
	}
	ln, err := stableListener()
	if err != nil {
		return nil, err
	}
	p.listenOn(ln)
	return p, nil
}

// stableListener listens for the proxy. Up listens again on the address
// Down released; a port from the kernel's ephemeral range (what ":0"
// gives) may meanwhile become the local port of any outgoing connection
// on the machine, and Up would fail on a busy machine. So the proxy takes
// a free port below that range, where the kernel never picks one on its
// own; ":0" where the range is unknown or nothing below it is free.
func stableListener() (net.Listener, error) {
	const floor = 10000
	if lo := ephemeralLow(); lo > floor+1000 {
		for range 64 {
			if ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", floor+rand.IntN(lo-floor))); err == nil {
				return ln, nil
			}
		}
	}
	return net.Listen("tcp", "127.0.0.1:0")
}

// ephemeralLow is the lowest port of the kernel's ephemeral range (Linux),
// or 0 when unknown.
func ephemeralLow() int {
	bz, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(bz))
	if len(f) != 2 {
		return 0
	}
	lo, err := strconv.Atoi(f[0])
	if err != nil {
		return 0
	}
	return lo
}

// pick returns the target of the next request and its index.
func (p *Proxy) pick() (*url.URL, int) {
	i := int((p.next.Add(1) - 1) % uint64(len(p.targets)))
	p.perTarget[i].Add(1)
	return p.targets[i], i
}

// TargetCounts returns how many HTTP requests went to each target, in the
// order given to NewRoundRobin.
func (p *Proxy) TargetCounts() []int64 {
	out := make([]int64, len(p.perTarget))
	for i := range p.perTarget {
		out[i] = p.perTarget[i].Load()
	}
	return out
}

func (p *Proxy) listen(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	p.listenOn(ln)
	return nil
}

// listenOn serves the proxy on ln until Down or Close.
func (p *Proxy) listenOn(ln net.Listener) {
	srv := &http.Server{
		Handler:           http.HandlerFunc(p.serve),
		ReadHeaderTimeout: 10 * time.Second,
		ConnState: func(c net.Conn, s http.ConnState) {
			p.mu.Lock()
			defer p.mu.Unlock()
			switch s {
			case http.StateNew:
				p.conns[c] = struct{}{}
			case http.StateClosed, http.StateHijacked:
				delete(p.conns, c)
				close(p.connsChanged)
				p.connsChanged = make(chan struct{})
			}
		},
	}
	p.mu.Lock()
	p.ln, p.srv, p.addr = ln, srv, ln.Addr().String()
	p.mu.Unlock()
	go srv.Serve(ln) //nolint:errcheck // ends with Close
}

// URL is the proxy's address, to give to the client instead of the target.
func (p *Proxy) URL() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return "http://" + p.addr
}

// SetLatency delays every request by d before it is forwarded: one added
// round trip per HTTP request (connections are kept alive).
func (p *Proxy) SetLatency(d time.Duration) { p.latency.Store(int64(d)) }

// Handle installs hook for method (e.g. "commit", "abci_query"); a nil
// hook removes it.
func (p *Proxy) Handle(method string, hook Hook) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if hook == nil {
		delete(p.hooks, method)
	} else {
		p.hooks[method] = hook
	}
}

// Count returns how many calls of method were forwarded.
func (p *Proxy) Count(method string) int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.counts[method]
}

// Counts returns the calls forwarded per method.
func (p *Proxy) Counts() map[string]int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[string]int64, len(p.counts))
	for k, v := range p.counts {
		out[k] = v
	}
	return out
}

// WaitIdle waits until no client has a connection open to the proxy (or
// ctx ends). A request a client sent just before it closed may reach the
// proxy, and be counted, well after the client is gone (its bytes wait
// in the socket until the proxy reads them; on a loaded machine that is
// late); once every connection is closed, every such request has been
// served and counted. A test that counts calls waits for it after its
// clients are closed and before it opens the next: the next counts are
// then the next client's alone.
func (p *Proxy) WaitIdle(ctx context.Context) error {
	for {
		p.mu.Lock()
		open, changed := len(p.conns), p.connsChanged
		p.mu.Unlock()
		if open == 0 {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("rpcproxy: %d connections still open: %w", open, ctx.Err())
		}
	}
}

// ResetCounts zeroes the counters.
func (p *Proxy) ResetCounts() {
	p.mu.Lock()
	p.counts = map[string]int64{}
	p.mu.Unlock()
}

// Down stops listening and drops every open connection, as a node that
// dies: clients get "connection refused" (or a reset mid-request).
func (p *Proxy) Down() error {
	if p.down.Swap(true) {
		return nil
	}
	p.mu.Lock()
	srv := p.srv
	p.mu.Unlock()
	return srv.Close()
}

// Up listens again on the same address after Down.
func (p *Proxy) Up() error {
	if !p.down.Load() {
		return nil
	}
	if err := p.listen(p.addr); err != nil {
		return err
	}
	p.down.Store(false)
	return nil
}

// Close stops the proxy for good.
func (p *Proxy) Close() error { return p.Down() }

type rpcRequest struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Method  string          `json:"method"`
	Params  json.RawMessage `json:"params"`
}

type rpcResponse struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Result  json.RawMessage `json:"result,omitempty"`
	Error   *RPCError       `json:"error,omitempty"`
}

func (p *Proxy) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	calls, batch := parseCalls(r, body)
	if p.modes.tooManyRequests(w) {
		return
	}
	p.mu.Lock()
	hooked := false
	for _, c := range calls {
		p.counts[c.Method]++
		if _, ok := p.hooks[c.Method]; ok {
			hooked = true
		}
	}
	gate := p.gate
	p.mu.Unlock()
	if p.modes.pruning() || p.modes.failing.Load() {
		hooked = true
	}
	if gate != nil && !gate.pass(r.Context(), len(calls)) {
		return
	}

	if d := time.Duration(p.latency.Load()); d > 0 {
		select {
		case <-time.After(d):
		case <-r.Context().Done():
			return
		}
	}

	target, _ := p.pick()
	out := *target
	out.Path = strings.TrimRight(target.Path, "/") + r.URL.Path
	out.RawQuery = r.URL.RawQuery
	req, err := http.NewRequestWithContext(r.Context(), r.Method, out.String(), bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	req.Header = r.Header.Clone()
	resp, err := p.client.Do(req)
	if err != nil {
		// The target is gone: behave like it, drop the connection.
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, herr := hj.Hijack(); herr == nil {
				conn.Close()
				return
			}
		}
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	respBody, err := io.ReadAll(resp.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	if hooked {
		if rewritten, err := p.rewrite(r.Context(), target, calls, batch, respBody); err == nil {
			respBody = rewritten
		}
	}
	for k, vs := range resp.Header {
		if k == "Content-Length" {
			continue
		}
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.WriteHeader(resp.StatusCode)
	w.Write(respBody) //nolint:errcheck // the client went away
}

// parseCalls finds the JSON-RPC calls of a request.
func parseCalls(r *http.Request, body []byte) ([]Call, bool) {
	if r.Method == http.MethodGet {
		method := strings.Trim(r.URL.Path, "/")
		if method == "" {
			return nil, false
		}
		params := map[string]string{}
		for k, v := range r.URL.Query() {
			if len(v) > 0 {
				params[k] = v[0]
			}
		}
		bz, _ := json.Marshal(params)
		return []Call{{Method: method, Params: bz}}, false
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && trimmed[0] == '[' {
		var reqs []rpcRequest
		if json.Unmarshal(trimmed, &reqs) != nil {
			return nil, true
		}
		calls := make([]Call, len(reqs))
		for i, q := range reqs {
			calls[i] = Call{Method: q.Method, Params: q.Params}
		}
		return calls, true
	}
	var q rpcRequest
	if json.Unmarshal(trimmed, &q) != nil {
		return nil, false
	}
	return []Call{{Method: q.Method, Params: q.Params}}, false
}

func (p *Proxy) rewrite(ctx context.Context, target *url.URL, calls []Call, batch bool, body []byte) ([]byte, error) {
	var resps []rpcResponse
	if batch {
		if err := json.Unmarshal(body, &resps); err != nil {
			return nil, err
		}
	} else {
		var one rpcResponse
		if err := json.Unmarshal(body, &one); err != nil {
			return nil, err
		}
		resps = []rpcResponse{one}
	}
	if len(resps) != len(calls) {
		return nil, errors.New("response count does not match")
	}
	for i, c := range calls {
		p.mu.Lock()
		hook := p.hooks[c.Method]
		p.mu.Unlock()
		rr := &Response{Result: resps[i].Result, Error: resps[i].Error}
		// A failed call or a pruned height has no data to lie about:
		// the injected failure or the pruned answer replaces the
		// node's, and hooks do not see it.
		if p.modes.injectedFailure(c, rr) || p.modes.prunedAnswer(ctx, p, target, c, rr) || hook == nil {
			resps[i].Result, resps[i].Error = rr.Result, rr.Error
			if rr.Error != nil {
				resps[i].Result = nil
			}
			continue
		}
		hook(c, rr)
		resps[i].Result, resps[i].Error = rr.Result, rr.Error
		if rr.Error != nil {
			resps[i].Result = nil
		}
	}
	if batch {
		return json.Marshal(resps)
	}
	return json.Marshal(resps[0])
}
