package tui

import (
	"errors"
	"testing"
	"testing/synctest"
)

// lastPlan is the last request the fake was asked to plan.
func (f *fakeBackend) lastPlan(t *testing.T) TxRequest {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.plans) == 0 {
		t.Fatal("nothing was planned")
	}
	return f.plans[len(f.plans)-1]
}

func (f *fakeBackend) planCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.plans)
}

func TestGrantsScreenRevokes(t *testing.T) { synctest.Test(t, testGrantsScreenRevokes) }

func testGrantsScreenRevokes(t *testing.T) {
	f := newFake(10, 2)
	d := newDriver(t, f, 120, 40)
	d.press("g")
	d.want("✓ both lists proven complete at height 1234", "Granted by you (2)", "▸ to "+botAddr,
		"delegate your tokens, any amount, with only "+valoper(0), "withdraw your staking rewards, without limit",
		"until 2027-11-24 12:00 UTC (in 365d)", "Granted to you (1)", "from "+bobAddr,
		"send up to 5 AKT of your tokens in total, to anyone", "until revoked", "grantee index")
	// A grant received cannot be revoked by its grantee: x does nothing.
	d.press("down", "down", "x")
	d.want("Grants")
	d.wantNot("Review")
	if f.planCount() != 0 {
		t.Fatal("x on a received grant planned a revoke")
	}
	// The second grant given: its revoke goes through the review.
	d.press("up", "x")
	d.want("Review — nothing is signed yet", "Revoke the grant alice gave "+botAddr, "/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward")
	req := f.lastPlan(t)
	if req.Kind != TxRevoke || req.Grantee != botAddr || req.MsgType != "/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward" || req.From.Name != "alice" {
		t.Fatalf("planned %+v", req)
	}
	if len(f.executed) != 0 {
		t.Fatal("executed before the user said yes")
	}
	d.press("y")
	d.want("Done.")
	if len(f.executed) != 1 || f.executed[0].Kind != TxRevoke {
		t.Fatalf("executed %+v", f.executed)
	}
}

// A grants answer that did not check out shows the alarm and no grant; a
// network failure is an error to retry, no alarm.
func TestGrantsScreenFailures(t *testing.T) { synctest.Test(t, testGrantsScreenFailures) }

func testGrantsScreenFailures(t *testing.T) {
	f := newFake(10, 2)
	f.grantsErr = lyingNode{}
	d := newDriver(t, f, 120, 40)
	d.press("g")
	d.want("VERIFICATION FAILED", "Nothing is shown. Press r to retry.")
	d.wantNot(botAddr, "Granted by you")
	f.mu.Lock()
	f.grantsErr = errors.New("cannot reach any node (http://127.0.0.1:26657: connection refused)")
	f.mu.Unlock()
	d.press("r")
	d.want("✗ cannot reach any node", "Press r to retry.")
	d.wantNot("VERIFICATION FAILED", botAddr)
	f.mu.Lock()
	f.grantsErr = nil
	f.mu.Unlock()
	d.press("r")
	d.want("Granted by you (2)")
}

// The auto-compound preset from the validator picker: the validator the
// cursor is on, a bot address and an expiry, reviewed in words.
func TestAutoCompoundFromValidatorPicker(t *testing.T) {
	synctest.Test(t, testAutoCompoundFromValidatorPicker)
}

