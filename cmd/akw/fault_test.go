package main

// Fault tests (issue 7): each subtest of TestFaults injects one fault
// against real parts — a three-validator devnet on 127.0.0.1, the
// rpcproxy, a node that stalls, a node that drops the connection after
// taking a broadcast, the real akw binary as a subprocess (exit codes,
// SIGINT/SIGTERM) — and checks what a careful user expects. The table in
// docs/FAULTS.md maps each fault to these names. No assertion is on
// speed: every wait is bounded generously ("ends within 30 s"), so a
// loaded machine slows the tests down but does not fail them.

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/devnet/devnettest"
	"github.com/akash-wallet/akw/internal/rpcproxy"
	"github.com/akash-wallet/akw/internal/testctx"
	"github.com/akash-wallet/akw/keys"
	"github.com/akash-wallet/akw/keys/sstest"
)

// faultEnv is one devnet and the akw binary, shared by the subtests.
type faultEnv struct {
	n     *devnet.Network
	bin   string
	rpc   []string
	check []string // global flags of a home on the real nodes, for checking effects
}

// faultBound is how long any single akw command may take before the test
// calls it stuck; far above what a command needs, even on a loaded
// machine.
const faultBound = 90 * time.Second

func (e *faultEnv) environ(home string, extra ...string) []string {
	return faultEnviron(filepath.Join(home, "userhome"), extra...)
}

// run runs akw to its end (at most bound) and returns exit code, stdout
// and stderr.
func (e *faultEnv) run(t *testing.T, bound time.Duration, extraEnv []string, args ...string) (int, string, string) {
	t.Helper()
	p := faultStart(t, e.bin, e.environ(t.TempDir(), extraEnv...), args...)
	code := p.wait(t, bound)
	return code, p.out.String(), p.err.String()
}

