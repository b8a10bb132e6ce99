package proxy_test

import (
	"bytes"
	"fmt"
	"testing"

	"cosmossdk.io/x/feegrant"
	rpcclient "github.com/cometbft/cometbft/rpc/client"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/address"
	"github.com/cosmos/cosmos-sdk/types/query"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	"github.com/cosmos/cosmos-sdk/x/authz"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/akash-wallet/akw/internal/devnet"
)

type protoMsg interface{ Marshal() ([]byte, error) }

type grpcCase struct {
	path string
	req  protoMsg
}

// grpcCases are the gRPC queries the proxy answers from proven state, with
// requests that take every branch the tests can reach on the devnet:
// found and not found, pagination by offset, by key, reversed and
// counted, filters, and malformed requests.
func grpcCases(c *chain) map[string]grpcCase {
	alice, bob, carol := c.alice.String(), c.bob.String(), c.carol.String()
	val0, val1 := c.val0.String(), c.val1.String()
	nobody := sdk.AccAddress(bytes.Repeat([]byte{0x42}, 20)).String()
	noval := sdk.ValAddress(bytes.Repeat([]byte{0x43}, 20)).String()
	page := func(limit uint64, count bool) *query.PageRequest {
		return &query.PageRequest{Limit: limit, CountTotal: count}
	}
	const (
		bank  = "/cosmos.bank.v1beta1.Query/"
		auth  = "/cosmos.auth.v1beta1.Query/"
		stk   = "/cosmos.staking.v1beta1.Query/"
		distr = "/cosmos.distribution.v1beta1.Query/"
		gov   = "/cosmos.gov.v1.Query/"
	)
	cases := map[string]grpcCase{
		"balance":                {bank + "Balance", &banktypes.QueryBalanceRequest{Address: alice, Denom: devnet.Denom}},
		"balance/other denom":    {bank + "Balance", &banktypes.QueryBalanceRequest{Address: alice, Denom: "uatom"}},
		"balance/nobody":         {bank + "Balance", &banktypes.QueryBalanceRequest{Address: nobody, Denom: devnet.Denom}},
		"balance/bad address":    {bank + "Balance", &banktypes.QueryBalanceRequest{Address: "cosmos1xyz", Denom: devnet.Denom}},
		"balance/bad denom":      {bank + "Balance", &banktypes.QueryBalanceRequest{Address: alice, Denom: "1x"}},
		"all balances":           {bank + "AllBalances", &banktypes.QueryAllBalancesRequest{Address: alice}},
		"all balances/nobody":    {bank + "AllBalances", &banktypes.QueryAllBalancesRequest{Address: nobody}},
		"all balances/page":      {bank + "AllBalances", &banktypes.QueryAllBalancesRequest{Address: alice, Pagination: page(1, true)}},
		"all balances/reverse":   {bank + "AllBalances", &banktypes.QueryAllBalancesRequest{Address: alice, Pagination: &query.PageRequest{Reverse: true}}},
		"all balances/resolve":   {bank + "AllBalances", &banktypes.QueryAllBalancesRequest{Address: alice, ResolveDenom: true}},
		"spendable":              {bank + "SpendableBalances", &banktypes.QuerySpendableBalancesRequest{Address: alice}},
		"spendable/vesting":      {bank + "SpendableBalances", &banktypes.QuerySpendableBalancesRequest{Address: c.vesting.String()}},
		"spendable/bad address":  {bank + "SpendableBalances", &banktypes.QuerySpendableBalancesRequest{Address: "akash1"}},
		"account":                {auth + "Account", &authtypes.QueryAccountRequest{Address: alice}},
		"account/vesting":        {auth + "Account", &authtypes.QueryAccountRequest{Address: c.vesting.String()}},
		"account/nobody":         {auth + "Account", &authtypes.QueryAccountRequest{Address: nobody}},
		"account/empty":          {auth + "Account", &authtypes.QueryAccountRequest{}},
		"account/bad address":    {auth + "Account", &authtypes.QueryAccountRequest{Address: "akash1qqqq"}},
		"account info":           {auth + "AccountInfo", &authtypes.QueryAccountInfoRequest{Address: alice}},
		"account info/no pubkey": {auth + "AccountInfo", &authtypes.QueryAccountInfoRequest{Address: c.vesting.String()}},
		"account info/nobody":    {auth + "AccountInfo", &authtypes.QueryAccountInfoRequest{Address: nobody}},
		"validators":             {stk + "Validators", &stakingtypes.QueryValidatorsRequest{}},
		"validators/bonded":      {stk + "Validators", &stakingtypes.QueryValidatorsRequest{Status: stakingtypes.Bonded.String()}},
		"validators/unbonded":    {stk + "Validators", &stakingtypes.QueryValidatorsRequest{Status: stakingtypes.Unbonded.String()}},
		"validators/bad status":  {stk + "Validators", &stakingtypes.QueryValidatorsRequest{Status: "JAILED"}},
		"validators/page":        {stk + "Validators", &stakingtypes.QueryValidatorsRequest{Pagination: page(1, true)}},
		"validators/offset":      {stk + "Validators", &stakingtypes.QueryValidatorsRequest{Pagination: &query.PageRequest{Offset: 1, Limit: 1}}},
		"validator":              {stk + "Validator", &stakingtypes.QueryValidatorRequest{ValidatorAddr: val0}},
		"validator/none":         {stk + "Validator", &stakingtypes.QueryValidatorRequest{ValidatorAddr: noval}},
		"validator/empty":        {stk + "Validator", &stakingtypes.QueryValidatorRequest{}},
		"delegation":             {stk + "Delegation", &stakingtypes.QueryDelegationRequest{DelegatorAddr: alice, ValidatorAddr: val0}},
		"delegation/none":        {stk + "Delegation", &stakingtypes.QueryDelegationRequest{DelegatorAddr: bob, ValidatorAddr: val0}},
		"delegation/bad val":     {stk + "Delegation", &stakingtypes.QueryDelegationRequest{DelegatorAddr: alice, ValidatorAddr: alice}},
		"delegations":            {stk + "DelegatorDelegations", &stakingtypes.QueryDelegatorDelegationsRequest{DelegatorAddr: alice}},
		"delegations/none":       {stk + "DelegatorDelegations", &stakingtypes.QueryDelegatorDelegationsRequest{DelegatorAddr: nobody}},
		"delegations/page":       {stk + "DelegatorDelegations", &stakingtypes.QueryDelegatorDelegationsRequest{DelegatorAddr: alice, Pagination: page(1, true)}},
		"delegations/reverse":    {stk + "DelegatorDelegations", &stakingtypes.QueryDelegatorDelegationsRequest{DelegatorAddr: alice, Pagination: &query.PageRequest{Reverse: true, Limit: 1}}},
		"unbonding":              {stk + "UnbondingDelegation", &stakingtypes.QueryUnbondingDelegationRequest{DelegatorAddr: alice, ValidatorAddr: val0}},
		"unbonding/none":         {stk + "UnbondingDelegation", &stakingtypes.QueryUnbondingDelegationRequest{DelegatorAddr: alice, ValidatorAddr: val1}},
		"unbondings":             {stk + "DelegatorUnbondingDelegations", &stakingtypes.QueryDelegatorUnbondingDelegationsRequest{DelegatorAddr: alice}},
		"unbondings/none":        {stk + "DelegatorUnbondingDelegations", &stakingtypes.QueryDelegatorUnbondingDelegationsRequest{DelegatorAddr: bob}},
		"redelegations":          {stk + "Redelegations", &stakingtypes.QueryRedelegationsRequest{DelegatorAddr: alice}},
		"redelegations/one":      {stk + "Redelegations", &stakingtypes.QueryRedelegationsRequest{DelegatorAddr: alice, SrcValidatorAddr: val0, DstValidatorAddr: val1}},
		"redelegations/none":     {stk + "Redelegations", &stakingtypes.QueryRedelegationsRequest{DelegatorAddr: alice, SrcValidatorAddr: val1, DstValidatorAddr: val0}},
		"redelegations/src":      {stk + "Redelegations", &stakingtypes.QueryRedelegationsRequest{SrcValidatorAddr: val0}},
		"redelegations/empty":    {stk + "Redelegations", &stakingtypes.QueryRedelegationsRequest{}},
		"staking params":         {stk + "Params", &stakingtypes.QueryParamsRequest{}},
		"rewards":                {distr + "DelegationRewards", &distrtypes.QueryDelegationRewardsRequest{DelegatorAddress: alice, ValidatorAddress: val0}},
		"rewards/no delegation":  {distr + "DelegationRewards", &distrtypes.QueryDelegationRewardsRequest{DelegatorAddress: carol, ValidatorAddress: val0}},
		"rewards/no validator":   {distr + "DelegationRewards", &distrtypes.QueryDelegationRewardsRequest{DelegatorAddress: alice, ValidatorAddress: noval}},
		"total rewards":          {distr + "DelegationTotalRewards", &distrtypes.QueryDelegationTotalRewardsRequest{DelegatorAddress: alice}},
		"total rewards/none":     {distr + "DelegationTotalRewards", &distrtypes.QueryDelegationTotalRewardsRequest{DelegatorAddress: nobody}},
		"proposal":               {gov + "Proposal", &govv1.QueryProposalRequest{ProposalId: c.propID}},
		"proposal/none":          {gov + "Proposal", &govv1.QueryProposalRequest{ProposalId: 9999}},
		"proposal/zero":          {gov + "Proposal", &govv1.QueryProposalRequest{}},
		"proposals":              {gov + "Proposals", &govv1.QueryProposalsRequest{}},
		"proposals/voting":       {gov + "Proposals", &govv1.QueryProposalsRequest{ProposalStatus: govv1.StatusVotingPeriod}},
		"proposals/passed":       {gov + "Proposals", &govv1.QueryProposalsRequest{ProposalStatus: govv1.StatusPassed}},
		"proposals/voter":        {gov + "Proposals", &govv1.QueryProposalsRequest{Voter: alice}},
		"proposals/not voter":    {gov + "Proposals", &govv1.QueryProposalsRequest{Voter: carol}},
		"proposals/depositor":    {gov + "Proposals", &govv1.QueryProposalsRequest{Depositor: bob}},
		"proposals/page":         {gov + "Proposals", &govv1.QueryProposalsRequest{Pagination: page(1, true)}},
		"vote":                   {gov + "Vote", &govv1.QueryVoteRequest{ProposalId: c.propID, Voter: alice}},
		"vote/none":              {gov + "Vote", &govv1.QueryVoteRequest{ProposalId: c.propID, Voter: bob}},
		"gov params":             {gov + "Params", &govv1.QueryParamsRequest{}},
		"gov params/voting":      {gov + "Params", &govv1.QueryParamsRequest{ParamsType: "voting"}},
		"gov params/bad":         {gov + "Params", &govv1.QueryParamsRequest{ParamsType: "nope"}},
	}
	for name, tc := range authzCases(c, nobody, page) {
		cases[name] = tc
	}
	return cases
}

