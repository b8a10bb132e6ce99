// Command report turns the output of akw's benchmarks (`go test -bench`
// lines, as .ci/bench collects them) into the Markdown section of
// docs/PERFORMANCE.md between the markers
//
//	<!-- bench:begin -->
//	<!-- bench:end -->
//
// replacing what was there (the rest of the file, written by hand, is
// kept). Without the markers the section goes after the file's first
// paragraph. It prints the section on stdout too.
//
//	go run ./internal/bench/report -doc docs/PERFORMANCE.md -cmd 'make bench' -machine "$(...)" bench-*.txt
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

const (
	beginMarker = "<!-- bench:begin -->"
	endMarker   = "<!-- bench:end -->"
)

// result is one benchmark line: its metrics by unit.
type result struct {
	name    string
	pkg     string
	metrics map[string]float64
	units   []string // in the order printed
}

var procSuffix = regexp.MustCompile(`-\d+$`)

// parse reads `go test -bench` output: "pkg: ..." lines name the package
// of the benchmark lines after them.
func parse(r io.Reader) ([]result, error) {
	var out []result
	pkg := ""
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if p, ok := strings.CutPrefix(line, "pkg: "); ok {
			pkg = strings.TrimSpace(p)
			continue
		}
		if !strings.HasPrefix(line, "Benchmark") {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 4 || len(f)%2 != 0 {
			continue
		}
		if _, err := strconv.Atoi(f[1]); err != nil {
			continue
		}
		res := result{name: procSuffix.ReplaceAllString(f[0], ""), pkg: pkg, metrics: map[string]float64{}}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			res.metrics[f[i+1]] = v
			res.units = append(res.units, f[i+1])
		}
		out = append(out, res)
	}
	return out, sc.Err()
}

type results struct{ byName map[string]result }

func (rs results) get(name, unit string) (float64, bool) {
	r, ok := rs.byName[name]
	if !ok {
		return 0, false
	}
	v, ok := r.metrics[unit]
	return v, ok
}

func ms(ns float64) string {
	switch {
	case ns >= 1e9:
		return fmt.Sprintf("%.2f s", ns/1e9)
	case ns >= 1e6:
		return fmt.Sprintf("%.1f ms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.0f µs", ns/1e3)
	}
	return fmt.Sprintf("%.0f ns", ns)
}

func num(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatInt(int64(v), 10)
	}
	if math.Abs(v) >= 100 {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "**not met**"
}

