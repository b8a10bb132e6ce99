package proof

import (
	"bytes"
	"fmt"
)

// Entry is one key of a proven range, with its value.
type Entry struct {
	Key   []byte
	Value []byte
}

// Walk proves that a list of store entries — every key that starts with a
// prefix, or every key of a range — is complete, from single-key proofs.
//
// It rests on one property of ICS23 non-existence proofs: the proof for an
// absent key K carries its left and right neighbours, each proven present
// and proven adjacent, so the right neighbour is the least present key
// greater than K. Starting at the prefix itself, each step proves the next
// key >= the cursor: either the cursor itself exists, or the absence proof
// names the right neighbour. The cursor then moves to the immediate
// successor of that key (key || 0x00). The walk ends when the next key is
// outside the range (or there is none): every key in between has been
// seen, so nothing was left out. k entries cost k+1 proofs.
//
// Proofs may be added in any order and for keys the chain never visits, so
// a caller can fetch guessed keys in parallel; only proofs that the chain
// reaches are used. Walk is not safe for concurrent use.
type Walk struct {
	store  string
	prefix []byte // start of the range
	end    []byte // exclusive end of the range; nil: to the end of the store
	height int64
	limit  int
	proofs map[string]*KeyProof
}

// DefaultWalkLimit bounds a walk so that a node cannot keep a client
// walking forever; a larger list is reported as ErrIncomplete.
const DefaultWalkLimit = 10000

// NewWalk starts a walk over the keys of store starting with prefix, at
// height. A limit of 0 means DefaultWalkLimit.
func NewWalk(store string, prefix []byte, height int64, limit int) *Walk {
	return NewRangeWalk(store, prefix, PrefixEnd(prefix), height, limit)
}

// NewRangeWalk is a walk over the keys k with start <= k < end (end nil:
// no upper bound), such as the slash events of a validator between two
// heights.
func NewRangeWalk(store string, start, end []byte, height int64, limit int) *Walk {
	if limit <= 0 {
		limit = DefaultWalkLimit
	}
	return &Walk{store: store, prefix: bytes.Clone(start), end: bytes.Clone(end), height: height, limit: limit, proofs: map[string]*KeyProof{}}
}

// PrefixEnd is the least key greater than every key starting with prefix,
// or nil if there is none (the prefix is all 0xFF).
func PrefixEnd(prefix []byte) []byte {
	end := bytes.Clone(prefix)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// Start is the first key the walk covers.
func (w *Walk) Start() []byte { return w.prefix }

// inRange reports whether key is below the end of the range.
func (w *Walk) inRange(key []byte) bool { return w.end == nil || bytes.Compare(key, w.end) < 0 }

// Store is the module store the walk covers.
func (w *Walk) Store() string { return w.store }

// Height is the state height every proof of the walk must be at.
func (w *Walk) Height() int64 { return w.height }

// Add records a verified proof. Proofs from another store or height are
// refused: mixing heights would prove a list that never existed.
func (w *Walk) Add(p *KeyProof) error {
	if p.Store != w.store || p.Height != w.height {
		return fmt.Errorf("proof of %s at %d added to a walk of %s at %d", p.Store, p.Height, w.store, w.height)
	}
	w.proofs[string(p.Key)] = p
	return nil
}

// Successor is the least key greater than key in byte order.
func Successor(key []byte) []byte {
	s := make([]byte, len(key)+1)
	copy(s, key)
	return s
}

// Result follows the chain of proofs from the prefix. If the chain is
// complete it returns the entries in key order and next == nil. If a proof
// is missing it returns next, the key to prove before calling again.
func (w *Walk) Result() (entries []Entry, next []byte, err error) {
	cursor := w.prefix
	for {
		if len(entries) > w.limit {
			return nil, nil, ErrIncomplete{Prefix: w.prefix, Limit: w.limit}
		}
		if !w.inRange(cursor) {
			return entries, nil, nil
		}
		p, ok := w.proofs[string(cursor)]
		if !ok {
			return entries, cursor, nil
		}
		if p.Exists {
			// start <= cursor < end: the key is inside the range.
			entries = append(entries, Entry{Key: p.Key, Value: p.Value})
			cursor = Successor(p.Key)
			continue
		}
		r := p.Right
		if r == nil || !w.inRange(r.Key) {
			// The least key >= cursor lies beyond the range (or there is
			// none), so the list ends.
			return entries, nil, nil
		}
		if bytes.Compare(r.Key, cursor) <= 0 {
			// Verify guarantees this cannot happen; refuse rather than loop.
			return nil, nil, ErrUnexpectedProof{Reason: "right neighbour is not after the key"}
		}
		entries = append(entries, Entry{Key: r.Key, Value: r.Value})
		cursor = Successor(r.Key)
	}
}
