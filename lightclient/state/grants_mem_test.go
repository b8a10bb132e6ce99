package state_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"cosmossdk.io/x/feegrant"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/address"
	"github.com/cosmos/cosmos-sdk/x/authz"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/lightclient/state"
)

func memAddr(b byte) sdk.AccAddress { return sdk.AccAddress(bytes.Repeat([]byte{b}, 20)) }

func lpk(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// grantFixture writes grants into an authz store the way the keeper does:
// 0x01 grants and 0x02 queue entries, and with akash, the fork's 0x03 and
// 0x04 indexes (plus one stale 0x03 entry whose grants were pruned, which
// Akash's fork leaves behind).
type grantFixture struct {
	a, b, c, d, x, y sdk.AccAddress
	val              sdk.ValAddress
	now              time.Time
}

func newGrantFixture() grantFixture {
	return grantFixture{a: memAddr(0xa1), b: memAddr(0xb2), c: memAddr(0xc3), d: memAddr(0xd4), x: memAddr(0x11), y: memAddr(0x22),
		val: sdk.ValAddress(bytes.Repeat([]byte{0x77}, 20)), now: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)}
}

func (f grantFixture) write(t *testing.T, c *memChain, akash bool) {
	t.Helper()
	cdc := state.Codec()
	put := func(granter, grantee sdk.AccAddress, auth authz.Authorization, anyAuth *codectypes.Any, msgType string, exp *time.Time) {
		if auth != nil {
			var err error
			anyAuth, err = codectypes.NewAnyWithValue(auth)
			if err != nil {
				t.Fatal(err)
			}
			msgType = auth.MsgTypeURL()
		}
		bz, err := cdc.Marshal(&authz.Grant{Authorization: anyAuth, Expiration: exp})
		if err != nil {
			t.Fatal(err)
		}
		c.set("authz", lpk([]byte{1}, address.MustLengthPrefix(granter), address.MustLengthPrefix(grantee), []byte(msgType)), bz)
		if exp != nil {
			q, _ := cdc.Marshal(&authz.GrantQueueItem{MsgTypeUrls: []string{msgType}})
			c.set("authz", lpk([]byte{2}, sdk.FormatTimeBytes(*exp), address.MustLengthPrefix(granter), address.MustLengthPrefix(grantee)), q)
		}
		if akash {
			c.set("authz", lpk([]byte{3}, address.MustLengthPrefix(grantee), address.MustLengthPrefix(granter)), []byte{1})
			c.set("authz", lpk([]byte{4}, address.MustLengthPrefix(grantee), []byte(msgType), address.MustLengthPrefix(granter)), []byte{1})
		}
	}
	future, past := f.now.Add(24*time.Hour), f.now.Add(-time.Minute)
	maxTok := sdk.NewInt64Coin("uakt", 5_000_000)
	stake, err := stakingtypes.NewStakeAuthorization([]sdk.ValAddress{f.val}, nil, stakingtypes.AuthorizationType_AUTHORIZATION_TYPE_DELEGATE, &maxTok)
	if err != nil {
		t.Fatal(err)
	}
	put(f.a, f.x, authz.NewGenericAuthorization(sdk.MsgTypeURL(&govv1.MsgVote{})), nil, "", nil)
	put(f.a, f.x, banktypes.NewSendAuthorization(sdk.NewCoins(sdk.NewInt64Coin("uakt", 1000)), []sdk.AccAddress{f.y}), nil, "", &future)
	put(f.b, f.x, stake, nil, "", &past)
	put(f.a, f.y, authz.NewGenericAuthorization(sdk.MsgTypeURL(&stakingtypes.MsgDelegate{})), nil, "", nil)
	// An authorization of the chain's own (Akash's escrow deposits):
	// known to the chain, not to akw.
	put(f.c, f.x, nil, &codectypes.Any{TypeUrl: "/akash.escrow.v1.DepositAuthorization", Value: []byte{0x0a, 0x03, 'u', 'a', 'k'}}, "/akash.deployment.v1beta4.MsgDepositDeployment", nil)
	if akash {
		// d's grants to x were pruned on expiry; its index entry stays.
		c.set("authz", lpk([]byte{3}, address.MustLengthPrefix(f.x), address.MustLengthPrefix(f.d)), []byte{1})
	}
}

