package state_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/rpcproxy"
	"github.com/akash-wallet/akw/internal/testctx"
	"github.com/akash-wallet/akw/lightclient/state"
	"github.com/akash-wallet/akw/lightclient/trusted"
)

// TestDevnetOldTip plays nodes that report an old tip (issue 11: a
// primary and witness whose /status claimed a tip 20 blocks below the
// trusted header made akw prove the state of 20 blocks before as the
// newest). "The newest state" must never be older than the newest
// verified header: the lagging node is named, a witness ahead is used,
// and with none ahead the answer rests on the verified header itself.
func TestDevnetOldTip(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a devnet")
	}
	// Room for a tip 20 blocks below the trusted header.
	ctx, n, proxies := proxiedDevnet(t, 25)
	direct := n.Client(0)
	alice, _ := n.Account("alice")
	aliceAddr, _ := alice.AccAddress()
	bob, _ := n.Account("bob")

	home := t.TempDir()
	lcfg := trusted.Config{ChainID: n.ChainID(), Primary: proxies[0].URL(), Witnesses: []string{proxies[1].URL(), proxies[2].URL()}, Home: home}
	c, err := trusted.Init(ctx, lcfg, trusted.TrustRoot{Latest: true}, trusted.InitOptions{Confirm: func(trusted.Candidate) (bool, error) { return true, nil }})
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	type session struct {
		c       *trusted.Client
		mu      sync.Mutex
		notices []trusted.Notice
	}
	open := func(t *testing.T) *session {
		s := &session{}
		cfg := lcfg
		// A node that answers slowly on a busy machine (load 50 and the
		// race detector: seconds per request) is not the subject here:
		// with the default 10 s a witness's slow answer reads as
		// "unreachable", and the store's header is kept (safe, but not
		// what a case below asserts). Lies are the subject.
		cfg.Timeout = 2 * time.Minute
		cfg.OnNotice = func(nt trusted.Notice) { s.mu.Lock(); s.notices = append(s.notices, nt); s.mu.Unlock() }
		c, err := trusted.Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		s.c = c
		return s
	}
	noticed := func(s *session, kind trusted.NoticeKind, url string) *trusted.Notice {
		s.mu.Lock()
		defer s.mu.Unlock()
		for i := range s.notices {
			if s.notices[i].Kind == kind && (url == "" || s.notices[i].URL == url) {
				return &s.notices[i]
			}
		}
		return nil
	}
	// trustNow brings the store to the newest header (honest nodes) and
	// returns its height.
	trustNow := func(t *testing.T) int64 {
		s := open(t)
		lb, err := s.c.Latest(ctx)
		if err != nil {
			t.Fatal(err)
		}
		s.c.Close()
		return lb.Height
	}
	// balanceAt is the node's own (unproven) word, for reference.
	balanceAt := func(t *testing.T, h int64) sdk.Coins {
		var r banktypes.QueryAllBalancesResponse
		grpc(t, direct, h, "/cosmos.bank.v1beta1.Query/AllBalances", &banktypes.QueryAllBalancesRequest{Address: alice.Address}, &r)
		return r.Balances
	}
	stopLies := func() {
		for _, p := range proxies {
			p.ClaimTip(0, false)
		}
	}

	// The scenario: alice spends, the store trusts a header after
	// the spend, then primary and witnesses all claim a tip 20 blocks
	// older, before the spend.
	t.Run("all claim an old tip", func(t *testing.T) {
		defer stopLies()
		sent, err := n.Send(ctx, "alice", bob.Address, sdk.NewCoins(sdk.NewInt64Coin(devnet.Denom, 1_234_567)))
		if err != nil {
			t.Fatal(err)
		}
		if err := n.WaitForHeight(ctx, sent.Height+1); err != nil {
			t.Fatal(err)
		}
		trustedH := trustNow(t)
		old := trustedH - 20
		if old >= sent.Height {
			t.Fatalf("trusted header %d: a tip 20 blocks older (%d) is not before the spend at %d", trustedH, old, sent.Height)
		}
		if balanceAt(t, old-1).Equal(balanceAt(t, trustedH-1)) {
			t.Fatal("the old state does not differ from the trusted one: the test would prove nothing")
		}
		for _, p := range proxies {
			p.ClaimTip(old, false)
		}
		s := open(t)
		v, err := state.New(s.c, nil).LatestPipelined(ctx)
		if err != nil {
			t.Fatal(err)
		}
		b, err := v.Balances(ctx, aliceAddr)
		if err != nil {
			t.Fatal(err)
		}
		if b.Height != trustedH-1 || v.Header().Height != trustedH {
			t.Fatalf("answer at height %d (header %d), want the trusted header %d's state %d", b.Height, v.Header().Height, trustedH, trustedH-1)
		}
		if want := balanceAt(t, b.Height); !b.Coins.Equal(want) {
			t.Fatalf("proven %s, node %s", b.Coins, want)
		}
		for _, p := range proxies {
			nt := noticed(s, trusted.NoticeTipBehind, p.URL())
			if nt == nil || nt.Height != old || nt.TrustedHeight != trustedH {
				t.Fatalf("no tip-behind notice for %s with heights %d < %d: %+v", p.URL(), old, trustedH, s.notices)
			}
		}
		if noticed(s, trusted.NoticeKeptTrusted, "") == nil {
			t.Fatalf("no kept-trusted notice: %+v", s.notices)
		}
		t.Logf("notices: %v", s.notices)
	})

	// A primary that is really behind (it refuses every height above its
	// tip); the witnesses are honest and ahead: the newest state comes
	// through them, newer than the trusted header.
	t.Run("primary behind, witnesses ahead", func(t *testing.T) {
		defer stopLies()
		trustedH := trustNow(t)
		if err := n.WaitForHeight(ctx, trustedH+3); err != nil {
			t.Fatal(err)
		}
		proxies[0].ClaimTip(trustedH-20, true)
		s := open(t)
		v, err := state.New(s.c, nil).LatestPipelined(ctx)
		if err != nil {
			t.Fatal(err)
		}
		b, err := v.Balances(ctx, aliceAddr)
		if err != nil {
			t.Fatal(err)
		}
		if b.Height <= trustedH-1 {
			t.Fatalf("answer at %d; the witnesses are ahead of the trusted header %d (notices: %+v)", b.Height, trustedH, func() []trusted.Notice {
				s.mu.Lock()
				defer s.mu.Unlock()
				return append([]trusted.Notice(nil), s.notices...)
			}())
		}
		if want := balanceAt(t, b.Height); !b.Coins.Equal(want) {
			t.Fatalf("proven %s, node %s", b.Coins, want)
		}
		if nt := noticed(s, trusted.NoticeTipBehind, proxies[0].URL()); nt == nil || nt.Height != trustedH-20 || nt.TrustedHeight != trustedH {
			t.Fatalf("tip-behind notice: %+v", s.notices)
		}
		if noticed(s, trusted.NoticePrimaryReplaced, proxies[0].URL()) == nil || s.c.PrimaryURL() == proxies[0].URL() {
			t.Fatalf("the lagging primary was not replaced: %+v", s.notices)
		}
	})

	// Every node is really behind: nothing newer can be verified, and
	// nothing can prove the trusted header's state either. That fails
	// (a network error naming the height and every node's refusal: no
	// answer failed to verify); an older state is never the answer.
	t.Run("all behind", func(t *testing.T) {
		defer stopLies()
		trustedH := trustNow(t)
		for _, p := range proxies {
			p.ClaimTip(trustedH-20, true)
		}
		s := open(t)
		v, err := state.New(s.c, nil).LatestPipelined(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if v.Height() < trustedH-1 {
			t.Fatalf("view at %d, below the trusted header %d", v.Height(), trustedH)
		}
		b, err := v.Balances(ctx, aliceAddr)
		var un *state.ErrUnavailable
		if err == nil || !errors.As(err, &un) || errkind.KindOf(err) != errkind.Unproven {
			t.Fatalf("answer %+v, error %T %v; want no node to hold the state", b, err, err)
		}
		for _, p := range proxies {
			if !strings.Contains(err.Error(), p.URL()) || !strings.Contains(err.Error(), fmt.Sprintf("height %d", v.Height())) {
				t.Fatalf("error does not name the height and node %s: %v", p.URL(), err)
			}
		}
		if !strings.Contains(err.Error(), "future") {
			t.Fatalf("error does not say why: %v", err)
		}
	})
}

// proxiedDevnet starts a 3-validator devnet, waits for height, and puts an
// rpcproxy in front of each validator, for tests that make nodes lie or
// lag. The context ends before the test binary's deadline.
func proxiedDevnet(t *testing.T, height int64) (context.Context, *devnet.Network, []*rpcproxy.Proxy) {
	t.Helper()
	if err := devnet.SetSDKConfig(); err != nil {
		t.Fatal(err)
	}
	ctx := testctx.New(t)
	cfg := devnet.Config{Dir: t.TempDir(), Validators: 3, Logf: t.Logf}
	if os.Getenv("AKW_DEVNET_LOG") != "" {
		cfg.Log = os.Stderr
	}
	n, err := devnet.Start(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = n.Stop() })
	if err := n.WaitForHeight(ctx, height); err != nil {
		t.Fatal(err)
	}
	var proxies []*rpcproxy.Proxy
	for _, u := range n.RPC() {
		p, err := rpcproxy.New(u)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { p.Close() })
		proxies = append(proxies, p)
	}
	return ctx, n, proxies
}
