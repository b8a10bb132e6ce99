package tui

import (
	"cmp"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-wallet/akw/tx/amount"
)

// dashboard is the home screen: the chosen key's proven state.
type dashboard struct {
	c       *common
	pf      *Portfolio
	err     error
	loading bool
	seq     int
	addr    string // the address pf belongs to (or is loading for)
	offset  int    // scroll position in lines

	// The rendered portfolio is kept until something it shows changes:
	// scrolling a long dashboard then costs no re-rendering.
	cacheKey linesKey
	cache    []string
}

type linesKey struct {
	pf      *Portfolio
	width   int
	loading bool
	spinner string
	minute  int64 // ages ("in 21d") are shown to the minute at best
}

type portfolioMsg struct {
	seq int
	pf  *Portfolio
	err error
}

func newDashboard(c *common) *dashboard { return &dashboard{c: c} }

func (d *dashboard) title() string { return "Dashboard" }
func (d *dashboard) typing() bool  { return false }
func (d *dashboard) busy() bool    { return d.loading }

func (d *dashboard) help() []binding {
	return []binding{{"s", "send"}, {"d", "delegate"}, {"m", "redelegate"}, {"u", "undelegate"}, {"c", "claim"}, {"v", "vote"}, {"g", "grants"}, {"h", "history"}, {"k", "keys"}, {"tab", "next key"}, {"l", "light client"}, {"r", "refresh"}}
}

// load fetches the chosen key's portfolio. Results of an older load (or
// for a key no longer chosen) are dropped by their sequence number.
func (d *dashboard) load() tea.Cmd {
	c := d.c
	if c.key == nil {
		return nil
	}
	d.seq++
	seq, addr := d.seq, c.key.Address
	if addr != d.addr {
		// Another key: never show one key's numbers under another's name.
		d.pf, d.err, c.pf, d.offset = nil, nil, nil, 0
	}
	d.addr, d.loading = addr, true
	return func() tea.Msg {
		pf, err := c.be.Portfolio(c.ctx, addr)
		return portfolioMsg{seq, pf, err}
	}
}

func (d *dashboard) update(msg tea.Msg) tea.Cmd {
	c := d.c
	switch msg := msg.(type) {
	case keysMsg:
		if c.key != nil && (d.pf == nil || c.key.Address != d.addr) {
			return d.load()
		}
	case refreshMsg:
		return d.load()
	case statusMsg:
		if msg.err != nil {
			// The light client failed: clear, do not leave old
			// values looking verified.
			d.pf, c.pf = nil, nil
		}
	case portfolioMsg:
		if msg.seq != d.seq {
			return nil
		}
		d.loading = false
		d.pf, d.err = msg.pf, msg.err
		if msg.err != nil || c.statusErr != nil {
			d.pf = nil
		}
		c.pf = d.pf
		if d.pf != nil {
			// Every amount the TUI shows from now on reads in the units
			// this proven metadata states.
			c.chain.addTokens(d.pf.Tokens)
		}
	case tea.KeyPressMsg:
		return d.key(msg)
	}
	return nil
}

func (d *dashboard) key(k tea.KeyPressMsg) tea.Cmd {
	c := d.c
	switch k.String() {
	case "k":
		return d.c.push(newKeysScreen(c))
	case "l":
		return d.c.push(newLightScreen(c))
	case "tab":
		// Next key of the keyring, without opening the list.
		if len(c.keys) > 1 && c.key != nil {
			for i := range c.keys {
				if c.keys[i].Name == c.key.Name {
					c.key = &c.keys[(i+1)%len(c.keys)]
					break
				}
			}
			return d.load()
		}
		return nil
	case "r":
		return func() tea.Msg { return refreshMsg{} }
	case "up":
		if d.offset > 0 {
			d.offset--
		}
		return nil
	case "down":
		d.offset++
		return nil
	case "pgup":
		d.offset = max(0, d.offset-10)
		return nil
	case "pgdown":
		d.offset += 10
		return nil
	}
	if c.key == nil {
		return nil
	}
	switch k.String() {
	case "s":
		return d.c.push(newFlow(c, TxSend))
	case "d":
		return d.c.push(newFlow(c, TxDelegate))
	case "m":
		return d.c.push(newFlow(c, TxRedelegate))
	case "u":
		return d.c.push(newFlow(c, TxUndelegate))
	case "c":
		return d.c.push(newFlow(c, TxClaim))
	case "v":
		return d.c.push(newProposalsScreen(c))
	case "g":
		return d.c.push(newGrantsScreen(c))
	case "h":
		return d.c.push(newHistoryScreen(c))
	}
	return nil
}

