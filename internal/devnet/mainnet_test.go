package devnet_test

import (
	"bytes"
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/cometbft/cometbft/crypto/merkle"
	rpcclient "github.com/cometbft/cometbft/rpc/client"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/encoding/protowire"

	"cosmossdk.io/store/rootmulti"
	"cosmossdk.io/x/feegrant"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/address"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	"github.com/cosmos/cosmos-sdk/x/authz"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"

	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/testctx"
)

// TestMainnetShape checks what makes the devnet look like Akash mainnet to
// a wallet: its denoms, governance parameters, authz and feegrant, and the
// width of its multistore, each through proofs where a wallet would prove.
func TestMainnetShape(t *testing.T) {
	ctx := testctx.New(t)
	n, err := devnet.Start(ctx, devnet.Config{Dir: t.TempDir()})
	require.NoError(t, err)
	t.Cleanup(func() { _ = n.Stop() })

	alice, err := n.Account("alice")
	require.NoError(t, err)
	bob, err := n.Account("bob")
	require.NoError(t, err)
	carol, err := n.Account("carol")
	require.NoError(t, err)
	cctx := n.ClientContext(1)
	bank := banktypes.NewQueryClient(cctx)
	balance := func(addr, denom string) sdk.Coin {
		res, err := bank.Balance(ctx, &banktypes.QueryBalanceRequest{Address: addr, Denom: denom})
		require.NoError(t, err)
		return *res.Balance
	}

	t.Run("denoms", func(t *testing.T) {
		res, err := bank.DenomsMetadata(ctx, &banktypes.QueryDenomsMetadataRequest{})
		require.NoError(t, err)
		byBase := map[string]banktypes.Metadata{}
		for _, m := range res.Metadatas {
			byBase[m.Base] = m
		}
		require.Len(t, byBase, 2, "metadata for uakt and uact only")
		units := func(m banktypes.Metadata) (out []string) {
			for _, u := range m.DenomUnits {
				out = append(out, u.Denom+"@"+strconv.Itoa(int(u.Exponent)))
			}
			return out
		}
		akt, act := byBase[devnet.Denom], byBase[devnet.ActDenom]
		require.Equal(t, []string{"uakt@0", "makt@3", "akt@6"}, units(akt))
		require.Equal(t, "akt", akt.Display)
		require.Equal(t, "AKT", akt.Symbol)
		require.Equal(t, []string{"uact@0", "mact@3", "act@6"}, units(act))
		// Mainnet's value: the display unit is the base unit.
		require.Equal(t, "uact", act.Display)
		require.Equal(t, "ACT", act.Symbol)
		require.Equal(t, "Akash Compute Token", act.Name)
		_, err = bank.DenomMetadata(ctx, &banktypes.QueryDenomMetadataRequest{Denom: devnet.IBCDenom})
		require.Error(t, err, "the IBC denom must have no metadata")
		require.Regexp(t, `^ibc/[0-9A-F]{64}$`, devnet.IBCDenom)

		require.Equal(t, devnet.IBCBalance.String(), balance(alice.Address, devnet.IBCDenom).Amount.String())
		require.True(t, balance(bob.Address, devnet.IBCDenom).IsZero(), "only the first account holds the voucher")
		for _, a := range []devnet.Account{alice, bob, carol} {
			require.Equal(t, devnet.ActBalance.String(), balance(a.Address, devnet.ActDenom).Amount.String())
		}
		val := n.Genesis().Validators[0].Operator.Address
		require.True(t, balance(val, devnet.ActDenom).IsZero(), "validator operators hold no ACT")

		se, err := bank.SendEnabled(ctx, &banktypes.QuerySendEnabledRequest{Denoms: []string{devnet.ActDenom}})
		require.NoError(t, err)
		require.Len(t, se.SendEnabled, 1)
		require.False(t, se.SendEnabled[0].Enabled)
		params, err := bank.Params(ctx, &banktypes.QueryParamsRequest{})
		require.NoError(t, err)
		require.True(t, params.Params.DefaultSendEnabled, "uakt and the IBC denom are sendable")

		// The chain refuses an ACT send, as mainnet does, and moves the
		// IBC voucher.
		_, err = n.Send(ctx, "bob", alice.Address, sdk.NewCoins(sdk.NewInt64Coin(devnet.ActDenom, 1)))
		var txErr *devnet.TxError
		require.ErrorAs(t, err, &txErr)
		require.Equal(t, "bank", txErr.Codespace, txErr.Log)
		require.Equal(t, uint32(5), txErr.Code, txErr.Log) // send transactions are disabled
		res2, err := n.Send(ctx, "alice", bob.Address, sdk.NewCoins(sdk.NewInt64Coin(devnet.IBCDenom, 1)))
		require.NoError(t, err)

		// The metadata is in the bank store (collections prefix 1), where
		// a wallet proves it, and so is its absence for the IBC denom.
		h := res2.Height
		require.NotEmpty(t, proveKey(ctx, t, n, "bank", append([]byte{1}, devnet.ActDenom...), h))
		require.Nil(t, proveKey(ctx, t, n, "bank", append([]byte{1}, devnet.IBCDenom...), h), "absence proven")
		require.NotEmpty(t, proveKey(ctx, t, n, "bank", []byte{5}, h), "bank params (DefaultSendEnabled)")

		// SendEnabled(uact) = false is kept under prefix 4 as a protobuf
		// BoolValue, and false marshals to no bytes at all: the leaf is
		// there with an empty value, which ICS23 can neither prove present
		// ("leaf op needs value") nor absent. As on mainnet: a wallet that
		// wants this flag proven has to hash that leaf itself.
		sendKey := append([]byte{4}, devnet.ActDenom...)
		require.NoError(t, n.WaitForHeight(ctx, h+1))
		q, err := n.Client(0).ABCIQueryWithOptions(ctx, "/store/bank/key", sendKey, rpcclient.ABCIQueryOptions{Height: h, Prove: true})
		require.NoError(t, err)
		require.Zero(t, q.Response.Code, q.Response.Log)
		require.Empty(t, q.Response.Value)
		require.NotNil(t, q.Response.ProofOps)
		next := h + 1
		commit, err := n.Client(0).Commit(ctx, &next)
		require.NoError(t, err)
		kp := merkle.KeyPath{}.AppendKey([]byte("bank"), merkle.KeyEncodingURL).AppendKey(sendKey, merkle.KeyEncodingURL)
		prt := rootmulti.DefaultProofRuntime()
		require.ErrorContains(t, prt.VerifyValue(q.Response.ProofOps, commit.AppHash, kp.String(), []byte{}), "leaf op needs value")
		require.Error(t, prt.VerifyAbsence(q.Response.ProofOps, commit.AppHash, kp.String()))
	})

	t.Run("gov params", func(t *testing.T) {
		gov := govv1.NewQueryClient(cctx)
		params, err := gov.Params(ctx, &govv1.QueryParamsRequest{ParamsType: "deposit"})
		require.NoError(t, err)
		gp := params.Params
		require.Equal(t, "1000000uakt", sdk.Coins(gp.MinDeposit).String())
		require.Equal(t, "2000000uakt", sdk.Coins(gp.ExpeditedMinDeposit).String())
		require.Equal(t, devnet.MinInitialDepositRatio, gp.MinInitialDepositRatio)
		require.Equal(t, "0.667000000000000000", gp.ExpeditedThreshold)
		require.Equal(t, devnet.DefaultVotingPeriod, *gp.VotingPeriod)
		require.Equal(t, devnet.DefaultVotingPeriod/2, *gp.ExpeditedVotingPeriod)

		// Below mainnet's initial deposit (40 %) the chain refuses a
		// proposal; at half the minimum it waits for deposits.
		_, _, err = n.SubmitProposal(ctx, "carol", "Too small", "Short of 40 %.", sdk.NewCoins(sdk.NewCoin(devnet.Denom, devnet.MinDeposit.QuoRaw(10))))
		var txErr *devnet.TxError
		require.ErrorAs(t, err, &txErr)
		require.Equal(t, "gov", txErr.Codespace, txErr.Log)
		id, _, err := n.SubmitProposal(ctx, "carol", "Half", "Waits for deposits.", sdk.NewCoins(sdk.NewCoin(devnet.Denom, devnet.MinDeposit.QuoRaw(2))))
		require.NoError(t, err)
		p, err := gov.Proposal(ctx, &govv1.QueryProposalRequest{ProposalId: id})
		require.NoError(t, err)
		require.Equal(t, govv1.StatusDepositPeriod, p.Proposal.Status)

		// An expedited proposal with the expedited deposit votes at once,
		// for half the voting period.
		msg, err := govv1.NewMsgSubmitProposal(nil, sdk.NewCoins(sdk.NewCoin(devnet.Denom, devnet.ExpeditedMinDeposit)), carol.Address, "akw devnet", "Fast", "Expedited.", true)
		require.NoError(t, err)
		res, err := n.Exec(ctx, "carol", []sdk.Msg{msg})
		require.NoError(t, err)
		pr, err := gov.Proposals(ctx, &govv1.QueryProposalsRequest{ProposalStatus: govv1.StatusVotingPeriod})
		require.NoError(t, err)
		var fast *govv1.Proposal
		for _, p := range pr.Proposals {
			if p.Expedited {
				fast = p
			}
		}
		require.NotNil(t, fast, "no expedited proposal in voting (tx %s)", res.Hash)
		require.Equal(t, devnet.DefaultVotingPeriod/2, fast.VotingEndTime.Sub(*fast.VotingStartTime))
	})

	t.Run("mainnet's stores", func(t *testing.T) {
		// A proof through each of the 26 stores, of a key each holds: the
		// stand-ins their one key, the modules' stores the first key
		// with a value. (Not absence: in several module stores a
		// neighbouring leaf has an empty value, a collections KeySet
		// entry, and ICS23 cannot hash such a leaf.)
		h, err := n.LatestHeight(ctx, 0)
		require.NoError(t, err)
		standIn := 0
		for _, store := range devnet.MainnetStores {
			// The SDK refuses an empty subspace: walk the first byte.
			var key []byte
			for first := 0; first < 256 && key == nil; first++ {
				sub, err := n.Client(0).ABCIQueryWithOptions(ctx, "/store/"+store+"/subspace", []byte{byte(first)}, rpcclient.ABCIQueryOptions{Height: h})
				require.NoError(t, err)
				require.Zero(t, sub.Response.Code, "%s: %s", store, sub.Response.Log)
				for _, p := range decodePairs(t, sub.Response.Value) {
					if len(p[1]) > 0 {
						key = p[0]
						break
					}
				}
			}
			require.NotNil(t, key, "%s has no key with a value", store)
			// (A subspace query reads the latest state, whatever the
			// height asked: the proven value at h may differ.)
			proven := proveKey(ctx, t, n, store, key, h)
			require.NotEmpty(t, proven, store)
			if string(key) == string(devnet.StandInKey) {
				require.Equal(t, "stand-in for mainnet's "+store+" store", string(proven))
				standIn++
			}
		}
		require.Equal(t, 16, standIn)
		// A store mainnet does not have is not there.
		res, err := n.Client(0).ABCIQueryWithOptions(ctx, "/store/take/key", devnet.StandInKey, rpcclient.ABCIQueryOptions{Height: h})
		require.NoError(t, err)
		require.NotZero(t, res.Response.Code)
	})

	t.Run("authz and feegrant", func(t *testing.T) {
		aliceAddr, bobAddr := mustAddr(t, alice), mustAddr(t, bob)
		amino := devnet.WithSignMode(signing.SignMode_SIGN_MODE_LEGACY_AMINO_JSON)

		// alice lets bob send up to 1000uakt of hers, signing in amino
		// JSON as a Ledger does.
		exp := time.Now().Add(time.Hour)
		grant, err := authz.NewMsgGrant(aliceAddr, bobAddr, banktypes.NewSendAuthorization(sdk.NewCoins(sdk.NewInt64Coin(devnet.Denom, 1000)), nil), &exp)
		require.NoError(t, err)
		res, err := n.Exec(ctx, "alice", []sdk.Msg{grant}, amino)
		require.NoError(t, err)
		msgType := sdk.MsgTypeURL(&banktypes.MsgSend{})
		grantKey := append(append(append([]byte{1}, address.MustLengthPrefix(aliceAddr)...), address.MustLengthPrefix(bobAddr)...), msgType...)
		require.NotEmpty(t, proveKey(ctx, t, n, "authz", grantKey, res.Height), "the grant, proven in the authz store")

		// Coins go to an address nothing else touches: carol's balance
		// moves on its own when the gov subtest's expedited proposal
		// ends and its deposit comes back, at a time set by the clock.
		payee := sdk.AccAddress(bytes.Repeat([]byte{0x5a}, 20))
		exec := authz.NewMsgExec(bobAddr, []sdk.Msg{banktypes.NewMsgSend(aliceAddr, payee, sdk.NewCoins(sdk.NewInt64Coin(devnet.Denom, 600)))})
		res, err = n.Exec(ctx, "bob", []sdk.Msg{&exec}, amino)
		require.NoError(t, err)
		require.NoError(t, n.WaitForHeight(ctx, res.Height), "the node asked has the block")
		require.Equal(t, "600", balance(payee.String(), devnet.Denom).Amount.String())
		_, err = n.Exec(ctx, "bob", []sdk.Msg{&exec})
		var txErr *devnet.TxError
		require.ErrorAs(t, err, &txErr, "600 more is beyond the spend limit")

		// alice pays bob's fees up to 1 AKT (bob, not carol: see above).
		allowance, err := feegrant.NewMsgGrantAllowance(&feegrant.BasicAllowance{SpendLimit: sdk.NewCoins(sdk.NewInt64Coin(devnet.Denom, 1_000_000))}, aliceAddr, bobAddr)
		require.NoError(t, err)
		res, err = n.Exec(ctx, "alice", []sdk.Msg{allowance}, amino)
		require.NoError(t, err)
		require.NotEmpty(t, proveKey(ctx, t, n, "feegrant", feegrant.FeeAllowanceKey(aliceAddr, bobAddr), res.Height), "the allowance, proven in the feegrant store")
		require.NoError(t, n.WaitForHeight(ctx, res.Height), "the node asked has the block")
		aliceBefore, bobBefore := balance(alice.Address, devnet.Denom), balance(bob.Address, devnet.Denom)
		res, err = n.Send(ctx, "bob", payee.String(), sdk.NewCoins(sdk.NewInt64Coin(devnet.Denom, 5)), devnet.WithFeeGranter(alice.Address))
		require.NoError(t, err)
		require.NoError(t, n.WaitForHeight(ctx, res.Height), "the node asked has the block")
		fee := int64(devnet.DefaultTxGas) / 400 // 0.0025uakt per gas
		require.Equal(t, bobBefore.Amount.SubRaw(5).String(), balance(bob.Address, devnet.Denom).Amount.String(), "bob paid no fee")
		require.Equal(t, aliceBefore.Amount.SubRaw(fee).String(), balance(alice.Address, devnet.Denom).Amount.String(), "alice paid bob's fee")

		// The amino names a Ledger signs are registered with the codec.
		amJSON, err := n.Encoding().Amino.MarshalJSON(grant)
		require.NoError(t, err)
		require.Contains(t, string(amJSON), `"cosmos-sdk/MsgGrant"`)
		require.Contains(t, string(amJSON), `"cosmos-sdk/SendAuthorization"`)
		amJSON, err = n.Encoding().Amino.MarshalJSON(allowance)
		require.NoError(t, err)
		require.Contains(t, string(amJSON), `"cosmos-sdk/MsgGrantAllowance"`)
		require.Contains(t, string(amJSON), `"cosmos-sdk/BasicAllowance"`)
	})
}

