package proxy_test

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	rpcclient "github.com/cometbft/cometbft/rpc/client"
	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/rpcproxy"
	"github.com/akash-wallet/akw/internal/testctx"
	"github.com/akash-wallet/akw/proxy"
)

// Benchmarks of the proxy against the node it fronts, on the devnet of
// this test binary (in the same process: its CPU and memory are counted
// with the proxy's, which the figures say).
//
//	go test -run '^$' -bench 'Latency|Throughput' -benchtime 200x ./proxy
//
// Latency: one verified answer through the proxy beside the same query
// straight to the node (cometbft's HTTP client, the requests cosmjs's
// getBalance and getAccount send), at 0, 20 and 100 ms added round trip
// between the proxy and the node, with a warm header (verified once; the
// answer cache off, so that each query is proven afresh).
//
// Throughput: N clients at once asking the verified balances of
// different funded addresses, 0 ms added, warm header, answer cache off;
// the same load straight to the node beside it. CPU per query is the
// whole process's (node, proxy and clients: the difference between the
// two rows is the proxy's share); heap is sampled after each run.

// benchEnv is a proxy whose node is behind a latency proxy.
type benchEnv struct {
	*harness
	lat     []*rpcproxy.Proxy // latency proxies in front of the nodes (Latency only)
	nodeURL string
	direct  *rpchttp.HTTP // to the node (through its latency proxy)
	addrs   []sdk.AccAddress
}

var (
	benchOnce sync.Once
	benchAddr []sdk.AccAddress
	benchErr  error
)

// fundedAddresses funds n new addresses in one multi-send, once.
func fundedAddresses(tb testing.TB, n int) []sdk.AccAddress {
	tb.Helper()
	net := devnettestGet(tb)
	benchOnce.Do(func() {
		alice, err := net.Account("alice")
		if err != nil {
			benchErr = err
			return
		}
		from, _ := alice.AccAddress()
		amt := sdk.NewCoins(sdk.NewInt64Coin(devnet.Denom, 1000))
		outs := make([]banktypes.Output, n)
		for i := range outs {
			h := sha256.Sum256([]byte(fmt.Sprintf("akw proxy bench %d", i)))
			a := sdk.AccAddress(h[:20])
			benchAddr = append(benchAddr, a)
			outs[i] = banktypes.NewOutput(a, amt)
		}
		total := sdk.NewCoins(sdk.NewInt64Coin(devnet.Denom, int64(1000*n)))
		ctx := testctx.New(tb)
		gas := uint64(200_000 + 40_000*n)
		_, benchErr = net.Exec(ctx, "alice", []sdk.Msg{banktypes.NewMsgMultiSend(banktypes.NewInput(from, total), outs)}, devnet.WithGas(gas))
	})
	if benchErr != nil {
		tb.Fatal(benchErr)
	}
	return benchAddr
}

func newBenchEnv(b *testing.B, addrs int, latency bool) *benchEnv {
	b.Helper()
	n := devnettestGet(b)
	e := &benchEnv{}
	if addrs > 0 {
		e.addrs = fundedAddresses(b, addrs)
		// The funding's state is provable once the next header is.
		st, err := n.LatestHeight(context.Background(), 0)
		if err != nil {
			b.Fatal(err)
		}
		waitHeight(b, st+2)
	}
	urls := n.RPC()
	if latency {
		for i, u := range n.RPC() {
			p, err := rpcproxy.New(u)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { _ = p.Close() })
			e.lat = append(e.lat, p)
			urls[i] = p.URL()
		}
	}
	e.nodeURL = urls[0]
	// The light client behind the latency proxies (its witness too).
	e.harness = startProxy(b, withPrimary(urls[0]), withWitnesses(urls[1:]...), withConfig(func(c *proxy.Config) {
		c.MaxAge = time.Hour // a warm header: verified once
		c.AnswerBytes = -1   // every query proven afresh
		c.Log = io.Discard   // no log: its writes are not what is measured
	}))
	var err error
	if e.direct, err = rpchttp.New(e.nodeURL, "/websocket"); err != nil {
		b.Fatal(err)
	}
	// Warm the header.
	if _, err := e.rpc.Status(context.Background()); err != nil {
		b.Fatal(err)
	}
	return e
}

func (e *benchEnv) setRTT(d time.Duration) {
	for _, p := range e.lat {
		p.SetLatency(d)
	}
}

func marshal(tb testing.TB, m interface{ Marshal() ([]byte, error) }) []byte {
	bz, err := m.Marshal()
	if err != nil {
		tb.Fatal(err)
	}
	return bz
}

