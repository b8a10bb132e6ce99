package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/akash-wallet/akw/keys"
)

func TestDashboardShowsProvenPortfolio(t *testing.T) {
	synctest.Test(t, testDashboardShowsProvenPortfolio)
}

func testDashboardShowsProvenPortfolio(t *testing.T) {
	d := newDriver(t, newFake(10, 2), 100, 30)
	d.want("alice", aliceAddr, "✓ proven at height 1234", "1000.5 AKT",
		"validator-00", "100.000001 AKT", "Unbonding (1)", "validator-03", "50 AKT", "2026-12-15 12:00 UTC (in 21d)",
		"#7 Raise the community pool tax", "not voted",
		"akash-devnet-1 · ✓ verified height 1240 (3s ago) · 1/1 witnesses agree")
}

// State older than the chain's bound is still shown (it is proven), but
// the status bar and the dashboard say how old it is, in words.
func TestStaleStateIsLabelled(t *testing.T) { synctest.Test(t, testStaleStateIsLabelled) }

func testStaleStateIsLabelled(t *testing.T) {
	f := newFake(10, 2)
	f.staleAfter = 5 * time.Minute
	d := newDriver(t, f, 160, 30)
	d.wantNot("state is", "withholding")
	f.headerAge = 7 * time.Minute
	d.send(refreshMsg{})
	d.want("1000.5 AKT", "✓ proven at height 1234",
		"! state is 7 minutes old: the chain may have halted, or the nodes are withholding new blocks",
		"✓ verified height 1240 (7m ago) · 1/1 witnesses agree · ! state is 7 minutes old")
	// No bound: never labelled.
	f.staleAfter = 0
	d = newDriver(t, f, 160, 30)
	d.wantNot("state is", "withholding")
}

func TestVerificationAlarmClearsValues(t *testing.T) {
	synctest.Test(t, testVerificationAlarmClearsValues)
}

func testVerificationAlarmClearsValues(t *testing.T) {
	f := newFake(10, 2)
	d := newDriver(t, f, 100, 30)
	d.want("1000.5 AKT")
	f.statusErr = lyingNode{}
	d.send(refreshMsg{})
	d.want("VERIFICATION FAILED", "does not verify", "No balance, delegation or vote is shown")
	d.wantNot("1000.5", "validator-00", "✓ verified", "proven at height")
	if d.m.c.pf != nil {
		t.Fatal("the portfolio is kept for pickers after a failed verification")
	}
	// Recovery: the next good status and proof show values again.
	f.statusErr = nil
	d.press("r")
	d.send(refreshMsg{})
	d.want("1000.5 AKT", "✓ verified height 1240")
}

func TestLyingNodeAnswerShowsAlarmAndNoValue(t *testing.T) {
	synctest.Test(t, testLyingNodeAnswerShowsAlarmAndNoValue)
}

func testLyingNodeAnswerShowsAlarmAndNoValue(t *testing.T) {
	f := newFake(10, 2)
	f.pfErr = lyingNode{}
	d := newDriver(t, f, 100, 30)
	d.want("VERIFICATION FAILED", "did not check out")
	d.wantNot("1000.5", "AKT", "proven at height")
}

// A Backend call that panics (in a tea.Cmd, where Bubble Tea would end
// the program) shows an error and no value; the UI goes on and recovers
// on the next refresh.
func TestBackendPanicShowsErrorAndUILivesOn(t *testing.T) {
	synctest.Test(t, testBackendPanicShowsErrorAndUILivesOn)
}

func testBackendPanicShowsErrorAndUILivesOn(t *testing.T) {
	f := newFake(10, 2)
	f.pfPanic = "cannot find any valid spacing for this node"
	d := newDriver(t, f, 100, 30)
	d.want("Portfolio stopped on an unexpected error", "valid spacing")
	d.wantNot("1000.5", "proven at height")
	f.mu.Lock()
	f.pfPanic = nil
	f.mu.Unlock()
	d.press("r")
	d.want("1000.5 AKT")
}

func TestNetworkErrorIsNotAnAlarm(t *testing.T) { synctest.Test(t, testNetworkErrorIsNotAnAlarm) }

func testNetworkErrorIsNotAnAlarm(t *testing.T) {
	f := newFake(10, 2)
	f.statusErr = errors.New("cannot reach any node (http://127.0.0.1:26657: connection refused)")
	d := newDriver(t, f, 100, 30)
	d.want("✗ not verified: cannot reach any node")
	d.wantNot("VERIFICATION FAILED", "1000.5")
}

