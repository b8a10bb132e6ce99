package main

import (
	"encoding/json"
	"testing"
	"time"

	ctypes "github.com/cometbft/cometbft/rpc/core/types"

	"github.com/akash-wallet/akw/internal/devnet/devnettest"
	"github.com/akash-wallet/akw/internal/rpcproxy"
	"github.com/akash-wallet/akw/internal/testctx"
)

// TestHeaderLiesExit3 puts a lying proxy between akw and the devnet's
// primary (the witness is reached directly) and makes it alter, one at a
// time, what the light client verifies: a header's app hash, a validator's
// voting power, the chain-id. Each must end in exit 3 with nothing on
// stdout and nothing stored from the lie; the same proxy forwarding
// honestly must then succeed. (Lies about query values and proofs are in
// TestQueryDevnet.)
func TestHeaderLiesExit3(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a devnet")
	}
	n := devnettest.Start(t)
	home := devnettest.NewHomeFor(t, n)
	p, err := rpcproxy.New(n.RPC()[0])
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	alice, err := n.Account("alice")
	if err != nil {
		t.Fatal(err)
	}
	base := []string{"--home", home, "--node", p.URL(), "-o", "json"}
	akw := func(args ...string) (int, string, string) {
		return akwRun(t, append(append([]string{}, base...), args...)...)
	}
	if code, _, stderr := akw("light", "init", "--trust-latest", "-y"); code != 0 {
		t.Fatalf("light init: exit %d: %s", code, stderr)
	}
	trustedHeight := func() int64 {
		code, stdout, stderr := akw("light", "status", "--no-probe")
		if code != 0 {
			t.Fatalf("light status: exit %d: %s", code, stderr)
		}
		var st struct {
			Height int64 `json:"trusted_height"`
		}
		if err := json.Unmarshal([]byte(stdout), &st); err != nil || st.Height == 0 {
			t.Fatalf("light status: %v: %s", err, stdout)
		}
		return st.Height
	}

	lies := []struct {
		name, method string
		hook         func(h0 int64) rpcproxy.Hook
	}{
		{"app hash", "commit", func(h0 int64) rpcproxy.Hook {
			return func(_ rpcproxy.Call, r *rpcproxy.Response) {
				var rc ctypes.ResultCommit
				if r.DecodeResult(&rc) == nil && rc.Header != nil && rc.Height > h0 {
					rc.Header.AppHash[0] ^= 1
					_ = r.EncodeResult(&rc)
				}
			}
		}},
		{"voting power", "validators", func(h0 int64) rpcproxy.Hook {
			return func(_ rpcproxy.Call, r *rpcproxy.Response) {
				var rv ctypes.ResultValidators
				if r.DecodeResult(&rv) == nil && rv.BlockHeight > h0 && len(rv.Validators) > 0 {
					rv.Validators[0].VotingPower += 1000
					_ = r.EncodeResult(&rv)
				}
			}
		}},
		{"chain-id", "commit", func(h0 int64) rpcproxy.Hook {
			return func(_ rpcproxy.Call, r *rpcproxy.Response) {
				var rc ctypes.ResultCommit
				if r.DecodeResult(&rc) == nil && rc.Header != nil && rc.Height > h0 {
					rc.Header.ChainID = "akashnet-2"
					_ = r.EncodeResult(&rc)
				}
			}
		}},
	}
	for _, lie := range lies {
		t.Run(lie.name, func(t *testing.T) {
			h0 := trustedHeight()
			// Make sure there are new headers to lie about.
			ctx := testctx.New(t)
			if err := n.WaitForHeight(ctx, h0+2); err != nil {
				t.Fatal(err)
			}
			p.Handle(lie.method, lie.hook(h0))
			code, stdout, stderr := akw("query", "balance", alice.Address)
			p.Handle(lie.method, nil)
			if code != 3 {
				t.Fatalf("lie about the %s: exit %d, want 3\nstdout: %s\nstderr: %s", lie.name, code, stdout, stderr)
			}
			if stdout != "" {
				t.Fatalf("lie about the %s: something on stdout: %s", lie.name, stdout)
			}
			t.Logf("lie about the %s: %s", lie.name, stderr)
			if h := trustedHeight(); h != h0 {
				t.Fatalf("lie about the %s: trusted height moved from %d to %d", lie.name, h0, h)
			}
			// Honest again: the same home works (asked again until the
			// test's deadline, not for a margin a busy machine outlasts).
			tick := time.NewTicker(time.Second)
			defer tick.Stop()
			code, stdout, stderr = akw("query", "balance", alice.Address)
			for code != 0 && ctx.Err() == nil {
				select {
				case <-ctx.Done():
					continue
				case <-tick.C:
				}
				code, stdout, stderr = akw("query", "balance", alice.Address)
			}
			if code != 0 {
				t.Fatalf("honest again: exit %d: %s", code, stderr)
			}
			var res struct {
				Verified bool  `json:"verified"`
				Height   int64 `json:"height"`
			}
			if err := json.Unmarshal([]byte(stdout), &res); err != nil || !res.Verified || res.Height <= h0 {
				t.Fatalf("honest answer %s: %v", stdout, err)
			}
		})
	}
}
