package proxy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	types "github.com/cometbft/cometbft/rpc/jsonrpc/types"
)

// method is one JSON-RPC method the proxy knows: every method of a
// CometBFT v0.38 node's RPC (rpc/core/routes.go), each verified, labelled,
// forwarded or refused.
type method struct {
	name string
	// args are the parameter names in order, as the node's route declares
	// them; params returns a pointer to a new struct with one field per
	// argument, in the same order (nil: no parameters).
	args   []string
	params func() any
	// run answers a call whose params are decoded into p.
	run func(ctx context.Context, c *call, p any) *answer
	// timeout overrides Config.RequestTimeout (broadcast_tx_commit).
	timeout time.Duration
}

// answer is the outcome of one call.
type answer struct {
	result any             // encoded with CometBFT's JSON
	raw    json.RawMessage // or a result already encoded (forwarded)
	rpcErr *types.RPCError // or a node's error, relayed as it is (forwarded)
	err    *callError      // or the proxy's error

	outcome Outcome
	height  int64  // the height the answer rests on (state height for abci_query)
	path    string // abci_query path, for the log
	// unverified says what in the answer is not verified (for the
	// X-Akw-Unverified header); empty when everything is.
	unverified string
	stale      string // set when the answer rests on a stale header
}

func verified(result any, height int64) *answer {
	return &answer{result: result, outcome: Verified, height: height}
}

func failed(err *callError) *answer { return &answer{err: err, outcome: err.outcome} }

// routes is the method table. Methods a node has but the proxy cannot
// verify are refused (or forwarded with AllowUnverified); a method no
// node has is "Method not found", as a node says.
func (s *Server) routes() map[string]*method {
	ms := []*method{
		{name: "health", run: s.health},
		{name: "status", run: s.status},
		{name: "abci_info", run: s.abciInfo},
		{name: "abci_query", args: []string{"path", "data", "height", "prove"}, params: func() any { return new(abciQueryParams) }, run: s.abciQuery},
		{name: "commit", args: []string{"height"}, params: func() any { return new(heightParams) }, run: s.commit},
		{name: "header", args: []string{"height"}, params: func() any { return new(heightParams) }, run: s.header},
		{name: "header_by_hash", args: []string{"hash"}, params: func() any { return new(hexHashParams) }, run: s.headerByHash},
		{name: "validators", args: []string{"height", "page", "per_page"}, params: func() any { return new(validatorsParams) }, run: s.validators},
		{name: "block", args: []string{"height"}, params: func() any { return new(heightParams) }, run: s.block},
		{name: "block_by_hash", args: []string{"hash"}, params: func() any { return new(hashParams) }, run: s.blockByHash},
		{name: "blockchain", args: []string{"minHeight", "maxHeight"}, params: func() any { return new(blockchainParams) }, run: s.blockchain},
		{name: "tx", args: []string{"hash", "prove"}, params: func() any { return new(txParams) }, run: s.tx},
		{name: "tx_search", args: []string{"query", "prove", "page", "per_page", "order_by"}, params: func() any { return new(txSearchParams) }, run: s.txSearch},
		{name: "broadcast_tx_sync", args: []string{"tx"}, params: func() any { return new(txBytesParams) }, run: s.broadcast},
		{name: "broadcast_tx_async", args: []string{"tx"}, params: func() any { return new(txBytesParams) }, run: s.broadcast},
		{name: "broadcast_tx_commit", args: []string{"tx"}, params: func() any { return new(txBytesParams) }, run: s.broadcastCommit, timeout: s.cfg.CommitTimeout},
		{name: "check_tx", args: []string{"tx"}, params: func() any { return new(txBytesParams) }, run: s.simulation},
	}
	// What a node answers but nothing can prove: refused, or forwarded
	// and marked with AllowUnverified.
	unprovable := map[string]string{
		"net_info":             "the node's peers are its own word",
		"genesis":              "no verified header commits the genesis file",
		"genesis_chunked":      "no verified header commits the genesis file",
		"block_results":        "only the results' codes and gas are committed (in the next header); akw proves them per transaction with tx",
		"block_search":         "a search is the node's own index: it can leave out any block",
		"consensus_params":     "a header commits only two of the consensus parameters",
		"consensus_state":      "consensus state is the node's own",
		"dump_consensus_state": "consensus state is the node's own",
		"unconfirmed_txs":      "the mempool is the node's own",
		"num_unconfirmed_txs":  "the mempool is the node's own",
		"broadcast_evidence":   "evidence goes to the node unverified",
	}
	out := make(map[string]*method, len(ms)+len(unprovable))
	for _, m := range ms {
		out[m.name] = m
	}
	for name, why := range unprovable {
		out[name] = &method{name: name, run: s.unprovable(why)}
	}
	return out
}