// section writes the generated Markdown.
func section(w io.Writer, rs results, cmd, machine string, elapsed time.Duration) {
	fmt.Fprintln(w, beginMarker)
	fmt.Fprintln(w, "## Summary (generated)")
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Written by `%s` on %s in %s; do not edit by hand, run it again.\n", cmd, time.Now().UTC().Format("2006-01-02 15:04 MST"), elapsed.Round(time.Second))
	fmt.Fprintf(w, "Machine: %s.\n\n", machine)
	fmt.Fprintln(w, "Other work may have shared the machine: treat single figures as noisy,")
	fmt.Fprintln(w, "and prefer CPU time to wall time where both are given. Peak RSS includes")
	fmt.Fprintln(w, "the pages of the akw binary itself that the process touched (about two")
	fmt.Fprintln(w, "thirds of it); see \"Cold start\" below.")
	fmt.Fprintln(w)

	fmt.Fprintln(w, "| measure | figure | target |")
	fmt.Fprintln(w, "|---|---|---|")
	row := func(measure, figure, target string) { fmt.Fprintf(w, "| %s | %s | %s |\n", measure, figure, target) }

	for _, c := range []struct{ name, label string }{
		{"BenchmarkColdStart/version", "`akw version`"},
		{"BenchmarkColdStart/query-balance", "`akw query balance ADDR` (warm trusted store, devnet)"},
		{"BenchmarkColdStart/query-balance-max-age", "`akw query balance ADDR --max-age 1m`"},
	} {
		cpu, ok1 := rs.get(c.name, "cpu-ms/op")
		wall, _ := rs.get(c.name, "wall-ms/op")
		rss, ok2 := rs.get(c.name, "peak-RSS-MiB")
		if !ok1 || !ok2 {
			row(c.label, "not run", "")
			continue
		}
		target := ""
		if c.name == "BenchmarkColdStart/version" {
			target = "under 50 ms: " + verdict(cpu < 50)
		}
		row(c.label+": process CPU (median)", fmt.Sprintf("%.1f ms (wall %.1f ms)", cpu, wall), target)
		row(c.label+": peak RSS", fmt.Sprintf("%.1f MiB", rss), "under 100 MB: "+verdict(rss*1.048576 < 100))
	}

	sideBySide(rs, row)

	for _, rtt := range []string{"0s", "20ms", "100ms"} {
		base, ok := rs.get("BenchmarkBalance/rtt="+rtt+"/unverified-all-balances", "ns/op")
		if !ok {
			row("verified / unverified balance at "+rtt+" RTT", "not run", "")
			continue
		}
		target := ""
		if rtt != "0s" {
			target = "≤ 1.5×"
		}
		if v, ok := rs.get("BenchmarkBalance/rtt="+rtt+"/verified-all-balances-warm-header", "ns/op"); ok {
			t := target
			if t != "" {
				t += ": " + verdict(v/base <= 1.5)
			}
			row("verified balance, verified header reused, at "+rtt+" RTT", fmt.Sprintf("%s vs %s unverified: **%.2f×**", ms(v), ms(base), v/base), t)
		}
		for _, c := range []struct{ sub, label string }{
			{"verified-all-balances-with-header-update", "verified balance, light client brought up to the newest header first"},
			{"verified-all-balances-new-block-latest", "verified balance one block later, as a one-shot command finds it (new header verified, then the proofs)"},
			{"verified-all-balances-new-block-pipelined", "the same with the header and the proofs overlapped (`LatestPipelined`)"},
			{"verified-all-balances-new-block-newest", "the same in one round trip, the header's height predicted (`Newest`, what `akw query` does)"},
		} {
			if v, ok := rs.get("BenchmarkBalance/rtt="+rtt+"/"+c.sub, "ns/op"); ok {
				row(c.label+", at "+rtt+" RTT", fmt.Sprintf("%s: %.2f×", ms(v), v/base), "")
			}
		}
	}
	if v, ok := rs.get("BenchmarkVerifyCPU", "ns/op"); ok {
		row("client CPU per verified balance query (proofs verified and decoded, no network)", ms(v), "")
	}

	var catch []string
	for name := range rs.byName {
		if strings.HasPrefix(name, "BenchmarkCatchUp/") && strings.HasSuffix(name, "/akw") {
			catch = append(catch, name)
		}
	}
	// By the number of validator changes per block, not as text.
	changes := func(name string) float64 {
		v, _ := strconv.ParseFloat(strings.TrimPrefix(strings.Split(name, "/")[1], "changes="), 64)
		return v
	}
	sort.Slice(catch, func(i, j int) bool { return changes(catch[i]) < changes(catch[j]) })
	for _, name := range catch {
		cfg := strings.TrimSuffix(strings.TrimPrefix(name, "BenchmarkCatchUp/"), "/akw")
		t, _ := rs.get(name, "ns/op")
		h, _ := rs.get(name, "primary-headers")
		fig := fmt.Sprintf("akw %s, headers fetched from the primary: %s", ms(t), num(h))
		stock := strings.TrimSuffix(name, "/akw") + "/stock-skipping"
		if st, ok := rs.get(stock, "ns/op"); ok {
			sh, _ := rs.get(stock, "primary-headers")
			fig += fmt.Sprintf("; stock light client (skipping) %s, %s", ms(st), num(sh))
		}
		row("light-client catch-up, synthetic 100-validator chain, "+strings.Replace(cfg, "changes=", "validator changes per block: ", 1), fig, "")
	}

	// akw and the stock client interleaved: the ratio the target is about.
	for _, cfg := range []string{"0", "0.1"} {
		name := "BenchmarkCatchUpPair/changes=" + cfg
		r, ok := rs.get(name, "ratio")
		if !ok {
			continue
		}
		a, _ := rs.get(name, "akw-ms")
		st, _ := rs.get(name, "stock-ms")
		ah, _ := rs.get(name, "akw-primary-headers")
		sh, _ := rs.get(name, "stock-primary-headers")
		row("light-client catch-up beside the stock client, interleaved (medians), validator changes per block: "+cfg,
			fmt.Sprintf("akw %.1f ms vs stock %.1f ms: **%.2f×**; headers %s vs %s", a, st, r, num(ah), num(sh)),
			"≤ 1.0×, no more headers: "+verdict(r <= 1.0 && ah <= sh))
	}

	for _, c := range []struct{ name, label string }{
		{"BenchmarkSignFile/local-memory", "local key, in-memory keyring (direct mode)"},
		{"BenchmarkSignFile/local-test-keyring", "local key, test keyring on disk"},
		{"BenchmarkSignFile/ledger-emulator", "Ledger key, emulated Cosmos app (amino JSON)"},
	} {
		per, ok := rs.get(c.name, "µs/tx")
		if !ok {
			row("sign 1,000 transactions offline: "+c.label, "not run", "")
			continue
		}
		cpu, _ := rs.get(c.name, "cpu-µs/tx")
		tps, _ := rs.get(c.name, "tx/s")
		row("sign 1,000 transactions offline: "+c.label, fmt.Sprintf("%s µs/tx wall, %s µs/tx CPU (%s tx/s)", num(per), num(cpu), num(tps)), "")
	}

	for _, c := range []struct{ name, label string }{
		{"BenchmarkDashboardKeystroke", "TUI keystroke-to-frame: dashboard, 100 validators, 50 delegations"},
		{"BenchmarkValidatorSearchKeystroke", "TUI keystroke-to-frame: validator search over 100"},
	} {
		if v, ok := rs.get(c.name, "ns/op"); ok {
			row(c.label, ms(v)+" (Update + View)", "one 60 Hz frame (16.7 ms): "+verdict(v < 16.7e6))
		} else {
			row(c.label, "not run", "")
		}
	}

	// Every figure, for the record.
	fmt.Fprintln(w)
	fmt.Fprintln(w, "<details><summary>All benchmark lines</summary>")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| package | benchmark | figures |")
	fmt.Fprintln(w, "|---|---|---|")
	var names []string
	for n := range rs.byName {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		r := rs.byName[n]
		var parts []string
		for _, u := range r.units {
			v := r.metrics[u]
			if u == "ns/op" {
				parts = append(parts, ms(v)+"/op")
				continue
			}
			parts = append(parts, num(v)+" "+u)
		}
		fmt.Fprintf(w, "| %s | %s | %s |\n", strings.TrimPrefix(r.pkg, "github.com/akash-wallet/akw/"), strings.TrimPrefix(n, "Benchmark"), strings.Join(parts, ", "))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "</details>")
	fmt.Fprintln(w, endMarker)
}

