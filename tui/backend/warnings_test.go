package backend_test

import (
	"strings"
	"testing"

	"github.com/akash-wallet/akw/internal/devnet/devnettest"
	"github.com/akash-wallet/akw/tui"
)

// The TUI's review warns as the command line's does (both come from the
// operation's checks in tx/ops): a claim that pays less than its fee.
func TestClaimBelowItsFeeIsWarned(t *testing.T) {
	f := open(t, devnettest.Get(t).RPC()[0])
	ctx := ctxT(t)
	k, _, err := f.be.CreateKey(ctx, "frugal")
	if err != nil {
		t.Fatal(err)
	}
	devnettest.Send(t, "alice", k.Address, "5000000uakt")
	vals := devnettest.Get(t).Validators()
	plan, err := f.be.Plan(ctx, tui.TxRequest{Kind: tui.TxDelegate, From: k, To: vals[0].OperatorAddress, Amount: "1akt"})
	for err != nil && strings.Contains(err.Error(), "does not exist on chain yet") {
		// The funding is proven by the block after it.
		if _, werr := devnettest.Get(t).WaitForNextBlock(ctx); werr != nil {
			t.Fatal(werr)
		}
		plan, err = f.be.Plan(ctx, tui.TxRequest{Kind: tui.TxDelegate, From: k, To: vals[0].OperatorAddress, Amount: "1akt"})
	}
	if err != nil {
		t.Fatal(err)
	}
	if res, err := f.be.Execute(ctx, plan, make(chan tui.TxEvent, 16)); err != nil || !res.Verified || res.Code != 0 {
		t.Fatalf("delegate: %+v %v", res, err)
	}
	// One AKT of a devnet's stake earns far less than a fee per block.
	claim, err := f.be.Plan(ctx, tui.TxRequest{Kind: tui.TxClaim, From: k})
	if err != nil {
		t.Fatal(err)
	}
	warned := false
	for _, w := range claim.Warnings {
		warned = warned || strings.Contains(w, "costs more than it brings")
	}
	rewards := ""
	for _, l := range claim.Lines {
		if l.Label == "Rewards" {
			rewards = l.Value
		}
	}
	if !warned || !strings.Contains(rewards, "proven at height") {
		t.Fatalf("claim review: warnings %q, lines %+v", claim.Warnings, claim.Lines)
	}
}
