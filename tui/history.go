package tui

import (
	"context"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
)

// The proof status of a history row.
const (
	// HistoryProven: the transaction's bytes, inclusion and result are
	// proven against verified headers, and so is everything shown of it.
	HistoryProven = "proven"
	// HistoryNodeReported: the transaction is proven, but an amount shown
	// comes only from the node's events (the rewards a claim paid out).
	HistoryNodeReported = "node-reported"
	// HistoryRefused: the node listed it but its answers did not check
	// out; nothing of it is shown but the hash and why.
	HistoryRefused = "refused"
)

// HistoryRow is one transaction of the history, in words.
type HistoryRow struct {
	Hash   string
	Height int64
	Time   time.Time // the verified header's time
	Status string    // HistoryProven, HistoryNodeReported or HistoryRefused
	// What the transaction did, for the address: "send 2 AKT to akash1…".
	What string
	// Amount is the change to the address's balance ("-2 AKT", "+0.1 AKT*";
	// * marks a node-reported amount); Fee what it paid.
	Amount string
	Fee    string
	Memo   string
	// Failed: the chain ran it and refused it (Code; the fee was charged).
	Failed bool
	Code   uint32
	// Reason says why a row was refused, or which part is node-reported.
	Reason string
	// FromCache: read from the local cache of proven history.
	FromCache bool
}

// HistoryPage is one page of an address's history, newest first.
type HistoryPage struct {
	Address string
	Rows    []HistoryRow
	// Next is the cursor of the next (older) page; "" on the last.
	Next string
	// Cache says what was read from the local cache and what was listed
	// and proven now.
	Cache string
}

// historyScreen pages through the chosen key's history, newest first.
type historyScreen struct {
	c       *common
	page    *HistoryPage
	loading bool
	err     error
	cancel  context.CancelFunc
	cursor  int
	// cursors are the cursors of the pages shown so far: cursors[i] loads
	// page i+1 ("" the newest).
	cursors []string
	seq     int
}

type historyMsg struct {
	s    *historyScreen
	seq  int
	page *HistoryPage
	err  error
}

func newHistoryScreen(c *common) *historyScreen {
	return &historyScreen{c: c, cursors: []string{""}}
}

func (s *historyScreen) title() string { return "History" }
func (s *historyScreen) typing() bool  { return false }
func (s *historyScreen) busy() bool    { return s.loading }
func (s *historyScreen) help() []binding {
	return []binding{{"↑/↓", "move"}, {"n", "older page"}, {"p", "newer page"}, {"r", "reload"}, {"esc", "back"}}
}
func (s *historyScreen) close() {
	if s.cancel != nil {
		s.cancel()
	}
}

func (s *historyScreen) init() tea.Cmd { return s.load() }

// load asks for the page of the last cursor; an answer to an earlier
// request (the user paged on) is dropped by its sequence number.
func (s *historyScreen) load() tea.Cmd {
	if s.c.key == nil {
		return nil
	}
	if s.cancel != nil {
		s.cancel()
	}
	ctx, cancel := context.WithCancel(s.c.ctx)
	s.seq++
	s.cancel, s.loading = cancel, true
	be, addr, cur, seq := s.c.be, s.c.key.Address, s.cursors[len(s.cursors)-1], s.seq
	return func() tea.Msg {
		p, err := be.History(ctx, addr, cur)
		return historyMsg{s, seq, p, err}
	}
}

func (s *historyScreen) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case historyMsg:
		if msg.s != s || msg.seq != s.seq {
			return nil
		}
		s.loading, s.page, s.err = false, msg.page, msg.err
		if s.err != nil {
			s.page = nil
		}
		s.cursor = 0
	case statusMsg:
		if msg.err != nil {
			s.page = nil
		}
	case tea.KeyPressMsg:
		switch msg.String() {
		case "esc":
			if s.loading {
				s.cancel()
				s.loading = false
				return nil
			}
			return s.c.pop()
		case "up", "k", "down", "j":
			if s.page != nil {
				s.cursor = listMove(msg.String(), s.cursor, len(s.page.Rows))
			}
		case "n", "pgdown":
			if !s.loading && s.page != nil && s.page.Next != "" {
				s.cursors = append(s.cursors, s.page.Next)
				return s.load()
			}
		case "p", "pgup":
			if !s.loading && len(s.cursors) > 1 {
				s.cursors = s.cursors[:len(s.cursors)-1]
				return s.load()
			}
		case "r":
			if !s.loading {
				return s.load()
			}
		}
	}
	return nil
}

