package main

// Endpoints as they behave (issue 13), through the real akw binary: a
// primary behind a per-request load balancer whose second backend is 5
// blocks behind, pruned nodes, and a rate limiter — each played by
// internal/rpcproxy in front of the devnet's nodes. docs/FAULTS.md maps
// each to these subtests.

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/devnet/devnettest"
	"github.com/akash-wallet/akw/internal/rpcproxy"
	"github.com/akash-wallet/akw/internal/testctx"
)

func TestEndpointsDevnet(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a devnet")
	}
	// Three validators (one behind the balancer, two witnesses) and a
	// full node the balancer's second backend, held behind.
	n := devnettest.Start(t, devnettest.WithValidators(3), devnettest.WithConfig(func(c *devnet.Config) {
		c.FullNodes = []devnet.FullNode{{}}
	}))
	ctx := testctx.New(t)
	if err := n.WaitForHeight(ctx, 5); err != nil {
		t.Fatal(err)
	}
	e := &faultEnv{n: n, bin: faultBin(t), rpc: n.RPC()}
	e.check = e.home(t)
	alice, _ := n.Account("alice")
	carol, _ := n.Account("carol")

	t.Run("Balancer", func(t *testing.T) {
		const lag = 5
		if err := n.HoldBehind(0, lag); err != nil {
			t.Fatal(err)
		}
		defer func() { _ = n.HoldBehind(0, 0) }()
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			v, err1 := n.LatestHeight(ctx, 0)
			st, err2 := n.FullNodeClient(0).Status(ctx)
			if err1 == nil && err2 == nil && v-st.SyncInfo.LatestBlockHeight >= lag {
				break
			}
			select {
			case <-ctx.Done():
				t.Fatalf("waiting for the full node to be %d blocks behind: %v", lag, ctx.Err())
			case <-tick.C:
			}
		}
		lb, err := rpcproxy.NewRoundRobin(e.rpc[0], n.FullNodes()[0].RPC)
		if err != nil {
			t.Fatal(err)
		}
		defer lb.Close()
		// light init through the balancer too.
		base := e.home(t, "--node", lb.URL(), "--witness", e.rpc[1], "--witness", e.rpc[2])

		const runs = 20
		codes := map[int]int{}
		for i := range runs {
			code, out, errOut := e.run(t, faultBound, nil, with(base, "query", "balance", alice.Address, "--denom", "uakt", "-o", "json")...)
			codes[code]++
			if code == 0 {
				var b struct {
					Verified bool `json:"verified"`
				}
				if err := json.Unmarshal([]byte(out), &b); err != nil || !b.Verified {
					t.Fatalf("run %d: %v %s", i, err, out)
				}
				continue
			}
			t.Logf("run %d: exit %d\n%s", i, code, errOut)
		}
		t.Logf("akw query balance through the balancer: %d runs, exit codes %v; backends asked %v", runs, codes, lb.TargetCounts())
		if codes[0] != runs {
			t.Fatalf("%d of %d runs answered (exit codes %v); exit 3 is a false alarm", codes[0], runs, codes)
		}
		if lb.TargetCounts()[1] == 0 {
			t.Fatalf("the lagging backend got no request: %v", lb.TargetCounts())
		}

		seq := e.sequence(t, "alice")
		code, out, errOut := e.run(t, faultBound, nil, with(base, "tx", "send", "alice", carol.Address, "3uakt", "-y", "-o", "json")...)
		var r faultTxJSON
		if code != 0 || json.Unmarshal([]byte(out), &r) != nil || !r.Verified || r.Code != 0 {
			t.Fatalf("tx send through the balancer: exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
		}
		if got := e.sequence(t, "alice"); got != seq+1 {
			t.Fatalf("sequence %d -> %d", seq, got)
		}
	})

	// proxies in front of the three validators, and a home using them.
	proxies := func(t *testing.T) ([]*rpcproxy.Proxy, []string) {
		var ps []*rpcproxy.Proxy
		for _, rpc := range e.rpc {
			ps = append(ps, faultProxy(t, rpc))
		}
		return ps, e.home(t, "--node", ps[0].URL(), "--witness", ps[1].URL(), "--witness", ps[2].URL())
	}

	t.Run("Pruned", func(t *testing.T) {
		ps, base := proxies(t)
		const old = 3
		height := fmt.Sprint(old)
		// Asked once while the nodes hold it: header old+1 is verified
		// and stored.
		e.must(t, with(base, "query", "balance", alice.Address, "--height", height)...)

		// The primary prunes: a witness answers, proven all the same.
		ps[0].PruneBelow(old + 1)
		out := e.must(t, with(base, "query", "balance", alice.Address, "--height", height, "-o", "json")...)
		var b struct {
			Verified   bool  `json:"verified"`
			Height     int64 `json:"height"`
			Historical bool  `json:"historical"`
		}
		if err := json.Unmarshal([]byte(out), &b); err != nil || !b.Verified || b.Height != old || !b.Historical {
			t.Fatalf("pruned primary: %v %s", err, out)
		}
		if ps[0].Pruned() == 0 {
			t.Fatal("the pruned primary was not asked")
		}

		// Every node prunes: exit 3 ("could not be proven", the contract's
		// code) worded as what it is — the height and every node named,
		// the hint of a more recent height or an archive node — never as
		// "verification failed".
		for _, p := range ps[1:] {
			p.PruneBelow(old + 1)
		}
		code, stdout, stderr := e.run(t, faultBound, nil, with(base, "query", "balance", alice.Address, "--height", height)...)
		if code != 3 || stdout != "" || strings.Contains(stderr, "verification failed") {
			t.Fatalf("every node pruned: exit %d, want 3\nstdout: %s\nstderr: %s", code, stdout, stderr)
		}
		if !strings.Contains(stderr, fmt.Sprintf("error: could not be proven: no node holds the state at height %d", old)) ||
			!strings.Contains(stderr, "hint: ") || !strings.Contains(stderr, "--height") || !strings.Contains(stderr, "archive node") {
			t.Fatalf("every node pruned: stderr does not say what happened:\n%s", stderr)
		}
		for _, p := range ps {
			if !strings.Contains(stderr, p.URL()) {
				t.Fatalf("every node pruned: %s is not named:\n%s", p.URL(), stderr)
			}
		}
		t.Logf("every node pruned: exit %d\n%s", code, stderr)

		// A header no node holds any more: the same.
		code, _, stderr = e.run(t, faultBound, nil, with(base, "query", "balance", alice.Address, "--height", fmt.Sprint(old-1))...)
		if code != 3 || !strings.Contains(stderr, "archive node") || strings.Contains(stderr, "verification failed") {
			t.Fatalf("header pruned everywhere: exit %d, want 3\n%s", code, stderr)
		}
	})

	t.Run("RateLimited", func(t *testing.T) {
		ps, base := proxies(t)
		ps[0].RateLimit(2, time.Second)
		code, out, errOut := e.run(t, faultBound, nil, with(base, "query", "balance", alice.Address, "--denom", "uakt", "-o", "json")...)
		if code != 0 || !strings.Contains(out, `"verified": true`) && !strings.Contains(out, `"verified":true`) {
			t.Fatalf("after the backoff: exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
		}
		if got := ps[0].RateLimited(); got != 2 {
			t.Fatalf("the proxy refused %d requests, want 2", got)
		}
		if strings.Contains(errOut, "note: primary") {
			t.Fatalf("a primary that answered after the backoff was replaced:\n%s", errOut)
		}

		// Refusing every request: named, and a witness answers.
		ps[0].RateLimit(-1, time.Second)
		code, _, errOut = e.run(t, faultBound, nil, with(base, "query", "balance", alice.Address, "--denom", "uakt")...)
		if code != 0 || !strings.Contains(errOut, "rate-limited akw (HTTP 429") {
			t.Fatalf("primary always rate-limited: exit %d\n%s", code, errOut)
		}
		t.Logf("primary always rate-limited: %d refusals; %s", ps[0].RateLimited(), faultNote(errOut))
	})
}