func TestSendFlow(t *testing.T) { synctest.Test(t, testSendFlow) }

func testSendFlow(t *testing.T) {
	f := newFake(10, 2)
	d := newDriver(t, f, 100, 30)
	d.press("s")
	d.want("Send from alice", "To", "Amount", "Memo")
	d.typeText("cosmos1abc")
	d.want("✗ not an akash address")
	d.press("ctrl+u")
	d.typeText(bobAddr)
	d.wantNot("not an akash address")
	d.press("tab")
	d.typeText("2akt")
	d.press("tab", "enter") // memo is optional; enter on the last field reviews
	d.want("Review — nothing is signed yet", "Send 2akt from alice to "+bobAddr, "Fee", "0.005 AKT",
		"estimated by the node (node-reported)", "Balance before", "1000.5 AKT", "✓ proven at height 1234", "Balance after", "998.495 AKT")
	if len(f.executed) != 0 {
		t.Fatal("executed before the user said yes")
	}
	d.press("y")
	d.want("✓ Sign", "✓ Broadcast", "✓ Included in a block", "✓ Inclusion and result verified", "Done.", "height 1241", "9F86D081")
	if len(f.executed) != 1 || f.executed[0].To != bobAddr || f.executed[0].Amount != "2akt" {
		t.Fatalf("executed %+v", f.executed)
	}
	d.press("enter")
	d.want("Dashboard", "998.495 AKT", "proven at height 1241")
}

func TestTypingQDoesNotQuit(t *testing.T) { synctest.Test(t, testTypingQDoesNotQuit) }

func testTypingQDoesNotQuit(t *testing.T) {
	d := newDriver(t, newFake(3, 1), 100, 30)
	d.press("s", "q", "?")
	if d.m.quitting || d.m.showHelp {
		t.Fatal("q or ? in a text field acted as a global key")
	}
	d.want("q?█")
}

func TestQuitCancelsWorkInFlight(t *testing.T) { synctest.Test(t, testQuitCancelsWorkInFlight) }

func testQuitCancelsWorkInFlight(t *testing.T) {
	f := newFake(3, 1)
	f.deviceGate = make(chan error)
	d := newDriver(t, f, 100, 30)
	d.press("k", "down", "down", "enter") // nano, a Ledger key
	d.press("s")
	d.typeText(bobAddr)
	d.press("tab")
	d.typeText("2akt")
	d.press("enter", "enter", "y")
	d.want("Confirm on your Ledger")
	_, cmd := d.m.Update(keyMsg("q"))
	if cmd == nil || cmd() != tea.Quit() {
		t.Fatal("q did not quit")
	}
	if d.m.c.ctx.Err() == nil {
		t.Fatal("quit did not cancel the context")
	}
	d.settle() // Execute returned on the cancelled context
}

func TestSwitchKey(t *testing.T) { synctest.Test(t, testSwitchKey) }

func testSwitchKey(t *testing.T) {
	d := newDriver(t, newFake(3, 1), 100, 30)
	d.press("k")
	d.want("▸* alice", "bob", "nano", "ledger")
	d.press("down", "enter")
	d.want("key bob", "5 AKT")
	d.wantNot("1000.5")
}

func TestDelegateWithPicker(t *testing.T) { synctest.Test(t, testDelegateWithPicker) }

func testDelegateWithPicker(t *testing.T) {
	f := newFake(30, 2)
	d := newDriver(t, f, 120, 40)
	d.press("d", "enter")
	d.want("✓ bonded validator set proven at height 1234 · unbonding period 21 days", "validator-00", "100.000001 AKT", "5%", "bonded")
	d.press("/")
	d.typeText("validator-17")
	d.want("search: validator-17█", "(1 of 30)")
	d.wantNot("validator-16")
	d.press("enter", "enter")
	d.want("Validator", "validator-17 (")
	d.typeText("1akt")
	d.press("enter")
	d.want("Delegate 1akt to "+valoper(17), "Balance after")
	if got := f.plans[0]; got.To != valoper(17) || got.Kind != TxDelegate {
		t.Fatalf("planned %+v", got)
	}
}

func TestRedelegateExcludesSource(t *testing.T) { synctest.Test(t, testRedelegateExcludesSource) }

