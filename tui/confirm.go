package tui

import (
	"context"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// confirm shows a planned transaction — what, to whom, amount, fee,
// balance before and after — and signs only on an explicit yes.
type confirm struct {
	c    *common
	plan *TxPlan
}

func newConfirm(c *common, p *TxPlan) *confirm { return &confirm{c: c, plan: p} }

func (s *confirm) title() string { return "Review" }
func (s *confirm) typing() bool  { return false }
func (s *confirm) busy() bool    { return false }
func (s *confirm) help() []binding {
	return []binding{{"y", "sign and send"}, {"n/esc", "back, nothing is signed"}}
}

func (s *confirm) update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch k.String() {
		case "y", "Y":
			return s.c.push(newProgress(s.c, s.plan))
		case "n", "N", "esc":
			return s.c.pop()
		}
	}
	return nil
}

func (s *confirm) view(w, h int) string {
	c, st, p := s.c, s.c.st, s.plan
	ci := c.chain
	var b strings.Builder
	b.WriteString(st.header.Render("Review — nothing is signed yet") + "\n\n")
	b.WriteString(wrap(p.Summary, w) + "\n\n")
	labelW := 16
	for _, l := range p.Lines {
		labelW = max(labelW, lipWidth(l.Label)+2)
	}
	line := func(label, value string) {
		b.WriteString("  " + st.label.Render(pad(label, labelW)) + value + "\n")
	}
	for _, l := range p.Lines {
		// Wrapped, never cut: what a grant allows, a validator's full
		// address, are read before signing.
		line(l.Label, wrapIndent(l.Value, w-labelW-2, labelW+2))
	}
	fee := fmtCoins(ci, p.Fee)
	gas := "gas limit " + itoa64(int64(p.Gas))
	if p.GasEstimated {
		gas += ", estimated by the node (node-reported)"
	}
	line("Fee", fee+st.faint.Render("  ("+gas+")"))
	if p.BalanceBefore.Denom != "" {
		line("Balance before", fmtCoin(ci, p.BalanceBefore)+"  "+st.ok.Render("✓ proven at height "+itoa64(p.Height)))
		after := fmtCoin(ci, p.BalanceAfter)
		line("Balance after", after+st.faint.Render("  (spendable, after this transaction)"))
	}
	for _, wn := range p.Warnings {
		b.WriteString("\n" + st.warn.Render("! ") + wrapIndent(wn, w-2, 2) + "\n")
	}
	tail := "\n" + st.key.Render("y") + " sign and send   " + st.key.Render("n") + " go back\n"
	if p.Request.From.Ledger() && len(p.DeviceShows) > 0 {
		used := strings.Count(b.String(), "\n") + 2 + strings.Count(tail, "\n")
		b.WriteString("\n" + st.label.Render("Your Ledger will show:") + "\n")
		if used+len(p.DeviceShows) <= h {
			for _, l := range p.DeviceShows {
				b.WriteString("  " + pad(l.Label, labelW) + l.Value + "\n")
			}
		} else {
			// A small terminal: the labels only; the values are on the
			// screen above, and in full while the device waits.
			var labels []string
			for _, l := range p.DeviceShows {
				labels = append(labels, l.Label)
			}
			b.WriteString("  " + wrapIndent(strings.Join(labels, ", ")+" (in full while it waits for you)", w-2, 2) + "\n")
		}
	}
	b.WriteString(tail)
	return b.String()
}

// progress runs Execute and shows its stages: sign (or confirm on the
// Ledger) → broadcast → included → verified.
type progress struct {
	c      *common
	plan   *TxPlan
	events chan TxEvent
	ctx    context.Context
	cancel context.CancelFunc
	stage  TxStage
	hash   string
	height int64
	detail string
	done   bool
	res    *TxResult
	err    error
	// cancelled is set when the user pressed esc while waiting.
	cancelled bool
}

type txEventMsg struct {
	p  *progress
	ev TxEvent
	ok bool
}

type txDoneMsg struct {
	p   *progress
	res *TxResult
	err error
}

func newProgress(c *common, plan *TxPlan) *progress {
	return &progress{c: c, plan: plan}
}

func (s *progress) title() string { return "Sending" }
func (s *progress) typing() bool  { return false }
func (s *progress) busy() bool    { return !s.done }
func (s *progress) help() []binding {
	if s.done {
		return []binding{{"enter", "back to the dashboard"}}
	}
	return []binding{{"esc", "cancel"}}
}

func (s *progress) close() {
	if s.cancel != nil {
		s.cancel()
	}
}

func (s *progress) init() tea.Cmd {
	ctx, cancel := context.WithCancel(s.c.ctx)
	s.ctx, s.cancel = ctx, cancel
	s.events = make(chan TxEvent, 16)
	be, plan, events := s.c.be, s.plan, s.events
	run := func() tea.Msg {
		res, err := be.Execute(ctx, plan, events)
		return txDoneMsg{s, res, err}
	}
	return tea.Batch(run, s.listen(ctx))
}

// listen waits for the next progress event; it is re-armed after each.
func (s *progress) listen(ctx context.Context) tea.Cmd {
	events := s.events
	return func() tea.Msg {
		select {
		case ev := <-events:
			return txEventMsg{s, ev, true}
		case <-ctx.Done():
			return nil
		}
	}
}

func (s *progress) apply(ev TxEvent) {
	if ev.Stage > s.stage || ev.Stage == StageSigning {
		s.stage = ev.Stage
	}
	if ev.TxHash != "" {
		s.hash = ev.TxHash
	}
	if ev.Height != 0 {
		s.height = ev.Height
	}
	s.detail = ev.Detail
}

