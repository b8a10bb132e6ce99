package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/akash-wallet/akw/internal/rpcproxy"
	"github.com/akash-wallet/akw/internal/testctx"
)

// faultGate makes method of proxy wait, once it is asked, until the
// returned release is called; entered receives when the first call
// arrives. Every call after the first waits for the same release.
func faultGate(proxy *rpcproxy.Proxy, method string) (entered <-chan struct{}, release func()) {
	in, gate := make(chan struct{}, 1), make(chan struct{})
	proxy.Handle(method, func(rpcproxy.Call, *rpcproxy.Response) {
		select {
		case in <- struct{}{}:
		default:
		}
		<-gate
	})
	var once bool
	return in, func() {
		if !once {
			once = true
			close(gate)
		}
	}
}

// faultEntered waits until entered receives, failing if p ends first.
func faultEntered(t *testing.T, p *faultProc, entered <-chan struct{}, where string) {
	t.Helper()
	ctx := testctx.New(t)
	select {
	case <-entered:
	case <-p.done:
		t.Fatalf("akw %s ended before %s: exit %d\nstderr: %s", strings.Join(p.args, " "), where, p.code, p.err.String())
	case <-ctx.Done():
		t.Fatalf("akw %s never reached %s", strings.Join(p.args, " "), where)
	}
}

// Fault: another akw holds the light-client store. A second akw says at
// once whom it waits for and for how long — never a silent hang — and,
// the holder still busy after that bound, ends with an error that says
// it gave up and what to do (exit 1), stdout left clean. A transaction
// holds the store only while it is checked: a query runs meanwhile while
// it waits for its block, and its inclusion is still proven.
func faultBusyStore(t *testing.T, e *faultEnv, carol string) {
	p0 := faultProxy(t, e.rpc[0])
	base := e.home(t, "--node", p0.URL(), "--witness", e.rpc[1])
	ctx := testctx.New(t)

	// The holder: `light update` stopped while it fetches the primary's
	// validators, with the store open. It reaches the primary through a
	// proxy of its own: the queries below ask their primary for headers
	// while they wait for the store, and a gate they shared would hold
	// them too (on a busy machine, past their 10 s request timeout).
	before := e.light(t, base)
	if err := e.n.WaitForHeight(ctx, before.TrustedHeight+2); err != nil {
		t.Fatal(err)
	}
	ph := faultProxy(t, e.rpc[0])
	// The gate holds the holder's request for as long as both queries
	// take; on a busy machine that was more than the default 10 s per
	// request, and the holder gave up on its primary, and the store.
	e.must(t, with(base, "config", "set", "networks.devnet.request-timeout", "10m")...)
	entered, release := faultGate(ph, "validators")
	holder := e.start(t, with(base, "--node", ph.URL(), "light", "update", "-o", "json")...)
	defer release()
	faultEntered(t, holder, entered, "fetching the validators")

	wait := fmt.Sprintf("note: waiting for another akw process using the light-client store %s (pid %d, `akw light update`) (up to 3s)…",
		before.Store, holder.cmd.Process.Pid)
	for _, mode := range []string{"text", "json"} {
		q := e.start(t, with(base, "query", "balance", carol, "--denom", "uakt", "-o", mode)...)
		// The notice comes first, while the query waits...
		q.waitStderr(t, wait, faultBound)
		// ...and the holder never lets go: the query gives up.
		code := q.wait(t, faultBound)
		out, errOut := q.out.String(), q.err.String()
		if code != 1 || out != "" || strings.Count(errOut, "waiting for another akw process") != 1 {
			t.Fatalf("query (%s) while the store is held: exit %d\nstdout: %s\nstderr: %s", mode, code, out, errOut)
		}
		msg, hint := errOut, errOut
		if mode == "json" {
			var c int
			c, msg, hint = faultJSONError(t, errOut)
			if c != 1 {
				t.Fatalf("JSON error code %d: %s", c, errOut)
			}
		}
		if !strings.Contains(msg, fmt.Sprintf("in use by another akw process (pid %d, `akw light update`); gave up waiting after 3s", holder.cmd.Process.Pid)) ||
			!strings.Contains(hint, "retry once the other akw using this --home is done") {
			t.Fatalf("query (%s): the error does not say whom it waited for and what to do:\n%s", mode, errOut)
		}
		t.Logf("%s mode: %s", mode, errOut)
	}
	release()
	if code := holder.wait(t, faultBound); code != 0 {
		t.Fatalf("light update after the wait: exit %d\nstderr: %s", code, holder.err.String())
	}

	// A transaction waiting for its block: stopped on its first lookup
	// by hash, after the broadcast. The store is free meanwhile.
	seq := e.sequence(t, "alice")
	entered, release = faultGate(p0, "tx")
	defer release()
	send := e.start(t, with(base, "tx", "send", "alice", carol, "3uakt", "-y", "-o", "json")...)
	faultEntered(t, send, entered, "the wait for its block")
	q := e.start(t, with(base, "query", "balance", carol, "--denom", "uakt", "-o", "json")...)
	if code := q.wait(t, faultBound); code != 0 || strings.Contains(q.err.String(), "waiting for another akw") {
		t.Fatalf("query while a transaction waits for its block: exit %d\nstdout: %s\nstderr: %s", code, q.out.String(), q.err.String())
	}
	release()
	if code := send.wait(t, faultBound); code != 0 {
		t.Fatalf("tx send: exit %d\nstdout: %s\nstderr: %s", code, send.out.String(), send.err.String())
	}
	var r faultTxJSON
	if err := json.Unmarshal([]byte(send.out.String()), &r); err != nil || !r.Verified || r.Code != 0 || r.Height <= 0 {
		t.Fatalf("tx send: inclusion not proven: %v %s", err, send.out.String())
	}
	p0.Handle("tx", nil)
	// Settled before the next subtest reads the account: the newest
	// state is past the block that included it, and it moved once.
	if err := e.n.WaitForHeight(ctx, r.Height+2); err != nil {
		t.Fatal(err)
	}
	if got := e.sequence(t, "alice"); got != seq+1 {
		t.Fatalf("sequence %d -> %d", seq, got)
	}
}
