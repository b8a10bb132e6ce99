package trusted_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	dbm "github.com/cometbft/cometbft-db"
	"github.com/cometbft/cometbft/light"
	"github.com/cometbft/cometbft/light/provider"
	httpp "github.com/cometbft/cometbft/light/provider/http"
	dbs "github.com/cometbft/cometbft/light/store/db"

	"github.com/akash-wallet/akw/lightclient/trusted"
	"github.com/akash-wallet/akw/lightclient/trusted/trustedtest"
)

// BenchmarkCatchUp measures catching up from a trusted header at height 1
// to the newest of a synthetic chain (100 validators, 10,000 blocks) over
// real JSON-RPC on 127.0.0.1, with 0, 0.01, 0.1 and 0.5 validator changes
// per block: akw's client beside the stock light.Client with its stock HTTP
// provider, skipping and sequential. One primary and one witness.
//
//	go test -run '^$' -bench 'CatchUp/.*/(akw|stock-skipping)' -benchtime 3x -timeout 60m ./lightclient/trusted/
//	go test -run '^$' -bench 'CatchUp/.*/stock-sequential' -benchtime 1x -timeout 60m ./lightclient/trusted/
//
// AKW_BENCH_BLOCKS, AKW_BENCH_VALIDATORS change the chain; AKW_BENCH_RTT
// (e.g. 20ms) adds that much to every request; AKW_BENCH_SEQUENTIAL=0
// skips the (slow) sequential runs.
func BenchmarkCatchUp(b *testing.B) {
	blocks := envInt("AKW_BENCH_BLOCKS", 10000)
	vals := int(envInt("AKW_BENCH_VALIDATORS", 100))
	var rtt time.Duration
	if s := os.Getenv("AKW_BENCH_RTT"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil {
			b.Fatal(err)
		}
		rtt = d
	}
	sequential := os.Getenv("AKW_BENCH_SEQUENTIAL") != "0"
	for _, changes := range []float64{0, 0.01, 0.1, 0.5} {
		var (
			once             sync.Once
			primary, witness *trustedtest.Server
			chain            *trustedtest.Chain
		)
		setup := func(b *testing.B) {
			once.Do(func() {
				chain = trustedtest.NewChain(trustedtest.ChainConfig{ChainID: "bench-1", Validators: vals, Blocks: blocks, ChangesPerBlock: changes})
				chain.SignAll()
				// Collect the signing garbage now, not in the first
				// timed run.
				runtime.GC()
				var err error
				if primary, err = trustedtest.Serve(chain); err != nil {
					b.Fatal(err)
				}
				if witness, err = trustedtest.Serve(chain); err != nil {
					b.Fatal(err)
				}
				primary.SetLatency(rtt)
				witness.SetLatency(rtt)
			})
		}
		name := fmt.Sprintf("changes=%g", changes)
		b.Run(name+"/akw", func(b *testing.B) {
			b.StopTimer() // the chain is made and signed outside the timing
			setup(b)
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				cfg := trusted.Config{ChainID: "bench-1", Primary: primary.URL(), Witnesses: []string{witness.URL()}, Home: b.TempDir()}
				c, err := trusted.Init(context.Background(), cfg, trusted.TrustRoot{Height: 1, Hash: chain.Header(1).Hash()},
					trusted.InitOptions{Confirm: func(trusted.Candidate) (bool, error) { return true, nil }})
				if err != nil {
					b.Fatal(err)
				}
				// As in use: initialised once, opened by each command.
				c.Close()
				if c, err = trusted.Open(context.Background(), cfg); err != nil {
					b.Fatal(err)
				}
				primary.ResetCounts()
				witness.ResetCounts()
				b.StartTimer()
				lb, err := c.Latest(context.Background())
				b.StopTimer()
				if err != nil || lb.Height != blocks {
					b.Fatalf("catch-up: %v", err)
				}
				report(b, primary, witness)
				c.Close()
			}
		})
		stock := func(b *testing.B, opts ...light.Option) {
			b.StopTimer()
			setup(b)
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				pp, err := httpp.New("bench-1", primary.URL())
				if err != nil {
					b.Fatal(err)
				}
				wp, err := httpp.New("bench-1", witness.URL())
				if err != nil {
					b.Fatal(err)
				}
				// The same goleveldb store on disk as akw's.
				db, err := dbm.NewGoLevelDB("bench", b.TempDir())
				if err != nil {
					b.Fatal(err)
				}
				lc, err := light.NewClient(context.Background(), "bench-1",
					light.TrustOptions{Period: trusted.DefaultTrustingPeriod, Height: 1, Hash: chain.Header(1).Hash()},
					pp, []provider.Provider{wp}, dbs.New(db, "bench"), opts...)
				if err != nil {
					b.Fatal(err)
				}
				primary.ResetCounts()
				witness.ResetCounts()
				b.StartTimer()
				lb, err := lc.Update(context.Background(), time.Now())
				b.StopTimer()
				if err != nil || lb == nil || lb.Height != blocks {
					b.Fatalf("stock catch-up: %v", err)
				}
				report(b, primary, witness)
				db.Close()
			}
		}
		b.Run(name+"/stock-skipping", func(b *testing.B) {
			stock(b, light.SkippingVerification(light.DefaultTrustLevel))
		})
		if sequential {
			b.Run(name+"/stock-sequential", func(b *testing.B) {
				stock(b, light.SequentialVerification())
			})
		}
		if primary != nil {
			primary.Close()
			witness.Close()
		}
	}
}

