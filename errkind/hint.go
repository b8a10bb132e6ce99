package errkind

import "strings"

// Hint is what an error tells the user to do.
type Hint struct {
	// Text holds for every face: why, what not to do, what to check. It
	// names no command, flag, key or screen.
	Text string
	// Remedy is the step to take, typed; each face words it.
	Remedy Remedy
}

// IsZero reports whether h says nothing.
func (h Hint) IsZero() bool { return h.Text == "" && h.Remedy.IsZero() }

// String is h in medium-neutral words: Text, then the remedy's neutral
// words.
func (h Hint) String() string { return h.Words(nil) }

// Words is h with the remedy worded by a face: words returns the face's
// wording of a remedy, or "" when it has none (the neutral words are used
// then). The remedy's words follow Text after "; ", or after ", " when
// they offer an alternative to what Text says ("or raise the timeout").
func (h Hint) Words(words func(Remedy) string) string {
	var r string
	if !h.Remedy.IsZero() {
		if words != nil {
			r = words(h.Remedy)
		}
		if r == "" {
			r = h.Remedy.String()
		}
	}
	switch {
	case h.Text == "":
		return r
	case r == "":
		return h.Text
	case strings.HasPrefix(r, "or "):
		// An alternative to what Text says to do: "unlock it, or ...".
		return strings.TrimRight(h.Text, ".;: ") + ", " + r
	}
	return strings.TrimRight(h.Text, ".;: ") + "; " + r
}

// Hinted is implemented by errors with a medium-neutral hint.
type Hinted interface {
	error
	Hint() string
}

// Remedied is implemented by errors with a typed remedy.
type Remedied interface {
	error
	Remedy() Remedy
}

// HintOf returns the hint of the first error in err's chain that has one
// that is not empty (its Hint text, its Remedy, or both). Outer errors
// come first: a wrapper that knows better than what it wraps says so.
func HintOf(err error) Hint {
	var h Hint
	walk(err, func(e error) bool {
		if x, ok := e.(Hinted); ok {
			h.Text = x.Hint()
		}
		if x, ok := e.(Remedied); ok {
			h.Remedy = x.Remedy()
		}
		if h.IsZero() {
			return false
		}
		return true
	})
	return h
}

// RemedyOf is HintOf(err).Remedy.
func RemedyOf(err error) Remedy { return HintOf(err).Remedy }

// walk visits err's chain depth first, in the order errors.As does,
// until visit returns true.
func walk(err error, visit func(error) bool) bool {
	for err != nil {
		if visit(err) {
			return true
		}
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			err = u.Unwrap()
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				if walk(e, visit) {
					return true
				}
			}
			return false
		default:
			return false
		}
	}
	return false
}
