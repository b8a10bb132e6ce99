package trusted

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sync"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtjson "github.com/cometbft/cometbft/libs/json"
	cmtprotocrypto "github.com/cometbft/cometbft/proto/tendermint/crypto"
	rpcclient "github.com/cometbft/cometbft/rpc/client"
	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	ctypes "github.com/cometbft/cometbft/rpc/core/types"
	rpctypes "github.com/cometbft/cometbft/rpc/jsonrpc/types"

	"github.com/akash-wallet/akw/internal/testctx"
)

// queryAnswers are ResponseQuery values as a node returns them: a proven
// value, a proven absence, a refusal, and one with every field set.
var queryAnswers = []abci.ResponseQuery{
	{Key: []byte{0x02, 0x14, 1, 2, 3}, Value: []byte("\n\x04uakt\x12\x071000000"), Height: 41,
		ProofOps: &cmtprotocrypto.ProofOps{Ops: []cmtprotocrypto.ProofOp{
			{Type: "ics23:iavl", Key: []byte{0x02, 0x14, 1, 2, 3}, Data: make([]byte, 700)},
			{Type: "ics23:simple", Key: []byte("bank"), Data: []byte{9, 8, 7}}}}},
	{Key: []byte{0x02}, Height: 7, ProofOps: &cmtprotocrypto.ProofOps{Ops: []cmtprotocrypto.ProofOp{{Type: "ics23:iavl", Key: []byte{0x02}, Data: []byte{1}}}}},
	{Code: 26, Codespace: "sdk", Log: "failed to load state at height 3; version does not exist (latest height: 90): invalid height", Height: 3},
	{Code: 1<<32 - 1, Log: "l", Info: "i", Index: -5, Key: []byte{}, Value: []byte{0}, Height: 1<<63 - 1, Codespace: "c",
		ProofOps: &cmtprotocrypto.ProofOps{}},
}

// nodeAnswer is the body a cometbft v0.38 node writes for res, as its
// JSON-RPC server encodes it.
func nodeAnswer(t testing.TB, id rpctypes.JSONRPCIntID, res abci.ResponseQuery) []byte {
	t.Helper()
	b, err := json.Marshal(rpctypes.NewRPCSuccessResponse(id, &ctypes.ResultABCIQuery{Response: res}))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestQueryNodeAsCometBFT: against a node's answers, the cheap decoding
// gives what cometbft's client gives, from the same request.
func TestQueryNodeAsCometBFT(t *testing.T) {
	var (
		mu     sync.Mutex
		next   abci.ResponseQuery
		params []map[string]any
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var req rpctypes.RPCRequest
		if err := json.Unmarshal(body, &req); err != nil || req.Method != "abci_query" {
			t.Errorf("request %s: %v", body, err)
			return
		}
		var p map[string]any
		if err := json.Unmarshal(req.Params, &p); err != nil {
			t.Error(err)
		}
		mu.Lock()
		params = append(params, p)
		res := next
		mu.Unlock()
		w.Write(nodeAnswer(t, req.ID.(rpctypes.JSONRPCIntID), res)) //nolint:errcheck
	}))
	defer srv.Close()
	stock, err := rpchttp.New(srv.URL, "/websocket")
	if err != nil {
		t.Fatal(err)
	}
	fast := newQueryNode(stock, srv.Client(), srv.URL)
	ctx := testctx.New(t)
	for i, want := range queryAnswers {
		mu.Lock()
		next, params = want, nil
		mu.Unlock()
		opts := rpcclient.ABCIQueryOptions{Height: int64(i * 1000), Prove: i%2 == 0}
		a, err := stock.ABCIQueryWithOptions(ctx, "/store/bank/key", []byte{0x02, 0xab}, opts)
		if err != nil {
			t.Fatalf("answer %d, cometbft's client: %v", i, err)
		}
		b, err := fast.ABCIQueryWithOptions(ctx, "/store/bank/key", []byte{0x02, 0xab}, opts)
		if err != nil {
			t.Fatalf("answer %d: %v", i, err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("answer %d:\ncometbft's client: %+v\nqueryNode:         %+v", i, a, b)
		}
		mu.Lock()
		if len(params) != 2 || !reflect.DeepEqual(params[0], params[1]) {
			t.Errorf("answer %d: the requests differ: %v", i, params)
		}
		mu.Unlock()
	}
}

