package proxy

import (
	"context"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtbytes "github.com/cometbft/cometbft/libs/bytes"
	rpcclient "github.com/cometbft/cometbft/rpc/client"

	"github.com/akash-wallet/akw/lightclient/proof"
	"github.com/akash-wallet/akw/lightclient/state"
)

// abci_query is where clients read state. Three kinds of path are
// answered:
//
//   - /store/<name>/key: the node's answer, with its proof, is checked
//     against the app hash of the verified header that commits the state
//     before it is passed on (at the height asked, or the newest state);
//   - the gRPC paths of GRPCPaths: answered from proven state, encoded as
//     the node's query service encodes them;
//   - simulation (/cosmos.tx.v1beta1.Service/Simulate, /app/simulate):
//     forwarded, and marked as the node's word.
//
// Anything else is refused (forwarded and marked with AllowUnverified).
// A query without a height is answered at the newest verified state; the
// response's height says which (a node answers at its own newest block,
// whose state no header commits yet).

type abciQueryParams struct {
	Path   string
	Data   cmtbytes.HexBytes
	Height int64
	Prove  bool
}

func (s *Server) abciQuery(ctx context.Context, c *call, p any) *answer {
	qp := p.(*abciQueryParams)
	if isSimulation(qp.Path) {
		return s.simulation(ctx, c, nil)
	}
	m, isGRPC := grpcMethods[qp.Path]
	store, isStore := storeKeyPath(qp.Path)
	if !isGRPC && !isStore {
		if s.cfg.AllowUnverified {
			a := s.forwardCall(ctx, c, "abci_query "+qp.Path+" forwarded unverified (--allow-unverified)")
			a.path = qp.Path
			return a
		}
		a := failed(refuse(fmt.Sprintf("akw proxy cannot prove the answer to abci_query %q; it proves /store/<name>/key and these gRPC queries: %s",
			qp.Path, strings.Join(GRPCPaths(), ", ")), ""))
		a.path = qp.Path
		return a
	}
	v, cerr := s.view(ctx, qp.Height)
	if cerr != nil {
		a := failed(cerr)
		a.path = qp.Path
		return a
	}
	// One proven answer per (path, request, height), for every client.
	cacheKey := qp.Path + "\x00" + hex.EncodeToString(qp.Data) + "\x00" + strconv.FormatInt(v.Height(), 10) + "\x00" + strconv.FormatBool(qp.Prove && isStore)
	raw, err := s.cachedAnswer(ctx, cacheKey, func(ctx context.Context) (*abci.ResponseQuery, error) {
		if isStore {
			return s.storeQuery(ctx, store, qp.Data, qp.Prove, v)
		}
		return s.runGRPC(ctx, m, qp.Data, v)
	})
	var a *answer
	if err != nil {
		a = failed(classify("abci_query "+qp.Path, err))
	} else {
		a = &answer{raw: raw, outcome: Verified, height: v.Height()}
		if qp.Height == 0 {
			a.stale = s.staleNote(v.Header())
		}
	}
	a.path = qp.Path
	return a
}

// cachedAnswer returns the encoded ResultABCIQuery for key, computing it
// once for all callers.
func (s *Server) cachedAnswer(ctx context.Context, key string, fn func(ctx context.Context) (*abci.ResponseQuery, error)) ([]byte, error) {
	fn = s.withFailover(fn)
	if s.cfg.AnswerBytes < 0 {
		res, err := fn(ctx)
		if err != nil {
			return nil, err
		}
		return encodeQueryResult(res)
	}
	if bz, ok := s.answers.get(key); ok {
		return bz, nil
	}
	return shared(ctx, s, "answer/"+key, func(ctx context.Context) ([]byte, error) {
		res, err := fn(ctx)
		if err != nil {
			return nil, err
		}
		bz, err := encodeQueryResult(res)
		if err != nil {
			return nil, err
		}
		s.answers.add(key, bz)
		return bz, nil
	})
}

// storeKeyPath reads "/store/<name>/key".
func storeKeyPath(path string) (string, bool) {
	rest, ok := strings.CutPrefix(path, "/store/")
	if !ok {
		return "", false
	}
	name, ok := strings.CutSuffix(rest, "/key")
	if !ok || name == "" || strings.Contains(name, "/") {
		return "", false
	}
	return name, true
}

// storeQuery asks the node for a raw key with its proof at the view's
// height and passes the answer on only if the proof checks out against
// the verified header (the key and height are the ones asked, the value
// or absence is committed by the header's app hash).
func (s *Server) storeQuery(ctx context.Context, store string, key []byte, prove bool, v *state.View) (*abci.ResponseQuery, error) {
	node, err := s.cfg.Upstream.Node()
	if err != nil {
		return nil, err
	}
	q := proof.Query{Store: store, Key: key, Height: v.Height()}
	res, err := node.ABCIQueryWithOptions(ctx, q.Path(), key, rpcclient.ABCIQueryOptions{Height: v.Height(), Prove: true})
	if err != nil {
		return nil, nodeError(err)
	}
	if _, err := proof.Verify(q, &res.Response, v.Header().Header); err != nil {
		return nil, &state.ErrProof{Node: node.Remote(), Query: q, Err: err}
	}
	out := res.Response
	if !prove {
		out.ProofOps = nil
	}
	return &out, nil
}

// withFailover runs fn under Config.Failover, when there is one.
func (s *Server) withFailover(fn func(ctx context.Context) (*abci.ResponseQuery, error)) func(ctx context.Context) (*abci.ResponseQuery, error) {
	if s.cfg.Failover == nil {
		return fn
	}
	return func(ctx context.Context) (*abci.ResponseQuery, error) {
		var res *abci.ResponseQuery
		err := s.cfg.Failover(ctx, func(ctx context.Context) (err error) {
			res, err = fn(ctx)
			return err
		})
		return res, err
	}
}