func testAutoCompoundFromValidatorPicker(t *testing.T) {
	f := newFake(10, 2)
	d := newDriver(t, f, 120, 40)
	d.press("d", "enter")
	d.want("a auto-compound with it")
	d.press("down", "a")
	d.want("Auto-compound with validator-01: the bot may delegate your tokens to this validator only", "Bot", "Expires", "1y")
	d.typeText("akash1xyz")
	d.want("✗ an address has 44 characters")
	d.press("ctrl+u")
	d.typeText(botAddr)
	d.press("tab", "ctrl+u")
	d.typeText("yesterday")
	d.want("✗ give a duration (30d, 12h, 1y)")
	d.press("enter")
	if f.planCount() != 0 {
		t.Fatal("planned with a bad expiry")
	}
	d.press("ctrl+u")
	d.typeText("90d")
	d.press("enter")
	d.want("Review — nothing is signed yet", "auto-compound alice's staking rewards with validator-01", "(REStake)",
		"Grantee may", "withdraw your staking rewards, without limit", "Until")
	req := f.lastPlan(t)
	if req.Kind != TxAutoCompound || req.To != valoper(1) || req.ToName != "validator-01" || req.Grantee != botAddr || req.Expiration != "90d" {
		t.Fatalf("planned %+v", req)
	}
	// Back out: nothing is signed, the flow keeps what was typed.
	d.press("n")
	d.want("Auto-compound", botAddr, "90d")
	if len(f.executed) != 0 {
		t.Fatal("executed without a yes")
	}
}

// From the grants screen, a opens the validator picker whose enter goes
// straight to the auto-compound flow.
func TestAutoCompoundFromGrantsScreen(t *testing.T) {
	synctest.Test(t, testAutoCompoundFromGrantsScreen)
}

func testAutoCompoundFromGrantsScreen(t *testing.T) {
	f := newFake(10, 2)
	d := newDriver(t, f, 120, 40)
	d.press("g", "a")
	d.want("Auto-compound with", "validator-09")
	d.press("down", "down", "enter")
	d.want("Auto-compound with validator-02")
}

func TestDepositOnProposal(t *testing.T) { synctest.Test(t, testDepositOnProposal) }

func testDepositOnProposal(t *testing.T) {
	f := newFake(10, 2)
	d := newDriver(t, f, 120, 40)
	d.press("v")
	d.want("#7 Raise the community pool tax", "deposit period", "#9 Fund the Akash docs sprint", "100 AKT / 500 AKT", "2026-11-26 (in 2d)")
	d.press("down", "enter")
	d.want("Deposit from alice", "Proposal #9: Fund the Akash docs sprint — 100 AKT deposited of the 500 AKT that start the vote (proven at height 1234)")
	d.typeText("10akt")
	d.press("enter")
	d.want("Review — nothing is signed yet", "Deposit 10akt from alice on proposal #9.")
	req := f.lastPlan(t)
	if req.Kind != TxDeposit || req.ProposalID != 9 || req.Amount != "10akt" {
		t.Fatalf("planned %+v", req)
	}
	// The voting-period proposal still opens the vote.
	d.press("n", "esc", "up", "enter")
	d.want("Weighted…")
}

func TestHistoryScreenPages(t *testing.T) { synctest.Test(t, testHistoryScreenPages) }

func testHistoryScreenPages(t *testing.T) {
	f := newFake(10, 2)
	d := newDriver(t, f, 120, 40)
	d.press("h")
	d.want("The list is node-reported", "page 1 · 3 transactions, newest first", "0 from the cache, 3 proven now",
		"✓ proven", "-2 AKT", "~ node-reported", "+1.2 AKT*", "✗ refused", "height 1210", "hash C3C3",
		"memo rent", "n older")
	d.wantNot("n older · p newer")
	// The refused row shows where the node put it, its hash and why; none
	// of what the node claimed it did.
	d.press("down", "down")
	d.want("refused: the transaction is not in block 1210")
	d.press("up")
	d.want("* node-reported: reward 1.2 AKT")
	d.press("n")
	d.want("page 2 · 1 transactions", "1 from the cache, 0 proven now; no node asked", "delegate 100 AKT", "p newer")
	d.wantNot("C3C3", "n older · ")
	d.press("p")
	d.want("page 1 · 3 transactions")
}

func TestHistoryScreenErrors(t *testing.T) { synctest.Test(t, testHistoryScreenErrors) }

