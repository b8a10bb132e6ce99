package integration_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/rpcproxy"
	"github.com/akash-wallet/akw/internal/testctx"
	"github.com/akash-wallet/akw/lightclient"
	"github.com/akash-wallet/akw/lightclient/trusted"
)

// net is the devnet every test shares: three validators, so that the
// primary can die and still leave two witnesses.
var (
	net     *devnet.Network
	genesis *devnet.Genesis
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	flag.Parse()
	ctx, cancel := testctx.ForMain()
	defer cancel()
	dir, err := os.MkdirTemp("", "akw-lc-devnet")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	genesis, err = devnet.NewGenesis(devnet.Config{Validators: 3})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	net, err = devnet.Start(ctx, devnet.Config{Dir: dir, Genesis: genesis, TimeoutPropose: forkProposeTimeout})
	if err != nil {
		fmt.Fprintln(os.Stderr, "devnet:", err)
		return 1
	}
	defer net.Stop()
	return m.Run()
}

func yes(trusted.Candidate) (bool, error) { return true, nil }

func config(t *testing.T, primary string, witnesses ...string) trusted.Config {
	return trusted.Config{ChainID: net.ChainID(), Primary: primary, Witnesses: witnesses, Home: t.TempDir(), Timeout: 5 * time.Second}
}

