package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// row is one sample of every process and of the traffic.
type row struct {
	At        time.Duration
	Load1     string
	Procs     []sample // in the order of run's procs
	TUIHeight int64
	TxOK      int64
	TxFailed  int64
	QOK       int64
	QFailed   int64
}

// run starts the devnet, the proxy and the TUI, drives traffic for o.dur
// while sampling, stops everything and writes the report; true when flat.
func run(ctx context.Context, o options) (bool, error) {
	out, err := filepath.Abs(o.out)
	if err != nil {
		return false, err
	}
	home := filepath.Join(out, "home")
	if err := os.MkdirAll(home, 0o700); err != nil {
		return false, err
	}
	logf := func(format string, args ...any) {
		fmt.Printf("%s "+format+"\n", append([]any{time.Now().Format(time.TimeOnly)}, args...)...)
	}
	loadStart := loadAvg()

	logf("starting akw-devnet devnet in %s (the program akw devnet runs, sampled as itself)", home)
	devnet, err := start("devnet", o.akwDevnet, filepath.Join(out, "devnet.log"), "--home", home, "devnet", "--reset")
	if err != nil {
		return false, err
	}
	defer devnet.stop()
	info := filepath.Join(home, "devnet.json")
	if err := waitFor(ctx, "devnet.json", devnet, 10*time.Minute, func() bool { _, err := os.Stat(info); return err == nil }); err != nil {
		return false, err
	}
	var dn struct {
		Accounts []struct {
			Name    string `json:"name"`
			Address string `json:"address"`
		} `json:"accounts"`
	}
	b, err := os.ReadFile(info)
	if err != nil {
		return false, err
	}
	if err := json.Unmarshal(b, &dn); err != nil || len(dn.Accounts) < 2 {
		return false, fmt.Errorf("%s: %v (accounts: %d)", info, err, len(dn.Accounts))
	}
	var addrs []string
	for _, a := range dn.Accounts {
		addrs = append(addrs, a.Address)
	}
	if out, err := exec.CommandContext(ctx, o.akw, "--home", home, "light", "init", "--trust-latest", "-y").CombinedOutput(); err != nil {
		return false, fmt.Errorf("akw light init: %v: %s", err, out)
	}

	listen, err := freeAddr()
	if err != nil {
		return false, err
	}
	logf("starting akw proxy on %s", listen)
	proxy, err := start("proxy", o.akw, filepath.Join(out, "proxy.log"), "--home", home, "proxy", "--listen", listen)
	if err != nil {
		return false, err
	}
	defer proxy.stop()
	url := "http://" + listen
	if err := waitFor(ctx, "the proxy's status", proxy, 10*time.Minute, func() bool {
		res, err := http.Get(url + "/status")
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == http.StatusOK
	}); err != nil {
		return false, err
	}

	logf("starting akw tui")
	tui, term, err := startTUI(ctx, o.akw, home, out)
	defer term.stop(tui)
	if err != nil {
		return false, err
	}
	procs := []*proc{devnet, proxy, tui}

	csvFile, err := os.Create(filepath.Join(out, "soak.csv"))
	if err != nil {
		return false, err
	}
	defer csvFile.Close()
	w := csv.NewWriter(csvFile)
	head := []string{"elapsed_s", "load1"}
	for _, p := range procs {
		head = append(head, p.name+"_rss_kib", p.name+"_goroutines", p.name+"_fds")
	}
	w.Write(append(head, "tui_height", "txs_ok", "txs_failed", "queries_ok", "queries_failed")) //nolint:errcheck // checked by Flush

	logf("traffic for %s: a send every %s, %d proxy clients at %.0f queries/s in all; a sample every %s", o.dur, o.txEvery, o.clients, o.qps, o.sample)
	tctx, stopTraffic := context.WithTimeout(ctx, o.dur)
	defer stopTraffic()
	var (
		c    counts
		wg   sync.WaitGroup
		errs = make(chan string, 5)
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		sendLoop(tctx, o.akw, home, addrs[1], filepath.Join(out, "tx.log"), o.txEvery, &c)
	}()
	every := time.Duration(float64(o.clients) / o.qps * float64(time.Second))
	for i := range o.clients {
		wg.Add(1)
		go func() { defer wg.Done(); queryLoop(tctx, url, addrs, i, every, &c, errs) }()
	}
	begin := time.Now()
	var rows []row
	take := func() {
		r := row{At: time.Since(begin).Round(time.Second), Load1: loadAvg()[0], TUIHeight: tuiHeight(term.screen()),
			TxOK: c.txOK.Load(), TxFailed: c.txFailed.Load(), QOK: c.qOK.Load(), QFailed: c.qFailed.Load()}
		rec := []string{strconv.Itoa(int(r.At.Seconds())), r.Load1}
		for _, p := range procs {
			s := p.measure()
			r.Procs = append(r.Procs, s)
			rec = append(rec, strconv.FormatInt(s.RSSKiB, 10), strconv.Itoa(s.Goroutines), strconv.Itoa(s.FDs))
		}
		rec = append(rec, strconv.FormatInt(r.TUIHeight, 10), strconv.FormatInt(r.TxOK, 10), strconv.FormatInt(r.TxFailed, 10),
			strconv.FormatInt(r.QOK, 10), strconv.FormatInt(r.QFailed, 10))
		w.Write(rec) //nolint:errcheck // checked by Flush
		w.Flush()
		rows = append(rows, r)
		logf("%s %s", r.At, strings.Join(rec[1:], " "))
	}
	take()
	tick := time.NewTicker(o.sample)
	for tctx.Err() == nil {
		select {
		case <-tctx.Done():
		case <-tick.C:
			take()
		}
	}
	tick.Stop()
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if time.Since(begin)-rows[len(rows)-1].At > o.sample/2 {
		take() // the end of the run, after its last full interval
	}
	wg.Wait()
	close(errs)
	var firstErrs []string
	for e := range errs {
		firstErrs = append(firstErrs, e)
	}
	if err := w.Error(); err != nil {
		return false, err
	}
	v := judge(rows, procs, o.tolerance)
	md := markdown(o, rows, procs, v, loadStart, loadAvg(), firstErrs)
	if err := os.WriteFile(filepath.Join(out, "soak.md"), []byte(md), 0o644); err != nil {
		return false, err
	}
	fmt.Print(md)
	return v.flat, nil
}

// loadAvg is /proc/loadavg's 1, 5 and 15 minute figures.
func loadAvg() [3]string {
	var l [3]string
	b, _ := os.ReadFile("/proc/loadavg")
	copy(l[:], strings.Fields(string(b)))
	return l
}
