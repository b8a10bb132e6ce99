package proxy_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	cmtjson "github.com/cometbft/cometbft/libs/json"
	rpcclient "github.com/cometbft/cometbft/rpc/client"
	ctypes "github.com/cometbft/cometbft/rpc/core/types"
	"github.com/cosmos/cosmos-sdk/types/address"

	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/devnet/devnettest"
	"github.com/akash-wallet/akw/proxy"
)

// rpcReply is one JSON-RPC answer as it came over the wire.
type rpcReply struct {
	ID     json.RawMessage `json:"id"`
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Data    string `json:"data"`
	} `json:"error"`
	header http.Header
	status int
}

// post sends a raw JSON-RPC body to url.
func post(t *testing.T, url, body string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	bz, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, bz
}

// rpcCall sends one call with params (a JSON object) to url.
func rpcCall(t *testing.T, url, method, params string) rpcReply {
	t.Helper()
	if params == "" {
		params = "{}"
	}
	resp, bz := post(t, url, fmt.Sprintf(`{"jsonrpc":"2.0","id":7,"method":%q,"params":%s}`, method, params))
	var r rpcReply
	if err := json.Unmarshal(bz, &r); err != nil {
		t.Fatalf("%s: not a JSON-RPC answer: %v\n%s", method, err, bz)
	}
	r.header, r.status = resp.Header, resp.StatusCode
	return r
}

// same requires the proxy's and the node's answers to the same call to
// be the same bytes.
func same(t *testing.T, h *harness, method, params string) rpcReply {
	t.Helper()
	got := rpcCall(t, h.url, method, params)
	want := rpcCall(t, h.net.RPC()[0], method, params)
	if got.Error != nil || want.Error != nil {
		t.Fatalf("%s %s: proxy error %+v, node error %+v", method, params, got.Error, want.Error)
	}
	if !bytes.Equal(got.Result, want.Result) {
		t.Fatalf("%s %s: the answers differ\nproxy %s\nnode  %s", method, params, got.Result, want.Result)
	}
	return got
}