// unprovable refuses a method, or forwards it with AllowUnverified.
func (s *Server) unprovable(why string) func(ctx context.Context, c *call, _ any) *answer {
	return func(ctx context.Context, c *call, _ any) *answer {
		if s.cfg.AllowUnverified {
			return s.forwardCall(ctx, c, c.Method+" forwarded unverified (--allow-unverified): "+why)
		}
		return failed(refuse(fmt.Sprintf("akw proxy does not serve %s: %s", c.Method, why), ""))
	}
}

// serveHTTP is the endpoint.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	select {
	case s.inflight <- struct{}{}:
		defer func() { <-s.inflight }()
	default:
		timer := time.NewTimer(5 * time.Second)
		defer timer.Stop()
		select {
		case s.inflight <- struct{}{}:
			defer func() { <-s.inflight }()
		case <-timer.C:
			s.log.busy()
			writeJSON(w, http.StatusServiceUnavailable, types.NewRPCErrorResponse(nil, CodeBusy, "busy",
				fmt.Sprintf("more than %d requests in flight (hint: retry shortly, or raise akw proxy's --max-in-flight)", s.cfg.MaxInFlight)))
			return
		case <-r.Context().Done():
			return
		}
	}

	if r.URL.Path != "/" {
		name := strings.TrimPrefix(r.URL.Path, "/")
		if _, ok := s.methods[name]; !ok || strings.Contains(name, "/") {
			// As a node: only "/" and "/<method>" exist (no websocket).
			http.NotFound(w, r)
			return
		}
		if err := r.ParseForm(); err != nil {
			writeJSON(w, http.StatusBadRequest, types.RPCInvalidRequestError(types.JSONRPCIntID(-1), err))
			return
		}
		s.serveCalls(w, r, []*call{uriCall(name, r.Form)})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
	body, err := io.ReadAll(r.Body)
	if err != nil {
		status, msg := http.StatusBadRequest, "error reading request body: "+err.Error()
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			status = http.StatusRequestEntityTooLarge
			msg = fmt.Sprintf("the request body is larger than %d bytes (hint: a node takes no more either; send smaller batches)", s.cfg.MaxBodyBytes)
		}
		s.log.rejected("-", Invalid, msg)
		writeJSON(w, status, types.NewRPCErrorResponse(nil, -32600, "Invalid Request", msg))
		return
	}
	if len(body) == 0 {
		s.listMethods(w)
		return
	}
	calls, _, err := parseBody(body, s.cfg.MaxDepth, s.cfg.MaxBatch)
	if err != nil {
		var re *errRequest
		errors.As(err, &re)
		s.log.rejected("-", Invalid, re.reason)
		status := http.StatusInternalServerError // as a node, for a parse error
		if re.code == -32600 {
			status = http.StatusOK
		}
		msg := "Parse error"
		if re.code == -32600 {
			msg = "Invalid Request"
		}
		writeJSON(w, status, types.NewRPCErrorResponse(nil, re.code, msg, re.reason))
		return
	}
	s.serveCalls(w, r, calls)
}

