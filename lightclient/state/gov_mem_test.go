package state_test

import (
	"context"
	"encoding/binary"
	"testing"
	"time"

	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/address"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"

	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/lightclient/state"
)

// Proposals carry messages of any module. One whose message type akw's
// codec does not know (a software upgrade: x/upgrade is not in it) is
// still proven and listed, its message kept as the Any it is.
func TestProposalsWithUnknownMessages(t *testing.T) {
	if err := devnet.SetSDKConfig(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	c := newMemChain(t, "gov")
	cdc := state.Codec()
	be := func(id uint64) []byte { return binary.BigEndian.AppendUint64(nil, id) }
	upgrade := &codectypes.Any{TypeUrl: "/cosmos.upgrade.v1beta1.MsgSoftwareUpgrade", Value: []byte{0x0a, 0x01, 'x'}}
	statuses := map[uint64]govv1.ProposalStatus{1: govv1.StatusPassed, 2: govv1.StatusRejected, 3: govv1.StatusDepositPeriod, 4: govv1.StatusVotingPeriod, 5: govv1.StatusFailed}
	for id, st := range statuses {
		p := govv1.Proposal{Id: id, Status: st, Title: "p", Messages: []*codectypes.Any{upgrade}}
		bz, err := p.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		c.set("gov", append([]byte{0}, be(id)...), bz)
	}
	depositor := memAddr(0x42)
	d := govv1.Deposit{ProposalId: 3, Depositor: depositor.String(), Amount: sdk.NewCoins(sdk.NewInt64Coin("uakt", 400))}
	bz, _ := cdc.Marshal(&d)
	c.set("gov", append(append([]byte{0x10}, be(3)...), address.MustLengthPrefix(depositor)...), bz)
	c.set("gov", []byte{3}, be(6)) // next proposal id, just past the proposals
	c.commit()
	v := c.view(t, time.Now())

	all, err := v.ProposalsWithStatus(ctx, govv1.StatusNil)
	if err != nil || len(all.Proposals) != 5 {
		t.Fatalf("all: %+v, %v", all, err)
	}
	if m := all.Proposals[0].Messages; len(m) != 1 || m[0].TypeUrl != upgrade.TypeUrl {
		t.Fatalf("message %v", m)
	}
	for id, st := range statuses {
		got, err := v.ProposalsWithStatus(ctx, st)
		if err != nil || len(got.Proposals) != 1 || got.Proposals[0].Id != id {
			t.Fatalf("status %s: %+v, %v", st, got, err)
		}
	}
	one, err := v.Proposal(ctx, 1)
	if err != nil || one.Proposal.Id != 1 {
		t.Fatalf("proposal 1: %v", err)
	}
	deps, err := v.Deposits(ctx, 3)
	if err != nil || len(deps.Deposits) != 1 || deps.Total.String() != "400uakt" {
		t.Fatalf("deposits: %+v, %v", deps, err)
	}
	none, err := v.Deposits(ctx, 1)
	if err != nil || len(none.Deposits) != 0 || !none.Total.IsZero() {
		t.Fatalf("deposits of a passed proposal: %+v, %v", none, err)
	}
	for _, s := range []string{"deposit", "voting", "passed", "rejected", "failed", "all", "VOTING", "proposal_status_passed"} {
		if _, err := state.ParseProposalStatus(s); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	}
	if _, err := state.ParseProposalStatus("open"); err == nil {
		t.Error("unknown status accepted")
	}
}
