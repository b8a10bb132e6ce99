package proxy

import (
	"container/list"
	"context"
	"sync"
)

// Caches keep what has been verified, so that many clients asking about
// the same height cost one verification: verified light blocks by
// height, proven answers by (method, request, height), block data by
// height. Everything in them is a pure function of the chain at a fixed
// height, so a cached entry never goes stale; they are bounded so that
// memory is too.

// lru is a bounded least-recently-used map, safe for concurrent use.
type lru[K comparable, V any] struct {
	mu    sync.Mutex
	max   int
	order *list.List // front: most recent; values are *lruEntry[K, V]
	items map[K]*list.Element
}

type lruEntry[K comparable, V any] struct {
	key K
	val V
}

func newLRU[K comparable, V any](max int) *lru[K, V] {
	return &lru[K, V]{max: max, order: list.New(), items: map[K]*list.Element{}}
}

func (c *lru[K, V]) get(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[k]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*lruEntry[K, V]).val, true
	}
	var zero V
	return zero, false
}

func (c *lru[K, V]) add(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[k]; ok {
		e.Value.(*lruEntry[K, V]).val = v
		c.order.MoveToFront(e)
		return
	}
	c.items[k] = c.order.PushFront(&lruEntry[K, V]{key: k, val: v})
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.items, last.Value.(*lruEntry[K, V]).key)
	}
}

func (c *lru[K, V]) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

// byteLRU is an lru of byte strings bounded by their total size.
type byteLRU struct {
	mu    sync.Mutex
	max   int64
	size  int64
	order *list.List
	items map[string]*list.Element
}

type byteEntry struct {
	key string
	val []byte
}

func newByteLRU(max int64) *byteLRU {
	return &byteLRU{max: max, order: list.New(), items: map[string]*list.Element{}}
}

func (c *byteLRU) get(k string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[k]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*byteEntry).val, true
	}
	return nil, false
}

func (c *byteLRU) add(k string, v []byte) {
	n := int64(len(k) + len(v))
	if n > c.max/4 {
		return // one huge answer must not push out everything else
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[k]; ok {
		c.size -= int64(len(k) + len(e.Value.(*byteEntry).val))
		c.order.Remove(e)
	}
	c.items[k] = c.order.PushFront(&byteEntry{key: k, val: v})
	c.size += n
	for c.size > c.max {
		last := c.order.Back()
		be := last.Value.(*byteEntry)
		c.order.Remove(last)
		delete(c.items, be.key)
		c.size -= int64(len(be.key) + len(be.val))
	}
}

func (c *byteLRU) bytes() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size
}

// shared runs fn once for all callers asking for key at the same time,
// on the server's own context (bounded by the request timeout), so that
// the first caller giving up does not fail the others; each caller waits
// only as long as its own ctx allows.
func shared[T any](ctx context.Context, s *Server, key string, fn func(ctx context.Context) (T, error)) (T, error) {
	ch := s.flight.DoChan(key, func() (any, error) {
		sctx, cancel := context.WithTimeout(s.base, s.cfg.RequestTimeout)
		defer cancel()
		return guarded(func() (T, error) { return fn(sctx) })
	})
	var zero T
	select {
	case r := <-ch:
		if r.Err != nil {
			return zero, r.Err
		}
		return r.Val.(T), nil
	case <-ctx.Done():
		return zero, ctx.Err()
	}
}

// Stats is how much the proxy holds: every figure is bounded by its
// configuration (HeaderCache, AnswerBytes, 64 blocks, MaxInFlight).
type Stats struct {
	Headers     int   `json:"headers"`      // verified light blocks cached
	AnswerBytes int64 `json:"answer_bytes"` // bytes of proven answers cached
	Blocks      int   `json:"blocks"`       // blocks' proven results cached
	InFlight    int   `json:"in_flight"`    // requests being served
}

// Stats says what the proxy holds now.
func (s *Server) Stats() Stats {
	return Stats{Headers: s.headers.len(), AnswerBytes: s.answers.bytes(), Blocks: s.blocks.len(), InFlight: len(s.inflight)}
}