func testRedelegateExcludesSource(t *testing.T) {
	f := newFake(5, 2)
	d := newDriver(t, f, 120, 40)
	d.press("m", "enter")
	d.want("✓ delegations proven at height 1234", "validator-00", "validator-01")
	d.press("down", "enter") // from validator-01
	d.press("enter")         // open the destination picker
	d.want("validator-00", "validator-02")
	d.wantNot("validator-01")
	// Auto-compounding is no choice of a redelegation's destination: no
	// a in the help, and a does nothing.
	d.wantNot("auto-compound")
	d.press("a")
	d.want("validator-00", "validator-02")
	d.wantNot("Auto-compound", "Bot")
	d.press("enter")
	d.typeText("1akt")
	d.press("enter")
	got := f.plans[0]
	if got.Kind != TxRedelegate || got.Src != valoper(1) || got.To != valoper(0) || got.Amount != "1akt" {
		t.Fatalf("planned %+v", got)
	}
}

func TestClaimGoesStraightToReview(t *testing.T) { synctest.Test(t, testClaimGoesStraightToReview) }

func testClaimGoesStraightToReview(t *testing.T) {
	d := newDriver(t, newFake(5, 2), 100, 30)
	d.press("c")
	d.want("Claim the pending rewards of 2 delegations", "Balance after", "1002.895 AKT")
}

func TestVote(t *testing.T) { synctest.Test(t, testVote) }

func testVote(t *testing.T) {
	f := newFake(5, 2)
	d := newDriver(t, f, 100, 30)
	d.press("v")
	d.want("#7 Raise the community pool tax", "not voted")
	d.press("enter")
	d.want("Voting ends 2026-11-29 12:00 UTC (in 5d)", "Raise the community tax from 2% to 4%", "Yes", "No with veto", "Weighted…")
	d.press("down", "enter")
	d.want("Vote no on proposal #7.")
	d.press("y", "enter")
	if len(f.executed) != 1 || f.executed[0].Option != "no" || f.executed[0].ProposalID != 7 {
		t.Fatalf("executed %+v", f.executed)
	}
}

func TestWeightedVote(t *testing.T) { synctest.Test(t, testWeightedVote) }

func testWeightedVote(t *testing.T) {
	f := newFake(5, 2)
	d := newDriver(t, f, 100, 30)
	d.press("v", "enter", "down", "down", "down", "down", "enter")
	d.typeText("maybe")
	d.want("✗ yes, no, abstain")
	d.press("ctrl+u")
	d.typeText("yes=0.6,no=0.4")
	d.press("enter")
	d.want("Vote yes=0.6,no=0.4 on proposal #7.")
}

func TestLedgerConfirmThenCancel(t *testing.T) { synctest.Test(t, testLedgerConfirmThenCancel) }

func testLedgerConfirmThenCancel(t *testing.T) {
	f := newFake(3, 1)
	f.deviceGate = make(chan error)
	d := newDriver(t, f, 100, 30)
	d.press("k", "down", "down", "enter")
	d.want("key nano (Ledger)")
	d.press("s")
	d.typeText(bobAddr)
	d.press("tab")
	d.typeText("2akt")
	d.press("enter", "enter")
	d.want("Your Ledger will show:", "Chain ID", "akash-devnet-1")
	d.press("y")
	d.want("Confirm on your Ledger", "Sign on the Ledger", "esc cancels here; reject on the device too.")
	d.press("esc")
	d.settle()
	d.want("Cancelled. Nothing was broadcast.", "If the Ledger still shows the transaction, reject it there.")
	if len(f.executed) != 0 {
		t.Fatal("cancelled transaction executed")
	}
}

func TestLedgerRejectionInPlainWords(t *testing.T) { synctest.Test(t, testLedgerRejectionInPlainWords) }

func testLedgerRejectionInPlainWords(t *testing.T) {
	f := newFake(3, 1)
	f.deviceGate = make(chan error, 1)
	// What the real Backend returns: the keys package's classification
	// of the device's status word 0x6985.
	f.deviceGate <- &keys.LedgerError{Kind: keys.LedgerRejected, StatusWord: 0x6985}
	d := newDriver(t, f, 100, 30)
	d.press("k", "down", "down", "enter", "s")
	d.typeText(bobAddr)
	d.press("tab")
	d.typeText("2akt")
	d.press("enter", "enter", "y")
	d.settle()
	d.want("Not sent: Rejected on the Ledger. Nothing was signed or saved.")
}

func TestBroadcastUnknownOutcomeIsNotRetried(t *testing.T) {
	synctest.Test(t, testBroadcastUnknownOutcomeIsNotRetried)
}

