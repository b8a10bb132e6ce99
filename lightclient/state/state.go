// Package state answers questions about chain state — balances, accounts,
// delegations, validators, proposals, rewards — with every value proven by
// an ICS23 proof against a header the light client has verified.
//
// A View is pinned to one state height H and the verified header H+1 whose
// AppHash commits that state; every answer from a View carries H and the
// hash of that header. A proof that fails is an error and no value: there is
// no fallback to the node's unproven answer.
package state

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	rpcclient "github.com/cometbft/cometbft/rpc/client"
	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	ctypes "github.com/cometbft/cometbft/rpc/core/types"
	cmttypes "github.com/cometbft/cometbft/types"
	"github.com/cosmos/cosmos-sdk/codec"
	"golang.org/x/sync/errgroup"

	"github.com/akash-wallet/akw/lightclient"
	"github.com/akash-wallet/akw/lightclient/proof"
)

// Querier hands out Views over a light client and an untrusted node.
// It is safe for concurrent use.
type Querier struct {
	headers    lightclient.Headers
	node       lightclient.Node
	cdc        codec.Codec
	denomHints []string
	walkLimit  int
	parallel   int
	now        func() time.Time
	staleAfter time.Duration
	storeNames []string // besides KnownStores (stores.go)
}

// Option configures a Querier.
type Option func(*Querier)

// WithDenomHints names denominations an address probably holds. A balance
// walk fetches their proofs in the same round as the first one, so the
// usual one-denom account is proven complete in one round trip; a wrong
// guess costs nothing but a wasted proof (the walk only uses proofs the
// chain of neighbours reaches).
func WithDenomHints(denoms ...string) Option {
	return func(q *Querier) { q.denomHints = append([]string(nil), denoms...) }
}

// WithWalkLimit bounds how many entries a list may have before it is
// reported as not proven complete.
// Zero or less keeps the default (proof.DefaultWalkLimit).
func WithWalkLimit(n int) Option {
	return func(q *Querier) {
		if n > 0 {
			q.walkLimit = n
		}
	}
}

// WithParallelism bounds concurrent proof requests to the node.
// Zero or less keeps the default (16 requests, each a batch of up to 10).
func WithParallelism(n int) Option {
	return func(q *Querier) {
		if n > 0 {
			q.parallel = n
		}
	}
}

// WithClock sets the clock answers' ages are measured with (default
// time.Now): the local clock, against the verified header's time.
func WithClock(now func() time.Time) Option {
	return func(q *Querier) {
		if now != nil {
			q.now = now
		}
	}
}

// WithStaleAfter sets the age beyond which the newest verified state is
// marked stale (Proven.Stale). Zero or less never marks it; the command
// line passes the network's bound (a few minutes on akashnet-2).
func WithStaleAfter(d time.Duration) Option {
	return func(q *Querier) { q.staleAfter = d }
}

// New returns a Querier proving the node's answers against headers. If node
// is nil and headers has a Primary() method (lightclient/trusted does), the
// current primary is asked for each proof, so that queries follow the
// light client when it falls over to a witness.
func New(headers lightclient.Headers, node lightclient.Node, opts ...Option) *Querier {
	q := &Querier{headers: headers, node: node, cdc: Codec(), denomHints: NativeDenoms("uakt"), walkLimit: proof.DefaultWalkLimit, parallel: 16, now: time.Now}
	for _, o := range opts {
		o(q)
	}
	return q
}

// primaried is what lightclient/trusted.Client offers beyond Headers.
type primaried interface{ Primary() lightclient.Node }

func (q *Querier) nodeNow() (lightclient.Node, error) {
	if q.node != nil {
		return q.node, nil
	}
	if p, ok := q.headers.(primaried); ok {
		return p.Primary(), nil
	}
	return nil, errors.New("state: no node given, and the headers have no primary to ask")
}

