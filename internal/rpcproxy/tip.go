package rpcproxy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// ClaimTip makes the proxy play a node whose newest block is h, as a node
// that fell behind or one that lies to roll a client back: /status says
// h, and /commit without a height answers with height h's commit. With
// refuseAbove it is thorough, as a node that is really behind: /commit and
// /validators of a height above h get the node's "must be less than or
// equal to the current blockchain height" error, and abci_query above h
// the SDK's "cannot query with height in the future". Without it, any
// height asked for by number is still served (a liar that answers what
// it cannot plausibly refuse). ClaimTip(0, false) stops the lie; other
// hooks on those methods are replaced.
func (p *Proxy) ClaimTip(h int64, refuseAbove bool) {
	if h <= 0 {
		for _, m := range []string{"status", "commit", "validators", "abci_query"} {
			p.Handle(m, nil)
		}
		return
	}
	p.Handle("status", func(_ Call, r *Response) {
		if r.Error != nil {
			return
		}
		var doc map[string]json.RawMessage
		if json.Unmarshal(r.Result, &doc) != nil {
			return
		}
		var sync map[string]json.RawMessage
		if json.Unmarshal(doc["sync_info"], &sync) != nil {
			return
		}
		sync["latest_block_height"] = json.RawMessage(strconv.Quote(strconv.FormatInt(h, 10)))
		doc["sync_info"], _ = json.Marshal(sync)
		r.Result, _ = json.Marshal(doc)
	})
	p.Handle("commit", func(c Call, r *Response) {
		asked, given := callHeight(c, "height")
		switch {
		case !given:
			old, err := p.forward("commit", map[string]string{"height": strconv.FormatInt(h, 10)})
			if err != nil {
				r.Error = &RPCError{Code: -32603, Message: "Internal error", Data: err.Error()}
				return
			}
			r.Result, r.Error = old.Result, old.Error
		case refuseAbove && asked > h:
			r.Error = tooHigh(asked, h)
		}
	})
	if !refuseAbove {
		p.Handle("validators", nil)
		p.Handle("abci_query", nil)
		return
	}
	p.Handle("validators", func(c Call, r *Response) {
		if asked, given := callHeight(c, "height"); given && asked > h {
			r.Error = tooHigh(asked, h)
		}
	})
	p.Handle("abci_query", func(c Call, r *Response) {
		if asked, given := callHeight(c, "height"); given && asked > h {
			// The SDK answers a future height with a failed query, not
			// an RPC error (baseapp: ErrInvalidHeight, code 26).
			bz, _ := json.Marshal(map[string]any{"response": map[string]any{
				"code": 26, "codespace": "sdk", "log": "cannot query with height in the future; please provide a valid height",
				"height": "0",
			}})
			r.Result, r.Error = bz, nil
		}
	})
}

// tooHigh is CometBFT's answer for a height above its newest block
// (rpc/core/env.go getHeight).
func tooHigh(asked, tip int64) *RPCError {
	return &RPCError{Code: -32603, Message: "Internal error",
		Data: fmt.Sprintf("height %d must be less than or equal to the current blockchain height %d", asked, tip)}
}

// callHeight reads a height parameter, sent as a JSON string ("10") or a
// number; absent, null, empty or 0 mean "latest".
func callHeight(c Call, name string) (int64, bool) {
	var params map[string]json.RawMessage
	if json.Unmarshal(c.Params, &params) != nil {
		return 0, false
	}
	raw, ok := params[name]
	if !ok {
		return 0, false
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		s = string(raw)
	}
	h, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || h <= 0 {
		return 0, false
	}
	return h, true
}

// forward sends one JSON-RPC call to the target and returns its answer.
func (p *Proxy) forward(method string, params map[string]string) (*Response, error) {
	body, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
	if err != nil {
		return nil, err
	}
	target, _ := p.pick()
	resp, err := p.client.Post(target.String(), "application/json", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	bz, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	var rr rpcResponse
	if err := json.Unmarshal(bz, &rr); err != nil {
		return nil, fmt.Errorf("%s: %w", method, err)
	}
	if resp.StatusCode != http.StatusOK && rr.Error == nil {
		return nil, fmt.Errorf("%s: HTTP %d", method, resp.StatusCode)
	}
	return &Response{Result: rr.Result, Error: rr.Error}, nil
}