// must runs akw and fails the test unless it exits 0.
func (e *faultEnv) must(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errOut := e.run(t, faultBound, nil, args...)
	if code != 0 {
		t.Fatalf("akw %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

func (e *faultEnv) start(t *testing.T, args ...string) *faultProc {
	t.Helper()
	return faultStart(t, e.bin, e.environ(t.TempDir()), args...)
}

// home returns a new akw home for the devnet whose trust root is set
// through the given global flags.
func (e *faultEnv) home(t *testing.T, flags ...string) []string {
	t.Helper()
	home := devnettest.NewHomeFor(t, e.n)
	base := append([]string{"--home", home}, flags...)
	e.must(t, append(append([]string{}, base...), "light", "init", "--trust-latest", "-y")...)
	return base
}

func with(base []string, args ...string) []string {
	return append(append([]string{}, base...), args...)
}

// query decodes a verified `akw query ... -o json` answer (through the
// check home, on the real nodes) into v.
func (e *faultEnv) query(t *testing.T, v any, args ...string) {
	t.Helper()
	out := e.must(t, with(e.check, append([]string{"query"}, append(args, "-o", "json")...)...)...)
	var p struct {
		Verified bool `json:"verified"`
	}
	if err := json.Unmarshal([]byte(out), &p); err != nil || !p.Verified {
		t.Fatalf("query %v: not verified: %v %s", args, err, out)
	}
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatal(err)
	}
}

func (e *faultEnv) sequence(t *testing.T, who string) uint64 {
	t.Helper()
	var a struct {
		Sequence uint64 `json:"sequence"`
	}
	e.query(t, &a, "account", who)
	return a.Sequence
}

func (e *faultEnv) balance(t *testing.T, who string) string {
	t.Helper()
	var b struct {
		Balance struct {
			Amount string `json:"amount"`
		} `json:"balance"`
	}
	e.query(t, &b, "balance", who, "--denom", "uakt")
	return b.Balance.Amount
}

// faultLight is what `akw light status --no-probe -o json` says of the
// store.
type faultLight struct {
	Store         string `json:"store"`
	TrustedHeight int64  `json:"trusted_height"`
	TrustedHash   string `json:"trusted_hash"`
	StoredHeaders int    `json:"stored_headers"`
}

func (e *faultEnv) light(t *testing.T, base []string) faultLight {
	t.Helper()
	out := e.must(t, with(base, "light", "status", "--no-probe", "-o", "json")...)
	var l faultLight
	if err := json.Unmarshal([]byte(out), &l); err != nil || l.TrustedHeight <= 0 || l.Store == "" {
		t.Fatalf("light status: %v %s", err, out)
	}
	return l
}

// waitIncluded asks `akw tx status HASH` until the transaction is proven
// included (exit 0), at most bound; "not included yet" is exit 1.
func (e *faultEnv) waitIncluded(t *testing.T, base []string, hash string, bound time.Duration) faultTxJSON {
	t.Helper()
	deadline := time.Now().Add(bound)
	for {
		code, out, errOut := e.run(t, faultBound, nil, with(base, "tx", "status", hash, "-o", "json")...)
		if code == 0 {
			var r faultTxJSON
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatal(err)
			}
			if !r.Verified || r.Code != 0 || r.Height <= 0 || !strings.EqualFold(r.TxHash, hash) {
				t.Fatalf("tx status %s: %s", hash, r)
			}
			return r
		}
		if code != 1 || time.Now().After(deadline) {
			t.Fatalf("tx status %s: exit %d\nstdout: %s\nstderr: %s", hash, code, out, errOut)
		}
		time.Sleep(time.Second)
	}
}

var faultSentRE = regexp.MustCompile(`sent transaction ([0-9A-F]{64})`)

func faultNotFound(_ rpcproxy.Call, r *rpcproxy.Response) {
	r.Result = nil
	r.Error = &rpcproxy.RPCError{Code: -32603, Message: "Internal error", Data: "tx not found"}
}

func faultProxy(t *testing.T, target string) *rpcproxy.Proxy {
	t.Helper()
	p, err := rpcproxy.New(target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func TestFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a devnet")
	}
	// Three validators: with the primary gone, one witness takes over and
	// another is left to cross-check it.
	n := devnettest.Start(t, devnettest.WithValidators(3))
	ctx := testctx.New(t)
	if err := n.WaitForHeight(ctx, 3); err != nil {
		t.Fatal(err)
	}
	e := &faultEnv{n: n, bin: faultBin(t), rpc: n.RPC()}
	e.check = e.home(t)
	carol, _ := n.Account("carol")

	t.Run("PrimaryDown", func(t *testing.T) { faultPrimaryDown(t, e, carol.Address) })
	t.Run("AllEndpointsDown", func(t *testing.T) { faultAllDown(t, e, carol.Address) })
	t.Run("StalledNode", func(t *testing.T) { faultStalled(t, e, carol.Address) })
	t.Run("InterruptLightSync", func(t *testing.T) { faultInterruptSync(t, e) })
	t.Run("BusyStore", func(t *testing.T) { faultBusyStore(t, e, carol.Address) })
	t.Run("InterruptBroadcastWait", func(t *testing.T) { faultInterruptWait(t, e, carol.Address) })
	t.Run("BroadcastConnectionDropped", func(t *testing.T) { faultDropped(t, e, carol.Address) })
	t.Run("CorruptLightStore", func(t *testing.T) { faultCorruptStore(t, e, carol.Address) })
	t.Run("LedgerUnpluggedMidSigning", func(t *testing.T) { faultLedgerUnplugged(t, e, carol.Address) })
	t.Run("KeyringTimeout", func(t *testing.T) { faultKeyringTimeout(t, e, carol.Address) })
	t.Run("KeyringLocked", func(t *testing.T) { faultKeyringLocked(t, e, carol.Address) })
}

// Fault 1: the primary goes down mid-session. A witness takes over, akw
// says so on stderr ("note: primary ... failed"), and the answers are
// still proven, cross-checked by the remaining witness.
func faultPrimaryDown(t *testing.T, e *faultEnv, carol string) {
	p0 := faultProxy(t, e.rpc[0])
	base := e.home(t, "--node", p0.URL(), "--witness", e.rpc[1], "--witness", e.rpc[2])
	want := e.balance(t, carol)

	// The primary dies while the light client fetches the newest header
	// (mid-command): the witness takes over within the same command.
	p0.Handle("status", func(rpcproxy.Call, *rpcproxy.Response) { _ = p0.Down() })
	code, out, errOut := e.run(t, faultBound, nil, with(base, "query", "balance", carol, "--denom", "uakt", "-o", "json")...)
	faultCheckFailover(t, "query balance (primary dies fetching the header)", code, out, errOut, p0.URL(), want)

	// The primary dies after the header, while answering the proofs
	// (the light client's own requests all succeeded): the query tries
	// once more, the light client finds the primary gone and takes a
	// witness. The header is the one the command above verified
	// (--max-age): asked in the same wave as the proofs, as a query of
	// the newest state asks it, it could still be in flight when the
	// primary died (a busy CI run), and then the light client, not the
	// retry, takes the witness.
	if err := p0.Up(); err != nil {
		t.Fatal(err)
	}
	p0.Handle("status", nil)
	p0.Handle("abci_query", func(rpcproxy.Call, *rpcproxy.Response) { _ = p0.Down() })
	code, out, errOut = e.run(t, faultBound, nil, with(base, "query", "balance", carol, "--denom", "uakt", "--max-age", "10m", "-o", "json")...)
	faultCheckFailover(t, "query balance (primary dies answering the proofs)", code, out, errOut, p0.URL(), want)
	if !strings.Contains(errOut, "trying again through the witnesses") {
		t.Fatalf("the retry was not reported:\n%s", errOut)
	}

	// The session goes on with the primary still dead: a query and a
	// transaction, both through the witness that took over.
	code, out, errOut = e.run(t, faultBound, nil, with(base, "query", "balance", carol, "--denom", "uakt", "-o", "json")...)
	faultCheckFailover(t, "query balance (primary dead)", code, out, errOut, p0.URL(), want)

	// A transaction whose checks die with the primary (it answered
	// /status, then dropped on the proofs): the checks run once more
	// (nothing is signed before they pass), the light client falls over
	// and the transaction is sent once.
	if err := p0.Up(); err != nil {
		t.Fatal(err)
	}
	seq := e.sequence(t, "alice")
	p0.ResetCounts()
	p0.Handle("abci_query", func(rpcproxy.Call, *rpcproxy.Response) { _ = p0.Down() })
	code, out, errOut = e.run(t, faultBound, nil, with(base, "tx", "send", "alice", carol, "2uakt", "-y", "-o", "json")...)
	if got := e.sequence(t, "alice"); code != 0 || got != seq+1 || p0.Count("broadcast_tx_sync") != 0 ||
		!strings.Contains(errOut, "checking again through the witnesses (nothing was signed)") ||
		!strings.Contains(errOut, "note: primary "+p0.URL()+" failed") ||
		strings.Index(errOut, "checking again") > strings.Index(errOut, "about to sign") {
		t.Fatalf("tx send, primary dies during the checks: exit %d, sequence %d -> %d\nstdout: %s\nstderr: %s", code, seq, got, out, errOut)
	}
	seq++
	t.Logf("tx send, primary dies during the checks: exit %d: %s", code, lastLine(errOut))

	code, out, errOut = e.run(t, faultBound, nil, with(base, "tx", "send", "alice", carol, "3uakt", "-y", "-o", "json")...)
	if code != 0 || !strings.Contains(errOut, "note: primary "+p0.URL()+" failed") {
		t.Fatalf("tx send with the primary down: exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
	var r faultTxJSON
	if err := json.Unmarshal([]byte(out), &r); err != nil || !r.Verified || r.Code != 0 {
		t.Fatalf("tx send: %v %s", err, out)
	}
	if got := e.sequence(t, "alice"); got != seq+1 {
		t.Fatalf("sequence %d -> %d", seq, got)
	}
	t.Logf("tx send fell over: %s", faultNote(errOut))
}

func faultCheckFailover(t *testing.T, what string, code int, out, errOut, primary, want string) {
	t.Helper()
	if code != 0 {
		t.Fatalf("%s: exit %d\nstdout: %s\nstderr: %s", what, code, out, errOut)
	}
	if !strings.Contains(errOut, "note: primary "+primary+" failed") {
		t.Fatalf("%s: the failover was not reported:\n%s", what, errOut)
	}
	var b struct {
		Verified bool `json:"verified"`
		Balance  struct {
			Amount string `json:"amount"`
		} `json:"balance"`
	}
	if err := json.Unmarshal([]byte(out), &b); err != nil || !b.Verified || b.Balance.Amount != want {
		t.Fatalf("%s: %v %s (want %s verified)", what, err, out, want)
	}
	t.Logf("%s: %s", what, faultNote(errOut))
}

func faultNote(stderr string) string {
	for _, l := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(l, "note: primary") {
			return l
		}
	}
	return ""
}

// Fault 2: every endpoint is down. Each command that needs the network
// ends with exit 5 and a JSON error with a hint; the light store is left
// byte for byte as it was and works again once the nodes are back.
func faultAllDown(t *testing.T, e *faultEnv, carol string) {
	ps := []*rpcproxy.Proxy{faultProxy(t, e.rpc[0]), faultProxy(t, e.rpc[1]), faultProxy(t, e.rpc[2])}
	base := e.home(t, "--node", ps[0].URL(), "--witness", ps[1].URL(), "--witness", ps[2].URL())
	before := e.light(t, base)
	trust0, err := os.ReadFile(filepath.Join(before.Store, "trust.json"))
	if err != nil {
		t.Fatal(err)
	}
	seq := e.sequence(t, "alice")
	for _, p := range ps {
		if err := p.Down(); err != nil {
			t.Fatal(err)
		}
	}
	for _, cmd := range [][]string{
		{"query", "balance", carol},
		{"query", "account", "alice"},
		{"light", "update"},
		{"tx", "send", "alice", carol, "1uakt", "-y"},
		{"status"},
	} {
		code, out, errOut := e.run(t, faultBound, nil, with(base, append(cmd, "-o", "json")...)...)
		if code != 5 || out != "" {
			t.Fatalf("%s with every node down: exit %d\nstdout: %s\nstderr: %s", strings.Join(cmd, " "), code, out, errOut)
		}
		jc, msg, hint := faultJSONError(t, errOut)
		if jc != 5 || msg == "" || hint == "" {
			t.Fatalf("%s: JSON error %d %q %q", strings.Join(cmd, " "), jc, msg, hint)
		}
		t.Logf("%s: exit 5: %s (hint: %s)", strings.Join(cmd, " "), msg, hint)
	}
	after := e.light(t, base)
	trust1, err := os.ReadFile(filepath.Join(before.Store, "trust.json"))
	if err != nil {
		t.Fatal(err)
	}
	if after != before || string(trust1) != string(trust0) {
		t.Fatalf("the store changed while every node was down: %+v -> %+v", before, after)
	}
	if got := e.sequence(t, "alice"); got != seq {
		t.Fatalf("sequence %d -> %d with every node down", seq, got)
	}
	// Back up: the same store verifies new headers and answers.
	for _, p := range ps {
		if err := p.Up(); err != nil {
			t.Fatal(err)
		}
	}
	e.must(t, with(base, "light", "update")...)
	if l := e.light(t, base); l.TrustedHeight < before.TrustedHeight {
		t.Fatalf("trusted height went back: %d -> %d", before.TrustedHeight, l.TrustedHeight)
	}
	e.must(t, with(base, "query", "balance", carol)...)
}

// Fault 3: a node that accepts TCP and never answers. The flags bound the
// wait (--timeout), the defaults bound it too (per-request timeout, then
// a witness takes over), and Ctrl-C ends a command stuck on it at once.
func faultStalled(t *testing.T, e *faultEnv, carol string) {
	s1, s2 := newFaultStall(t), newFaultStall(t)
	// Stalled primaries of their own, to count the requests each gets.
	sq, su := newFaultStall(t), newFaultStall(t)
	// A home per process: they run side by side, and one store is held
	// by one process at a time.
	stalled := func() []string { return with(e.home(t), "--node", s1.URL(), "--witness", s2.URL()) }
	primaryStalled := with(e.home(t), "--node", s1.URL(), "--witness", e.rpc[1], "--witness", e.rpc[2])
	seq := e.sequence(t, "alice")

	// Run the slow cases side by side: they are waits, not work.
	type job struct {
		name  string
		args  []string
		want  int
		bound time.Duration
		stall *faultStall // the stalled primary, when the others are healthy
		p     *faultProc
	}
	jobs := []*job{
		{name: "query --timeout 3s, every node stalled", args: with(stalled(), "query", "balance", carol, "--timeout", "3s", "-o", "json"), want: 5, bound: 45 * time.Second},
		{name: "tx send --timeout 3s, every node stalled", args: with(stalled(), "tx", "send", "alice", carol, "1uakt", "-y", "--timeout", "3s", "-o", "json"), want: 5, bound: 45 * time.Second},
		{name: "status --timeout 2s, node stalled", args: with(stalled(), "status", "--timeout", "2s", "-o", "json"), want: 5, bound: 45 * time.Second},
		{name: "light update, defaults, every node stalled", args: with(stalled(), "light", "update", "-o", "json"), want: 5, bound: 150 * time.Second},
		// At the defaults (10 s per request, 30 s per query): a stalled
		// primary is asked once, then failed fast for the rest of the
		// command, so the witness takes over after one timeout.
		{name: "query, defaults, primary stalled", args: with(e.home(t), "--node", sq.URL(), "--witness", e.rpc[1], "--witness", e.rpc[2], "query", "balance", carol, "--denom", "uakt", "-o", "json"), want: 0, bound: 100 * time.Second, stall: sq},
		{name: "light update, defaults, primary stalled", args: with(e.home(t), "--node", su.URL(), "--witness", e.rpc[1], "--witness", e.rpc[2], "light", "update", "-o", "json"), want: 0, bound: 100 * time.Second, stall: su},
	}
	for _, j := range jobs {
		j.p = e.start(t, j.args...)
	}

	// Cancellable: Ctrl-C (and SIGTERM) while waiting on the stalled node
	// ends the command with exit 130 within seconds. Each has a stalled
	// primary of its own (the jobs above keep s1 and s2 busy), and the
	// signal goes once that primary has the request in full: akw then
	// waits for the answer, the state to interrupt, and its handler has
	// been in place since before its first request.
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		own := newFaultStall(t)
		p := e.start(t, with(e.home(t), "--node", own.URL(), "--witness", s2.URL(), "query", "balance", carol, "-o", "json")...)
		own.waitRequests(t, p, 1, faultBound)
		p.signal(t, sig)
		if code := p.wait(t, 30*time.Second); code != 130 {
			t.Fatalf("%v while stalled: exit %d\nstderr: %s", sig, code, p.err.String())
		}
		if jc, msg, _ := faultJSONError(t, p.err.String()); jc != 130 {
			t.Fatalf("%v: JSON error code %d: %s", sig, jc, msg)
		}
		t.Logf("%v while waiting on a stalled node: exit 130", sig)
	}

	for _, j := range jobs {
		code := j.p.wait(t, j.bound)
		t.Logf("%s: exit %d after %s", j.name, code, j.p.ended.Sub(j.p.started).Round(100*time.Millisecond))
		out, errOut := j.p.out.String(), j.p.err.String()
		if code != j.want {
			t.Fatalf("%s: exit %d, want %d\nstdout: %s\nstderr: %s", j.name, code, j.want, out, errOut)
		}
		if j.want == 5 {
			if jc, msg, hint := faultJSONError(t, errOut); jc != 5 || hint == "" {
				t.Fatalf("%s: JSON error %d %q %q", j.name, jc, msg, hint)
			} else {
				t.Logf("%s: exit 5: %s", j.name, msg)
			}
		} else {
			if strings.HasPrefix(j.name, "query") {
				faultCheckFailover(t, j.name, code, out, errOut, j.stall.URL(), e.balance(t, carol))
			} else if !strings.Contains(errOut, "note: primary "+j.stall.URL()+" failed") {
				t.Fatalf("%s: the failover was not reported:\n%s", j.name, errOut)
			}
			// One request (the query's /status probe, or the light
			// client's /commit) timed out; nothing asked it again, not
			// the fork detector that keeps it as a witness.
			if n := j.stall.settledRequests(t); n != 1 {
				t.Fatalf("%s: the stalled primary was asked %d times, want 1", j.name, n)
			}
		}
	}
	if got := e.sequence(t, "alice"); got != seq {
		t.Fatalf("sequence %d -> %d: something was sent to a stalled node", seq, got)
	}
	// The store is intact.
	e.must(t, with(primaryStalled, "--node", e.rpc[0], "query", "balance", carol)...)
}

// Fault 4a: Ctrl-C / SIGTERM during light-client sync. The interrupted
// command exits 130; the store reopens, its trusted height never went
// back, and the next update and query work.
func faultInterruptSync(t *testing.T, e *faultEnv) {
	p0, p1 := faultProxy(t, e.rpc[0]), faultProxy(t, e.rpc[1])
	base := e.home(t, "--node", p0.URL(), "--witness", p1.URL())
	ctx := testctx.New(t)

	for _, c := range []struct {
		sig    syscall.Signal
		proxy  *rpcproxy.Proxy
		method string
		where  string
	}{
		// The primary's header is verified; the witness's cross-check is
		// in flight.
		{syscall.SIGINT, p1, "commit", "during the witness cross-check"},
		// The primary's validator set is being fetched.
		{syscall.SIGTERM, p0, "validators", "while fetching the primary's validators"},
	} {
		before := e.light(t, base)
		if err := e.n.WaitForHeight(ctx, before.TrustedHeight+2); err != nil {
			t.Fatal(err)
		}
		entered := make(chan struct{}, 1)
		release := make(chan struct{})
		c.proxy.Handle(c.method, func(rpcproxy.Call, *rpcproxy.Response) {
			select {
			case entered <- struct{}{}:
			default:
			}
			<-release
		})
		p := e.start(t, with(base, "light", "update", "-o", "json")...)
		select {
		case <-entered:
		case <-p.done:
			t.Fatalf("light update ended before %s: exit %d: %s", c.where, p.code, p.err.String())
		case <-ctx.Done():
			t.Fatalf("light update never reached %s", c.where)
		}
		p.signal(t, c.sig)
		code := p.wait(t, 30*time.Second)
		close(release)
		c.proxy.Handle(c.method, nil)
		if code != 130 {
			t.Fatalf("%v %s: exit %d\nstdout: %s\nstderr: %s", c.sig, c.where, code, p.out.String(), p.err.String())
		}
		after := e.light(t, base)
		if after.TrustedHeight < before.TrustedHeight {
			t.Fatalf("%v %s: trusted height went back %d -> %d", c.sig, c.where, before.TrustedHeight, after.TrustedHeight)
		}
		t.Logf("%v %s: exit 130; store reopens at height %d (was %d)", c.sig, c.where, after.TrustedHeight, before.TrustedHeight)
		// The next run picks up where it stopped.
		out := e.must(t, with(base, "light", "update", "-o", "json")...)
		var u lightUpdateResult
		if err := json.Unmarshal([]byte(out), &u); err != nil || !u.Verified || u.Height < after.TrustedHeight {
			t.Fatalf("update after the interrupt: %v %s", err, out)
		}
	}
	e.must(t, with(base, "query", "account", "alice")...)

	// Interrupted (and killed) during `light init`, while the witness
	// checks the candidate header: no store, or one that works; never a
	// half-written one that the next init must be told to reset.
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGKILL} {
		home := devnettest.NewHomeFor(t, e.n)
		ibase := []string{"--home", home, "--node", p0.URL(), "--witness", p1.URL()}
		entered := make(chan struct{}, 1)
		release := make(chan struct{})
		p1.Handle("commit", func(rpcproxy.Call, *rpcproxy.Response) {
			select {
			case entered <- struct{}{}:
			default:
			}
			<-release
		})
		p := e.start(t, with(ibase, "light", "init", "--trust-latest", "-y")...)
		select {
		case <-entered:
		case <-p.done:
			t.Fatalf("light init ended before the witness check: exit %d: %s", p.code, p.err.String())
		case <-ctx.Done():
			t.Fatal("light init never asked the witness")
		}
		p.signal(t, sig)
		code := p.wait(t, 30*time.Second)
		close(release)
		p1.Handle("commit", nil)
		if sig == syscall.SIGINT && code != 130 {
			t.Fatalf("SIGINT during light init: exit %d: %s", code, p.err.String())
		}
		code, out, errOut := e.run(t, faultBound, nil, with(ibase, "light", "init", "--trust-latest", "-y")...)
		if code != 0 {
			t.Fatalf("light init after %v during light init: exit %d\nstdout: %s\nstderr: %s", sig, code, out, errOut)
		}
		e.light(t, ibase)
		t.Logf("%v during light init: the next init works", sig)
	}
}