func (s *progress) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case txEventMsg:
		if msg.p != s || s.done {
			return nil
		}
		s.apply(msg.ev)
		return s.listen(s.ctx)
	case txDoneMsg:
		if msg.p != s {
			return nil
		}
		// Events sent just before Execute returned are still queued.
		for drained := false; !drained; {
			select {
			case ev := <-s.events:
				s.apply(ev)
			default:
				drained = true
			}
		}
		s.done, s.res, s.err = true, msg.res, msg.err
		if msg.res != nil && msg.res.TxHash != "" {
			s.hash = msg.res.TxHash
		}
		s.cancel()
	case tea.KeyPressMsg:
		switch msg.String() {
		case "esc":
			if !s.done {
				s.cancelled = true
				s.cancel()
				return nil
			}
			return s.c.home()
		case "enter":
			if s.done {
				return s.c.home()
			}
		}
	}
	return nil
}

func (s *progress) view(w, h int) string {
	c, st, p := s.c, s.c.st, s.plan
	var b strings.Builder
	b.WriteString(wrap(p.Summary, w) + "\n\n")
	ledger := p.Request.From.Ledger()
	steps := []struct {
		stage TxStage
		text  string
	}{{StageSigning, "Sign"}}
	if ledger {
		steps[0].text = "Sign on the Ledger"
	}
	steps = append(steps,
		struct {
			stage TxStage
			text  string
		}{StageBroadcast, "Broadcast"},
		struct {
			stage TxStage
			text  string
		}{StageIncluded, "Included in a block"},
		struct {
			stage TxStage
			text  string
		}{StageVerified, "Inclusion and result verified"})
	// cur is the step being worked on: the one after the last finished.
	var cur TxStage
	switch s.stage {
	case StageSigning, StageAwaitingDevice:
		cur = StageSigning
	case StageBroadcasting:
		cur = StageBroadcast
	case StageBroadcast:
		cur = StageIncluded
	case StageIncluded:
		cur = StageVerified
	case StageVerified:
		cur = StageVerified + 1
	}
	if s.done && s.err == nil && s.res != nil {
		// The result is what counts, whatever events were sent.
		cur = StageVerified
		if s.res.Verified {
			cur = StageVerified + 1
		}
	}
	for _, step := range steps {
		mark := "  "
		switch {
		case step.stage < cur:
			mark = st.ok.Render("✓ ")
		case step.stage > cur:
		case !s.done:
			mark = c.spinner() + " "
		case s.err != nil || s.res == nil || s.res.Code != 0:
			mark = st.err.Render("✗ ")
		case !s.res.Verified:
			mark = st.warn.Render("? ")
		default:
			mark = st.ok.Render("✓ ")
		}
		b.WriteString("  " + mark + step.text + "\n")
	}
	if s.hash != "" {
		b.WriteString("\n  tx hash " + s.hash + "\n")
	}
	if s.stage == StageAwaitingDevice && !s.done {
		box := st.label.Render("Confirm on your Ledger") + "\n" +
			"Check each screen against what you asked for, then approve.\n"
		for _, l := range p.DeviceShows {
			box += "  " + pad(l.Label, 14) + l.Value + "\n"
		}
		box += st.faint.Render("esc cancels here; reject on the device too.")
		b.WriteString("\n" + st.box.Render(box) + "\n")
	}
	if !s.done {
		return b.String()
	}
	b.WriteString("\n")
	switch {
	case s.err != nil && s.cancelled && s.hash == "":
		b.WriteString(st.warn.Render("Cancelled. Nothing was broadcast.") + "\n")
		if ledger {
			b.WriteString("If the Ledger still shows the transaction, reject it there.\n")
		}
	case s.err != nil && s.hash != "":
		b.WriteString(st.warn.Render("! The transaction was broadcast but its outcome is not proven yet: ") + wrap(plainError(s.err), w) + "\n")
		b.WriteString(wrap("Do not send it again. Look it up with `akw query tx "+s.hash+"`; the dashboard will show the result once it is verified.", w) + "\n")
	case s.err != nil && verificationFailed(s.err):
		b.WriteString(st.alarm.Render(" ✗ VERIFICATION FAILED ") + " " + wrap(s.err.Error(), w) + "\n")
	case s.err != nil:
		b.WriteString(st.err.Render("✗ Not sent: ") + wrap(plainError(s.err), w-12) + "\n")
	case s.res != nil && s.res.Code != 0:
		b.WriteString(st.err.Render("✗ Rejected by the chain") + " (code " + itoa64(int64(s.res.Code)) + ", height " + itoa64(s.res.Height) + "): " + wrap(s.res.Log, w) + "\n")
		b.WriteString("The fee was charged; nothing else changed.\n")
	case s.res != nil && s.res.Verified:
		b.WriteString(st.ok.Render("✓ Done.") + " Included at height " + itoa64(s.res.Height) + ", inclusion and result verified.\n")
	case s.res != nil:
		b.WriteString(st.warn.Render("Included at height "+itoa64(s.res.Height)) + ", node-reported: the inclusion could not be proven yet.\n")
	}
	if s.res != nil && s.res.Note != "" {
		b.WriteString(wrap("Note: "+s.res.Note+".", w) + "\n")
	}
	b.WriteString("\nPress enter to return to the dashboard.\n")
	return b.String()
}
