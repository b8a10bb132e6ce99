package tui

import (
	"context"
	"errors"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/keys"
	"github.com/akash-wallet/akw/lightclient/state"
)

// Options configure the TUI.
type Options struct {
	Backend Backend
	// Key is the name of the key to open the dashboard on; the first key
	// of the keyring when empty.
	Key string
	// Refresh is how often the light client is brought up to date and the
	// dashboard reloaded; 15 s when zero, never when negative.
	Refresh time.Duration
	// Now is the clock (ages of headers, time left to unbond); time.Now
	// when nil.
	Now func() time.Time
	// StaticSpinner draws a fixed busy marker instead of an animation
	// (for reduced motion, and for reproducible screenshots).
	StaticSpinner bool
}

// common is what every screen shares: the Backend, the context every
// operation derives from (cancelled on quit), styles, size, the chosen key
// and the light client's latest status.
type common struct {
	ctx    context.Context
	be     Backend
	chain  ChainInfo
	st     styles
	now    func() time.Time
	width  int
	height int
	static bool
	frame  int

	keys []Key
	key  *Key // the chosen key; nil until keys are loaded (or none exist)

	status       LightStatus
	statusErr    error
	statusLoaded bool
	statusBusy   bool
	// storeWait says why operations pause: another akw holds the
	// light-client store ("" when none waits).
	storeWait string

	// nav is navigation queued by screens during an update.
	nav []tea.Msg

	// pf is the dashboard's last proven portfolio of key, for pickers
	// (the user's delegations). Nil when not loaded or cleared.
	pf *Portfolio
}

// spinner returns the busy marker.
func (c *common) spinner() string {
	if c.static {
		return "…"
	}
	frames := []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}
	return frames[c.frame%len(frames)]
}

// staleNote says in words how old the state resting on a header of time
// t is, when that is beyond the network's bound; empty otherwise (or when
// t is unknown).
func (c *common) staleNote(t time.Time) string {
	if t.IsZero() || c.chain.StaleAfter <= 0 {
		return ""
	}
	if age := c.now().Sub(t); age > c.chain.StaleAfter {
		return state.StaleWords(age)
	}
	return ""
}

// verificationFailed reports whether err means an answer did not check out
// (as opposed to a node being unreachable or a bad input).
func verificationFailed(err error) bool {
	return err != nil && errkind.KindOf(err) == errkind.Verification
}

// screen is one page of the UI. Screens are pointers updated in place;
// the root owns the stack.
type screen interface {
	title() string
	update(msg tea.Msg) tea.Cmd
	view(width, height int) string
	// help lists the screen's key bindings, for the footer and `?`.
	help() []binding
	// typing is true while a text field has the focus: single letters
	// then go to the field, not to global bindings like q.
	typing() bool
	// busy is true while the screen waits for I/O (the spinner runs).
	busy() bool
}

// closer is implemented by screens that own work in flight, cancelled when
// the screen is left.
type closer interface{ close() }

// initer is implemented by screens that start work when shown.
type initer interface{ init() tea.Cmd }

type binding struct{ key, desc string }

// Navigation messages.
type (
	pushMsg struct{ s screen }
	popMsg  struct{}
	// homeMsg returns to the dashboard and reloads it (after a
	// transaction or a key change).
	homeMsg    struct{}
	refreshMsg struct{}
	// autoRefreshMsg is the periodic refresh timer.
	autoRefreshMsg struct{}
	tickMsg        struct{}
	statusMsg      struct {
		st  LightStatus
		err error
	}
	keysMsg struct {
		keys []Key
		err  error
	}

	// replaceMsg pops the top screen and pushes another in its place.
	replaceMsg struct{ s screen }
	// popThenMsg pops the top screen and hands msg to the rest (a
	// picker's answer to its form).
	popThenMsg struct{ msg tea.Msg }
)

// Navigation is synchronous: a screen queues it on common and the root
// carries it out before the next message, so that keys typed right after
// one that opens a screen reach the new screen (a command would deliver
// the push after them).
func (c *common) navigate(msg tea.Msg) tea.Cmd { c.nav = append(c.nav, msg); return nil }
func (c *common) push(s screen) tea.Cmd        { return c.navigate(pushMsg{s}) }
func (c *common) replace(s screen) tea.Cmd     { return c.navigate(replaceMsg{s}) }
func (c *common) pop() tea.Cmd                 { return c.navigate(popMsg{}) }
func (c *common) home() tea.Cmd                { return c.navigate(homeMsg{}) }
func (c *common) popThen(msg tea.Msg) tea.Cmd  { return c.navigate(popThenMsg{msg}) }

