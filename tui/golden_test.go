package tui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-wallet/akw/internal/testctx"
	"github.com/akash-wallet/akw/tx/amount"
)

// testIBCDenom is an IBC voucher's denom ("transfer/channel-0/uusdc"'s),
// which the chain gives no metadata.
const testIBCDenom = "ibc/8E27BA2D5493AF5636760E354E46004562C46AB7EC0CC4C1CA14E9E20E2545B5"

// Golden screens: each screen is driven through a real Bubble Tea program
// (teatest) at 80×24 and 120×40, and its last frame is compared with
// testdata/TestGolden/<screen>_<size>.golden. The colour profile is pinned
// to Ascii: colours are dropped, bold and reverse kept — which is also
// what NO_COLOR users see. Regenerate with `go test ./tui -run TestGolden -update`.
func TestGolden(t *testing.T) {
	ledger := []string{"k", "down", "down", "enter"}
	cases := []struct {
		name  string
		setup func(f *fakeBackend)
		keys  []string
		typed string
		after []string
		mid   string   // wait for this text, then press then
		then  []string //
		wait  string   // text the last frame must show
	}{
		{name: "dashboard", wait: "your vote"},
		// ACT in act (its proven metadata), a voucher without metadata as
		// it is, one row each, the chain's token first.
		{name: "dashboard_denoms", setup: func(f *fakeBackend) {
			pf := f.pf[aliceAddr]
			pf.Balances = pf.Balances.Add(sdk.NewCoins(sdk.NewInt64Coin("uact", 10_000_500_000), sdk.NewInt64Coin(testIBCDenom, 250_000_000))...)
			pf.Tokens = []amount.Denoms{{Base: "uact", Display: "act", Exponent: 6}}
		}, wait: "your vote"},
		{name: "help", keys: []string{"?"}, wait: "Press any key to close."},
		{name: "keys", keys: []string{"k"}, wait: "is the key on the dashboard"},
		{name: "send_form", keys: []string{"s"}, typed: "akash1qq", wait: "44 characters"},
		{name: "validators", keys: []string{"d", "enter"}, wait: "validator-09"},
		{name: "review", keys: []string{"s"}, typed: bobAddr + "\t2akt", after: []string{"enter", "enter"}, wait: "y sign and send"},
		{name: "sent", keys: []string{"s"}, typed: bobAddr + "\t2akt", after: []string{"enter", "enter"}, mid: "y sign and send", then: []string{"y"}, wait: "Press enter to return"},
		{name: "ledger_review", keys: append(append([]string{}, ledger...), "s"), typed: bobAddr + "\t2akt", after: []string{"enter", "enter"}, wait: "y sign and send"},
		{name: "ledger_confirm", setup: func(f *fakeBackend) { f.deviceGate = make(chan error) },
			keys: append(append([]string{}, ledger...), "s"), typed: bobAddr + "\t2akt", after: []string{"enter", "enter"}, mid: "y sign and send", then: []string{"y"}, wait: "reject on the device"},
		{name: "proposal", keys: []string{"v"}, mid: "voting ends", then: []string{"enter"}, wait: "Weighted"},
		{name: "light", keys: []string{"l"}, wait: "1 of 1 agree"},
		{name: "proposals", keys: []string{"v"}, wait: "deposited / needed"},
		{name: "delegations_picker", keys: []string{"m", "enter"}, wait: "delegations proven at height"},
		{name: "redelegate_form", keys: []string{"m", "enter"}, mid: "delegations proven at height", then: []string{"down", "enter"}, wait: "validator-01 ("},
		{name: "undelegate_form", keys: []string{"u"}, wait: "unbonding period"},
		{name: "undelegate_review", keys: []string{"u", "enter"}, mid: "delegations proven at height", then: []string{"enter", "1", "a", "k", "t", "enter"}, wait: "y sign and send"},
		{name: "claim_review", keys: []string{"c"}, wait: "y sign and send"},
		{name: "vote_weighted", keys: []string{"v"}, mid: "voting ends", then: []string{"enter", "down", "down", "down", "down", "enter", "y", "e", "s", "=", "0", ".", "5"}, wait: "yes=0.5"},
		{name: "key_recover", keys: []string{"k", "r"}, typed: "old\tabandon ability able", wait: "(3 words)"},
		{name: "key_created", keys: []string{"k", "a"}, typed: "savings", after: []string{"enter"}, wait: "will not show them again"},
		{name: "ledger_add_wait", setup: func(f *fakeBackend) { f.deviceGate = make(chan error) },
			keys: []string{"k", "l"}, typed: "hw", after: []string{"enter", "enter", "enter"}, wait: "waiting for the Ledger"},
		{name: "grants", keys: []string{"g"}, wait: "Granted to you"},
		{name: "grants_revoke_review", keys: []string{"g"}, mid: "Granted to you", then: []string{"x"}, wait: "y sign and send"},
		{name: "autocompound_form", keys: []string{"g", "a"}, mid: "validator-09", then: []string{"down", "enter"}, wait: "restake.app"},
		{name: "autocompound_review", keys: []string{"g", "a"}, mid: "validator-09", then: append([]string{"down", "enter"}, chars(botAddr+"\n\n")...), wait: "y sign and send"},
		{name: "deposit_review", keys: []string{"v"}, mid: "deposited / needed", then: append([]string{"down", "enter"}, chars("10akt\n")...), wait: "y sign and send"},
		{name: "history", keys: []string{"h"}, wait: "newest first"},
		{name: "history_older", keys: []string{"h"}, mid: "newest first", then: []string{"n"}, wait: "page 2"},
		{name: "contacts_picker", keys: []string{"s", "@"}, wait: "104983"},
		{name: "send_contact_review", keys: []string{"s", "@"}, mid: "104983", then: append([]string{"down", "enter"}, chars("2akt\n\n")...), wait: "y sign and send"},
		{name: "alarm", setup: func(f *fakeBackend) { f.statusErr = lyingNode{} }, wait: "No balance, delegation or vote is shown"},
		{name: "unreachable", setup: func(f *fakeBackend) {
			f.statusErr = errors.New("cannot reach any node (http://127.0.0.1:26657: connection refused)")
			f.pfErr = f.statusErr
		}, wait: "Press r to retry"},
	}
	for _, tc := range cases {
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			t.Run(fmt.Sprintf("%s_%dx%d", tc.name, size[0], size[1]), func(t *testing.T) {
				f := newFake(12, 3)
				if tc.setup != nil {
					tc.setup(f)
				}
				m := New(context.Background(), Options{Backend: f, Now: func() time.Time { return testNow }, Refresh: -1, StaticSpinner: true})
				tm := teatest.NewTestModel(t, snapModel{m}, teatest.WithInitialTermSize(size[0], size[1]),
					teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
				out := &screens{tm: tm}
				out.wait(t, "witnesses agree", "VERIFICATION FAILED", "not verified")
				for _, k := range tc.keys {
					tm.Send(keyMsg(k))
				}
				for _, r := range tc.typed {
					if r == '\t' {
						tm.Send(keyMsg("tab"))
						continue
					}
					tm.Send(tea.KeyPressMsg{Code: r, Text: string(r)})
				}
				for _, k := range tc.after {
					tm.Send(keyMsg(k))
				}
				if tc.mid != "" {
					out.wait(t, tc.mid)
					for _, k := range tc.then {
						tm.Send(keyMsg(k))
					}
				}
				out.wait(t, tc.wait)
				if err := tm.Quit(); err != nil {
					t.Fatal(err)
				}
				final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(snapModel).Model.(*Model)
				var buf bytes.Buffer
				w := &colorprofile.Writer{Forward: &buf, Profile: colorprofile.Ascii}
				if _, err := w.Write([]byte(final.render())); err != nil {
					t.Fatal(err)
				}
				golden.RequireEqual(t, buf.Bytes())
				if f.deviceGate != nil {
					close(f.deviceGate)
				}
			})
		}
	}
}

// chars are the key presses that type s; a newline is enter.
func chars(s string) []string {
	var out []string
	for _, r := range s {
		if r == '\n' {
			out = append(out, "enter")
			continue
		}
		out = append(out, string(r))
	}
	return out
}

// snapModel lets a test read the frame the program would draw now,
// through the program's own message loop (no data race, and no guessing
// from the renderer's incremental output, which redraws only what changed).
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

// wait polls the current frame until it shows one of texts.
func (l *screens) wait(t testing.TB, texts ...string) string {
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
			for _, x := range texts {
				if strings.Contains(last, x) {
					return last
				}
			}
		case <-ctx.Done():
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			t.Fatalf("the screen never showed %q; last frame:\n%s", texts, last)
			return ""
		}
	}
}