// TestQueryNodeRefusesMalformed: what cometbft's client refuses, the
// cheap decoding refuses too: an error answer, another request's id,
// no result, bytes that are not base64, numbers that are not numbers.
func TestQueryNodeRefusesMalformed(t *testing.T) {
	for name, body := range map[string]string{
		"rpc error":        `{"jsonrpc":"2.0","id":1,"error":{"code":-32603,"message":"Internal error","data":"boom"}}`,
		"another id":       `{"jsonrpc":"2.0","id":2,"result":{"response":{"code":0}}}`,
		"no result":        `{"jsonrpc":"2.0","id":1}`,
		"not base64":       `{"jsonrpc":"2.0","id":1,"result":{"response":{"value":"%%%"}}}`,
		"height not a num": `{"jsonrpc":"2.0","id":1,"result":{"response":{"height":"12a"}}}`,
		"code negative":    `{"jsonrpc":"2.0","id":1,"result":{"response":{"code":-1}}}`,
		"not json":         `<html>502</html>`,
		"ops not a list":   `{"jsonrpc":"2.0","id":1,"result":{"response":{"proofOps":{"ops":7}}}}`,
	} {
		if res, err := decodeQueryAnswer([]byte(body), 1); err == nil {
			t.Errorf("%s: accepted as %+v", name, res)
		}
	}
}

// FuzzDecodeQueryAnswer: no answer of a node, however malformed, panics;
// and whatever is decoded from a node's own encoding is what it encoded.
func FuzzDecodeQueryAnswer(f *testing.F) {
	for _, res := range queryAnswers {
		f.Add(nodeAnswer(f, 1, res))
	}
	f.Add([]byte(`{"jsonrpc":"2.0","id":"1","result":{"response":{"proof_ops":{"ops":[{"type":"x","key":null,"data":""}]},"index":null}}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		res, err := decodeQueryAnswer(raw, 1)
		if err != nil {
			return
		}
		// Encoded again by the node's encoder and decoded again: the same.
		again, err := decodeQueryAnswer(nodeAnswer(t, 1, res.Response), 1)
		if err != nil {
			t.Fatalf("re-encoded answer refused: %v", err)
		}
		var stock ctypes.ResultABCIQuery
		if err := cmtjson.Unmarshal(mustResult(t, nodeAnswer(t, 1, res.Response)), &stock); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(again.Response, stock.Response) {
			t.Fatalf("decoded %+v, cometbft decodes %+v", again.Response, stock.Response)
		}
	})
}

func mustResult(t testing.TB, answer []byte) json.RawMessage {
	var r rpctypes.RPCResponse
	if err := json.Unmarshal(answer, &r); err != nil {
		t.Fatal(err)
	}
	return r.Result
}

// BenchmarkDecodeQueryAnswer: a proven balance's answer decoded as
// cometbft's client decodes it, beside queryNode's decoding.
func BenchmarkDecodeQueryAnswer(b *testing.B) {
	raw := nodeAnswer(b, 1, queryAnswers[0])
	b.Run("cometbft", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			var r rpctypes.RPCResponse
			if err := json.Unmarshal(raw, &r); err != nil {
				b.Fatal(err)
			}
			var res ctypes.ResultABCIQuery
			if err := cmtjson.Unmarshal(r.Result, &res); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("queryNode", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			if _, err := decodeQueryAnswer(raw, 1); err != nil {
				b.Fatal(err)
			}
		}
	})
}
