package trusted_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/akash-wallet/akw/lightclient/trusted"
)

// notices collects a client's notices as they happen.
type notices struct {
	mu   sync.Mutex
	list []trusted.Notice
}

func (n *notices) add(nt trusted.Notice) {
	n.mu.Lock()
	n.list = append(n.list, nt)
	n.mu.Unlock()
}

func (n *notices) of(kind trusted.NoticeKind) []trusted.Notice {
	n.mu.Lock()
	defer n.mu.Unlock()
	var out []trusted.Notice
	for _, nt := range n.list {
		if nt.Kind == kind {
			out = append(out, nt)
		}
	}
	return out
}

// behindNet is a chain whose store trusts height 40 while the chain has
// moved on to 55.
func behindNet(t *testing.T, witnesses int) (*testNet, *trusted.Client, *notices) {
	t.Helper()
	n := newNet(t, 60, 0.1, witnesses)
	n.chain.SetTip(40)
	cfg := n.config(t.TempDir())
	seen := &notices{}
	cfg.OnNotice = seen.add
	c := initLatest(t, cfg)
	n.chain.SetTip(55)
	return n, c, seen
}

// A primary that fell behind the store (its newest block is 30; the
// store has 40): the newest header comes from the witnesses, which are
// at 55, verified and cross-checked as any other; the user is told which
// node lags and by how much.
func TestUpdatePrimaryBehindUsesWitnessAhead(t *testing.T) {
	n, c, seen := behindNet(t, 2)
	n.primary.Lag(30)
	u, err := c.Update(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if u.Block.Height != 55 || !u.Advanced || u.Previous != 40 {
		t.Fatalf("update: previous %d, now %d (advanced %v); want 40 -> 55", u.Previous, u.Block.Height, u.Advanced)
	}
	behind := seen.of(trusted.NoticeTipBehind)
	if len(behind) != 1 || behind[0].URL != n.primary.URL() || behind[0].Height != 30 || behind[0].TrustedHeight != 40 {
		t.Fatalf("tip-behind notices %+v", behind)
	}
	if s := behind[0].String(); !strings.Contains(s, n.primary.URL()) || !strings.Contains(s, " 30") || !strings.Contains(s, " 40") {
		t.Fatalf("notice does not name the node and both heights: %s", s)
	}
	if r := seen.of(trusted.NoticePrimaryReplaced); len(r) != 1 || r[0].URL != n.primary.URL() {
		t.Fatalf("primary-replaced notices %+v", r)
	}
	if lb, _ := c.LastTrusted(); lb.Height != 55 {
		t.Fatalf("store at %d", lb.Height)
	}
	// The witness that took over serves what follows.
	if got := c.PrimaryURL(); got == n.primary.URL() {
		t.Fatalf("the lagging primary is still primary")
	}
}

// A primary that only claims an old tip (and serves any height it is
// asked for): one witness ahead is enough, the primary's own copy of the
// witness's tip is cross-checked against it.
func TestUpdatePrimaryClaimsOldTip(t *testing.T) {
	n, c, seen := behindNet(t, 1)
	n.primary.ClaimTip(20)
	u, err := c.Update(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if u.Block.Height != 55 {
		t.Fatalf("update went to %d, want 55", u.Block.Height)
	}
	if b := seen.of(trusted.NoticeTipBehind); len(b) != 1 || b[0].Height != 20 || b[0].TrustedHeight != 40 {
		t.Fatalf("tip-behind notices %+v", b)
	}
}

// Primary and witnesses all claim a tip 20 blocks below the store (they
// collude, or are one operator): the store's newest header stands, never
// an older one, and every lagging node is named.
func TestUpdateAllBehindKeepsTrusted(t *testing.T) {
	for _, mode := range []string{"lag", "claim"} {
		t.Run(mode, func(t *testing.T) {
			n, c, seen := behindNet(t, 2)
			for _, s := range n.all() {
				if mode == "lag" {
					s.Lag(20)
				} else {
					s.ClaimTip(20)
				}
			}
			before := requests(n.all()...)
			u, err := c.Update(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if u.Block.Height != 40 || u.Advanced {
				t.Fatalf("update: %d (advanced %v), want to stay at 40", u.Block.Height, u.Advanced)
			}
			// Nothing below the store was fetched to verify: only the
			// primary's newest commit and its validators.
			if got := requests(n.all()...) - before; got != 2 {
				t.Fatalf("%d header requests, want 2", got)
			}
			behind := seen.of(trusted.NoticeTipBehind)
			if len(behind) != 3 {
				t.Fatalf("tip-behind notices %+v, want one per node", behind)
			}
			for _, b := range behind {
				if b.Height != 20 || b.TrustedHeight != 40 {
					t.Fatalf("notice %+v", b)
				}
			}
			kept := seen.of(trusted.NoticeKeptTrusted)
			if len(kept) != 1 || kept[0].TrustedHeight != 40 || !strings.Contains(kept[0].String(), "no witness is ahead") {
				t.Fatalf("kept-trusted notices %+v", kept)
			}
			// Asked again in the same session: the same lag is not news.
			if _, err := c.Update(context.Background()); err != nil {
				t.Fatal(err)
			}
			if got := len(seen.of(trusted.NoticeTipBehind)); got != 3 {
				t.Fatalf("%d tip-behind notices after a second update, want still 3", got)
			}
			// The nodes catch up: a later lag is news again.
			for _, s := range n.all() {
				s.Lag(0)
			}
			if u, err := c.Update(context.Background()); err != nil || u.Block.Height != 55 {
				t.Fatalf("caught up: %v %v", u, err)
			}
		})
	}
}

// A lagging primary and a single witness ahead: the witness's header
// cannot be cross-checked (the only other node lacks it), so it is not
// taken; the store's newest header stands and the user is told why.
func TestUpdateWitnessAheadUnconfirmed(t *testing.T) {
	n, c, seen := behindNet(t, 1)
	n.primary.Lag(30)
	u, err := c.Update(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if u.Block.Height != 40 || u.Advanced {
		t.Fatalf("update: %d, want to stay at 40", u.Block.Height)
	}
	kept := seen.of(trusted.NoticeKeptTrusted)
	if len(kept) != 1 || !strings.Contains(kept[0].Reason, n.witnesses[0].URL()) || !strings.Contains(kept[0].Reason, "55") {
		t.Fatalf("kept-trusted notices %+v", kept)
	}
	if lb, _ := c.LastTrusted(); lb.Height != 40 {
		t.Fatalf("store at %d", lb.Height)
	}
}

// /status below the store is reported once, and its answer returned as
// the node gave it (the caller bounds it).
func TestPrimaryStatusBehind(t *testing.T) {
	n, c, seen := behindNet(t, 1)
	n.primary.ClaimTip(25)
	for i := 0; i < 2; i++ {
		st, err := c.PrimaryStatus(context.Background())
		if err != nil || st.SyncInfo.LatestBlockHeight != 25 {
			t.Fatalf("status %v %v", st, err)
		}
	}
	if b := seen.of(trusted.NoticeTipBehind); len(b) != 1 || b[0].URL != n.primary.URL() || b[0].Height != 25 || b[0].TrustedHeight != 40 {
		t.Fatalf("tip-behind notices %+v", b)
	}
	n.primary.ClaimTip(0)
	if _, err := c.PrimaryStatus(context.Background()); err != nil {
		t.Fatal(err)
	}
	if b := seen.of(trusted.NoticeTipBehind); len(b) != 1 {
		t.Fatalf("an honest status was reported: %+v", b)
	}
}

// A primary behind the store, witnesses exactly at it: nothing newer to
// verify, and the primary cannot prove the store's state; queries go to a
// witness that has it, and the notice says so.
func TestUpdateWitnessesAtStoreServeQueries(t *testing.T) {
	n, c, seen := behindNet(t, 2)
	n.primary.Lag(30)
	for _, w := range n.witnesses {
		w.Lag(40)
	}
	u, err := c.Update(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if u.Block.Height != 40 || u.Advanced {
		t.Fatalf("update: %d, want to stay at 40", u.Block.Height)
	}
	kept := seen.of(trusted.NoticeKeptTrusted)
	if len(kept) != 1 || !strings.Contains(kept[0].Reason, "queries go to witness") {
		t.Fatalf("kept-trusted notices %+v", kept)
	}
	st, err := c.Primary().Status(context.Background())
	if err != nil || st.SyncInfo.LatestBlockHeight != 40 {
		t.Fatalf("queries go to a node at %v (%v), want a witness at 40", st, err)
	}
	// The nodes catch up: the primary answers again.
	for _, s := range n.all() {
		s.Lag(0)
	}
	if _, err := c.Update(context.Background()); err != nil {
		t.Fatal(err)
	}
	if st, err := c.Primary().Status(context.Background()); err != nil || st.SyncInfo.LatestBlockHeight != 55 {
		t.Fatalf("after the primary caught up, queries go to a node at %v (%v)", st, err)
	}
}
