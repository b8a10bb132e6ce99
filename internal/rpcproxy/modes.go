package rpcproxy

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	coretypes "github.com/cometbft/cometbft/rpc/core/types"
)

// modes are the public-endpoint behaviours a Proxy can take on.
type modes struct {
	mu         sync.Mutex
	limitLeft  int // requests still to refuse with 429; negative: all
	retryAfter time.Duration
	limited    atomic.Int64 // 429s sent

	floor  atomic.Int64 // PruneBelow; 0 when off
	pruned atomic.Int64 // pruned answers given

	failLeft map[string]int // FailNext: calls still to fail, by method (under mu)
	failing  atomic.Bool    // some failLeft is positive
}

// FailNext makes the next n answers to calls of method JSON-RPC error
// -32603 "Internal error", as a node (or a load balancer's backend) that
// hit a fault of its own answers: not a height it lacks or pruned, nothing
// the client can read a reason from. The calls are forwarded and counted
// as usual; answers are taken in the order the node gives them, and a
// call that gets no answer from the node (a 429, a gate, a node down)
// does not count. n <= 0 stops it.
func (p *Proxy) FailNext(method string, n int) {
	p.modes.mu.Lock()
	defer p.modes.mu.Unlock()
	if p.modes.failLeft == nil {
		p.modes.failLeft = map[string]int{}
	}
	if n <= 0 {
		delete(p.modes.failLeft, method)
	} else {
		p.modes.failLeft[method] = n
	}
	p.modes.failing.Store(len(p.modes.failLeft) > 0)
}

// injectedFailure replaces rr with FailNext's error if c is one of the
// calls to fail, and reports whether it did.
func (m *modes) injectedFailure(c Call, rr *Response) bool {
	if !m.failing.Load() {
		return false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.failLeft[c.Method] <= 0 {
		return false
	}
	if m.failLeft[c.Method]--; m.failLeft[c.Method] == 0 {
		delete(m.failLeft, c.Method)
		m.failing.Store(len(m.failLeft) > 0)
	}
	rr.Result = nil
	rr.Error = &RPCError{Code: -32603, Message: "Internal error", Data: "rpcproxy: injected failure"}
	return true
}

// RateLimit makes the proxy answer HTTP 429 Too Many Requests, as a public
// endpoint's rate limiter does, to the next requests requests (negative:
// to every request until RateLimit(0, 0)), without forwarding them. A
// positive retryAfter is sent as a Retry-After header, in whole seconds
// rounded up.
func (p *Proxy) RateLimit(requests int, retryAfter time.Duration) {
	p.modes.mu.Lock()
	defer p.modes.mu.Unlock()
	p.modes.limitLeft, p.modes.retryAfter = requests, retryAfter
}

// RateLimited returns how many requests were answered 429.
func (p *Proxy) RateLimited() int64 { return p.modes.limited.Load() }

// tooManyRequests answers w with 429 if the rate limit says so.
func (m *modes) tooManyRequests(w http.ResponseWriter) bool {
	m.mu.Lock()
	if m.limitLeft == 0 {
		m.mu.Unlock()
		return false
	}
	if m.limitLeft > 0 {
		m.limitLeft--
	}
	retry := m.retryAfter
	m.mu.Unlock()
	m.limited.Add(1)
	if retry > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(retry.Seconds()))))
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusTooManyRequests)
	_, _ = io.WriteString(w, "429 Too Many Requests\n")
	return true
}

// PruneBelow makes the proxy answer, for any height below floor, what a
// node that pruned it answers; heights from floor up, and calls without a
// height (the latest), go through. 0 turns it off. The answers are a real
// pruned node's, byte for byte (TestPruneBelowIsAPrunedNode compares them
// with a devnet full node that prunes), from CometBFT v0.38
// (rpc/core/env.go, getHeight) and the Cosmos SDK v0.53 (store/rootmulti
// Query, store/iavl Query, baseapp CreateQueryContext):
//
//   - block, block_results, commit, header, validators, consensus_params:
//     JSON-RPC error -32603 "Internal error", data "height H is not
//     available, lowest height is FLOOR";
//   - abci_query of a store key (/store/NAME/key) with a proof: code 7,
//     codespace "store", "proof is unexpectedly empty; ensure height has
//     not been pruned: invalid request";
//   - the same without a proof: code 0, log "version does not exist", no
//     value (a node's way of saying "I do not know");
//   - abci_query of a gRPC method: code 38, codespace "sdk", "failed to
//     load state at height H; version mismatch on immutable IAVL tree;
//     version does not exist. Version has either been pruned, or is for a
//     future block height (latest height: L): not found", where L is the
//     target's latest application height.
//
// A real node prunes blocks and state on schedules of their own; here one
// floor serves both.
func (p *Proxy) PruneBelow(floor int64) {
	if floor < 0 {
		floor = 0
	}
	p.modes.floor.Store(floor)
}

