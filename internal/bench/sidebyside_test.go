package bench

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cosmos/btcutil/bech32"
)

// BenchmarkSideBySide measures akw against a reference run in the same
// loop, pair by pair, so that what is reported is a ratio that carries
// from one machine to another (these machines differ 3-4x in speed and
// are shared; an absolute time does not carry):
//
//   - version: `akw version` beside `cometbft version` (COMETBFT_BIN: the
//     stock binary built from the module proxy at the version akw uses):
//     start-up CPU and peak RSS;
//   - query/rtt=N: a one-shot `akw query balance ADDR --denom uakt` (a
//     new process, warm trusted store, a new block since its header)
//     beside one raw `abci_query` of the same key with a proof by curl (a
//     new process too), both through proxies that add N ms to every
//     request, at 0, 20 and 100 ms; and the complete balance list
//     (`akw query balance ADDR`, a proven walk) beside the same raw query.
//
// Each pair runs in alternating order (akw first, then the reference
// first) so that neither always gets the warmer caches. Ratios are of
// medians. Skipped without AKW_BIN; version without COMETBFT_BIN; the
// queries without AKW_BENCH_HOME (a devnet's home, as for
// BenchmarkColdStart) or curl.
func BenchmarkSideBySide(b *testing.B) {
	bin := os.Getenv("AKW_BIN")
	if bin == "" {
		b.Skip("set AKW_BIN to an akw binary")
	}
	b.Run("version", func(b *testing.B) {
		ref := os.Getenv("COMETBFT_BIN")
		if ref == "" {
			b.Skip("set COMETBFT_BIN to a cometbft binary")
		}
		pair(b, []string{bin, "version"}, []string{ref, "version"}, "cometbft")
	})
	home := os.Getenv("AKW_BENCH_HOME")
	curl, err := exec.LookPath("curl")
	if home == "" || err != nil {
		b.Log("queries skipped: set AKW_BENCH_HOME and install curl")
		return
	}
	addr := devnetAccount(b, home)
	rpcs := devnetRPCs(b, home)
	for _, rtt := range []time.Duration{0, 20 * time.Millisecond, 100 * time.Millisecond} {
		proxies := make([]string, len(rpcs))
		for i, r := range rpcs {
			proxies[i] = latencyProxy(b, r, rtt)
		}
		nodes := []string{"--home", home, "--node", proxies[0]}
		for _, w := range proxies[1:] {
			nodes = append(nodes, "--witness", w)
		}
		raw := []string{curl, "-sS", "--fail", "-H", "Content-Type: application/json", "--data", rawBalanceQuery(b, addr, "uakt"), proxies[0]}
		name := fmt.Sprintf("rtt=%dms", rtt.Milliseconds())
		b.Run("query-denom/"+name, func(b *testing.B) {
			pair(b, append(append([]string{bin}, nodes...), "query", "balance", addr, "--denom", "uakt"), raw, "curl")
		})
		b.Run("query-all/"+name, func(b *testing.B) {
			pair(b, append(append([]string{bin}, nodes...), "query", "balance", addr), raw, "curl")
		})
	}
}

// pair runs akw and the reference b.N times each, alternating which goes
// first, and reports both medians and their ratios.
func pair(b *testing.B, akw, ref []string, refName string) {
	var aw, ac, rw, rc []float64
	var apeak, rpeak int64
	for i := range b.N {
		runs := []func(){
			func() { w, c, p := run(b, akw); aw, ac, apeak = append(aw, w), append(ac, c), max(apeak, p) },
			func() { w, c, p := run(b, ref); rw, rc, rpeak = append(rw, w), append(rc, c), max(rpeak, p) },
		}
		if i%2 == 1 {
			slices.Reverse(runs)
		}
		for _, r := range runs {
			r()
		}
	}
	b.ReportMetric(median(aw), "akw-wall-ms")
	b.ReportMetric(median(rw), refName+"-wall-ms")
	b.ReportMetric(median(aw)/median(rw), "wall-ratio")
	b.ReportMetric(median(ac), "akw-cpu-ms")
	b.ReportMetric(median(rc), refName+"-cpu-ms")
	b.ReportMetric(median(ac)/median(rc), "cpu-ratio")
	b.ReportMetric(float64(apeak)/1024, "akw-peak-RSS-MiB")
	b.ReportMetric(float64(rpeak)/1024, refName+"-peak-RSS-MiB")
	b.ReportMetric(float64(selfRSS())/1024, "harness-RSS-MiB")
}

// run runs one process and returns its wall time and CPU time in ms and
// its peak RSS in KiB.
func run(b *testing.B, args []string) (wall, cpu float64, peak int64) {
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Run(); err != nil {
		b.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out.Bytes())
	}
	wall = float64(time.Since(start).Microseconds()) / 1000
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	cpu = float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e6
	return wall, cpu, ru.Maxrss
}

// rawBalanceQuery is the JSON-RPC request a plain client sends for one
// balance with its proof: the bank store's key 0x02 | len(addr) | addr |
// denom at the node's newest height.
func rawBalanceQuery(b *testing.B, addr, denom string) string {
	_, data, err := bech32.DecodeToBase256(addr)
	if err != nil {
		b.Fatalf("%s: %v", addr, err)
	}
	key := append([]byte{0x02, byte(len(data))}, data...)
	key = append(key, denom...)
	req := map[string]any{"jsonrpc": "2.0", "id": 1, "method": "abci_query",
		"params": map[string]any{"path": "/store/bank/key", "data": hex.EncodeToString(key), "prove": true}}
	bz, _ := json.Marshal(req)
	return string(bz)
}

// latencyProxy forwards to target after holding every request for rtt: a
// node that far away. The hold is the simulated network, not a wait for
// anything.
func latencyProxy(b *testing.B, target string, rtt time.Duration) string {
	u, err := url.Parse(target)
	if err != nil {
		b.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(u)
	// An akw process that exits with a request of its own in flight (a
	// witness's header fetched ahead) is no error of the proxy's; the
	// log line would split a benchmark's result line in two.
	rp.ErrorLog = log.New(io.Discard, "", 0)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(rtt)
		rp.ServeHTTP(w, r)
	}), ReadHeaderTimeout: time.Minute}
	go func() { _ = srv.Serve(ln) }()
	b.Cleanup(func() { _ = srv.Close() })
	return "http://" + ln.Addr().String()
}

// devnetRPCs are the RPC URLs in home/devnet.json, primary first.
func devnetRPCs(b *testing.B, home string) []string {
	bz, err := os.ReadFile(filepath.Join(home, "devnet.json"))
	if err != nil {
		b.Fatalf("AKW_BENCH_HOME: %v", err)
	}
	var info struct {
		RPC []string `json:"rpc"`
	}
	if err := json.Unmarshal(bz, &info); err != nil || len(info.RPC) == 0 {
		b.Fatalf("AKW_BENCH_HOME: devnet.json lists no RPC (%v)", err)
	}
	return info.RPC
}
