package tui

import (
	"context"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// keysScreen lists the keyring's keys; enter makes one the dashboard's.
type keysScreen struct {
	c      *common
	cursor int
	full   bool // show the selected key's full address and path
	note   string
}

func newKeysScreen(c *common) *keysScreen {
	s := &keysScreen{c: c}
	if c.key != nil {
		for i, k := range c.keys {
			if k.Name == c.key.Name {
				s.cursor = i
			}
		}
	}
	return s
}

func (s *keysScreen) title() string { return "Keys" }
func (s *keysScreen) typing() bool  { return false }
func (s *keysScreen) busy() bool    { return false }
func (s *keysScreen) help() []binding {
	return []binding{{"enter", "use"}, {"a", "add"}, {"r", "recover"}, {"l", "add Ledger"}, {"s", "show address"}, {"d", "show on device"}, {"esc", "back"}}
}

// reloadKeys reads the keyring again; the root keeps the chosen key.
func reloadKeys(c *common) tea.Cmd {
	return func() tea.Msg {
		ks, err := c.be.Keys(c.ctx)
		return keysMsg{ks, err}
	}
}

func (s *keysScreen) update(msg tea.Msg) tea.Cmd {
	c := s.c
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	s.note = ""
	switch k.String() {
	case "esc":
		return s.c.pop()
	case "up", "k":
		s.cursor = max(0, s.cursor-1)
	case "down", "j":
		s.cursor = min(max(0, len(c.keys)-1), s.cursor+1)
	case "s":
		s.full = !s.full
	case "enter":
		if s.cursor < len(c.keys) {
			c.key = &c.keys[s.cursor]
			return s.c.home()
		}
	case "a":
		return s.c.push(newKeyForm(c, keyFormAdd))
	case "r":
		return s.c.push(newKeyForm(c, keyFormRecover))
	case "l":
		return s.c.push(newKeyForm(c, keyFormLedger))
	case "d":
		if s.cursor < len(c.keys) && !c.keys[s.cursor].Ledger() {
			s.note = c.keys[s.cursor].Name + " is not a Ledger key: only Ledger keys can show their address on a device."
			return nil
		}
		if s.cursor < len(c.keys) {
			key := c.keys[s.cursor]
			return s.c.push(newTask(c, "Show on device", true,
				"Check that the Ledger shows\n  "+key.Address+"\nand confirm it there.",
				func(ctx context.Context) (string, error) {
					if err := c.be.ShowOnDevice(ctx, key.Name); err != nil {
						return "", err
					}
					return "✓ The Ledger confirmed " + key.Address + ".", nil
				}))
		}
	}
	return nil
}

func (s *keysScreen) view(w, h int) string {
	c, st := s.c, s.c.st
	var b strings.Builder
	if len(c.keys) == 0 {
		return "No keys yet.\n\n  a  add a new key\n  r  recover a key from its mnemonic\n  l  add a key from a Ledger"
	}
	nameW := 16
	for _, k := range c.keys {
		nameW = max(nameW, lipWidth(k.Name)+2)
	}
	b.WriteString(st.faint.Render("   "+pad("name", nameW)+pad("type", 8)+"address") + "\n")
	room := h - 6
	start := max(0, s.cursor-room+1)
	for i := start; i < len(c.keys) && i < start+room; i++ {
		k := c.keys[i]
		mark := "  "
		if c.key != nil && k.Name == c.key.Name {
			mark = "* "
		}
		row := mark + pad(k.Name, nameW) + pad(k.Type, 8) + k.Address
		if i == s.cursor {
			row = st.selected.Render("▸" + row)
		} else {
			row = " " + row
		}
		b.WriteString(row + "\n")
	}
	if s.full && s.cursor < len(c.keys) {
		k := c.keys[s.cursor]
		b.WriteString("\n" + st.label.Render(k.Name) + "\n  address " + k.Address + "\n")
		if k.Path != "" {
			b.WriteString("  path    " + k.Path + "\n")
		}
	}
	b.WriteString("\n" + st.faint.Render("* is the key on the dashboard") + "\n")
	if s.note != "" {
		b.WriteString("\n" + st.warn.Render(wrap(s.note, w)) + "\n")
	}
	return b.String()
}

type keyFormKind int

const (
	keyFormAdd keyFormKind = iota
	keyFormRecover
	keyFormLedger
)

// keyForm asks for a new key's name (and mnemonic, or Ledger account and
// index).
type keyForm struct {
	c    *common
	kind keyFormKind
	form form
}

func newKeyForm(c *common, kind keyFormKind) *keyForm {
	s := &keyForm{c: c, kind: kind, form: form{c: c}}
	name := &field{label: "Name", check: FieldKeyName, placeholder: "e.g. savings", hint: "a name for this key in the keyring"}
	switch kind {
	case keyFormAdd:
		s.form.fields = []*field{name}
	case keyFormRecover:
		s.form.fields = []*field{name, {label: "Mnemonic", check: FieldMnemonic, secret: true,
			placeholder: "type or paste the words", hint: "12 or 24 words; never shown on screen"}}
	case keyFormLedger:
		s.form.fields = []*field{name,
			{label: "Account", check: FieldHDIndex, value: "0", hint: "m/44'/118'/ACCOUNT'/0/index"},
			{label: "Index", check: FieldHDIndex, value: "0", hint: "m/44'/118'/account'/0/INDEX"}}
	}
	return s
}

func (s *keyForm) title() string {
	return [...]string{"Add key", "Recover key", "Add Ledger key"}[s.kind]
}
func (s *keyForm) typing() bool { return true }
func (s *keyForm) busy() bool   { return false }
func (s *keyForm) help() []binding {
	return []binding{{"tab", "next field"}, {"enter", "next / create"}, {"esc", "back"}}
}

func (s *keyForm) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.PasteMsg:
		s.form.paste(msg.Content)
	case tea.KeyPressMsg:
		if msg.String() == "esc" {
			return s.c.pop()
		}
		cmd, submit := s.form.update(msg)
		if submit && s.form.valid() {
			return s.submit()
		}
		return cmd
	}
	return nil
}