// TestHeadersBlocksAsTheNode compares, byte for byte, the proxy's header,
// block, blockchain and store-proof answers with the node's at the same
// height, and checks status and abci_info against the verified header.
func TestHeadersBlocksAsTheNode(t *testing.T) {
	c := chainState(t)
	h := startProxy(t)
	ctx := testCtx(t)

	st, err := h.rpc.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.NodeInfo.Network != h.net.ChainID() || !strings.HasPrefix(st.NodeInfo.Version, "0.38.") || st.SyncInfo.LatestBlockHeight < c.lastHeight {
		t.Fatalf("status: network %q version %q height %d", st.NodeInfo.Network, st.NodeInfo.Version, st.SyncInfo.LatestBlockHeight)
	}
	head := st.SyncInfo.LatestBlockHeight
	nh, err := h.node.Header(ctx, &head)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(nh.Header.Hash(), st.SyncInfo.LatestBlockHash) || !bytes.Equal(nh.Header.AppHash, st.SyncInfo.LatestAppHash) {
		t.Fatalf("status: hash %X app hash %X, the node's header %d is %X, %X", st.SyncInfo.LatestBlockHash, st.SyncInfo.LatestAppHash, head, nh.Header.Hash(), nh.Header.AppHash)
	}
	info, err := h.rpc.ABCIInfo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.Response.LastBlockHeight != head-1 || !bytes.Equal(info.Response.LastBlockAppHash, st.SyncInfo.LatestAppHash) {
		t.Fatalf("abci_info: %+v, status %d", info.Response, head)
	}

	hs := fmt.Sprintf(`{"height":"%d"}`, c.lastHeight)
	for _, m := range []string{"header", "block"} {
		if r := same(t, h, m, hs); r.header.Get("X-Akw-Outcome") != string(proxy.Verified) {
			t.Fatalf("%s: X-Akw-Outcome %q", m, r.header.Get("X-Akw-Outcome"))
		}
	}
	// blockchain: the metas as the node's; last_height is the newest
	// verified header's, which may be a block behind the node's.
	bp := fmt.Sprintf(`{"minHeight":"%d","maxHeight":"%d"}`, c.lastHeight-3, c.lastHeight)
	var gb, nb ctypes.ResultBlockchainInfo
	if err := cmtjson.Unmarshal(rpcCall(t, h.url, "blockchain", bp).Result, &gb); err != nil {
		t.Fatal(err)
	}
	if err := cmtjson.Unmarshal(rpcCall(t, h.net.RPC()[0], "blockchain", bp).Result, &nb); err != nil {
		t.Fatal(err)
	}
	if a, b := mustJSON(t, gb.BlockMetas), mustJSON(t, nb.BlockMetas); !bytes.Equal(a, b) || gb.LastHeight > nb.LastHeight || gb.LastHeight < c.lastHeight {
		t.Fatalf("blockchain: last height %d (node %d)\nproxy %s\nnode  %s", gb.LastHeight, nb.LastHeight, a, b)
	}
	blk, err := h.node.Block(ctx, &c.lastHeight)
	if err != nil {
		t.Fatal(err)
	}
	same(t, h, "header_by_hash", fmt.Sprintf(`{"hash":"%X"}`, blk.BlockID.Hash))
	same(t, h, "block_by_hash", fmt.Sprintf(`{"hash":"%s"}`, b64(blk.BlockID.Hash)))
	// The commit of a height whose next header the proxy has verified is
	// the canonical one, as the node's.
	if _, err := h.rpc.Header(ctx, ptr(c.lastHeight+1)); err != nil {
		t.Fatal(err)
	}
	same(t, h, "commit", hs)

	// Validators: the verified set, proposer priorities dropped.
	got := rpcCall(t, h.url, "validators", hs)
	var gv, nv ctypes.ResultValidators
	if err := cmtjson.Unmarshal(got.Result, &gv); err != nil {
		t.Fatal(err)
	}
	want, err := h.node.Validators(ctx, &c.lastHeight, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	nv = *want
	for _, v := range nv.Validators {
		v.ProposerPriority = 0
	}
	if a, b := mustJSON(t, gv), mustJSON(t, nv); !bytes.Equal(a, b) {
		t.Fatalf("validators:\nproxy %s\nnode  %s", a, b)
	}
	if !strings.Contains(got.header.Get("X-Akw-Unverified"), "proposer_priority") {
		t.Fatalf("validators: X-Akw-Unverified %q", got.header.Get("X-Akw-Unverified"))
	}

	// A store query with its proof: the node's answer, checked, unchanged.
	key := append(append([]byte{0x02}, address.MustLengthPrefix(c.alice)...), devnet.Denom...)
	pr, err := h.rpc.ABCIQueryWithOptions(ctx, "/store/bank/key", key, rpcclient.ABCIQueryOptions{Prove: true})
	if err != nil {
		t.Fatal(err)
	}
	nr, err := h.node.ABCIQueryWithOptions(ctx, "/store/bank/key", key, rpcclient.ABCIQueryOptions{Prove: true, Height: pr.Response.Height})
	if err != nil {
		t.Fatal(err)
	}
	if a, b := mustJSON(t, pr), mustJSON(t, nr); !bytes.Equal(a, b) || pr.Response.ProofOps == nil {
		t.Fatalf("store query:\nproxy %s\nnode  %s", a, b)
	}
}

// TestTxAsTheNode proves a transaction through tx and tx_search (as
// cosmjs's getTx asks) and compares it with the node's answer.
func TestTxAsTheNode(t *testing.T) {
	chainState(t)
	h := startProxy(t)
	ctx := testCtx(t)
	res := devnetSend(t, "carol", "bob", "1234uakt")
	hash := fmt.Sprintf("%X", res.Hash)
	same(t, h, "tx", fmt.Sprintf(`{"hash":"%s","prove":true}`, b64(res.Hash)))
	r := same(t, h, "tx_search", fmt.Sprintf(`{"query":"tx.hash='%s'","prove":false,"page":"1","per_page":"30"}`, hash))
	if u := r.header.Get("X-Akw-Unverified"); !strings.Contains(u, "node-reported") || r.header.Get("X-Akw-Outcome") != string(proxy.Labelled) {
		t.Fatalf("tx_search marks: outcome %q unverified %q", r.header.Get("X-Akw-Outcome"), u)
	}
	// What the proxy proved moved its newest state past the transaction.
	st, err := h.rpc.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.SyncInfo.LatestBlockHeight <= res.Height {
		t.Fatalf("status height %d after proving a transaction at %d", st.SyncInfo.LatestBlockHeight, res.Height)
	}
}

func b64(b []byte) string {
	bz, _ := json.Marshal(b)
	return strings.Trim(string(bz), `"`)
}

func ptr[T any](v T) *T { return &v }

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	bz, err := cmtjson.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return bz
}

// devnetSend sends amount from one funded account to another and waits
// until every validator has the block.
func devnetSend(t *testing.T, from, to, amount string) *devnetTx {
	t.Helper()
	r := devnettest.Send(t, from, devnettest.Account(t, to).Address, amount)
	hash, err := hex.DecodeString(r.Hash)
	if err != nil {
		t.Fatal(err)
	}
	return &devnetTx{Hash: hash, Height: r.Height}
}

type devnetTx struct {
	Hash   []byte
	Height int64
}
