package state_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	rpcclient "github.com/cometbft/cometbft/rpc/client"
	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/rpcproxy"
	"github.com/akash-wallet/akw/lightclient/state"
	"github.com/akash-wallet/akw/lightclient/trusted"
)

// benchNet is one devnet shared by the benchmarks, with a latency proxy in
// front of each validator's RPC.
type benchNet struct {
	net     *devnet.Network
	dir     string
	proxies []*rpcproxy.Proxy
	client  *trusted.Client
	alice   sdk.AccAddress
}

var (
	benchOnce sync.Once
	bench     *benchNet
	benchErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if bench != nil {
		bench.client.Close()
		for _, p := range bench.proxies {
			p.Close()
		}
		bench.net.Stop()
		os.RemoveAll(bench.dir)
	}
	os.Exit(code)
}

func getBenchNet(tb testing.TB) *benchNet {
	benchOnce.Do(func() {
		if err := devnet.SetSDKConfig(); err != nil {
			benchErr = err
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		dir, err := os.MkdirTemp("", "akw-bench")
		if err != nil {
			benchErr = err
			return
		}
		n, err := devnet.Start(ctx, devnet.Config{Dir: filepath.Join(dir, "net")})
		if err != nil {
			benchErr = err
			return
		}
		if err := n.WaitForHeight(ctx, 4); err != nil {
			benchErr = err
			return
		}
		b := &benchNet{net: n, dir: dir}
		for _, u := range n.RPC() {
			p, err := rpcproxy.New(u)
			if err != nil {
				benchErr = err
				return
			}
			b.proxies = append(b.proxies, p)
		}
		acc, _ := n.Account("alice")
		b.alice, _ = acc.AccAddress()
		var ws []string
		for _, p := range b.proxies[1:] {
			ws = append(ws, p.URL())
		}
		b.client, benchErr = trusted.Init(ctx, trusted.Config{ChainID: n.ChainID(), Primary: b.proxies[0].URL(), Witnesses: ws, Home: filepath.Join(dir, "home")},
			trusted.TrustRoot{Latest: true}, trusted.InitOptions{Confirm: func(trusted.Candidate) (bool, error) { return true, nil }})
		bench = b
	})
	if benchErr != nil {
		tb.Fatal(benchErr)
	}
	return bench
}

func (b *benchNet) setRTT(d time.Duration) {
	for _, p := range b.proxies {
		p.SetLatency(d)
	}
}

var rtts = []time.Duration{0, 20 * time.Millisecond, 100 * time.Millisecond}

// BenchmarkBalance compares a verified balance query with the same query
// unverified, through a proxy adding 0, 20 and 100 ms round-trip time.
//
//	go test -run '^$' -bench Balance -benchtime 20x ./lightclient/state
func BenchmarkBalance(b *testing.B) {
	bn := getBenchNet(b)
	ctx := context.Background()
	node, err := rpchttp.New(bn.proxies[0].URL(), "/websocket")
	if err != nil {
		b.Fatal(err)
	}
	q := state.New(bn.client, nil)
	for _, rtt := range rtts {
		bn.setRTT(0)
		v, err := q.Latest(ctx) // warm: the header the pinned queries reuse
		if err != nil {
			b.Fatal(err)
		}
		bn.setRTT(rtt)
		name := func(s string) string { return fmt.Sprintf("rtt=%s/%s", rtt, s) }

		// Unverified: the node's own answer, one abci_query, no proof.
		req, _ := (&banktypes.QueryAllBalancesRequest{Address: bn.alice.String()}).Marshal()
		b.Run(name("unverified-all-balances"), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				r, err := node.ABCIQueryWithOptions(ctx, "/cosmos.bank.v1beta1.Query/AllBalances", req, rpcclient.ABCIQueryOptions{Height: v.Height()})
				if err != nil || r.Response.Code != 0 {
					b.Fatal(err, r)
				}
			}
		})
		key := append(append([]byte{0x02, byte(len(bn.alice))}, bn.alice...), devnet.Denom...)
		b.Run(name("unverified-one-denom"), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := node.ABCIQueryWithOptions(ctx, "/store/bank/key", key, rpcclient.ABCIQueryOptions{Height: v.Height()}); err != nil {
					b.Fatal(err)
				}
			}
		})
		// Verified against a header already verified (warm store, reused
		// header: the TUI, a script loop, `--max-age`).
		b.Run(name("verified-all-balances-warm-header"), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := v.Balances(ctx, bn.alice); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name("verified-one-denom-warm-header"), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := v.Balance(ctx, bn.alice, devnet.Denom); err != nil {
					b.Fatal(err)
				}
			}
		})
		// Verified including bringing the light client up to the newest
		// header (primary and witness both behind the proxy).
		// The same after the chain has moved on by a block, as a one-shot
		// command usually finds it: Latest verifies a new header (two
		// round trips) before the proofs; LatestPipelined overlaps them.
		// Newest guesses the new header's height from the store: header
		// and proofs in one round trip when the guess is right.
		for _, mode := range []string{"latest", "pipelined", "newest"} {
			b.Run(name("verified-all-balances-new-block-"+mode), func(b *testing.B) {
				var guesses guessOutcomes
				// Every JSON-RPC call the nodes get, background ones
				// (witnesses' copies, polls) included.
				for _, p := range bn.proxies {
					p.ResetCounts()
				}
				for i := 0; i < b.N; i++ {
					b.StopTimer()
					if _, err := bn.net.WaitForNextBlock(ctx); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
					if mode == "newest" {
						// The height the store predicts now, beside the
						// header the answer rests on: how often the guess
						// was the tip, above it or behind it.
						guess, next, _ := bn.client.PredictNext(time.Now())
						var bal *state.Balances
						if err := q.Newest(ctx, func(v *state.View) (err error) {
							bal, err = v.Balances(ctx, bn.alice)
							return err
						}); err != nil {
							b.Fatal(err)
						}
						guesses.add(guess, next, bal.Height+1)
						continue
					}
					var v *state.View
					var err error
					if mode == "latest" {
						v, err = q.Latest(ctx)
					} else {
						v, err = q.LatestPipelined(ctx)
					}
					if err != nil {
						b.Fatal(err)
					}
					if _, err := v.Balances(ctx, bn.alice); err != nil {
						b.Fatal(err)
					}
				}
				guesses.report(b)
				var calls int64
				for _, p := range bn.proxies {
					for _, n := range p.Counts() {
						calls += n
					}
				}
				b.ReportMetric(float64(calls)/float64(b.N), "calls/op")
			})
		}
		b.Run(name("verified-all-balances-with-header-update"), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				v, err := q.Latest(ctx)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := v.Balances(ctx, bn.alice); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	bn.setRTT(0)
}

