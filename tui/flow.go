package tui

import (
	"context"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// flow is the form of one transaction kind. Enter on the last field (or
// ctrl+s) asks the Backend to plan it, then the confirmation follows.
type flow struct {
	c        *common
	kind     TxKind
	form     form
	req      TxRequest // fixed parts (proposal id for a vote)
	planning bool
	err      error
	cancel   context.CancelFunc
	note     string
	// auto submits on arrival: nothing to fill in (claim, a plain vote).
	auto bool
}

type planMsg struct {
	f    *flow
	plan *TxPlan
	err  error
}

func newFlow(c *common, kind TxKind) *flow {
	f := &flow{c: c, kind: kind, form: form{c: c}}
	amount := &field{label: "Amount", check: FieldAmount, placeholder: "1.5akt or 1500000uakt",
		hint: "AKT (akt) or micro-AKT (uakt); 1 AKT = 1000000 uakt"}
	switch kind {
	case TxSend:
		f.form.fields = []*field{
			{label: "To", check: FieldAddress, placeholder: "akash1… or @ for a contact", hint: "the recipient's account address; type @ to choose from your contacts"},
			amount,
			{label: "Memo", check: FieldMemo, optional: true, placeholder: "(optional)", hint: "exchanges often require one; it is public"},
		}
	case TxDelegate:
		v := &field{label: "Validator", check: FieldValidator, placeholder: "(choose from the bonded set)"}
		v.pick = func() screen { return newValidatorPicker(c, v, "").withAutoCompound() }
		f.form.fields = []*field{v, amount}
		f.note = "Delegated tokens earn rewards and can be slashed if the validator misbehaves."
	case TxRedelegate:
		src := &field{label: "From", check: FieldValidator, placeholder: "(choose one of your delegations)"}
		src.pick = func() screen { return newDelegationPicker(c, src) }
		dst := &field{label: "To", check: FieldValidator, placeholder: "(choose from the bonded set)"}
		dst.pick = func() screen { return newValidatorPicker(c, dst, src.value) }
		f.form.fields = []*field{src, dst, amount}
		f.note = "Redelegation moves stake at once, without unbonding; the moved stake cannot be redelegated again until the unbonding period has passed."
	case TxUndelegate:
		src := &field{label: "From", check: FieldValidator, placeholder: "(choose one of your delegations)"}
		src.pick = func() screen { return newDelegationPicker(c, src) }
		f.form.fields = []*field{src, amount}
		f.note = "Undelegated tokens stay locked for the chain's unbonding period (spelled out on the next screen) and earn nothing meanwhile."
	case TxClaim:
		f.note = "Withdraws the pending rewards of every delegation."
		f.auto = true
	}
	return f
}

func newVoteFlow(c *common, p Proposal) *flow {
	f := &flow{c: c, kind: TxVote, form: form{c: c}}
	f.req.ProposalID = p.ID
	f.form.fields = []*field{{label: "Vote", check: FieldVote, placeholder: "yes=0.6,no=0.4",
		hint: "yes, no, abstain, no_with_veto, or weights that add up to 1"}}
	f.note = "Proposal #" + itoa64(int64(p.ID)) + ": " + p.Title
	return f
}

func (f *flow) init() tea.Cmd {
	if f.auto {
		return f.submit()
	}
	return nil
}

func (f *flow) title() string { return f.kind.String() }
func (f *flow) typing() bool  { return !f.planning && f.form.typing() }
func (f *flow) busy() bool    { return f.planning }

func (f *flow) help() []binding {
	if f.planning {
		return []binding{{"esc", "cancel"}}
	}
	return []binding{{"tab", "next field"}, {"enter", "next / review"}, {"esc", "back"}}
}

func (f *flow) close() {
	if f.cancel != nil {
		f.cancel()
	}
}

// request turns the form into a TxRequest.
func (f *flow) request() TxRequest {
	r := f.req
	r.Kind, r.From = f.kind, *f.c.key
	get := func(label string) string {
		for _, fl := range f.form.fields {
			if fl.label == label {
				return strings.TrimSpace(fl.value)
			}
		}
		return ""
	}
	name := func(label string) string {
		for _, fl := range f.form.fields {
			if fl.label == label {
				if i := strings.Index(fl.display, " ("); i > 0 {
					return fl.display[:i]
				}
				return fl.display
			}
		}
		return ""
	}
	r.Amount, r.Memo = get("Amount"), get("Memo")
	switch f.kind {
	case TxSend:
		r.To = get("To")
		for _, fl := range f.form.fields {
			if fl.label == "To" {
				r.ToName = fl.name // "@contact", for the review
			}
		}
	case TxAutoCompound:
		r.Grantee, r.Expiration = get("Bot"), get("Expires")
	case TxDelegate:
		r.To, r.ToName = get("Validator"), name("Validator")
	case TxRedelegate:
		r.Src, r.To = get("From"), get("To")
		r.SrcName, r.ToName = name("From"), name("To")
	case TxUndelegate:
		r.To, r.ToName = get("From"), name("From")
	case TxVote:
		r.Option = get("Vote")
	}
	return r
}

// submit checks the form and asks the Backend for a plan.
func (f *flow) submit() tea.Cmd {
	if f.planning || f.c.key == nil || !f.form.valid() {
		return nil
	}
	req := f.request()
	ctx, cancel := context.WithCancel(f.c.ctx)
	f.cancel, f.planning, f.err = cancel, true, nil
	be := f.c.be
	return func() tea.Msg {
		p, err := be.Plan(ctx, req)
		return planMsg{f, p, err}
	}
}

func (f *flow) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case planMsg:
		if msg.f != f {
			return nil
		}
		f.planning = false
		f.cancel()
		if msg.err != nil {
			f.err = msg.err
			return nil
		}
		return f.c.push(newConfirm(f.c, msg.plan))
	case pickedMsg:
		if f.form.picked(msg) && msg.memo != "" {
			// A contact's memo (an exchange's deposit id) is the default
			// memo; one already typed is kept.
			for _, fl := range f.form.fields {
				if fl.label == "Memo" && strings.TrimSpace(fl.value) == "" {
					fl.value = msg.memo
					f.form.checkField(fl)
				}
			}
		}
	case tea.PasteMsg:
		f.form.paste(msg.Content)
	case tea.KeyPressMsg:
		if msg.String() == "esc" {
			if f.planning {
				f.cancel()
				f.planning = false
				return nil
			}
			return f.c.pop()
		}
		if f.planning {
			return nil
		}
		f.err = nil
		if cur := f.form.cur(); f.kind == TxSend && cur != nil && cur.label == "To" && cur.value == "" && msg.Text == contactPrefix {
			return f.c.push(newContactPicker(f.c, cur))
		}
		cmd, submit := f.form.update(msg)
		if submit {
			return f.submit()
		}
		return cmd
	}
	return nil
}

