package tui

import (
	"context"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// proposalsScreen lists the proven proposals in voting period, to vote
// on, and those in their deposit period, to deposit on.
type proposalsScreen struct {
	c       *common
	props   []Proposal
	loading bool
	err     error
	cancel  context.CancelFunc
	cursor  int
	// The proposals in deposit period load on their own: proving them
	// walks every proposal the chain keeps, which must not hold up the
	// vote.
	deps        []Proposal
	depsLoading bool
	depsErr     error
}

type proposalsMsg struct {
	s     *proposalsScreen
	props []Proposal
	err   error
}

type depositProposalsMsg struct {
	s    *proposalsScreen
	deps []Proposal
	err  error
}

func newProposalsScreen(c *common) *proposalsScreen { return &proposalsScreen{c: c} }

func (s *proposalsScreen) title() string { return "Proposals" }
func (s *proposalsScreen) typing() bool  { return false }
func (s *proposalsScreen) busy() bool    { return s.loading || s.depsLoading }
func (s *proposalsScreen) help() []binding {
	return []binding{{"↑/↓", "move"}, {"enter", "vote / deposit"}, {"r", "reload"}, {"esc", "back"}}
}
func (s *proposalsScreen) close() {
	if s.cancel != nil {
		s.cancel()
	}
}

func (s *proposalsScreen) init() tea.Cmd {
	ctx, cancel := context.WithCancel(s.c.ctx)
	s.cancel, s.loading, s.depsLoading = cancel, true, true
	be, voter := s.c.be, s.c.key.Address
	return tea.Batch(func() tea.Msg {
		ps, err := be.Proposals(ctx, voter)
		return proposalsMsg{s, ps, err}
	}, func() tea.Msg {
		deps, err := be.DepositProposals(ctx)
		return depositProposalsMsg{s, deps, err}
	})
}

func (s *proposalsScreen) rows() int { return len(s.props) + len(s.deps) }

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
		s.cursor = min(s.cursor, max(0, s.rows()-1))
	case depositProposalsMsg:
		if msg.s != s {
			return nil
		}
		s.depsLoading, s.deps, s.depsErr = false, msg.deps, msg.err
		if s.depsErr != nil {
			s.deps = nil
		}
		s.cursor = min(s.cursor, max(0, s.rows()-1))
	case homeMsg:
	case tea.KeyPressMsg:
		switch msg.String() {
		case "esc":
			return s.c.pop()
		case "up", "k", "down", "j":
			s.cursor = listMove(msg.String(), s.cursor, s.rows())
		case "r":
			if !s.loading && !s.depsLoading {
				return s.init()
			}
		case "enter":
			switch {
			case s.loading:
			case s.cursor < len(s.props):
				return s.c.push(newProposalDetail(s.c, s.props[s.cursor]))
			case s.cursor < s.rows():
				return s.c.push(newDepositFlow(s.c, s.deps[s.cursor-len(s.props)]))
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
	}
	var lines []string
	switch {
	case len(s.props) > 0:
		lines = append(lines, st.ok.Render("✓ proven at height "+itoa64(s.props[0].Height)), "")
	case len(s.deps) > 0:
		lines = append(lines, st.ok.Render("✓ proven at height "+itoa64(s.deps[0].Height)), "")
	}
	now := c.now()
	titleW := max(20, w-50)
	cursorLine := 0
	row := func(i int, text string) {
		if i == s.cursor {
			cursorLine = len(lines)
			lines = append(lines, st.selected.Render("▸ "+text))
		} else {
			lines = append(lines, "  "+text)
		}
	}
	if len(s.props) == 0 {
		lines = append(lines, st.faint.Render("  No proposal is in its voting period."))
	} else {
		lines = append(lines, st.faint.Render("  "+pad("voting period", titleW)+"  "+pad("voting ends", 22)+"your vote"))
	}
	for i, p := range s.props {
		row(i, pad("#"+itoa64(int64(p.ID))+" "+p.Title, titleW)+"  "+
			pad(p.VotingEnd.UTC().Format("2006-01-02")+" (in "+fmtAge(p.VotingEnd.Sub(now))+")", 22)+fmtVote(p.Vote))
	}
	lines = append(lines, "")
	switch {
	case s.depsLoading:
		lines = append(lines, "  "+c.spinner()+" proving the proposals in deposit period…")
	case s.depsErr != nil && verificationFailed(s.depsErr):
		lines = append(lines, "  "+st.alarm.Render(" ✗ VERIFICATION FAILED ")+" proposals in deposit period: "+wrap(s.depsErr.Error(), w-40))
	case s.depsErr != nil:
		lines = append(lines, "  "+st.err.Render("✗ ")+"proposals in deposit period: "+wrap(plainError(s.depsErr), w-34)+" (r to retry)")
	case len(s.deps) == 0:
		lines = append(lines, st.faint.Render("  No proposal is in its deposit period."))
	default:
		lines = append(lines, st.faint.Render("  "+pad("deposit period", titleW)+"  "+pad("deposits end", 22)+"deposited / needed"))
	}
	for i, p := range s.deps {
		row(len(s.props)+i, pad("#"+itoa64(int64(p.ID))+" "+p.Title, titleW)+"  "+
			pad(p.DepositEnd.UTC().Format("2006-01-02")+" (in "+fmtAge(p.DepositEnd.Sub(now))+")", 22)+
			fmtCoins(c.chain, p.TotalDeposit)+" / "+fmtCoins(c.chain, p.MinDeposit))
	}
	return scrollTo(lines, cursorLine, h)
}

// newDepositFlow deposits on a proposal in its deposit period: once the
// deposits reach the minimum, the vote starts.
func newDepositFlow(c *common, p Proposal) *flow {
	f := &flow{c: c, kind: TxDeposit, form: form{c: c}}
	f.req.ProposalID = p.ID
	f.form.fields = []*field{{label: "Amount", check: FieldAmount, placeholder: "10akt",
		hint: "what you deposit; refunded when the proposal ends, unless the chain burns deposits (a vetoed or failed proposal)"}}
	f.note = "Proposal #" + itoa64(int64(p.ID)) + ": " + p.Title + " — " + fmtCoins(c.chain, p.TotalDeposit) +
		" deposited of the " + fmtCoins(c.chain, p.MinDeposit) + " that start the vote (proven at height " + itoa64(p.Height) +
		"); the deposit period ends " + p.DepositEnd.UTC().Format("2006-01-02 15:04 UTC") + "."
	return f
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