// serveCalls runs the calls of one request (a batch's at once) and
// writes their answers with the marks that say what was verified.
func (s *Server) serveCalls(w http.ResponseWriter, r *http.Request, calls []*call) {
	answers := make([]*answer, len(calls))
	var wg sync.WaitGroup
	for i, c := range calls {
		if c.ID == nil {
			// A notification: a node neither runs nor answers it (cometbft
			// does not even read its method).
			answers[i] = &answer{outcome: Skipped}
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers[i] = s.runCall(r.Context(), r.RemoteAddr, c)
		}()
	}
	wg.Wait()

	var (
		resps      []types.RPCResponse
		outcomes   []string
		unverified []string
		stale      string
		heights    []string
		status     = http.StatusOK
	)
	for i, c := range calls {
		a := answers[i]
		outcomes = append(outcomes, string(a.outcome))
		if a.unverified != "" {
			unverified = append(unverified, a.unverified)
		}
		if a.stale != "" {
			stale = a.stale
		}
		if a.height > 0 {
			heights = append(heights, strconv.FormatInt(a.height, 10))
		}
		if c.ID == nil {
			continue // a notification: no answer, as a node
		}
		resp := response(c, a)
		if c.uri && resp.Error != nil {
			status = http.StatusInternalServerError // as a node's URI form
		}
		resps = append(resps, resp)
	}
	h := w.Header()
	h.Set("X-Akw-Outcome", strings.Join(outcomes, ","))
	if len(unverified) > 0 {
		h.Set("X-Akw-Unverified", headerText(strings.Join(unverified, "; ")))
	}
	if len(heights) > 0 {
		h.Set("X-Akw-Height", strings.Join(heights, ","))
	}
	if stale != "" {
		h.Set("X-Akw-Stale", headerText(stale))
	}
	if len(resps) == 0 {
		return
	}
	var v any = resps
	if len(resps) == 1 {
		v = resps[0] // a node answers a batch of one with an object too
	}
	writeJSON(w, status, v)
}

// runCall answers one call, logs it, and never panics.
func (s *Server) runCall(ctx context.Context, remote string, c *call) (a *answer) {
	start := s.cfg.Now()
	defer func() {
		if r := recover(); r != nil {
			a = failed(classify(c.Method, &errPanic{value: r}))
		}
		s.log.call(logEntry{remote: remote, c: c, a: a, took: s.cfg.Now().Sub(start)})
	}()
	m, ok := s.methods[c.Method]
	if !ok {
		return &answer{rpcErr: &types.RPCError{Code: -32601, Message: "Method not found"}, outcome: Invalid}
	}
	var p any
	if m.params != nil {
		p = m.params()
		if err := decodeParams(c, m.args, p); err != nil {
			return failed(invalid("%v", err))
		}
	}
	timeout := s.cfg.RequestTimeout
	if m.timeout > 0 {
		timeout = m.timeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return m.run(ctx, c, p)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	bz, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		bz = []byte(`{"jsonrpc":"2.0","id":-1,"error":{"code":-32603,"message":"Internal error","data":"encoding the response"}}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(bz)
}

// headerText makes s safe as an HTTP header value.
func headerText(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r > 0x7e {
			return ' '
		}
		return r
	}, s)
	if len(s) > 1024 {
		s = s[:1021] + "..."
	}
	return s
}

// listMethods answers an empty request as a node does: a list of the
// methods, for a browser.
func (s *Server) listMethods(w http.ResponseWriter) {
	names := make([]string, 0, len(s.methods))
	for n := range s.methods {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("<html><body><br>akw proxy: a verifying CometBFT JSON-RPC endpoint. Available endpoints:<br>")
	for _, n := range names {
		fmt.Fprintf(&b, "<a href=\"/%s\">/%s</a><br>", n, n)
	}
	b.WriteString("</body></html>")
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, b.String())
}