func testBroadcastUnknownOutcomeIsNotRetried(t *testing.T) {
	f := newFake(3, 1)
	d := newDriver(t, f, 100, 30)
	f.execErr = nil
	d.press("s")
	d.typeText(bobAddr)
	d.press("tab")
	d.typeText("2akt")
	d.press("enter", "enter", "y")
	// Simulate a lost wait after the hash was known.
	p := d.m.top().(*progress)
	p.done, p.err, p.res, p.hash = true, context.DeadlineExceeded, nil, "ABCD"
	d.want("broadcast but its outcome is not proven yet", "Do not send it again", "akw query tx ABCD")
}

func TestKeysAddShowsMnemonicOnce(t *testing.T) { synctest.Test(t, testKeysAddShowsMnemonicOnce) }

func testKeysAddShowsMnemonicOnce(t *testing.T) {
	f := newFake(3, 1)
	d := newDriver(t, f, 100, 30)
	d.press("k", "a")
	d.typeText("savings")
	d.press("enter")
	d.want("✓ Created savings", "abandon", "akw will not show them again")
	d.press("enter")
	d.want("savings", "local")
	d.wantNot("abandon")
}

func TestRecoverNeverShowsTheMnemonic(t *testing.T) {
	synctest.Test(t, testRecoverNeverShowsTheMnemonic)
}

func testRecoverNeverShowsTheMnemonic(t *testing.T) {
	d := newDriver(t, newFake(3, 1), 100, 30)
	d.press("k", "r")
	d.typeText("old")
	d.press("tab")
	d.send(tea.PasteMsg{Content: "abandon ability able about above absent absorb abstract absurd abuse access accident"})
	d.want("•••••••• (12 words)")
	d.wantNot("abandon")
	d.press("enter")
	d.want("✓ Recovered old")
}

func TestAddLedgerKeyWaitsForDevice(t *testing.T) { synctest.Test(t, testAddLedgerKeyWaitsForDevice) }

func testAddLedgerKeyWaitsForDevice(t *testing.T) {
	f := newFake(3, 1)
	f.deviceGate = make(chan error)
	d := newDriver(t, f, 100, 30)
	d.press("k", "l")
	d.typeText("hw")
	d.press("enter", "enter", "enter")
	d.want("Confirm on your Ledger", "waiting for the Ledger")
	f.deviceGate <- nil
	d.settle()
	d.want("✓ Added hw from the Ledger (m/44'/118'/0'/0/0)")
}

func TestShowOnDeviceErrorInPlainWords(t *testing.T) {
	synctest.Test(t, testShowOnDeviceErrorInPlainWords)
}

func testShowOnDeviceErrorInPlainWords(t *testing.T) {
	f := newFake(3, 1)
	f.showErr = &keys.LedgerError{Kind: keys.LedgerNotConnected}
	d := newDriver(t, f, 100, 30)
	d.press("k", "down", "down", "d")
	d.want("No Ledger device found. Connect the Ledger by USB")
}

func TestHelpListsKeys(t *testing.T) { synctest.Test(t, testHelpListsKeys) }

func testHelpListsKeys(t *testing.T) {
	d := newDriver(t, newFake(3, 1), 100, 30)
	d.press("?")
	d.want("Keys on this screen (Dashboard)", "send", "redelegate", "ctrl+c", "Press any key to close.")
	d.press("x")
	d.wantNot("Press any key to close.")
}

// Every screen fits the terminal exactly, down to 80×24.
func TestScreensFit(t *testing.T) { synctest.Test(t, testScreensFit) }

func testScreensFit(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		f := newFake(100, 50)
		d := newDriver(t, f, size[0], size[1])
		check := func(name string) {
			t.Helper()
			lines := strings.Split(d.m.render(), "\n")
			if len(lines) != size[1] {
				t.Fatalf("%s at %dx%d: %d lines", name, size[0], size[1], len(lines))
			}
			for i, l := range lines {
				if w := ansi.StringWidth(l); w > size[0] {
					t.Fatalf("%s at %dx%d: line %d is %d wide: %q", name, size[0], size[1], i, w, ansi.Strip(l))
				}
			}
		}
		check("dashboard")
		d.press("down", "down", "down")
		check("dashboard scrolled")
		d.press("?")
		check("help")
		d.press("x", "d")
		check("delegate form")
		d.press("enter")
		check("validator picker")
		d.press("enter")
		d.typeText("1akt")
		d.press("enter")
		check("confirm")
		d.press("y")
		check("progress")
		d.press("enter", "v", "enter")
		check("proposal")
		d.press("esc", "esc", "k")
		check("keys")
	}
}

func TestResize(t *testing.T) { synctest.Test(t, testResize) }

