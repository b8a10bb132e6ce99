package tui

import (
	"context"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// proposalsScreen lists the proven proposals in voting period.
type proposalsScreen struct {
	c       *common
	props   []Proposal
	loading bool
	err     error
	cancel  context.CancelFunc
	cursor  int
}

type proposalsMsg struct {
	s     *proposalsScreen
	props []Proposal
	err   error
}

func newProposalsScreen(c *common) *proposalsScreen { return &proposalsScreen{c: c} }

func (s *proposalsScreen) title() string { return "Proposals" }
func (s *proposalsScreen) typing() bool  { return false }
func (s *proposalsScreen) busy() bool    { return s.loading }
func (s *proposalsScreen) help() []binding {
	return []binding{{"↑/↓", "move"}, {"enter", "details and vote"}, {"r", "reload"}, {"esc", "back"}}
}
func (s *proposalsScreen) close() {
	if s.cancel != nil {
		s.cancel()
	}
}

func (s *proposalsScreen) init() tea.Cmd {
	ctx, cancel := context.WithCancel(s.c.ctx)
	s.cancel, s.loading = cancel, true
	be, voter := s.c.be, s.c.key.Address
	return func() tea.Msg {
		ps, err := be.Proposals(ctx, voter)
		return proposalsMsg{s, ps, err}
	}
}

func (s *proposalsScreen) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case proposalsMsg:
		if msg.s != s {
			return nil
		}
		s.loading, s.props, s.err = false, msg.props, msg.err
		if s.err != nil {
			s.props = nil
		}
		s.cursor = min(s.cursor, max(0, len(s.props)-1))
	case homeMsg:
	case tea.KeyPressMsg:
		switch msg.String() {
		case "esc":
			return s.c.pop()
		case "up", "k":
			s.cursor = max(0, s.cursor-1)
		case "down", "j":
			s.cursor = min(max(0, len(s.props)-1), s.cursor+1)
		case "r":
			if !s.loading {
				return s.init()
			}
		case "enter":
			if !s.loading && len(s.props) > 0 {
				return s.c.push(newProposalDetail(s.c, s.props[s.cursor]))
			}
		}
	}
	return nil
}

func (s *proposalsScreen) view(w, h int) string {
	c, st := s.c, s.c.st
	switch {
	case s.loading:
		return c.spinner() + " proving proposals in voting period…  (esc to cancel)"
	case s.err != nil && verificationFailed(s.err):
		return st.alarm.Render(" ✗ VERIFICATION FAILED ") + "\n\n" + wrap(s.err.Error(), w) + "\n\nNothing is shown. Press r to retry."
	case s.err != nil:
		return st.err.Render("✗ ") + wrap(plainError(s.err), w-2) + "\n\nPress r to retry."
	case len(s.props) == 0:
		return "No proposal is in its voting period."
	}
	var b strings.Builder
	b.WriteString(st.ok.Render("✓ proven at height "+itoa64(s.props[0].Height)) + "\n\n")
	now := c.now()
	titleW := max(20, w-50)
	b.WriteString(st.faint.Render("  "+pad("proposal", titleW)+"  "+pad("voting ends", 22)+"your vote") + "\n")
	start := max(0, s.cursor-(h-4)+1)
	for i := start; i < len(s.props) && i < start+h-3; i++ {
		p := s.props[i]
		row := pad("#"+itoa64(int64(p.ID))+" "+p.Title, titleW) + "  " +
			pad(p.VotingEnd.UTC().Format("2006-01-02")+" (in "+fmtAge(p.VotingEnd.Sub(now))+")", 22) + fmtVote(p.Vote)
		if i == s.cursor {
			b.WriteString(st.selected.Render("▸ "+row) + "\n")
		} else {
			b.WriteString("  " + row + "\n")
		}
	}
	return b.String()
}

// proposalDetail shows one proposal and takes the vote.
type proposalDetail struct {
	c      *common
	p      Proposal
	cursor int
}

var voteChoices = []struct{ option, text string }{
	{"yes", "Yes"},
	{"no", "No"},
	{"abstain", "Abstain"},
	{"no_with_veto", "No with veto"},
	{"", "Weighted…"},
}

func newProposalDetail(c *common, p Proposal) *proposalDetail { return &proposalDetail{c: c, p: p} }

func (s *proposalDetail) title() string { return "#" + itoa64(int64(s.p.ID)) }
func (s *proposalDetail) typing() bool  { return false }
func (s *proposalDetail) busy() bool    { return false }
func (s *proposalDetail) help() []binding {
	return []binding{{"↑/↓", "choose"}, {"enter", "vote"}, {"esc", "back"}}
}

func (s *proposalDetail) update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	switch k.String() {
	case "esc":
		return s.c.pop()
	case "up", "k":
		s.cursor = max(0, s.cursor-1)
	case "down", "j":
		s.cursor = min(len(voteChoices)-1, s.cursor+1)
	case "enter":
		f := newVoteFlow(s.c, s.p)
		ch := voteChoices[s.cursor]
		if ch.option == "" {
			return s.c.push(f)
		}
		f.form.fields[0].value = ch.option
		f.auto = true
		return s.c.push(f)
	}
	return nil
}

func (s *proposalDetail) view(w, h int) string {
	c, st, p := s.c, s.c.st, s.p
	var b strings.Builder
	b.WriteString(st.header.Render("#"+itoa64(int64(p.ID))+" "+p.Title) + "\n")
	b.WriteString(st.ok.Render("✓ proven at height "+itoa64(p.Height)) + "\n\n")
	b.WriteString(st.label.Render("Voting ends ") + p.VotingEnd.UTC().Format("2006-01-02 15:04 UTC") + " (in " + fmtAge(p.VotingEnd.Sub(c.now())) + ")\n")
	b.WriteString(st.label.Render("Your vote   ") + fmtVote(p.Vote) + "\n\n")
	summary := wrap(p.Summary, w)
	lines := strings.Split(summary, "\n")
	room := max(3, h-len(voteChoices)-8)
	if len(lines) > room {
		lines = append(lines[:room-1], st.faint.Render("…"))
	}
	b.WriteString(strings.Join(lines, "\n") + "\n\n")
	for i, ch := range voteChoices {
		if i == s.cursor {
			b.WriteString(st.selected.Render("▸ "+ch.text) + "\n")
		} else {
			b.WriteString("  " + ch.text + "\n")
		}
	}
	return b.String()
}