func testHistoryScreenErrors(t *testing.T) {
	f := newFake(10, 2)
	f.histErr = errors.New(`the node's transaction index is disabled (indexer = "null")`)
	d := newDriver(t, f, 120, 40)
	d.press("h")
	d.want("✗ the node's transaction index is disabled", "Press r to retry.")
	d.wantNot("VERIFICATION FAILED", "proven")
	f.mu.Lock()
	f.histErr = lyingNode{}
	f.mu.Unlock()
	d.press("r")
	d.want("VERIFICATION FAILED", "Nothing is shown")
}

// @ in the empty recipient field opens the address book; the contact's
// address is what is sent, its name and address are in the review, and
// its memo is the default memo.
func TestSendToContact(t *testing.T) { synctest.Test(t, testSendToContact) }

func testSendToContact(t *testing.T) {
	f := newFake(10, 2)
	d := newDriver(t, f, 120, 40)
	d.press("s")
	d.want("akash1… or @ for a contact")
	d.typeText("@")
	d.want("Contacts", "@bob", "@kraken", "104983")
	d.press("/")
	d.typeText("krak")
	d.press("enter", "enter")
	d.want("Send from alice", "@kraken  "+krakenAddr, "104983")
	d.typeText("2akt")
	d.press("enter", "enter")
	d.want("Review — nothing is signed yet", "to @kraken ("+krakenAddr+")", "Memo", "104983")
	req := f.lastPlan(t)
	if req.To != krakenAddr || req.ToName != "@kraken" || req.Memo != "104983" {
		t.Fatalf("planned %+v", req)
	}
}

// A memo typed before the contact is chosen is kept; editing the
// recipient after choosing drops the contact's name (the address typed
// is then the user's own).
func TestSendToContactKeepsTypedMemo(t *testing.T) { synctest.Test(t, testSendToContactKeepsTypedMemo) }

func testSendToContactKeepsTypedMemo(t *testing.T) {
	f := newFake(10, 2)
	d := newDriver(t, f, 120, 40)
	d.press("s", "tab", "tab")
	d.typeText("mine")
	d.press("tab") // back to To
	d.typeText("@")
	d.press("down", "enter")
	d.want("@kraken  " + krakenAddr)
	d.typeText("2akt")
	d.press("enter", "enter")
	if req := f.lastPlan(t); req.Memo != "mine" || req.ToName != "@kraken" {
		t.Fatalf("planned %+v", req)
	}
	d.press("n", "up", "up")
	d.want("▸ To")
	d.press("backspace")
	d.wantNot("@kraken")
	d.typeText("p")
	d.press("tab", "enter", "enter")
	if req := f.lastPlan(t); req.ToName != "" || req.To != krakenAddr {
		t.Fatalf("planned %+v", req)
	}
	// @ in a recipient that is not empty is a character, not the book.
	d.press("n", "up", "up", "ctrl+u")
	d.typeText("x@")
	d.wantNot("Contacts")
	d.want("x@█", "✗ not an akash address")
}

// Proposals in deposit period that cannot be proven (or not now) do not
// hold up the vote: the voting list is shown, the deposit list says why
// it is not.
func TestDepositListFailureKeepsVoting(t *testing.T) {
	synctest.Test(t, testDepositListFailureKeepsVoting)
}

func testDepositListFailureKeepsVoting(t *testing.T) {
	f := newFake(10, 2)
	f.depsErr = lyingNode{}
	d := newDriver(t, f, 120, 40)
	d.press("v")
	d.want("#7 Raise the community pool tax", "VERIFICATION FAILED", "proposals in deposit period")
	d.wantNot("#9", "deposited / needed")
	d.press("down", "enter") // only the voting proposal is there
	d.want("Weighted…")
	d.press("esc")
	f.mu.Lock()
	f.depsErr = errors.New("cannot reach any node")
	f.mu.Unlock()
	d.press("r")
	d.want("#7 Raise", "✗ proposals in deposit period: cannot reach any node (r to retry)")
	d.wantNot("VERIFICATION FAILED")
}
