package trusted_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/akash-wallet/akw/lightclient/trusted"
)

// A primary that accepts requests and never answers is asked once: the
// light client's fork detector (which keeps a timed-out primary as a
// witness) and later requests find it marked dead and fail at once, so it
// costs one per-request timeout, not one per request.
func TestStalledPrimaryAskedOnce(t *testing.T) {
	n := newNet(t, 61, 0.1, 2)
	n.chain.SetTip(40)
	cfg := n.config(t.TempDir())
	cfg.Timeout = time.Second
	var notices []trusted.Notice
	cfg.OnNotice = func(nt trusted.Notice) { notices = append(notices, nt) }
	c := initLatest(t, cfg)
	n.primary.SetLatency(time.Hour)
	n.chain.SetTip(60)
	n.primary.ResetCounts()

	began := time.Now()
	lb, err := c.Latest(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("stalled primary, Latest took %v (timeout %v)", time.Since(began), cfg.Timeout)
	if lb.Height != 60 {
		t.Fatalf("height %d", lb.Height)
	}
	// One /commit for the newest header; the detector's request at 60
	// (the old primary is a witness now) must not reach it.
	if got := requests(n.primary); got != 1 {
		t.Fatalf("the stalled primary was asked %d times, want 1", got)
	}
	if len(notices) != 1 || notices[0].Kind != trusted.NoticePrimaryReplaced || notices[0].URL != n.primary.URL() {
		t.Fatalf("notices %+v", notices)
	}
	if !strings.Contains(notices[0].String(), "unreachable") {
		t.Fatalf("notice does not say why: %s", notices[0])
	}

	// Later operations of this client do not ask it either, and the
	// status probe follows the new primary.
	n.chain.SetTip(61)
	if _, err := c.VerifiedAt(context.Background(), 61); err != nil {
		t.Fatal(err)
	}
	if got := requests(n.primary); got != 1 {
		t.Fatalf("the stalled primary was asked again (%d requests)", got)
	}
	st, err := c.PrimaryStatus(context.Background())
	if err != nil || st.SyncInfo.LatestBlockHeight != 61 {
		t.Fatalf("PrimaryStatus after failover: %v %v", st, err)
	}
	if n.primary.Statuses() != 0 {
		t.Fatal("the status probe went to the replaced primary")
	}
}

// The status probe that picks a query's height is the first request to
// a stalled primary: it marks it, and the light client's update then
// falls over to a witness without asking it again (one timeout in all).
func TestStalledPrimaryStatusProbe(t *testing.T) {
	n := newNet(t, 60, 0.1, 2)
	n.chain.SetTip(40)
	cfg := n.config(t.TempDir())
	cfg.Timeout = time.Second
	var notices []trusted.Notice
	cfg.OnNotice = func(nt trusted.Notice) { notices = append(notices, nt) }
	c := initLatest(t, cfg)
	n.primary.SetLatency(time.Hour)
	n.chain.SetTip(60)
	n.primary.ResetCounts()

	began := time.Now()
	if _, err := c.PrimaryStatus(context.Background()); err == nil {
		t.Fatal("a stalled primary's /status answered")
	}
	if _, err := c.PrimaryStatus(context.Background()); err == nil || n.primary.Statuses() != 1 {
		t.Fatalf("second probe: %v after %d requests, want a fast failure after 1", err, n.primary.Statuses())
	}
	lb, err := c.Latest(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("stalled primary, probe and Latest took %v (timeout %v)", time.Since(began), cfg.Timeout)
	if lb.Height != 60 || requests(n.primary) != 0 {
		t.Fatalf("height %d, %d header requests to the stalled primary", lb.Height, requests(n.primary))
	}
	if len(notices) != 1 || notices[0].Kind != trusted.NoticePrimaryReplaced {
		t.Fatalf("notices %+v", notices)
	}
}

// A caller that gives up is not the node's fault: the node is asked again.
func TestCancelledRequestDoesNotMarkDead(t *testing.T) {
	n := newNet(t, 60, 0.1, 2)
	n.chain.SetTip(40)
	cfg := n.config(t.TempDir())
	c := initLatest(t, cfg)
	n.primary.SetLatency(time.Hour)
	n.primary.ResetCounts()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	_, err := c.PrimaryStatus(ctx)
	cancel()
	if err == nil {
		t.Fatal("stalled /status answered")
	}
	n.primary.SetLatency(0)
	if _, err := c.PrimaryStatus(context.Background()); err != nil || n.primary.Statuses() != 2 {
		t.Fatalf("after a cancelled probe: %v, %d requests", err, n.primary.Statuses())
	}
}