// Proven is what every answer carries about its own verification.
type Proven struct {
	// Height is the state height the answer is about.
	Height int64 `json:"height"`
	// HeaderHash is the hash of the verified header at Height+1, whose
	// AppHash commits the state.
	HeaderHash string `json:"header_hash"`
	// Verified is true when every value in the answer is proven. Parts
	// that cannot be proven are said so in Reason, never mixed in silently.
	Verified bool   `json:"verified"`
	Reason   string `json:"reason,omitempty"`
	Freshness
}

// View is the proven state at one height.
type View struct {
	q          *Querier
	height     int64
	next       *headerFuture // verified header at height+1
	historical bool          // pinned to a height the caller asked for (At)
	guess      bool          // header at a guessed height (Newest)
	ahead      *shadow       // queries asked at height+1 too (hedge.go)
	kept       *shadow       // answers at height asked beside a view below (hedge.go)
}

// Latest verifies the newest header the primary has (cross-checked by
// the witnesses) and pins a View to the state it commits, one block below.
// It is never older than the newest header already verified: a primary
// behind that is reported and a witness ahead of it used
// (lightclient/trusted).
func (q *Querier) Latest(ctx context.Context) (*View, error) {
	lb, err := q.headers.Latest(ctx)
	if err != nil {
		return nil, err
	}
	return q.Pin(lb)
}

// lastTrusted is what lightclient/trusted.Client offers beyond Headers:
// the newest header already in the store, without network traffic.
type lastTrusted interface {
	LastTrusted() (*cmttypes.LightBlock, error)
}

// Recent pins a View to the newest header already verified if its block
// time is less than maxAge ago, asking no node for headers; otherwise it is
// Latest. The state shown is then up to maxAge old, but no less proven: a
// caller that queries often (the TUI, a script loop) saves the header
// round trips.
func (q *Querier) Recent(ctx context.Context, maxAge time.Duration) (*View, error) {
	if lt, ok := q.headers.(lastTrusted); ok {
		if lb, err := lt.LastTrusted(); err == nil && lb != nil && q.now().Sub(lb.Time) < maxAge {
			return q.Pin(lb)
		}
	}
	return q.Latest(ctx)
}

// At pins a View to the state at height (verifying header height+1): a
// historical view, whose answers say they are as asked (Freshness).
func (q *Querier) At(ctx context.Context, height int64) (*View, error) {
	if height < 1 {
		return nil, fmt.Errorf("state height must be at least 1, got %d", height)
	}
	lb, err := q.headers.VerifiedAt(ctx, height+1)
	if err != nil {
		return nil, err
	}
	v, err := q.Pin(lb)
	if err != nil {
		return nil, err
	}
	v.historical = true
	return v, nil
}

// Pin makes a View from a light block the caller got from Headers: the
// state at lb.Height-1. It lets a long-lived caller (the TUI, a batch of
// queries) reuse one verified header for many answers.
func (q *Querier) Pin(lb *cmttypes.LightBlock) (*View, error) {
	if lb == nil || lb.SignedHeader == nil || lb.Header == nil {
		return nil, fmt.Errorf("state.Pin: no light block")
	}
	if lb.Height < 3 {
		// The SDK refuses proofs at heights <= 1 (state height 1 needs
		// header 2; only header 3 commits provable state).
		return nil, &ErrTooEarly{Height: lb.Height}
	}
	f := &headerFuture{done: make(chan struct{}), lb: lb}
	close(f.done)
	return &View{q: q, height: lb.Height - 1, next: f}, nil
}