func (s *keyForm) submit() tea.Cmd {
	c := s.c
	v := func(i int) string { return strings.TrimSpace(s.form.fields[i].value) }
	name := v(0)
	switch s.kind {
	case keyFormAdd:
		return s.c.replace(newTask(c, "Add key", false, "Creating the key…",
			func(ctx context.Context) (string, error) {
				k, mnemonic, err := c.be.CreateKey(ctx, name)
				if err != nil {
					return "", err
				}
				return mnemonicText(k, mnemonic), nil
			}))
	case keyFormRecover:
		mnemonic := strings.Join(strings.Fields(s.form.fields[1].value), " ")
		s.form.fields[1].value = "" // do not keep the secret in the form
		return s.c.replace(newTask(c, "Recover key", false, "Recovering the key…",
			func(ctx context.Context) (string, error) {
				k, err := c.be.RecoverKey(ctx, name, mnemonic)
				if err != nil {
					return "", err
				}
				return "✓ Recovered " + k.Name + "\n  " + k.Address, nil
			}))
	case keyFormLedger:
		acc, _ := strconv.ParseUint(v(1), 10, 32)
		idx, _ := strconv.ParseUint(v(2), 10, 32)
		return s.c.replace(newTask(c, "Add Ledger key", true,
			"Open the Cosmos app on the Ledger, check the address it shows and confirm it there.",
			func(ctx context.Context) (string, error) {
				k, err := c.be.AddLedgerKey(ctx, name, uint32(acc), uint32(idx))
				if err != nil {
					return "", err
				}
				return "✓ Added " + k.Name + " from the Ledger (" + k.Path + ")\n  " + k.Address, nil
			}))
	}
	return nil
}

func mnemonicText(k Key, mnemonic string) string {
	words := strings.Fields(mnemonic)
	var b strings.Builder
	b.WriteString("✓ Created " + k.Name + "\n  " + k.Address + "\n\n")
	b.WriteString("Write these words down, in order, and keep them offline. They are the only way\nto recover this key; akw will not show them again.\n\n")
	for i, w := range words {
		b.WriteString(padLeft(strconv.Itoa(i+1), 4) + " " + pad(w, 12))
		if (i+1)%4 == 0 {
			b.WriteString("\n")
		}
	}
	return b.String()
}

func (s *keyForm) view(w, h int) string {
	st := s.c.st
	intro := map[keyFormKind]string{
		keyFormAdd:     "A new key is created in the keyring; its mnemonic is shown once.",
		keyFormRecover: "The key is derived from your mnemonic (m/44'/118'/0'/0/0) and stored in the keyring.",
		keyFormLedger:  "Only the public key and the HD path are stored; signing happens on the device.",
	}[s.kind]
	return st.faint.Render(wrap(intro, w)) + "\n\n" + s.form.view(w)
}

// task runs one keyring or device operation with a spinner; for the
// device it says what to do on the Ledger. esc cancels.
type task struct {
	c       *common
	name    string
	device  bool
	prompt  string
	run     func(ctx context.Context) (string, error)
	cancel  context.CancelFunc
	running bool
	result  string
	err     error
}

type taskMsg struct {
	t      *task
	result string
	err    error
}

func newTask(c *common, name string, device bool, prompt string, run func(context.Context) (string, error)) *task {
	return &task{c: c, name: name, device: device, prompt: prompt, run: run}
}

func (t *task) title() string { return t.name }
func (t *task) typing() bool  { return false }
func (t *task) busy() bool    { return t.running }
func (t *task) help() []binding {
	if t.running {
		return []binding{{"esc", "cancel"}}
	}
	return []binding{{"enter", "done"}}
}
func (t *task) close() {
	if t.cancel != nil {
		t.cancel()
	}
	t.result = "" // may hold a mnemonic
}

func (t *task) init() tea.Cmd {
	ctx, cancel := context.WithCancel(t.c.ctx)
	t.cancel, t.running = cancel, true
	run := t.run
	return func() tea.Msg {
		r, err := run(ctx)
		return taskMsg{t, r, err}
	}
}

func (t *task) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case taskMsg:
		if msg.t != t {
			return nil
		}
		t.running, t.result, t.err = false, msg.result, msg.err
		t.cancel()
		return reloadKeys(t.c)
	case tea.KeyPressMsg:
		switch msg.String() {
		case "esc":
			if t.running {
				t.cancel()
				return nil
			}
			return t.c.pop()
		case "enter":
			if !t.running {
				return t.c.pop()
			}
		}
	}
	return nil
}

func (t *task) view(w, h int) string {
	st := t.c.st
	switch {
	case t.running && t.device:
		box := st.label.Render("Confirm on your Ledger") + "\n" + wrap(t.prompt, w-6) + "\n" + st.faint.Render("esc cancels")
		return t.c.spinner() + " waiting for the Ledger…\n\n" + st.box.Render(box)
	case t.running:
		return t.c.spinner() + " " + t.prompt
	case t.err != nil:
		return st.err.Render("✗ ") + wrap(plainError(t.err), w-2) + "\n\nPress enter to go back."
	}
	return t.result + "\n\nPress enter when done."
}