// guessOutcomes counts Newest's predicted heights against the header
// its answer rested on: right (the same), above (the answer's header is
// lower: the guess was refused), behind (higher: read again at the tip)
// or hedged (one higher, the guess in the window: taken in the same
// wave).
type guessOutcomes struct{ right, above, behind, hedged int }

func (g *guessOutcomes) add(guess int64, next bool, header int64) {
	switch {
	case header == guess:
		g.right++
	case header < guess:
		g.above++
	case header == guess+1 && next:
		g.hedged++
	default:
		g.behind++
	}
}

func (g *guessOutcomes) report(b *testing.B) {
	if n := g.right + g.above + g.behind + g.hedged; n > 0 {
		b.ReportMetric(float64(g.hedged)/float64(n), "hedged/op")
		b.ReportMetric(float64(g.right)/float64(n), "right/op")
		b.ReportMetric(float64(g.above)/float64(n), "above/op")
		b.ReportMetric(float64(g.behind)/float64(n), "behind/op")
	}
}

// BenchmarkVerifyCPU is the client's CPU per verified balance query with
// no network at all: the proofs of a complete balance walk, verified and
// decoded, replayed from a recording.
func BenchmarkVerifyCPU(b *testing.B) {
	bn := getBenchNet(b)
	ctx := context.Background()
	v, err := state.New(bn.client, nil).Latest(ctx)
	if err != nil {
		b.Fatal(err)
	}
	rec := &recordingNode{Node: bn.client.Primary(), answers: map[string]any{}}
	rv, err := state.New(bn.client, rec).Pin(v.Header())
	if err != nil {
		b.Fatal(err)
	}
	if _, err := rv.Balances(ctx, bn.alice); err != nil {
		b.Fatal(err)
	}
	rec.replay = true
	rec.proofs.Store(0)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := rv.Balances(ctx, bn.alice); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(rec.proofs.Load())/float64(b.N), "proofs/op")
}