// splice puts sec into doc between the markers, or after the first
// paragraph when the markers are missing.
func splice(doc, sec []byte) ([]byte, error) {
	b := bytes.Index(doc, []byte(beginMarker))
	e := bytes.Index(doc, []byte(endMarker))
	switch {
	case b >= 0 && e > b:
		out := append([]byte(nil), doc[:b]...)
		out = append(out, sec...)
		return append(out, bytes.TrimPrefix(doc[e+len(endMarker):], []byte("\n"))...), nil
	case b >= 0 || e >= 0:
		return nil, errors.New("only one of the bench markers is in the document")
	}
	// After the first blank line that follows text past the title.
	i := bytes.Index(doc, []byte("\n\n"))
	if i >= 0 {
		if j := bytes.Index(doc[i+2:], []byte("\n\n")); j >= 0 {
			at := i + 2 + j + 2
			out := append([]byte(nil), doc[:at]...)
			out = append(out, sec...)
			out = append(out, '\n')
			return append(out, doc[at:]...), nil
		}
	}
	return append(append(append([]byte(nil), doc...), '\n'), sec...), nil
}

func main() {
	doc := flag.String("doc", "", "Markdown file to update (stdout only if empty)")
	cmd := flag.String("cmd", "make bench", "command that produced the figures")
	machine := flag.String("machine", "", "description of the machine")
	elapsed := flag.Duration("elapsed", 0, "how long the run took")
	flag.Parse()

	rs := results{byName: map[string]result{}}
	for _, path := range flag.Args() {
		f, err := os.Open(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, "report:", err)
			os.Exit(1)
		}
		list, err := parse(f)
		f.Close()
		if err != nil {
			fmt.Fprintln(os.Stderr, "report:", path, err)
			os.Exit(1)
		}
		for _, r := range list {
			rs.byName[r.name] = r
		}
	}
	if len(rs.byName) == 0 {
		fmt.Fprintln(os.Stderr, "report: no benchmark lines in the input")
		os.Exit(1)
	}
	var sec bytes.Buffer
	section(&sec, rs, *cmd, *machine, *elapsed)
	os.Stdout.Write(sec.Bytes())
	if *doc == "" {
		return
	}
	old, err := os.ReadFile(*doc)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(1)
	}
	out, err := splice(old, sec.Bytes())
	if err != nil {
		fmt.Fprintln(os.Stderr, "report:", *doc, err)
		os.Exit(1)
	}
	tmp := *doc + ".tmp"
	if err := os.WriteFile(tmp, out, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(1)
	}
	if err := os.Rename(tmp, *doc); err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(1)
	}
}