// Fault 4b: Ctrl-C / SIGTERM while akw waits for a broadcast to be
// included. The interrupted command exits 130 and names the hash; the
// next run finds the transaction by that hash (`akw tx status`, or the
// same `akw tx broadcast FILE` again) and nothing is signed or broadcast
// a second time.
func faultInterruptWait(t *testing.T, e *faultEnv, carol string) {
	p0 := faultProxy(t, e.rpc[0])
	base := e.home(t, "--node", p0.URL(), "--witness", e.rpc[1], "--witness", e.rpc[2])

	// tx send, SIGINT during the wait.
	seq, bal := e.sequence(t, "alice"), e.balance(t, carol)
	p0.ResetCounts()
	p0.Handle("tx", faultNotFound) // the wait cannot see the inclusion
	p := e.start(t, with(base, "tx", "send", "alice", carol, "11uakt", "-y", "-o", "json")...)
	p.waitStderr(t, "sent transaction ", faultBound)
	hash := faultSentRE.FindStringSubmatch(p.err.String())[1]
	p.signal(t, syscall.SIGINT)
	code := p.wait(t, 30*time.Second)
	p0.Handle("tx", nil)
	errOut := p.err.String()
	// stdout carries the one JSON document: the hash, status unknown.
	var unknown struct {
		TxHash string `json:"txhash"`
		Status string `json:"status"`
	}
	if code != 130 || json.Unmarshal([]byte(p.out.String()), &unknown) != nil || unknown.TxHash != hash || unknown.Status != "unknown" {
		t.Fatalf("SIGINT during the wait: exit %d\nstdout: %s\nstderr: %s", code, p.out.String(), errOut)
	}
	jc, _, hint := faultJSONError(t, errOut)
	if jc != 130 || !strings.Contains(hint, "akw tx status "+hash) {
		t.Fatalf("the interrupted command does not say how to find %s: %d %q", hash, jc, hint)
	}
	r := e.waitIncluded(t, base, hash, 60*time.Second)
	if got := p0.Count("broadcast_tx_sync"); got != 1 {
		t.Fatalf("%d broadcasts", got)
	}
	if got := e.sequence(t, "alice"); got != seq+1 {
		t.Fatalf("sequence %d -> %d", seq, got)
	}
	faultCheckDelta(t, bal, e.balance(t, carol), 11)
	t.Logf("SIGINT during the wait: exit 130, hint %q; tx status found it at height %d", hint, r.Height)

	// tx broadcast FILE, SIGTERM during the wait, then the same command
	// again: found by hash, not sent again.
	dir := t.TempDir()
	unsigned, signed := filepath.Join(dir, "unsigned.json"), filepath.Join(dir, "signed.json")
	e.must(t, with(base, "tx", "send", "alice", carol, "12uakt", "--generate-only", "--out", unsigned)...)
	e.must(t, with(base, "tx", "sign", unsigned, "--from", "alice", "--out", signed)...)
	seq, bal = e.sequence(t, "alice"), e.balance(t, carol)
	p0.ResetCounts()
	p0.Handle("tx", faultNotFound)
	p = e.start(t, with(base, "tx", "broadcast", signed, "-y", "-o", "json")...)
	p.waitStderr(t, "sent transaction ", faultBound)
	hash = faultSentRE.FindStringSubmatch(p.err.String())[1]
	p.signal(t, syscall.SIGTERM)
	code = p.wait(t, 30*time.Second)
	p0.Handle("tx", nil)
	if code != 130 || !strings.Contains(p.err.String(), hash) {
		t.Fatalf("SIGTERM during the wait: exit %d\nstderr: %s", code, p.err.String())
	}
	e.waitIncluded(t, base, hash, 60*time.Second)
	out := e.must(t, with(base, "tx", "broadcast", signed, "-y", "-o", "json")...)
	var again faultTxJSON
	if err := json.Unmarshal([]byte(out), &again); err != nil || !strings.EqualFold(again.TxHash, hash) || !again.Verified {
		t.Fatalf("broadcast again: %v %s", err, out)
	}
	if got := p0.Count("broadcast_tx_sync"); got != 1 {
		t.Fatalf("%d broadcasts of one signed file", got)
	}
	if got := e.sequence(t, "alice"); got != seq+1 {
		t.Fatalf("sequence %d -> %d", seq, got)
	}
	faultCheckDelta(t, bal, e.balance(t, carol), 12)
}

