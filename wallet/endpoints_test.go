package wallet_test

// Endpoints as they behave (issue 13): a primary behind a per-request load
// balancer whose backends are blocks apart, a backend that pruned the
// height asked for, and HTTP 429 — each played by internal/rpcproxy in
// front of a real devnet node, and every answer still proven.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/internal/config"
	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/devnet/devnettest"
	"github.com/akash-wallet/akw/internal/rpcproxy"
	"github.com/akash-wallet/akw/internal/testctx"
	"github.com/akash-wallet/akw/keys"
	"github.com/akash-wallet/akw/lightclient"
	"github.com/akash-wallet/akw/lightclient/state"
	"github.com/akash-wallet/akw/lightclient/trusted"
	"github.com/akash-wallet/akw/tx/fee"
	"github.com/akash-wallet/akw/tx/flow"
	"github.com/akash-wallet/akw/tx/ops"
	"github.com/akash-wallet/akw/wallet"
)

// The shared devnet: three validators (one behind the balancer, two
// witnesses) and two full nodes: fullnode0, held blocks behind, and
// fullnode1, which prunes all but its last keepRecent heights.
const (
	heldNode   = 0
	prunedNode = 1
	keepRecent = 5
	// lag is how far behind the balancer's second backend is held: the
	// issue's measurement.
	lag = 5
)

func TestMain(m *testing.M) {
	devnettest.Main(m, devnettest.WithValidators(3), devnettest.WithConfig(func(c *devnet.Config) {
		c.FullNodes = []devnet.FullNode{{}, {KeepRecent: keepRecent}}
	}))
}

// waitFor polls cond until it holds: a state of the chain, not a time.
func waitFor(ctx context.Context, t *testing.T, what string, cond func() bool) {
	t.Helper()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("waiting for %s: %v", what, ctx.Err())
		case <-tick.C:
		}
	}
}

// holdBehind holds fullnode0 lag blocks behind validator0 for the test,
// and waits until it is.
func holdBehind(ctx context.Context, t *testing.T, n *devnet.Network) {
	t.Helper()
	if err := n.HoldBehind(heldNode, lag); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = n.HoldBehind(heldNode, 0) })
	waitFor(ctx, t, fmt.Sprintf("the held node %d blocks behind", lag), func() bool {
		v, err1 := n.LatestHeight(ctx, 0)
		st, err2 := n.FullNodeClient(heldNode).Status(ctx)
		return err1 == nil && err2 == nil && v-st.SyncInfo.LatestBlockHeight >= lag
	})
}

// balancer is a per-request round robin over validator0 and the held
// full node, as Akash's public RPC.
func balancer(t *testing.T, n *devnet.Network) *rpcproxy.Proxy {
	t.Helper()
	lb, err := rpcproxy.NewRoundRobin(n.RPC()[0], n.FullNodes()[heldNode].RPC)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lb.Close() })
	return lb
}

