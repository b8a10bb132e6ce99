package state

import (
	"context"
	"sync"

	abci "github.com/cometbft/cometbft/abci/types"
	rpcclient "github.com/cometbft/cometbft/rpc/client"
	ctypes "github.com/cometbft/cometbft/rpc/core/types"

	"github.com/akash-wallet/akw/lightclient"
	"github.com/akash-wallet/akw/lightclient/proof"
)

// A guess in the window (trusted.PredictNext: the block after the guessed
// one may be served already, or not yet) is hedged: Newest asks for the
// header after the guess too, and while the primary's tip is not known,
// every query the read makes at the guess's state height H is asked of
// the primary at H+1 as well (a shadow). If the tip is the block after
// the guess, the read is run again on the view at H+1 and finds those
// answers kept: the state at the tip in the same wave, where a guess
// behind the tip used to cost a round trip. The window is the half
// interval before a block is counted, so the extra requests are bounded
// (two candidates at most; in practice the read's first round, since the
// tip is known by the time its answers are) and spent only when the
// guess is in doubt: they count against a rate-limited public node.
//
// The kept answers are a node's, unverified, like any other: the view at
// H+1 verifies each against its own verified header, and one that did not
// come (a refusal, an error) is asked again as usual.

// shadow asks, for a view at height-1 whose tip is not known yet, the
// same queries at height, and keeps the answers for a view at height.
type shadow struct {
	ctx     context.Context // Newest's: the answers outlive the first read
	height  int64
	decided chan struct{} // closed once the tip is known: nothing more is asked
	once    sync.Once

	mu    sync.Mutex
	calls map[shadowKey]*shadowCall
}

type shadowKey struct {
	path, data string
	prove      bool
}

type shadowCall struct {
	done chan struct{}
	node string
	res  *abci.ResponseQuery // nil: no answer to keep (an error, a refusal)
}

func newShadow(ctx context.Context, height int64) *shadow {
	return &shadow{ctx: ctx, height: height, decided: make(chan struct{}), calls: map[shadowKey]*shadowCall{}}
}

// decide stops the shadow asking: the view at height is needed or not,
// and what it needs beyond the kept answers it asks itself.
func (s *shadow) decide() {
	if s != nil {
		s.once.Do(func() { close(s.decided) })
	}
}

// asking reports whether queries are still to be shadowed.
func (s *shadow) asking() bool {
	if s == nil {
		return false
	}
	select {
	case <-s.decided:
		return false
	default:
		return true
	}
}

// start registers the calls for keys not asked yet, and returns them.
func (s *shadow) start(path string, keys [][]byte, prove bool) ([][]byte, []*shadowCall) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var todo [][]byte
	var calls []*shadowCall
	for _, k := range keys {
		key := shadowKey{path: path, data: string(k), prove: prove}
		if _, ok := s.calls[key]; ok {
			continue
		}
		c := &shadowCall{done: make(chan struct{})}
		s.calls[key] = c
		todo, calls = append(todo, k), append(calls, c)
	}
	return todo, calls
}

// ask asks node one query at the shadow's height, in the background.
func (s *shadow) ask(node lightclient.Node, path string, data []byte, prove bool) {
	if !s.asking() {
		return
	}
	todo, calls := s.start(path, [][]byte{data}, prove)
	if len(todo) == 0 {
		return
	}
	go func() {
		c := calls[0]
		defer close(c.done)
		// A node's answer: whatever decoding it does, it only costs
		// the kept answer.
		defer func() {
			if recover() != nil {
				c.node, c.res = "", nil
			}
		}()
		r, err := node.ABCIQueryWithOptions(s.ctx, path, data, rpcclient.ABCIQueryOptions{Height: s.height, Prove: prove})
		if err == nil && r != nil && r.Response.Code == 0 {
			c.node, c.res = nodeURL(node), &r.Response
		}
	}()
}

// askBatch asks b for the proofs of keys at the shadow's height in one
// batched request, in the background.
func (s *shadow) askBatch(b batcher, store string, keys [][]byte) {
	if !s.asking() {
		return
	}
	path := proof.Query{Store: store}.Path()
	todo, calls := s.start(path, keys, true)
	if len(todo) == 0 {
		return
	}
	go func() {
		res := make([]*ctypes.ResultABCIQuery, len(todo))
		defer func() {
			if recover() != nil {
				res = make([]*ctypes.ResultABCIQuery, len(todo))
			}
			for i, c := range calls {
				if r := res[i]; r != nil && r.Response.Code == 0 {
					c.node, c.res = nodeURL(b), &r.Response
				}
				close(c.done)
			}
		}()
		batch := b.NewBatch()
		for i, k := range todo {
			r, err := batch.ABCIQueryWithOptions(s.ctx, path, k, rpcclient.ABCIQueryOptions{Height: s.height, Prove: true})
			if err != nil {
				res = make([]*ctypes.ResultABCIQuery, len(todo))
				return
			}
			res[i] = r
		}
		if _, err := batch.Send(s.ctx); err != nil {
			res = make([]*ctypes.ResultABCIQuery, len(todo))
		}
	}()
}

// answer is the kept answer to a query at the shadow's height, waited for
// if it is still on its way; nil if none was asked or none came.
func (s *shadow) answer(ctx context.Context, path string, data []byte, prove bool) (string, *abci.ResponseQuery, error) {
	if s == nil {
		return "", nil, nil
	}
	s.mu.Lock()
	c := s.calls[shadowKey{path: path, data: string(data), prove: prove}]
	s.mu.Unlock()
	if c == nil {
		return "", nil, nil
	}
	select {
	case <-c.done:
		return c.node, c.res, nil
	case <-ctx.Done():
		return "", nil, ctx.Err()
	}
}

// fromKept fills out with the proofs of keys whose answers the view's
// shadow kept, each verified against the view's header, and returns the
// keys left to ask and their places in out.
func (v *View) fromKept(ctx context.Context, store string, keys [][]byte, out []*proof.KeyProof) ([][]byte, []int, error) {
	if v.kept == nil {
		at := make([]int, len(keys))
		for i := range at {
			at[i] = i
		}
		return keys, at, nil
	}
	var todo [][]byte
	var at []int
	for i, k := range keys {
		q := proof.Query{Store: store, Key: k, Height: v.height}
		node, res, err := v.kept.answer(ctx, q.Path(), k, true)
		if err != nil {
			return nil, nil, err
		}
		if res == nil {
			todo, at = append(todo, k), append(at, i)
			continue
		}
		lb, err := v.header(ctx)
		if err != nil {
			return nil, nil, err
		}
		if out[i], err = verify(node, q, res, lb); err != nil {
			return nil, nil, err
		}
	}
	return todo, at, nil
}