func BenchmarkLatency(b *testing.B) {
	c := chainState(b)
	e := newBenchEnv(b, 0, true)
	ctx := context.Background()
	queries := []struct {
		name, path string
		data       []byte
	}{
		{"getBalance", "/cosmos.bank.v1beta1.Query/Balance", marshal(b, &banktypes.QueryBalanceRequest{Address: c.alice.String(), Denom: devnet.Denom})},
		{"getAccount", "/cosmos.auth.v1beta1.Query/Account", marshal(b, &authtypes.QueryAccountRequest{Address: c.alice.String()})},
	}
	for _, rtt := range []time.Duration{0, 20 * time.Millisecond, 100 * time.Millisecond} {
		e.setRTT(rtt)
		for _, q := range queries {
			for _, via := range []struct {
				name string
				cli  *rpchttp.HTTP
			}{{"node", e.direct}, {"proxy", e.rpc}} {
				b.Run(fmt.Sprintf("rtt=%s/%s/%s", rtt, q.name, via.name), func(b *testing.B) {
					for i := 0; i < b.N; i++ {
						res, err := via.cli.ABCIQueryWithOptions(ctx, q.path, q.data, rpcclient.ABCIQueryOptions{})
						if err != nil || res.Response.Code != 0 {
							b.Fatalf("%v %+v", err, res)
						}
					}
				})
			}
		}
	}
	e.setRTT(0)
}

func BenchmarkThroughput(b *testing.B) {
	chainState(b)
	e := newBenchEnv(b, 1000, false)
	for _, clients := range []int{1, 16, 64} {
		for _, via := range []string{"node", "proxy"} {
			b.Run(fmt.Sprintf("clients=%d/%s", clients, via), func(b *testing.B) {
				url := e.url
				if via == "node" {
					url = e.nodeURL
				}
				clis := make([]*rpchttp.HTTP, clients)
				for i := range clis {
					var err error
					if clis[i], err = rpchttp.New(url, "/websocket"); err != nil {
						b.Fatal(err)
					}
				}
				reqs := make([][]byte, len(e.addrs))
				for i, a := range e.addrs {
					reqs[i] = marshal(b, &banktypes.QueryBalanceRequest{Address: a.String(), Denom: devnet.Denom})
				}
				var next atomic.Int64
				cpu0 := cpuTime()
				b.ReportAllocs()
				b.ResetTimer()
				start := time.Now()
				var wg sync.WaitGroup
				errs := make(chan error, clients)
				for _, cli := range clis {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for {
							i := next.Add(1) - 1
							if i >= int64(b.N) {
								return
							}
							res, err := cli.ABCIQueryWithOptions(context.Background(), "/cosmos.bank.v1beta1.Query/Balance", reqs[i%int64(len(reqs))], rpcclient.ABCIQueryOptions{})
							if err != nil || res.Response.Code != 0 || len(res.Response.Value) == 0 {
								errs <- fmt.Errorf("%v %+v", err, res)
								return
							}
						}
					}()
				}
				wg.Wait()
				elapsed := time.Since(start)
				b.StopTimer()
				select {
				case err := <-errs:
					b.Fatal(err)
				default:
				}
				cpu := cpuTime() - cpu0
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				b.ReportMetric(float64(b.N)/elapsed.Seconds(), "queries/s")
				b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/query")
				b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MiB")
			})
		}
	}
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkCosmJSLatency is BenchmarkLatency from cosmjs itself:
// getBalance and getAccount through the proxy beside the same calls
// straight to the node (testdata/cosmjs/latency.mjs), b.N calls each,
// interleaved. It reports the means in ms per call and their ratio.
//
//	go test -run '^$' -bench CosmJSLatency -benchtime 50x ./proxy
func BenchmarkCosmJSLatency(b *testing.B) {
	nodeBin, err := exec.LookPath("node")
	if err != nil {
		b.Skip("node is not installed")
	}
	dir, _ := filepath.Abs("testdata/cosmjs")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@cosmjs", "stargate")); err != nil {
		b.Skip("cosmjs is not installed: run `npm ci` in proxy/testdata/cosmjs")
	}
	c := chainState(b)
	e := newBenchEnv(b, 0, true)
	for _, rtt := range []time.Duration{0, 20 * time.Millisecond, 100 * time.Millisecond} {
		e.setRTT(rtt)
		for _, q := range []string{"getBalance", "getAccount"} {
			b.Run(fmt.Sprintf("rtt=%s/%s", rtt, q), func(b *testing.B) {
				cfg, _ := json.Marshal(map[string]any{"proxy": e.url, "node": e.nodeURL, "query": q, "n": b.N, "alice": c.alice.String(), "denom": devnet.Denom})
				cmd := exec.Command(nodeBin, "latency.mjs", string(cfg))
				cmd.Dir = dir
				out, err := cmd.Output()
				if err != nil {
					b.Fatalf("node latency.mjs: %v %s", err, out)
				}
				var r struct {
					Node  float64 `json:"node_ms"`
					Proxy float64 `json:"proxy_ms"`
				}
				if err := json.Unmarshal(out, &r); err != nil {
					b.Fatalf("%v: %s", err, out)
				}
				b.ReportMetric(r.Node, "node-ms/call")
				b.ReportMetric(r.Proxy, "proxy-ms/call")
				b.ReportMetric(r.Proxy/r.Node, "ratio")
			})
		}
	}
	e.setRTT(0)
}
