package ops

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"cosmossdk.io/x/feegrant"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	"github.com/cosmos/cosmos-sdk/x/authz"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/akash-wallet/akw/tx"
	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/amount"
	"github.com/akash-wallet/akw/tx/encoding"
)

// grantState adds grants, fee allowances, gov parameters, balances and
// the chain's time to memState.
type grantState struct {
	*memState
	now        time.Time
	balances   map[string]sdk.Coins // by address
	locked     map[string]sdk.Coins // of the balances, what vesting locks
	grants     []tx.Grant
	allowances []tx.Allowance
	params     *tx.GovParams
	details    map[uint64]*tx.ProposalDetail
}

func newGrantState() *grantState {
	return &grantState{memState: state(), now: time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC), balances: map[string]sdk.Coins{},
		params: &tx.GovParams{MinDeposit: sdk.NewCoins(coin(1_000_000)), ExpeditedMinDeposit: sdk.NewCoins(coin(2_000_000)),
			MinInitialDepositRatio: "0.4", MinDepositRatio: "0.01", MaxDepositPeriod: time.Hour, VotingPeriod: 20 * time.Second,
			ExpeditedVotingPeriod: 10 * time.Second, Height: 40},
		details: map[uint64]*tx.ProposalDetail{
			3: {Proposal: tx.Proposal{ID: 3, Title: "waits", Status: govv1.StatusDepositPeriod}, TotalDeposit: sdk.NewCoins(coin(400_000)), DepositEnd: time.Date(2026, 6, 1, 13, 0, 0, 0, time.UTC)},
			2: {Proposal: tx.Proposal{ID: 2, Title: "done", Status: govv1.StatusPassed}},
			1: {Proposal: tx.Proposal{ID: 1, Title: "votes", Status: govv1.StatusVotingPeriod}, TotalDeposit: sdk.NewCoins(coin(1_000_000))},
		}}
}

func (g *grantState) Time(context.Context) (time.Time, error) { return g.now, nil }
func (g *grantState) Balance(_ context.Context, a sdk.AccAddress, denom string) (*tx.Balance, error) {
	amt := g.balances[string(a)].AmountOf(denom)
	return &tx.Balance{Denom: denom, Total: amt, Spendable: amt.Sub(g.locked[string(a)].AmountOf(denom)), Height: 40, Verified: true}, nil
}
func (g *grantState) Grants(_ context.Context, granter, grantee sdk.AccAddress) ([]tx.Grant, error) {
	var out []tx.Grant
	for _, x := range g.grants {
		if x.Granter.Equals(granter) && x.Grantee.Equals(grantee) {
			out = append(out, x)
		}
	}
	return out, nil
}
func (g *grantState) Allowance(_ context.Context, granter, grantee sdk.AccAddress) (*tx.Allowance, error) {
	for _, x := range g.allowances {
		if x.Granter.Equals(granter) && x.Grantee.Equals(grantee) {
			cp := x
			return &cp, nil
		}
	}
	return nil, fmt.Errorf("%w: allowance", tx.ErrNotFound)
}
func (g *grantState) GovParams(context.Context) (*tx.GovParams, error) { return g.params, nil }
func (g *grantState) ProposalDetail(_ context.Context, id uint64) (*tx.ProposalDetail, error) {
	if p, ok := g.details[id]; ok {
		return p, nil
	}
	return nil, fmt.Errorf("%w: proposal", tx.ErrNotFound)
}

var (
	bot   = sdk.AccAddress(bytes.Repeat([]byte{0xb0}, 20))
	other = sdk.AccAddress(bytes.Repeat([]byte{0x0e}, 20))
	pfx   = address.For("akash")
)

func bech(a sdk.AccAddress) string    { return address.Bech32("akash", a) }
func valBech(v sdk.ValAddress) string { return address.Bech32("akashvaloper", v) }

