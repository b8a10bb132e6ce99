package bench

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// BenchmarkColdStart runs the akw binary named by AKW_BIN as a user
// would, one process per run, and reports the process's own CPU time
// (user+system), wall time and peak resident memory:
//
//   - version: start-up alone, no network, no files;
//   - query-balance: `akw query balance ADDR` against the devnet whose home
//     is AKW_BENCH_HOME (devnet.json, config and a warm trusted store: run
//     `akw --home DIR light init --trust-latest -y` first), the first
//     account of devnet.json as ADDR;
//   - query-balance-max-age: the same with --max-age 1m (no header fetch).
//
// Peak memory is the child's ru_maxrss. Linux carries the parent's RSS at
// fork into it (Go starts children with CLONE_VM|CLONE_VFORK, and exec
// folds the old mm's high-water mark into the new process's), so this
// package imports nothing heavy and reports its own RSS as
// harness-RSS-MiB: a peak at or below that figure is the harness's, not
// akw's. (This is why a harness inside a test binary that runs a devnet
// in-process reports a peak equal to its own size.)
//
// Skipped without AKW_BIN. Use -benchtime Nx for N runs per command.
func BenchmarkColdStart(b *testing.B) {
	bin := os.Getenv("AKW_BIN")
	if bin == "" {
		b.Skip("set AKW_BIN to an akw binary")
	}
	cases := []struct {
		name string
		args []string
	}{{"version", []string{"version"}}}
	if home := os.Getenv("AKW_BENCH_HOME"); home != "" {
		addr := devnetAccount(b, home)
		cases = append(cases,
			struct {
				name string
				args []string
			}{"query-balance", []string{"--home", home, "query", "balance", addr}},
			struct {
				name string
				args []string
			}{"query-balance-max-age", []string{"--home", home, "query", "balance", addr, "--max-age", "1m"}},
		)
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var cpus, walls []float64
			var peak int64
			for range b.N {
				wall, cpu, p := run(b, append([]string{bin}, c.args...))
				walls, cpus, peak = append(walls, wall), append(cpus, cpu), max(peak, p) // KiB on Linux
			}
			b.ReportMetric(median(cpus), "cpu-ms/op")
			b.ReportMetric(slices.Min(cpus), "min-cpu-ms/op")
			b.ReportMetric(median(walls), "wall-ms/op")
			b.ReportMetric(float64(peak)/1024, "peak-RSS-MiB")
			b.ReportMetric(float64(selfRSS())/1024, "harness-RSS-MiB")
		})
	}
}

// devnetAccount is the address of the first account in home/devnet.json.
func devnetAccount(b *testing.B, home string) string {
	bz, err := os.ReadFile(filepath.Join(home, "devnet.json"))
	if err != nil {
		b.Fatalf("AKW_BENCH_HOME: %v", err)
	}
	var info struct {
		Accounts []struct {
			Address string `json:"address"`
		} `json:"accounts"`
	}
	if err := json.Unmarshal(bz, &info); err != nil || len(info.Accounts) == 0 {
		b.Fatalf("AKW_BENCH_HOME: devnet.json has no accounts (%v)", err)
	}
	return info.Accounts[0].Address
}

// selfRSS is this process's resident set in KiB (VmHWM, its peak).
func selfRSS() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}