func faultCheckDelta(t *testing.T, before, after string, want int64) {
	t.Helper()
	var b, a int64
	fmt.Sscan(before, &b)
	fmt.Sscan(after, &a)
	if a-b != want {
		t.Fatalf("balance moved by %d (%s -> %s), want %d", a-b, before, after, want)
	}
}

// Fault 5: the node takes the broadcast but the connection drops before
// it answers. akw looks the transaction up by its hash and finds it; it
// is on chain once (sequence +1, balance moved once) and was sent once.
// The same with the answer held until Ctrl-C: the interrupted command
// still names the hash, and that hash finds the transaction.
func faultDropped(t *testing.T, e *faultEnv, carol string) {
	dp := newFaultDropProxy(t, e.rpc[0])
	base := e.home(t, "--node", dp.URL(), "--witness", e.rpc[1], "--witness", e.rpc[2])

	seq, bal := e.sequence(t, "alice"), e.balance(t, carol)
	dp.setMode(faultDrop)
	code, out, errOut := e.run(t, faultBound, nil, with(base, "tx", "send", "alice", carol, "13uakt", "-y", "-o", "json")...)
	if code != 0 {
		t.Fatalf("dropped broadcast answer: exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
	var r faultTxJSON
	if err := json.Unmarshal([]byte(out), &r); err != nil || !r.Verified || r.Code != 0 {
		t.Fatalf("%v %s", err, out)
	}
	if !strings.Contains(errOut, "looking the transaction up by its hash") {
		t.Fatalf("no word of the lookup by hash:\n%s", errOut)
	}
	if got := dp.broadcasts.Load(); got != 1 {
		t.Fatalf("%d broadcasts", got)
	}
	if got := e.sequence(t, "alice"); got != seq+1 {
		t.Fatalf("sequence %d -> %d", seq, got)
	}
	faultCheckDelta(t, bal, e.balance(t, carol), 13)
	if s := e.waitIncluded(t, e.check, r.TxHash, 30*time.Second); s.Height != r.Height {
		t.Fatalf("tx status says height %d, the send said %d", s.Height, r.Height)
	}
	t.Logf("connection dropped after the node took tx %s: found by hash at height %d, sent once", r.TxHash, r.Height)

	// The answer never comes and the user presses Ctrl-C: exit 130 with
	// the hash, so that the next run can find the transaction.
	seq, bal = e.sequence(t, "alice"), e.balance(t, carol)
	dp.broadcasts.Store(0)
	dp.setMode(faultHold)
	p := e.start(t, with(base, "tx", "send", "alice", carol, "14uakt", "-y", "-o", "json")...)
	var sent []byte
	select {
	case sent = <-dp.heldTx:
	case <-p.done:
		t.Fatalf("tx send ended before its broadcast: exit %d: %s", p.code, p.err.String())
	case <-time.After(faultBound):
		t.Fatal("no broadcast")
	}
	hash := fmt.Sprintf("%X", sha256.Sum256(sent))
	p.signal(t, syscall.SIGINT)
	code = p.wait(t, 30*time.Second)
	dp.releaseHeld()
	dp.setMode(faultPass)
	if code != 130 {
		t.Fatalf("SIGINT during the broadcast call: exit %d\nstderr: %s", code, p.err.String())
	}
	if !strings.Contains(p.err.String(), "akw tx status "+hash) {
		t.Fatalf("SIGINT during the broadcast call: the hash %s the node took is not named:\n%s", hash, p.err.String())
	}
	e.waitIncluded(t, base, hash, 60*time.Second)
	if got := dp.broadcasts.Load(); got != 1 {
		t.Fatalf("%d broadcasts", got)
	}
	if got := e.sequence(t, "alice"); got != seq+1 {
		t.Fatalf("sequence %d -> %d", seq, got)
	}
	faultCheckDelta(t, bal, e.balance(t, carol), 14)
}

// Fault 6: a corrupted or truncated light store. Every command that needs
// it refuses (exit 1, the documented code for a local failure), with a
// hint naming `akw light reset`; init does not write over it; the trust
// root file stays as it was and every later command refuses again
// (nothing re-trusted behind the user's back); reset and init make a
// working store again.
func faultCorruptStore(t *testing.T, e *faultEnv, carol string) {
	for _, d := range []struct {
		name   string
		damage func(t *testing.T, dir string)
	}{
		{"trust.json truncated", func(t *testing.T, dir string) { faultTruncate(t, filepath.Join(dir, "trust.json")) }},
		{"trust.json garbled", func(t *testing.T, dir string) {
			if err := os.WriteFile(filepath.Join(dir, "trust.json"), []byte("\x00\xffnot json"), 0o600); err != nil {
				t.Fatal(err)
			}
		}},
		{"trust.json removed", func(t *testing.T, dir string) {
			if err := os.Remove(filepath.Join(dir, "trust.json")); err != nil {
				t.Fatal(err)
			}
		}},
		{"headers.db truncated", func(t *testing.T, dir string) {
			n := 0
			_ = filepath.Walk(filepath.Join(dir, "headers.db"), func(p string, fi os.FileInfo, err error) error {
				if err == nil && !fi.IsDir() && (strings.HasSuffix(p, ".ldb") || strings.HasSuffix(p, ".log") || strings.HasPrefix(fi.Name(), "MANIFEST")) && fi.Size() > 0 {
					faultTruncate(t, p)
					n++
				}
				return nil
			})
			if n == 0 {
				t.Fatal("no database file to truncate")
			}
		}},
		{"headers.db removed", func(t *testing.T, dir string) {
			if err := os.RemoveAll(filepath.Join(dir, "headers.db")); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(strings.ReplaceAll(d.name, " ", "_"), func(t *testing.T) {
			base := e.home(t)
			dir := e.light(t, base).Store
			d.damage(t, dir)
			trust := func() string {
				bz, err := os.ReadFile(filepath.Join(dir, "trust.json"))
				if err != nil {
					return "(" + err.Error() + ")"
				}
				return string(bz)
			}
			snap := trust()
			for _, cmd := range [][]string{
				{"query", "balance", carol},
				{"light", "update"},
				{"light", "status"},
				{"tx", "send", "alice", carol, "1uakt", "-y"},
				{"light", "init", "--trust-latest", "-y"},
			} {
				code, out, errOut := e.run(t, faultBound, nil, with(base, append(cmd, "-o", "json")...)...)
				jc, msg, hint := faultJSONError(t, errOut)
				if code != 1 || jc != 1 || out != "" {
					t.Fatalf("%s on a damaged store: exit %d\nstdout: %s\nstderr: %s", strings.Join(cmd, " "), code, out, errOut)
				}
				if !strings.Contains(hint, "akw light reset") && !strings.Contains(hint, "--force") {
					t.Fatalf("%s: no hint to reset: %q (%s)", strings.Join(cmd, " "), hint, msg)
				}
				if trust() != snap {
					t.Fatalf("%s rewrote the damaged trust root", strings.Join(cmd, " "))
				}
				t.Logf("%s: exit 1: %s (hint: %s)", strings.Join(cmd, " "), msg, hint)
			}
			e.must(t, with(base, "light", "reset", "-y")...)
			e.must(t, with(base, "light", "init", "--trust-latest", "-y")...)
			e.must(t, with(base, "query", "balance", carol)...)
		})
	}
}

func faultTruncate(t *testing.T, p string) {
	t.Helper()
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(p, fi.Size()/2); err != nil {
		t.Fatal(err)
	}
}

// faultSnapshot is the names, sizes and contents' hash of the files under
// dir.
func faultSnapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if fi.IsDir() {
			return nil
		}
		bz, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s %d %x\n", strings.TrimPrefix(p, dir), fi.Size(), sha256.Sum256(bz))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// Fault 8 (time-out half): the keyring does not answer (here `pass`,
// whose gpg waits on a pinentry nobody sees). tx send gives up after
// --keyring-timeout with exit 6 naming the backend; nothing is signed or
// broadcast and the password store is untouched.
func faultKeyringTimeout(t *testing.T, e *faultEnv, carol string) {
	p0 := faultProxy(t, e.rpc[0])
	base := e.home(t, "--node", p0.URL(), "--witness", e.rpc[1])
	store, bin := t.TempDir(), t.TempDir()
	if err := os.MkdirAll(filepath.Join(store, "keyring-akw"), 0o700); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{
		filepath.Join(store, ".gpg-id"):                       "ABCDEF0123456789\n",
		filepath.Join(store, "keyring-akw", "alice.info.gpg"): "",
		filepath.Join(bin, "pass"):                            "#!/bin/sh\n# a pass whose gpg never answers\nexec sleep 10\n",
	} {
		if err := os.WriteFile(name, []byte(body), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	snap := faultSnapshot(t, store)
	seq := e.sequence(t, "alice")
	p0.ResetCounts()
	env := []string{"PASSWORD_STORE_DIR=" + store, "PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH")}
	code, out, errOut := e.run(t, faultBound, env, with(base, "tx", "send", "alice", carol, "1uakt", "-y",
		"--keyring-backend", "pass", "--keyring-timeout", "2s", "-o", "json")...)
	if code != 6 || out != "" {
		t.Fatalf("keyring timing out: exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
	jc, msg, hint := faultJSONError(t, errOut)
	if jc != 6 || !strings.Contains(msg, "keyring backend pass") || !strings.Contains(msg, "2s") {
		t.Fatalf("JSON error %d %q", jc, msg)
	}
	if got := p0.Count("broadcast_tx_sync"); got != 0 {
		t.Fatalf("%d broadcasts with no key", got)
	}
	if got := e.sequence(t, "alice"); got != seq {
		t.Fatalf("sequence %d -> %d", seq, got)
	}
	if faultSnapshot(t, store) != snap {
		t.Fatal("the password store changed")
	}
	t.Logf("keyring timeout: exit 6: %s (hint: %s)", msg, hint)
}

// Fault 8 (locked half): the key is in the OS keyring (gnome-keyring on a
// private D-Bus, as .ci/with-keyrings.sh starts it) and its collection is
// locked, with no one to answer the unlock prompt. tx send ends with exit
// 6 naming the secret service; nothing is broadcast. Skipped where no
// secret service runs.
func faultKeyringLocked(t *testing.T, e *faultEnv, carol string) {
	if !sstest.Available() {
		t.Skip("no secret service (run under .ci/with-keyrings.sh)")
	}
	alice, err := e.n.Account("alice")
	if err != nil {
		t.Fatal(err)
	}
	app := fmt.Sprintf("akwfault%d", time.Now().UnixNano())
	if err := sstest.EnsureCollection(app, "collection-pass"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sstest.DeleteCollection(app) })
	kr, err := keys.Open(keys.Config{Backend: keys.BackendOS, AppName: app, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kr.Recover("alice", alice.Mnemonic, keys.HDOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := sstest.LockCollection(app); err != nil {
		t.Fatal(err)
	}
	p0 := faultProxy(t, e.rpc[0])
	base := e.home(t, "--node", p0.URL(), "--witness", e.rpc[1])
	seq := e.sequence(t, "alice")
	p0.ResetCounts()
	code, out, errOut := e.run(t, faultBound, nil, with(base, "tx", "send", "alice", carol, "1uakt", "-y",
		"--keyring-backend", "os", "--keyring-app", app, "--keyring-timeout", "3s", "-o", "json")...)
	if code != 6 || out != "" {
		t.Fatalf("locked keyring: exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
	jc, msg, hint := faultJSONError(t, errOut)
	if jc != 6 || !strings.Contains(msg, "secret-service") {
		t.Fatalf("JSON error %d %q %q: the backend is not named", jc, msg, hint)
	}
	if got := p0.Count("broadcast_tx_sync"); got != 0 {
		t.Fatalf("%d broadcasts", got)
	}
	if got := e.sequence(t, "alice"); got != seq {
		t.Fatalf("sequence %d -> %d", seq, got)
	}
	t.Logf("locked secret-service collection: exit 6: %s (hint: %s)", msg, hint)
}
