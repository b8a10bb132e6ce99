package rpcproxy_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cometbft/cometbft/libs/log"
	rpcserver "github.com/cometbft/cometbft/rpc/jsonrpc/server"
	rpctypes "github.com/cometbft/cometbft/rpc/jsonrpc/types"
	"github.com/cometbft/cometbft/types"

	rpcclient "github.com/cometbft/cometbft/rpc/client"
	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	ctypes "github.com/cometbft/cometbft/rpc/core/types"

	"github.com/akash-wallet/akw/internal/rpcproxy"
	"github.com/akash-wallet/akw/internal/testctx"
)

// node is a minimal CometBFT JSON-RPC server (cometbft's own server code)
// answering /commit with an unsigned header and /health, /status.
func node(t *testing.T) string {
	t.Helper()
	commit := func(_ *rpctypes.Context, height *int64) (*ctypes.ResultCommit, error) {
		h := int64(1)
		if height != nil {
			h = *height
		}
		header := &types.Header{ChainID: "proxy-1", Height: h, Time: time.Unix(1700000000, 0).UTC(), AppHash: []byte{1, 2, 3, byte(h)}, ValidatorsHash: make([]byte, 32)}
		return ctypes.NewResultCommit(header, &types.Commit{Height: h, BlockID: types.BlockID{Hash: header.Hash()}}, true), nil
	}
	health := func(*rpctypes.Context) (*ctypes.ResultHealth, error) { return &ctypes.ResultHealth{}, nil }
	status := func(*rpctypes.Context) (*ctypes.ResultStatus, error) { return &ctypes.ResultStatus{}, nil }
	mux := http.NewServeMux()
	rpcserver.RegisterRPCFuncs(mux, map[string]*rpcserver.RPCFunc{
		"commit": rpcserver.NewRPCFunc(commit, "height"),
		"health": rpcserver.NewRPCFunc(health, ""),
		"status": rpcserver.NewRPCFunc(status, ""),
	}, log.NewNopLogger())
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

func setup(t *testing.T) (*rpcproxy.Proxy, *rpchttp.HTTP) {
	t.Helper()
	p, err := rpcproxy.New(node(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	// The timeout (seconds) is for a proxy that never answers, not for a
	// slow machine: every test here expects an answer or a refusal.
	c, err := rpchttp.NewWithTimeout(p.URL(), "/websocket", 60)
	if err != nil {
		t.Fatal(err)
	}
	return p, c
}

func TestForwardAndCount(t *testing.T) {
	p, c := setup(t)
	h := int64(7)
	res, err := c.Commit(context.Background(), &h)
	if err != nil {
		t.Fatal(err)
	}
	if res.Height != 7 || res.Commit.BlockID.Hash.String() != res.Header.Hash().String() {
		t.Fatal("proxied commit differs")
	}
	if p.Count("commit") != 1 {
		t.Fatalf("counts %v", p.Counts())
	}
}

func TestRewrite(t *testing.T) {
	p, c := setup(t)
	p.Handle("commit", func(call rpcproxy.Call, r *rpcproxy.Response) {
		var rc ctypes.ResultCommit
		if err := r.DecodeResult(&rc); err != nil {
			t.Error(err)
			return
		}
		rc.Header.AppHash[0] ^= 0xff
		if err := r.EncodeResult(&rc); err != nil {
			t.Error(err)
		}
	})
	p.Handle("status", func(call rpcproxy.Call, r *rpcproxy.Response) {
		r.Error = &rpcproxy.RPCError{Code: -32603, Message: "Internal error", Data: "nope"}
	})
	h := int64(3)
	res, err := c.Commit(context.Background(), &h)
	if err != nil {
		t.Fatal(err)
	}
	if res.Commit.BlockID.Hash.String() == res.Header.Hash().String() {
		t.Fatal("the app hash was not rewritten")
	}
	if _, err := c.Status(context.Background()); err == nil {
		t.Fatal("error not injected")
	}
	p.Handle("commit", nil)
	res, err = c.Commit(context.Background(), &h)
	if err != nil || res.Commit.BlockID.Hash.String() != res.Header.Hash().String() {
		t.Fatal("hook not removed")
	}
}

// FailNext fails exactly the next n calls of the method, before any hook
// sees them, and nothing else.
func TestFailNext(t *testing.T) {
	p, c := setup(t)
	var hooked atomic.Int64
	p.Handle("commit", func(rpcproxy.Call, *rpcproxy.Response) { hooked.Add(1) })
	p.FailNext("commit", 2)
	h := int64(3)
	for i := range 2 {
		_, err := c.Commit(context.Background(), &h)
		if err == nil || !strings.Contains(err.Error(), "injected failure") {
			t.Fatalf("call %d: %v, want the injected failure", i, err)
		}
	}
	if _, err := c.Status(context.Background()); err != nil {
		t.Fatalf("another method failed: %v", err)
	}
	if _, err := c.Commit(context.Background(), &h); err != nil {
		t.Fatalf("the third call failed: %v", err)
	}
	if hooked.Load() != 1 || p.Count("commit") != 3 {
		t.Fatalf("hook ran %d times, %d commits counted; want 1 and 3", hooked.Load(), p.Count("commit"))
	}
	p.FailNext("commit", 5)
	p.FailNext("commit", 0)
	if _, err := c.Commit(context.Background(), &h); err != nil {
		t.Fatalf("FailNext(0) did not stop it: %v", err)
	}
}

// WaitIdle returns once no client connection is open, not before.
func TestWaitIdle(t *testing.T) {
	p, _ := setup(t)
	tr := &http.Transport{}
	hc := &http.Client{Transport: tr}
	resp, err := hc.Get(p.URL() + "/status")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if p.Count("status") != 1 {
		t.Fatalf("counts %v", p.Counts())
	}
	// The kept-alive connection is open: not idle.
	done, cancel := context.WithCancel(context.Background())
	cancel()
	if err := p.WaitIdle(done); err == nil {
		t.Fatal("WaitIdle returned with a client's connection open")
	}
	tr.CloseIdleConnections()
	if err := p.WaitIdle(testctx.New(t)); err != nil {
		t.Fatal(err)
	}
}

func TestLatencyDownUp(t *testing.T) {
	p, c := setup(t)
	p.SetLatency(60 * time.Millisecond)
	start := time.Now()
	if _, err := c.Health(context.Background()); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 60*time.Millisecond {
		t.Fatalf("latency not added: %s", d)
	}
	p.SetLatency(0)
	if err := p.Down(); err != nil {
		t.Fatal(err)
	}
	_, err := c.Health(context.Background())
	if err == nil {
		t.Fatal("down proxy answered")
	}
	if err := p.Up(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Health(context.Background()); err != nil && !errors.Is(err, context.Canceled) {
		t.Fatalf("after up: %v", err)
	}
}

// ClaimTip plays a node whose newest block is old: /status and the newest
// /commit say so; thorough, it refuses heights above as a node behind does.
func TestClaimTip(t *testing.T) {
	p, c := setup(t)
	ctx := context.Background()
	for _, thorough := range []bool{false, true} {
		p.ClaimTip(7, thorough)
		st, err := c.Status(ctx)
		if err != nil || st.SyncInfo.LatestBlockHeight != 7 {
			t.Fatalf("status: %v %v", st, err)
		}
		cm, err := c.Commit(ctx, nil)
		if err != nil || cm.Height != 7 {
			t.Fatalf("newest commit: %v %v", cm, err)
		}
		nine := int64(9)
		cm, err = c.Commit(ctx, &nine)
		if thorough {
			if err == nil || !strings.Contains(err.Error(), "height 9 must be less than or equal to the current blockchain height 7") {
				t.Fatalf("commit above the claimed tip: %v %v", cm, err)
			}
			q, err := c.ABCIQueryWithOptions(ctx, "/store/bank/key", []byte{1}, rpcclient.ABCIQueryOptions{Height: 8, Prove: true})
			if err != nil || q.Response.Code != 26 || !strings.Contains(q.Response.Log, "height in the future") {
				t.Fatalf("abci_query above the claimed tip: %+v %v", q, err)
			}
		} else if err != nil || cm.Height != 9 {
			t.Fatalf("commit above the claimed tip (served): %v %v", cm, err)
		}
	}
	p.ClaimTip(0, false)
	if st, err := c.Status(ctx); err != nil || st.SyncInfo.LatestBlockHeight != 0 {
		t.Fatalf("status after the lie stopped: %v %v", st, err)
	}
}

// Up must get its port back: the proxy listens below the kernel's
// ephemeral range, where no outgoing connection takes a port while the
// proxy is down.
func TestPortOutsideEphemeralRange(t *testing.T) {
	bz, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		t.Skip("no ephemeral port range to stay out of on this system")
	}
	var lo, hi int
	if _, err := fmt.Sscan(string(bz), &lo, &hi); err != nil || lo <= 11000 {
		t.Skipf("ephemeral range %q leaves no room below it", bz)
	}
	p, _ := setup(t)
	u, err := url.Parse(p.URL())
	if err != nil {
		t.Fatal(err)
	}
	port, err := strconv.Atoi(u.Port())
	if err != nil || port >= lo {
		t.Fatalf("proxy on port %s, inside the ephemeral range %d-%d", u.Port(), lo, hi)
	}
}

// TestGate: requests wait at the gate until its number of calls arrived
// at any of its proxies (a batch counts each call), then all are
// answered.
func TestGate(t *testing.T) {
	p1, c1 := setup(t)
	p2, c2 := setup(t)
	g := rpcproxy.NewGate(3)
	p1.SetGate(g)
	p2.SetGate(g)
	ctx := context.Background()
	done := make(chan error, 2)
	go func() {
		h := int64(2)
		_, err := c1.Commit(ctx, &h)
		done <- err
	}()
	go func() {
		b := c2.NewBatch()
		for _, h := range []int64{3, 4} {
			if _, err := b.Commit(ctx, &h); err != nil {
				done <- err
				return
			}
		}
		_, err := b.Send(ctx)
		done <- err
	}()
	for range 2 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if g.Arrived() != 3 {
		t.Fatalf("%d calls arrived, want 3", g.Arrived())
	}
	// Open now: a later request passes at once.
	h := int64(5)
	if _, err := c1.Commit(ctx, &h); err != nil {
		t.Fatal(err)
	}
	// A gate not reached holds its request until the client gives up.
	p1.SetGate(rpcproxy.NewGate(2))
	cctx, cancel := context.WithCancel(ctx)
	errc := make(chan error, 1)
	go func() { _, err := c1.Commit(cctx, &h); errc <- err }()
	for p1.Count("commit") < 3 {
		runtime.Gosched()
	}
	select {
	case err := <-errc:
		t.Fatalf("answered (%v) before the gate opened", err)
	default:
	}
	cancel()
	if err := <-errc; err == nil {
		t.Fatal("a cancelled request held at the gate got an answer")
	}
	// Released, a gate not reached lets its held request go on.
	g = rpcproxy.NewGate(2)
	p1.SetGate(g)
	go func() { _, err := c1.Commit(ctx, &h); errc <- err }()
	for g.Arrived() < 1 {
		runtime.Gosched()
	}
	g.Release()
	g.Release() // twice is no harm
	if err := <-errc; err != nil {
		t.Fatalf("the released request: %v", err)
	}
	if g.Arrived() != 1 {
		t.Fatalf("%d calls arrived, want 1: Release does not count calls", g.Arrived())
	}
}
