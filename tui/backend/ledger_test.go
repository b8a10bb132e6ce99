package backend_test

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/akash-wallet/akw/internal/devnet/devnettest"
	"github.com/akash-wallet/akw/internal/ledgeremu"
	"github.com/akash-wallet/akw/internal/testctx"
	"github.com/akash-wallet/akw/keys"
	"github.com/akash-wallet/akw/tui"
)

// snapModel lets the test read the frame the program would draw now,
// through the program's own message loop.
type snapModel struct{ tea.Model }

type snapReq struct{ ch chan string }

func (s snapModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if r, ok := msg.(snapReq); ok {
		r.ch <- ansi.Strip(s.Model.View().Content)
		return s, nil
	}
	m, cmd := s.Model.Update(msg)
	return snapModel{m}, cmd
}

type screens struct{ tm *teatest.TestModel }

// wait polls the current frame until it shows text.
func (l *screens) wait(t testing.TB, text string) string {
	t.Helper()
	// Until the test binary's deadline, not a margin of its own: a busy
	// machine draws slowly. Polled: the program tells nobody it drew.
	ctx := testctx.New(t)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	var last string
	for {
		ch := make(chan string, 1)
		l.tm.Send(snapReq{ch})
		select {
		case last = <-ch:
			if strings.Contains(last, text) {
				return last
			}
		case <-ctx.Done():
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			t.Fatalf("the screen never showed %q; last frame:\n%s", text, last)
			return ""
		}
	}
}

func key(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "ctrl+u":
		return tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}
	}
	return tea.KeyPressMsg{Code: []rune(k)[0], Text: k}
}

func typeInto(tm *teatest.TestModel, s string) {
	for _, r := range s {
		tm.Send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// A Ledger key through the emulated Cosmos app under the real
// ledger-cosmos-go client: added from the keys screen (the device shows
// the address, the user approves), then a send that waits on the
// "confirm on your Ledger" screen until the device approves; a rejected
// one in plain words; a cancelled one that broadcasts nothing.
func TestLedgerThroughTUI(t *testing.T) {
	f := open(t, devnettest.Get(t).RPC()[0])
	ctx := ctxT(t)
	user := ledgeremu.NewInteractive()
	dev, err := ledgeremu.New(ledgeremu.Config{Mnemonic: devnettest.Account(t, "carol").Mnemonic, User: user})
	if err != nil {
		t.Fatal(err)
	}
	keys.SetLedgerConnector(dev.Connect)
	t.Cleanup(func() { keys.SetLedgerConnector(nil) })
	prompt := func() *ledgeremu.Prompt {
		t.Helper()
		select {
		case p := <-user.Prompts:
			return p
		case <-testctx.New(t).Done():
			t.Fatal("the device was never asked")
			return nil
		}
	}

	m := tui.New(context.Background(), tui.Options{Backend: f.be, Key: "alice", Refresh: -1, StaticSpinner: true})
	tm := teatest.NewTestModel(t, snapModel{m}, teatest.WithInitialTermSize(100, 30),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	out := &screens{tm: tm}
	out.wait(t, "available")
	send := func(ks ...string) {
		for _, k := range ks {
			tm.Send(key(k))
		}
	}

	// Add the key from the device: account 0, index 5.
	send("k", "l")
	typeInto(tm, "hw")
	send("enter", "enter", "ctrl+u")
	typeInto(tm, "5")
	send("enter")
	out.wait(t, "Confirm on your Ledger")
	p := prompt()
	if p.Review.Kind != ledgeremu.ReviewAddress || p.Review.Path != "m/44'/118'/0'/0/5" {
		t.Fatalf("device review %+v", p.Review)
	}
	p.Approve()
	out.wait(t, "from the Ledger (m/44'/118'/0'/0/5)")
	hw, err := f.kr.Key("hw")
	if err != nil || hw.Type != keys.TypeLedger {
		t.Fatalf("hw: %+v %v", hw, err)
	}
	devnettest.Send(t, "alice", hw.Address, "20000000uakt")
	// The block with the funding is proven by the next header.
	for i := 0; i < 2; i++ {
		if _, err := devnettest.Get(t).WaitForNextBlock(ctx); err != nil {
			t.Fatal(err)
		}
	}
	bob := devnettest.Account(t, "bob")

	// Use it: keys are listed by name (alice, bob, carol, hw).
	send("enter", "down", "down", "down", "enter")
	out.wait(t, "key hw (Ledger)")
	var lastReview string
	sendFromHW := func() {
		t.Helper()
		send("s")
		typeInto(tm, bob.Address)
		send("tab")
		typeInto(tm, "1akt")
		send("enter", "enter")
		review := out.wait(t, "Your Ledger will show:")
		shows := review[strings.Index(review, "Your Ledger will show:"):]
		lastReview = shows
		for _, want := range []string{"Type", "Send", "1000000 uakt (1 AKT)", bob.Address, "Chain ID"} {
			if !strings.Contains(shows, want) {
				t.Fatalf("the review does not say the device will show %q:\n%s", want, review)
			}
		}
		send("y")
		out.wait(t, "Confirm on your Ledger")
	}

	sendFromHW()
	p = prompt()
	var shown []string
	for _, s := range p.Review.Screens {
		shown = append(shown, s.Key+": "+s.Value)
	}
	if all := strings.Join(shown, "\n"); !strings.Contains(all, bob.Address) || !strings.Contains(all, "1000000") {
		t.Fatalf("the device showed:\n%s", all)
	}
	// The review was computed from the bytes the device got: every page
	// the device showed was announced, under its title.
	for _, s := range p.Review.Screens {
		if !strings.Contains(lastReview, s.Key) {
			t.Fatalf("the device showed a %q page the review did not announce:\n%s", s.Key, lastReview)
		}
	}
	p.Approve()
	out.wait(t, "inclusion and result verified.")
	send("enter")

	sendFromHW()
	prompt().Reject()
	out.wait(t, "Rejected on the Ledger. Nothing was signed or saved.")
	send("enter")

	sendFromHW()
	send("esc")
	out.wait(t, "Cancelled. Nothing was broadcast.")
	prompt().Reject() // the device still showed it; the user rejects there too

	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
	pf, err := f.be.Portfolio(ctx, hw.Address)
	if err != nil {
		t.Fatal(err)
	}
	// 20 AKT in, one send of 1 AKT and its fee out: the rejected and the
	// cancelled sends moved nothing.
	if got := pf.Balances.AmountOf("uakt").Int64(); got >= 19_000_000 || got < 18_900_000 {
		t.Fatalf("hw holds %d uakt", got)
	}
}
