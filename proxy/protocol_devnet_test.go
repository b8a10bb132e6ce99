package proxy_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/testctx"
	"github.com/akash-wallet/akw/proxy"
)

func get(t *testing.T, u string) (int, http.Header, []byte) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	bz, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, bz
}

// TestProtocolAsANode checks the JSON-RPC itself as clients use it: the
// URI form, batches, notifications, and the errors a node gives for bad
// requests, plus the proxy's own refusals and limits.
func TestProtocolAsANode(t *testing.T) {
	c := chainState(t)
	h := startProxy(t, withConfig(func(cfg *proxy.Config) {
		cfg.MaxBodyBytes = 64 << 10
		cfg.HeaderTimeout = 300 * time.Millisecond
		cfg.ReadTimeout = 300 * time.Millisecond
	}))
	node := h.net.RPC()[0]

	t.Run("URI form", func(t *testing.T) {
		req, _ := (&banktypes.QueryBalanceRequest{Address: c.alice.String(), Denom: devnet.Denom}).Marshal()
		code, hdr, bz := get(t, h.url+`/abci_query?path="/cosmos.bank.v1beta1.Query/Balance"&data=0x`+hex.EncodeToString(req))
		var r rpcReply
		if err := json.Unmarshal(bz, &r); err != nil || code != 200 || r.Error != nil || hdr.Get("X-Akw-Outcome") != "verified" {
			t.Fatalf("GET abci_query: %d %s %s", code, hdr.Get("X-Akw-Outcome"), bz)
		}
		height := hdr.Get("X-Akw-Height")
		_, _, want := get(t, node+`/abci_query?path="/cosmos.bank.v1beta1.Query/Balance"&data=0x`+hex.EncodeToString(req)+"&height="+height)
		if !bytes.Equal(bz, want) {
			t.Fatalf("GET abci_query at %s:\nproxy %s\nnode  %s", height, bz, want)
		}
		q := fmt.Sprintf("/block?height=%d", c.lastHeight)
		_, _, got := get(t, h.url+q)
		_, _, want = get(t, node+q)
		if !bytes.Equal(got, want) {
			t.Fatalf("GET %s:\nproxy %s\nnode  %s", q, got, want)
		}
		// A node's URI errors come with HTTP 500 and id -1.
		code, _, bz = get(t, h.url+"/block?height=abc")
		if code != 500 || !bytes.Contains(bz, []byte(`"id":-1`)) || !bytes.Contains(bz, []byte("-32602")) {
			t.Fatalf("GET block?height=abc: %d %s", code, bz)
		}
		if code, _, _ := get(t, h.url+"/websocket"); code != 404 {
			t.Fatalf("GET /websocket: %d, want 404 (no websocket)", code)
		}
	})

	t.Run("batches", func(t *testing.T) {
		resp, bz := post(t, h.url, `[{"jsonrpc":"2.0","id":1,"method":"status"},{"jsonrpc":"2.0","id":"two","method":"abci_info"},{"jsonrpc":"2.0","method":"broadcast_tx_sync","params":{"tx":"AA=="}}]`)
		var rs []rpcReply
		if err := json.Unmarshal(bz, &rs); err != nil || len(rs) != 2 || string(rs[0].ID) != "1" || string(rs[1].ID) != `"two"` {
			t.Fatalf("batch: %v %s", err, bz)
		}
		if o := resp.Header.Get("X-Akw-Outcome"); o != "verified,verified,skipped" {
			t.Fatalf("batch outcomes %q", o)
		}
		// Notifications only: nothing to answer, as a node.
		if _, bz := post(t, h.url, `[{"jsonrpc":"2.0","method":"status"}]`); len(bz) != 0 {
			t.Fatalf("notification answered: %s", bz)
		}
		many := strings.Repeat(`{"jsonrpc":"2.0","id":1,"method":"health"},`, 11)
		_, bz = post(t, h.url, "["+strings.TrimSuffix(many, ",")+"]")
		if !bytes.Contains(bz, []byte("batch request exceeds maximum (10)")) {
			t.Fatalf("batch of 11: %s", bz)
		}
	})

	t.Run("bad requests", func(t *testing.T) {
		cases := []struct{ body, want string }{
			{`{"jsonrpc":"2.0","id":1,"method":"no_such"}`, `"code":-32601`},
			{`{"jsonrpc":"2.0","id":1,"method":"block","params":{"height":"abc"}}`, `"code":-32602`},
			{`{"jsonrpc":"2.0","id":1,"method":"block","params":["1","2"]}`, `"code":-32602`},
			{`{"jsonrpc":"2.0","id":1,"method":`, `"code":-32700`},
			{strings.Repeat("[", 100) + strings.Repeat("]", 100), "deeper than 64 levels"},
			{`{"jsonrpc":"2.0","id":1,"method":"abci_query","params":{"path":"/store/bank/subspace","data":"00"}}`, "cannot prove the answer"},
			{`{"jsonrpc":"2.0","id":1,"method":"net_info"}`, `"code":-32001`},
			{`{"jsonrpc":"2.0","id":1,"method":"header","params":{"height":"999999999"}}`, "above the newest block"},
		}
		for _, tc := range cases {
			_, bz := post(t, h.url, tc.body)
			if !bytes.Contains(bz, []byte(tc.want)) {
				t.Errorf("%.60s: want %s in %s", tc.body, tc.want, bz)
			}
		}
		// An empty body lists the methods, as a node does for a browser.
		resp, bz := post(t, h.url, "")
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !bytes.Contains(bz, []byte("/abci_query")) {
			t.Fatalf("empty body: %s", bz)
		}
	})

	t.Run("limits", func(t *testing.T) {
		big := `{"jsonrpc":"2.0","id":1,"method":"broadcast_tx_sync","params":{"tx":"` + strings.Repeat("A", 100<<10) + `"}}`
		resp, bz := post(t, h.url, big)
		if resp.StatusCode != http.StatusRequestEntityTooLarge || !bytes.Contains(bz, []byte("larger than 65536 bytes")) {
			t.Fatalf("oversize body: %d %s", resp.StatusCode, bz)
		}
		// A client that sends half its headers is cut off, not waited on
		// forever: the read ends when the server closes the connection.
		conn, err := net.Dial("tcp", strings.TrimPrefix(h.url, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if _, err := conn.Write([]byte("POST / HTTP/1.1\r\nHost: x\r\n")); err != nil {
			t.Fatal(err)
		}
		// Only the test binary's -timeout bounds a hang; the server's own
		// HeaderTimeout is what is under test.
		if d, ok := testctx.New(t).Deadline(); ok {
			_ = conn.SetReadDeadline(d)
		}
		rest, err := io.ReadAll(conn)
		if err != nil {
			t.Fatalf("slow client: the server did not close the connection: %v", err)
		}
		t.Logf("slow client: server closed the connection after %q", rest)
	})
}

// TestAllowUnverified forwards what the proxy cannot verify, and marks it.
func TestAllowUnverified(t *testing.T) {
	chainState(t)
	h := startProxy(t, withConfig(func(cfg *proxy.Config) { cfg.AllowUnverified = true }))
	r := rpcCall(t, h.url, "net_info", "")
	if r.Error != nil || !strings.Contains(r.header.Get("X-Akw-Unverified"), "net_info forwarded unverified") || r.header.Get("X-Akw-Outcome") != "forwarded" {
		t.Fatalf("net_info: %+v %v", r.Error, r.header)
	}
	want := rpcCall(t, h.net.RPC()[0], "num_unconfirmed_txs", "")
	got := rpcCall(t, h.url, "num_unconfirmed_txs", "")
	if string(got.Result) != string(want.Result) {
		t.Fatalf("forwarded answer differs:\nproxy %s\nnode  %s", got.Result, want.Result)
	}
	code, hdr, bz := get(t, h.url+"/consensus_params?height="+url.QueryEscape("3"))
	if code != 200 || hdr.Get("X-Akw-Unverified") == "" || !bytes.Contains(bz, []byte("block")) {
		t.Fatalf("GET consensus_params: %d %v %s", code, hdr, bz)
	}
	if !strings.Contains(h.log.String(), "net_info forwarded") || !strings.Contains(h.log.String(), "UNVERIFIED") {
		t.Fatalf("the log does not mark the forwarded answers:\n%s", h.log.String())
	}
}
