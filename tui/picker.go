package tui

import (
	"context"
	"fmt"
	"sort"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// pickItem is one row of a picker.
type pickItem struct {
	value   string // what the field gets (an operator address)
	display string // what the form shows (a moniker)
	row     string // the rendered row
	search  string // lower-case text the search matches
	name    string // the moniker or contact name alone, when the row has one
	memo    string // a contact's memo: the default memo of a send to it
}

// pickAction is a key that does something with the row under the cursor
// other than answering the field (auto-compound with this validator).
type pickAction struct {
	key, desc string
	do        func(it pickItem) tea.Cmd
}

type pickerData struct {
	header string // column header
	note   string // proven at height …
	items  []pickItem
}

// picker is a searchable list that answers a field with a pickedMsg. Its
// rows come from a loader run as a command (the proven validator set, the
// user's delegations).
type picker struct {
	c        *common
	target   *field
	name     string
	load     func(ctx context.Context) (pickerData, error)
	data     pickerData
	loading  bool
	err      error
	cancel   context.CancelFunc
	search   string
	inSearch bool
	filtered []int
	cursor   int
	offset   int
	// choose, when set, is what enter does with the row instead of
	// answering target (a picker opened to start a flow).
	choose  func(it pickItem) tea.Cmd
	actions []pickAction
}

type pickerLoadedMsg struct {
	p    *picker
	data pickerData
	err  error
}

func (p *picker) title() string { return p.name }
func (p *picker) typing() bool  { return p.inSearch }
func (p *picker) busy() bool    { return p.loading }
func (p *picker) help() []binding {
	if p.inSearch {
		return []binding{{"enter", "done"}, {"esc", "clear search"}}
	}
	bs := []binding{{"↑/↓", "move"}, {"/", "search"}, {"enter", "choose"}}
	for _, a := range p.actions {
		bs = append(bs, binding{a.key, a.desc})
	}
	return append(bs, binding{"esc", "back"})
}

func (p *picker) close() {
	if p.cancel != nil {
		p.cancel()
	}
}

func (p *picker) init() tea.Cmd { return p.start() }

func (p *picker) start() tea.Cmd {
	ctx, cancel := context.WithCancel(p.c.ctx)
	p.cancel, p.loading = cancel, true
	load := p.load
	return func() tea.Msg {
		d, err := load(ctx)
		return pickerLoadedMsg{p, d, err}
	}
}

func (p *picker) refilter() {
	p.filtered = p.filtered[:0]
	q := strings.ToLower(strings.TrimSpace(p.search))
	for i, it := range p.data.items {
		if q == "" || strings.Contains(it.search, q) {
			p.filtered = append(p.filtered, i)
		}
	}
	if p.cursor >= len(p.filtered) {
		p.cursor = max(0, len(p.filtered)-1)
	}
}

func (p *picker) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case pickerLoadedMsg:
		if msg.p != p {
			return nil
		}
		p.loading = false
		p.data, p.err = msg.data, msg.err
		p.refilter()
	case tea.KeyPressMsg:
		k := msg.String()
		if p.inSearch {
			switch k {
			case "esc":
				p.search, p.inSearch = "", false
			case "enter":
				p.inSearch = false
			case "backspace":
				if r := []rune(p.search); len(r) > 0 {
					p.search = string(r[:len(r)-1])
				}
			case "up", "down":
				p.move(k)
			default:
				if msg.Text != "" {
					p.search += msg.Text
				}
			}
			p.refilter()
			return nil
		}
		switch k {
		case "esc":
			return p.c.pop()
		case "/":
			p.inSearch = true
		case "up", "k", "down", "j", "pgup", "pgdown", "home", "end":
			p.move(k)
		case "enter":
			if p.loading || len(p.filtered) == 0 {
				return nil
			}
			it := p.data.items[p.filtered[p.cursor]]
			if p.choose != nil {
				return p.choose(it)
			}
			return p.c.popThen(pickedMsg{f: p.target, value: it.value, display: it.display, memo: it.memo, name: it.name})
		case "r":
			if !p.loading {
				return p.start()
			}
		default:
			for _, a := range p.actions {
				if k == a.key && !p.loading && len(p.filtered) > 0 {
					return a.do(p.data.items[p.filtered[p.cursor]])
				}
			}
		}
	}
	return nil
}

func (p *picker) move(k string) {
	n := len(p.filtered)
	switch k {
	case "up", "k":
		p.cursor--
	case "down", "j":
		p.cursor++
	case "pgup":
		p.cursor -= 10
	case "pgdown":
		p.cursor += 10
	case "home":
		p.cursor = 0
	case "end":
		p.cursor = n - 1
	}
	p.cursor = max(0, min(p.cursor, n-1))
}

