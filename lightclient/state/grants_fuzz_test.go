package state_test

import (
	"context"
	"encoding/binary"
	"errors"
	"testing"
	"time"

	"cosmossdk.io/x/feegrant"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/address"
	"github.com/cosmos/cosmos-sdk/x/authz"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"

	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/lightclient/state"
)

// FuzzGrantStores runs the issue-15 proven queries (grants by and to an
// address, fee allowances, proposals of every status, deposits, gov
// params) over authz, feegrant and gov stores holding what the fuzzer
// writes next to well-formed entries: a chain whose values akw does not
// expect. The proofs are real; only the values are hostile. Whatever the
// bytes, no query panics, not even in a way the package's guard recovers
// (ErrPanic): each answers or says what it could not decode.
func FuzzGrantStores(f *testing.F) {
	if err := devnet.SetSDKConfig(); err != nil {
		f.Fatal(err)
	}
	cdc := state.Codec()
	vote, _ := codectypes.NewAnyWithValue(authz.NewGenericAuthorization(sdk.MsgTypeURL(&govv1.MsgVote{})))
	grant, _ := cdc.Marshal(&authz.Grant{Authorization: vote})
	g, _ := feegrant.NewGrant(memAddr(1), memAddr(2), &feegrant.BasicAllowance{SpendLimit: sdk.NewCoins(sdk.NewInt64Coin("uakt", 5))})
	allowance, _ := cdc.Marshal(&g)
	proposal, _ := (&govv1.Proposal{Id: 1, Status: govv1.StatusDepositPeriod, Title: "t"}).Marshal()
	params, _ := (&govv1.Params{MinDeposit: sdk.NewCoins(sdk.NewInt64Coin("uakt", 1))}).Marshal()
	f.Add(grant, allowance, proposal, params, "/cosmos.gov.v1.MsgVote")
	f.Add([]byte{0x0a, 0x00}, []byte{0x12, 0x01, 0x00}, []byte{0x08, 0x02}, []byte{0x0a, 0x02, 0x0a, 0x00}, "")
	f.Add([]byte{0x0a, 0x04, 0x0a, 0x02, '/', 'x'}, []byte{0x1a, 0x03, 0x0a, 0x01, 0x00}, []byte{0x12, 0x02, 0x0a, 0x00}, []byte{0xff}, "/cosmos.bank.v1beta1.MsgSend")
	f.Fuzz(func(t *testing.T, grantV, allowanceV, proposalV, paramsV []byte, msgType string) {
		for _, v := range []*[]byte{&grantV, &allowanceV, &proposalV, &paramsV} {
			if len(*v) == 0 {
				*v = []byte{0} // a store cannot hold an empty value
			}
		}
		a, b := memAddr(0xa1), memAddr(0xb2)
		be := func(id uint64) []byte { return binary.BigEndian.AppendUint64(nil, id) }
		c := newMemChain(t, "authz", "feegrant", "gov")
		c.set("authz", lpk([]byte{1}, address.MustLengthPrefix(a), address.MustLengthPrefix(b), []byte("/cosmos.gov.v1.MsgVote")), grant)
		c.set("authz", lpk([]byte{1}, address.MustLengthPrefix(a), address.MustLengthPrefix(a), []byte(msgType)), grantV)
		c.set("feegrant", feegrant.FeeAllowanceKey(a, b), allowance)
		c.set("feegrant", feegrant.FeeAllowanceKey(b, a), allowanceV)
		c.set("gov", append([]byte{0}, be(1)...), proposal)
		c.set("gov", append([]byte{0}, be(2)...), proposalV)
		c.set("gov", append(append([]byte{0x10}, be(2)...), address.MustLengthPrefix(a)...), allowanceV)
		c.set("gov", []byte{0x30}, paramsV)
		c.commit()
		v := c.view(t, time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC))
		ctx := context.Background()
		check := func(what string, err error) {
			var p *state.ErrPanic
			if errors.As(err, &p) {
				t.Fatalf("%s panicked: %v", what, err)
			}
		}
		_, err := v.Grants(ctx, a)
		check("grants", err)
		_, err = v.GrantsBetween(ctx, a, a)
		check("grants between", err)
		_, err = v.Allowances(ctx, a)
		check("allowances", err)
		_, err = v.Allowance(ctx, b, a)
		check("allowance", err)
		_, err = v.ProposalsWithStatus(ctx, govv1.StatusNil)
		check("proposals", err)
		_, err = v.Deposits(ctx, 2)
		check("deposits", err)
		_, err = v.GovParams(ctx)
		check("gov params", err)
	})
}