// Model is the root model: a stack of screens over the dashboard, a
// header, a footer with the keys, and the light client's status bar.
type Model struct {
	c        *common
	cancel   context.CancelFunc
	stack    []screen
	showHelp bool
	ticking  bool
	refresh  time.Duration
	keysErr  error
	wantKey  string
	quitting bool
	inFlight []string // hashes of transactions broadcast but not yet proven at quit
}

// InFlight returns the hashes of transactions that were broadcast but
// whose inclusion was not yet proven when the user quit.
func (m *Model) InFlight() []string { return m.inFlight }

// New builds the root model. ctx bounds every operation the UI starts;
// quitting cancels it.
func New(ctx context.Context, o Options) *Model {
	ctx, cancel := context.WithCancel(ctx)
	now := o.Now
	if now == nil {
		now = time.Now
	}
	c := &common{ctx: ctx, be: guarded{o.Backend}, chain: o.Backend.Chain(), st: newStyles(), now: now,
		width: 80, height: 24, static: o.StaticSpinner}
	r := o.Refresh
	if r == 0 {
		r = 15 * time.Second
	}
	m := &Model{c: c, cancel: cancel, refresh: r, wantKey: o.Key}
	m.stack = []screen{newDashboard(c)}
	return m
}

// Init loads the keys and the light client's status.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{m.loadKeys(), m.loadStatus(), m.listenStoreWaits()}
	cmds = append(cmds, m.autoRefresh())
	return tea.Batch(cmds...)
}

func (m *Model) autoRefresh() tea.Cmd {
	if m.refresh <= 0 {
		return nil
	}
	return tea.Tick(m.refresh, func(time.Time) tea.Msg { return autoRefreshMsg{} })
}

func (m *Model) loadKeys() tea.Cmd {
	c := m.c
	return func() tea.Msg {
		ks, err := c.be.Keys(c.ctx)
		return keysMsg{ks, err}
	}
}

func (m *Model) loadStatus() tea.Cmd {
	c := m.c
	if c.statusBusy {
		return nil
	}
	c.statusBusy = true
	return func() tea.Msg {
		st, err := c.be.Status(c.ctx)
		return statusMsg{st, err}
	}
}

func (m *Model) top() screen { return m.stack[len(m.stack)-1] }

// Update handles global keys and navigation, and hands everything else to
// the screens: keys to the top one, results of I/O to all (each screen
// recognises its own).
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := m.update(msg)
	cmds := []tea.Cmd{cmd}
	for len(m.c.nav) > 0 {
		next := m.c.nav[0]
		m.c.nav = m.c.nav[1:]
		_, cmd := m.update(next)
		cmds = append(cmds, cmd)
	}
	return m, tea.Batch(cmds...)
}

func (m *Model) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmds []tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.c.width, m.c.height = msg.Width, msg.Height
		return m, nil
	case tea.KeyPressMsg:
		if msg.String() == "ctrl+c" {
			return m, m.quit()
		}
		if m.showHelp {
			m.showHelp = false
			return m, nil
		}
		if !m.top().typing() {
			switch msg.String() {
			case "q":
				return m, m.quit()
			case "?":
				m.showHelp = true
				return m, nil
			}
		}
		cmds = append(cmds, m.top().update(msg))
		return m, m.afterUpdate(cmds)
	case pushMsg:
		m.stack = append(m.stack, msg.s)
		if in, ok := msg.s.(initer); ok {
			cmds = append(cmds, in.init())
		}
		return m, m.afterUpdate(cmds)
	case popMsg:
		m.popTo(len(m.stack) - 1)
		return m, nil
	case replaceMsg:
		m.popTo(len(m.stack) - 1)
		return m.update(pushMsg(msg))
	case popThenMsg:
		m.popTo(len(m.stack) - 1)
		return m.update(msg.msg)
	case homeMsg:
		m.popTo(1)
		cmds = append(cmds, m.loadStatus(), m.stack[0].update(refreshMsg{}))
		return m, m.afterUpdate(cmds)
	case autoRefreshMsg:
		// The periodic refresh: reschedule, then refresh like a key press.
		return m, tea.Batch(m.autoRefresh(), func() tea.Msg { return refreshMsg{} })
	case refreshMsg:
		cmds = append(cmds, m.loadStatus())
	case tickMsg:
		m.ticking = false
		m.c.frame++
		return m, m.afterUpdate(nil)
	case storeWaitMsg:
		return m, m.onStoreWait(msg)
	case statusMsg:
		m.c.statusBusy = false
		m.c.status, m.c.statusErr, m.c.statusLoaded = msg.st, msg.err, true
		if msg.err != nil {
			// Nothing may look verified while the light client
			// fails: the status is cleared, not left stale.
			m.c.status = LightStatus{}
		}
	case keysMsg:
		m.keysErr = msg.err
		if msg.err == nil {
			m.c.keys = msg.keys
			m.c.key = pickKey(msg.keys, m.currentKeyName())
		}
	}
	for _, s := range m.stack {
		cmds = append(cmds, s.update(msg))
	}
	return m, m.afterUpdate(cmds)
}