// authzCases are the authz and feegrant queries, over the grants and
// allowances of makeGrants.
func authzCases(c *chain, nobody string, page func(uint64, bool) *query.PageRequest) map[string]grpcCase {
	alice, bob, carol := c.alice.String(), c.bob.String(), c.carol.String()
	const (
		az = "/cosmos.authz.v1beta1.Query/"
		fg = "/cosmos.feegrant.v1beta1.Query/"
	)
	// A page's key is the key inside the query's prefix store: the
	// message type for Grants, lp(granter) lp(grantee) msgType for
	// GranteeGrants (every grant walked).
	grantKey := []byte(msgRedel)
	granteeKey := append(append(address.MustLengthPrefix(c.carol), address.MustLengthPrefix(c.bob)...), msgDelegate...)
	return map[string]grpcCase{
		"grants":                     {az + "Grants", &authz.QueryGrantsRequest{Granter: alice, Grantee: bob}},
		"grants/msg type":            {az + "Grants", &authz.QueryGrantsRequest{Granter: alice, Grantee: bob, MsgTypeUrl: msgVote}},
		"grants/stake":               {az + "Grants", &authz.QueryGrantsRequest{Granter: alice, Grantee: bob, MsgTypeUrl: msgDelegate}},
		"grants/msg type none":       {az + "Grants", &authz.QueryGrantsRequest{Granter: alice, Grantee: bob, MsgTypeUrl: "/cosmos.gov.v1.MsgDeposit"}},
		"grants/none":                {az + "Grants", &authz.QueryGrantsRequest{Granter: bob, Grantee: alice}},
		"grants/page":                {az + "Grants", &authz.QueryGrantsRequest{Granter: alice, Grantee: bob, Pagination: page(1, true)}},
		"grants/page no count":       {az + "Grants", &authz.QueryGrantsRequest{Granter: alice, Grantee: bob, Pagination: page(2, false)}},
		"grants/key":                 {az + "Grants", &authz.QueryGrantsRequest{Granter: alice, Grantee: bob, Pagination: &query.PageRequest{Key: grantKey, Limit: 1}}},
		"grants/offset":              {az + "Grants", &authz.QueryGrantsRequest{Granter: alice, Grantee: bob, Pagination: &query.PageRequest{Offset: 1, Limit: 2, CountTotal: true}}},
		"grants/reverse":             {az + "Grants", &authz.QueryGrantsRequest{Granter: alice, Grantee: bob, Pagination: &query.PageRequest{Reverse: true, Limit: 3}}},
		"grants/key and offset":      {az + "Grants", &authz.QueryGrantsRequest{Granter: alice, Grantee: bob, Pagination: &query.PageRequest{Key: grantKey, Offset: 1}}},
		"grants/bad granter":         {az + "Grants", &authz.QueryGrantsRequest{Granter: "akash1xyz", Grantee: bob}},
		"grants/empty":               {az + "Grants", &authz.QueryGrantsRequest{}},
		"granter grants":             {az + "GranterGrants", &authz.QueryGranterGrantsRequest{Granter: alice}},
		"granter grants/carol":       {az + "GranterGrants", &authz.QueryGranterGrantsRequest{Granter: carol}},
		"granter grants/nobody":      {az + "GranterGrants", &authz.QueryGranterGrantsRequest{Granter: nobody}},
		"granter grants/page":        {az + "GranterGrants", &authz.QueryGranterGrantsRequest{Granter: alice, Pagination: page(3, true)}},
		"granter grants/reverse":     {az + "GranterGrants", &authz.QueryGranterGrantsRequest{Granter: carol, Pagination: &query.PageRequest{Reverse: true}}},
		"granter grants/bad":         {az + "GranterGrants", &authz.QueryGranterGrantsRequest{Granter: "cosmos1qqqq"}},
		"grantee grants":             {az + "GranteeGrants", &authz.QueryGranteeGrantsRequest{Grantee: bob}},
		"grantee grants/alice":       {az + "GranteeGrants", &authz.QueryGranteeGrantsRequest{Grantee: alice}},
		"grantee grants/nobody":      {az + "GranteeGrants", &authz.QueryGranteeGrantsRequest{Grantee: nobody}},
		"grantee grants/page":        {az + "GranteeGrants", &authz.QueryGranteeGrantsRequest{Grantee: bob, Pagination: page(2, true)}},
		"grantee grants/offset":      {az + "GranteeGrants", &authz.QueryGranteeGrantsRequest{Grantee: bob, Pagination: &query.PageRequest{Offset: 3, Limit: 1, CountTotal: true}}},
		"grantee grants/key":         {az + "GranteeGrants", &authz.QueryGranteeGrantsRequest{Grantee: bob, Pagination: &query.PageRequest{Key: granteeKey, Limit: 1}}},
		"grantee grants/bad":         {az + "GranteeGrants", &authz.QueryGranteeGrantsRequest{Grantee: "akash1"}},
		"allowance":                  {fg + "Allowance", &feegrant.QueryAllowanceRequest{Granter: alice, Grantee: bob}},
		"allowance/allowed msgs":     {fg + "Allowance", &feegrant.QueryAllowanceRequest{Granter: carol, Grantee: alice}},
		"allowance/unlimited":        {fg + "Allowance", &feegrant.QueryAllowanceRequest{Granter: carol, Grantee: bob}},
		"allowance/none":             {fg + "Allowance", &feegrant.QueryAllowanceRequest{Granter: bob, Grantee: alice}},
		"allowance/bad grantee":      {fg + "Allowance", &feegrant.QueryAllowanceRequest{Granter: alice, Grantee: "akash1xyz"}},
		"allowances":                 {fg + "Allowances", &feegrant.QueryAllowancesRequest{Grantee: bob}},
		"allowances/alice":           {fg + "Allowances", &feegrant.QueryAllowancesRequest{Grantee: alice}},
		"allowances/nobody":          {fg + "Allowances", &feegrant.QueryAllowancesRequest{Grantee: nobody}},
		"allowances/page":            {fg + "Allowances", &feegrant.QueryAllowancesRequest{Grantee: bob, Pagination: page(1, true)}},
		"allowances/reverse":         {fg + "Allowances", &feegrant.QueryAllowancesRequest{Grantee: bob, Pagination: &query.PageRequest{Reverse: true, Limit: 1}}},
		"allowances/bad":             {fg + "Allowances", &feegrant.QueryAllowancesRequest{}},
		"allowances by granter":      {fg + "AllowancesByGranter", &feegrant.QueryAllowancesByGranterRequest{Granter: carol}},
		"allowances by granter/one":  {fg + "AllowancesByGranter", &feegrant.QueryAllowancesByGranterRequest{Granter: alice}},
		"allowances by granter/no":   {fg + "AllowancesByGranter", &feegrant.QueryAllowancesByGranterRequest{Granter: nobody}},
		"allowances by granter/page": {fg + "AllowancesByGranter", &feegrant.QueryAllowancesByGranterRequest{Granter: carol, Pagination: page(1, true)}},
		"allowances by granter/bad":  {fg + "AllowancesByGranter", &feegrant.QueryAllowancesByGranterRequest{Granter: "x"}},
	}
}

