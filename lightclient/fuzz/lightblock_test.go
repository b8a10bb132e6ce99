package fuzz

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/akash-wallet/akw/internal/testctx"
	"github.com/akash-wallet/akw/lightclient/trusted"
	"github.com/akash-wallet/akw/lightclient/trusted/trustedtest"
)

// rpcRequest is a JSON-RPC 2.0 request as cometbft's HTTP client sends it.
type rpcRequest struct {
	ID     json.RawMessage            `json:"id"`
	Method string                     `json:"method"`
	Params map[string]json.RawMessage `json:"params"`
}

// lyingPrimary forwards JSON-RPC requests to an honest node and, for the
// requests its plan selects, answers with the fuzzer's bytes instead.
type lyingPrimary struct {
	honest string
	client *http.Client

	mu   sync.Mutex
	plan plan
	seen map[string][]byte // method/height -> honest result, for seeds
}

type plan struct {
	method string // "commit", "validators", "status"; "" replaces nothing
	height int64  // 0: every height
	raw    bool   // body is the whole response, not only "result"
	body   []byte
}

var methods = []string{"commit", "validators", "status"}

func heightOf(req rpcRequest) int64 {
	var s string
	if err := json.Unmarshal(req.Params["height"], &s); err != nil {
		var n int64
		if json.Unmarshal(req.Params["height"], &n) == nil {
			return n
		}
		return 0
	}
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

func (p *lyingPrimary) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	in, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	var req rpcRequest
	_ = json.Unmarshal(in, &req)
	p.mu.Lock()
	pl := p.plan
	p.mu.Unlock()
	h := heightOf(req)
	w.Header().Set("Content-Type", "application/json")
	if pl.method != "" && req.Method == pl.method && (pl.height == 0 || pl.height == h) {
		if pl.raw {
			_, _ = w.Write(pl.body)
			return
		}
		id := req.ID
		if len(id) == 0 {
			id = json.RawMessage("-1")
		}
		var out bytes.Buffer
		out.WriteString(`{"jsonrpc":"2.0","id":`)
		out.Write(id)
		out.WriteString(`,"result":`)
		out.Write(pl.body)
		out.WriteString(`}`)
		_, _ = w.Write(out.Bytes())
		return
	}
	resp, err := p.client.Post(p.honest, "application/json", bytes.NewReader(in))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var env struct {
		Result json.RawMessage `json:"result"`
	}
	if json.Unmarshal(body, &env) == nil && len(env.Result) > 0 {
		p.mu.Lock()
		if p.seen != nil {
			p.seen[req.Method+"/"+strconv.FormatInt(h, 10)] = env.Result
		}
		p.mu.Unlock()
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(body)
}

// serve runs h on a loopback port without keep-alive and returns its URL.
func serve(f *testing.F, h http.Handler) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		f.Fatal(err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	srv.SetKeepAlivesEnabled(false)
	go srv.Serve(ln) //nolint:errcheck // ends with Close
	f.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String()
}

// FuzzLightBlockResponse runs the light client (akw's provider, the
// CometBFT verifier, the witness cross-check, the store) against a primary
// whose /commit, /validators or /status answers, at one height or at all,
// are the fuzzer's JSON. The seeds are the honest answers. Whatever the
// primary says: no panic, no hang beyond the request timeouts, and any
// header the client returns as verified is the real chain's header at that
// height.
func FuzzLightBlockResponse(f *testing.F) {
	const blocks = 24
	chain := trustedtest.NewChain(trustedtest.ChainConfig{ChainID: "fuzz-1", Validators: 4, Blocks: blocks, ChangesPerBlock: 0.25})
	chain.SignAll()
	honest, err := trustedtest.Serve(chain)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { honest.Close() })
	witness, err := trustedtest.Serve(chain)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { witness.Close() })

	forward := &http.Client{Timeout: 5 * time.Second}
	lp := &lyingPrimary{honest: honest.URL(), client: forward, seen: map[string][]byte{}}
	primaryURL := serve(f, lp)
	// The witness is honest, but reached through a pass-through proxy as
	// well: both servers close every connection after one answer, because
	// trusted.Client.Close leaves its HTTP clients' keep-alive connections
	// open (about four per client), which over thousands of fuzz inputs
	// runs the process out of file descriptors.
	witnessURL := serve(f, &lyingPrimary{honest: witness.URL(), client: forward})

	run := func(t testing.TB) error {
		ctx := testctx.New(t)
		cfg := trusted.Config{
			ChainID: "fuzz-1", Primary: primaryURL, Witnesses: []string{witnessURL}, Home: t.TempDir(),
			// Every server here answers at once (right or wrong): the
			// request timeout only bounds a bug, and must not fail the
			// honest run on a loaded machine.
			Timeout: 20 * time.Second, NextBlockWait: -1, MaxClockDrift: time.Second, MaxBlockLag: 100 * time.Millisecond,
		}
		c, err := trusted.Init(ctx, cfg, trusted.TrustRoot{Height: 1, Hash: chain.Header(1).Hash()},
			trusted.InitOptions{Confirm: func(trusted.Candidate) (bool, error) { return true, nil }})
		if err != nil {
			return err
		}
		defer c.Close()
		check := func(what string, h int64, hash []byte) {
			if h < 1 || h > blocks || !bytes.Equal(hash, chain.Header(h).Hash()) {
				t.Fatalf("%s: accepted a header at height %d that is not the chain's", what, h)
			}
		}
		for _, h := range []int64{blocks / 2, blocks - 1} {
			if lb, err := c.VerifiedAt(ctx, h); err == nil {
				if lb.Height != h {
					t.Fatalf("asked for %d, got %d", h, lb.Height)
				}
				check("VerifiedAt", lb.Height, lb.Hash())
			}
		}
		lb, err := c.Latest(ctx)
		if err == nil {
			check("Latest", lb.Height, lb.Hash())
		}
		return err
	}

	// Record the honest answers as seeds; the honest primary must work.
	if err := run(f); err != nil {
		f.Fatalf("honest primary: %v", err)
	}
	lp.mu.Lock()
	seen := lp.seen
	lp.seen = nil
	lp.mu.Unlock()
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		body := seen[key]
		method, hs, _ := bytes.Cut([]byte(key), []byte("/"))
		h, _ := strconv.ParseInt(string(hs), 10, 64)
		for i, m := range methods {
			if m == string(method) {
				f.Add(uint8(i), h, false, body)
			}
		}
	}
	f.Add(uint8(0), int64(0), true, []byte(`{"jsonrpc":"2.0","id":-1,"error":{"code":-32603,"message":"Internal error","data":"height 5 is not available, lowest height is 7"}}`))
	f.Add(uint8(1), int64(0), true, []byte(`not json`))
	f.Add(uint8(2), int64(0), false, []byte(`{"node_info":{},"sync_info":{"latest_block_height":"99999"}}`))
	// Real akashnet-2 answers (excerpts, another chain-id, a string id):
	// mainnet-shaped bytes for the fuzzer to mutate.
	for i, name := range []string{"commit-28742282.json", "validators-28742282.json"} {
		body, err := os.ReadFile(filepath.Join("..", "testdata", "akashnet-2", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(uint8(i), int64(0), true, body)
	}

	f.Fuzz(func(t *testing.T, which uint8, height int64, raw bool, body []byte) {
		lp.mu.Lock()
		lp.plan = plan{method: methods[int(which)%len(methods)], height: height, raw: raw, body: body}
		lp.mu.Unlock()
		_ = run(t) // an error is a refusal, which is fine; a panic or a lie is not
	})
}