func (m *Model) currentKeyName() string {
	if m.c.key != nil {
		return m.c.key.Name
	}
	return m.wantKey
}

func pickKey(keys []Key, name string) *Key {
	for i := range keys {
		if keys[i].Name == name {
			return &keys[i]
		}
	}
	if len(keys) > 0 {
		return &keys[0]
	}
	return nil
}

func (m *Model) popTo(n int) {
	if n < 1 {
		n = 1
	}
	for len(m.stack) > n {
		if cl, ok := m.top().(closer); ok {
			cl.close()
		}
		m.stack = m.stack[:len(m.stack)-1]
	}
}

// afterUpdate keeps the spinner ticking while any screen is busy.
func (m *Model) afterUpdate(cmds []tea.Cmd) tea.Cmd {
	if !m.ticking && !m.c.static && m.anyBusy() {
		m.ticking = true
		cmds = append(cmds, tea.Tick(100*time.Millisecond, func(time.Time) tea.Msg { return tickMsg{} }))
	}
	return tea.Batch(cmds...)
}

func (m *Model) anyBusy() bool {
	if m.c.statusBusy {
		return true
	}
	for _, s := range m.stack {
		if s.busy() {
			return true
		}
	}
	return false
}

// quit cancels everything in flight (network calls, a Ledger waiting for
// confirmation) and ends the program.
func (m *Model) quit() tea.Cmd {
	// A transaction already broadcast is not lost by quitting: its hash
	// is handed back so that the command line can print how to look it up.
	for _, s := range m.stack {
		if p, ok := s.(*progress); ok && !p.done && p.hash != "" {
			m.inFlight = append(m.inFlight, p.hash)
		}
	}
	m.quitting = true
	m.popTo(1)
	m.cancel()
	return tea.Quit
}

// View draws header, the top screen (or the help), footer and status bar.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "akw " + m.c.chain.ChainID
	if verificationFailed(m.c.statusErr) {
		v.WindowTitle = "akw ✗ VERIFICATION FAILED"
	}
	return v
}

func (m *Model) render() string {
	c := m.c
	if m.quitting {
		return ""
	}
	w, h := c.width, c.height
	bodyH := h - 3
	if bodyH < 1 {
		bodyH = 1
	}
	var body string
	if m.showHelp {
		body = m.helpView()
	} else if m.keysErr != nil && len(m.stack) == 1 {
		body = c.st.err.Render("Cannot open the keyring: ") + plainError(m.keysErr) + "\n\n" + "Check --keyring-backend and --keyring-dir, then restart."
	} else {
		body = m.top().view(w, bodyH)
	}
	return m.header(w) + "\n" + fit(body, w, bodyH) + "\n" + m.footer(w) + "\n" + m.statusBar(w)
}

func (m *Model) header(w int) string {
	c := m.c
	var crumbs []string
	for _, s := range m.stack {
		crumbs = append(crumbs, s.title())
	}
	left := c.st.title.Render("akw") + " " + strings.Join(crumbs, " › ")
	if c.chain.Demo {
		left += c.st.warn.Render("  [DEMO devnet]")
	}
	right := "no key"
	if c.key != nil {
		right = "key " + c.st.label.Render(c.key.Name)
		if c.key.Ledger() {
			right += " (Ledger)"
		}
	}
	gap := w - lipWidth(left) - lipWidth(right)
	if gap < 1 {
		return fit(left+" "+right, w, 1)
	}
	return left + strings.Repeat(" ", gap) + right
}

