// Command soak runs akw for a long time against a devnet, as a user would
// leave it, and tells whether its processes stay flat: `akw devnet`, `akw
// proxy` with clients querying verified balances and accounts through it,
// and `akw tui` in a tmux terminal refreshing on its own, while a
// transaction every -tx-every moves blocks and balances. Every -sample it
// records each process's resident memory, goroutines (through
// AKW_DEBUG_ADDR) and open files; at the end it writes soak.csv and
// soak.md (a table and the verdict) under -out and exits 0 when flat, 1
// when something grew or the traffic failed.
//
// It is not part of CI (it takes an hour); .ci/soak builds akw and runs it:
//
//	.ci/soak -dur 1h -out .soak-out
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

type options struct {
	akw       string
	akwDevnet string
	out       string
	dur       time.Duration
	sample    time.Duration
	txEvery   time.Duration
	clients   int
	qps       float64
	tolerance float64
}

func main() {
	var o options
	flag.StringVar(&o.akw, "akw", "", "the akw binary to run (required)")
	flag.StringVar(&o.akwDevnet, "akw-devnet", "", "the akw-devnet binary to run the devnet with (default: akw-devnet next to -akw); run directly, so that its own process is sampled, not akw's wrapper")
	flag.StringVar(&o.out, "out", ".soak-out", "directory for the devnet's home, the logs, soak.csv and soak.md")
	flag.DurationVar(&o.dur, "dur", time.Hour, "how long to run the traffic")
	flag.DurationVar(&o.sample, "sample", time.Minute, "how often to sample the processes")
	flag.DurationVar(&o.txEvery, "tx-every", 10*time.Second, "pause between two transactions")
	flag.IntVar(&o.clients, "clients", 4, "proxy clients querying at once")
	flag.Float64Var(&o.qps, "qps", 20, "proxy queries per second, all clients together (the machine is shared)")
	flag.Float64Var(&o.tolerance, "tolerance", 0.10, "largest growth of the mean RSS from the third quarter of the run to the last that is still flat")
	flag.Parse()
	if o.akw == "" || o.dur <= 0 || o.sample <= 0 || o.txEvery <= 0 || o.clients < 1 || o.qps <= 0 {
		fmt.Fprintln(os.Stderr, "error: -akw is required; -dur, -sample, -tx-every, -qps positive; -clients at least 1")
		fmt.Fprintln(os.Stderr, "hint: .ci/soak builds akw and passes -akw; see go run ./internal/soak -h")
		os.Exit(2)
	}
	if o.dur < 4*o.sample {
		fmt.Fprintf(os.Stderr, "error: -dur %s holds fewer than 4 samples of -sample %s: the verdict compares quarters of the run\nhint: shorten -sample (a 2-minute smoke: -sample 10s)\n", o.dur, o.sample)
		os.Exit(2)
	}
	abs, err := filepath.Abs(o.akw)
	if err != nil {
		fatal(err)
	}
	o.akw = abs
	if o.akwDevnet == "" {
		o.akwDevnet = filepath.Join(filepath.Dir(abs), "akw-devnet")
	}
	if _, err := os.Stat(o.akwDevnet); err != nil {
		fmt.Fprintf(os.Stderr, "error: no akw-devnet at %s: %v\nhint: build it with `go build -o %s ./cmd/akw-devnet` (.ci/soak does), or give -akw-devnet\n", o.akwDevnet, err, o.akwDevnet)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	flat, err := run(ctx, o)
	if err != nil {
		fatal(err)
	}
	if !flat {
		os.Exit(1)
	}
}

func fatal(err error) {
	fmt.Fprintf(os.Stderr, "error: %v\n", err)
	os.Exit(1)
}