func TestGrantsBothLayouts(t *testing.T) {
	if err := devnet.SetSDKConfig(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	f := newGrantFixture()
	lists := map[bool][]state.Grant{}
	for _, akash := range []bool{true, false} {
		c := newMemChain(t, "authz")
		f.write(t, c, akash)
		c.commit()
		v := c.view(t, f.now)

		indexed, err := v.GranteeIndexed(ctx)
		if err != nil || indexed != akash {
			t.Fatalf("akash=%v: GranteeIndexed = %v, %v", akash, indexed, err)
		}
		to, err := v.GrantsTo(ctx, f.x)
		if err != nil {
			t.Fatalf("akash=%v: %v", akash, err)
		}
		wantBy := state.ReceivedByWalk
		if akash {
			wantBy = state.ReceivedByIndex
		}
		if to.By != wantBy || !to.Verified || to.Height != c.height {
			t.Fatalf("akash=%v: proven by %q, verified %v at %d", akash, to.By, to.Verified, to.Height)
		}
		if len(to.Grants) != 4 {
			t.Fatalf("akash=%v: %d grants to x: %+v", akash, len(to.Grants), to.Grants)
		}
		lists[akash] = to.Grants

		by, err := v.GrantsBy(ctx, f.a)
		if err != nil || len(by.Grants) != 3 {
			t.Fatalf("akash=%v: grants by a: %+v, %v", akash, by, err)
		}
		all, err := v.Grants(ctx, f.x)
		if err != nil || len(all.Received) != 4 || len(all.Granted) != 0 || all.ReceivedBy != wantBy {
			t.Fatalf("akash=%v: Grants(x) = %+v, %v", akash, all, err)
		}
	}
	// Both layouts prove the same list, in the same order.
	for i := range lists[true] {
		a, b := lists[true][i], lists[false][i]
		if a.Granter != b.Granter || a.Authorization.MsgTypeURL != b.Authorization.MsgTypeURL || a.Expired != b.Expired {
			t.Fatalf("grant %d: index %+v, walk %+v", i, a, b)
		}
	}
	byType := map[string]state.Grant{}
	for _, g := range lists[true] {
		byType[g.Authorization.MsgTypeURL] = g
	}
	vote := byType[sdk.MsgTypeURL(&govv1.MsgVote{})]
	if vote.Authorization.Kind != "generic" || vote.Expiration != nil || vote.Expired || vote.Granter != f.a.String() || vote.Grantee != f.x.String() {
		t.Fatalf("generic: %+v", vote)
	}
	send := byType[sdk.MsgTypeURL(&banktypes.MsgSend{})]
	if send.Authorization.Kind != "send" || send.Authorization.SpendLimit.String() != "1000uakt" ||
		len(send.Authorization.AllowList) != 1 || send.Authorization.AllowList[0] != f.y.String() || send.Expiration == nil || send.Expired {
		t.Fatalf("send: %+v", send)
	}
	del := byType[sdk.MsgTypeURL(&stakingtypes.MsgDelegate{})]
	if del.Authorization.Kind != "stake" || del.Authorization.StakeType != "delegate" || del.Authorization.MaxTokens == nil ||
		del.Authorization.MaxTokens.String() != "5000000uakt" || len(del.Authorization.AllowValidators) != 1 ||
		del.Authorization.AllowValidators[0] != f.val.String() || !del.Expired {
		t.Fatalf("stake: %+v", del)
	}
	other := byType["/akash.deployment.v1beta4.MsgDepositDeployment"]
	if other.Authorization.Kind != "other" || other.Authorization.TypeURL != "/akash.escrow.v1.DepositAuthorization" || other.Authorization.Value != nil {
		t.Fatalf("other: %+v", other)
	}
}

// A grant stored under one message type that authorizes another is
// proven state contradicting itself: refused, not shown.
func TestGrantUnderAnotherTypeIsInconsistent(t *testing.T) {
	if err := devnet.SetSDKConfig(); err != nil {
		t.Fatal(err)
	}
	c := newMemChain(t, "authz")
	f := newGrantFixture()
	anyAuth, _ := codectypes.NewAnyWithValue(authz.NewGenericAuthorization(sdk.MsgTypeURL(&govv1.MsgVote{})))
	bz, _ := state.Codec().Marshal(&authz.Grant{Authorization: anyAuth})
	c.set("authz", lpk([]byte{1}, address.MustLengthPrefix(f.a), address.MustLengthPrefix(f.x), []byte(sdk.MsgTypeURL(&banktypes.MsgSend{}))), bz)
	c.commit()
	v := c.view(t, f.now)
	_, err := v.GrantsBy(context.Background(), f.a)
	var inc *state.ErrInconsistent
	if !errors.As(err, &inc) {
		t.Fatalf("want ErrInconsistent, got %v", err)
	}
	one, err := v.GrantOne(context.Background(), f.a, f.x, sdk.MsgTypeURL(&govv1.MsgVote{}))
	var nf *state.ErrNotFound
	if !errors.As(err, &nf) || one != nil {
		t.Fatalf("absent grant: %v, %v", one, err)
	}
}

func TestAllowancesMem(t *testing.T) {
	if err := devnet.SetSDKConfig(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	f := newGrantFixture()
	c := newMemChain(t, "feegrant")
	cdc := state.Codec()
	future, past := f.now.Add(time.Hour), f.now.Add(-time.Second)
	put := func(granter, grantee sdk.AccAddress, fa feegrant.FeeAllowanceI, exp *time.Time) {
		g, err := feegrant.NewGrant(granter, grantee, fa)
		if err != nil {
			t.Fatal(err)
		}
		bz, err := cdc.Marshal(&g)
		if err != nil {
			t.Fatal(err)
		}
		c.set("feegrant", feegrant.FeeAllowanceKey(granter, grantee), bz)
		if exp != nil {
			// The queue entries have empty values: walks end next to them.
			c.set("feegrant", feegrant.FeeAllowancePrefixQueue(exp, feegrant.FeeAllowanceKey(granter, grantee)[1:]), []byte{})
		}
	}
	akt := func(n int64) sdk.Coins { return sdk.NewCoins(sdk.NewInt64Coin("uakt", n)) }
	put(f.a, f.x, &feegrant.BasicAllowance{SpendLimit: akt(1000), Expiration: &future}, &future)
	periodic := &feegrant.PeriodicAllowance{Basic: feegrant.BasicAllowance{Expiration: &past}, Period: time.Hour, PeriodSpendLimit: akt(10), PeriodCanSpend: akt(7), PeriodReset: future}
	filtered, err := feegrant.NewAllowedMsgAllowance(periodic, []string{sdk.MsgTypeURL(&stakingtypes.MsgDelegate{})})
	if err != nil {
		t.Fatal(err)
	}
	put(f.b, f.x, filtered, &past)
	put(f.a, f.y, &feegrant.BasicAllowance{}, nil)
	c.commit()
	v := c.view(t, f.now)

	to, err := v.AllowancesTo(ctx, f.x)
	if err != nil || len(to.Allowances) != 2 {
		t.Fatalf("to x: %+v, %v", to, err)
	}
	for _, a := range to.Allowances {
		switch a.Granter {
		case f.a.String():
			if a.Kind != "basic" || a.SpendLimit.String() != "1000uakt" || a.Expired || a.AllowedMessages != nil {
				t.Fatalf("basic: %+v", a)
			}
		case f.b.String():
			if a.Kind != "periodic" || !a.Expired || a.Period != time.Hour || a.PeriodCanSpend.String() != "7uakt" ||
				len(a.AllowedMessages) != 1 || a.TypeURL != "/cosmos.feegrant.v1beta1.AllowedMsgAllowance" {
				t.Fatalf("periodic: %+v", a)
			}
		default:
			t.Fatalf("unexpected granter %s", a.Granter)
		}
	}
	by, err := v.AllowancesBy(ctx, f.a)
	if err != nil || len(by.Allowances) != 2 {
		t.Fatalf("by a: %+v, %v", by, err)
	}
	both, err := v.Allowances(ctx, f.y)
	if err != nil || len(both.Received) != 1 || len(both.Granted) != 0 || both.Received[0].SpendLimit != nil {
		t.Fatalf("allowances of y: %+v, %v", both, err)
	}
	one, err := v.Allowance(ctx, f.b, f.x)
	if err != nil || one.Allowance.Kind != "periodic" {
		t.Fatalf("one: %+v, %v", one, err)
	}
	_, err = v.Allowance(ctx, f.x, f.a)
	var nf *state.ErrNotFound
	if !errors.As(err, &nf) {
		t.Fatalf("absent allowance: %v", err)
	}
}