func (p *picker) view(w, h int) string {
	c, st := p.c, p.c.st
	var b strings.Builder
	switch {
	case p.loading:
		return c.spinner() + " proving " + strings.ToLower(p.name) + "…  (esc to cancel)"
	case p.err != nil && verificationFailed(p.err):
		return st.alarm.Render(" ✗ VERIFICATION FAILED ") + "\n\n" + wrap(p.err.Error(), w) + "\n\nNothing is shown. Press r to retry, esc to go back."
	case p.err != nil:
		return st.err.Render("✗ ") + wrap(plainError(p.err), w-2) + "\n\nPress r to retry, esc to go back."
	}
	b.WriteString(st.ok.Render(p.data.note) + "\n")
	search := "/ search"
	if p.inSearch || p.search != "" {
		search = "search: " + p.search
		if p.inSearch {
			search += "█"
		}
		search += fmt.Sprintf("  (%d of %d)", len(p.filtered), len(p.data.items))
	}
	b.WriteString(search + "\n")
	b.WriteString(st.faint.Render("  "+p.data.header) + "\n")
	room := h - 3
	if room < 1 {
		room = 1
	}
	if p.cursor < p.offset {
		p.offset = p.cursor
	}
	if p.cursor >= p.offset+room {
		p.offset = p.cursor - room + 1
	}
	if len(p.filtered) == 0 {
		b.WriteString(st.faint.Render("  nothing matches") + "\n")
	}
	for i := p.offset; i < len(p.filtered) && i < p.offset+room; i++ {
		row := p.data.items[p.filtered[i]].row
		if i == p.cursor {
			b.WriteString(st.selected.Render("▸ "+ansiStrip(row)) + "\n")
		} else {
			b.WriteString("  " + row + "\n")
		}
	}
	return b.String()
}

// newValidatorPicker lists the proven bonded set, by voting power, with
// commission, status and the user's current delegation. exclude is left
// out (the source of a redelegation).
func newValidatorPicker(c *common, target *field, exclude string) *picker {
	delegator := ""
	if c.key != nil {
		delegator = c.key.Address
	}
	return &picker{c: c, target: target, name: "Validators", load: func(ctx context.Context) (pickerData, error) {
		vs, err := c.be.Validators(ctx, delegator)
		if err != nil {
			return pickerData{}, err
		}
		vals := append([]Validator(nil), vs.Validators...)
		sort.SliceStable(vals, func(i, j int) bool { return vals[i].Tokens.GT(vals[j].Tokens) })
		nameW := max(16, c.width-62)
		d := pickerData{
			header: pad("moniker", nameW) + padLeft("commission", 11) + padLeft("power", 8) + "  " + pad("status", 9) + padLeft("your delegation", 18),
			note:   "✓ bonded validator set proven at height " + itoa64(vs.Height),
		}
		if vs.UnbondingPeriod > 0 {
			d.note += " · unbonding period " + fmtDuration(vs.UnbondingPeriod)
		}
		for _, v := range vals {
			if v.Operator == exclude {
				continue
			}
			status := v.Status
			if v.Jailed {
				status = "jailed"
			}
			mine := ""
			if v.Delegation.Amount.IsPositive() {
				mine = fmtCoin(c.chain, v.Delegation)
			}
			name := v.Moniker
			if name == "" {
				name = shortAddr(v.Operator, 24)
			}
			d.items = append(d.items, pickItem{
				value:   v.Operator,
				display: name + " (" + shortAddr(v.Operator, 24) + ")",
				row: pad(name, nameW) + padLeft(fmtPercent(v.Commission), 11) +
					padLeft(fmt.Sprintf("%.2f%%", v.PowerShare*100), 8) + "  " + pad(status, 9) + padLeft(mine, 18),
				search: strings.ToLower(v.Moniker + " " + v.Operator),
				name:   v.Moniker,
			})
		}
		return d, nil
	}}
}

// autoCompound starts the auto-compound flow with the validator it.
func (p *picker) autoCompound(it pickItem) tea.Cmd {
	return p.c.replace(newAutoCompoundFlow(p.c, it.value, it.name))
}

// withAutoCompound adds the a key: auto-compound with the validator under
// the cursor instead of delegating to it. Only the delegation's picker
// has it: choosing where to delegate is choosing a validator to compound
// with; a redelegation's destination is not.
func (p *picker) withAutoCompound() *picker {
	p.actions = append(p.actions, pickAction{"a", "auto-compound with it (REStake)", p.autoCompound})
	return p
}

// autoCompoundOnEnter makes enter start the auto-compound flow with the
// chosen validator (the picker opened from the grants screen).
func (p *picker) autoCompoundOnEnter() *picker {
	p.name = "Auto-compound with"
	p.choose = p.autoCompound
	return p
}

// newDelegationPicker lists the user's proven delegations.
func newDelegationPicker(c *common, target *field) *picker {
	addr := c.key.Address
	return &picker{c: c, target: target, name: "Your delegations", load: func(ctx context.Context) (pickerData, error) {
		pf, err := c.be.Portfolio(ctx, addr)
		if err != nil {
			return pickerData{}, err
		}
		nameW := max(20, c.width-44)
		d := pickerData{
			header: pad("validator", nameW) + padLeft("delegated", 20) + padLeft("rewards", 20),
			note:   "✓ delegations proven at height " + itoa64(pf.Height),
		}
		for _, dl := range pf.Delegations {
			name := dl.Moniker
			if name == "" {
				name = shortAddr(dl.Validator, 24)
			}
			d.items = append(d.items, pickItem{
				value:   dl.Validator,
				display: name + " (" + fmtCoin(c.chain, dl.Amount) + " delegated)",
				row:     pad(name, nameW) + padLeft(fmtCoin(c.chain, dl.Amount), 20) + padLeft(fmtDecCoins(c.chain, dl.Rewards), 20),
				search:  strings.ToLower(dl.Moniker + " " + dl.Validator),
			})
		}
		return d, nil
	}}
}
