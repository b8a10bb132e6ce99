package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/akash-wallet/akw/internal/devnet/devnettest"
	"github.com/akash-wallet/akw/internal/rpcproxy"
	"github.com/akash-wallet/akw/internal/testctx"
)

func lightRun(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &IOStreams{In: strings.NewReader(""), Out: &out, Err: &errb})
	return code, out.String(), errb.String()
}

// TestLightDevnet drives `akw light` end to end against a real devnet (two
// validators: the home's config makes validator0 the primary and
// validator1 the witness), comparing what akw verified with what the nodes
// say, and kills the primary mid-session through a proxy.
func TestLightDevnet(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a devnet")
	}
	n := devnettest.Start(t)
	home := devnettest.NewHomeFor(t, n)
	ctx := testctx.New(t)
	nodeHash := func(h int64) string {
		res, err := n.Client(1).Commit(ctx, &h)
		if err != nil {
			t.Fatal(err)
		}
		return res.Header.Hash().String()
	}
	akw := func(want int, args ...string) (string, string) {
		t.Helper()
		code, out, errOut := lightRun(t, append([]string{"--home", home}, args...)...)
		if code != want {
			t.Fatalf("akw %s: exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, want, out, errOut)
		}
		return out, errOut
	}

	// Not interactive, no -y: exit 2, nothing stored.
	_, errOut := akw(2, "light", "init", "--trust-latest")
	if !strings.Contains(errOut, "-y") {
		t.Fatalf("stderr %q", errOut)
	}

	out, errOut := akw(0, "-y", "-o", "json", "light", "init", "--trust-latest")
	var init lightInitResult
	if err := json.Unmarshal([]byte(out), &init); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if init.Hash != nodeHash(init.Height) || len(init.Agreed) != 1 || init.Source != "latest" {
		t.Fatalf("init %+v", init)
	}
	if !strings.Contains(errOut, init.Hash) {
		t.Fatalf("the hash was not shown for confirmation: %s", errOut)
	}

	out, _ = akw(0, "-o", "json", "light", "status")
	var st struct {
		TrustedHeight int64 `json:"trusted_height"`
		Endpoints     []struct {
			Role      string `json:"role"`
			Reachable bool   `json:"reachable"`
		} `json:"endpoints"`
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatal(err)
	}
	if st.TrustedHeight != init.Height || len(st.Endpoints) != 2 || !st.Endpoints[0].Reachable || !st.Endpoints[1].Reachable {
		t.Fatalf("status %s", out)
	}

	if err := n.WaitForHeight(ctx, init.Height+2); err != nil {
		t.Fatal(err)
	}
	out, _ = akw(0, "-o", "json", "light", "update")
	var up lightUpdateResult
	if err := json.Unmarshal([]byte(out), &up); err != nil {
		t.Fatal(err)
	}
	if !up.Advanced || !up.Verified || up.Previous != init.Height || up.Hash != nodeHash(up.Height) {
		t.Fatalf("update %+v", up)
	}

	// A given height and hash, after a reset.
	akw(0, "-y", "light", "reset")
	out, _ = akw(0, "-y", "light", "init", "--trust-height", "2", "--trust-hash", nodeHash(2))
	if !strings.HasPrefix(out, "trusted header 2 ") {
		t.Fatalf("init given: %s", out)
	}
	akw(3, "-y", "light", "init", "--force", "--trust-height", "3", "--trust-hash", nodeHash(2))

	// The primary dies mid-session: the witness takes over and akw says
	// so; with two validators no witness is left to cross-check it, so
	// nothing new is trusted and the exit code is the network's (5).
	p, err := rpcproxy.New(n.RPC()[0])
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if err := p.Down(); err != nil {
		t.Fatal(err)
	}
	if _, err := n.WaitForNextBlock(ctx); err != nil {
		t.Fatal(err)
	}
	_, errOut = akw(5, "--node", p.URL(), "--witness", n.RPC()[1], "light", "update")
	if !strings.Contains(errOut, "note: primary "+p.URL()+" failed (unreachable") || !strings.Contains(errOut, "no witness could confirm") {
		t.Fatalf("stderr: %s", errOut)
	}
	out, _ = akw(0, "-o", "json", "light", "status", "--no-probe")
	if !strings.Contains(out, `"trusted_height": 2`) {
		t.Fatalf("status after failed update: %s", out)
	}
}
