package devnet_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/akash-wallet/akw/internal/devnet"
)

// BenchmarkStart measures how long a new devnet takes to be ready (every
// validator past block 2, devnet.json written), by number of validators.
// It is not run by `go test`; measure with, for example,
//
//	go test -run '^$' -bench 'Start/validators=2$' -benchtime 3x ./internal/devnet/
//
// AKW_BENCH_VALIDATORS=30 adds a size to the default 1, 2 and 4.
func BenchmarkStart(b *testing.B) {
	sizes := []int{1, 2, 4}
	if s := os.Getenv("AKW_BENCH_VALIDATORS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			b.Fatalf("AKW_BENCH_VALIDATORS=%q: %v", s, err)
		}
		sizes = append(sizes, n)
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("validators=%d", n), func(b *testing.B) {
			var total time.Duration
			for range b.N {
				dir := b.TempDir()
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
				began := time.Now()
				net, err := devnet.Start(ctx, devnet.Config{Dir: dir, Validators: n, StartTimeout: 10 * time.Minute})
				took := time.Since(began)
				cancel()
				if err != nil {
					b.Fatal(err)
				}
				total += took
				b.StopTimer()
				if err := net.Stop(); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			b.ReportMetric(total.Seconds()/float64(b.N), "s/start")
		})
	}
}
