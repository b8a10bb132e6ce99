package trusted

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtbytes "github.com/cometbft/cometbft/libs/bytes"
	cmtprotocrypto "github.com/cometbft/cometbft/proto/tendermint/crypto"
	rpcclient "github.com/cometbft/cometbft/rpc/client"
	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	ctypes "github.com/cometbft/cometbft/rpc/core/types"
	rpctypes "github.com/cometbft/cometbft/rpc/jsonrpc/types"
)

// queryNode is the RPC client an endpoint hands out (Client.Primary):
// cometbft's HTTP client, except that abci_query — the call every proven
// value costs, and the one a verifying proxy makes per client request —
// is decoded by encoding/json into the answer's plain fields instead of
// through cometbft's JSON and gogoproto's jsonpb reflection, which took
// most of the proxy's CPU per verified query. The answer is the same
// ResultABCIQuery and is verified as any other: a decoding this strict
// can only refuse an answer, never pass one that does not check out.
type queryNode struct {
	*rpchttp.HTTP
	hc   *http.Client
	addr string // "": not a plain http(s) URL, cometbft's client does it all
	id   atomic.Int64
}

// maxQueryAnswer bounds one abci_query answer (a proof is a few KiB; a
// list's value rarely more than a MiB).
const maxQueryAnswer = 32 << 20

func newQueryNode(c *rpchttp.HTTP, hc *http.Client, raw string) *queryNode {
	n := &queryNode{HTTP: c, hc: hc}
	if u, err := url.Parse(raw); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.User == nil {
		n.addr = raw
	}
	return n
}

// ABCIQuery is ABCIQueryWithOptions with the default options, as
// cometbft's client has it.
func (n *queryNode) ABCIQuery(ctx context.Context, path string, data cmtbytes.HexBytes) (*ctypes.ResultABCIQuery, error) {
	return n.ABCIQueryWithOptions(ctx, path, data, rpcclient.DefaultABCIQueryOptions)
}

// ABCIQueryWithOptions sends what cometbft's client sends and reads the
// answer cometbft's server writes (rpc/core ABCIQuery: ResponseQuery as
// jsonpb with EmitDefaults, int64 as strings, bytes as base64).
func (n *queryNode) ABCIQueryWithOptions(ctx context.Context, path string, data cmtbytes.HexBytes, opts rpcclient.ABCIQueryOptions) (*ctypes.ResultABCIQuery, error) {
	if n.addr == "" {
		return n.HTTP.ABCIQueryWithOptions(ctx, path, data, opts)
	}
	id := n.id.Add(1)
	body, err := json.Marshal(queryRequest{JSONRPC: "2.0", ID: id, Method: "abci_query", Params: queryParams{
		Path: path, Data: data.String(), Height: strconv.FormatInt(opts.Height, 10), Prove: opts.Prove}})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, n.addr, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("request failed: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := n.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("post failed: %w", err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(res.Body, maxQueryAnswer+1))
	if err != nil {
		return nil, fmt.Errorf("%s: failed to read response body: %w", res.Status, err)
	}
	if len(raw) > maxQueryAnswer {
		return nil, fmt.Errorf("%s: abci_query answer larger than %d bytes", res.Status, maxQueryAnswer)
	}
	return decodeQueryAnswer(raw, id)
}

type queryRequest struct {
	JSONRPC string      `json:"jsonrpc"`
	ID      int64       `json:"id"`
	Method  string      `json:"method"`
	Params  queryParams `json:"params"`
}

type queryParams struct {
	Path   string `json:"path"`
	Data   string `json:"data"`
	Height string `json:"height"`
	Prove  bool   `json:"prove"`
}

// decodeQueryAnswer reads a JSON-RPC answer to abci_query with request
// id. Anything malformed is an error, as cometbft's client makes it.
func decodeQueryAnswer(raw []byte, id int64) (*ctypes.ResultABCIQuery, error) {
	var resp struct {
		ID     json.RawMessage    `json:"id"`
		Result *queryResult       `json:"result"`
		Error  *rpctypes.RPCError `json:"error"`
	}
	if err := json.Unmarshal(raw, &resp); err != nil {
		return nil, fmt.Errorf("error unmarshalling: %w", err)
	}
	if resp.Error != nil {
		return nil, resp.Error
	}
	if got := string(bytes.Trim(resp.ID, `"`)); got != strconv.FormatInt(id, 10) {
		return nil, fmt.Errorf("wrong ID: response ID (%s) does not match request ID (%d)", resp.ID, id)
	}
	if resp.Result == nil {
		return nil, errors.New("error unmarshalling result: no result")
	}
	r := resp.Result.Response
	out := &ctypes.ResultABCIQuery{Response: abci.ResponseQuery{
		Code: uint32(r.Code), Log: r.Log, Info: r.Info, Index: int64(r.Index), Key: r.Key, Value: r.Value,
		Height: int64(r.Height), Codespace: r.Codespace,
	}}
	if r.Code < 0 || r.Code > 1<<32-1 {
		return nil, fmt.Errorf("error unmarshalling result: code %d out of range", r.Code)
	}
	ops := r.ProofOps
	if ops == nil {
		ops = r.ProofOpsOrig
	}
	if ops != nil {
		out.Response.ProofOps = &cmtprotocrypto.ProofOps{Ops: make([]cmtprotocrypto.ProofOp, len(ops.Ops))}
		for i, op := range ops.Ops {
			out.Response.ProofOps.Ops[i] = cmtprotocrypto.ProofOp{Type: op.Type, Key: op.Key, Data: op.Data}
		}
	}
	return out, nil
}

type queryResult struct {
	Response struct {
		Code         jsonInt       `json:"code"`
		Log          string        `json:"log"`
		Info         string        `json:"info"`
		Index        jsonInt       `json:"index"`
		Key          []byte        `json:"key"`
		Value        []byte        `json:"value"`
		ProofOps     *jsonProofOps `json:"proofOps"`
		ProofOpsOrig *jsonProofOps `json:"proof_ops"`
		Height       jsonInt       `json:"height"`
		Codespace    string        `json:"codespace"`
	} `json:"response"`
}

type jsonProofOps struct {
	Ops []struct {
		Type string `json:"type"`
		Key  []byte `json:"key"`
		Data []byte `json:"data"`
	} `json:"ops"`
}

// jsonInt is an integer as jsonpb writes it: a JSON number, or (int64)
// a string holding one; null is zero.
type jsonInt int64

func (v *jsonInt) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*v = 0
		return nil
	}
	s := string(b)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = s[1 : len(s)-1]
	}
	i, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("not an integer: %s", b)
	}
	*v = jsonInt(i)
	return nil
}