func (f *flow) view(w, h int) string {
	c, st := f.c, f.c.st
	var b strings.Builder
	b.WriteString(st.header.Render(f.kind.String()) + " from " + st.label.Render(c.key.Name) + " " + st.faint.Render(shortAddr(c.key.Address, 24)) + "\n")
	if c.pf != nil && len(c.pf.Balances) > 0 {
		b.WriteString("available " + fmtCoins(c.chain, c.pf.Balances) + " " + st.ok.Render("✓ proven at height "+itoa64(c.pf.Height)) + "\n")
	}
	if f.note != "" {
		b.WriteString(st.faint.Render(wrap(f.note, w)) + "\n")
	}
	b.WriteString("\n")
	b.WriteString(f.form.view(w))
	b.WriteString("\n")
	switch {
	case f.planning:
		b.WriteString(c.spinner() + " checking against the proven state and estimating the fee…  (esc to cancel)\n")
	case f.err != nil && verificationFailed(f.err):
		b.WriteString(st.alarm.Render(" ✗ VERIFICATION FAILED ") + " " + wrap(f.err.Error(), w) + "\n")
	case f.err != nil:
		b.WriteString(st.err.Render("✗ ") + wrap(plainError(f.err), w-2) + "\n")
	case len(f.form.fields) > 0:
		b.WriteString(st.faint.Render("enter on the last field (or ctrl+s) to review before anything is signed") + "\n")
	}
	return b.String()
}
