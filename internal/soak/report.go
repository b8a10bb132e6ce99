package main

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strings"
	"time"
)

// verdict is the rule applied to the samples: flat when every check
// passes.
type verdict struct {
	flat   bool
	checks []string
}

// judge compares the last quarter of the run with the quarter before it
// (for an hour: minutes 45–60 with 30–45), so that start-up and the first
// caches filling do not count: per process, the mean RSS may grow by at
// most tol, the mean goroutines and open files by at most 5 or 10 %,
// whichever is more; every process must still run. The traffic must have
// gone through: at most 5 % of the sends and 1 % of the proxy queries
// failed, and the TUI's dashboard showed a newer height at the end than a
// quarter before (it refreshes on its own).
func judge(rows []row, procs []*proc, tol float64) verdict {
	v := verdict{flat: true}
	check := func(ok bool, format string, args ...any) {
		mark := "ok"
		if !ok {
			mark, v.flat = "FAIL", false
		}
		v.checks = append(v.checks, fmt.Sprintf("%s: %s", mark, fmt.Sprintf(format, args...)))
	}
	end := rows[len(rows)-1].At
	var last, prev []row
	for _, r := range rows {
		switch {
		case r.At > end*3/4:
			last = append(last, r)
		case r.At > end/2:
			prev = append(prev, r)
		}
	}
	if len(last) == 0 || len(prev) == 0 {
		check(false, "too few samples to compare quarters (%d in all)", len(rows))
		return v
	}
	mean := func(rs []row, f func(row) float64) float64 {
		var s float64
		for _, r := range rs {
			s += f(r)
		}
		return s / float64(len(rs))
	}
	win := fmt.Sprintf("%s–%s vs %s–%s", (end * 3 / 4).Round(time.Second), end, (end / 2).Round(time.Second), (end * 3 / 4).Round(time.Second))
	for i, p := range procs {
		dead := false
		for _, r := range rows {
			dead = dead || r.Procs[i].RSSKiB < 0 || r.Procs[i].Goroutines < 0
		}
		check(!dead && p.alive(), "%s ran the whole time and answered every sample", p.name)
		rssL, rssP := mean(last, func(r row) float64 { return float64(r.Procs[i].RSSKiB) }), mean(prev, func(r row) float64 { return float64(r.Procs[i].RSSKiB) })
		check(rssL <= rssP*(1+tol), "%s mean RSS %s: %.1f MiB vs %.1f MiB (%+.1f %%, at most %+.0f %%)", p.name, win, rssL/1024, rssP/1024, 100*(rssL/rssP-1), 100*tol)
		for _, m := range []struct {
			what string
			f    func(row) float64
		}{
			{"goroutines", func(r row) float64 { return float64(r.Procs[i].Goroutines) }},
			{"open files", func(r row) float64 { return float64(r.Procs[i].FDs) }},
		} {
			l, pr := mean(last, m.f), mean(prev, m.f)
			check(l <= pr+max(5, pr/10), "%s mean %s %s: %.1f vs %.1f", p.name, m.what, win, l, pr)
		}
	}
	fin := rows[len(rows)-1]
	check(fin.TxOK > 0 && fin.TxFailed*20 <= fin.TxOK+fin.TxFailed, "sends proven included: %d, failed: %d (at most 5 %%)", fin.TxOK, fin.TxFailed)
	check(fin.QOK > 0 && fin.QFailed*100 <= fin.QOK+fin.QFailed, "proxy queries verified: %d, failed: %d (at most 1 %%)", fin.QOK, fin.QFailed)
	check(fin.TUIHeight > prev[len(prev)-1].TUIHeight, "the TUI's dashboard refreshed on its own: height %d at the end, %d a quarter before", fin.TUIHeight, prev[len(prev)-1].TUIHeight)
	return v
}

// markdown is the report: the machine, the settings, the samples (all of
// them, or about eight evenly spread), the verdict and how to rerun.
func markdown(o options, rows []row, procs []*proc, v verdict, loadStart, loadEnd [3]string, errs []string) string {
	var b strings.Builder
	verdictWord := "flat"
	if !v.flat {
		verdictWord = "NOT flat"
	}
	fmt.Fprintf(&b, "Soak of %s, %s: **%s**.\n\n", o.dur, time.Now().UTC().Format("2006-01-02 15:04 UTC"), verdictWord)
	fmt.Fprintf(&b, "- Machine: %s, %s, %d CPUs, %s; load average at start %s, at end %s (1, 5, 15 min).\n",
		uname(), cpuModel(), runtime.NumCPU(), runtime.Version(), strings.Join(loadStart[:], " "), strings.Join(loadEnd[:], " "))
	fmt.Fprintf(&b, "- Traffic: `akw tx send alice bob 1uakt` every %s; %d clients asking `akw proxy` for verified balances (devnet accounts and new addresses) and accounts, %.0f queries/s in all; `akw tui` on the dashboard in a 120×40 tmux terminal, refreshing itself; a 2-validator `akw devnet`.\n", o.txEvery, o.clients, o.qps)
	fmt.Fprintf(&b, "- A sample every %s: RSS (`/proc/PID/status` VmRSS), goroutines (`AKW_DEBUG_ADDR` `/debug/goroutines`), open files (`/proc/PID/fd`).\n\n", o.sample)
	fmt.Fprint(&b, "| elapsed | load |")
	for _, p := range procs {
		fmt.Fprintf(&b, " %s RSS MiB | goroutines | fds |", p.name)
	}
	fmt.Fprint(&b, " TUI height | sends ok/failed | queries ok/failed |\n|---|---|")
	for range procs {
		fmt.Fprint(&b, "---|---|---|")
	}
	fmt.Fprint(&b, "---|---|---|\n")
	step := max(1, len(rows)/8)
	for i, r := range rows {
		if i%step != 0 && i != len(rows)-1 {
			continue
		}
		fmt.Fprintf(&b, "| %s | %s |", r.At, r.Load1)
		for _, s := range r.Procs {
			fmt.Fprintf(&b, " %.1f | %d | %d |", float64(s.RSSKiB)/1024, s.Goroutines, s.FDs)
		}
		fmt.Fprintf(&b, " %d | %d/%d | %d/%d |\n", r.TUIHeight, r.TxOK, r.TxFailed, r.QOK, r.QFailed)
	}
	fmt.Fprint(&b, "\nVerdict (last quarter of the run against the quarter before):\n\n")
	for _, c := range v.checks {
		fmt.Fprintf(&b, "- %s\n", c)
	}
	if len(errs) > 0 {
		fmt.Fprint(&b, "\nFirst proxy query errors:\n\n")
		for _, e := range errs {
			fmt.Fprintf(&b, "- `%s`\n", e)
		}
	}
	fmt.Fprintf(&b, "\nRerun: `.ci/soak -dur %s -sample %s -tx-every %s -clients %d -qps %.0f` (every sample in `%s/soak.csv`).\n",
		o.dur, o.sample, o.txEvery, o.clients, o.qps, o.out)
	return b.String()
}

func uname() string {
	out, err := exec.Command("uname", "-srm").Output()
	if err != nil {
		return runtime.GOOS + "/" + runtime.GOARCH
	}
	return strings.TrimSpace(string(out))
}

func cpuModel() string {
	b, _ := os.ReadFile("/proc/cpuinfo")
	if m := regexp.MustCompile(`(?m)^model name\s*:\s*(.+)$`).FindSubmatch(b); m != nil {
		return strings.TrimSpace(string(m[1]))
	}
	return "unknown CPU"
}
