package trusted_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	ctypes "github.com/cometbft/cometbft/rpc/core/types"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/internal/rpcproxy"
	"github.com/akash-wallet/akw/lightclient"
	"github.com/akash-wallet/akw/lightclient/trusted"
)

func proxy(t *testing.T, target string) *rpcproxy.Proxy {
	t.Helper()
	p, err := rpcproxy.New(target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// A primary that alters the app hash of the newest header: the header no
// longer matches its signatures. The light client drops the primary; with
// one witness, nothing is left to cross-check the replacement, and nothing
// is stored. With two, the replacement is cross-checked and akw says the
// primary lied.
func TestLyingPrimaryAppHash(t *testing.T) {
	for _, witnesses := range []int{1, 2} {
		lyingPrimary(t, witnesses)
	}
}

func lyingPrimary(t *testing.T, witnesses int) {
	n := newNet(t, 60, 0, witnesses)
	n.chain.SetTip(40)
	p := proxy(t, n.primary.URL())
	cfg := n.config(t.TempDir())
	cfg.Primary = p.URL()
	c := initLatest(t, cfg)
	p.Handle("commit", func(_ rpcproxy.Call, r *rpcproxy.Response) {
		var rc ctypes.ResultCommit
		if r.DecodeResult(&rc) == nil && rc.Height == 60 {
			rc.Header.AppHash[0] ^= 1
			r.EncodeResult(&rc)
		}
	})
	n.chain.SetTip(60)
	lb, err := c.Latest(context.Background())
	ns := c.Notices()
	if len(ns) != 1 || ns[0].URL != p.URL() || !strings.Contains(ns[0].Reason, "invalid") {
		t.Fatalf("notices %+v", ns)
	}
	t.Log(ns[0])
	if witnesses == 2 {
		if err != nil || lb.Height != 60 || !equal(lb.Hash(), n.chain.Header(60).Hash()) {
			t.Fatalf("with a second witness: %v %v", lb, err)
		}
		return
	}
	var nw *lightclient.ErrNoWitnesses
	if !errors.As(err, &nw) || errkind.KindOf(err) != errkind.Verification {
		t.Fatalf("got %v, want ErrNoWitnesses", err)
	}
	t.Log(err)
	if lb, _ := c.LastTrusted(); lb.Height != 40 {
		t.Fatalf("stored %d from a lying primary", lb.Height)
	}
}

// A primary that claims another chain-id is refused as misconfigured.
func TestLyingPrimaryChainID(t *testing.T) {
	n := newNet(t, 60, 0, 2)
	n.chain.SetTip(40)
	p := proxy(t, n.primary.URL())
	cfg := n.config(t.TempDir())
	cfg.Primary = p.URL()
	c := initLatest(t, cfg)
	p.Handle("commit", func(_ rpcproxy.Call, r *rpcproxy.Response) {
		var rc ctypes.ResultCommit
		if r.DecodeResult(&rc) == nil {
			rc.Header.ChainID = "evil-1"
			r.EncodeResult(&rc)
		}
	})
	n.chain.SetTip(50)
	_, err := c.Latest(context.Background())
	var wc *lightclient.ErrWrongChain
	if !errors.As(err, &wc) || wc.Got != "evil-1" || wc.URL != p.URL() {
		t.Fatalf("got %v, want ErrWrongChain", err)
	}
}

// A primary that goes down mid-session and comes back.
func TestPrimaryProxyDownUp(t *testing.T) {
	n := newNet(t, 60, 0.1, 2)
	n.chain.SetTip(30)
	p := proxy(t, n.primary.URL())
	cfg := n.config(t.TempDir())
	cfg.Primary = p.URL()
	c := initLatest(t, cfg)
	if err := p.Down(); err != nil {
		t.Fatal(err)
	}
	n.chain.SetTip(45)
	lb, err := c.Latest(context.Background())
	if err != nil || lb.Height != 45 {
		t.Fatalf("after primary down: %v %v", lb, err)
	}
	ns := c.Notices()
	if len(ns) != 1 || ns[0].URL != p.URL() || !strings.Contains(ns[0].Reason, "unreachable") {
		t.Fatalf("notices %+v", ns)
	}
	if c.PrimaryURL() == p.URL() {
		t.Fatal("still using the dead primary")
	}
	// Queries follow the new primary.
	if st, err := c.Primary().Status(context.Background()); err != nil || st.SyncInfo.LatestBlockHeight != 45 {
		t.Fatalf("Primary().Status: %v", err)
	}
	// A new session starts again with the configured primary.
	c.Close()
	if err := p.Up(); err != nil {
		t.Fatal(err)
	}
	c, err = trusted.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	n.chain.SetTip(50)
	if lb, err := c.Latest(context.Background()); err != nil || lb.Height != 50 || len(c.Notices()) != 0 {
		t.Fatalf("after primary up: %v %v %v", lb, err, c.Notices())
	}
}

// lag makes a proxied node look `behind` blocks behind the chain's tip,
// with the node's own error text for heights it does not have yet.
func lag(p *rpcproxy.Proxy, tip func() int64, behind int64) {
	hook := func(call rpcproxy.Call, r *rpcproxy.Response) { tooHigh(call, r, tip()-behind) }
	p.Handle("commit", hook)
	p.Handle("validators", hook)
}

// tooHigh answers a commit or validators call for a height above latest
// as a node that has not reached it does, and says whether it did.
func tooHigh(call rpcproxy.Call, r *rpcproxy.Response, latest int64) bool {
	var params struct {
		Height string `json:"height"`
	}
	_ = json.Unmarshal(call.Params, &params)
	h, _ := strconv.ParseInt(params.Height, 10, 64)
	if h <= latest {
		return false
	}
	r.Error = &rpcproxy.RPCError{Code: -32603, Message: "Internal error",
		Data: fmt.Sprintf("height %d must be less than or equal to the current blockchain height %d", h, latest)}
	return true
}

// A witness far behind the primary: akw refuses the unconfirmed header at
// once, naming the lagging witness, instead of sleeping in the detector;
// with a second witness in step, the update goes through.
func TestLaggingWitness(t *testing.T) {
	n := newNet(t, 100, 0, 2)
	n.chain.SetTip(40)
	slow := proxy(t, n.witnesses[0].URL())
	cfg := n.config(t.TempDir())
	cfg.Witnesses = []string{slow.URL()}
	cfg.NextBlockWait = 300 * time.Millisecond
	c := initLatest(t, cfg)
	lag(slow, n.chain.Tip, 10)
	n.chain.SetTip(60)
	start := time.Now()
	_, err := c.Latest(context.Background())
	var nw *lightclient.ErrNoWitnesses
	if !errors.As(err, &nw) || !strings.Contains(nw.Witnesses[0].Reason, "behind") {
		t.Fatalf("got %v, want ErrNoWitnesses (behind)", err)
	}
	// Bounded far below the stock detector's 30 s sleep, with room for
	// a loaded machine.
	if took := time.Since(start); took > 20*time.Second {
		t.Fatalf("took %s", took)
	}
	t.Log(err)

	// A height above every node: its own error, at once.
	start = time.Now()
	_, err = c.VerifiedAt(context.Background(), 500)
	var th *lightclient.ErrHeightTooHigh
	if !errors.As(err, &th) || time.Since(start) > 10*time.Second {
		t.Fatalf("far above the chain: %v after %s", err, time.Since(start))
	}
	c.Close()

	// One witness behind, one in step.
	cfg.Witnesses = []string{slow.URL(), n.witnesses[1].URL()}
	c, err = trusted.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	start = time.Now()
	if lb, err := c.Latest(context.Background()); err != nil || lb.Height != 60 {
		t.Fatalf("with a witness in step: %v %v", lb, err)
	}
	// Bounded far below the stock detector's 30 s sleep, with room for
	// a loaded machine.
	if took := time.Since(start); took > 20*time.Second {
		t.Fatalf("took %s", took)
	}
}

// A witness one block behind catches up within NextBlockWait. It is
// behind until it has said so (not for a time): the light client has to
// wait and ask again, and then gets the header.
func TestWitnessOneBlockBehind(t *testing.T) {
	n := newNet(t, 100, 0, 1)
	n.chain.SetTip(40)
	slow := proxy(t, n.witnesses[0].URL())
	cfg := n.config(t.TempDir())
	cfg.Witnesses = []string{slow.URL()}
	c := initLatest(t, cfg)
	var said atomic.Int64
	hook := func(call rpcproxy.Call, r *rpcproxy.Response) {
		if said.Load() == 0 && tooHigh(call, r, n.chain.Tip()-1) {
			said.Add(1)
		}
	}
	slow.Handle("commit", hook)
	slow.Handle("validators", hook)
	n.chain.SetTip(50)
	if lb, err := c.Latest(context.Background()); err != nil || lb.Height != 50 {
		t.Fatalf("latest: %v %v", lb, err)
	}
	if said.Load() == 0 {
		t.Fatal("the witness was never behind: the test proves nothing")
	}
}