// session opens a wallet session with primary and the other validators as
// witnesses, its light client initialised at the newest header.
func session(t *testing.T, primary string, witnesses ...string) (*wallet.Session, *[]string) {
	t.Helper()
	n := devnettest.Get(t)
	ctx := testctx.New(t)
	if err := n.WaitForHeight(ctx, 4); err != nil {
		t.Fatal(err)
	}
	if witnesses == nil {
		witnesses = n.RPC()[1:]
	}
	home := devnettest.NewHome(t)
	net := config.Presets()[config.Devnet]
	net.ChainID, net.RPC, net.Witnesses = n.ChainID(), primary, witnesses
	var notes []string
	lcfg := wallet.LightConfig(net, home)
	lcfg.OnNotice = func(nt trusted.Notice) { notes = append(notes, nt.String()) }
	lc, err := trusted.Init(ctx, lcfg, trusted.TrustRoot{Latest: true},
		trusted.InitOptions{Confirm: func(trusted.Candidate) (bool, error) { return true, nil }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lc.Close() })
	kr, err := keys.Open(keys.Config{Backend: keys.BackendTest, Dir: home, AppName: devnet.KeyringAppName})
	if err != nil {
		t.Fatal(err)
	}
	s, err := wallet.Open(ctx, wallet.Config{Name: config.Devnet, Network: net, Home: home, Light: lc, Keyring: kr,
		Notify: func(m string) { notes = append(notes, m) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s, &notes
}

func accAddr(t *testing.T, name string) sdk.AccAddress {
	t.Helper()
	a, err := sdk.AccAddressFromBech32(devnettest.Account(t, name).Address)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// tally counts outcomes by exit-code kind.
type tally map[string]int

func (c tally) add(err error) {
	if err == nil {
		c["ok"]++
		return
	}
	c[errkind.KindOf(err).String()]++
}

// TestBalancerOverALaggingBackend: consecutive balance queries, as `akw
// query balance` makes them (a pipelined view of the newest state),
// through a primary that round-robins per request between a current
// validator and a full node 5 blocks behind. Every one is answered and
// proven; none is a verification failure.
func TestBalancerOverALaggingBackend(t *testing.T) {
	ctx := testctx.New(t)
	n := devnettest.Get(t)
	holdBehind(ctx, t, n)
	lb := balancer(t, n)
	alice := accAddr(t, "alice")

	const runs = 20
	got := tally{}
	var first error
	for i := range runs {
		// A new session each time, as a new `akw query balance` process.
		s, _ := session(t, lb.URL())
		var b *state.Balance
		err := s.Query(ctx, wallet.View{Pipelined: true}, func(ctx context.Context, v *state.View) (err error) {
			b, err = v.Balance(ctx, alice, "uakt")
			return err
		})
		got.add(err)
		if err == nil && (!b.Verified || b.Coin.Amount.IsZero()) {
			t.Fatalf("run %d: balance %+v", i, b)
		}
		if err != nil && first == nil {
			first = err
		}
	}
	t.Logf("%d balance queries through the balancer: %v (first error: %v)", runs, got, first)
	if got["ok"] != runs {
		t.Fatalf("%d of %d answered: %v; first error: %v", got["ok"], runs, got, first)
	}
	if counts := lb.TargetCounts(); counts[1] == 0 {
		t.Fatalf("the lagging backend got no request: %v", counts)
	}
}

// TestBalancerLongLivedSession: one session (the TUI's, or a script's
// loop) asks many times; views of the newest state and of the stored
// header alike are answered.
func TestBalancerLongLivedSession(t *testing.T) {
	ctx := testctx.New(t)
	n := devnettest.Get(t)
	holdBehind(ctx, t, n)
	lb := balancer(t, n)
	alice := accAddr(t, "alice")
	s, _ := session(t, lb.URL())

	const runs = 20
	got := tally{}
	var first error
	for i := range runs {
		v := wallet.View{Pipelined: i%2 == 0, MaxAge: time.Duration(i%3) * time.Second}
		err := s.Query(ctx, v, func(ctx context.Context, v *state.View) error {
			_, err := v.Balances(ctx, alice)
			return err
		})
		got.add(err)
		if err != nil && first == nil {
			first = err
		}
	}
	t.Logf("%d queries in one session: %v (first error: %v)", runs, got, first)
	if got["ok"] != runs {
		t.Fatalf("%d of %d answered: %v; first error: %v", got["ok"], runs, got, first)
	}
}

// proxy is an rpcproxy in front of target, closed with the test.
func proxy(t *testing.T, target string) *rpcproxy.Proxy {
	t.Helper()
	p, err := rpcproxy.New(target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// balanceAt is alice's balance in the state at height h, proven.
func balanceAt(ctx context.Context, t *testing.T, s *wallet.Session, h int64) (*state.Balance, error) {
	t.Helper()
	var b *state.Balance
	err := s.Query(ctx, wallet.View{Height: h}, func(ctx context.Context, v *state.View) (err error) {
		b, err = v.Balance(ctx, accAddr(t, "alice"), "uakt")
		return err
	})
	return b, err
}

// TestPrunedBackend: a --height query below the primary's pruning floor is
// answered by a witness that holds the state, proven against the same
// verified header; the pruned node was asked (its answers are a real
// pruned node's, rpcproxy.PruneBelow).
func TestPrunedBackend(t *testing.T) {
	ctx := testctx.New(t)
	n := devnettest.Get(t)
	const old = 3
	if err := n.WaitForHeight(ctx, old+keepRecent+2); err != nil {
		t.Fatal(err)
	}
	p := proxy(t, n.RPC()[0])
	s, _ := session(t, p.URL())
	// The header that commits the state at old is verified while the
	// primary still has it; then the primary prunes.
	if _, err := s.Light().VerifiedAt(ctx, old+1); err != nil {
		t.Fatal(err)
	}
	tip, err := n.LatestHeight(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	p.PruneBelow(tip - keepRecent)
	b, err := balanceAt(ctx, t, s, old)
	if err != nil {
		t.Fatalf("a witness holds height %d: %v", old, err)
	}
	if !b.Verified || b.Height != old || !b.Historical || b.Coin.Amount.IsZero() {
		t.Fatalf("balance %+v", b)
	}
	if p.Pruned() < 3 {
		t.Fatalf("the pruned primary answered %d times; want it asked first (three times)", p.Pruned())
	}

	// The devnet's really pruning full node as the primary: the header
	// below its floor comes from a witness (the light client replaces
	// the primary), and so does the state.
	waitFor(ctx, t, "the full node to prune height 3", func() bool {
		st, err := n.FullNodeClient(prunedNode).Status(ctx)
		return err == nil && st.SyncInfo.EarliestBlockHeight > old+1
	})
	s2, notes := session(t, n.FullNodes()[prunedNode].RPC)
	b, err = balanceAt(ctx, t, s2, old)
	if err != nil {
		t.Fatalf("through the pruning node: %v (notes %q)", err, *notes)
	}
	if !b.Verified || b.Height != old {
		t.Fatalf("balance %+v", b)
	}
}

// TestAllPruned: no node holds the height asked for. That is no
// verification failure (exit 3 stays for answers that do not verify): the
// state without any node to prove it is ErrUnavailable, the header without
// any node to serve it ErrHeightUnavailable, both network (exit 5), naming
// the height, with the hint of a more recent height or an archive node.
func TestAllPruned(t *testing.T) {
	ctx := testctx.New(t)
	n := devnettest.Get(t)
	const old = 3
	var ps []*rpcproxy.Proxy
	var urls []string
	for _, rpc := range n.RPC() {
		p := proxy(t, rpc)
		ps = append(ps, p)
		urls = append(urls, p.URL())
	}
	s, _ := session(t, urls[0], urls[1:]...)
	if _, err := s.Light().VerifiedAt(ctx, old+1); err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		p.PruneBelow(old + 1)
	}

	_, err := balanceAt(ctx, t, s, old)
	var un *state.ErrUnavailable
	if !errors.As(err, &un) || errkind.KindOf(err) != errkind.Unproven {
		t.Fatalf("state nobody holds: %T %v; want ErrUnavailable (unproven)", err, err)
	}
	msg := err.Error()
	if !strings.Contains(msg, fmt.Sprintf("no node holds the state at height %d", old)) || !strings.Contains(msg, "proof is unexpectedly empty") {
		t.Fatalf("message %q", msg)
	}
	for _, u := range urls {
		if !strings.Contains(msg, u) {
			t.Fatalf("message does not name %s: %q", u, msg)
		}
	}
	if r := errkind.RemedyOf(err); r.Do != errkind.RecentHeight {
		t.Fatalf("remedy %+v", r)
	}

	// A height whose header is not verified (verifying backwards from
	// the trust root stored old+1 and above): nobody serves it.
	_, err = balanceAt(ctx, t, s, old-1)
	var gone *lightclient.ErrHeightUnavailable
	if !errors.As(err, &gone) || errkind.KindOf(err) != errkind.Unproven || !strings.Contains(fmt.Sprint(err), fmt.Sprintf("height %d", old)) ||
		errkind.RemedyOf(err).Do != errkind.RecentHeight {
		t.Fatalf("header nobody holds: %T %v (kind %v)", err, err, errkind.KindOf(err))
	}
}

// TestRateLimitedPrimary: a primary that answers 429 with Retry-After is
// waited for and answers; one that keeps refusing is given up on, named,
// and a witness answers instead.
func TestRateLimitedPrimary(t *testing.T) {
	ctx := testctx.New(t)
	n := devnettest.Get(t)
	p := proxy(t, n.RPC()[0])
	s, notes := session(t, p.URL())
	alice := accAddr(t, "alice")
	query := func() error {
		return s.Query(ctx, wallet.View{}, func(ctx context.Context, v *state.View) error {
			_, err := v.Balances(ctx, alice)
			return err
		})
	}

	p.RateLimit(2, time.Second)
	if err := query(); err != nil {
		t.Fatal(err)
	}
	if got := p.RateLimited(); got != 2 {
		t.Fatalf("the proxy refused %d requests, want 2", got)
	}
	if cur := s.Light().PrimaryURL(); cur != p.URL() {
		t.Fatalf("primary is %s: a node that answered after the wait was replaced", cur)
	}

	p.RateLimit(-1, time.Second)
	defer p.RateLimit(0, 0)
	if err := query(); err != nil {
		t.Fatalf("a witness should answer: %v (notes %q)", err, *notes)
	}
	if p.RateLimited() < 2+4 {
		t.Fatalf("the proxy refused %d requests", p.RateLimited())
	}
	if !strings.Contains(strings.Join(*notes, "\n"), "rate-limited akw (HTTP 429") {
		t.Fatalf("the user is not told the primary rate-limited akw: %q", *notes)
	}
}

// TestSendThroughBalancer: a send through the round robin — the checks
// before signing (account, sequence, balance: proven), the broadcast, and
// the proven inclusion and result — with half the requests reaching a node
// 5 blocks behind.
func TestSendThroughBalancer(t *testing.T) {
	ctx := testctx.New(t)
	n := devnettest.Get(t)
	holdBehind(ctx, t, n)
	lb := balancer(t, n)
	s, notes := session(t, lb.URL())
	key, err := s.Signer(ctx, "carol", false)
	if err != nil {
		t.Fatal(err)
	}
	bob := devnettest.Account(t, "bob").Address
	for i := range 3 {
		plan, err := s.Prepare(ctx, ops.Request{Kind: ops.KindSend, To: bob, Amount: "7uakt"}, key, flow.Options{Gas: fee.Gas{Auto: true}, Memo: fmt.Sprintf("balancer %d", i)})
		if err != nil {
			t.Fatalf("send %d: prepare: %v (notes %q)", i, err, *notes)
		}
		var stages []wallet.Stage
		res, err := s.Send(ctx, plan, func(ev wallet.Event) { stages = append(stages, ev.Stage) })
		if err != nil {
			t.Fatalf("send %d: %v (notes %q)", i, err, *notes)
		}
		if !res.Verified || res.Code != 0 || res.Height <= 0 || stages[len(stages)-1] != wallet.StageProven {
			t.Fatalf("send %d: result %+v, stages %v", i, res, stages)
		}
	}
	if counts := lb.TargetCounts(); counts[1] == 0 {
		t.Fatalf("the lagging backend got no request: %v", counts)
	}
}

// A network's request-timeout bounds each request of the light client;
// none (or one below zero) leaves the light client's default.
func TestLightConfigRequestTimeout(t *testing.T) {
	n := config.Presets()[config.Mainnet]
	if got := wallet.LightConfig(n, t.TempDir()).Timeout; got != 0 {
		t.Errorf("no request-timeout: %s, want 0 (the light client's default)", got)
	}
	n.RequestTimeout = config.Duration(45 * time.Second)
	if got := wallet.LightConfig(n, t.TempDir()).Timeout; got != 45*time.Second {
		t.Errorf("request-timeout 45s: %s", got)
	}
	n.RequestTimeout = config.Duration(-time.Second)
	if got := wallet.LightConfig(n, t.TempDir()).Timeout; got != 0 {
		t.Errorf("request-timeout -1s: %s, want 0 (the default)", got)
	}
}
