package proxy

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"strings"

	cmtjson "github.com/cometbft/cometbft/libs/json"
	types "github.com/cometbft/cometbft/rpc/jsonrpc/types"
)

// The request side of the JSON-RPC endpoint, as a CometBFT v0.38 node
// reads it (rpc/jsonrpc/server): a POST body holding one call or a batch
// of them, each with params by name (an object) or by position (an
// array), decoded with CometBFT's JSON rules (64-bit integers as
// strings, byte slices as base64, HexBytes as hex); or the URI form, GET
// /method?arg=value, where strings are quoted and bytes are 0x-hex.
// Everything here is a pure function of the request, and fuzzed
// (FuzzParseRequest): a client's bytes can make it refuse, never crash.

// call is one JSON-RPC call.
type call struct {
	// ID (nil: a notification, answered with nothing), Method, and
	// Params as sent (POST).
	types.RPCRequest
	query url.Values // URI form: the query parameters
	uri   bool
	batch bool
}

// errRequest is a request that is not JSON-RPC at all: the whole body is
// refused (a node answers such a body with one parse error).
type errRequest struct {
	code   int // -32700 parse error, -32600 invalid request
	reason string
}

func (e *errRequest) Error() string { return e.reason }

// parseBody reads a POST body: one call or a batch. It refuses JSON
// nested deeper than maxDepth (before decoding it) and batches of more
// than maxBatch calls.
func parseBody(body []byte, maxDepth, maxBatch int) (calls []*call, batch bool, err error) {
	if d, ok := depthWithin(body, maxDepth); !ok {
		return nil, false, &errRequest{code: -32600, reason: fmt.Sprintf("the request nests JSON deeper than %d levels (found at least %d); a JSON-RPC call needs a handful", maxDepth, d)}
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && trimmed[0] == '[' {
		var reqs []types.RPCRequest
		if err := json.Unmarshal(trimmed, &reqs); err != nil {
			return nil, true, &errRequest{code: -32700, reason: "error unmarshaling request: " + err.Error()}
		}
		if len(reqs) > maxBatch {
			return nil, true, &errRequest{code: -32600, reason: fmt.Sprintf("batch request exceeds maximum (%d) allowed number of requests", maxBatch)}
		}
		for _, r := range reqs {
			calls = append(calls, &call{RPCRequest: r, batch: true})
		}
		return calls, true, nil
	}
	var r types.RPCRequest
	if err := json.Unmarshal(trimmed, &r); err != nil {
		return nil, false, &errRequest{code: -32700, reason: "error unmarshaling request: " + err.Error()}
	}
	return []*call{{RPCRequest: r}}, false, nil
}

// depthWithin reports whether JSON text nests arrays and objects at most
// max deep (strings are skipped, so brackets inside them do not count).
// It does not validate; the decoder does that afterwards. It returns the
// depth at which it stopped.
func depthWithin(b []byte, max int) (int, bool) {
	depth, inString, escaped := 0, false, false
	for _, c := range b {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '[' || c == '{':
			depth++
			if depth > max {
				return depth, false
			}
		case c == ']' || c == '}':
			depth--
		}
	}
	return depth, true
}

// uriCall is the URI form: GET /method?arg=value.
func uriCall(method string, query url.Values) *call {
	return &call{RPCRequest: types.RPCRequest{JSONRPC: "2.0", ID: types.JSONRPCIntID(-1), Method: method}, query: query, uri: true}
}

// decodeParams fills dst, a pointer to a struct whose fields are the
// method's arguments in order, from c's params, as CometBFT's server
// does (rpc/jsonrpc/server: mapParamsToArgs, arrayParamsToArgs,
// httpParamsToArgs): a missing argument is its type's zero value.
func decodeParams(c *call, names []string, dst any) error {
	rv := reflect.ValueOf(dst).Elem()
	if rv.NumField() != len(names) {
		panic(fmt.Sprintf("proxy: %s: %d argument names for %d fields", c.Method, len(names), rv.NumField()))
	}
	if c.uri {
		return decodeURIParams(c.query, names, rv)
	}
	if len(c.Params) == 0 {
		return nil
	}
	var byName map[string]json.RawMessage
	if err := json.Unmarshal(c.Params, &byName); err == nil {
		for i, name := range names {
			if p, ok := byName[name]; ok && len(p) > 0 {
				if err := cmtjson.Unmarshal(p, rv.Field(i).Addr().Interface()); err != nil {
					return fmt.Errorf("error converting json params to arguments: %w", err)
				}
			}
		}
		return nil
	}
	var byPos []json.RawMessage
	if err := json.Unmarshal(c.Params, &byPos); err != nil {
		return fmt.Errorf("error converting json params to arguments: unknown type for JSON params: %v. Expected map or array", err)
	}
	if len(byPos) != len(names) {
		return fmt.Errorf("error converting json params to arguments: expected %v parameters (%v), got %v", len(names), names, len(byPos))
	}
	for i, p := range byPos {
		if err := cmtjson.Unmarshal(p, rv.Field(i).Addr().Interface()); err != nil {
			return fmt.Errorf("error converting json params to arguments: %w", err)
		}
	}
	return nil
}

