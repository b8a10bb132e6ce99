package backend_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"sync"
	"testing"

	ctypes "github.com/cometbft/cometbft/rpc/core/types"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/internal/devnet/devnettest"
	"github.com/akash-wallet/akw/internal/rpcproxy"
	"github.com/akash-wallet/akw/tui"
)

// The TUI runs in a long-lived wallet session: the failover policy the
// command line has (wallet/failover.go) holds for it too.

// The primary dies after the header, while answering the proofs: the
// dashboard's query runs once more through the witnesses and shows the
// proven answer; a transaction prepared and sent with the primary dead
// goes through the witness that took over, proven included. The devnet
// has two validators: validator1 is both witnesses (once directly, once
// through a proxy), so that one is left to cross-check the other.
func TestPrimaryDownFailsOverToWitness(t *testing.T) {
	n := devnettest.Get(t)
	proxy, err := rpcproxy.New(n.RPC()[0])
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { proxy.Close() })
	second, err := rpcproxy.New(n.RPC()[1])
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { second.Close() })
	f := openWith(t, proxy.URL(), []string{n.RPC()[1], second.URL()})
	ctx := ctxT(t)
	carol := devnettest.Account(t, "carol")
	honest, err := f.be.Portfolio(ctx, carol.Address)
	if err != nil {
		t.Fatal(err)
	}

	proxy.Handle("abci_query", func(rpcproxy.Call, *rpcproxy.Response) { _ = proxy.Down() })
	pf, err := f.be.Portfolio(ctx, carol.Address)
	if err != nil {
		t.Fatalf("portfolio with the primary dying: %v", err)
	}
	if !pf.Balances.Equal(honest.Balances) || pf.Height < honest.Height {
		t.Fatalf("portfolio through the witness: %s at %d, before %s at %d", pf.Balances, pf.Height, honest.Balances, honest.Height)
	}
	st, err := f.be.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Primary == proxy.URL() || !anyContains(st.Notices, proxy.URL()) {
		t.Fatalf("status after the failover: primary %s, notices %q", st.Primary, st.Notices)
	}

	to, _, err := f.be.CreateKey(ctx, "failover")
	if err != nil {
		t.Fatal(err)
	}
	from := tui.Key{Name: "carol", Address: carol.Address, Type: "local"}
	plan, err := f.be.Plan(ctx, tui.TxRequest{Kind: tui.TxSend, From: from, To: to.Address, Amount: "7uakt"})
	if err != nil {
		t.Fatalf("plan with the primary down: %v", err)
	}
	res, err := f.be.Execute(ctx, plan, make(chan tui.TxEvent, 16))
	if err != nil || !res.Verified || res.Code != 0 {
		t.Fatalf("send with the primary down: %+v %v", res, err)
	}
	if c := proxy.Count("broadcast_tx_sync"); c != 0 {
		t.Fatalf("%d broadcasts reached the dead primary", c)
	}
}

// A primary that served a proof that does not verify: the query fails as
// a verification failure (nothing shown), its hint names the witness, and
// the session demotes the primary — the next queries are answered by the
// witness, proven, and the status says what happened. One lying node
// cannot deny a long-lived session service.
func TestLyingPrimaryIsDemoted(t *testing.T) {
	n := devnettest.Get(t)
	proxy, err := rpcproxy.New(n.RPC()[0])
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { proxy.Close() })
	f := open(t, proxy.URL())
	ctx := ctxT(t)
	alice := devnettest.Account(t, "alice")
	honest, err := f.be.Portfolio(ctx, alice.Address)
	if err != nil {
		t.Fatal(err)
	}
	witness := n.RPC()[1]

	// The lie, and the height of every query the primary is asked: a
	// query the failed read sent just before it gave up may reach the
	// proxy after the read returned (a cancelled request already on the
	// wire), so "asked nothing more" is checked by height, not by a count
	// taken at an instant. The failed read asks at most one height above
	// the highest the proxy had seen when it returned (the hedge's state,
	// lightclient/state/hedge.go); the read after the demotion is made
	// above that.
	var mu sync.Mutex
	var heights []int64
	lie(t, proxy, func(r *ctypes.ResultABCIQuery) error {
		if v := r.Response.Value; len(v) > 0 {
			v = append([]byte(nil), v...)
			v[len(v)-1] ^= 0x01
			r.Response.Value = v
		}
		return nil
	}, func(c rpcproxy.Call) {
		var p struct {
			Height string `json:"height"`
		}
		h := int64(-1) // a query without a height counts against the primary
		if json.Unmarshal(c.Params, &p) == nil && p.Height != "" {
			if n, err := strconv.ParseInt(p.Height, 10, 64); err == nil {
				h = n
			}
		}
		mu.Lock()
		heights = append(heights, h)
		mu.Unlock()
	})
	_, err = f.be.Portfolio(ctx, alice.Address)
	if errkind.KindOf(err) != errkind.Verification || !strings.Contains(err.Error(), proxy.URL()) {
		t.Fatalf("lying portfolio: %v", err)
	}
	if r := errkind.RemedyOf(err); r.Do != errkind.OtherNode || r.Subject != witness {
		t.Fatalf("remedy %+v, want the witness %s", r, witness)
	}

	mu.Lock()
	var seen int64
	for _, h := range heights {
		seen = max(seen, h)
	}
	mu.Unlock()
	// Every validator past seen+3: the newest state (below the newest
	// header) is then above anything the failed read asked for.
	devnettest.WaitForHeight(t, seen+4)
	pf, err := f.be.Portfolio(ctx, alice.Address)
	if err != nil {
		t.Fatalf("portfolio after the demotion: %v", err)
	}
	if !pf.Balances.Equal(honest.Balances) {
		t.Fatalf("portfolio through the witness: %s, before %s", pf.Balances, honest.Balances)
	}
	if pf.Height < seen+3 {
		t.Fatalf("portfolio after the demotion proven at %d, want above %d", pf.Height, seen+2)
	}
	mu.Lock()
	for _, h := range heights {
		if h < 0 || h > seen+1 {
			t.Errorf("the demoted primary was asked for the state at %d (the failed read asked up to %d)", h, seen)
		}
	}
	mu.Unlock()
	st, err := f.be.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := "primary " + proxy.URL() + " served a proof that does not verify; using witness " + witness
	if st.Primary != witness || !anyContains(st.Notices, want) {
		t.Fatalf("status after the demotion: primary %s, notices %q", st.Primary, st.Notices)
	}
}

func anyContains(ss []string, sub string) bool {
	for _, s := range ss {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
