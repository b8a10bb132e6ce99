package contacts

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/tx/address"
)

// Version is the format version of the contacts file and of exports.
const Version = 1

// Limits. A book is a few dozen entries; the bounds keep a hostile file
// from costing more than a moment.
const (
	MaxNameLen = 32
	// MaxMemoLen is the SDK's default MaxMemoCharacters: a longer memo
	// could never be sent.
	MaxMemoLen = 256
	// MaxFileSize bounds what Parse reads.
	MaxFileSize = 1 << 20
	// MaxContacts bounds the entries of one file.
	MaxContacts = 10_000
)

// Contact is one entry of the book.
type Contact struct {
	Name    string `json:"name"`
	Address string `json:"address"`
	Memo    string `json:"memo,omitempty"`
}

// file is the JSON document.
type file struct {
	Version  *int      `json:"version"`
	Contacts []Contact `json:"contacts"`
}

// NormalizeName checks a name against the rules (see the package comment)
// and returns it in lower case. A leading "@" is not part of a name.
func NormalizeName(name string) (string, error) {
	bad := func(detail string) error {
		return &Error{Reason: ErrInvalidName, Detail: fmt.Sprintf("%q: %s", trunc(name), detail), usage: true,
			hint: "use 1 to 32 letters, digits, '-', '_' or '.', starting with a letter or digit (e.g. kraken, bob.cold)"}
	}
	switch {
	case name == "":
		return "", bad("empty")
	case strings.HasPrefix(name, "@"):
		return "", bad("the @ marks a contact when you use it; it is not part of the name")
	case len(name) > MaxNameLen:
		return "", bad(fmt.Sprintf("longer than %d characters", MaxNameLen))
	}
	n := strings.ToLower(name)
	for i := 0; i < len(n); i++ {
		c := n[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case (c == '-' || c == '_' || c == '.') && i > 0:
		case c == '-' || c == '_' || c == '.':
			return "", bad("must start with a letter or a digit")
		default:
			return "", bad(fmt.Sprintf("character %q is not allowed", rune(c)))
		}
	}
	return n, nil
}

// checkMemo refuses a memo that could not be sent or would not show as
// sent: too long, not UTF-8, or with control characters.
func checkMemo(memo string) error {
	bad := func(detail string) error {
		return &Error{Reason: ErrInvalidMemo, Detail: detail, usage: true,
			hint: fmt.Sprintf("give the memo exactly as the recipient asks, on one line, at most %d characters", MaxMemoLen)}
	}
	if !utf8.ValidString(memo) {
		return bad("not valid UTF-8")
	}
	if n := utf8.RuneCountInString(memo); n > MaxMemoLen {
		return bad(fmt.Sprintf("%d characters, at most %d", n, MaxMemoLen))
	}
	for _, r := range memo {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return bad(fmt.Sprintf("control character %U", r))
		}
	}
	return nil
}

// Validate checks a contact for a chain with prefixes p and returns it
// normalised: the name in lower case, the address as tx/address reads it
// (lower case, no surrounding space).
func Validate(c Contact, p address.Prefixes) (Contact, error) {
	name, err := NormalizeName(c.Name)
	if err != nil {
		return Contact{}, err
	}
	acc, err := address.Account(c.Address, p)
	if err != nil {
		return Contact{}, &Error{Reason: ErrInvalidAddress, Detail: err.Error(), Err: err, usage: true,
			hint: hintOr(err, "copy the address again from its source")}
	}
	if err := checkMemo(c.Memo); err != nil {
		return Contact{}, err
	}
	return Contact{Name: name, Address: address.Bech32(p.Account, acc), Memo: c.Memo}, nil
}

// hintOr is err's own hint, or fallback.
func hintOr(err error, fallback string) string {
	if h := errkind.HintOf(err).String(); h != "" {
		return h
	}
	return fallback
}

// Parse reads a contacts file (the book's own or an export) strictly:
// version 1, no unknown fields, no trailing data, every entry valid for
// prefixes p, no name twice. The first bad entry is named in a
// *FileError; nothing of a bad file is returned. The result is sorted by
// name.
func Parse(data []byte, p address.Prefixes) ([]Contact, error) {
	fail := func(entry int, name string, err error) error {
		return &FileError{Entry: entry, Name: name, Err: err}
	}
	if len(data) > MaxFileSize {
		return nil, fail(0, "", fmt.Errorf("%d bytes, more than the %d a contacts file may have", len(data), MaxFileSize))
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f file
	if err := dec.Decode(&f); err != nil {
		return nil, fail(0, "", fmt.Errorf("not a contacts file: %w", err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fail(0, "", errors.New("data after the JSON document"))
	}
	switch {
	case f.Version == nil:
		return nil, fail(0, "", errors.New(`no "version"`))
	case *f.Version != Version:
		return nil, fail(0, "", fmt.Errorf("version %d; this akw reads version %d", *f.Version, Version))
	case len(f.Contacts) > MaxContacts:
		return nil, fail(0, "", fmt.Errorf("%d entries, more than %d", len(f.Contacts), MaxContacts))
	}
	out := make([]Contact, 0, len(f.Contacts))
	seen := make(map[string]int, len(f.Contacts))
	for i, c := range f.Contacts {
		v, err := Validate(c, p)
		if err != nil {
			return nil, fail(i+1, trunc(c.Name), err)
		}
		if first, dup := seen[v.Name]; dup {
			return nil, fail(i+1, v.Name, &Error{Reason: ErrExists, Detail: fmt.Sprintf("%q is also entry %d", v.Name, first), usage: true,
				hint: "give each contact its own name"})
		}
		seen[v.Name] = i + 1
		out = append(out, v)
	}
	sortContacts(out)
	return out, nil
}

// Format writes contacts as a version-1 file, sorted by name. The
// contacts are not checked: callers format what Parse or Validate gave.
func Format(cs []Contact) []byte {
	sorted := append([]Contact(nil), cs...)
	sortContacts(sorted)
	v := Version
	if sorted == nil {
		sorted = []Contact{}
	}
	bz, err := json.MarshalIndent(file{Version: &v, Contacts: sorted}, "", "  ")
	if err != nil {
		// Strings and an int cannot fail to marshal.
		panic(err)
	}
	return append(bz, '\n')
}

func sortContacts(cs []Contact) {
	sort.Slice(cs, func(i, j int) bool { return cs[i].Name < cs[j].Name })
}

// trunc shortens hostile input for an error message.
func trunc(s string) string {
	const max = 40
	if len(s) <= max {
		return s
	}
	return s[:max] + "…"
}
