package proxy

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/akash-wallet/akw/lightclient"
	"github.com/akash-wallet/akw/lightclient/state"
)

// The request side is the part of the proxy any local program can feed
// bytes to; these targets feed it anything and require that it refuses,
// never crashes, and always answers JSON-RPC (or nothing, for
// notifications).

var requestSeeds = []string{
	`{"jsonrpc":"2.0","id":1,"method":"status"}`,
	`{"jsonrpc":"2.0","id":"x","method":"abci_query","params":{"path":"/cosmos.bank.v1beta1.Query/Balance","data":"0A03","height":"5","prove":true}}`,
	`{"jsonrpc":"2.0","id":1,"method":"abci_query","params":["/store/bank/key","00","0",false]}`,
	`[{"jsonrpc":"2.0","id":1,"method":"block","params":{"height":"3"}},{"jsonrpc":"2.0","method":"health"}]`,
	`{"jsonrpc":"2.0","id":1,"method":"tx_search","params":{"query":"tx.hash='AB'","page":"1","per_page":"30"}}`,
	`{"jsonrpc":"2.0","id":1,"method":"validators","params":{"height":"-1","page":"0","per_page":"1000"}}`,
	`{"jsonrpc":"2.0","id":1,"method":"broadcast_tx_sync","params":{"tx":"!!"}}`,
	`{"jsonrpc":"2.0","id":{"a":1},"method":"status"}`,
	`[[[[[[[[[[]]]]]]]]]]`,
	`[` + strings.Repeat(`{"id":1,"method":"health"},`, 11) + `{}]`,
	`{"jsonrpc":"2.0","id":1,"method":"header_by_hash","params":{"hash":"zz"}}`,
	`"\u0000"`,
	``,
}

func FuzzParseRequest(f *testing.F) {
	for _, s := range requestSeeds {
		f.Add([]byte(s))
	}
	f.Add([]byte(`path="/cosmos.bank.v1beta1.Query/Balance"&data=0x0a&height=3&prove=true&hash=0xAB&tx="abc"`))
	s := &Server{cfg: Config{}.withDefaults()}
	routes := s.routes()
	f.Fuzz(func(t *testing.T, body []byte) {
		calls, _, err := parseBody(body, 64, 10)
		if err == nil {
			for _, c := range calls {
				for _, m := range routes {
					if m.params != nil {
						_ = decodeParams(c, m.args, m.params())
					}
				}
			}
		}
		// The same bytes as a URI query.
		if q, err := url.ParseQuery(string(body)); err == nil {
			c := uriCall("abci_query", q)
			for _, m := range routes {
				if m.params != nil {
					_ = decodeParams(c, m.args, m.params())
				}
			}
		}
	})
}

// failing is a light client and node that fail everything: the handler
// then exercises every parse and dispatch path, and every refusal.
type failing struct{}

var errDown = &lightclient.ErrUnreachable{Endpoints: []lightclient.Endpoint{{URL: "http://127.0.0.1:1", Reason: "down"}}}

func (failing) ChainID() string { return "test-1" }
func (failing) VerifiedAt(context.Context, int64) (*cmttypes.LightBlock, error) {
	return nil, errDown
}
func (failing) Latest(context.Context) (*cmttypes.LightBlock, error) { return nil, errDown }
func (failing) Pin(*cmttypes.LightBlock) (*state.View, error)        { return nil, errDown }
func (failing) Node() (Node, error)                                  { return nil, errDown }

func newFailingServer(t testing.TB, allow bool) *Server {
	s, err := New(Config{Headers: failing{}, Views: failing{}, Upstream: failing{}, AllowUnverified: allow, MaxBodyBytes: 1 << 16})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func FuzzHandler(f *testing.F) {
	for _, s := range requestSeeds {
		f.Add(s, false)
	}
	f.Add(`{"jsonrpc":"2.0","id":1,"method":"net_info"}`, true)
	servers := map[bool]*Server{false: newFailingServer(f, false), true: newFailingServer(f, true)}
	f.Fuzz(func(t *testing.T, body string, allow bool) {
		s := servers[allow]
		for _, req := range []*http.Request{
			httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body)),
			httptest.NewRequest(http.MethodGet, "/abci_query?"+url.PathEscape(body), nil),
		} {
			w := httptest.NewRecorder()
			s.Handler().ServeHTTP(w, req)
			out := w.Body.Bytes()
			if len(out) == 0 || strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
				continue // notifications only, or the list of methods
			}
			if !json.Valid(out) {
				t.Fatalf("not JSON: %q -> %q", body, out)
			}
		}
	})
}

// TestFailingBackendAnswersEveryMethod: with the nodes down, every
// method a node has gets a JSON-RPC answer (an error saying why), and no
// call ends in a panic.
func TestFailingBackendAnswersEveryMethod(t *testing.T) {
	s := newFailingServer(t, false)
	for name := range s.methods {
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"`+name+`"}`)))
		var r struct {
			Result json.RawMessage `json:"result"`
			Error  *struct {
				Code int    `json:"code"`
				Data string `json:"data"`
			} `json:"error"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &r); err != nil {
			t.Fatalf("%s: %v: %s", name, err, w.Body.String())
		}
		if name == "health" {
			continue
		}
		if r.Error == nil || r.Error.Data == "" || strings.Contains(r.Error.Data, "stopped on a value") {
			t.Fatalf("%s: want an error saying why, got %s", name, w.Body.String())
		}
	}
}
