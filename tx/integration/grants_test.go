package integration_test

import (
	"errors"
	"sort"
	"strings"
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/lightclient/state"
	"github.com/akash-wallet/akw/tx"
	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/fee"
	"github.com/akash-wallet/akw/tx/flow"
	"github.com/akash-wallet/akw/tx/ops"
	"github.com/akash-wallet/akw/tx/proven"
)

var auto = flow.Options{Gas: fee.Gas{Auto: true}}

// checkErr fails unless err is a pre-signing check of the named kind
// whose reason says want.
func checkErr(t *testing.T, err error, check, want string) {
	t.Helper()
	var ce *tx.CheckError
	if !errors.As(err, &ce) || ce.Check != check || !strings.Contains(ce.Reason, want) {
		t.Fatalf("got %v, want a %q check refusing with %q", err, check, want)
	}
}

// A fee allowance pays a grantee's transaction (the grantee's proven
// balance loses the amount sent and no fee, the proven allowance shrinks
// by the fee), and once what is left does not cover a fee, the next
// transaction is refused before signing.
func TestFeeGrantPaysThenRefusedWhenSpent(t *testing.T) {
	f := open(t)
	alice := f.key(t, "alice")
	g := f.newKey(t, "fee-grantee", 2000)
	f.do(t, alice, &ops.GrantAllowance{Granter: alice.Address, Grantee: g.Address, SpendLimit: uakt(7000)}, auto)

	fixed := flow.Options{Fees: uakt(5000), Gas: fee.Gas{Limit: 200_000}, FeeGranter: alice.Address}
	res := f.do(t, g, &ops.Send{From: g.Address, To: alice.Address, Amount: sdk.NewInt64Coin(devnet.Denom, 1000)}, fixed)
	v := f.view(t, res.Height)
	bal, err := v.Balance(f.ctx, g.Address, devnet.Denom)
	if err != nil {
		t.Fatal(err)
	}
	if !bal.Coin.Amount.Equal(sdkmath.NewInt(1000)) {
		t.Fatalf("grantee's proven balance %s, want 1000uakt: the fee was not the granter's", bal.Coin)
	}
	a, err := v.Allowance(f.ctx, alice.Address, g.Address)
	if err != nil {
		t.Fatal(err)
	}
	if !a.Allowance.SpendLimit.Equal(uakt(2000)) {
		t.Fatalf("proven allowance left %s, want 2000uakt", a.Allowance.SpendLimit)
	}

	// 2,000 left, a 5,000 fee: refused before signing.
	_, err = f.prepare(g, &ops.Send{From: g.Address, To: alice.Address, Amount: sdk.NewInt64Coin(devnet.Denom, 1)}, fixed)
	checkErr(t, err, "fee allowance", "is more than what is left of the allowance")
	// A fee the rest covers still goes through the checks.
	small := fixed
	small.Fees = uakt(2000)
	if _, err := f.prepare(g, &ops.Send{From: g.Address, To: alice.Address, Amount: sdk.NewInt64Coin(devnet.Denom, 1)}, small); err != nil {
		t.Fatalf("a fee within what is left: %v", err)
	}
	// Someone who gave no allowance.
	bob := f.key(t, "bob")
	noGrant := fixed
	noGrant.FeeGranter = bob.Address
	_, err = f.prepare(g, &ops.Send{From: g.Address, To: alice.Address, Amount: sdk.NewInt64Coin(devnet.Denom, 1)}, noGrant)
	checkErr(t, err, "fee allowance", "no fee allowance (proven absent)")
}

