package contacts

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/akash-wallet/akw/internal/atomicfile"
	"github.com/akash-wallet/akw/internal/fslock"
	"github.com/akash-wallet/akw/tx/address"
)

// File names inside the wallet's data directory.
const (
	FileName = "contacts.json"
	lockName = "contacts.lock"
)

// Book is the address book in DIR/contacts.json. It holds no state
// between calls: every call reads the file, so several processes (the TUI
// and a script) share one book.
type Book struct {
	dir      string
	prefixes address.Prefixes
}

// Open returns the book in dir (the wallet's data directory) for a chain
// whose account prefix is prefix ("akash"). Nothing is read or created
// until it is used; a missing file is an empty book.
func Open(dir, prefix string) *Book {
	return &Book{dir: dir, prefixes: address.For(prefix)}
}

// Path is the book's file.
func (b *Book) Path() string { return filepath.Join(b.dir, FileName) }

// List returns every contact, sorted by name.
func (b *Book) List() ([]Contact, error) { return b.load() }

// Get returns the contact named name ("alice" or "@alice").
func (b *Book) Get(name string) (Contact, error) {
	n, err := NormalizeName(strings.TrimPrefix(name, "@"))
	if err != nil {
		return Contact{}, err
	}
	cs, err := b.load()
	if err != nil {
		return Contact{}, err
	}
	if i := find(cs, n); i >= 0 {
		return cs[i], nil
	}
	return Contact{}, notFound(n)
}

// Add saves a new contact and returns it as stored (name in lower case).
// A name already in the book is refused (ErrExists): nothing is
// overwritten by Add.
func (b *Book) Add(c Contact) (Contact, error) {
	v, err := Validate(c, b.prefixes)
	if err != nil {
		return Contact{}, err
	}
	err = b.update(func(cs []Contact) ([]Contact, error) {
		if i := find(cs, v.Name); i >= 0 {
			return nil, &Error{Reason: ErrExists, Detail: fmt.Sprintf("%q (%s)", v.Name, cs[i].Address), usage: true,
				hint: "choose another name, or rename or delete the existing contact first"}
		}
		return append(cs, v), nil
	})
	if err != nil {
		return Contact{}, err
	}
	return v, nil
}

// Rename gives the contact old the name new; new must be free.
func (b *Book) Rename(old, new string) (Contact, error) {
	o, err := NormalizeName(strings.TrimPrefix(old, "@"))
	if err != nil {
		return Contact{}, err
	}
	n, err := NormalizeName(strings.TrimPrefix(new, "@"))
	if err != nil {
		return Contact{}, err
	}
	var out Contact
	err = b.update(func(cs []Contact) ([]Contact, error) {
		i := find(cs, o)
		if i < 0 {
			return nil, notFound(o)
		}
		if o == n {
			out = cs[i]
			return cs, nil
		}
		if j := find(cs, n); j >= 0 {
			return nil, &Error{Reason: ErrExists, Detail: fmt.Sprintf("%q (%s)", n, cs[j].Address), usage: true,
				hint: "choose a name that is not taken, or delete that contact first"}
		}
		cs[i].Name = n
		out = cs[i]
		return cs, nil
	})
	return out, err
}

// Delete removes the contact named name and returns what it held.
func (b *Book) Delete(name string) (Contact, error) {
	n, err := NormalizeName(strings.TrimPrefix(name, "@"))
	if err != nil {
		return Contact{}, err
	}
	var out Contact
	err = b.update(func(cs []Contact) ([]Contact, error) {
		i := find(cs, n)
		if i < 0 {
			return nil, notFound(n)
		}
		out = cs[i]
		return append(cs[:i], cs[i+1:]...), nil
	})
	return out, err
}

// Export writes the whole book to w in the file format (Import reads it).
func (b *Book) Export(w io.Writer) error {
	cs, err := b.load()
	if err != nil {
		return err
	}
	_, err = w.Write(Format(cs))
	return err
}

// Merge says what Import does with a name that is already in the book
// with another address or memo.
type Merge int

const (
	// MergeRefuse imports nothing when any name conflicts, and names the
	// conflicts (*ConflictError).
	MergeRefuse Merge = iota
	// MergeKeep keeps the book's entry and skips the file's.
	MergeKeep
	// MergeReplace replaces the book's entry with the file's.
	MergeReplace
)

// ImportReport says what an import did, by name.
type ImportReport struct {
	Added     []string `json:"added"`
	Unchanged []string `json:"unchanged"` // in the book already, identical
	Kept      []string `json:"kept"`      // conflicts, the book's entry kept (MergeKeep)
	Replaced  []string `json:"replaced"`  // conflicts, the file's entry taken (MergeReplace)
}

// Import reads a contacts file from r (the format Export writes) and
// merges it into the book. The whole file is validated first and refused
// on its first bad entry (*FileError naming it); then conflicts are
// settled by merge. Either every change is written, or none.
func (b *Book) Import(r io.Reader, merge Merge) (*ImportReport, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	in, err := Parse(data, b.prefixes)
	if err != nil {
		return nil, err
	}
	var rep *ImportReport
	err = b.update(func(cs []Contact) ([]Contact, error) {
		rep = &ImportReport{}
		var conflicts []string
		for _, c := range in {
			i := find(cs, c.Name)
			switch {
			case i < 0:
				cs = append(cs, c)
				rep.Added = append(rep.Added, c.Name)
			case cs[i] == c:
				rep.Unchanged = append(rep.Unchanged, c.Name)
			case merge == MergeKeep:
				rep.Kept = append(rep.Kept, c.Name)
			case merge == MergeReplace:
				cs[i] = c
				rep.Replaced = append(rep.Replaced, c.Name)
			default:
				conflicts = append(conflicts, c.Name)
			}
		}
		if len(conflicts) > 0 {
			return nil, &ConflictError{Names: conflicts}
		}
		return cs, nil
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// load reads the book; a missing file is an empty book.
func (b *Book) load() ([]Contact, error) {
	data, err := os.ReadFile(b.Path())
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	cs, err := Parse(data, b.prefixes)
	if err != nil {
		var fe *FileError
		if errors.As(err, &fe) {
			fe.Path, fe.book = b.Path(), true
		}
		return nil, err
	}
	return cs, nil
}

// update is a read-modify-write of the book under its lock. change gets
// the current contacts and returns the new list, or an error to leave the
// file untouched.
func (b *Book) update(change func([]Contact) ([]Contact, error)) error {
	unlock, err := fslock.Lock(filepath.Join(b.dir, lockName))
	if err != nil {
		return err
	}
	defer unlock()
	cs, err := b.load()
	if err != nil {
		return err
	}
	next, err := change(cs)
	if err != nil {
		return err
	}
	// The directory 0700 and the file 0600: an address book says whom
	// one pays.
	if err := os.MkdirAll(filepath.Dir(b.Path()), 0o700); err != nil {
		return err
	}
	return atomicfile.Write(b.Path(), Format(next), 0o600)
}

func find(cs []Contact, name string) int {
	for i, c := range cs {
		if c.Name == name {
			return i
		}
	}
	return -1
}

func notFound(name string) error {
	return &Error{Reason: ErrNotFound, Detail: "@" + name, usage: true,
		hint: "`akw contacts list` shows the names in the book"}
}
