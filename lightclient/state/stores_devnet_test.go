package state_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	cmtbytes "github.com/cometbft/cometbft/libs/bytes"
	rpcclient "github.com/cometbft/cometbft/rpc/client"
	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	ctypes "github.com/cometbft/cometbft/rpc/core/types"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/rpcproxy"
	"github.com/akash-wallet/akw/internal/testctx"
	"github.com/akash-wallet/akw/lightclient/proof"
	"github.com/akash-wallet/akw/lightclient/state"
	"github.com/akash-wallet/akw/lightclient/trusted"
)

// TestDevnetQueryAcrossStoreSetChange queries a store that an upgrade
// added, at heights before and after the upgrade, on a devnet that runs
// the upgrade as mainnet ran v2.0.0 (x/upgrade plan, halt, restart with
// the store loader). Before: the node refuses, and akw proves that the
// multistore had no such store then (ErrStoreAbsent, naming the store and
// the height, not a failed verification). After: the key is proven. A
// pruned height, and a node that refuses a store the chain has, stay
// what they are: no node holds the state (ErrUnavailable), nothing proven.
func TestDevnetQueryAcrossStoreSetChange(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a devnet")
	}
	if err := devnet.SetSDKConfig(); err != nil {
		t.Fatal(err)
	}
	ctx := testctx.New(t)
	const h = 6
	up := &devnet.UpgradeAddsStore{Height: h, Name: "newstore"}
	n, err := devnet.Start(ctx, devnet.Config{Dir: t.TempDir(), Logf: t.Logf, UpgradeAddsStore: up})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = n.Stop() })
	if err := n.WaitForUpgrade(ctx); err != nil {
		t.Fatal(err)
	}
	if err := n.WaitForAppHeight(ctx, h+2); err != nil {
		t.Fatalf("%v\n%s", err, n.Diagnose(ctx))
	}
	rpc := n.RPC()
	c, err := trusted.Init(ctx, trusted.Config{
		ChainID: n.ChainID(), Primary: rpc[0], Witnesses: rpc[1:], Home: t.TempDir(),
	}, trusted.TrustRoot{Latest: true}, trusted.InitOptions{Confirm: func(trusted.Candidate) (bool, error) { return true, nil }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	q := state.New(c, nil)
	before, err := q.At(ctx, h-1) // headers below the trust root, verified backwards
	if err != nil {
		t.Fatal(err)
	}
	after, err := q.At(ctx, h)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("before the upgrade: the store is proven absent", func(t *testing.T) {
		_, err := before.ProveKeys(ctx, up.Name, [][]byte{devnet.UpgradeKey})
		var absent *state.ErrStoreAbsent
		if !errors.As(err, &absent) {
			t.Fatalf("got %v, want ErrStoreAbsent", err)
		}
		// newstore sorts between mainnet's mint and oracle.
		if absent.Store != up.Name || absent.Height != h-1 || absent.Left != "mint" || absent.Right != "oracle" {
			t.Fatalf("%+v", absent)
		}
		if errors.Is(err, proof.ErrVerification) || errkind.KindOf(err) != errkind.Failure {
			t.Fatalf("a proven absence is an answer, not a failed verification: %v", err)
		}
		for _, want := range []string{"no newstore store at height 5", "mint and oracle"} {
			if !strings.Contains(err.Error(), want) {
				t.Fatalf("%q does not say %q", err, want)
			}
		}
		if hint := errkind.HintOf(err).Text; !strings.Contains(hint, "newstore") {
			t.Fatalf("hint %q", hint)
		}
	})

	t.Run("after the upgrade: the key is proven", func(t *testing.T) {
		got, err := after.ProveKeys(ctx, up.Name, [][]byte{devnet.UpgradeKey, []byte("devnet/none")})
		if err != nil {
			t.Fatal(err)
		}
		if !got[0].Exists || string(got[0].Value) != "added by upgrade devnet-add-newstore at height 6" || got[0].Height != h {
			t.Fatalf("%+v", got[0])
		}
		// A key the new store does not hold: proven absent, no error.
		if got[1].Exists {
			t.Fatalf("%+v", got[1])
		}
	})

	t.Run("a store the chain never had, at the edge of the multistore", func(t *testing.T) {
		// zzz sorts after wasm, the last store: proven with one neighbour.
		_, err := after.ProveKeys(ctx, "zzz", [][]byte{[]byte("k")})
		var absent *state.ErrStoreAbsent
		if !errors.As(err, &absent) || absent.Left != "wasm" || absent.Right != "" || absent.Height != h {
			t.Fatalf("got %v", err)
		}
	})

	t.Run("a pruned height is not a missing store", func(t *testing.T) {
		p, err := rpcproxy.New(rpc[0])
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = p.Close() })
		p.PruneBelow(h)
		node, err := rpchttp.New(p.URL(), "/websocket")
		if err != nil {
			t.Fatal(err)
		}
		v, err := state.New(c, node).At(ctx, h-1)
		if err != nil {
			t.Fatal(err)
		}
		_, err = v.ProveKeys(ctx, up.Name, [][]byte{devnet.UpgradeKey})
		var absent *state.ErrStoreAbsent
		var unavailable *state.ErrUnavailable
		if errors.As(err, &absent) || !errors.As(err, &unavailable) || errkind.KindOf(err) != errkind.Unproven {
			t.Fatalf("got %v, want the nodes' refusal", err)
		}
		// The key three times (held.go's tries), then the two nearest
		// neighbours once each, and no more.
		if got := p.Count("abci_query"); got != 5 {
			t.Fatalf("%d abci_query calls, want 5", got)
		}
	})

	t.Run("a node that refuses a store the chain has proves nothing", func(t *testing.T) {
		// The node says bank is missing; its neighbours awasm and bme
		// are there, and not adjacent: bank lies between them.
		liar := &lyingNode{Node: n.Client(0), lie: func(_ context.Context, path string, _ cmtbytes.HexBytes, _ rpcclient.ABCIQueryOptions, r *ctypes.ResultABCIQuery) (*ctypes.ResultABCIQuery, error) {
			if path == "/store/bank/key" {
				r.Response.Code, r.Response.Codespace, r.Response.Log = 7, "store", "proof is unexpectedly empty; ensure height has not been pruned: invalid request"
				r.Response.ProofOps, r.Response.Value = nil, nil
			}
			return r, nil
		}}
		v, err := state.New(c, liar).At(ctx, h)
		if err != nil {
			t.Fatal(err)
		}
		_, err = v.ProveKeys(ctx, "bank", [][]byte{{0x02}})
		var absent *state.ErrStoreAbsent
		var unavailable *state.ErrUnavailable
		if errors.As(err, &absent) || !errors.As(err, &unavailable) {
			t.Fatalf("got %v, want the node's refusal, nothing proven", err)
		}
	})

	t.Run("a node that lies about a neighbour is caught", func(t *testing.T) {
		liar := &lyingNode{Node: n.Client(0), lie: func(_ context.Context, path string, _ cmtbytes.HexBytes, _ rpcclient.ABCIQueryOptions, r *ctypes.ResultABCIQuery) (*ctypes.ResultABCIQuery, error) {
			if path == "/store/oracle/key" && r.Response.ProofOps != nil && len(r.Response.ProofOps.Ops) == 2 {
				op := r.Response.ProofOps.Ops[1]
				op.Data = append([]byte(nil), op.Data...)
				op.Data[len(op.Data)-1] ^= 1
				r.Response.ProofOps.Ops[1] = op
			}
			return r, nil
		}}
		v, err := state.New(c, liar).At(ctx, h-1)
		if err != nil {
			t.Fatal(err)
		}
		_, err = v.ProveKeys(ctx, up.Name, [][]byte{devnet.UpgradeKey})
		var absent *state.ErrStoreAbsent
		var perr *state.ErrProof
		if errors.As(err, &absent) || !errors.As(err, &perr) || !errors.Is(err, proof.ErrVerification) {
			t.Fatalf("got %v, want the neighbour's proof refused", err)
		}
	})
}
