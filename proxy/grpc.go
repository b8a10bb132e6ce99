package proxy

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"cosmossdk.io/core/address"
	errorsmod "cosmossdk.io/errors"
	abci "github.com/cometbft/cometbft/abci/types"
	rpcclient "github.com/cometbft/cometbft/rpc/client"
	"github.com/cosmos/cosmos-sdk/codec"
	addresscodec "github.com/cosmos/cosmos-sdk/codec/address"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	gogoproto "github.com/cosmos/gogoproto/proto"
	"google.golang.org/grpc/codes"
	grpcstatus "google.golang.org/grpc/status"

	"github.com/akash-wallet/akw/lightclient/state"
)

// grpcMethod answers one gRPC query path from proven state.
type grpcMethod struct {
	path  string
	serve func(q *provenQuery, data []byte) (gogoproto.Message, error)
}

// rpc makes a grpcMethod from a handler with the query server's own
// signature: the request is decoded as the node's gRPC router decodes it.
func rpc[Req any, PReq interface {
	*Req
	gogoproto.Message
}, Resp gogoproto.Message](path string, f func(q *provenQuery, req PReq) (Resp, error)) grpcMethod {
	return grpcMethod{path: path, serve: func(q *provenQuery, data []byte) (gogoproto.Message, error) {
		req := PReq(new(Req))
		if err := q.s.codecs.cdc.Unmarshal(data, req); err != nil {
			return nil, err
		}
		return f(q, req)
	}}
}

// grpcMethods are the gRPC query paths the proxy answers from proven
// state, by path.
var grpcMethods = func() map[string]grpcMethod {
	out := map[string]grpcMethod{}
	for _, list := range [][]grpcMethod{bankMethods, authMethods, stakingMethods, distributionMethods, govMethods, authzMethods, feegrantMethods} {
		for _, m := range list {
			out[m.path] = m
		}
	}
	return out
}()

// GRPCPaths lists the gRPC query paths answered from proven state.
func GRPCPaths() []string {
	out := make([]string, 0, len(grpcMethods))
	for p := range grpcMethods {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// codecs decode requests and encode answers as the node does.
type codecs struct {
	cdc codec.Codec
	acc address.Codec // account addresses (the chain's prefix)
	val address.Codec // validator operator addresses
}

// accString is an account address in the chain's bech32, as the node's
// sdk.AccAddress.String() writes it ("" for no address).
func (c codecs) accString(addr []byte) string {
	s, err := c.acc.BytesToString(addr)
	if err != nil {
		panic(err)
	}
	return s
}

func newCodecs(prefix string) codecs {
	return codecs{
		cdc: state.Codec(),
		acc: addresscodec.NewBech32Codec(prefix),
		val: addresscodec.NewBech32Codec(prefix + "valoper"),
	}
}

// errUnsupported is a request a handler cannot answer from proven state
// (a filter that would need state akw does not prove): a refusal.
type errUnsupported struct{ reason string }

func (e *errUnsupported) Error() string { return e.reason }

// runGRPC answers a gRPC query at a view: the response the node's query
// service gives, as ABCI encodes it (the protobuf response, or the
// error's code, codespace and log), at the view's height. An error
// return means the answer cannot be given (a proof failed, or the
// request needs what akw does not prove).
func (s *Server) runGRPC(ctx context.Context, m grpcMethod, data []byte, v *state.View) (*abci.ResponseQuery, error) {
	q := newQuery(ctx, s, v)
	resp, herr := guarded(func() (gogoproto.Message, error) { return m.serve(q, data) })
	if q.err != nil {
		return nil, q.err
	}
	var pe *errPanic
	if errors.As(herr, &pe) {
		return nil, herr
	}
	var unsup *errUnsupported
	if errors.As(herr, &unsup) {
		return nil, refuse(unsup.reason, "")
	}
	if herr != nil {
		// As baseapp's handleQueryGRPC: the gRPC status mapped to an SDK
		// error, then to ABCI's code, codespace and log.
		res := sdkerrors.QueryResult(grpcErrorToSDKError(herr), false)
		res.Height = v.Height()
		return res, nil
	}
	bz, err := s.codecs.cdc.Marshal(resp)
	if err != nil {
		return nil, err
	}
	return &abci.ResponseQuery{Height: v.Height(), Value: bz}, nil
}

// grpcErrorToSDKError is baseapp's (cosmos-sdk v0.53 baseapp/abci.go).
func grpcErrorToSDKError(err error) error {
	status, ok := grpcstatus.FromError(err)
	if !ok {
		return errorsmod.Wrap(sdkerrors.ErrInvalidRequest, err.Error())
	}
	switch status.Code() {
	case codes.NotFound:
		return errorsmod.Wrap(sdkerrors.ErrKeyNotFound, err.Error())
	case codes.InvalidArgument, codes.FailedPrecondition:
		return errorsmod.Wrap(sdkerrors.ErrInvalidRequest, err.Error())
	case codes.Unauthenticated:
		return errorsmod.Wrap(sdkerrors.ErrUnauthorized, err.Error())
	default:
		return errorsmod.Wrap(sdkerrors.ErrUnknownRequest, err.Error())
	}
}

// hint asks the node's own gRPC service the same kind of question,
// unproven, and turns its answer into store keys for a walk to prove in
// parallel. A wrong answer only costs round trips.
func hint[Resp any, PResp interface {
	*Resp
	gogoproto.Message
}](q *provenQuery, path string, req gogoproto.Message, keys func(PResp) [][]byte) state.Hint {
	return func(ctx context.Context) ([][]byte, error) {
		node, err := q.s.cfg.Upstream.Node()
		if err != nil {
			return nil, err
		}
		bz, err := q.s.codecs.cdc.Marshal(req)
		if err != nil {
			return nil, err
		}
		res, err := node.ABCIQueryWithOptions(ctx, path, bz, rpcclient.ABCIQueryOptions{Height: q.view.Height()})
		if err != nil {
			return nil, err
		}
		if res.Response.Code != 0 {
			return nil, fmt.Errorf("%s: code %d", path, res.Response.Code)
		}
		resp := PResp(new(Resp))
		if err := q.s.codecs.cdc.Unmarshal(res.Response.Value, resp); err != nil {
			return nil, err
		}
		return keys(resp), nil
	}
}

// isSimulation reports whether an abci_query path runs a transaction
// instead of reading state.
func isSimulation(path string) bool {
	return path == "/cosmos.tx.v1beta1.Service/Simulate" || path == "/app/simulate" || strings.HasPrefix(path, "/app/simulate/")
}
