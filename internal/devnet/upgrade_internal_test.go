package devnet

import (
	"context"
	"encoding/binary"
	"path/filepath"
	"slices"
	"testing"

	"github.com/cometbft/cometbft/crypto/merkle"
	rpcclient "github.com/cometbft/cometbft/rpc/client"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/store/rootmulti"
	storetypes "cosmossdk.io/store/types"

	"github.com/akash-wallet/akw/internal/testctx"
)

// TestUpgradeAddsStore runs a chain through an x/upgrade plan that adds a
// store at height 6: every node halts there, restarts on the new software,
// and the chain goes on. Before the upgrade the store is in no commit info
// and answers no height; from the upgrade on, its key is proven against
// the app hash, and so is x/upgrade's record of the upgrade.
func TestUpgradeAddsStore(t *testing.T) {
	ctx := testctx.New(t)
	const h = 6
	up := &UpgradeAddsStore{Height: h, Name: "newstore"}
	n, err := Start(ctx, Config{Dir: t.TempDir(), UpgradeAddsStore: up, FullNodes: []FullNode{{}}})
	require.NoError(t, err)
	defer n.Stop()

	require.NoError(t, n.WaitForUpgrade(ctx))
	if err := n.WaitForAppHeight(ctx, h+2); err != nil {
		t.Fatalf("%v\n%s", err, n.Diagnose(ctx))
	}
	if err := n.WaitForFullNodeHeight(ctx, 0, h+2); err != nil {
		t.Fatalf("%v\n%s", err, n.Diagnose(ctx))
	}
	for _, v := range n.allNodes() {
		require.FileExists(t, filepath.Join(v.home, "data", "upgrade-info.json"), v.name)
	}

	// The store set changed at h, in every node's commit info.
	for _, v := range n.allNodes() {
		ms := v.app.CommitMultiStore().(*rootmulti.Store)
		before, err := ms.GetCommitInfo(h - 1)
		require.NoError(t, err)
		after, err := ms.GetCommitInfo(h)
		require.NoError(t, err)
		require.NotContains(t, storeNames(before), "newstore", v.name)
		require.Contains(t, storeNames(after), "newstore", v.name)
		require.Len(t, storeNames(after), len(MainnetStores)+1)
	}

	// After: the handler's key, proven at h against header h+1.
	val := proveInternal(ctx, t, n, "newstore", UpgradeKey, h)
	require.Equal(t, "added by upgrade devnet-add-newstore at height 6", string(val))
	// x/upgrade's record of it (0x01 | height, big-endian | plan name)
	// is proven too: a wallet can learn from proven state where the
	// store set changed.
	doneKey := binary.BigEndian.AppendUint64([]byte{1}, h)
	doneKey = append(doneKey, up.PlanName()...)
	require.Equal(t, []byte{1}, proveInternal(ctx, t, n, "upgrade", doneKey, h+1))

	// Before: the store answers no height below h, with a pruned-like
	// "version does not exist", and no proof.
	res, err := n.Client(0).ABCIQueryWithOptions(ctx, "/store/newstore/key", UpgradeKey, rpcclient.ABCIQueryOptions{Height: h - 1})
	require.NoError(t, err)
	require.Equal(t, "version does not exist", res.Response.Log)
	require.Empty(t, res.Response.Value)
	res, err = n.Client(1).ABCIQueryWithOptions(ctx, "/store/newstore/key", UpgradeKey, rpcclient.ABCIQueryOptions{Height: h - 1, Prove: true})
	require.NoError(t, err)
	require.NotZero(t, res.Response.Code)
	require.Contains(t, res.Response.Log, "proof is unexpectedly empty")

	// The plan is done and the chain goes on; a restart resumes on the
	// new software without halting again.
	require.NoError(t, n.Stop())
	n2, err := Start(ctx, Config{Dir: n.Dir(), FullNodes: []FullNode{{}}})
	require.NoError(t, err)
	defer n2.Stop()
	require.NoError(t, n2.WaitForUpgrade(ctx), "nothing to wait for")
	last, err := n2.LatestHeight(ctx, 0)
	require.NoError(t, err)
	require.NoError(t, n2.WaitForAppHeight(ctx, last+2))
	require.Equal(t, "added by upgrade devnet-add-newstore at height 6", string(proveInternal(ctx, t, n2, "newstore", UpgradeKey, last)))
}

func storeNames(ci *storetypes.CommitInfo) []string {
	var names []string
	for _, si := range ci.StoreInfos {
		names = append(names, si.Name)
	}
	slices.Sort(names)
	return names
}

// proveInternal queries key in store at height h on validator0 with a
// proof and checks it against the app hash of header h+1.
func proveInternal(ctx context.Context, t *testing.T, n *Network, store string, key []byte, h int64) []byte {
	t.Helper()
	require.NoError(t, n.WaitForHeight(ctx, h+1))
	res, err := n.Client(0).ABCIQueryWithOptions(ctx, "/store/"+store+"/key", key, rpcclient.ABCIQueryOptions{Height: h, Prove: true})
	require.NoError(t, err)
	require.Zero(t, res.Response.Code, res.Response.Log)
	require.NotEmpty(t, res.Response.Value, "%s/%x at %d", store, key, h)
	next := h + 1
	commit, err := n.Client(0).Commit(ctx, &next)
	require.NoError(t, err)
	kp := merkle.KeyPath{}.AppendKey([]byte(store), merkle.KeyEncodingURL).AppendKey(key, merkle.KeyEncodingURL)
	require.NoError(t, rootmulti.DefaultProofRuntime().VerifyValue(res.Response.ProofOps, commit.AppHash, kp.String(), res.Response.Value))
	return res.Response.Value
}