// TestGRPCByteForByte asks the proxy each gRPC query, then the devnet
// node's own query service the same at the height the proxy answered
// for, and requires the same bytes: the protobuf response, or the error's
// code, codespace and log. It is the strongest test of "encoded exactly
// as the node encodes them": any difference in a field, in pagination,
// in an error text, fails it.
func TestGRPCByteForByte(t *testing.T) {
	c := chainState(t)
	h := startProxy(t)
	ctx := testCtx(t)
	cases := grpcCases(c)
	errors, values := 0, 0
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			data, err := tc.req.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			got, err := h.rpc.ABCIQueryWithOptions(ctx, tc.path, data, rpcclient.ABCIQueryOptions{})
			if err != nil {
				t.Fatalf("proxy: %v", err)
			}
			g := got.Response
			if g.Height < c.lastHeight {
				t.Fatalf("proxy answered at height %d, before the test's transactions (%d)", g.Height, c.lastHeight)
			}
			want, err := h.node.ABCIQueryWithOptions(ctx, tc.path, data, rpcclient.ABCIQueryOptions{Height: g.Height})
			if err != nil {
				t.Fatalf("node: %v", err)
			}
			w := want.Response
			if g.Code != w.Code || g.Codespace != w.Codespace || g.Log != w.Log || g.Height != w.Height || g.Info != w.Info || g.Index != w.Index {
				t.Fatalf("at height %d:\nproxy code %d codespace %q height %d log %q\nnode  code %d codespace %q height %d log %q",
					g.Height, g.Code, g.Codespace, g.Height, g.Log, w.Code, w.Codespace, w.Height, w.Log)
			}
			if !bytes.Equal(g.Value, w.Value) || !bytes.Equal(g.Key, w.Key) || g.ProofOps != nil {
				t.Fatalf("at height %d the bytes differ:\nproxy %X\nnode  %X", g.Height, g.Value, w.Value)
			}
			if g.Code != 0 {
				errors++
			} else {
				values++
			}
			if testing.Verbose() {
				t.Logf("%s at %d: %s", tc.path, g.Height, summary(g.Code, g.Log, len(g.Value)))
			}
		})
	}
	t.Logf("%d gRPC queries answered byte for byte as the node: %d values, %d errors", len(cases), values, errors)
}

func summary(code uint32, log string, n int) string {
	if code != 0 {
		return fmt.Sprintf("error %d %q", code, log)
	}
	return fmt.Sprintf("%d bytes", n)
}
