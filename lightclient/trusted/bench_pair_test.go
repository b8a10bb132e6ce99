package trusted_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"slices"
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

// BenchmarkCatchUpPair is BenchmarkCatchUp's akw and stock-skipping runs
// interleaved, iteration by iteration (and which goes first alternates),
// so that a shared machine's changing load falls on both alike: it
// reports each one's median and their ratio, the figure the issue's
// target is about ("catch-up ≤ 1.0× the stock light client at every
// RTT"). Same chains and environment variables as BenchmarkCatchUp.
//
//	go test -run '^$' -bench 'CatchUpPair' -benchtime 30x ./lightclient/trusted/
func BenchmarkCatchUpPair(b *testing.B) {
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
	for _, changes := range []float64{0, 0.1} {
		b.Run(fmt.Sprintf("changes=%g", changes), func(b *testing.B) {
			b.StopTimer()
			chain := trustedtest.NewChain(trustedtest.ChainConfig{ChainID: "bench-1", Validators: vals, Blocks: blocks, ChangesPerBlock: changes})
			chain.SignAll()
			runtime.GC()
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
			root := trusted.TrustRoot{Height: 1, Hash: chain.Header(1).Hash()}

			akw := func() (time.Duration, int64) {
				cfg := trusted.Config{ChainID: "bench-1", Primary: primary.URL(), Witnesses: []string{witness.URL()}, Home: b.TempDir()}
				c, err := trusted.Init(context.Background(), cfg, root, trusted.InitOptions{Confirm: func(trusted.Candidate) (bool, error) { return true, nil }})
				if err != nil {
					b.Fatal(err)
				}
				c.Close()
				if c, err = trusted.Open(context.Background(), cfg); err != nil {
					b.Fatal(err)
				}
				defer c.Close()
				primary.ResetCounts()
				began := time.Now()
				lb, err := c.Latest(context.Background())
				took := time.Since(began)
				if err != nil || lb.Height != blocks {
					b.Fatalf("catch-up: %v", err)
				}
				pc, _ := primary.Counts()
				return took, pc
			}
			stock := func() (time.Duration, int64) {
				pp, err := httpp.New("bench-1", primary.URL())
				if err != nil {
					b.Fatal(err)
				}
				wp, err := httpp.New("bench-1", witness.URL())
				if err != nil {
					b.Fatal(err)
				}
				db, err := dbm.NewGoLevelDB("bench", b.TempDir())
				if err != nil {
					b.Fatal(err)
				}
				defer db.Close()
				lc, err := light.NewClient(context.Background(), "bench-1",
					light.TrustOptions{Period: trusted.DefaultTrustingPeriod, Height: root.Height, Hash: root.Hash},
					pp, []provider.Provider{wp}, dbs.New(db, "bench"), light.SkippingVerification(light.DefaultTrustLevel))
				if err != nil {
					b.Fatal(err)
				}
				primary.ResetCounts()
				began := time.Now()
				lb, err := lc.Update(context.Background(), time.Now())
				took := time.Since(began)
				if err != nil || lb == nil || lb.Height != blocks {
					b.Fatalf("stock catch-up: %v", err)
				}
				pc, _ := primary.Counts()
				return took, pc
			}
			var a, s []time.Duration
			var ah, sh int64
			for i := 0; i < b.N; i++ {
				if i%2 == 0 {
					t, h := akw()
					a, ah = append(a, t), h
					t, h = stock()
					s, sh = append(s, t), h
				} else {
					t, h := stock()
					s, sh = append(s, t), h
					t, h = akw()
					a, ah = append(a, t), h
				}
			}
			ma, ms := median(a), median(s)
			b.ReportMetric(float64(ma.Microseconds())/1000, "akw-ms")
			b.ReportMetric(float64(ms.Microseconds())/1000, "stock-ms")
			b.ReportMetric(float64(ma)/float64(ms), "ratio")
			b.ReportMetric(float64(ah), "akw-primary-headers")
			b.ReportMetric(float64(sh), "stock-primary-headers")
		})
	}
}

func median(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}