// LatestPipelined is Latest in two round trips instead of three when the
// chain has moved on: it asks the node for its newest height (/status),
// then verifies that header (primary and witnesses at once) while the
// proofs of the state one block below are already being fetched. Each
// proof is checked once the header is verified; if the header fails, so
// does every answer.
//
// The node's /status is a hint: it only chooses the height, as the
// primary's newest /commit does for Latest. A height below the newest
// header already verified (a lagging node, or one lying to roll the state
// back) is not used: that takes the slower Latest, which never goes below
// the verified header and tries the witnesses. The bound is read from the
// local store (no round trip).
//
// The header is verified under ctx, so ctx must stay live until the
// view's first answer. If /status fails, it falls back to Latest.
func (q *Querier) LatestPipelined(ctx context.Context) (*View, error) {
	node, err := q.nodeNow()
	if err != nil {
		return nil, err
	}
	var st *ctypes.ResultStatus
	if p, ok := q.headers.(statusProber); ok && q.node == nil {
		st, err = p.PrimaryStatus(ctx)
	} else {
		st, err = node.Status(ctx)
	}
	if err != nil || st == nil || st.SyncInfo.LatestBlockHeight < 1 {
		return q.Latest(ctx)
	}
	h := st.SyncInfo.LatestBlockHeight
	if h < q.floor() {
		return q.Latest(ctx)
	}
	if h < 3 {
		return nil, &ErrTooEarly{Height: h}
	}
	return q.pipelinedAt(ctx, h, q.headers.VerifiedAt), nil
}

// floor is the height of the newest header already verified (0 if the
// headers do not say): "the newest state" is never older.
func (q *Querier) floor() int64 {
	if lt, ok := q.headers.(lastTrusted); ok {
		if lb, err := lt.LastTrusted(); err == nil && lb != nil {
			return lb.Height
		}
	}
	return 0
}

// statusProber is what lightclient/trusted.Client offers beyond Headers:
// the current primary's /status through the light client's endpoint, so
// that a primary that does not answer it is not asked again by the light
// client (one timeout, then a witness, rather than one timeout each).
type statusProber interface {
	PrimaryStatus(ctx context.Context) (*ctypes.ResultStatus, error)
}

// headerFuture is the verified header a View rests on, possibly still
// being verified.
type headerFuture struct {
	done chan struct{}
	lb   *cmttypes.LightBlock
	err  error
}

