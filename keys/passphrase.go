package keys

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
)

// PassphraseRequest tells a PassphraseSource what is being asked for, so a
// terminal prompt can say it. It never carries a secret.
type PassphraseRequest struct {
	// Purpose is "keyring" (unlock or create the file keyring), "export"
	// (encrypt an armored key) or "import" (decrypt one).
	Purpose string
	// Dir is the keyring directory, for Purpose "keyring".
	Dir string
	// New is true when the passphrase sets a new secret (a new file
	// keyring, an export): the caller will ask again with Confirm set.
	New bool
	// Confirm is true for the second asking of a new passphrase.
	Confirm bool
	// Attempt counts from 1 to MaxAttempts.
	Attempt, MaxAttempts int
}

// PassphraseSource supplies passphrases. The CLI passes one built from the
// terminal, --keyring-passphrase-file or AKW_KEYRING_PASSPHRASE; secrets
// never travel on argv.
type PassphraseSource interface {
	Passphrase(req PassphraseRequest) (string, error)
	// Interactive reports whether asking again can give a different
	// answer. A wrong passphrase from a non-interactive source fails at
	// once instead of being retried with the same value.
	Interactive() bool
}

// MaxPassphraseAttempts is how often an interactive source is asked before
// the operation fails with ErrBadPassphrase (the cosmos-sdk uses 3 too).
const MaxPassphraseAttempts = 3

// MinPassphraseLength applies to new passphrases only: existing keyrings
// and armors with shorter ones still open.
const MinPassphraseLength = 8

type fixedPassphrase struct{ p string }

func (f fixedPassphrase) Passphrase(PassphraseRequest) (string, error) { return f.p, nil }
func (f fixedPassphrase) Interactive() bool                            { return false }

// FixedPassphrase is a non-interactive source that always answers p, e.g.
// the value of AKW_KEYRING_PASSPHRASE.
func FixedPassphrase(p string) PassphraseSource { return fixedPassphrase{p} }

// PassphraseFromFile reads a passphrase from the first line of a file, as
// restic's --password-file does: one trailing newline (LF or CRLF) is
// removed, everything else is kept. Error messages name the file, never
// its content.
func PassphraseFromFile(path string) (PassphraseSource, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: cannot read passphrase file: %v", ErrNoPassphrase, err)
	}
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	p := strings.TrimSuffix(string(b), "\r")
	if p == "" {
		return nil, fmt.Errorf("%w: passphrase file %s is empty", ErrNoPassphrase, path)
	}
	return fixedPassphrase{p}, nil
}

// NoPassphrase is the source used when nothing can supply a passphrase: it
// fails with ErrNoPassphrase, which the CLI turns into a hint naming
// --keyring-passphrase-file and AKW_KEYRING_PASSPHRASE.
var NoPassphrase PassphraseSource = noPassphrase{}

type noPassphrase struct{}

func (noPassphrase) Passphrase(req PassphraseRequest) (string, error) {
	return "", fmt.Errorf("%w: a %s passphrase is needed and none was given", ErrNoPassphrase, req.Purpose)
}
func (noPassphrase) Interactive() bool { return false }

// NewPassphrase asks src for a new passphrase (twice when interactive) and
// checks its length. Used for new file keyrings and exports.
func NewPassphrase(src PassphraseSource, purpose, dir string) (string, error) {
	if src == nil {
		src = NoPassphrase
	}
	attempts := 1
	if src.Interactive() {
		attempts = MaxPassphraseAttempts
	}
	var problem string
	for a := 1; a <= attempts; a++ {
		req := PassphraseRequest{Purpose: purpose, Dir: dir, New: true, Attempt: a, MaxAttempts: attempts}
		p, err := src.Passphrase(req)
		if err != nil {
			return "", err
		}
		if len(p) < MinPassphraseLength {
			problem = fmt.Sprintf("a new %s passphrase must have at least %d characters", purpose, MinPassphraseLength)
			continue
		}
		if src.Interactive() {
			req.Confirm = true
			again, err := src.Passphrase(req)
			if err != nil {
				return "", err
			}
			if again != p {
				problem = "the two passphrases differ"
				continue
			}
		}
		return p, nil
	}
	return "", fmt.Errorf("%w: %s", ErrBadPassphrase, problem)
}

// askUntil asks src for an existing passphrase until check accepts it, at
// most MaxPassphraseAttempts times for an interactive source and once
// otherwise. check returns ErrBadPassphrase for a wrong one; other errors
// end the loop at once.
func askUntil(src PassphraseSource, req PassphraseRequest, check func(string) error) (string, error) {
	if src == nil {
		src = NoPassphrase
	}
	attempts := 1
	if src.Interactive() {
		attempts = MaxPassphraseAttempts
	}
	for a := 1; a <= attempts; a++ {
		req.Attempt, req.MaxAttempts = a, attempts
		p, err := src.Passphrase(req)
		if err != nil {
			return "", err
		}
		err = check(p)
		if err == nil {
			return p, nil
		}
		if !isBadPassphrase(err) {
			return "", err
		}
	}
	if attempts > 1 {
		return "", fmt.Errorf("%w for the %s (%d attempts)", ErrBadPassphrase, req.Purpose, attempts)
	}
	return "", fmt.Errorf("%w for the %s", ErrBadPassphrase, req.Purpose)
}

func isBadPassphrase(err error) bool { return errors.Is(err, ErrBadPassphrase) }
