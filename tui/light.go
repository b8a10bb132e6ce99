package tui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
)

// lightScreen shows the light client's state in full: what the status bar
// summarises.
type lightScreen struct{ c *common }

func newLightScreen(c *common) *lightScreen { return &lightScreen{c: c} }

func (s *lightScreen) title() string { return "Light client" }
func (s *lightScreen) typing() bool  { return false }
func (s *lightScreen) busy() bool    { return s.c.statusBusy }
func (s *lightScreen) help() []binding {
	return []binding{{"r", "verify the newest header"}, {"esc", "back"}}
}

func (s *lightScreen) update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch k.String() {
		case "esc":
			return s.c.pop()
		case "r":
			return func() tea.Msg { return refreshMsg{} }
		}
	}
	return nil
}

func (s *lightScreen) view(w, h int) string {
	c, st := s.c, s.c.st
	var b strings.Builder
	line := func(label, value string) { b.WriteString("  " + st.label.Render(pad(label, 17)) + value + "\n") }
	b.WriteString(st.header.Render("Light client") + "\n\n")
	line("Network", c.chain.Network+" ("+c.chain.ChainID+")")
	switch {
	case c.statusErr != nil && verificationFailed(c.statusErr):
		b.WriteString("\n" + st.alarm.Render(" ✗ VERIFICATION FAILED ") + "\n\n" + wrap(c.statusErr.Error(), w) + "\n")
		if h := plainError(c.statusErr); h != c.statusErr.Error() {
			b.WriteString("\n" + wrap(h, w) + "\n")
		}
		return b.String()
	case c.statusErr != nil:
		b.WriteString("\n" + st.err.Render("✗ not verified: ") + wrap(plainError(c.statusErr), w-16) + "\n")
		return b.String()
	case !c.statusLoaded:
		b.WriteString("\n" + c.spinner() + " verifying the newest header…\n")
		return b.String()
	}
	stt := c.status
	line("Primary", stt.Primary)
	line("Verified height", itoa64(stt.Height)+st.ok.Render("  ✓"))
	line("Header time", stt.HeaderTime.UTC().Format("2006-01-02 15:04:05 UTC")+" ("+fmtAge(c.now().Sub(stt.HeaderTime))+" ago)")
	b.WriteString("\n" + st.label.Render("Witnesses") + " (" + itoa(stt.Agreeing()) + " of " + itoa(len(stt.Witnesses)) + " agree)\n")
	if len(stt.Witnesses) == 0 {
		b.WriteString("  none: headers are not cross-checked\n")
	}
	for _, wt := range stt.Witnesses {
		mark := st.ok.Render("✓ agrees")
		if !wt.Agrees {
			mark = st.warn.Render("✗ dropped")
			if wt.Reason != "" {
				mark += ": " + wt.Reason
			}
		}
		b.WriteString("  " + pad(wt.URL, 40) + " " + mark + "\n")
	}
	if len(stt.Notices) > 0 {
		b.WriteString("\n" + st.label.Render("Notices") + "\n")
		for _, n := range stt.Notices {
			b.WriteString("  " + wrapIndent(n, w-4, 2) + "\n")
		}
	}
	b.WriteString("\n" + st.faint.Render(wrap("Every balance, delegation and vote on the dashboard is proven by a Merkle proof against a header verified like this one.", w)) + "\n")
	return b.String()
}