// An allowance with an expiry pays nothing once the chain's time has
// passed it: the test waits for blocks until the verified header's time
// is past the expiry, then the transaction is refused before signing.
func TestFeeGrantRefusedOnceExpired(t *testing.T) {
	f := open(t)
	alice := f.key(t, "alice")
	g := f.newKey(t, "expiring-grantee", 2000)
	now, err := proven.New(f.q).Time(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Far enough ahead that the grant is still valid when its block runs
	// on a busy machine; the wait below is for blocks, not for a clock.
	exp := now.Add(20 * time.Second).Truncate(time.Second)
	res := f.do(t, alice, &ops.GrantAllowance{Granter: alice.Address, Grantee: g.Address, SpendLimit: uakt(1_000_000), Expiration: &exp}, auto)
	v := f.view(t, res.Height)
	a, err := v.Allowance(f.ctx, alice.Address, g.Address)
	if err != nil || a.Allowance.Expiration == nil || !a.Allowance.Expiration.Equal(exp) {
		t.Fatalf("proven allowance %+v, %v", a, err)
	}
	for !v.Header().Time.After(exp) {
		if _, err := f.n.WaitForNextBlock(f.ctx); err != nil {
			t.Fatal(err)
		}
		v = f.view(t, v.Height()+1)
	}
	_, err = f.prepare(g, &ops.Send{From: g.Address, To: alice.Address, Amount: sdk.NewInt64Coin(devnet.Denom, 1)},
		flow.Options{Gas: fee.Gas{Auto: true}, FeeGranter: alice.Address})
	// The chain prunes an expired allowance in the next block's end
	// blocker; until then it is there, expired. Either is refused.
	var ce *tx.CheckError
	if !errors.As(err, &ce) || ce.Check != "fee allowance" || !(strings.Contains(ce.Reason, "expired") || strings.Contains(ce.Reason, "proven absent")) {
		t.Fatalf("expired allowance: %v", err)
	}
}

// The REStake preset: alice grants a bot MsgDelegate to one validator and
// MsgWithdrawDelegatorReward in one transaction; the bot claims and
// delegates for her (the proven delegation grows by the amount), and a
// delegation to another validator is refused before signing.
func TestRestakePreset(t *testing.T) {
	f := open(t)
	alice := f.key(t, "alice")
	bot := f.newKey(t, "restake-bot", 1_000_000)
	vals := f.n.Validators()
	p := address.For(devnet.Bech32Prefix)
	val0, err := address.Validator(vals[0].OperatorAddress, p)
	if err != nil {
		t.Fatal(err)
	}
	now, err := proven.New(f.q).Time(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	exp := now.Add(30 * 24 * time.Hour).Truncate(time.Second)
	preset, err := ops.NewAutoCompound(alice.Address, bot.Address, val0, &exp, p)
	if err != nil {
		t.Fatal(err)
	}
	res := f.do(t, alice, preset, auto)
	v := f.view(t, res.Height)
	gl, err := v.GrantsBetween(f.ctx, alice.Address, bot.Address)
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, g := range gl.Grants {
		types = append(types, g.Authorization.MsgTypeURL)
		if g.Expiration == nil || !g.Expiration.Equal(exp) {
			t.Fatalf("grant %s expires %v, want %s", g.Authorization.MsgTypeURL, g.Expiration, exp)
		}
	}
	sort.Strings(types)
	if want := []string{sdk.MsgTypeURL(&distrtypes.MsgWithdrawDelegatorReward{}), sdk.MsgTypeURL(&stakingtypes.MsgDelegate{})}; strings.Join(types, " ") != strings.Join(want, " ") {
		t.Fatalf("proven grants %v, want %v", types, want)
	}
	before := delegated(t, f, v, alice.Address, vals[0].OperatorAddress)

	delegate := func(val string, n int64) sdk.Msg {
		return &stakingtypes.MsgDelegate{DelegatorAddress: f.enc.Bech32(alice.Address), ValidatorAddress: val, Amount: sdk.NewInt64Coin(devnet.Denom, n)}
	}
	exec, err := ops.NewExec(f.enc.Codec, bot.Address, []sdk.Msg{delegate(vals[0].OperatorAddress, 1000)})
	if err != nil {
		t.Fatal(err)
	}
	res = f.do(t, bot, exec, auto)
	v = f.view(t, res.Height)
	if got := delegated(t, f, v, alice.Address, vals[0].OperatorAddress).Sub(before); !got.Equal(sdkmath.NewInt(1000)) {
		t.Fatalf("alice's proven delegation grew by %s, want 1000", got)
	}
	// Claim her rewards for her, as the bot does before compounding.
	claim, err := ops.NewExec(f.enc.Codec, bot.Address, []sdk.Msg{&distrtypes.MsgWithdrawDelegatorReward{DelegatorAddress: f.enc.Bech32(alice.Address), ValidatorAddress: vals[0].OperatorAddress}})
	if err != nil {
		t.Fatal(err)
	}
	f.do(t, bot, claim, auto)

	// Another validator: the grant's allow list refuses it, before signing.
	other, err := ops.NewExec(f.enc.Codec, bot.Address, []sdk.Msg{delegate(vals[1].OperatorAddress, 1000)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.prepare(bot, other, auto)
	checkErr(t, err, "grant", "does not allow it")
	// A message type never granted.
	send, err := ops.NewExec(f.enc.Codec, bot.Address, []sdk.Msg{banktypes.NewMsgSend(alice.Address, bot.Address, uakt(1))})
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.prepare(bot, send, auto)
	checkErr(t, err, "grant", "has not granted /cosmos.bank.v1beta1.MsgSend")
}

func delegated(t *testing.T, f *fixture, v *state.View, del sdk.AccAddress, val string) sdkmath.Int {
	t.Helper()
	ds, err := v.Delegations(f.ctx, del)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds.Delegations {
		if d.ValidatorAddress == val {
			return d.Balance.Amount
		}
	}
	return sdkmath.ZeroInt()
}

// A text proposal with the least initial deposit waits in its deposit
// period (proven); a deposit by another account completes the minimum and
// the proven proposal enters its voting period, the proven deposits
// listing both. An expedited proposal carrying a message enters its
// voting period at once, expedited.
func TestDepositAndProposals(t *testing.T) {
	f := open(t)
	alice, bob := f.key(t, "alice"), f.key(t, "bob")
	text := &ops.SubmitProposal{Proposer: alice.Address, Title: "akw text proposal", ProposalSummary: "Nothing is executed.",
		Metadata: "ipfs://QmText", Deposit: uakt(400_000)}
	res := f.do(t, alice, text, auto)
	v := f.view(t, res.Height)
	id := proposalTitled(t, f, v, "akw text proposal")
	pa, err := v.Proposal(f.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if pa.Proposal.Status != govv1.StatusDepositPeriod || len(pa.Proposal.Messages) != 0 || pa.Proposal.Summary != "Nothing is executed." {
		t.Fatalf("proven proposal %+v", pa.Proposal)
	}

	res = f.do(t, bob, &ops.Deposit{Depositor: bob.Address, ProposalID: id, Amount: uakt(600_000)}, auto)
	v = f.view(t, res.Height)
	ds, err := v.Deposits(f.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, d := range ds.Deposits {
		got[d.Depositor] = sdk.Coins(d.Amount).String()
	}
	if len(got) != 2 || got[f.enc.Bech32(alice.Address)] != "400000uakt" || got[f.enc.Bech32(bob.Address)] != "600000uakt" || !ds.Total.Equal(uakt(1_000_000)) {
		t.Fatalf("proven deposits %v, total %s", got, ds.Total)
	}
	if pa, err = v.Proposal(f.ctx, id); err != nil || pa.Proposal.Status != govv1.StatusVotingPeriod {
		t.Fatalf("after the deposit: %+v %v", pa, err)
	}
	// A deposit on a proposal that does not exist is refused before
	// signing.
	_, err = f.prepare(bob, &ops.Deposit{Depositor: bob.Address, ProposalID: 999_999, Amount: uakt(1)}, auto)
	if err == nil {
		t.Fatal("a deposit on an unknown proposal was prepared")
	}

	gov := authtypes.NewModuleAddress(govtypes.ModuleName)
	exp := &ops.SubmitProposal{Proposer: alice.Address, Title: "akw expedited proposal", ProposalSummary: "Pay one uakt.", Expedited: true,
		Deposit: uakt(2_000_000), Messages: []sdk.Msg{banktypes.NewMsgSend(gov, bob.Address, uakt(1))}}
	// Below the expedited minimum's initial part: refused before signing.
	low := *exp
	low.Deposit = uakt(400_000)
	_, err = f.prepare(alice, &low, auto)
	checkErr(t, err, "deposit", "an expedited proposal")
	res = f.do(t, alice, exp, auto)
	v = f.view(t, res.Height)
	id = proposalTitled(t, f, v, "akw expedited proposal")
	if pa, err = v.Proposal(f.ctx, id); err != nil || pa.Proposal.Status != govv1.StatusVotingPeriod || !pa.Proposal.Expedited || len(pa.Proposal.Messages) != 1 {
		t.Fatalf("expedited: %+v %v", pa, err)
	}
}

// proposalTitled finds, among every proven proposal, the one titled so.
func proposalTitled(t *testing.T, f *fixture, v *state.View, title string) uint64 {
	t.Helper()
	all, err := v.ProposalsWithStatus(f.ctx, govv1.StatusNil)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range all.Proposals {
		if p.Title == title {
			return p.Id
		}
	}
	t.Fatalf("no proven proposal titled %q among %d", title, len(all.Proposals))
	return 0
}
