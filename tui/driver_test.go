package tui

import (
	"context"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// driver runs the root model synchronously: every command is executed and
// its message fed back, as the Bubble Tea runtime would. A command that
// blocks (Execute waiting for the device, the progress screen waiting for
// its next event) is left running; settle collects its message later.
//
// Which commands block is decided by the goroutines' state, not by a time
// margin: tests run in a synctest bubble (synctest.Test), and a command counts
// as blocked when synctest.Wait says every goroutine of the test is
// durably blocked and it has not returned. A loaded machine slows the
// test down; it cannot reorder it. Benchmarks (no bubble) run commands
// inline: theirs never block.
type driver struct {
	t       testing.TB
	m       *Model
	bubble  bool
	pending []chan tea.Msg
}

func newDriver(t testing.TB, f *fakeBackend, w, h int) *driver {
	t.Helper()
	_, bench := t.(*testing.B)
	// Cancelled when the test ends, before the bubble waits for its
	// goroutines: the commands still blocked return.
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	m := New(ctx, Options{Backend: f, Now: func() time.Time { return testNow }, Refresh: -1, StaticSpinner: true})
	d := &driver{t: t, m: m, bubble: !bench}
	d.send(tea.WindowSizeMsg{Width: w, Height: h})
	d.run(m.Init())
	return d
}

func (d *driver) send(msg tea.Msg) {
	_, cmd := d.m.Update(msg)
	d.run(cmd)
}

func (d *driver) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	if !d.bubble {
		d.deliver(cmd())
		return
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	synctest.Wait() // it has returned, or it is blocked
	select {
	case msg := <-ch:
		d.deliver(msg)
	default:
		d.pending = append(d.pending, ch)
	}
}

func (d *driver) deliver(msg tea.Msg) {
	switch msg := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			d.run(c)
		}
	default:
		d.send(msg)
	}
}

// settle delivers the messages of the commands left running, which must
// have returned by now (the test did what unblocks them).
func (d *driver) settle() {
	d.t.Helper()
	p := d.pending
	d.pending = nil
	if d.bubble {
		synctest.Wait()
	}
	for _, ch := range p {
		select {
		case msg := <-ch:
			d.deliver(msg)
		default:
			d.t.Fatal("a command did not finish: it is still blocked")
		}
	}
}

func (d *driver) press(keys ...string) {
	for _, k := range keys {
		d.send(keyMsg(k))
	}
}

func (d *driver) typeText(s string) {
	for _, r := range s {
		d.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func keyMsg(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	case "ctrl+u":
		return tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}
	}
	r := []rune(k)
	return tea.KeyPressMsg{Code: r[0], Text: k}
}

// screen is the plain text of the current frame.
func (d *driver) screen() string { return ansi.Strip(d.m.render()) }

func (d *driver) want(subs ...string) {
	d.t.Helper()
	s := d.screen()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			d.t.Fatalf("screen lacks %q:\n%s", sub, s)
		}
	}
}

func (d *driver) wantNot(subs ...string) {
	d.t.Helper()
	s := d.screen()
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			d.t.Fatalf("screen shows %q:\n%s", sub, s)
		}
	}
}
