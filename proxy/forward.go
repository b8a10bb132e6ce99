package proxy

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	types "github.com/cometbft/cometbft/rpc/jsonrpc/types"

	"github.com/akash-wallet/akw/errkind"
)

// Forwarding: broadcasts, simulation and, with AllowUnverified, whatever
// the proxy cannot verify go to the node as the client sent them, and
// the node's answer (result or error) comes back as the node sent it,
// marked. The node's answer is read up to a bound: a node cannot make
// the proxy hold more than MaxUpstreamBody bytes per call.

type forwarder struct {
	client *http.Client
	max    int64
}

func newForwarder(max int64, timeout time.Duration) *forwarder {
	return &forwarder{max: max, client: &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{
			Proxy:               http.ProxyFromEnvironment,
			DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			MaxIdleConnsPerHost: 16,
			IdleConnTimeout:     90 * time.Second,
			DisableCompression:  true, // as cometbft's client: no gzip bomb from a node
		},
	}}
}

// forwardCall forwards c to the current node and marks the answer.
func (s *Server) forwardCall(ctx context.Context, c *call, label string) *answer {
	node, err := s.cfg.Upstream.Node()
	if err != nil {
		return failed(classify("the node", err))
	}
	result, rpcErr, err := s.forward.do(ctx, node.Remote(), c)
	if err != nil {
		return failed(classify("forwarding "+c.Method+" to "+node.Remote(), err))
	}
	return &answer{raw: result, rpcErr: rpcErr, outcome: Forwarded, unverified: label}
}

// do sends one call to the node at base and returns its result or error.
func (f *forwarder) do(ctx context.Context, base string, c *call) (json.RawMessage, *types.RPCError, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, nil, err
	}
	if u.Scheme == "tcp" {
		u.Scheme = "http"
	}
	var req *http.Request
	if c.uri {
		u.Path = strings.TrimRight(u.Path, "/") + "/" + c.Method
		u.RawQuery = c.query.Encode()
		req, err = http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	} else {
		id := c.ID
		if id == nil {
			id = types.JSONRPCIntID(-1)
		}
		var body []byte
		body, err = json.Marshal(types.RPCRequest{JSONRPC: "2.0", ID: id, Method: c.Method, Params: c.Params})
		if err == nil {
			req, err = http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
		}
	}
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, nil, &netError{err}
	}
	defer resp.Body.Close()
	bz, err := io.ReadAll(io.LimitReader(resp.Body, f.max+1))
	if err != nil {
		return nil, nil, &netError{err}
	}
	if int64(len(bz)) > f.max {
		return nil, nil, fmt.Errorf("%w: the node's answer is larger than %d bytes", errVerification, f.max)
	}
	var out types.RPCResponse
	if err := json.Unmarshal(bz, &out); err != nil {
		return nil, nil, fmt.Errorf("%w: the node's answer is not JSON-RPC (HTTP %d): %v", errVerification, resp.StatusCode, err)
	}
	if out.Error == nil && out.Result == nil {
		return nil, nil, fmt.Errorf("%w: the node's answer has neither a result nor an error", errVerification)
	}
	return out.Result, out.Error, nil
}

// netError is a node that could not be asked.
type netError struct{ err error }

func (e *netError) Error() string      { return "node did not answer: " + e.err.Error() }
func (e *netError) Unwrap() error      { return e.err }
func (e *netError) Kind() errkind.Kind { return errkind.Network }

// nodeError sorts an error from asking the node through cometbft's
// client: the node's own JSON-RPC error (a height it does not have, a
// transaction it does not know) is passed on as the node said it;
// anything else means the node could not be asked.
func nodeError(err error) error {
	if err == nil {
		return nil
	}
	var re *types.RPCError
	if errors.As(err, &re) {
		return &callError{code: re.Code, message: re.Message, reason: re.Data, outcome: Invalid, err: err}
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return &netError{err}
}
