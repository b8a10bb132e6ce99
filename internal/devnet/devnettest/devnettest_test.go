package devnettest_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"

	"github.com/akash-wallet/akw/internal/config"
	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/devnet/devnettest"
	"github.com/akash-wallet/akw/internal/testctx"
)

func TestMain(m *testing.M) { devnettest.Main(m) }

func TestShared(t *testing.T) {
	n := devnettest.Get(t)
	require.Equal(t, devnet.ChainID, n.ChainID())
	require.Len(t, n.RPC(), devnet.DefaultValidators)
	h := devnettest.WaitForNextBlock(t)
	devnettest.WaitForHeight(t, h+1)

	bob := devnettest.Account(t, "bob")
	ctx := context.Background()
	bank := banktypes.NewQueryClient(n.ClientContext(0))
	before, err := bank.Balance(ctx, &banktypes.QueryBalanceRequest{Address: bob.Address, Denom: devnet.Denom})
	require.NoError(t, err)
	res := devnettest.Send(t, "alice", bob.Address, "2500uakt")
	require.Zero(t, res.Code)
	after, err := bank.Balance(ctx, &banktypes.QueryBalanceRequest{Address: bob.Address, Denom: devnet.Denom})
	require.NoError(t, err)
	require.Equal(t, before.Balance.Amount.AddRaw(2500).String(), after.Balance.Amount.String())

	devnettest.Delegate(t, "bob", n.Validators()[0].OperatorAddress, "1000000uakt")
	id := devnettest.SubmitProposal(t, "carol", "devnettest")
	devnettest.Vote(t, "carol", id, govv1.OptionNo)
}

func TestNewHome(t *testing.T) {
	n := devnettest.Get(t)
	home := devnettest.NewHome(t)
	paths, err := config.DefaultPaths(home)
	require.NoError(t, err)
	f, err := config.Load(paths.ConfigFile)
	require.NoError(t, err)
	net, err := f.LookupNetwork(f.Network)
	require.NoError(t, err)
	require.Equal(t, n.RPC()[0], net.RPC)
	require.Equal(t, n.RPC()[1:], net.Witnesses)
	require.Equal(t, home, f.KeyringDir)

	kr, err := keyring.New(devnet.KeyringAppName, keyring.BackendTest, home, nil, n.Encoding().Codec)
	require.NoError(t, err)
	for _, a := range n.Accounts() {
		rec, err := kr.Key(a.Name)
		require.NoError(t, err)
		addr, err := rec.GetAddress()
		require.NoError(t, err)
		require.Equal(t, a.Address, addr.String())
	}
}

// TestOwnDevnet starts a second, private devnet beside the shared one.
func TestOwnDevnet(t *testing.T) {
	n := devnettest.Start(t, devnettest.WithValidators(1), devnettest.WithVotingPeriod(5*time.Second))
	require.NotEqual(t, devnettest.Get(t).RPC(), n.RPC())
	ctx := testctx.New(t)
	_, err := n.WaitForNextBlock(ctx)
	require.NoError(t, err)
}
