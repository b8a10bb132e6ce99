package contacts

import (
	"errors"
	"fmt"
	"strings"

	"github.com/akash-wallet/akw/errkind"
)

// Sentinel reasons; every error of this package matches one with errors.Is.
var (
	ErrInvalidName    = errors.New("invalid contact name")
	ErrInvalidAddress = errors.New("invalid contact address")
	ErrInvalidMemo    = errors.New("invalid memo")
	ErrExists         = errors.New("a contact with this name already exists")
	ErrNotFound       = errors.New("no such contact")
	ErrBadFile        = errors.New("not a valid contacts file")
	ErrConflict       = errors.New("contacts in the file conflict with the book")
)

// Error is a refused input or operation: which one, why, and what to do.
type Error struct {
	Reason error  // one of the sentinels
	Detail string // what exactly was wrong
	Err    error  // the cause (an address error, a JSON error), if any
	hint   string
	usage  bool
}

func (e *Error) Error() string {
	msg := e.Reason.Error()
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

func (e *Error) Unwrap() []error {
	if e.Err != nil {
		return []error{e.Reason, e.Err}
	}
	return []error{e.Reason}
}

// Hint tells the user how to fix it.
func (e *Error) Hint() string { return e.hint }

// Kind: the user's input (exit 2) or a damaged file (exit 1).
func (e *Error) Kind() errkind.Kind {
	if e.usage {
		return errkind.Usage
	}
	return errkind.Failure
}

// FileError is a contacts file that cannot be used: the book's own file
// (damaged, or edited into an invalid state) or a file given to Import.
// Entry is the 1-based position of the bad entry, 0 when the file as a
// whole is bad.
type FileError struct {
	Path  string
	Entry int
	Name  string // the bad entry's name, when it has one
	Err   error  // an *Error, or the JSON or I/O error
	book  bool   // the book's own file (the hint differs)
}

func (e *FileError) Error() string {
	where := e.Path
	if where == "" {
		where = "contacts file"
	}
	switch {
	case e.Entry > 0 && e.Name != "":
		return fmt.Sprintf("%s: entry %d (%q): %v", where, e.Entry, e.Name, e.Err)
	case e.Entry > 0:
		return fmt.Sprintf("%s: entry %d: %v", where, e.Entry, e.Err)
	}
	return fmt.Sprintf("%s: %v", where, e.Err)
}

func (e *FileError) Unwrap() []error { return []error{ErrBadFile, e.Err} }

// Hint says how to repair the file.
func (e *FileError) Hint() string {
	if e.book {
		return "fix or remove that entry in " + e.Path + " (or move the file away and `akw contacts import` a backup); akw does not repair it silently"
	}
	if h := errkind.HintOf(e.Err).String(); h != "" {
		return h + "; nothing was imported"
	}
	return "fix the file (format: {\"version\": 1, \"contacts\": [{\"name\", \"address\", \"memo\"}]}); nothing was imported"
}

// Kind: a bad import file is the user's input (exit 2); the book's
// own damaged file is a failure (exit 1).
func (e *FileError) Kind() errkind.Kind {
	if e.book {
		return errkind.Failure
	}
	return errkind.Usage
}

// ConflictError lists the names of an import that are in the book with
// another address or memo, when the merge rule is MergeRefuse.
type ConflictError struct {
	Names []string
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("%v: %s already in the book with another address or memo", ErrConflict, strings.Join(e.Names, ", "))
}

func (e *ConflictError) Unwrap() error { return ErrConflict }

// Hint names the explicit choices.
func (e *ConflictError) Hint() string {
	return "nothing was imported; import again with --keep to keep the book's entries, or --replace to take the file's; or rename them first (`akw contacts rename`)"
}

func (e *ConflictError) Kind() errkind.Kind { return errkind.Usage }