func (m *Model) footer(w int) string {
	st := m.c.st
	var parts []string
	for _, b := range m.top().help() {
		parts = append(parts, st.key.Render(b.key)+" "+b.desc)
	}
	// How to get help and out stays visible however narrow the terminal:
	// the screen's own keys are cut first (all of them are under ?).
	global := st.key.Render("?") + " help · " + st.key.Render("q") + " quit"
	if m.top().typing() {
		global = st.key.Render("ctrl+c") + " quit"
	}
	left := strings.Join(parts, " · ")
	room := w - lipWidth(global) - 3
	if room < 10 {
		return fit(global, w, 1)
	}
	if lipWidth(left) > room {
		left = ansiTruncate(left, room)
	}
	return left + " · " + global
}

// statusBar shows the light client's state. A failed verification takes
// the whole bar, reversed and spelled out, and nothing is shown verified.
func (m *Model) statusBar(w int) string {
	c := m.c
	chain := c.chain.ChainID
	switch {
	case c.statusErr != nil && verificationFailed(c.statusErr):
		return c.st.alarm.Render(pad(" ✗ VERIFICATION FAILED: "+oneLine(c.statusErr.Error()), w))
	case c.storeWait != "" && (c.statusErr != nil || !c.statusLoaded):
		// Nothing verified to show yet (or a failure being retried):
		// the wait is what is going on.
		return c.st.status.Render(pad(" "+chain+" · "+c.spinner()+" "+c.storeWait, w))
	case c.statusErr != nil:
		return c.st.status.Render(pad(" "+chain+" · ✗ not verified: "+oneLine(plainError(c.statusErr)), w))
	case !c.statusLoaded:
		return c.st.status.Render(pad(" "+chain+" · "+c.spinner()+" verifying headers…", w))
	}
	s := c.status
	age := fmtAge(c.now().Sub(s.HeaderTime))
	wit := "no witness"
	if n := len(s.Witnesses); n > 0 {
		wit = itoa(s.Agreeing()) + "/" + itoa(n) + " witnesses agree"
	}
	text := " " + s.ChainID + " · ✓ verified height " + itoa64(s.Height) + " (" + age + " ago) · " + wit
	if c.statusBusy {
		text += " · " + c.spinner()
	}
	if c.storeWait != "" {
		// First of the remarks: it is why nothing moves.
		text += " · " + c.storeWait
	}
	if note := c.staleNote(s.HeaderTime); note != "" {
		// Before the notices: a halted chain or withheld blocks matter
		// more than which node serves.
		text += " · ! " + note
	}
	if len(s.Notices) > 0 {
		text += " · ! " + s.Notices[len(s.Notices)-1]
	}
	return c.st.status.Render(pad(text, w))
}

func (m *Model) helpView() string {
	c := m.c
	var b strings.Builder
	entry := func(k binding) string { return pad(c.st.key.Render(k.key), 8) + k.desc }
	// Two columns when there is room, so that the help of a busy screen
	// fits 80×24.
	list := func(bs []binding) {
		if c.width < 70 || len(bs) < 6 {
			for _, k := range bs {
				b.WriteString("  " + entry(k) + "\n")
			}
			return
		}
		half := (len(bs) + 1) / 2
		colW := (c.width - 4) / 2
		for i := 0; i < half; i++ {
			line := "  " + pad(entry(bs[i]), colW)
			if i+half < len(bs) {
				line += entry(bs[i+half])
			}
			b.WriteString(line + "\n")
		}
	}
	b.WriteString(c.st.header.Render("Keys on this screen ("+m.top().title()+")") + "\n")
	list(m.top().help())
	b.WriteString("\n" + c.st.header.Render("Everywhere") + "\n")
	list([]binding{{"esc", "back; cancel what is in flight"}, {"?", "this help"}, {"q", "quit (not while typing)"}, {"ctrl+c", "quit, cancelling work in flight"}})
	b.WriteString("\n" + c.st.faint.Render(wrap("✓ marks values proven against a verified header; \"node-reported\" marks what cannot be proven.", c.width)) + "\n")
	b.WriteString(c.st.faint.Render("Press any key to close."))
	return b.String()
}

// plainError turns an error into words for people: the library's hint when
// it has one, Ledger status codes spelled out.
func plainError(err error) string {
	if err == nil {
		return ""
	}
	if errors.Is(err, context.Canceled) {
		return "cancelled"
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "timed out"
	}
	var le *keys.LedgerError
	if errors.As(err, &le) {
		// The keys package classifies what the device said (its status
		// words, the transport's errors) and words it for people.
		return capitalise(le.Error()) + ". " + le.Hint()
	}
	msg := err.Error()
	if h := hintText(err); h != "" {
		return msg + " (" + h + ")"
	}
	return msg
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\n", " ") }

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
