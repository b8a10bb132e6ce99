package proxy_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	rpcclient "github.com/cometbft/cometbft/rpc/client"
	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/testctx"
	"github.com/akash-wallet/akw/proxy"
)

// TestSoak keeps clients asking for verified balances of ever new
// addresses while the chain moves on (new heads, new heights), with
// small cache bounds, and checks that what the proxy holds stays within
// them the whole time and that no goroutine is left behind. It runs for
// 15 s; the long run is
//
//	AKW_PROXY_SOAK=10m go test -run TestSoak -v -timeout 20m ./proxy
//
// which logs the process's heap every 30 s (the devnet's included).
func TestSoak(t *testing.T) {
	chainState(t)
	baseline := runtime.NumGoroutine()
	t.Run("load", soak)
	// The proxy has stopped (the subtest's cleanup): its goroutines, and
	// the clients' connections it closed, must be gone; a leak shows as
	// goroutines still there when the test binary's -timeout nears.
	ctx := testctx.New(t)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for runtime.NumGoroutine() > baseline+5 {
		select {
		case <-ctx.Done():
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines long after the proxy stopped, %d before it started:\n%s", runtime.NumGoroutine(), baseline, buf[:runtime.Stack(buf, true)])
		case <-tick.C:
		}
	}
}

func soak(t *testing.T) {
	dur := 15 * time.Second
	if v := os.Getenv("AKW_PROXY_SOAK"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("AKW_PROXY_SOAK=%q: %v", v, err)
		}
		dur = d
	}
	const (
		answerBound = 2 << 20
		headerBound = 16
		clients     = 16
	)
	h := startProxy(t, withConfig(func(c *proxy.Config) {
		c.AnswerBytes = answerBound
		c.HeaderCache = headerBound
		c.MaxAge = time.Second
		c.MaxInFlight = 8 // fewer than the clients: some wait their turn
	}))
	ctx, stop := context.WithTimeout(context.Background(), dur)
	defer stop()
	var (
		wg       sync.WaitGroup
		served   atomic.Int64
		n        atomic.Int64
		failures atomic.Int64
		firstErr atomic.Value
	)
	for range clients {
		cli, err := rpchttp.New(h.url, "/websocket")
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := n.Add(1)
				sum := sha256.Sum256(fmt.Appendf(nil, "soak %d", i))
				req, _ := (&banktypes.QueryBalanceRequest{Address: sdk.AccAddress(sum[:20]).String(), Denom: devnet.Denom}).Marshal()
				res, err := cli.ABCIQueryWithOptions(ctx, "/cosmos.bank.v1beta1.Query/Balance", req, rpcclient.ABCIQueryOptions{})
				switch {
				case ctx.Err() != nil:
				case err != nil:
					failures.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
				case res.Response.Code != 0:
					failures.Add(1)
					firstErr.CompareAndSwap(nil, fmt.Sprintf("code %d: %s", res.Response.Code, res.Response.Log))
				default:
					served.Add(1)
				}
			}
		}()
	}
	sample := time.NewTicker(time.Second)
	defer sample.Stop()
	start := time.Now()
	var maxHeap uint64
	lastLog := start
	for ctx.Err() == nil {
		select {
		case <-ctx.Done():
		case <-sample.C:
			st := h.srv.Stats()
			if st.AnswerBytes > answerBound || st.Headers > headerBound || st.Blocks > 64 || st.InFlight > 8 {
				t.Fatalf("the proxy holds more than its bounds: %+v", st)
			}
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			maxHeap = max(maxHeap, ms.HeapInuse)
			if time.Since(lastLog) >= 30*time.Second {
				lastLog = time.Now()
				t.Logf("%s: %d verified, heap %d MiB, proxy holds %+v", time.Since(start).Round(time.Second), served.Load(), ms.HeapInuse>>20, st)
			}
		}
	}
	wg.Wait()
	if served.Load() == 0 || failures.Load() > served.Load()/100 {
		t.Fatalf("%d verified, %d failed (first: %v)", served.Load(), failures.Load(), firstErr.Load())
	}
	t.Logf("%s with %d clients: %d verified balances (%.0f/s), %d failed (first: %v), max heap in use %d MiB (devnet included); the proxy held %+v",
		dur, clients, served.Load(), float64(served.Load())/time.Since(start).Seconds(), failures.Load(), firstErr.Load(), maxHeap>>20, h.srv.Stats())
}