var reInt = regexp.MustCompile(`^-?[0-9]+$`)

// decodeURIParams is CometBFT's httpParamsToArgs over struct fields.
func decodeURIParams(q url.Values, names []string, rv reflect.Value) error {
	for i, name := range names {
		arg := q.Get(name)
		if arg == "" {
			continue
		}
		f := rv.Field(i)
		v, ok, err := uriArg(f.Type(), arg)
		if err != nil {
			return fmt.Errorf("error converting http params to arguments: %w", err)
		}
		if ok {
			f.Set(v)
			continue
		}
		if err := cmtjson.Unmarshal([]byte(arg), f.Addr().Interface()); err != nil {
			return fmt.Errorf("error converting http params to arguments: %w", err)
		}
	}
	return nil
}

// uriArg reads one URI argument that is not JSON: an integer, 0x-hex,
// or a quoted string for a byte slice (nonJSONStringToArg).
func uriArg(rt reflect.Type, arg string) (reflect.Value, bool, error) {
	if rt.Kind() == reflect.Ptr {
		v, ok, err := uriArg(rt.Elem(), arg)
		if err != nil || !ok {
			return reflect.Value{}, ok, err
		}
		p := reflect.New(rt.Elem())
		p.Elem().Set(v)
		return p, true, nil
	}
	isInt := reInt.MatchString(arg)
	isQuoted := len(arg) >= 2 && strings.HasPrefix(arg, `"`) && strings.HasSuffix(arg, `"`)
	isHex := strings.HasPrefix(strings.ToLower(arg), "0x")
	var wantString, wantBytes, wantInt bool
	switch rt.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		wantInt = true
	case reflect.String:
		wantString = true
	case reflect.Slice:
		wantBytes = rt.Elem().Kind() == reflect.Uint8
	}
	switch {
	case isInt && wantInt:
		v := reflect.New(rt)
		if err := cmtjson.Unmarshal([]byte(`"`+arg+`"`), v.Interface()); err != nil {
			return reflect.Value{}, false, err
		}
		return v.Elem(), true, nil
	case isHex:
		if !wantString && !wantBytes {
			return reflect.Value{}, false, fmt.Errorf("got a hex string arg, but expected '%s'", rt.Kind())
		}
		b, err := hex.DecodeString(arg[2:])
		if err != nil {
			return reflect.Value{}, false, err
		}
		if wantString {
			return reflect.ValueOf(string(b)).Convert(rt), true, nil
		}
		return reflect.ValueOf(b).Convert(rt), true, nil
	case isQuoted && wantBytes:
		var s string
		if err := cmtjson.Unmarshal([]byte(arg), &s); err != nil {
			return reflect.Value{}, false, err
		}
		return reflect.ValueOf([]byte(s)).Convert(rt), true, nil
	}
	return reflect.Value{}, false, nil
}

// response builds the JSON-RPC response to c from its answer.
func response(c *call, a *answer) types.RPCResponse {
	switch {
	case a.err != nil:
		return types.NewRPCErrorResponse(c.ID, a.err.code, a.err.message, a.err.Error())
	case a.rpcErr != nil:
		return types.RPCResponse{JSONRPC: "2.0", ID: c.ID, Error: a.rpcErr}
	case a.raw != nil:
		return types.RPCResponse{JSONRPC: "2.0", ID: c.ID, Result: a.raw}
	}
	bz, err := cmtjson.Marshal(a.result)
	if err != nil {
		return types.NewRPCErrorResponse(c.ID, -32603, "Internal error", "encoding the answer: "+err.Error())
	}
	return types.RPCResponse{JSONRPC: "2.0", ID: c.ID, Result: bz}
}
