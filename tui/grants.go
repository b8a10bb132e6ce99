package tui

import (
	"context"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
)

// Grant is one proven authz grant, with what it allows in words.
type Grant struct {
	Granter string
	Grantee string
	// MsgType is the message type URL the grant is for (what a revoke
	// names).
	MsgType string
	// Allows says what the grantee may do, with its limits, in the words
	// the review of a grant uses (tx/ops.DescribeAuthorization).
	Allows string
	// Expiration is nil for a grant without end; Expired when it is
	// before the verified header's time (the chain no longer honours it).
	Expiration *time.Time
	Expired    bool
}

// GrantSet is every grant an address gave and received, each list proven
// complete at one verified height.
type GrantSet struct {
	Address    string
	Height     int64
	HeaderTime time.Time
	Given      []Grant
	Received   []Grant
	// ReceivedBy says how the received list was proven complete (the
	// chain's grantee index, or every grant walked).
	ReceivedBy string
}

// grantsScreen lists the grants the chosen key gave and received; x
// revokes a grant it gave, a grants a bot auto-compounding.
type grantsScreen struct {
	c       *common
	set     *GrantSet
	loading bool
	err     error
	cancel  context.CancelFunc
	cursor  int // over Given, then Received
}

type grantsMsg struct {
	s   *grantsScreen
	set *GrantSet
	err error
}

func newGrantsScreen(c *common) *grantsScreen { return &grantsScreen{c: c} }

func (s *grantsScreen) title() string { return "Grants" }
func (s *grantsScreen) typing() bool  { return false }
func (s *grantsScreen) busy() bool    { return s.loading }
func (s *grantsScreen) help() []binding {
	return []binding{{"↑/↓", "move"}, {"x", "revoke (a grant you gave)"}, {"a", "auto-compound (REStake)"}, {"r", "reload"}, {"esc", "back"}}
}
func (s *grantsScreen) close() {
	if s.cancel != nil {
		s.cancel()
	}
}

func (s *grantsScreen) init() tea.Cmd {
	if s.c.key == nil {
		return nil
	}
	if s.cancel != nil {
		s.cancel()
	}
	ctx, cancel := context.WithCancel(s.c.ctx)
	s.cancel, s.loading = cancel, true
	be, addr := s.c.be, s.c.key.Address
	return func() tea.Msg {
		set, err := be.Grants(ctx, addr)
		return grantsMsg{s, set, err}
	}
}

func (s *grantsScreen) rows() int {
	if s.set == nil {
		return 0
	}
	return len(s.set.Given) + len(s.set.Received)
}

// selected is the grant under the cursor and whether the key gave it.
func (s *grantsScreen) selected() (Grant, bool, bool) {
	if s.set == nil || s.cursor >= s.rows() {
		return Grant{}, false, false
	}
	if s.cursor < len(s.set.Given) {
		return s.set.Given[s.cursor], true, true
	}
	return s.set.Received[s.cursor-len(s.set.Given)], false, true
}

func (s *grantsScreen) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case grantsMsg:
		if msg.s != s {
			return nil
		}
		s.loading, s.set, s.err = false, msg.set, msg.err
		if s.err != nil {
			s.set = nil
		}
		s.cursor = min(s.cursor, max(0, s.rows()-1))
	case statusMsg:
		if msg.err != nil {
			s.set = nil // nothing may look proven while the light client fails
		}
	case tea.KeyPressMsg:
		switch msg.String() {
		case "esc":
			return s.c.pop()
		case "up", "k", "down", "j":
			s.cursor = listMove(msg.String(), s.cursor, s.rows())
		case "r":
			if !s.loading {
				return s.init()
			}
		case "x":
			if g, given, ok := s.selected(); ok && given && !s.loading {
				return s.c.push(newRevokeFlow(s.c, g))
			}
		case "a":
			return s.c.push(newValidatorPicker(s.c, nil, "").autoCompoundOnEnter())
		}
	}
	return nil
}

func (s *grantsScreen) view(w, h int) string {
	c, st := s.c, s.c.st
	if v, ok := loadingView(c, s.loading && s.set == nil, s.err, "grants", w); ok {
		return v
	}
	if s.set == nil {
		return ""
	}
	set := s.set
	var lines []string
	add := func(l string) { lines = append(lines, l) }
	proven := st.ok.Render("✓ both lists proven complete at height " + itoa64(set.Height))
	if s.loading {
		proven += " " + c.spinner()
	}
	add(proven)
	if note := c.staleNote(set.HeaderTime); note != "" {
		add(st.warn.Render("! " + note))
	}
	cursorLine := 0
	row := 0
	section := func(title string, gs []Grant, given bool) {
		add("")
		add(st.header.Render(title) + " (" + itoa(len(gs)) + ")")
		if len(gs) == 0 {
			none := "  none"
			if given {
				none += " — press a to let a REStake bot auto-compound your rewards"
			}
			add(st.faint.Render(none))
		}
		for _, g := range gs {
			who := "to " + g.Grantee
			if !given {
				who = "from " + g.Granter
			}
			until := "until revoked"
			if g.Expiration != nil {
				until = "until " + g.Expiration.UTC().Format("2006-01-02 15:04 UTC")
				if g.Expired {
					until += " (expired)"
				} else {
					until += " (in " + fmtAge(g.Expiration.Sub(c.now())) + ")"
				}
			}
			if row == s.cursor {
				cursorLine = len(lines)
				add(st.selected.Render("▸ " + who))
			} else {
				add("  " + who)
			}
			for _, l := range strings.Split(wrap(g.Allows, w-6), "\n") {
				add("    " + l)
			}
			if g.Expired {
				add("    " + st.warn.Render(until))
			} else {
				add("    " + st.faint.Render(until))
			}
			row++
		}
	}
	section("Granted by you", set.Given, true)
	section("Granted to you", set.Received, false)
	if set.ReceivedBy != "" {
		add(st.faint.Render(wrap("  received: "+set.ReceivedBy, w-2)))
	}
	return scrollTo(lines, cursorLine, h)
}

// newRevokeFlow revokes grant g: nothing to fill in, straight to the
// review.
func newRevokeFlow(c *common, g Grant) *flow {
	f := &flow{c: c, kind: TxRevoke, form: form{c: c}, auto: true}
	f.req.Grantee, f.req.MsgType = g.Grantee, g.MsgType
	f.note = "Revoke the grant to " + g.Grantee + ": " + g.Allows + "."
	return f
}

// newAutoCompoundFlow grants a REStake bot what it needs to compound the
// key's rewards with validator (and only with it): MsgDelegate limited to
// that validator and MsgWithdrawDelegatorReward, until an expiry.
func newAutoCompoundFlow(c *common, validator, name string) *flow {
	f := &flow{c: c, kind: TxAutoCompound, form: form{c: c}}
	f.req.To, f.req.ToName = validator, name
	f.form.fields = []*field{
		{label: "Bot", check: FieldAddress, placeholder: "akash1…", hint: "the REStake bot's address, as the validator publishes it (restake.app)"},
		{label: "Expires", check: FieldExpiration, value: "1y", hint: "a duration (1y, 90d), a date (2027-01-31) or a time; the grant ends then"},
	}
	if name == "" {
		name = validator
	}
	f.note = "Auto-compound with " + name + ": the bot may delegate your tokens to this validator only, and withdraw your staking rewards, until the expiry. It cannot send your tokens anywhere. Revoke it any time from the grants screen (g)."
	return f
}