func report(b *testing.B, primary, witness *trustedtest.Server) {
	pc, pv := primary.Counts()
	wc, wv := witness.Counts()
	b.ReportMetric(float64(pc), "primary-headers")
	b.ReportMetric(float64(wc), "witness-headers")
	b.ReportMetric(float64(pc+pv+wc+wv), "requests")
}

func envInt(name string, def int64) int64 {
	if s := os.Getenv(name); s != "" {
		if v, err := strconv.ParseInt(s, 10, 64); err == nil {
			return v
		}
	}
	return def
}

// BenchmarkWarm measures what a query pays for headers with a warm store
// (100 validators, one primary, one witness, real JSON-RPC on 127.0.0.1
// with AKW_BENCH_RTT added per request):
//
//   - open: trusted.Open and Close (no network; reads and checks the
//     newest and oldest stored headers);
//
//   - stored: VerifiedAt of a height in the store (no network);
//
//   - latest: Latest when the chain has grown by one block, akw beside the
//     stock light.Client (stock HTTP provider) doing the same Update.
//
//     AKW_BENCH_RTT=20ms go test -run '^$' -bench Warm -benchtime 20x ./lightclient/trusted/
func BenchmarkWarm(b *testing.B) {
	var rtt time.Duration
	if s := os.Getenv("AKW_BENCH_RTT"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil {
			b.Fatal(err)
		}
		rtt = d
	}
	const blocks = 400
	chain := trustedtest.NewChain(trustedtest.ChainConfig{ChainID: "bench-1", Validators: 100, Blocks: blocks, ChangesPerBlock: 0.01})
	chain.SetTip(100)
	primary, err := trustedtest.Serve(chain)
	if err != nil {
		b.Fatal(err)
	}
	defer primary.Close()
	witness, err := trustedtest.Serve(chain)
	if err != nil {
		b.Fatal(err)
	}
	defer witness.Close()
	primary.SetLatency(rtt)
	witness.SetLatency(rtt)
	cfg := trusted.Config{ChainID: "bench-1", Primary: primary.URL(), Witnesses: []string{witness.URL()}, Home: b.TempDir()}
	c, err := trusted.Init(context.Background(), cfg, trusted.TrustRoot{Height: 100, Hash: chain.Header(100).Hash()},
		trusted.InitOptions{Confirm: func(trusted.Candidate) (bool, error) { return true, nil }})
	if err != nil {
		b.Fatal(err)
	}
	c.Close()

	b.Run("open", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			c, err := trusted.Open(context.Background(), cfg)
			if err != nil {
				b.Fatal(err)
			}
			c.Close()
		}
	})
	b.Run("stored", func(b *testing.B) {
		c, err := trusted.Open(context.Background(), cfg)
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := c.VerifiedAt(context.Background(), 100); err != nil {
				b.Fatal(err)
			}
		}
	})
	advance := func(b *testing.B) {
		t := chain.Tip() + 1
		if t > blocks {
			b.Skip("chain exhausted; use a smaller -benchtime")
		}
		chain.SetTip(t)
	}
	b.Run("latest/akw", func(b *testing.B) {
		c, err := trusted.Open(context.Background(), cfg)
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			advance(b)
			b.StartTimer()
			lb, err := c.Latest(context.Background())
			if err != nil || lb.Height != chain.Tip() {
				b.Fatal(err)
			}
		}
	})
	b.Run("latest/stock", func(b *testing.B) {
		pp, _ := httpp.New("bench-1", primary.URL())
		wp, _ := httpp.New("bench-1", witness.URL())
		trust := chain.Tip()
		lc, err := light.NewClient(context.Background(), "bench-1",
			light.TrustOptions{Period: trusted.DefaultTrustingPeriod, Height: trust, Hash: chain.Header(trust).Hash()},
			pp, []provider.Provider{wp}, dbs.New(dbm.NewMemDB(), "bench"))
		if err != nil {
			b.Fatal(err)
		}
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			advance(b)
			b.StartTimer()
			lb, err := lc.Update(context.Background(), time.Now())
			if err != nil || lb == nil || lb.Height != chain.Tip() {
				b.Fatal(err)
			}
		}
	})
}
