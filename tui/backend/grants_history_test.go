package backend_test

import (
	"strings"
	"testing"

	sdk "github.com/cosmos/cosmos-sdk/types"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/akash-wallet/akw/contacts"
	"github.com/akash-wallet/akw/internal/devnet/devnettest"
	"github.com/akash-wallet/akw/tui"
)

// The grants screen's and the history screen's data through the real
// backend on the devnet: a fresh key grants a bot auto-compounding with
// one validator (the REStake preset, reviewed in words), the proven grants
// show it from both sides, a revoke removes one, a revoke of a grant that
// does not exist is refused before signing, and the key's proven history
// is exactly what the test did, newest first.
func TestGrantsAndHistoryThroughBackend(t *testing.T) {
	f := open(t, devnettest.Get(t).RPC()[0])
	ctx := ctxT(t)
	key, _, err := f.be.CreateKey(ctx, "compounder")
	if err != nil {
		t.Fatal(err)
	}
	funded := devnettest.Send(t, "alice", key.Address, "20000000uakt")
	// The backend's views rest on the newest verified header: bring it
	// past the funding's block (whose state the next header commits).
	for {
		st, err := f.be.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Height > funded.Height {
			break
		}
		devnettest.WaitForNextBlock(t)
	}
	bot := devnettest.Account(t, "bob").Address
	val := devnettest.Get(t).Validators()[0].OperatorAddress
	delegateType := sdk.MsgTypeURL(&stakingtypes.MsgDelegate{})
	claimType := sdk.MsgTypeURL(&distrtypes.MsgWithdrawDelegatorReward{})

	run := func(req tui.TxRequest) (*tui.TxPlan, *tui.TxResult) {
		t.Helper()
		req.From = key
		plan, err := f.be.Plan(ctx, req)
		if err != nil {
			t.Fatalf("%s: %v", req.Kind, err)
		}
		res, err := f.be.Execute(ctx, plan, make(chan tui.TxEvent, 16))
		if err != nil || !res.Verified || res.Code != 0 {
			t.Fatalf("%s: %+v %v", req.Kind, res, err)
		}
		return plan, res
	}
	if err := f.be.CheckField(tui.FieldExpiration, "2001-01-01"); err == nil {
		t.Fatal("an expiry in the past passed the check")
	}
	plan, granted := run(tui.TxRequest{Kind: tui.TxAutoCompound, To: val, Grantee: bot, Expiration: "30d"})
	review := planText(plan)
	for _, want := range []string{"auto-compound", "(REStake)", "Grantee may: delegate your tokens, any amount, with only " + val,
		"Grantee may: withdraw your staking rewards, without limit", "(in 30 days)"} {
		if !strings.Contains(review, want) {
			t.Fatalf("the review lacks %q:\n%s", want, review)
		}
	}

	gs, err := f.be.Grants(ctx, key.Address)
	if err != nil {
		t.Fatal(err)
	}
	if len(gs.Given) != 2 || len(gs.Received) != 0 || gs.Height < granted.Height {
		t.Fatalf("grants %+v", gs)
	}
	types := map[string]tui.Grant{}
	for _, g := range gs.Given {
		if g.Grantee != bot || g.Expiration == nil || g.Expired {
			t.Fatalf("grant %+v", g)
		}
		types[g.MsgType] = g
	}
	if !strings.Contains(types[delegateType].Allows, "with only "+val) || types[claimType].Allows != "withdraw your staking rewards, without limit" {
		t.Fatalf("grants %+v", types)
	}
	received, err := f.be.Grants(ctx, bot)
	if err != nil {
		t.Fatal(err)
	}
	if n := countFrom(received.Received, key.Address); n != 2 || received.ReceivedBy == "" {
		t.Fatalf("the bot received %d grants from the key (%+v)", n, received)
	}

	_, revoked := run(tui.TxRequest{Kind: tui.TxRevoke, Grantee: bot, MsgType: delegateType})
	gs, err = f.be.Grants(ctx, key.Address)
	if err != nil {
		t.Fatal(err)
	}
	if len(gs.Given) != 1 || gs.Given[0].MsgType != claimType {
		t.Fatalf("after the revoke: %+v", gs.Given)
	}
	// Revoking what was never granted is refused before signing.
	if _, err := f.be.Plan(ctx, tui.TxRequest{Kind: tui.TxRevoke, From: key, Grantee: bot, MsgType: delegateType}); err == nil ||
		!strings.Contains(err.Error(), "proven absent") {
		t.Fatalf("a revoke of a revoked grant: %v", err)
	}

	page, err := f.be.History(ctx, key.Address, "")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range page.Rows {
		if r.Status != tui.HistoryProven {
			t.Fatalf("row %+v", r)
		}
		got = append(got, r.Hash)
	}
	want := []string{revoked.TxHash, granted.TxHash, funded.Hash}
	if strings.Join(got, ",") != strings.Join(want, ",") || page.Next != "" {
		t.Fatalf("history %v (next %q), want %v", got, page.Next, want)
	}
	alice := devnettest.Account(t, "alice").Address
	if r := page.Rows[2]; r.Amount != "+20 AKT" || !strings.HasSuffix(r.Fee, ", paid by "+alice+" (not this address)") {
		t.Fatalf("the funding row %+v", r)
	}
	// The history library says what a grant allows, in the review's words.
	if r := page.Rows[1]; r.Amount != "" || r.Fee == "" || !strings.Contains(r.What, "the grantee may delegate your tokens") || !strings.Contains(r.What, "the grantee may withdraw your staking rewards") {
		t.Fatalf("the grant row %+v", r)
	}
	// A second look reads the cache: nothing is proven again.
	again, err := f.be.History(ctx, key.Address, "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(again.Cache, "3 from the cache, 0 proven now") {
		t.Fatalf("second page: %s", again.Cache)
	}
}

// The send form's contacts are the address book under --home.
func TestContactsThroughBackend(t *testing.T) {
	f := open(t, devnettest.Get(t).RPC()[0])
	ctx := ctxT(t)
	bob := devnettest.Account(t, "bob").Address
	if _, err := contacts.Open(f.home, "akash").Add(contacts.Contact{Name: "Exchange", Address: bob, Memo: "104983"}); err != nil {
		t.Fatal(err)
	}
	cs, err := f.be.Contacts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 || cs[0] != (tui.Contact{Name: "exchange", Address: bob, Memo: "104983"}) {
		t.Fatalf("contacts %+v", cs)
	}
}

func planText(p *tui.TxPlan) string {
	var b strings.Builder
	b.WriteString(p.Summary + "\n")
	for _, l := range p.Lines {
		b.WriteString(l.Label + ": " + l.Value + "\n")
	}
	return b.String()
}

func countFrom(gs []tui.Grant, granter string) int {
	n := 0
	for _, g := range gs {
		if g.Granter == granter {
			n++
		}
	}
	return n
}