// sideBySide writes the rows of BenchmarkSideBySide: akw beside a
// reference measured in the same loop, as ratios (issue targets: start-up
// CPU at most the stock cometbft binary's, peak RSS at most 50 MiB, a
// one-shot query at most 1.6x one raw abci_query at 20 ms and 1.3x at
// 100 ms, process start included).
func sideBySide(rs results, row func(measure, figure, target string)) {
	if r, ok := rs.get("BenchmarkSideBySide/version", "cpu-ratio"); ok {
		a, _ := rs.get("BenchmarkSideBySide/version", "akw-cpu-ms")
		c, _ := rs.get("BenchmarkSideBySide/version", "cometbft-cpu-ms")
		ra, _ := rs.get("BenchmarkSideBySide/version", "akw-peak-RSS-MiB")
		rc, _ := rs.get("BenchmarkSideBySide/version", "cometbft-peak-RSS-MiB")
		row("`akw version` beside `cometbft version` (same loop): process CPU", fmt.Sprintf("%.1f ms vs %.1f ms: **%.2f×**", a, c, r), "≤ 1.0×: "+verdict(r <= 1.0))
		row("`akw version` beside `cometbft version`: peak RSS", fmt.Sprintf("%.1f MiB vs %.1f MiB", ra, rc), "≤ 50 MiB: "+verdict(ra <= 50))
	} else {
		row("`akw version` beside `cometbft version`", "not run", "")
	}
	for _, c := range []struct {
		rtt    string
		target float64
	}{{"0ms", 0}, {"20ms", 1.6}, {"100ms", 1.3}} {
		for _, q := range []struct{ sub, label string }{
			{"query-denom", "`akw query balance ADDR --denom uakt`"},
			{"query-all", "`akw query balance ADDR` (the complete list, walked)"},
		} {
			name := "BenchmarkSideBySide/" + q.sub + "/rtt=" + c.rtt
			r, ok := rs.get(name, "wall-ratio")
			if !ok {
				continue
			}
			a, _ := rs.get(name, "akw-wall-ms")
			b, _ := rs.get(name, "curl-wall-ms")
			rss, _ := rs.get(name, "akw-peak-RSS-MiB")
			target := ""
			if c.target > 0 && q.sub == "query-denom" {
				target = fmt.Sprintf("≤ %.1f×: %s", c.target, verdict(r <= c.target))
			}
			row(fmt.Sprintf("%s beside one raw `abci_query` by curl at %s added RTT, new processes (same loop)", q.label, c.rtt),
				fmt.Sprintf("%.0f ms vs %.0f ms: **%.2f×** (akw peak RSS %.1f MiB)", a, b, r, rss), target)
		}
	}
}