// TestCLIResourceUse runs the akw binary named by AKW_BIN (`go build -o
// /tmp/akw ./cmd/akw`) for `query balance` against the devnet and reports
// its CPU time and peak memory. Skipped without AKW_BIN.
func TestCLIResourceUse(t *testing.T) {
	bin := os.Getenv("AKW_BIN")
	if bin == "" {
		t.Skip("set AKW_BIN to an akw binary")
	}
	bn := getBenchNet(t)
	home := t.TempDir()
	info := bn.net.Info()
	if _, err := devnet.ConfigureHome(home, &info, info.KeyringDir); err != nil {
		t.Fatal(err)
	}
	runAkw := func(args ...string) *os.ProcessState {
		cmd := exec.Command(bin, append([]string{"--home", home}, args...)...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("akw %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return cmd.ProcessState
	}
	runAkw("light", "init", "--trust-latest", "-y")
	cmds := [][]string{
		{"version"}, // baseline: process start-up, no network
		{"query", "balance", bn.alice.String()},
		{"query", "balance", bn.alice.String(), "--max-age", "1m"},
		{"query", "validators"},
		{"query", "rewards", bn.alice.String()},
	}
	// Round-robin, so that load from elsewhere on the machine spreads
	// over every command alike.
	const runs = 9
	walls := make([][]float64, len(cmds))
	cpus := make([][]float64, len(cmds))
	rss := make([]int64, len(cmds))
	for i := 0; i < runs; i++ {
		for j, args := range cmds {
			start := time.Now()
			st := runAkw(args...)
			walls[j] = append(walls[j], float64(time.Since(start).Microseconds())/1000)
			ru := st.SysUsage().(*syscall.Rusage)
			cpus[j] = append(cpus[j], float64(ru.Utime.Nano()+ru.Stime.Nano())/1e6)
			rss[j] = max(rss[j], ru.Maxrss)
		}
	}
	for j, args := range cmds {
		t.Logf("akw %-45s wall median %6.1f ms (min %6.1f)  cpu median %5.1f ms (min %5.1f)  peak RSS %5.1f MiB",
			strings.Join(args, " "), median(walls[j]), slices.Min(walls[j]), median(cpus[j]), slices.Min(cpus[j]), float64(rss[j])/1024)
	}
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// TestRecentAsksNoHeaders: a View pinned with Recent to a fresh enough
// trusted header costs no header fetch; only the proofs go to the node.
func TestRecentAsksNoHeaders(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a devnet")
	}
	bn := getBenchNet(t)
	ctx := context.Background()
	q := state.New(bn.client, nil)
	if _, err := q.Latest(ctx); err != nil {
		t.Fatal(err)
	}
	for _, p := range bn.proxies {
		p.ResetCounts()
	}
	var proofs atomic.Int64
	bn.proxies[0].Handle("abci_query", func(call rpcproxy.Call, _ *rpcproxy.Response) {
		var params struct {
			Prove bool `json:"prove"`
		}
		if json.Unmarshal(call.Params, &params) == nil && params.Prove {
			proofs.Add(1)
		}
	})
	defer bn.proxies[0].Handle("abci_query", nil)
	v, err := q.Recent(ctx, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	// validator0's operator holds one denom; the funded accounts hold
	// ACT (and alice an IBC voucher) besides AKT.
	op, err := bn.net.Account("validator0")
	if err != nil {
		t.Fatal(err)
	}
	opAddr, err := op.AccAddress()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Balances(ctx, opAddr); err != nil {
		t.Fatal(err)
	}
	for i, p := range bn.proxies {
		for m, n := range p.Counts() {
			if m != "abci_query" && n > 0 {
				t.Errorf("proxy %d: %d %s calls", i, n, m)
			}
		}
	}
	// Three proofs: the prefix and the guessed denoms' successors (uakt
	// and uact, state.NativeDenoms). (The node's unproven list, asked
	// alongside as a hint, is not waited for when the guesses complete
	// the walk.)
	if n := proofs.Load(); n != 3 {
		t.Errorf("%d proofs for a one-denom balance walk, want 3", n)
	}
}
