package proxy_test

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"cosmossdk.io/x/feegrant"
	"github.com/cosmos/cosmos-sdk/client"
	clienttx "github.com/cosmos/cosmos-sdk/client/tx"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"
	grpctypes "github.com/cosmos/cosmos-sdk/types/grpc"
	authtx "github.com/cosmos/cosmos-sdk/x/auth/tx"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	"github.com/cosmos/cosmos-sdk/x/authz"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
	gogoproto "github.com/cosmos/gogoproto/proto"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	"github.com/akash-wallet/akw/internal/devnet"
)

// TestCosmosSDKClient drives the proxy with the cosmos-sdk's own client
// code, the code the Akash CLI runs: a client.Context whose node is the
// proxy (rpchttp.New(proxy URL)), the bank, auth, staking, distribution,
// gov, authz and feegrant gRPC query clients over it (client.Context.Invoke goes through
// abci_query), each answer the same as the node's at the height the
// proxy reports; then a transaction built, simulated, signed and
// broadcast with the SDK's tx package and looked up with its auth/tx.
func TestCosmosSDKClient(t *testing.T) {
	c := chainState(t)
	h := startProxy(t)
	ctx := testCtx(t)
	viaProxy := h.net.ClientContext(0).WithClient(h.rpc).WithNodeURI(h.url)
	direct := h.net.ClientContext(0)

	alice, bob, val0 := c.alice.String(), c.bob.String(), c.val0.String()
	queries := []struct {
		name string
		call func(cc client.Context, opts ...grpc.CallOption) (gogoproto.Message, error)
	}{
		{"bank balance", func(cc client.Context, o ...grpc.CallOption) (gogoproto.Message, error) {
			return banktypes.NewQueryClient(cc).Balance(ctx, &banktypes.QueryBalanceRequest{Address: alice, Denom: devnet.Denom}, o...)
		}},
		{"bank all balances", func(cc client.Context, o ...grpc.CallOption) (gogoproto.Message, error) {
			return banktypes.NewQueryClient(cc).AllBalances(ctx, &banktypes.QueryAllBalancesRequest{Address: alice}, o...)
		}},
		{"auth account", func(cc client.Context, o ...grpc.CallOption) (gogoproto.Message, error) {
			return authtypes.NewQueryClient(cc).Account(ctx, &authtypes.QueryAccountRequest{Address: alice}, o...)
		}},
		{"staking delegations", func(cc client.Context, o ...grpc.CallOption) (gogoproto.Message, error) {
			return stakingtypes.NewQueryClient(cc).DelegatorDelegations(ctx, &stakingtypes.QueryDelegatorDelegationsRequest{DelegatorAddr: alice}, o...)
		}},
		{"staking validators", func(cc client.Context, o ...grpc.CallOption) (gogoproto.Message, error) {
			return stakingtypes.NewQueryClient(cc).Validators(ctx, &stakingtypes.QueryValidatorsRequest{Status: stakingtypes.Bonded.String()}, o...)
		}},
		{"distribution rewards", func(cc client.Context, o ...grpc.CallOption) (gogoproto.Message, error) {
			return distrtypes.NewQueryClient(cc).DelegationRewards(ctx, &distrtypes.QueryDelegationRewardsRequest{DelegatorAddress: alice, ValidatorAddress: val0}, o...)
		}},
		{"gov proposal", func(cc client.Context, o ...grpc.CallOption) (gogoproto.Message, error) {
			return govv1.NewQueryClient(cc).Proposal(ctx, &govv1.QueryProposalRequest{ProposalId: c.propID}, o...)
		}},
		{"gov vote", func(cc client.Context, o ...grpc.CallOption) (gogoproto.Message, error) {
			return govv1.NewQueryClient(cc).Vote(ctx, &govv1.QueryVoteRequest{ProposalId: c.propID, Voter: alice}, o...)
		}},
		{"authz grants", func(cc client.Context, o ...grpc.CallOption) (gogoproto.Message, error) {
			return authz.NewQueryClient(cc).Grants(ctx, &authz.QueryGrantsRequest{Granter: alice, Grantee: bob, MsgTypeUrl: msgVote}, o...)
		}},
		{"authz granter grants", func(cc client.Context, o ...grpc.CallOption) (gogoproto.Message, error) {
			return authz.NewQueryClient(cc).GranterGrants(ctx, &authz.QueryGranterGrantsRequest{Granter: alice}, o...)
		}},
		{"authz grantee grants", func(cc client.Context, o ...grpc.CallOption) (gogoproto.Message, error) {
			return authz.NewQueryClient(cc).GranteeGrants(ctx, &authz.QueryGranteeGrantsRequest{Grantee: bob}, o...)
		}},
		{"feegrant allowance", func(cc client.Context, o ...grpc.CallOption) (gogoproto.Message, error) {
			return feegrant.NewQueryClient(cc).Allowance(ctx, &feegrant.QueryAllowanceRequest{Granter: alice, Grantee: bob}, o...)
		}},
		{"feegrant allowances", func(cc client.Context, o ...grpc.CallOption) (gogoproto.Message, error) {
			return feegrant.NewQueryClient(cc).Allowances(ctx, &feegrant.QueryAllowancesRequest{Grantee: bob}, o...)
		}},
		{"feegrant allowances by granter", func(cc client.Context, o ...grpc.CallOption) (gogoproto.Message, error) {
			return feegrant.NewQueryClient(cc).AllowancesByGranter(ctx, &feegrant.QueryAllowancesByGranterRequest{Granter: c.carol.String()}, o...)
		}},
	}
	for _, q := range queries {
		var md metadata.MD
		got, err := q.call(viaProxy, grpc.Header(&md))
		if err != nil {
			t.Fatalf("%s through the proxy: %v", q.name, err)
		}
		hs := md.Get(grpctypes.GRPCBlockHeightHeader)
		if len(hs) != 1 {
			t.Fatalf("%s: no block height in the answer's metadata", q.name)
		}
		height, err := strconv.ParseInt(hs[0], 10, 64)
		if err != nil || height < c.lastHeight {
			t.Fatalf("%s: answered at height %q", q.name, hs[0])
		}
		want, err := q.call(direct.WithHeight(height))
		if err != nil {
			t.Fatalf("%s from the node at %d: %v", q.name, height, err)
		}
		g, _ := gogoproto.Marshal(got)
		w, _ := gogoproto.Marshal(want)
		if !bytes.Equal(g, w) {
			t.Fatalf("%s at %d differs from the node's:\nproxy %v\nnode  %v", q.name, height, got, want)
		}
	}

	// A transaction with the SDK's tx package: account number and
	// sequence through the proxy (proven), gas by simulation (forwarded),
	// broadcast (forwarded), then looked up by hash (proven).
	info := h.net.Info()
	kr, err := keyring.New(devnet.KeyringAppName, keyring.BackendTest, info.KeyringDir, nil, h.net.Encoding().Codec)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	cctx := viaProxy.WithKeyring(kr).WithFromAddress(c.carol).WithFromName("carol").
		WithAccountRetriever(authtypes.AccountRetriever{}).WithBroadcastMode("sync").WithSkipConfirmation(true).
		WithOutput(&out).WithOutputFormat("json")
	txf := clienttx.Factory{}.WithChainID(h.net.ChainID()).WithKeybase(kr).WithTxConfig(h.net.Encoding().TxConfig).
		WithAccountRetriever(authtypes.AccountRetriever{}).WithSimulateAndExecute(true).WithGasAdjustment(1.5).
		WithGasPrices("0.0025" + devnet.Denom).WithSignMode(1). // SIGN_MODE_DIRECT
		WithFromName("carol")
	before, err := banktypes.NewQueryClient(viaProxy).Balance(ctx, &banktypes.QueryBalanceRequest{Address: c.bob.String(), Denom: devnet.Denom})
	if err != nil {
		t.Fatal(err)
	}
	msg := banktypes.NewMsgSend(c.carol, c.bob, sdk.NewCoins(sdk.NewInt64Coin(devnet.Denom, 4242)))
	if err := clienttx.BroadcastTx(cctx, txf, msg); err != nil {
		t.Fatalf("tx.BroadcastTx through the proxy: %v", err)
	}
	var sync struct {
		TxHash string `json:"txhash"`
		Code   int    `json:"code"`
	}
	if err := json.Unmarshal(out.Bytes(), &sync); err != nil || sync.Code != 0 || sync.TxHash == "" {
		t.Fatalf("broadcast answer: %v %s", err, out.String())
	}
	if _, err := h.net.WaitForTx(ctx, sync.TxHash, 0); err != nil {
		t.Fatal(err)
	}
	res, err := authtx.QueryTx(viaProxy, sync.TxHash)
	if err != nil {
		t.Fatalf("authtx.QueryTx through the proxy: %v", err)
	}
	if res.Code != 0 || res.Height < 1 || res.TxHash != sync.TxHash || res.Timestamp == "" {
		t.Fatalf("queried tx: %+v", res)
	}
	after, err := banktypes.NewQueryClient(viaProxy).Balance(ctx, &banktypes.QueryBalanceRequest{Address: c.bob.String(), Denom: devnet.Denom})
	if err != nil {
		t.Fatal(err)
	}
	if got := after.Balance.Amount.Sub(before.Balance.Amount).Int64(); got != 4242 {
		t.Fatalf("bob's balance moved by %d through the proxy, want 4242", got)
	}

	// broadcast_tx_commit: answered once the inclusion and result are
	// proven; a transaction the mempool refuses comes back with the
	// node's check_tx, marked.
	txf, err = txf.Prepare(cctx)
	if err != nil {
		t.Fatal(err)
	}
	unsigned, err := txf.WithGas(200_000).WithSimulateAndExecute(false).BuildUnsignedTx(banktypes.NewMsgSend(c.carol, c.bob, sdk.NewCoins(sdk.NewInt64Coin(devnet.Denom, 77))))
	if err != nil {
		t.Fatal(err)
	}
	if err := clienttx.Sign(ctx, txf, "carol", unsigned, true); err != nil {
		t.Fatal(err)
	}
	txBytes, err := h.net.Encoding().TxConfig.TxEncoder()(unsigned.GetTx())
	if err != nil {
		t.Fatal(err)
	}
	committed, err := h.rpc.BroadcastTxCommit(ctx, txBytes)
	if err != nil {
		t.Fatalf("broadcast_tx_commit through the proxy: %v", err)
	}
	proven, err := h.node.Tx(ctx, committed.Hash, false)
	if err != nil || committed.CheckTx.Code != 0 || committed.TxResult.Code != 0 || committed.Height != proven.Height || committed.TxResult.GasUsed != proven.TxResult.GasUsed {
		t.Fatalf("broadcast_tx_commit: %+v (node: %+v, %v)", committed, proven, err)
	}
	// Another transaction with the sequence just used.
	stale, err := txf.WithGas(200_000).WithSimulateAndExecute(false).BuildUnsignedTx(banktypes.NewMsgSend(c.carol, c.bob, sdk.NewCoins(sdk.NewInt64Coin(devnet.Denom, 78))))
	if err != nil {
		t.Fatal(err)
	}
	if err := clienttx.Sign(ctx, txf, "carol", stale, true); err != nil {
		t.Fatal(err)
	}
	staleBytes, err := h.net.Encoding().TxConfig.TxEncoder()(stale.GetTx())
	if err != nil {
		t.Fatal(err)
	}
	bad, err := h.rpc.BroadcastTxCommit(ctx, staleBytes)
	if err != nil || bad.CheckTx.Code == 0 || bad.Height != 0 {
		t.Fatalf("broadcast_tx_commit of a spent sequence: %+v, %v", bad, err)
	}
	if !strings.Contains(h.log.String(), "broadcast_tx_commit verified+node-reported") || !strings.Contains(h.log.String(), "broadcast_tx_commit forwarded") {
		t.Fatalf("the log does not show the two broadcasts:\n%s", h.log.String())
	}
}
