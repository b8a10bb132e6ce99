package proxy

import (
	"context"
	"errors"
	"sync"
	"syscall"
	"testing"
	"time"

	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/akash-wallet/akw/lightclient"
)

// busyStore is a light client whose store another akw process holds
// from the moment busy is set: Latest and VerifiedAt fail as
// trusted.Client then does.
type busyStore struct {
	failing
	mu     sync.Mutex
	busy   bool
	height int64
	calls  int
}

var errBusy = &lightclient.ErrStoreBusy{Dir: "/home/light/test-1", Reason: syscall.EAGAIN}

func (b *busyStore) Latest(context.Context) (*cmttypes.LightBlock, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.calls++
	if b.busy {
		return nil, errBusy
	}
	b.height++
	return &cmttypes.LightBlock{SignedHeader: &cmttypes.SignedHeader{Header: &cmttypes.Header{ChainID: "test-1", Height: b.height}}}, nil
}

func (b *busyStore) VerifiedAt(context.Context, int64) (*cmttypes.LightBlock, error) {
	return nil, errBusy
}

// TestBusyStoreServesNewestVerified: while another akw process holds the
// light-client store (found by the soak run: `akw tx send` holds it while
// it waits for inclusion), "the newest state" rests on the newest header
// the proxy verified, and the store is asked again only after MaxAge;
// what needs the store is refused as unavailable, never as a
// verification failure.
func TestBusyStoreServesNewestVerified(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	var clock sync.Mutex
	hs := &busyStore{}
	s, err := New(Config{Headers: hs, Views: failing{}, Upstream: failing{}, MaxAge: 2 * time.Second,
		Now: func() time.Time { clock.Lock(); defer clock.Unlock(); return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	step := func(d time.Duration) { clock.Lock(); now = now.Add(d); clock.Unlock() }
	ctx := context.Background()

	if _, err := s.head(ctx); err != nil {
		t.Fatalf("head with a free store: %v", err)
	}
	hs.mu.Lock()
	hs.busy = true
	hs.mu.Unlock()
	step(3 * time.Second) // past MaxAge: the store is asked, and is busy
	lb, err := s.head(ctx)
	if err != nil || lb.Height != 1 {
		t.Fatalf("head with a busy store: %v, %v; want the newest verified header (1)", lb, err)
	}
	hs.mu.Lock()
	calls := hs.calls
	hs.mu.Unlock()
	step(time.Second) // within MaxAge of the busy attempt: not asked again
	if lb, err := s.head(ctx); err != nil || lb.Height != 1 {
		t.Fatalf("head again: %v, %v", lb, err)
	}
	hs.mu.Lock()
	if hs.calls != calls {
		t.Errorf("the busy store was asked %d more times within MaxAge", hs.calls-calls)
	}
	hs.busy = false
	hs.mu.Unlock()
	step(2 * time.Second)
	if lb, err := s.head(ctx); err != nil || lb.Height != 2 {
		t.Fatalf("head once the store is free: %v, %v; want the next header (2)", lb, err)
	}

	// A height the cache lacks needs the store: unavailable, not a lie.
	hs.mu.Lock()
	hs.busy = true
	hs.mu.Unlock()
	h := int64(7)
	if _, cerr := s.headerAt(ctx, &h); cerr == nil || cerr.code != CodeUnavailable || cerr.outcome != Unavailable || cerr.hint == "" {
		t.Fatalf("header 7 with a busy store: %+v; want unavailable with a hint", cerr)
	}
	// With no header verified yet there is nothing to rest on.
	s2, err := New(Config{Headers: &busyStore{busy: true}, Views: failing{}, Upstream: failing{}, MaxAge: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s2.Close)
	if _, err := s2.head(ctx); !errors.As(err, new(*lightclient.ErrStoreBusy)) {
		t.Fatalf("head of a new proxy with a busy store: %v", err)
	}
}
