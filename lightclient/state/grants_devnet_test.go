package state_test

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"testing"
	"time"

	"cosmossdk.io/x/feegrant"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	"github.com/cosmos/cosmos-sdk/x/authz"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
	"github.com/cosmos/gogoproto/proto"

	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/testctx"
	"github.com/akash-wallet/akw/lightclient/state"
	"github.com/akash-wallet/akw/lightclient/trusted"
)

// TestDevnetGrantsEqualNode proves grants, fee allowances, proposals of
// every status, deposits and the gov parameters on a devnet whose state
// real transactions made, and compares each answer with the node's own
// gRPC answer at the same height. The devnet's authz store is upstream's
// (no grantee index): "grants to" must say it walked every grant.
func TestDevnetGrantsEqualNode(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a devnet")
	}
	if err := devnet.SetSDKConfig(); err != nil {
		t.Fatal(err)
	}
	ctx := testctx.New(t)
	n, err := devnet.Start(ctx, devnet.Config{Dir: t.TempDir(), VotingPeriod: 8 * time.Second, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = n.Stop() })
	addr := func(name string) sdk.AccAddress {
		a, err := n.Account(name)
		if err != nil {
			t.Fatal(err)
		}
		b, err := a.AccAddress()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	alice, bob, carol := addr("alice"), addr("bob"), addr("carol")
	vals := n.Validators()
	val0, val1 := mustVal(t, vals[0].OperatorAddress), mustVal(t, vals[1].OperatorAddress)
	akt := func(v int64) sdk.Coins { return sdk.NewCoins(sdk.NewInt64Coin(devnet.Denom, v)) }
	exec := func(from string, msgs ...sdk.Msg) *devnet.TxResult {
		t.Helper()
		r, err := n.Exec(ctx, from, msgs)
		if err != nil {
			t.Fatalf("%s: %v", from, err)
		}
		return r
	}
	grant := func(granter, grantee sdk.AccAddress, a authz.Authorization, exp *time.Time) sdk.Msg {
		m, err := authz.NewMsgGrant(granter, grantee, a, exp)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	stake := func(allow, deny []sdk.ValAddress, typ stakingtypes.AuthorizationType, max *sdk.Coin) authz.Authorization {
		s, err := stakingtypes.NewStakeAuthorization(allow, deny, typ, max)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	allowance := func(granter, grantee sdk.AccAddress, fa feegrant.FeeAllowanceI) sdk.Msg {
		m, err := feegrant.NewMsgGrantAllowance(fa, granter, grantee)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	hour := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	maxTok := sdk.NewInt64Coin(devnet.Denom, 5_000_000)
	exec("alice",
		grant(alice, bob, authz.NewGenericAuthorization(sdk.MsgTypeURL(&govv1.MsgVote{})), nil),
		grant(alice, bob, banktypes.NewSendAuthorization(akt(1000), []sdk.AccAddress{carol}), &hour),
		grant(alice, bob, stake([]sdk.ValAddress{val0}, nil, stakingtypes.AuthorizationType_AUTHORIZATION_TYPE_DELEGATE, &maxTok), &hour),
		grant(alice, bob, stake(nil, []sdk.ValAddress{val1}, stakingtypes.AuthorizationType_AUTHORIZATION_TYPE_REDELEGATE, nil), nil),
		allowance(alice, bob, &feegrant.BasicAllowance{SpendLimit: akt(1_000_000), Expiration: &hour}),
	)
	periodic := &feegrant.PeriodicAllowance{Basic: feegrant.BasicAllowance{Expiration: &hour}, Period: time.Hour, PeriodSpendLimit: akt(10_000), PeriodCanSpend: akt(10_000)}
	filtered, err := feegrant.NewAllowedMsgAllowance(periodic, []string{sdk.MsgTypeURL(&stakingtypes.MsgDelegate{})})
	if err != nil {
		t.Fatal(err)
	}
	exec("carol",
		grant(carol, bob, authz.NewGenericAuthorization(sdk.MsgTypeURL(&stakingtypes.MsgDelegate{})), nil),
		grant(carol, alice, authz.NewGenericAuthorization(sdk.MsgTypeURL(&stakingtypes.MsgDelegate{})), nil),
		allowance(carol, alice, filtered),
		allowance(carol, bob, &feegrant.BasicAllowance{}),
	)

	// Proposals of every status: two to pass (one whose message then
	// fails to execute: the gov account cannot send that much), one to be
	// rejected, one short of its deposit. validator0 submits them and
	// votes on them in the same transaction, so the votes are in the
	// proposals' own block: a vote sent in a later block could land after
	// the 8 s voting period on a busy machine (blocks seconds apart), and
	// the chain refuses it ("inactive proposal"). Its vote alone decides
	// each tally: it holds half of the bonded power (quorum 33.4 %) and
	// nobody else votes.
	v0 := addr("validator0")
	gc := govv1.NewQueryClient(n.ClientContext(0))
	if before, err := gc.Proposals(ctx, &govv1.QueryProposalsRequest{}); err != nil || len(before.Proposals) != 0 {
		t.Fatalf("a fresh devnet should have no proposals: %v %v", before, err)
	}
	// A fresh chain numbers its proposals from 1.
	const pass, reject, wait, fail = uint64(1), uint64(2), uint64(3), uint64(4)
	full, half := sdk.NewCoins(sdk.NewCoin(devnet.Denom, devnet.MinDeposit)), sdk.NewCoins(sdk.NewCoin(devnet.Denom, devnet.MinDeposit.QuoRaw(2)))
	text := func(title string, deposit sdk.Coins, msgs ...sdk.Msg) sdk.Msg {
		m, err := govv1.NewMsgSubmitProposal(msgs, deposit, v0.String(), "akw-meta", title, "for the state test", false)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	gov := authtypes.NewModuleAddress("gov")
	res, err := n.Exec(ctx, "validator0", []sdk.Msg{text("pass", full), text("reject", full), text("wait", half),
		text("fail", full, banktypes.NewMsgSend(gov, carol, akt(1_000_000_000_000_000))),
		govv1.NewMsgVote(v0, pass, govv1.OptionYes, ""), govv1.NewMsgVote(v0, reject, govv1.OptionNo, ""), govv1.NewMsgVote(v0, fail, govv1.OptionYes, "")},
		devnet.WithGas(2_000_000))
	if err != nil {
		t.Fatalf("validator0: %v", err)
	}
	if ids := proposalIDs(t, res); !slices.Equal(ids, []uint64{pass, reject, wait, fail}) {
		t.Fatalf("proposal ids %v, want 1 to 4", ids)
	}
	exec("alice", govv1.NewMsgDeposit(alice, wait, akt(100_000)))
	// Wait for a block past the end of the votes: the chain tallies them
	// in the first block whose time is after the voting end.
	pr, err := gc.Proposal(ctx, &govv1.QueryProposalRequest{ProposalId: fail})
	if err != nil {
		t.Fatal(err)
	}
	end := *pr.Proposal.VotingEndTime
	for {
		h, err := n.WaitForNextBlock(ctx)
		if err != nil {
			t.Fatal(err)
		}
		next := h + 1
		if err := n.WaitForHeight(ctx, next); err != nil {
			t.Fatal(err)
		}
		b, err := n.Client(0).Block(ctx, &h)
		if err != nil {
			t.Fatal(err)
		}
		if b.Block.Time.After(end) {
			break
		}
	}

	rpc := n.RPC()
	c, err := trusted.Init(ctx, trusted.Config{ChainID: n.ChainID(), Primary: rpc[0], Witnesses: rpc[1:], Home: t.TempDir()},
		trusted.TrustRoot{Latest: true}, trusted.InitOptions{Confirm: func(trusted.Candidate) (bool, error) { return true, nil }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	node := c.Primary()
	v, err := state.New(c, nil).Latest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	h := v.Height()

	t.Run("grants", func(t *testing.T) {
		indexed, err := v.GranteeIndexed(ctx)
		if err != nil || indexed {
			t.Fatalf("a stock SDK store has no grantee index: %v, %v", indexed, err)
		}
		by, err := v.GrantsBy(ctx, alice)
		if err != nil {
			t.Fatal(err)
		}
		var want authz.QueryGranterGrantsResponse
		grpc(t, node, h, "/cosmos.authz.v1beta1.Query/GranterGrants", &authz.QueryGranterGrantsRequest{Granter: alice.String()}, &want)
		sameGrants(t, by.Grants, want.Grants, 4)

		for _, who := range []sdk.AccAddress{bob, alice, devnet.GenesisGrantee} {
			to, err := v.GrantsTo(ctx, who)
			if err != nil {
				t.Fatal(err)
			}
			if to.By != state.ReceivedByWalk {
				t.Fatalf("grants to %s proven by %q", who, to.By)
			}
			var want authz.QueryGranteeGrantsResponse
			grpc(t, node, h, "/cosmos.authz.v1beta1.Query/GranteeGrants", &authz.QueryGranteeGrantsRequest{Grantee: who.String()}, &want)
			sameGrants(t, to.Grants, want.Grants, -1)
		}
		all, err := v.Grants(ctx, bob)
		if err != nil || len(all.Received) != 5 || len(all.Granted) != 0 {
			t.Fatalf("bob: %+v, %v", all, err)
		}
		one, err := v.GrantOne(ctx, alice, bob, sdk.MsgTypeURL(&banktypes.MsgSend{}))
		if err != nil || one.Authorization.Kind != "send" || one.Authorization.SpendLimit.String() != "1000uakt" ||
			one.Expiration == nil || !one.Expiration.Equal(hour) || one.Expired {
			t.Fatalf("send grant %+v, %v", one, err)
		}
	})

	t.Run("allowances", func(t *testing.T) {
		for _, who := range []sdk.AccAddress{bob, alice, devnet.GenesisGrantee} {
			to, err := v.AllowancesTo(ctx, who)
			if err != nil {
				t.Fatal(err)
			}
			var want feegrant.QueryAllowancesResponse
			grpc(t, node, h, "/cosmos.feegrant.v1beta1.Query/Allowances", &feegrant.QueryAllowancesRequest{Grantee: who.String()}, &want)
			sameAllowances(t, to.Allowances, want.Allowances)
		}
		for _, who := range []sdk.AccAddress{alice, carol} {
			by, err := v.AllowancesBy(ctx, who)
			if err != nil {
				t.Fatal(err)
			}
			var want feegrant.QueryAllowancesByGranterResponse
			grpc(t, node, h, "/cosmos.feegrant.v1beta1.Query/AllowancesByGranter", &feegrant.QueryAllowancesByGranterRequest{Granter: who.String()}, &want)
			sameAllowances(t, by.Allowances, want.Allowances)
		}
		one, err := v.Allowance(ctx, carol, alice)
		if err != nil || one.Allowance.Kind != "periodic" || len(one.Allowance.AllowedMessages) != 1 || one.Allowance.PeriodSpendLimit.String() != "10000uakt" {
			t.Fatalf("carol -> alice: %+v, %v", one, err)
		}
	})

	t.Run("proposals", func(t *testing.T) {
		want := map[uint64]govv1.ProposalStatus{pass: govv1.StatusPassed, reject: govv1.StatusRejected, wait: govv1.StatusDepositPeriod, fail: govv1.StatusFailed}
		for _, st := range []govv1.ProposalStatus{govv1.StatusNil, govv1.StatusDepositPeriod, govv1.StatusVotingPeriod, govv1.StatusPassed, govv1.StatusRejected, govv1.StatusFailed} {
			got, err := v.ProposalsWithStatus(ctx, st)
			if err != nil {
				t.Fatal(err)
			}
			var node govv1.QueryProposalsResponse
			grpc(t, c.Primary(), h, "/cosmos.gov.v1.Query/Proposals", &govv1.QueryProposalsRequest{ProposalStatus: st}, &node)
			if len(got.Proposals) != len(node.Proposals) {
				t.Fatalf("%s: proven %d proposals, node %d", st, len(got.Proposals), len(node.Proposals))
			}
			for i, p := range got.Proposals {
				if !sameProto(t, p, node.Proposals[i]) {
					t.Fatalf("%s: proposal %d differs:\nproven %v\nnode   %v", st, p.Id, p, node.Proposals[i])
				}
				if w, ok := want[p.Id]; ok && p.Status != w {
					t.Fatalf("proposal %d: status %s, want %s", p.Id, p.Status, w)
				}
			}
		}
		deps, err := v.Deposits(ctx, wait)
		if err != nil {
			t.Fatal(err)
		}
		var node govv1.QueryDepositsResponse
		grpc(t, c.Primary(), h, "/cosmos.gov.v1.Query/Deposits", &govv1.QueryDepositsRequest{ProposalId: wait}, &node)
		if len(deps.Deposits) != 2 || len(node.Deposits) != 2 {
			t.Fatalf("deposits: proven %d, node %d", len(deps.Deposits), len(node.Deposits))
		}
		for i := range deps.Deposits {
			if !sameProto(t, deps.Deposits[i], node.Deposits[i]) {
				t.Fatalf("deposit %d: proven %v, node %v", i, deps.Deposits[i], node.Deposits[i])
			}
		}
		if deps.Total.String() != half.Add(akt(100_000)...).String() {
			t.Fatalf("total %s", deps.Total)
		}
		params, err := v.GovParams(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var np govv1.QueryParamsResponse
		grpc(t, c.Primary(), h, "/cosmos.gov.v1.Query/Params", &govv1.QueryParamsRequest{ParamsType: "deposit"}, &np)
		if !sameProto(t, &params.Params, np.Params) || params.VotingPeriod != 8*time.Second || params.ExpeditedVotingPeriod != 4*time.Second {
			t.Fatalf("params: proven %v, node %v", params.Params, np.Params)
		}
	})
}

func proposalIDs(t *testing.T, r *devnet.TxResult) []uint64 {
	t.Helper()
	var ids []uint64
	for _, ev := range r.Events {
		if ev.Type != "submit_proposal" {
			continue
		}
		for _, a := range ev.Attributes {
			if a.Key == "proposal_id" {
				id, err := strconv.ParseUint(a.Value, 10, 64)
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, id)
			}
		}
	}
	return ids
}

// sameGrants compares proven grants with the node's, as sets (the node
// orders "grants to" its own way): granter, grantee, the authorization's
// type and bytes, the expiration.
func sameGrants(t *testing.T, got []state.Grant, want []*authz.GrantAuthorization, count int) {
	t.Helper()
	key := func(granter, grantee string, a *codectypes.Any, exp *time.Time) string {
		e := "never"
		if exp != nil {
			e = exp.UTC().String()
		}
		return fmt.Sprintf("%s>%s %s %X %s", granter, grantee, a.TypeUrl, a.Value, e)
	}
	var g, w []string
	for _, x := range got {
		if x.Authorization.Value == nil {
			t.Fatalf("grant %+v not decoded", x)
		}
		a, err := codectypes.NewAnyWithValue(x.Authorization.Value)
		if err != nil {
			t.Fatal(err)
		}
		g = append(g, key(x.Granter, x.Grantee, a, x.Expiration))
	}
	for _, x := range want {
		w = append(w, key(x.Granter, x.Grantee, x.Authorization, x.Expiration))
	}
	sort.Strings(g)
	sort.Strings(w)
	if fmt.Sprint(g) != fmt.Sprint(w) || (count >= 0 && len(g) != count) || len(g) == 0 {
		t.Fatalf("proven grants:\n%v\nnode's:\n%v", g, w)
	}
}

func sameAllowances(t *testing.T, got []state.Allowance, want []*feegrant.Grant) {
	t.Helper()
	var g, w []string
	for _, x := range got {
		if x.Value == nil {
			t.Fatalf("allowance %+v not decoded", x)
		}
		pm, ok := x.Value.(proto.Message)
		if !ok {
			t.Fatalf("allowance %T is not a protobuf message", x.Value)
		}
		a, err := codectypes.NewAnyWithValue(pm)
		if err != nil {
			t.Fatal(err)
		}
		g = append(g, fmt.Sprintf("%s>%s %s %X", x.Granter, x.Grantee, a.TypeUrl, a.Value))
	}
	for _, x := range want {
		w = append(w, fmt.Sprintf("%s>%s %s %X", x.Granter, x.Grantee, x.Allowance.TypeUrl, x.Allowance.Value))
	}
	sort.Strings(g)
	sort.Strings(w)
	if fmt.Sprint(g) != fmt.Sprint(w) || len(g) == 0 {
		t.Fatalf("proven allowances:\n%v\nnode's:\n%v", g, w)
	}
}
