package state_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	ctypes "github.com/cometbft/cometbft/rpc/core/types"
	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/lightclient"
	"github.com/akash-wallet/akw/lightclient/state"
)

// tipHeaders is a light client whose store's newest header is trusted
// and whose primary's /status claims tip; it records what it was asked.
type tipHeaders struct {
	trusted int64
	latest  int64 // what Latest returns (the light client never goes below trusted)
	tip     int64
	at      time.Time

	mu         sync.Mutex
	verifiedAt []int64
	latests    int
}

func (h *tipHeaders) block(height int64) *cmttypes.LightBlock {
	return &cmttypes.LightBlock{SignedHeader: &cmttypes.SignedHeader{Header: &cmttypes.Header{
		ChainID: "fresh-1", Height: height, Time: h.at.Add(time.Duration(height) * time.Second),
	}}}
}

func (h *tipHeaders) ChainID() string { return "fresh-1" }
func (h *tipHeaders) VerifiedAt(_ context.Context, height int64) (*cmttypes.LightBlock, error) {
	h.mu.Lock()
	h.verifiedAt = append(h.verifiedAt, height)
	h.mu.Unlock()
	return h.block(height), nil
}

func (h *tipHeaders) Latest(context.Context) (*cmttypes.LightBlock, error) {
	h.mu.Lock()
	h.latests++
	h.mu.Unlock()
	return h.block(h.latest), nil
}
func (h *tipHeaders) LastTrusted() (*cmttypes.LightBlock, error) { return h.block(h.trusted), nil }
func (h *tipHeaders) PrimaryStatus(context.Context) (*ctypes.ResultStatus, error) {
	return &ctypes.ResultStatus{SyncInfo: ctypes.SyncInfo{LatestBlockHeight: h.tip}}, nil
}
func (h *tipHeaders) Primary() lightclient.Node { return nil }

// A /status below the newest verified header is a hint not taken: the
// pipelined view falls back to Latest (never below the store), and no
// header at the claimed height is even asked for.
func TestLatestPipelinedNeverBelowTrusted(t *testing.T) {
	ctx := context.Background()
	h := &tipHeaders{trusted: 40, latest: 40, tip: 20}
	v, err := state.New(h, nil).LatestPipelined(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v.Height() != 39 || v.Header().Height != 40 {
		t.Fatalf("view at %d (header %d), want state 39 on header 40", v.Height(), v.Header().Height)
	}
	if len(h.verifiedAt) != 0 || h.latests != 1 {
		t.Fatalf("asked to verify %v, Latest %d times; want nothing below the store, Latest once", h.verifiedAt, h.latests)
	}

	// The honest case keeps its pipeline: the bound is local, no extra
	// call (no Latest), the claimed header verified while proofs go out.
	for _, tip := range []int64{40, 45} {
		h := &tipHeaders{trusted: 40, latest: 40, tip: tip}
		v, err := state.New(h, nil).LatestPipelined(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if v.Height() != tip-1 || v.Header().Height != tip || h.latests != 0 || len(h.verifiedAt) != 1 || h.verifiedAt[0] != tip {
			t.Fatalf("tip %d: view %d, verified %v, Latest %d times", tip, v.Height(), h.verifiedAt, h.latests)
		}
	}
}

// Every answer knows its age: the verified header's time against an
// injected clock, stale beyond the bound, historical when asked for.
func TestFreshnessLabels(t *testing.T) {
	ctx := context.Background()
	base := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	h := &tipHeaders{trusted: 100, latest: 100, tip: 100, at: base}
	header := h.block(100)
	now := header.Time.Add(7 * time.Minute)
	clock := func() time.Time { return now }
	q := state.New(h, nil, state.WithClock(clock), state.WithStaleAfter(5*time.Minute))

	v, err := q.Pin(header)
	if err != nil {
		t.Fatal(err)
	}
	f := v.Freshness()
	if !f.Stale || f.Historical || f.AgeSeconds != 420 || !f.HeaderTime.Equal(header.Time) || f.HeaderTime.Location() != time.UTC {
		t.Fatalf("7 minutes old, bound 5: %+v", f)
	}
	if got, want := f.Note(v.Height()), "state is 7 minutes old: the chain may have halted, or the nodes are withholding new blocks"; got != want {
		t.Fatalf("note %q, want %q", got, want)
	}

	now = header.Time.Add(4*time.Minute + 59*time.Second)
	if f := v.Freshness(); f.Stale || f.AgeSeconds != 299 || f.Note(v.Height()) != "" {
		t.Fatalf("within the bound: %+v %q", f, f.Note(v.Height()))
	}

	// Asked for: old by request, labelled as such, never stale.
	now = header.Time.Add(7 * time.Minute)
	hv, err := q.At(ctx, 9)
	if err != nil {
		t.Fatal(err)
	}
	hf := hv.Freshness()
	if hf.Stale || !hf.Historical || hf.Note(hv.Height()) != "historical state at height 9, as asked (8 minutes old)" {
		t.Fatalf("historical: %+v %q", hf, hf.Note(hv.Height()))
	}

	// No bound: never stale. A header ahead of a slow clock: age 0.
	nv, _ := state.New(h, nil, state.WithClock(clock)).Pin(header)
	if nv.Freshness().Stale {
		t.Fatal("stale without a bound")
	}
	now = header.Time.Add(-3 * time.Second)
	if f := v.Freshness(); f.AgeSeconds != 0 || f.Age != 0 || f.Stale {
		t.Fatalf("header ahead of the clock: %+v", f)
	}
}

func TestAgeWords(t *testing.T) {
	for d, want := range map[time.Duration]string{
		-time.Second:                   "0 seconds",
		time.Second:                    "1 second",
		40 * time.Second:               "40 seconds",
		119 * time.Second:              "119 seconds",
		7 * time.Minute:                "7 minutes",
		7*time.Minute + 59*time.Second: "7 minutes",
		3 * time.Hour:                  "3 hours",
		50 * time.Hour:                 "2 days",
	} {
		if got := state.AgeWords(d); got != want {
			t.Errorf("AgeWords(%s) = %q, want %q", d, got, want)
		}
	}
}

// panickingHeaders is a light client whose verification of a header
// panics (as code decoding a malformed node answer may): the real one
// cannot be made to panic on demand.
type panickingHeaders struct{ tipHeaders }

func (h *panickingHeaders) VerifiedAt(context.Context, int64) (*cmttypes.LightBlock, error) {
	var lb *cmttypes.LightBlock
	return lb, errors.New(lb.ChainID) // nil dereference
}

// The pipelined view verifies its header in a goroutine of its own: a
// panic there becomes the view's ErrPanic, not the end of the process.
func TestLatestPipelinedRecoversHeaderPanic(t *testing.T) {
	ctx := context.Background()
	h := &panickingHeaders{tipHeaders{trusted: 40, latest: 40, tip: 45}}
	v, err := state.New(h, nil).LatestPipelined(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if lb := v.Header(); lb != nil {
		t.Fatalf("header %v from a panicking verification", lb)
	}
	_, err = v.Balances(ctx, make([]byte, 20))
	var pe *state.ErrPanic
	if !errors.As(err, &pe) || errkind.KindOf(err) != errkind.Verification {
		t.Fatalf("balances on a view whose header panicked: %T %v", err, err)
	}
}
