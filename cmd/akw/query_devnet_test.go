package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	rpcclient "github.com/cometbft/cometbft/rpc/client"
	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	ctypes "github.com/cometbft/cometbft/rpc/core/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"

	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/rpcproxy"
	"github.com/akash-wallet/akw/internal/testctx"
	"github.com/akash-wallet/akw/lightclient/proof/prooftest"
)

// akwRun runs akw in-process and returns its exit code, stdout, stderr.
func akwRun(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &IOStreams{In: strings.NewReader(""), Out: &out, Err: &errb})
	return code, out.String(), errb.String()
}

// TestQueryDevnet drives `akw query` against a real devnet through a proxy
// that can lie, and checks the command-line contract: honest answers carry
// height and verified, and each lie exits 3 with nothing on stdout.
func TestQueryDevnet(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a devnet")
	}
	ctx := testctx.New(t)
	dir := t.TempDir()
	n, err := devnet.Start(ctx, devnet.Config{Dir: filepath.Join(dir, "net"), VotingPeriod: 10 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Stop()
	info := n.Info()
	alice, _ := n.Account("alice")
	bob, _ := n.Account("bob")
	val0 := info.Validators[0].OperatorAddress
	if _, err := n.Delegate(ctx, "alice", val0, sdk.NewInt64Coin(devnet.Denom, 7_000_000)); err != nil {
		t.Fatal(err)
	}
	prop, err := govv1.NewMsgSubmitProposal(nil, sdk.NewCoins(sdk.NewInt64Coin(devnet.Denom, 2_000_000)), bob.Address, "akw-test", "akw cli test", "vote on me", false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.Exec(ctx, "bob", []sdk.Msg{prop}); err != nil {
		t.Fatal(err)
	}
	vote, err := n.Vote(ctx, "alice", 1, govv1.OptionNo)
	if err != nil {
		t.Fatal(err)
	}
	// Proven state lags the newest block by one (state H needs header
	// H+1): wait until the vote's block is provable.
	if err := n.WaitForHeight(ctx, vote.Height+1); err != nil {
		t.Fatal(err)
	}

	proxy, err := rpcproxy.New(info.RPC[0])
	if err != nil {
		t.Fatal(err)
	}
	defer proxy.Close()
	home := filepath.Join(dir, "home")
	if _, err := devnet.ConfigureHome(home, &info, info.KeyringDir); err != nil {
		t.Fatal(err)
	}
	base := []string{"--home", home, "--node", proxy.URL()}
	if code, _, stderr := akwRun(t, append(base, "light", "init", "--trust-latest", "-y")...); code != 0 {
		t.Fatalf("light init: exit %d: %s", code, stderr)
	}

	// Honest: every command answers, in JSON with height and verified.
	queries := [][]string{
		{"balance", alice.Address},
		{"balance", "alice"}, // a key name, from the devnet's test keyring
		{"balance", alice.Address, "--denom", devnet.Denom},
		{"account", alice.Address},
		{"delegations", alice.Address},
		{"unbonding", alice.Address},
		{"redelegations", alice.Address},
		{"validators"},
		{"validator", val0},
		{"proposals"},
		{"proposal", "1"},
		{"vote", "1", alice.Address},
		{"rewards", alice.Address},
		{"grants", info.Validators[0].AccountAddress},
		{"grants", devnet.GenesisGrantee.String(), "--to"},
		{"allowances", alice.Address},
		{"proposals", "--status", "all"},
		{"deposits", "1"},
	}
	for _, q := range queries {
		code, stdout, stderr := akwRun(t, append(append(base, "-o", "json", "query"), q...)...)
		if code != 0 {
			t.Fatalf("query %v: exit %d: %s", q, code, stderr)
		}
		var doc map[string]any
		if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
			t.Fatalf("query %v: not one JSON document: %v\n%s", q, err, stdout)
		}
		if h, ok := doc["height"].(float64); !ok || h < 2 || doc["verified"] != true {
			t.Fatalf("query %v: height %v verified %v", q, doc["height"], doc["verified"])
		}
		code, text, stderr := akwRun(t, append(append(base, "query"), q...)...)
		if testing.Verbose() {
			t.Logf("akw query %s\n%s", strings.Join(q, " "), text)
		}
		if code != 0 || !strings.Contains(text, "verified: ") {
			t.Fatalf("query %v (text): exit %d\n%s%s", q, code, text, stderr)
		}
	}
	// --height pins the state height (the light client verifies header
	// H+1, backwards from its newest); --max-age reuses the newest header.
	for _, extra := range [][]string{{"--height", "3"}, {"--max-age", "1m"}} {
		code, stdout, stderr := akwRun(t, append(append(append(base, "-o", "json", "query"), "balance", alice.Address), extra...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", extra, code, stderr)
		}
		var doc struct {
			Height   int64 `json:"height"`
			Verified bool  `json:"verified"`
		}
		if err := json.Unmarshal([]byte(stdout), &doc); err != nil || !doc.Verified || (extra[0] == "--height" && doc.Height != 3) {
			t.Fatalf("%v: %s", extra, stdout)
		}
	}
	_, text, _ := akwRun(t, append(base, "query", "balance", alice.Address)...)
	t.Logf("text answer:\n%s", text)

	// Lies, each alone. The hook rewrites abci_query answers.
	direct, err := rpchttp.New(info.RPC[0], "/websocket")
	if err != nil {
		t.Fatal(err)
	}
	bobAddr, _ := sdk.AccAddressFromBech32(bob.Address)
	bobKey := append(append([]byte{0x02, byte(len(bobAddr))}, bobAddr...), devnet.Denom...)
	type lie func(t *testing.T, params abciParams, r *ctypes.ResultABCIQuery) *ctypes.ResultABCIQuery
	lies := map[string]lie{
		"flipped value byte": func(t *testing.T, _ abciParams, r *ctypes.ResultABCIQuery) *ctypes.ResultABCIQuery {
			if len(r.Response.Value) > 0 {
				r.Response.Value[len(r.Response.Value)-1] ^= 1
			}
			return r
		},
		"proof dropped": func(t *testing.T, _ abciParams, r *ctypes.ResultABCIQuery) *ctypes.ResultABCIQuery {
			r.Response.ProofOps = nil
			return r
		},
		"proof of a different key": func(t *testing.T, p abciParams, r *ctypes.ResultABCIQuery) *ctypes.ResultABCIQuery {
			o, err := direct.ABCIQueryWithOptions(context.Background(), p.Path, bobKey, rpcclient.ABCIQueryOptions{Height: p.height(), Prove: true})
			if err != nil {
				t.Error(err)
				return r
			}
			o.Response.Key = r.Response.Key
			return o
		},
		"proof from another height": func(t *testing.T, p abciParams, r *ctypes.ResultABCIQuery) *ctypes.ResultABCIQuery {
			o, err := direct.ABCIQueryWithOptions(context.Background(), p.Path, p.Data, rpcclient.ABCIQueryOptions{Height: 2, Prove: true})
			if err != nil {
				t.Error(err)
				return r
			}
			o.Response.Height = r.Response.Height
			return o
		},
		// Issue 11: made-up neighbours whose inner steps are neither child
		// made ics23 panic and akw die; the real multistore step stays.
		"crafted absence proof": func(t *testing.T, p abciParams, r *ctypes.ResultABCIQuery) *ctypes.ResultABCIQuery {
			if r.Response.ProofOps == nil || len(r.Response.ProofOps.Ops) != 2 {
				return r
			}
			op, err := prooftest.CraftedAbsence(p.Data)
			if err != nil {
				t.Error(err)
				return r
			}
			r.Response.Value = nil
			r.Response.ProofOps.Ops[0] = op
			return r
		},
	}
	for name, l := range lies {
		proxy.Handle("abci_query", func(call rpcproxy.Call, resp *rpcproxy.Response) {
			var p abciParams
			if err := json.Unmarshal(call.Params, &p); err != nil || resp.Error != nil {
				return
			}
			if p.Data, err = hex.DecodeString(p.Hex); err != nil {
				t.Error(err)
				return
			}
			var r ctypes.ResultABCIQuery
			if err := resp.DecodeResult(&r); err != nil {
				t.Error(err)
				return
			}
			if err := resp.EncodeResult(l(t, p, &r)); err != nil {
				t.Error(err)
			}
		})
		qs := [][]string{{"balance", alice.Address, "--denom", devnet.Denom}, {"account", alice.Address}}
		if name != "flipped value byte" {
			// The complete list: its proofs travel in one batched request,
			// and its values are the neighbours inside the proofs (which a
			// flipped response value does not touch).
			qs = append(qs, []string{"balance", alice.Address}, []string{"delegations", alice.Address},
				[]string{"grants", info.Validators[0].AccountAddress}, []string{"grants", devnet.GenesisGrantee.String(), "--to"},
				[]string{"allowances", alice.Address}, []string{"proposals", "--status", "all"}, []string{"deposits", "1"})
		}
		for _, q := range qs {
			for _, mode := range []string{"text", "json"} {
				code, stdout, stderr := akwRun(t, append(append(base, "-o", mode, "query"), q...)...)
				if code != 3 || stdout != "" {
					t.Fatalf("%s, query %v (%s): exit %d, stdout %q, stderr %s", name, q, mode, code, stdout, stderr)
				}
				if mode == "json" && !strings.Contains(stderr, `"verification_failed"`) {
					t.Fatalf("%s: JSON error %s", name, stderr)
				}
				// The error names the node and the query it failed.
				if !strings.Contains(stderr, "node "+proxy.URL()) || !strings.Contains(stderr, "abci_query /store/") {
					t.Fatalf("%s, query %v (%s): the error does not name the node and the query: %s", name, q, mode, stderr)
				}
			}
		}
		_, _, stderr := akwRun(t, append(base, "query", "balance", alice.Address, "--denom", devnet.Denom)...)
		t.Logf("%s: %s", name, strings.TrimSpace(stderr))
	}
	proxy.Handle("abci_query", nil)
	if code, _, stderr := akwRun(t, append(base, "query", "balance", alice.Address)...); code != 0 {
		t.Fatalf("honest again: exit %d: %s", code, stderr)
	}
}

// abciParams are abci_query's JSON-RPC params as the cometbft client sends them.
type abciParams struct {
	Path   string          `json:"path"`
	Data   []byte          `json:"-"`
	Hex    string          `json:"data"`
	Height json.RawMessage `json:"height"`
}

// height reads the height, sent as a JSON string ("10").
func (p abciParams) height() int64 {
	var s string
	if json.Unmarshal(p.Height, &s) != nil {
		s = string(p.Height)
	}
	h, _ := strconv.ParseInt(s, 10, 64)
	return h
}