func testResize(t *testing.T) {
	d := newDriver(t, newFake(3, 1), 120, 40)
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	if n := len(strings.Split(d.m.render(), "\n")); n != 24 {
		t.Fatalf("%d lines after resize", n)
	}
}

func TestFormatting(t *testing.T) {
	ci := (&fakeBackend{}).Chain()
	for _, c := range []struct{ got, want string }{
		{fmtCoin(ci, uakt(1_500_000)), "1.5 AKT"},
		{fmtCoin(ci, uakt(1)), "0.000001 AKT"},
		{fmtCoin(ci, uakt(0)), "0 AKT"},
		{fmtDecCoins(ci, decUakt(2_999_999)), "2.999999 AKT"},
		{fmtDuration(21 * 24 * time.Hour), "21 days"},
		{fmtAge(90 * time.Second), "1m"},
		{shortAddr(aliceAddr, 20), "akash1qypqxp…5lzv7xu"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

// BenchmarkDashboardKeystroke measures keystroke-to-frame on the dashboard
// with 100 validators and 50 delegations: one Update and one View.
func BenchmarkDashboardKeystroke(b *testing.B) {
	d := newDriver(b, newFake(100, 50), 120, 40)
	down, up := keyMsg("down"), keyMsg("up")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := down
		if i%20 >= 10 {
			k = up
		}
		d.m.Update(k)
		_ = d.m.View()
	}
}

func TestQuitWithBroadcastTxReportsItsHash(t *testing.T) {
	synctest.Test(t, testQuitWithBroadcastTxReportsItsHash)
}

func testQuitWithBroadcastTxReportsItsHash(t *testing.T) {
	d := newDriver(t, newFake(3, 1), 100, 30)
	d.press("s")
	d.typeText(bobAddr)
	d.press("tab")
	d.typeText("2akt")
	d.press("enter", "enter", "y")
	p := d.m.top().(*progress)
	p.done, p.hash = false, "ABCD" // broadcast, inclusion not yet proven
	d.press("q")
	if got := d.m.InFlight(); len(got) != 1 || got[0] != "ABCD" {
		t.Fatalf("in flight %v", got)
	}
}

// BenchmarkValidatorSearchKeystroke: one typed search character in the
// validator picker over 100 validators, Update and View.
func BenchmarkValidatorSearchKeystroke(b *testing.B) {
	d := newDriver(b, newFake(100, 50), 120, 40)
	d.press("d", "enter", "/")
	k, bs := keyMsg("7"), keyMsg("backspace")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%2 == 0 {
			d.m.Update(k)
		} else {
			d.m.Update(bs)
		}
		_ = d.m.View()
	}
}

func TestTabSwitchesKeyAndLightScreen(t *testing.T) {
	synctest.Test(t, testTabSwitchesKeyAndLightScreen)
}

func testTabSwitchesKeyAndLightScreen(t *testing.T) {
	d := newDriver(t, newFake(3, 1), 100, 30)
	d.press("tab")
	d.want("key bob", "5 AKT")
	d.wantNot("1000.5")
	d.press("l")
	d.want("Light client", "Verified height  1240", "Witnesses (1 of 1 agree)", "http://127.0.0.1:26757", "✓ agrees")
}

func TestReviewCompactsDeviceLinesOnSmallTerminal(t *testing.T) {
	c := &common{be: newFake(1, 0), chain: (&fakeBackend{}).Chain(), st: newStyles(), now: func() time.Time { return testNow }, width: 80, height: 24}
	p := &TxPlan{Request: TxRequest{Kind: TxSend, From: Key{Name: "nano", Type: "ledger"}}, Summary: "Send.",
		Lines: []PlanLine{{"To", bobAddr}, {"Amount", "2 AKT"}}, BalanceBefore: uakt(5), BalanceAfter: uakt(3), Height: 9}
	for i := 0; i < 12; i++ {
		p.DeviceShows = append(p.DeviceShows, PlanLine{fmt.Sprintf("Screen%d", i), "value"})
	}
	small := ansi.Strip(newConfirm(c, p).view(80, 21))
	if !strings.Contains(small, "Screen0, Screen1") || !strings.Contains(small, "in full while it waits") || !strings.Contains(small, "y sign and send") {
		t.Fatalf("small:\n%s", small)
	}
	if n := strings.Count(small, "\n"); n > 21 {
		t.Fatalf("%d lines at height 21", n)
	}
	big := ansi.Strip(newConfirm(c, p).view(120, 38))
	if !strings.Contains(big, "Screen11") || strings.Contains(big, "in full while it waits") {
		t.Fatalf("big:\n%s", big)
	}
}
