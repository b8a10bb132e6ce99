package proxy_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	ctypes "github.com/cometbft/cometbft/rpc/core/types"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/testctx"
)

// TestCosmJS runs cosmjs (@cosmjs/stargate and @cosmjs/proto-signing, from
// the npm registry, pinned by testdata/cosmjs/package-lock.json) against
// the proxy: the reads a wallet makes (and its authz and feegrant query
// extensions) answer as the node's, a
// SigningStargateClient sends and delegates through it, and behind a
// lying node every read throws. The script is testdata/cosmjs/script.mjs;
// it needs Node (18 or newer) and `npm ci` in testdata/cosmjs.
func TestCosmJS(t *testing.T) {
	nodeBin, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: the cosmjs test needs Node 18 or newer (.ci/run installs it)")
	}
	dir, err := filepath.Abs("testdata/cosmjs")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@cosmjs", "stargate")); err != nil {
		t.Skip("cosmjs is not installed: run `npm ci` in proxy/testdata/cosmjs (.ci/run does)")
	}
	c := chainState(t)
	n := devnettestGet(t)
	carol, err := n.Account("carol")
	if err != nil {
		t.Fatal(err)
	}
	base := map[string]any{
		"node": n.RPC()[0], "denom": devnet.Denom, "alice": c.alice.String(), "bob": c.bob.String(),
		"nobody": sdk.AccAddress(bytes.Repeat([]byte{0x42}, 20)).String(), "validator": c.val0.String(),
		"mnemonic": carol.Mnemonic, "gasPrice": "0.0025" + devnet.Denom, "height": c.lastHeight,
		"grantMsg": msgVote,
	}

	t.Run("honest", func(t *testing.T) {
		h := startProxy(t)
		cfg := withKeys(base, map[string]any{"mode": "honest", "proxy": h.url})
		runCosmJS(t, nodeBin, dir, cfg, 21)
		if !strings.Contains(h.log.String(), "broadcast_tx_sync forwarded") || !strings.Contains(h.log.String(), "tx_search verified+node-reported") {
			t.Fatalf("the proxy's log does not show the broadcast and the proven search:\n%s", h.log.String())
		}
	})
	t.Run("lying node", func(t *testing.T) {
		l := startLiar(t)
		l.storeLie(t, func(_ abciParams, _ []byte, r *ctypes.ResultABCIQuery) *ctypes.ResultABCIQuery {
			r.Response.ProofOps = nil
			return r
		})
		cfg := withKeys(base, map[string]any{"mode": "lying", "proxy": l.url})
		runCosmJS(t, nodeBin, dir, cfg, 6)
	})
}

func withKeys(a, b map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// runCosmJS runs script.mjs with cfg and requires want checks, all passed.
func runCosmJS(t *testing.T, nodeBin, dir string, cfg map[string]any, want int) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.json")
	bz, _ := json.Marshal(cfg)
	if err := os.WriteFile(path, bz, 0o600); err != nil {
		t.Fatal(err)
	}
	// The script takes a few seconds, most of it waiting for two blocks;
	// only the test binary's -timeout bounds it.
	cmd := exec.CommandContext(testctx.New(t), nodeBin, "script.mjs", path)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("node script.mjs: %v\nstdout: %s\nstderr: %s", err, stdout.String(), stderr.String())
	}
	var out struct {
		Checks []struct {
			Name  string          `json:"name"`
			OK    bool            `json:"ok"`
			Proxy json.RawMessage `json:"proxy"`
			Node  json.RawMessage `json:"node"`
		} `json:"checks"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("the script's output is not its JSON report: %v\n%s\nstderr: %s", err, stdout.String(), stderr.String())
	}
	for _, c := range out.Checks {
		if !c.OK {
			t.Errorf("cosmjs: %s failed\nthrough the proxy: %s\nfrom the node:     %s", c.Name, c.Proxy, c.Node)
		} else if testing.Verbose() {
			t.Logf("cosmjs: %s: %s", c.Name, c.Proxy)
		}
	}
	if len(out.Checks) != want {
		t.Fatalf("cosmjs ran %d checks, want %d", len(out.Checks), want)
	}
}