func (s *historyScreen) view(w, h int) string {
	c, st := s.c, s.c.st
	if v, ok := loadingView(c, s.loading, s.err, "the history (each listed transaction against its block)", w); ok {
		return v
	}
	if s.page == nil {
		return ""
	}
	p := s.page
	head := []string{
		st.faint.Render(wrap("The list is node-reported (the node's transaction index; a node can leave one out). Each row is proven against verified headers, or refused.", w)),
		ansiTruncate("page "+itoa(len(s.cursors))+" · "+itoa(len(p.Rows))+" transactions, newest first"+st.faint.Render("  ("+p.Cache+")"), w),
		"",
	}
	if len(p.Rows) == 0 {
		return strings.Join(append(head, st.faint.Render("  no transactions")), "\n")
	}
	amtW := 18
	whatW := max(16, w-2-17-16-amtW-2)
	head = append(head, st.faint.Render("  "+pad("time (UTC)", 17)+pad("status", 16)+pad("what", whatW)+padLeft("amount", amtW)))
	var rows []string
	for i, r := range p.Rows {
		mark := statusMark(st, r.Status)
		what := r.What
		if r.Failed {
			what = "FAILED (code " + itoa64(int64(r.Code)) + "): " + what
		}
		line := pad(r.Time.UTC().Format("2006-01-02 15:04"), 17) + pad(mark, 16) + pad(ansiTruncate(what, whatW-1), whatW) + padLeft(r.Amount, amtW)
		if r.Status == HistoryRefused {
			// Nothing of a refused row is shown but where the node
			// said it was and its hash.
			line = pad("height "+itoa64(r.Height), 17) + pad(mark, 16) + ansiTruncate("hash "+r.Hash, whatW+amtW)
		}
		if i == s.cursor {
			rows = append(rows, st.selected.Render("▸ "+ansiStrip(line)))
		} else {
			rows = append(rows, "  "+line)
		}
	}
	// The selected row in full.
	r := p.Rows[s.cursor]
	detail := []string{"", st.label.Render("tx ") + r.Hash + "  height " + itoa64(r.Height)}
	if r.Status != HistoryRefused {
		detail = append(detail, wrapIndent(r.What, w-2, 2))
		if r.Fee != "" {
			detail = append(detail, "fee "+r.Fee)
		}
		if r.Memo != "" {
			detail = append(detail, "memo "+r.Memo)
		}
	}
	if r.Reason != "" {
		detail = append(detail, st.warn.Render("! ")+wrapIndent(r.Reason, w-2, 2))
	}
	var more []string
	if p.Next != "" {
		more = append(more, "n older")
	}
	if len(s.cursors) > 1 {
		more = append(more, "p newer")
	}
	if len(more) > 0 {
		detail = append(detail, st.faint.Render(strings.Join(more, " · ")))
	}
	detailText := strings.Join(detail, "\n")
	room := max(3, h-len(head)-strings.Count(detailText, "\n")-1)
	start := 0
	if s.cursor >= room {
		start = s.cursor - room + 1
	}
	end := min(len(rows), start+room)
	return strings.Join(head, "\n") + "\n" + strings.Join(rows[start:end], "\n") + "\n" + detailText
}

func statusMark(st styles, status string) string {
	switch status {
	case HistoryProven:
		return st.ok.Render("✓ proven")
	case HistoryNodeReported:
		return st.warn.Render("~ node-reported")
	case HistoryRefused:
		return st.err.Render("✗ refused")
	}
	return status
}
