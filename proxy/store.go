package proxy

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"time"

	"cosmossdk.io/core/store"
	"cosmossdk.io/store/dbadapter"
	storetypes "cosmossdk.io/store/types"
	dbm "github.com/cosmos/cosmos-db"

	"github.com/akash-wallet/akw/lightclient/proof"
	"github.com/akash-wallet/akw/lightclient/state"
)

// How a gRPC query is answered exactly as the node's query service would
// answer it: the proxy runs the same logic as the SDK's query server (the
// same request checks, the same collections and pagination code, the
// same error texts) over a store that holds nothing but entries proven
// at the view's height. A handler first asks for the keys and ranges it
// will read (one batched round of proofs, a walk with the node's own list
// as a hint); whatever it reads beyond that is proven when read. A read
// the proxy cannot prove makes the whole answer a refusal: a handler
// never sees an unproven byte, so its answer is the node's honest answer
// or nothing.

// provenStore is one module store at one height, as far as it has been
// proven: present entries (in a memory database), proven absences, and
// key ranges proven complete.
type provenStore struct {
	dbadapter.Store // the proven present entries
	name            string
	q               *provenQuery
	absent          map[string]bool
	ranges          []keyRange
}

type keyRange struct{ start, end []byte } // end nil: to the end of the store

var _ storetypes.KVStore = (*provenStore)(nil)

// lookup answers from what is proven; known is false when the key is
// neither proven present, proven absent, nor inside a complete range.
func (s *provenStore) lookup(key []byte) (val []byte, known bool) {
	if s.absent[string(key)] {
		return nil, true
	}
	if ok, _ := s.DB.Has(key); ok {
		v, _ := s.DB.Get(key)
		return v, true
	}
	for _, r := range s.ranges {
		if bytes.Compare(key, r.start) >= 0 && (r.end == nil || bytes.Compare(key, r.end) < 0) {
			return nil, true
		}
	}
	return nil, false
}

func (s *provenStore) Get(key []byte) []byte {
	if v, ok := s.lookup(key); ok {
		return v
	}
	s.q.prove(s.name, key)
	v, _ := s.lookup(key)
	return v
}

func (s *provenStore) Has(key []byte) bool { return s.Get(key) != nil }

func (s *provenStore) Iterator(start, end []byte) storetypes.Iterator {
	s.cover(start, end)
	return s.Store.Iterator(start, end)
}

func (s *provenStore) ReverseIterator(start, end []byte) storetypes.Iterator {
	s.cover(start, end)
	return s.Store.ReverseIterator(start, end)
}

// cover proves [start, end) complete unless it is already.
func (s *provenStore) cover(start, end []byte) {
	for _, r := range s.ranges {
		if bytes.Compare(start, r.start) >= 0 && (r.end == nil || (end != nil && bytes.Compare(end, r.end) <= 0)) {
			return
		}
	}
	s.q.proveRange(s.name, start, end, nil, nil)
}

func (s *provenStore) addProof(p *proof.KeyProof) {
	if p.Exists {
		s.set(p.Key, p.Value)
	} else {
		s.absent[string(p.Key)] = true
	}
	// The neighbours of an absent key are proven present too.
	for _, n := range []*proof.Neighbour{p.Left, p.Right} {
		if n != nil {
			s.set(n.Key, n.Value)
		}
	}
}

// set records a proven entry. Index entries hold empty values (the
// staking store's redelegation index); the memory database refuses nil.
func (s *provenStore) set(key, value []byte) {
	if value == nil {
		value = []byte{}
	}
	if err := s.DB.Set(key, value); err != nil {
		s.q.fail(err)
	}
}

// query is one gRPC query being answered at one view.
type provenQuery struct {
	ctx    context.Context // carries the query (storeService finds it)
	s      *Server
	view   *state.View
	mu     sync.Mutex
	stores map[string]*provenStore
	err    error // the first proof that failed: the answer is refused
}

type queryKey struct{}

func newQuery(ctx context.Context, s *Server, v *state.View) *provenQuery {
	q := &provenQuery{s: s, view: v, stores: map[string]*provenStore{}}
	q.ctx = context.WithValue(ctx, queryKey{}, q)
	return q
}

func (q *provenQuery) store(name string) *provenStore {
	q.mu.Lock()
	defer q.mu.Unlock()
	st, ok := q.stores[name]
	if !ok {
		st = &provenStore{Store: dbadapter.Store{DB: dbm.NewMemDB()}, name: name, q: q, absent: map[string]bool{}}
		q.stores[name] = st
	}
	return st
}

func (q *provenQuery) fail(err error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.err == nil {
		q.err = err
	}
}

func (q *provenQuery) failed() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.err != nil
}

// prove proves keys of a store (in one batched round) before a handler
// reads them.
func (q *provenQuery) prove(name string, keys ...[]byte) {
	if q.failed() || len(keys) == 0 {
		return
	}
	ps, err := q.view.ProveKeys(q.ctx, name, keys)
	if err != nil {
		q.fail(err)
		return
	}
	st := q.store(name)
	for _, p := range ps {
		st.addProof(p)
	}
}

// proveRange proves every entry of a store in [start, end) before a
// handler iterates over it. hint, if not nil, names the keys the node
// says the range holds (they are proven, never believed).
func (q *provenQuery) proveRange(name string, start, end []byte, guesses [][]byte, hint state.Hint) {
	if q.failed() {
		return
	}
	if start == nil {
		start = []byte{}
	}
	entries, err := q.view.ProveRange(q.ctx, name, start, end, guesses, hint)
	if err != nil {
		q.fail(err)
		return
	}
	st := q.store(name)
	for _, e := range entries {
		st.set(e.Key, e.Value)
	}
	st.ranges = append(st.ranges, keyRange{start: bytes.Clone(start), end: bytes.Clone(end)})
}

// provePrefix is proveRange over the keys starting with prefix.
func (q *provenQuery) provePrefix(name string, prefix []byte, guesses [][]byte, hint state.Hint) {
	q.proveRange(name, prefix, proof.PrefixEnd(prefix), guesses, hint)
}

// blockTime is the time of the block at the view's state height, which
// the node's query context carries (vesting schedules are read at it).
// The header at that height is verified for it.
func (q *provenQuery) blockTime() time.Time {
	lb, err := q.s.verifiedAt(q.ctx, q.view.Height())
	if err != nil {
		q.fail(err)
		return time.Time{}
	}
	return lb.Time
}

// storeService opens a module's proven store for the collections of the
// handlers: the query travels in the context, as the node's store does.
type storeService string

func (n storeService) OpenKVStore(ctx context.Context) store.KVStore {
	q, ok := ctx.Value(queryKey{}).(*provenQuery)
	if !ok {
		panic(errors.New("proxy: a collection was read outside a query"))
	}
	return coreStore{q.store(string(n))}
}

// coreStore is the core store interface (what collections use) over a
// provenStore.
type coreStore struct{ s *provenStore }

func (c coreStore) Get(key []byte) ([]byte, error) { return c.s.Get(key), nil }
func (c coreStore) Has(key []byte) (bool, error)   { return c.s.Has(key), nil }
func (c coreStore) Set(key, value []byte) error {
	return errors.New("proxy: the proven store is read-only")
}

func (c coreStore) Delete(key []byte) error {
	return errors.New("proxy: the proven store is read-only")
}

func (c coreStore) Iterator(start, end []byte) (store.Iterator, error) {
	return c.s.Iterator(start, end), nil
}

func (c coreStore) ReverseIterator(start, end []byte) (store.Iterator, error) {
	return c.s.ReverseIterator(start, end), nil
}