func mustAddr(t *testing.T, a devnet.Account) sdk.AccAddress {
	t.Helper()
	addr, err := a.AccAddress()
	require.NoError(t, err)
	return addr
}

// proveKey queries key in store at height h with a proof, checks the
// proof against the app hash of header h+1 (a multistore proof through
// every store of the chain) and returns the value, nil if the key is
// absent (its absence proven).
func proveKey(ctx context.Context, t *testing.T, n *devnet.Network, store string, key []byte, h int64) []byte {
	t.Helper()
	require.NoError(t, n.WaitForHeight(ctx, h+1))
	res, err := n.Client(0).ABCIQueryWithOptions(ctx, "/store/"+store+"/key", key, rpcclient.ABCIQueryOptions{Height: h, Prove: true})
	require.NoError(t, err)
	require.Zero(t, res.Response.Code, res.Response.Log)
	require.Equal(t, h, res.Response.Height)
	require.NotNil(t, res.Response.ProofOps)
	next := h + 1
	commit, err := n.Client(0).Commit(ctx, &next)
	require.NoError(t, err)
	kp := merkle.KeyPath{}.AppendKey([]byte(store), merkle.KeyEncodingURL).AppendKey(key, merkle.KeyEncodingURL)
	prt := rootmulti.DefaultProofRuntime()
	if len(res.Response.Value) == 0 {
		require.NoError(t, prt.VerifyAbsence(res.Response.ProofOps, commit.AppHash, kp.String()), "absence of %x in %s", key, store)
		return nil
	}
	require.NoError(t, prt.VerifyValue(res.Response.ProofOps, commit.AppHash, kp.String(), res.Response.Value), "%x in %s", key, store)
	return res.Response.Value
}

// decodePairs decodes the answer of a /store/NAME/subspace query, the
// store's kv.Pairs message (repeated Pair{bytes key = 1; bytes value = 2}),
// into key and value pairs.
func decodePairs(t *testing.T, bz []byte) (out [][2][]byte) {
	t.Helper()
	for len(bz) > 0 {
		num, typ, n := protowire.ConsumeTag(bz)
		require.GreaterOrEqual(t, n, 0)
		require.Equal(t, protowire.Number(1), num)
		require.Equal(t, protowire.BytesType, typ)
		bz = bz[n:]
		pair, n := protowire.ConsumeBytes(bz)
		require.GreaterOrEqual(t, n, 0)
		bz = bz[n:]
		var kv [2][]byte
		for len(pair) > 0 {
			num, typ, n := protowire.ConsumeTag(pair)
			require.GreaterOrEqual(t, n, 0)
			require.Equal(t, protowire.BytesType, typ)
			pair = pair[n:]
			v, n := protowire.ConsumeBytes(pair)
			require.GreaterOrEqual(t, n, 0)
			pair = pair[n:]
			require.Contains(t, []protowire.Number{1, 2}, num)
			kv[num-1] = v
		}
		out = append(out, kv)
	}
	return out
}