// Pruned returns how many answers were replaced by a pruned node's.
func (p *Proxy) Pruned() int64 { return p.modes.pruned.Load() }

func (m *modes) pruning() bool { return m.floor.Load() > 0 }

// heightMethods are the CometBFT methods whose height a pruned node may
// not have (those that go through rpc/core's getHeight).
var heightMethods = map[string]bool{
	"block": true, "block_results": true, "commit": true, "header": true,
	"validators": true, "consensus_params": true,
}

// prunedAnswer replaces rr with a pruned node's answer to c if c asks for
// a height below the floor, and reports whether it did. target is the node
// the call went to (for its latest height).
func (m *modes) prunedAnswer(ctx context.Context, p *Proxy, target *url.URL, c Call, rr *Response) bool {
	floor := m.floor.Load()
	if floor <= 0 {
		return false
	}
	var params struct {
		Height json.RawMessage `json:"height"`
		Path   string          `json:"path"`
		Data   string          `json:"data"`
		Prove  json.RawMessage `json:"prove"`
	}
	if json.Unmarshal(c.Params, &params) != nil {
		return false
	}
	h, ok := jsonInt(params.Height)
	if !ok || h <= 0 || h >= floor {
		return false
	}
	switch {
	case heightMethods[c.Method]:
		rr.Result = nil
		rr.Error = &RPCError{Code: -32603, Message: "Internal error", Data: fmt.Sprintf("height %d is not available, lowest height is %d", h, floor)}
	case c.Method == "abci_query":
		var res abci.ResponseQuery
		switch {
		case strings.HasPrefix(params.Path, "/store/") && strings.HasSuffix(params.Path, "/key") && jsonTrue(params.Prove):
			res = abci.ResponseQuery{Code: 7, Codespace: "store", Log: "proof is unexpectedly empty; ensure height has not been pruned: invalid request"}
		case strings.HasPrefix(params.Path, "/store/") && strings.HasSuffix(params.Path, "/key"):
			key, err := hex.DecodeString(params.Data)
			if err != nil {
				return false
			}
			res = abci.ResponseQuery{Log: "version does not exist", Key: key, Height: h}
		case strings.HasPrefix(params.Path, "/store/"):
			return false // subspace queries read the latest state, whatever the height
		default:
			latest, err := p.appHeight(ctx, target)
			if err != nil {
				return false
			}
			res = abci.ResponseQuery{Code: 38, Codespace: "sdk", Log: fmt.Sprintf(
				"failed to load state at height %d; version mismatch on immutable IAVL tree; version does not exist. Version has either been pruned, or is for a future block height (latest height: %d): not found", h, latest)}
		}
		rr.Error = nil
		if err := rr.EncodeResult(&coretypes.ResultABCIQuery{Response: res}); err != nil {
			return false
		}
	default:
		return false
	}
	m.pruned.Add(1)
	return true
}

// appHeight asks target for its application's latest height (abci_info).
func (p *Proxy) appHeight(ctx context.Context, target *url.URL) (int64, error) {
	u := *target
	u.Path = strings.TrimRight(target.Path, "/") + "/abci_info"
	u.RawQuery = ""
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return 0, err
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var body struct {
		Result struct {
			Response struct {
				LastBlockHeight json.RawMessage `json:"last_block_height"`
			} `json:"response"`
		} `json:"result"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return 0, err
	}
	h, ok := jsonInt(body.Result.Response.LastBlockHeight)
	if !ok {
		return 0, fmt.Errorf("rpcproxy: abci_info without a height")
	}
	return h, nil
}

// jsonInt reads an integer given as a JSON number or string (CometBFT's
// clients send heights as strings).
func jsonInt(raw json.RawMessage) (int64, bool) {
	s := strings.Trim(strings.TrimSpace(string(raw)), `"`)
	if s == "" || s == "null" {
		return 0, false
	}
	v, err := strconv.ParseInt(s, 10, 64)
	return v, err == nil
}

// jsonTrue reads a boolean given as a JSON boolean or string.
func jsonTrue(raw json.RawMessage) bool {
	return strings.Trim(strings.TrimSpace(string(raw)), `"`) == "true"
}
