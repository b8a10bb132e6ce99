package devnet

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/store/rootmulti"

	"github.com/akash-wallet/akw/internal/testctx"
)

// TestMultistoreIsMainnets checks the devnet's commit info names exactly
// mainnet's stores, and that each is an IAVL store with a version.
func TestMultistoreIsMainnets(t *testing.T) {
	ctx := testctx.New(t)
	n, err := Start(ctx, Config{Dir: t.TempDir(), Validators: 1})
	require.NoError(t, err)
	defer n.Stop()
	require.NoError(t, n.WaitForAppHeight(ctx, 3))

	ms, ok := n.vals[0].app.CommitMultiStore().(*rootmulti.Store)
	require.True(t, ok)
	info, err := ms.GetCommitInfo(2)
	require.NoError(t, err)
	var names []string
	for _, si := range info.StoreInfos {
		require.NotEmpty(t, si.CommitId.Hash, si.Name)
		names = append(names, si.Name)
	}
	slices.Sort(names)
	require.Equal(t, MainnetStores, names)
	require.Len(t, names, 26)
	require.True(t, slices.IsSorted(MainnetStores))
}