func proxy(t *testing.T, target string) *rpcproxy.Proxy {
	t.Helper()
	p, err := rpcproxy.New(target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// nodeHash is the node's own (unverified) hash of the block at h, to
// compare verified answers with.
func nodeHash(t *testing.T, ctx context.Context, node int, h int64) string {
	t.Helper()
	res, err := net.Client(node).Commit(ctx, &h)
	if err != nil {
		t.Fatal(err)
	}
	return res.Header.Hash().String()
}

func TestDevnetLifecycle(t *testing.T) {
	ctx := testctx.New(t)
	rpc := net.RPC()
	p0, p1, p2 := proxy(t, rpc[0]), proxy(t, rpc[1]), proxy(t, rpc[2])
	cfg := config(t, p0.URL(), p1.URL(), p2.URL())

	var cand trusted.Candidate
	c, err := trusted.Init(ctx, cfg, trusted.TrustRoot{Latest: true},
		trusted.InitOptions{Confirm: func(cd trusted.Candidate) (bool, error) { cand = cd; return true, nil }})
	if err != nil {
		t.Fatal(err)
	}
	if len(cand.Agreed) != 2 || cand.Hash.String() != nodeHash(t, ctx, 1, cand.Height) {
		t.Fatalf("candidate %+v", cand)
	}
	t.Logf("trusted %d %s", cand.Height, cand.Hash)

	if err := net.WaitForHeight(ctx, cand.Height+3); err != nil {
		t.Fatal(err)
	}
	u, err := c.Update(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !u.Advanced || u.Block.Height < cand.Height+3 || u.Block.Hash().String() != nodeHash(t, ctx, 2, u.Block.Height) {
		t.Fatalf("update %+v", u)
	}

	// A stored height costs no request; a new one costs one round of
	// parallel requests.
	for _, p := range []*rpcproxy.Proxy{p0, p1, p2} {
		p.ResetCounts()
	}
	if lb, err := c.VerifiedAt(ctx, u.Block.Height); err != nil || lb.Height != u.Block.Height {
		t.Fatal(err)
	}
	for _, p := range []*rpcproxy.Proxy{p0, p1, p2} {
		if n := len(p.Counts()); n != 0 {
			t.Fatalf("stored header fetched from the network: %v", p.Counts())
		}
	}
	mid := (cand.Height + u.Block.Height) / 2
	lb, err := c.VerifiedAt(ctx, mid)
	if err != nil || lb.Hash().String() != nodeHash(t, ctx, 0, mid) {
		t.Fatalf("VerifiedAt(%d): %v", mid, err)
	}

	// Latest over 20 ms of added round-trip time per request.
	for _, p := range []*rpcproxy.Proxy{p0, p1, p2} {
		p.SetLatency(20 * time.Millisecond)
	}
	if _, err := net.WaitForNextBlock(ctx); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := c.Latest(ctx); err != nil {
		t.Fatal(err)
	}
	t.Logf("MEASURE: warm Latest on the devnet with 20 ms per request: %s; requests %v %v %v",
		time.Since(start).Round(time.Millisecond), p0.Counts(), p1.Counts(), p2.Counts())
	for _, p := range []*rpcproxy.Proxy{p0, p1, p2} {
		p.SetLatency(0)
	}

	st, err := c.Status(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range st.Endpoints {
		if !e.Reachable || e.Network != net.ChainID() || e.Role == "dropped" {
			t.Fatalf("endpoint %+v", e)
		}
	}
	if st.TrustRoot.Height != cand.Height || st.TrustRoot.Source != "latest" {
		t.Fatalf("trust root %+v", st.TrustRoot)
	}

	if err := c.Reset(); err != nil {
		t.Fatal(err)
	}
	if trusted.Exists(cfg.Home, cfg.ChainID) {
		t.Fatal("reset left the store")
	}
}

func TestDevnetGivenHash(t *testing.T) {
	ctx := testctx.New(t)
	rpc := net.RPC()
	h := int64(2)
	hash := nodeHash(t, ctx, 0, h)
	bz := make([]byte, 32)
	fmt.Sscanf(hash, "%X", &bz)
	cfg := config(t, rpc[0], rpc[1])
	c, err := trusted.Init(ctx, cfg, trusted.TrustRoot{Height: h, Hash: bz}, trusted.InitOptions{Confirm: yes})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	lb, err := c.Latest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if lb.Hash().String() != nodeHash(t, ctx, 1, lb.Height) {
		t.Fatal("verified header differs from the node's")
	}
	t.Logf("caught up from 2 to %d", lb.Height)

	bz[0] ^= 1
	_, err = trusted.Init(ctx, config(t, rpc[0], rpc[1]), trusted.TrustRoot{Height: h, Hash: bz}, trusted.InitOptions{Confirm: yes})
	var mm *lightclient.ErrTrustHashMismatch
	if !errors.As(err, &mm) {
		t.Fatalf("wrong hash: %v", err)
	}
}

// The primary dies mid-session: a witness takes over, and akw says so.
func TestDevnetPrimaryDies(t *testing.T) {
	ctx := testctx.New(t)
	rpc := net.RPC()
	p0 := proxy(t, rpc[0])
	cfg := config(t, p0.URL(), rpc[1], rpc[2])
	var notices []trusted.Notice
	cfg.OnNotice = func(n trusted.Notice) { notices = append(notices, n) }
	c, err := trusted.Init(ctx, cfg, trusted.TrustRoot{Latest: true}, trusted.InitOptions{Confirm: yes})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := p0.Down(); err != nil {
		t.Fatal(err)
	}
	if _, err := net.WaitForNextBlock(ctx); err != nil {
		t.Fatal(err)
	}
	lb, err := c.Latest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(notices) != 1 || notices[0].Kind != trusted.NoticePrimaryReplaced || notices[0].URL != p0.URL() {
		t.Fatalf("notices %+v", notices)
	}
	t.Logf("%s; verified %d", notices[0], lb.Height)
	if c.PrimaryURL() == p0.URL() {
		t.Fatal("still on the dead primary")
	}
	// Queries go to the new primary.
	if _, err := c.Primary().ABCIInfo(ctx); err != nil {
		t.Fatal(err)
	}
}

// A witness that is unreachable, or that has pruned the heights asked for.
func TestDevnetWitnessUnreachableOrPruned(t *testing.T) {
	ctx := testctx.New(t)
	rpc := net.RPC()
	p1 := proxy(t, rpc[1])
	cfg := config(t, rpc[0], p1.URL())
	c, err := trusted.Init(ctx, cfg, trusted.TrustRoot{Latest: true}, trusted.InitOptions{Confirm: yes})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	first, _ := c.LastTrusted()
	if err := net.WaitForHeight(ctx, first.Height+4); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Latest(ctx); err != nil {
		t.Fatal(err)
	}

	// Pruned: the witness answers as a CometBFT node that no longer has
	// the heights below its newest, with the node's own error.
	prune := func(_ rpcproxy.Call, r *rpcproxy.Response) {
		r.Error = &rpcproxy.RPCError{Code: -32603, Message: "Internal error",
			Data: fmt.Sprintf("height %d is not available, lowest height is %d", first.Height+1, first.Height+1000)}
	}
	p1.Handle("commit", prune)
	p1.Handle("validators", prune)
	_, err = c.VerifiedAt(ctx, first.Height+2)
	var nw *lightclient.ErrNoWitnesses
	if !errors.As(err, &nw) || nw.Network || !strings.Contains(nw.Witnesses[0].Reason, "pruned") {
		t.Fatalf("pruned witness: %v", err)
	}
	t.Log(err)

	// Unreachable.
	p1.Handle("commit", nil)
	p1.Handle("validators", nil)
	if err := p1.Down(); err != nil {
		t.Fatal(err)
	}
	if _, err := net.WaitForNextBlock(ctx); err != nil {
		t.Fatal(err)
	}
	_, err = c.Latest(ctx)
	if !errors.As(err, &nw) || !nw.Network || errkind.KindOf(err) != errkind.Network {
		t.Fatalf("unreachable witness: %v", err)
	}
	t.Log(err)
}

func TestDevnetTrustingPeriodExpires(t *testing.T) {
	ctx := testctx.New(t)
	rpc := net.RPC()
	cfg := config(t, rpc[0], rpc[1])
	// The clock is stepped past the trusting period rather than waited
	// out: with a period of seconds, a loaded machine could make Init
	// itself come too late.
	var ahead atomic.Int64
	cfg.Now = func() time.Time { return time.Now().Add(time.Duration(ahead.Load())) }
	cfg.TrustingPeriod = time.Hour
	c, err := trusted.Init(ctx, cfg, trusted.TrustRoot{Latest: true}, trusted.InitOptions{Confirm: yes})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ahead.Store(int64(2 * time.Hour))
	_, err = c.Latest(ctx)
	var exp *lightclient.ErrTrustExpired
	if !errors.As(err, &exp) {
		t.Fatalf("got %v, want ErrTrustExpired", err)
	}
	t.Log(err)
}

// forkProposeTimeout keeps block 1 in round 0 on both chains of
// TestDevnetFork, whatever the load (devnet.Config.TimeoutPropose); no
// test here stops a validator.
const forkProposeTimeout = time.Minute

// Two devnets from one genesis and one set of validator keys fork after
// block 1; with one as primary and the other as witness, akw refuses and
// reports the conflict.
func TestDevnetFork(t *testing.T) {
	ctx := testctx.New(t)
	b, err := devnet.Start(ctx, devnet.Config{Dir: t.TempDir(), Genesis: genesis, TimeoutPropose: forkProposeTimeout})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Stop()
	if err := b.WaitForHeight(ctx, 3); err != nil {
		t.Fatal(err)
	}
	hash := nodeHash(t, ctx, 0, 1)
	bz := make([]byte, 32)
	fmt.Sscanf(hash, "%X", &bz)

	// Block 1 is the same on both chains: a trust root both agree on.
	// The younger chain is the primary, so that the witness already has
	// every height the primary serves and the detector can compare them.
	// (The other way round, the witness lacks the primary's newest height
	// and akw refuses for that reason: see the end of this test.)
	cfg := config(t, b.RPC()[0], net.RPC()[0])
	c, err := trusted.Init(ctx, cfg, trusted.TrustRoot{Height: 1, Hash: bz}, trusted.InitOptions{Confirm: yes})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.Latest(ctx)
	var cf *lightclient.ErrConflict
	if !errors.As(err, &cf) || errkind.KindOf(err) != errkind.Verification {
		t.Fatalf("got %v, want ErrConflict", err)
	}
	if !cf.Attack || cf.Primary != b.RPC()[0] || cf.Witness != net.RPC()[0] || len(cf.PrimaryHash) == 0 || len(cf.WitnessHash) == 0 {
		t.Fatalf("conflict %+v", cf)
	}
	t.Log(err)
	if lb, _ := c.LastTrusted(); lb.Height != 1 {
		t.Fatalf("stored %d during a fork", lb.Height)
	}

	// --trust-latest with a forked witness refuses too. (The younger
	// chain is the primary, so that the witness has its newest height.)
	_, err = trusted.Init(ctx, config(t, b.RPC()[0], net.RPC()[0]), trusted.TrustRoot{Latest: true}, trusted.InitOptions{Confirm: yes})
	if !errors.As(err, &cf) || cf.Attack {
		t.Fatalf("init latest against a fork: %v", err)
	}
	t.Log(err)

	// The older chain as primary: if its newest header is beyond the
	// witness's chain no witness confirms it (ErrNoWitnesses), otherwise
	// the fork is found as above; either way nothing is trusted.
	c2, err := trusted.Init(ctx, config(t, net.RPC()[0], b.RPC()[0]), trusted.TrustRoot{Height: 1, Hash: bz}, trusted.InitOptions{Confirm: yes})
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	_, err = c2.Latest(ctx)
	var nw *lightclient.ErrNoWitnesses
	if !(errors.As(err, &nw) || errors.As(err, &cf)) || errkind.KindOf(err) != errkind.Verification {
		t.Fatalf("older chain as primary: %v", err)
	}
	if lb, _ := c2.LastTrusted(); lb.Height != 1 {
		t.Fatalf("stored %d during a fork", lb.Height)
	}
	t.Log(err)
}