func enc(t *testing.T) *encoding.Config {
	t.Helper()
	cfg, err := encoding.New("akash")
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func wantInput(t *testing.T, err error, contains string) {
	t.Helper()
	var ie *tx.InputError
	if !errors.As(err, &ie) {
		t.Fatalf("want an input error (exit 2) about %q, got %T %v", contains, err, err)
	}
	if !strings.Contains(err.Error(), contains) {
		t.Fatalf("error %q does not say %q", err, contains)
	}
}

func wantCheck(t *testing.T, err error, contains string) {
	t.Helper()
	var ce *tx.CheckError
	if !errors.As(err, &ce) {
		t.Fatalf("want a check error (the chain would refuse) about %q, got %T %v", contains, err, err)
	}
	if !strings.Contains(err.Error(), contains) {
		t.Fatalf("error %q does not say %q", err, contains)
	}
	if ce.Hint() == "" && ce.Remedy().IsZero() {
		t.Fatalf("no hint or remedy for %q", err)
	}
}

// Every bad input of a grant is refused before signing, as an input error
// (exit 2) naming what is wrong.
func TestParseGrantRefusesBadInput(t *testing.T) {
	reg := enc(t).Registry
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	parse := func(r GrantRequest, grantee string) error {
		_, err := ParseGrant(r, me, grantee, amount.Akash, pfx, reg, now)
		return err
	}
	wantInput(t, parse(GrantRequest{Kind: "generic", MsgType: "/cosmos.bank.v1beta1.MsgSnd"}, bech(bot)), "unknown message type")
	wantInput(t, parse(GrantRequest{Kind: "generic", MsgType: "MsgVote"}, bech(bot)), "ambiguous") // gov v1 and v1beta1
	wantInput(t, parse(GrantRequest{Kind: "generic", MsgType: "/cosmos.gov.v1.MsgVote", Expiration: "2020-01-01"}, bech(bot)), "in the past")
	wantInput(t, parse(GrantRequest{Kind: "generic", MsgType: "/cosmos.gov.v1.MsgVote"}, bech(me)), "over itself")
	wantInput(t, parse(GrantRequest{Kind: "send"}, bech(bot)), "spend limit")
	wantInput(t, parse(GrantRequest{Kind: "send", SpendLimit: "1.5atom"}, bech(bot)), "atom")
	wantInput(t, parse(GrantRequest{Kind: "send", SpendLimit: "1akt,2akt"}, bech(bot)), "twice")
	wantInput(t, parse(GrantRequest{Kind: "delegate", MaxTokens: "1akt"}, bech(bot)), "allowed or denied validators")
	wantInput(t, parse(GrantRequest{Kind: "delegate", AllowValidators: []string{valBech(val(1))}, DenyValidators: []string{valBech(val(4))}}, bech(bot)), "both")
	wantInput(t, parse(GrantRequest{Kind: "delegate", AllowValidators: []string{bech(bot)}}, bech(bot)), "validator")
	wantInput(t, parse(GrantRequest{Kind: "swap"}, bech(bot)), "unknown kind")
	wantInput(t, parse(GrantRequest{Kind: "generic", MsgType: "/cosmos.gov.v1.MsgVote"}, "cosmos1xyz"), "")

	g, err := ParseGrant(GrantRequest{Kind: "generic", MsgType: "MsgWithdrawDelegatorReward", Expiration: "30d"}, me, bech(bot), amount.Akash, pfx, reg, now)
	if err != nil {
		t.Fatal(err)
	}
	if g.Authorizations[0].MsgTypeURL() != "/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward" || !g.Expiration.Equal(now.Add(30*24*time.Hour)) {
		t.Fatalf("%+v", g)
	}
}

func TestParseExpiration(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Time{
		"12h":                  now.Add(12 * time.Hour),
		"1y":                   now.Add(365 * 24 * time.Hour),
		"2w":                   now.Add(14 * 24 * time.Hour),
		"2027-01-31":           time.Date(2027, 1, 31, 23, 59, 59, 0, time.UTC),
		"2027-01-31T10:00:00Z": time.Date(2027, 1, 31, 10, 0, 0, 0, time.UTC),
		"1800000000":           time.Unix(1800000000, 0).UTC(),
	} {
		got, err := ParseExpiration(in, now)
		if err != nil || !got.Equal(want) {
			t.Errorf("%q: %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"0d", "-1d", "soon", "2027-13-01", "99999999999999", "1000000y", "5x"} {
		if _, err := ParseExpiration(bad, now); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if got, err := ParseExpiration("", now); got != nil || err != nil {
		t.Errorf("empty: %v %v", got, err)
	}
}

// The review says in words what the grantee may do, with what limit,
// until when; and what an existing grant it replaces allowed.
func TestGrantCheckAndReview(t *testing.T) {
	st := newGrantState()
	c, warnings := checker(st)
	exp := st.now.Add(30 * 24 * time.Hour)
	g, err := ParseGrant(GrantRequest{Kind: "delegate", AllowValidators: []string{valBech(val(1))}, MaxTokens: "5akt", Expiration: "30d"},
		me, bech(bot), amount.Akash, pfx, enc(t).Registry, st.now)
	if err != nil {
		t.Fatal(err)
	}
	old, _ := newStakeAuthorization([]sdk.ValAddress{val(4)}, nil, stakingtypes.AuthorizationType_AUTHORIZATION_TYPE_DELEGATE, nil, pfx)
	st.grants = []tx.Grant{{Granter: me, Grantee: bot, MsgTypeURL: old.MsgTypeURL(), Authorization: old}}
	if err := g.Check(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	if len(*warnings) != 1 || !strings.Contains((*warnings)[0], "replaced") {
		t.Fatalf("warnings %v", *warnings)
	}
	f := fields(g.Summary(amount.Akash, pfx))
	if f["grantee may"] != "delegate your tokens, up to 5 AKT in total, with only "+valBech(val(1)) {
		t.Fatalf("may: %q", f["grantee may"])
	}
	if f["until"] != exp.Format("2006-01-02 15:04:05 UTC")+" (in 30 days)" {
		t.Fatalf("until: %q", f["until"])
	}
	if !strings.Contains(f["replaces"], "with only "+valBech(val(4))) || !strings.Contains(f["replaces"], "no end date") {
		t.Fatalf("replaces: %q", f["replaces"])
	}

	// An unknown validator is the chain's refusal; a max in another
	// token than the staking one, and a send limit in a token the
	// granter does not hold, are the user's mistakes.
	bad, _ := ParseGrant(GrantRequest{Kind: "delegate", AllowValidators: []string{valBech(val(7))}}, me, bech(bot), amount.Akash, pfx, enc(t).Registry, st.now)
	wantCheck(t, bad.Check(context.Background(), c), "no validator")
	send, err := ParseGrant(GrantRequest{Kind: "send", SpendLimit: "1akt,5uatom"}, me, bech(bot), amount.Akash, pfx, enc(t).Registry, st.now)
	if err != nil {
		t.Fatal(err)
	}
	wantInput(t, send.Check(context.Background(), c), "does not hold")
	st.balances[string(me)] = sdk.NewCoins(sdk.NewInt64Coin("uatom", 1))
	if err := send.Check(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	if f := fields(send.Summary(amount.Akash, pfx)); f["grantee may"] != "send up to 1 AKT, 5uatom of your tokens in total, to anyone" || f["until"] != "no end date: until revoked" {
		t.Fatalf("send review %v", f)
	}
	// An expiration past by the chain's clock (a fast local clock).
	late := st.now.Add(-time.Minute)
	g.Expiration = &late
	wantInput(t, g.Check(context.Background(), c), "not after the chain's time")
}

func fields(fs []Field) map[string]string {
	m := map[string]string{}
	for _, f := range fs {
		if _, dup := m[f.Label]; dup {
			m[f.Label] += " | " + f.Value
		} else {
			m[f.Label] = f.Value
		}
	}
	return m
}

func TestAutoCompoundPreset(t *testing.T) {
	st := newGrantState()
	c, _ := checker(st)
	g, err := ParseAutoCompound(me, bech(bot), valBech(val(1)), "1y", pfx, st.now)
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := g.Msgs(pfx)
	if err != nil || len(msgs) != 2 {
		t.Fatalf("%v %v", msgs, err)
	}
	if err := g.Check(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	f := fields(g.Summary(amount.Akash, pfx))
	if !strings.Contains(f["action"], "auto-compounding") ||
		f["grantee may"] != "delegate your tokens, any amount, with only "+valBech(val(1))+" | withdraw your staking rewards, without limit" {
		t.Fatalf("review %v", f)
	}
	if _, err := ParseAutoCompound(me, bech(bot), valBech(val(1)), "", pfx, st.now); err == nil {
		t.Fatal("an auto-compound grant without an expiration accepted")
	}
	wantInput(t, func() error {
		_, err := ParseAutoCompound(me, bech(me), valBech(val(1)), "1y", pfx, st.now)
		return err
	}(), "over itself")
}

func TestRevokeCheck(t *testing.T) {
	st := newGrantState()
	c, _ := checker(st)
	r, err := ParseRevoke(me, bech(bot), "/cosmos.gov.v1.MsgVote", pfx, enc(t).Registry)
	if err != nil {
		t.Fatal(err)
	}
	wantCheck(t, r.Check(context.Background(), c), "has no grant")
	exp := st.now.Add(time.Hour)
	st.grants = []tx.Grant{{Granter: me, Grantee: bot, MsgTypeURL: "/cosmos.gov.v1.MsgVote", Authorization: authz.NewGenericAuthorization("/cosmos.gov.v1.MsgVote"), Expiration: &exp}}
	if err := r.Check(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	if f := fields(r.Summary(amount.Akash, pfx)); f["grantee will no longer"] != "vote on governance proposals for you, without limit" || !strings.Contains(f["the grant ran until"], "in 1 hour") {
		t.Fatalf("%v", f)
	}
	_, err = ParseRevoke(me, bech(bot), "/cosmos.gov.v1.MsgVot", pfx, enc(t).Registry)
	wantInput(t, err, "unknown message type")
}

// Exec is checked the way x/authz will decide: a grant for each message's
// type, not expired, and its own Accept (limits, allow lists), message
// after message.
func TestExecCheck(t *testing.T) {
	cfg := enc(t)
	st := newGrantState()
	c, _ := checker(st)
	st.balances[string(me)] = sdk.NewCoins(coin(10_000))
	send := func(n int64, to sdk.AccAddress) sdk.Msg {
		return &banktypes.MsgSend{FromAddress: bech(me), ToAddress: bech(to), Amount: sdk.NewCoins(coin(n))}
	}
	delegate := func(v sdk.ValAddress, n int64) sdk.Msg {
		return &stakingtypes.MsgDelegate{DelegatorAddress: bech(me), ValidatorAddress: valBech(v), Amount: coin(n)}
	}
	check := func(msgs ...sdk.Msg) error {
		e, err := NewExec(cfg.Codec, bot, msgs)
		if err != nil {
			t.Fatal(err)
		}
		return e.Check(context.Background(), c)
	}
	wantCheck(t, check(send(5, other)), "has not granted")

	exp := st.now.Add(time.Hour)
	sa := banktypes.NewSendAuthorization(sdk.NewCoins(coin(1000)), nil)
	sa.AllowList = []string{bech(other)}
	stake, _ := newStakeAuthorization([]sdk.ValAddress{val(1)}, nil, stakingtypes.AuthorizationType_AUTHORIZATION_TYPE_DELEGATE, nil, pfx)
	st.grants = []tx.Grant{
		{Granter: me, Grantee: bot, MsgTypeURL: sa.MsgTypeURL(), Authorization: sa, Expiration: &exp},
		{Granter: me, Grantee: bot, MsgTypeURL: stake.MsgTypeURL(), Authorization: stake},
		{Granter: me, Grantee: bot, MsgTypeURL: sdk.MsgTypeURL(&distrtypes.MsgWithdrawDelegatorReward{}), Authorization: authz.NewGenericAuthorization(sdk.MsgTypeURL(&distrtypes.MsgWithdrawDelegatorReward{}))},
	}
	withdraw := &distrtypes.MsgWithdrawDelegatorReward{DelegatorAddress: bech(me), ValidatorAddress: valBech(val(1))}
	if err := check(withdraw, delegate(val(1), 500), send(600, other)); err != nil {
		t.Fatal(err)
	}
	wantCheck(t, check(delegate(val(4), 500)), "does not allow it")
	wantCheck(t, check(send(600, other), send(600, other)), "message 2")
	wantCheck(t, check(send(5, bot)), "does not allow it")
	wantCheck(t, check(delegate(val(1), 20_000)), "the messages take 0.02 AKT from "+bech(me)+" (0.02 AKT of it delegated, which may come from coins vesting locks), whose balance is 0.01 AKT")
	// Vesting locks 9,500 of the 10,000: a delegation may take them, a
	// send may not, and both together no more than the balance.
	st.locked = map[string]sdk.Coins{string(me): sdk.NewCoins(coin(9_500))}
	if err := check(delegate(val(1), 9_800)); err != nil {
		t.Fatalf("a delegation of locked coins: %v", err)
	}
	wantCheck(t, check(send(600, other)), "the messages send 0.0006 AKT from "+bech(me)+", whose spendable balance is 0.0005 AKT")
	if err := check(delegate(val(1), 9_500), send(500, other)); err != nil {
		t.Fatalf("the whole balance, the send within the spendable: %v", err)
	}
	wantCheck(t, check(send(500, other), delegate(val(1), 9_501)), "whose balance is 0.01 AKT")
	st.locked = nil
	st.now = exp.Add(time.Second)
	wantCheck(t, check(send(5, other)), "expired")

	// The review names, per message, whom it acts for.
	e, _ := NewExec(cfg.Codec, bot, []sdk.Msg{delegate(val(1), 1_500_000)})
	if f := fields(e.Summary(amount.Akash, pfx)); f["message 1"] != "delegate 1.5 AKT to "+valBech(val(1))+", for "+bech(me) {
		t.Fatalf("%v", f)
	}
	msgs, err := e.Msgs(pfx)
	if err != nil || len(msgs) != 1 || msgs[0].(*authz.MsgExec).Grantee != bech(bot) {
		t.Fatalf("%v %v", msgs, err)
	}
	if _, err := NewExec(cfg.Codec, bot, nil); err == nil {
		t.Fatal("an empty exec accepted")
	}
}

func TestFeeAllowanceOps(t *testing.T) {
	reg := enc(t).Registry
	st := newGrantState()
	c, _ := checker(st)
	parse := func(r AllowanceRequest, grantee string) (*GrantAllowance, error) {
		return ParseAllowance(r, me, grantee, amount.Akash, pfx, reg, st.now)
	}
	_, err := parse(AllowanceRequest{SpendLimit: "1akt"}, bech(me))
	wantInput(t, err, "its own fees")
	_, err = parse(AllowanceRequest{Period: "24h"}, bech(bot))
	wantInput(t, err, "period limit")
	_, err = parse(AllowanceRequest{PeriodLimit: "1akt"}, bech(bot))
	wantInput(t, err, "needs a period")
	_, err = parse(AllowanceRequest{SpendLimit: "1akt", Period: "1d", PeriodLimit: "2akt"}, bech(bot))
	wantInput(t, err, "above the spend limit")
	_, err = parse(AllowanceRequest{AllowedMsgs: []string{"/cosmos.bank.v1beta1.MsgSendd"}}, bech(bot))
	wantInput(t, err, "unknown message type")
	_, err = parse(AllowanceRequest{Expiration: "2001-01-01"}, bech(bot))
	wantInput(t, err, "in the past")

	o, err := parse(AllowanceRequest{SpendLimit: "10akt", Period: "1d", PeriodLimit: "1akt", Expiration: "30d", AllowedMsgs: []string{"MsgDelegate", "MsgWithdrawDelegatorReward"}}, bech(bot))
	if err != nil {
		t.Fatal(err)
	}
	if err := o.Check(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	if f := fields(o.Summary(amount.Akash, pfx)); f["grantee may"] != "have its transaction fees paid, up to 10 AKT in total, at most 1 AKT every 1 day, only for transactions made of /cosmos.staking.v1beta1.MsgDelegate, /cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward" {
		t.Fatalf("%v", f)
	}
	msgs, err := o.Msgs(pfx)
	if err != nil || msgs[0].(*feegrant.MsgGrantAllowance).Allowance.TypeUrl != "/cosmos.feegrant.v1beta1.AllowedMsgAllowance" {
		t.Fatalf("%v %v", msgs, err)
	}
	st.allowances = []tx.Allowance{{Granter: me, Grantee: bot, Allowance: &feegrant.BasicAllowance{}}}
	wantCheck(t, o.Check(context.Background(), c), "already pays")

	r, err := ParseRevokeAllowance(me, bech(other), pfx)
	if err != nil {
		t.Fatal(err)
	}
	wantCheck(t, r.Check(context.Background(), c), "no fee allowance")
	r.Grantee = bot
	if err := r.Check(context.Background(), c); err != nil {
		t.Fatal(err)
	}
}

// CheckFeeGrant decides as the chain's ante handler will: no allowance,
// an expired one, one spent below the fee, one not for these messages,
// and a granter who cannot pay are each refused before signing.
func TestCheckFeeGrant(t *testing.T) {
	st := newGrantState()
	c, _ := checker(st)
	fee := sdk.NewCoins(coin(5000))
	msgs := []sdk.Msg{&banktypes.MsgSend{FromAddress: bech(bot), ToAddress: bech(other), Amount: sdk.NewCoins(coin(1))}}
	wantCheck(t, CheckFeeGrant(context.Background(), c, me, bot, fee, msgs), "no fee allowance")
	wantInput(t, CheckFeeGrant(context.Background(), c, bot, bot, fee, msgs), "fee payer itself")

	exp := st.now.Add(time.Hour)
	st.allowances = []tx.Allowance{{Granter: me, Grantee: bot, Allowance: &feegrant.BasicAllowance{SpendLimit: sdk.NewCoins(coin(4000)), Expiration: &exp}}}
	wantCheck(t, CheckFeeGrant(context.Background(), c, me, bot, fee, msgs), "more than what is left")
	st.allowances[0].Allowance = &feegrant.BasicAllowance{SpendLimit: sdk.NewCoins(coin(10_000)), Expiration: &exp}
	wantCheck(t, CheckFeeGrant(context.Background(), c, me, bot, fee, msgs), "cannot pay the fee")
	st.balances[string(me)] = sdk.NewCoins(coin(1_000_000))
	if err := CheckFeeGrant(context.Background(), c, me, bot, fee, msgs); err != nil {
		t.Fatal(err)
	}
	filtered, err := feegrant.NewAllowedMsgAllowance(&feegrant.BasicAllowance{}, []string{sdk.MsgTypeURL(&stakingtypes.MsgDelegate{})})
	if err != nil {
		t.Fatal(err)
	}
	st.allowances[0].Allowance = filtered
	wantCheck(t, CheckFeeGrant(context.Background(), c, me, bot, fee, msgs), "does not pay for these messages")
	st.allowances[0].Allowance = &feegrant.BasicAllowance{Expiration: &exp}
	st.now = exp.Add(time.Second)
	wantCheck(t, CheckFeeGrant(context.Background(), c, me, bot, fee, msgs), "expired")
}

func TestDepositCheck(t *testing.T) {
	st := newGrantState()
	c, warnings := checker(st)
	d := func(id string, amt string) *Deposit {
		o, err := ParseDeposit(me, id, amt, amount.Akash)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	wantCheck(t, d("2", "1akt").Check(context.Background(), c), "takes no more deposits")
	wantCheck(t, d("9", "1akt").Check(context.Background(), c), "no proposal 9")
	wantInput(t, d("3", "5uact").Check(context.Background(), c), "deposits in uakt only")
	wantCheck(t, d("3", "9999uakt").Check(context.Background(), c), "below the least")
	o := d("3", "0.6akt")
	if err := o.Check(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	if f := fields(o.Summary(amount.Akash, pfx)); !strings.Contains(f["then"], "voting starts") || f["status"] != "deposit period" {
		t.Fatalf("%v", f)
	}
	if o := d("3", "0.1akt"); o.Check(context.Background(), c) != nil || !strings.Contains(fields(o.Summary(amount.Akash, pfx))["then"], "0.5 AKT still missing") {
		t.Fatalf("%v", fields(o.Summary(amount.Akash, pfx)))
	}
	if err := d("1", "1akt").Check(context.Background(), c); err != nil || !strings.Contains(strings.Join(*warnings, ";"), "voting period") {
		t.Fatalf("%v %v", err, *warnings)
	}
	if _, err := ParseDeposit(me, "x", "1akt", amount.Akash); err == nil {
		t.Fatal("bad id accepted")
	}
}

func TestProposalFile(t *testing.T) {
	cfg := enc(t)
	st := newGrantState()
	c, _ := checker(st)
	gov := bech(authtypes.NewModuleAddress("gov"))
	parse := func(js, deposit string) (*SubmitProposal, error) {
		return ParseProposalFile(cfg.Codec, cfg.Codec, []byte(js), me, deposit, amount.Akash)
	}
	text, err := parse(`{"metadata":"ipfs://Qm","deposit":"1000000uakt","title":"Text","summary":"A text proposal","expedited":false}`, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := text.Check(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	if f := fields(text.Summary(amount.Akash, pfx)); !strings.HasPrefix(f["kind"], "text proposal") || !strings.Contains(f["then"], "voting starts at once and lasts 20 seconds") {
		t.Fatalf("%v", f)
	}
	withMsg := fmt.Sprintf(`{"messages":[{"@type":"/cosmos.bank.v1beta1.MsgSend","from_address":%q,"to_address":%q,"amount":[{"denom":"uakt","amount":"5"}]}],
		"deposit":"0.5akt","title":"Pay","summary":"Pay from the community","expedited":true}`, gov, bech(other))
	fast, err := parse(withMsg, "")
	if err != nil {
		t.Fatal(err)
	}
	wantCheck(t, fast.Check(context.Background(), c), "expedited proposal: 0.8 AKT")
	fast, err = parse(withMsg, "2akt")
	if err != nil || fast.Check(context.Background(), c) != nil || len(fast.Messages) != 1 || !fast.Expedited || !fast.Deposit.Equal(sdk.NewCoins(coin(2_000_000))) {
		t.Fatalf("%+v %v", fast, err)
	}
	if f := fields(fast.Summary(amount.Akash, pfx)); !strings.HasPrefix(f["kind"], "expedited proposal executing 1") || !strings.Contains(f["then"], "lasts 10 seconds") {
		t.Fatalf("%v", f)
	}
	small, _ := parse(`{"metadata":"m","deposit":"0.1akt","title":"T","summary":"S"}`, "")
	wantCheck(t, small.Check(context.Background(), c), "below what the chain requires")

	_, err = parse(`{"messages":[{"@type":"/cosmos.bank.v1beta1.MsgSnd"}],"title":"T","summary":"S","deposit":"1akt"}`, "")
	wantInput(t, err, "message 1")
	_, err = parse(fmt.Sprintf(`{"messages":[{"@type":"/cosmos.bank.v1beta1.MsgSend","from_address":%q,"to_address":%q,"amount":[]}],"title":"T","summary":"S","deposit":"1akt"}`, bech(me), bech(other)), "")
	wantInput(t, err, "not signed by the gov module")
	_, err = parse(`{"title":"T","summary":"S","deposit":"1akt"}`, "")
	wantInput(t, err, "neither messages nor metadata")
	_, err = parse(`{"metadata":"m","summary":"S","deposit":"1akt"}`, "")
	wantInput(t, err, "no title")
	_, err = parse(`{"metadata":"m","title":"T","summary":"S","deposit":"1akt","proposer":"x"}`, "")
	wantInput(t, err, "does not read")
	_, err = parse(`{"metadata":"{\"title\":\"Other\",\"summary\":\"S\"}","title":"T","summary":"S","deposit":"1akt"}`, "")
	wantInput(t, err, "differ")
	_, err = parse(`{"metadata":"m","title":"T","summary":"S","deposit":"1akt"}`, "5uact")
	if err != nil {
		t.Fatal(err) // parsed; the denom is refused by Check
	}
	bad, _ := parse(`{"metadata":"m","title":"T","summary":"S","deposit":"5uact"}`, "")
	wantInput(t, bad.Check(context.Background(), c), "deposits in uakt only")
}