func (d *dashboard) view(w, h int) string {
	c := d.c
	st := c.st
	if c.key == nil {
		if len(c.keys) == 0 && c.statusLoaded {
			return "No keys in this keyring yet.\n\nPress " + st.key.Render("k") + " to add, recover or import a Ledger key."
		}
		return c.spinner() + " opening the keyring…"
	}
	var b strings.Builder
	b.WriteString(st.label.Render(c.key.Name) + "  " + c.key.Address + "\n")
	switch {
	case c.statusErr != nil && verificationFailed(c.statusErr):
		b.WriteString("\n" + st.alarm.Render(" ✗ VERIFICATION FAILED ") + "\n\n")
		b.WriteString(wrap(c.statusErr.Error(), w) + "\n\n")
		if h := hintText(c.statusErr); h != "" {
			b.WriteString(wrap(h, w) + "\n\n")
		}
		b.WriteString("No balance, delegation or vote is shown until the light client verifies again.\n")
		return b.String()
	case d.err != nil && verificationFailed(d.err):
		b.WriteString("\n" + st.alarm.Render(" ✗ VERIFICATION FAILED ") + "\n\n")
		b.WriteString(wrap("The node's answer for this account did not check out against the verified header: "+d.err.Error(), w) + "\n\n")
		b.WriteString("No balance, delegation or vote is shown. Try another --node.\n")
		return b.String()
	case d.err != nil:
		b.WriteString("\n" + st.err.Render("✗ Cannot load this account: ") + wrap(plainError(d.err), w) + "\n\nPress r to retry.\n")
		return b.String()
	case d.pf == nil:
		b.WriteString("\n" + c.spinner() + " proving balances, delegations and votes…\n")
		return b.String()
	}
	key := linesKey{d.pf, w, d.loading, c.spinner(), c.now().Unix() / 60}
	if key != d.cacheKey || d.cache == nil {
		d.cache, d.cacheKey = d.lines(w), key
	}
	lines := d.cache
	head := strings.Count(b.String(), "\n")
	room := h - head
	if d.offset > len(lines)-room {
		d.offset = max(0, len(lines)-room)
	}
	end := min(len(lines), d.offset+room)
	b.WriteString(strings.Join(lines[d.offset:end], "\n"))
	return b.String()
}

// lines renders the portfolio; the caller scrolls them.
func (d *dashboard) lines(w int) []string {
	c, pf, st := d.c, d.pf, d.c.st
	ci := c.chain
	var out []string
	add := func(s string) { out = append(out, s) }
	proven := st.ok.Render("✓ proven at height " + itoa64(pf.Height))
	if d.loading {
		proven += " " + c.spinner()
	}
	add("")
	add(st.header.Render("Balance") + "  " + proven)
	if note := c.staleNote(pf.HeaderTime); note != "" {
		add("  " + st.warn.Render("! "+note))
	}
	// One row per denom: the chain's token, then the tokens with a
	// display unit from their proven metadata (ACT), then those shown as
	// they are (vouchers, whose full denoms are long).
	if len(pf.Balances) <= 1 {
		add("  available  " + st.label.Render(fmtCoins(ci, pf.Balances)))
	} else {
		rows := slices.Clone(pf.Balances)
		rank := func(c sdk.Coin) int {
			switch {
			case c.Denom == ci.Denom:
				return 0
			case slices.ContainsFunc(ci.Tokens, func(t amount.Denoms) bool { return t.Base == c.Denom }):
				return 1 // a display unit, from proven metadata
			}
			return 2
		}
		slices.SortStableFunc(rows, func(a, b sdk.Coin) int { return cmp.Compare(rank(a), rank(b)) })
		for i, cn := range rows {
			lead := "  available  "
			if i > 0 {
				lead = "             "
			}
			add(lead + st.label.Render(fmtCoin(ci, cn)))
		}
	}
	add("  rewards    " + fmtDecCoins(ci, pf.Rewards) + st.faint.Render("  (pending; c to claim)"))
	add("")

	nameW := max(20, w-48)
	add(st.header.Render("Delegations") + " (" + itoa(len(pf.Delegations)) + ")")
	if len(pf.Delegations) == 0 {
		add(st.faint.Render("  none — press d to delegate"))
	} else {
		add(st.faint.Render("  " + pad("validator", nameW) + padLeft("amount", 20) + padLeft("rewards", 20)))
	}
	for _, dl := range pf.Delegations {
		name := dl.Moniker
		if name == "" {
			name = shortAddr(dl.Validator, 24)
		}
		if dl.Jailed {
			name += " (jailed)"
		} else if dl.Status != "" && dl.Status != "bonded" {
			name += " (" + dl.Status + ")"
		}
		add("  " + pad(name, nameW) + padLeft(fmtCoin(ci, dl.Amount), 20) + padLeft(fmtDecCoins(ci, dl.Rewards), 20))
	}
	add("")
	add(st.header.Render("Unbonding") + " (" + itoa(len(pf.Unbonding)) + ")")
	if len(pf.Unbonding) == 0 {
		add(st.faint.Render("  none"))
	}
	now := c.now()
	for _, u := range pf.Unbonding {
		name := u.Moniker
		if name == "" {
			name = shortAddr(u.Validator, 24)
		}
		when := u.CompletionTime.UTC().Format("2006-01-02 15:04 UTC")
		left := u.CompletionTime.Sub(now)
		add("  " + pad(name, max(16, w-60)) + padLeft(fmtCoin(ci, u.Amount), 20) + "  " + when + " (in " + fmtAge(left) + ")")
	}
	add("")
	add(st.header.Render("Proposals in voting period") + " (" + itoa(len(pf.Proposals)) + ")")
	if len(pf.Proposals) == 0 {
		add(st.faint.Render("  none"))
	}
	for _, p := range pf.Proposals {
		vote := fmtVote(p.Vote)
		if len(p.Vote) == 0 {
			vote = st.warn.Render("not voted")
		}
		ends := "ends " + p.VotingEnd.UTC().Format("2006-01-02") + " (in " + fmtAge(p.VotingEnd.Sub(now)) + ")"
		add("  " + pad("#"+itoa64(int64(p.ID))+" "+p.Title, max(20, w-52)) + "  " + pad(ends, 26) + " your vote: " + vote)
	}
	return out
}

// wrap breaks s into lines of at most w cells at spaces.
func wrap(s string, w int) string {
	if w < 10 {
		return s
	}
	var out []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			if line != "" && lipWidth(line)+1+lipWidth(word) > w {
				out = append(out, line)
				line = ""
			}
			if line != "" {
				line += " "
			}
			line += word
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}
