package backend_test

import (
	"testing"
	"time"

	"github.com/akash-wallet/akw/internal/devnet/devnettest"
	"github.com/akash-wallet/akw/internal/rpcproxy"
)

// TestPortfolioThroughBalancer: the dashboard's refreshes through a
// primary that round-robins per request between validator0 and a full
// node 5 blocks behind (Akash's public RPC): every refresh is proven and
// shown, none raises the alarm.
func TestPortfolioThroughBalancer(t *testing.T) {
	n := devnettest.Get(t)
	ctx := ctxT(t)
	const lag = 5
	if err := n.HoldBehind(0, lag); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = n.HoldBehind(0, 0) })
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
	lb, err := rpcproxy.NewRoundRobin(n.RPC()[0], n.FullNodes()[0].RPC)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lb.Close() })
	f := open(t, lb.URL())
	alice := devnettest.Account(t, "alice")

	const refreshes = 10
	var last int64
	for i := range refreshes {
		if _, err := f.be.Status(ctx); err != nil {
			t.Fatalf("refresh %d: status: %v", i, err)
		}
		pf, err := f.be.Portfolio(ctx, alice.Address)
		if err != nil {
			t.Fatalf("refresh %d: portfolio: %v", i, err)
		}
		if pf.Balances.AmountOf("uakt").IsZero() || pf.Height < last {
			t.Fatalf("refresh %d: portfolio at %d (before: %d): %+v", i, pf.Height, last, pf)
		}
		last = pf.Height
		// The next refresh is of a newer block, as the dashboard's are.
		if err := n.WaitForHeight(ctx, last+2); err != nil {
			t.Fatal(err)
		}
	}
	if lb.TargetCounts()[1] == 0 {
		t.Fatalf("the lagging backend got no request: %v", lb.TargetCounts())
	}
	t.Logf("%d refreshes through the balancer, backends asked %v", refreshes, lb.TargetCounts())
}