// header waits for the verified header at Height()+1.
func (v *View) header(ctx context.Context) (*cmttypes.LightBlock, error) {
	select {
	case <-v.next.done:
		return v.next.lb, v.next.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Height is the state height of the view.
func (v *View) Height() int64 { return v.height }

// Header is the verified light block at Height()+1 (for a pipelined view,
// once verified; nil if its verification failed).
func (v *View) Header() *cmttypes.LightBlock {
	<-v.next.done
	return v.next.lb
}

// proven is called only after an answer was checked against the header,
// so the header is there.
func (v *View) proven() Proven {
	lb := v.Header()
	return Proven{Height: v.height, HeaderHash: hex.EncodeToString(lb.Hash()), Verified: true, Freshness: v.q.freshness(lb, v.historical)}
}

// get proves one key at the view's height.
func (v *View) get(ctx context.Context, store string, key []byte) (*proof.KeyProof, error) {
	q := proof.Query{Store: store, Key: key, Height: v.height}
	if v.ahead.asking() {
		if node, err := v.q.nodeNow(); err == nil {
			v.ahead.ask(node, q.Path(), key, true)
		}
	}
	node, res, err := v.kept.answer(ctx, q.Path(), key, true)
	if err == nil && res == nil {
		node, res, err = v.ask(ctx, q)
	}
	var unavailable *ErrUnavailable
	if errors.As(err, &unavailable) {
		// Every node refused: the height may be pruned, or the store
		// not in the chain's state at that height (stores.go).
		return nil, v.storeAbsent(ctx, q, unavailable)
	}
	if err != nil {
		return nil, err
	}
	lb, err := v.header(ctx)
	if err != nil {
		return nil, err
	}
	return verify(node, q, res, lb)
}

// verify checks a node's answer to q against the verified light block
// that commits the state. Every answer a View uses passes here; a failure
// names the node and the query (proof.Verify never panics on what a node
// sends: it refuses it).
func verify(node string, q proof.Query, resp *abci.ResponseQuery, lb *cmttypes.LightBlock) (*proof.KeyProof, error) {
	p, err := proof.Verify(q, resp, lb.Header)
	if err != nil {
		return nil, &ErrProof{Node: node, Query: q, Err: err}
	}
	return p, nil
}

// nodeURL is the node's address when its client knows it (cometbft's
// HTTP client does), for error messages.
func nodeURL(node any) string {
	if r, ok := node.(interface{ Remote() string }); ok {
		return r.Remote()
	}
	return ""
}

// getMany proves several keys concurrently; the result is in key order.
func (v *View) getMany(ctx context.Context, store string, keys [][]byte) ([]*proof.KeyProof, error) {
	out := make([]*proof.KeyProof, len(keys))
	todo, at, err := v.fromKept(ctx, store, keys, out)
	if err != nil || len(todo) == 0 {
		return out, err
	}
	got, err := v.fetchMany(ctx, store, todo)
	if err != nil {
		return nil, err
	}
	for j, i := range at {
		out[i] = got[j]
	}
	return out, nil
}

// fetchMany is getMany for keys none of whose answers were kept.
func (v *View) fetchMany(ctx context.Context, store string, keys [][]byte) ([]*proof.KeyProof, error) {
	out := make([]*proof.KeyProof, len(keys))
	node, err := v.q.nodeNow()
	if err != nil {
		return nil, err
	}
	b, batching := node.(batcher)
	chunk := 1
	if batching && len(keys) > 1 {
		chunk = maxBatch
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(v.q.parallel)
	for lo := 0; lo < len(keys); lo += chunk {
		hi := min(lo+chunk, len(keys))
		goGuarded(g, "proofs from the "+store+" store", func() error {
			if hi-lo == 1 {
				p, err := v.get(gctx, store, keys[lo])
				out[lo] = p
				return err
			}
			return v.getBatch(gctx, b, store, keys[lo:hi], out[lo:hi])
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

// batcher is implemented by cometbft's HTTP client: several JSON-RPC calls
// in one HTTP request, so that a list of proofs costs one round trip and
// one connection instead of one each.
type batcher interface {
	NewBatch() *rpchttp.BatchHTTP
}

// maxBatch is CometBFT's default max_request_batch_size.
const maxBatch = 10

// getBatch proves keys with one batched request. A node that refuses
// batches, or an item that came back without an answer (an error inside
// the batch), is asked again one key at a time, so the error is the
// node's own; every answer is verified the same way either way.
func (v *View) getBatch(ctx context.Context, b batcher, store string, keys [][]byte, out []*proof.KeyProof) error {
	v.ahead.askBatch(b, store, keys)
	batch := b.NewBatch()
	res := make([]*ctypes.ResultABCIQuery, len(keys))
	for i, k := range keys {
		q := proof.Query{Store: store, Key: k, Height: v.height}
		r, err := batch.ABCIQueryWithOptions(ctx, q.Path(), k, rpcclient.ABCIQueryOptions{Height: v.height, Prove: true})
		if err != nil {
			return err
		}
		res[i] = r
	}
	_, sendErr := batch.Send(ctx)
	if sendErr != nil && ctx.Err() != nil {
		return ctx.Err()
	}
	for i, k := range keys {
		r := res[i]
		// A node that does not hold the state (a non-zero code: nothing to
		// verify) is asked again one key at a time, and then the others
		// (held.go).
		if sendErr != nil || r == nil || r.Response.Code != 0 || (r.Response.Height == 0 && len(r.Response.Key) == 0 && r.Response.ProofOps == nil) {
			p, err := v.get(ctx, store, k)
			if err != nil {
				return err
			}
			out[i] = p
			continue
		}
		lb, err := v.header(ctx)
		if err != nil {
			return err
		}
		p, err := verify(nodeURL(b), proof.Query{Store: store, Key: k, Height: v.height}, &r.Response, lb)
		if err != nil {
			return err
		}
		out[i] = p
	}
	return nil
}

// hintFunc asks the node for the keys it says a list has, unproven. A
// hint only decides which proofs to fetch in parallel; it never decides
// what is shown.
type hintFunc func(ctx context.Context) ([][]byte, error)

// walk proves the complete list of keys in [start, end). Round one fetches
// the proof at start and the guessed keys in parallel, and asks hint (if
// any) for the node's own list at the same time; round two proves, in
// parallel, the successor of every key the hint named, which completes the
// walk in two round trips when the hint was true. Whatever is still
// missing (a wrong or lying hint) is then walked one neighbour at a time.
func (v *View) walk(ctx context.Context, store string, start, end []byte, guesses [][]byte, hint hintFunc) ([]proof.Entry, error) {
	return v.walkAlong(ctx, store, start, end, guesses, hint, nil)
}

// walkAlong is walk, proving along's keys of the same store in its first
// two rounds too (nil: none).
func (v *View) walkAlong(ctx context.Context, store string, start, end []byte, guesses [][]byte, hint hintFunc, along *alongWalk) ([]proof.Entry, error) {
	w := proof.NewRangeWalk(store, start, end, v.height, v.q.walkLimit)
	hintc := make(chan [][]byte, 1) // buffered: nobody may be left to read it
	go func() {
		var keys [][]byte
		defer func() {
			// The hint decodes the node's unproven gRPC answer; whatever
			// that does, it only costs speed.
			if recover() != nil {
				keys = nil
			}
			hintc <- keys
		}()
		if hint != nil {
			keys, _ = hint(ctx) // unproven and optional: an error only costs speed
		}
	}()
	first, err := v.getMany(ctx, store, along.with(append([][]byte{start}, guesses...), along.first()))
	if err != nil {
		return nil, err
	}
	for _, p := range along.keep(first, len(guesses)+1) {
		if err := w.Add(p); err != nil {
			return nil, err
		}
	}
	// Wait for the hint only if round one did not finish the walk.
	if _, next, err := w.Result(); err == nil && next != nil && hint != nil {
		var second, hinted [][]byte
		for _, k := range <-hintc {
			if bytes.Compare(k, start) >= 0 && (end == nil || bytes.Compare(k, end) < 0) && len(second) < v.q.walkLimit {
				second = append(second, proof.Successor(k))
				hinted = append(hinted, k)
			}
		}
		ps, err := v.getMany(ctx, store, along.with(second, along.fromHint(hinted)))
		if err != nil {
			return nil, err
		}
		for _, p := range along.keep(ps, len(second)) {
			if err := w.Add(p); err != nil {
				return nil, err
			}
		}
	}
	for {
		entries, next, err := w.Result()
		if err != nil {
			return nil, err
		}
		if next == nil {
			return entries, nil
		}
		p, err := v.get(ctx, store, next)
		if err != nil {
			return nil, err
		}
		if err := w.Add(p); err != nil {
			return nil, err
		}
	}
}

// grpcHint asks the node's gRPC query service through abci_query at the
// view's height, without proof: for hints only.
func (v *View) grpcHint(ctx context.Context, path string, req, resp interface {
	Marshal() ([]byte, error)
	Unmarshal([]byte) error
},
) error {
	bz, err := req.Marshal()
	if err != nil {
		return err
	}
	node, err := v.q.nodeNow()
	if err != nil {
		return err
	}
	v.ahead.ask(node, path, bz, false)
	if _, kept, err := v.kept.answer(ctx, path, bz, false); err != nil || kept != nil {
		if err != nil {
			return err
		}
		return resp.Unmarshal(kept.Value)
	}
	res, err := node.ABCIQueryWithOptions(ctx, path, bz, rpcclient.ABCIQueryOptions{Height: v.height})
	if err != nil {
		return err
	}
	if res.Response.Code != 0 {
		return fmt.Errorf("%s: code %d", path, res.Response.Code)
	}
	return resp.Unmarshal(res.Response.Value)
}

func (v *View) walkPrefix(ctx context.Context, store string, prefix []byte, guesses [][]byte, hint hintFunc) ([]proof.Entry, error) {
	return v.walk(ctx, store, prefix, proof.PrefixEnd(prefix), guesses, hint)
}
