package tui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
)

// field is one input of a form: typed text checked by the Backend as the
// user types, or a value chosen from a picker.
type field struct {
	label       string
	check       Field // which Backend check applies
	value       string
	display     string // for picked values: what to show instead (moniker)
	name        string // for picked values: the moniker or "@contact" alone
	placeholder string
	hint        string
	secret      bool // mnemonic: show a word count, never the words
	optional    bool
	err         error
	// pick, when set, makes the field a choice: enter opens the screen
	// it returns, which answers with a pickedMsg for this field.
	pick func() screen
}

type pickedMsg struct {
	f       *field
	value   string
	display string
	// name is the moniker or contact name alone; memo a contact's memo.
	name, memo string
}

// form is a list of fields with a focus; a component of flow and key
// screens, not a screen itself.
type form struct {
	c      *common
	fields []*field
	focus  int
}

func (f *form) cur() *field {
	if len(f.fields) == 0 {
		return nil
	}
	return f.fields[f.focus]
}

// typing is true when the focused field takes text.
func (f *form) typing() bool {
	cur := f.cur()
	return cur != nil && cur.pick == nil
}

func (f *form) checkField(fl *field) {
	switch {
	case fl.value == "" && fl.optional:
		fl.err = nil
	case fl.value == "":
		fl.err = errEmpty
	case fl.pick != nil:
		fl.err = nil
	default:
		fl.err = f.c.be.CheckField(fl.check, fl.value)
	}
}

type emptyError struct{}

func (emptyError) Error() string { return "required" }

var errEmpty error = emptyError{}

// valid checks every field and moves the focus to the first bad one.
func (f *form) valid() bool {
	for i, fl := range f.fields {
		f.checkField(fl)
		if fl.err != nil {
			f.focus = i
			return false
		}
	}
	return true
}

// update handles editing keys. It returns (cmd, submit): submit is true
// when enter was pressed on the last field.
func (f *form) update(k tea.KeyPressMsg) (tea.Cmd, bool) {
	cur := f.cur()
	if cur == nil {
		return nil, k.String() == "enter"
	}
	switch k.String() {
	case "tab", "down":
		f.checkField(cur)
		f.focus = (f.focus + 1) % len(f.fields)
		return nil, false
	case "shift+tab", "up":
		f.checkField(cur)
		f.focus = (f.focus + len(f.fields) - 1) % len(f.fields)
		return nil, false
	case "enter":
		if cur.pick != nil && cur.value == "" {
			return f.c.push(cur.pick()), false
		}
		f.checkField(cur)
		if cur.err != nil {
			if cur.pick != nil {
				return f.c.push(cur.pick()), false
			}
			return nil, false
		}
		if f.focus < len(f.fields)-1 {
			f.focus++
			return nil, false
		}
		return nil, true
	case "ctrl+s":
		return nil, true
	}
	if cur.pick != nil {
		switch k.String() {
		case "space", "e":
			return f.c.push(cur.pick()), false
		}
		return nil, false
	}
	// An edit makes the value the user's own: a contact's name shown
	// for it no longer applies.
	cur.display, cur.name = "", ""
	switch k.String() {
	case "backspace":
		if r := []rune(cur.value); len(r) > 0 {
			cur.value = string(r[:len(r)-1])
		}
	case "ctrl+u":
		cur.value = ""
	case "ctrl+w":
		v := strings.TrimRight(cur.value, " ")
		if i := strings.LastIndexAny(v, " ,"); i >= 0 {
			cur.value = v[:i+1]
		} else {
			cur.value = ""
		}
	default:
		if k.Text == "" {
			return nil, false
		}
		cur.value += k.Text
	}
	f.checkField(cur)
	return nil, false
}

// paste appends pasted text to the focused text field.
func (f *form) paste(s string) {
	if cur := f.cur(); cur != nil && cur.pick == nil {
		if !cur.secret {
			s = strings.ReplaceAll(s, "\n", "")
		}
		cur.value += s
		cur.display, cur.name = "", ""
		f.checkField(cur)
	}
}

func (f *form) picked(m pickedMsg) bool {
	for i, fl := range f.fields {
		if fl == m.f {
			fl.value, fl.display, fl.name, fl.err = m.value, m.display, m.name, nil
			if i < len(f.fields)-1 {
				f.focus = i + 1
			}
			return true
		}
	}
	return false
}

func (f *form) view(w int) string {
	st := f.c.st
	var b strings.Builder
	labelW := 0
	for _, fl := range f.fields {
		labelW = max(labelW, lipWidth(fl.label))
	}
	for i, fl := range f.fields {
		marker := "  "
		if i == f.focus {
			marker = "▸ "
		}
		val := fl.value
		if fl.display != "" {
			val = fl.display
		}
		if fl.secret && fl.value != "" {
			val = strings.Repeat("•", 8) + " (" + itoa(len(strings.Fields(fl.value))) + " words)"
		}
		if val == "" {
			val = st.faint.Render(fl.placeholder)
		}
		if i == f.focus && fl.pick == nil {
			val += "█"
		}
		if fl.pick != nil && i == f.focus {
			val += st.faint.Render("  [enter: choose]")
		}
		line := marker + st.label.Render(pad(fl.label, labelW)) + "  " + val
		if i == f.focus {
			line = st.selected.Render(marker) + line[len(marker):]
		}
		b.WriteString(line + "\n")
		var note string
		switch {
		case fl.err != nil && fl.err != errEmpty:
			note = st.err.Render("✗ " + fl.err.Error())
		case fl.err == nil && fl.value != "" && fl.pick == nil:
			note = st.ok.Render("✓")
		case fl.hint != "" && i == f.focus:
			note = st.faint.Render(fl.hint)
		}
		if note != "" {
			b.WriteString(strings.Repeat(" ", labelW+4) + wrapIndent(note, w-labelW-4, labelW+4) + "\n")
		}
	}
	return b.String()
}

func wrapIndent(s string, w, indent int) string {
	return strings.ReplaceAll(wrap(s, w), "\n", "\n"+strings.Repeat(" ", indent))
}
