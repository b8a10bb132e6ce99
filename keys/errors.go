package keys

import (
	"errors"
	"fmt"
	"time"
)

// Sentinel errors. Every error returned by this package wraps one of them (or
// is one of the struct types below, which unwrap to one), so callers test
// with errors.Is and the CLI maps them to exit codes without parsing text.
// No error text ever contains a mnemonic, a passphrase or key material.
var (
	// ErrNameExists: a key with this name is already in the keyring.
	ErrNameExists = errors.New("a key with this name already exists")
	// ErrAddressExists: a key with the same address (the same key) is
	// already stored under another name.
	ErrAddressExists = errors.New("a key with this address already exists")
	// ErrNotFound: no key with that name or address.
	ErrNotFound = errors.New("key not found")
	// ErrBadMnemonic: the mnemonic is not a valid BIP-39 English mnemonic.
	ErrBadMnemonic = errors.New("invalid mnemonic")
	// ErrBadPassphrase: the keyring or armor passphrase is wrong.
	ErrBadPassphrase = errors.New("wrong passphrase")
	// ErrNoPassphrase: a passphrase is needed and no source can supply one.
	ErrNoPassphrase = errors.New("passphrase required")
	// ErrBackendUnavailable: the requested backend cannot be used here.
	ErrBackendUnavailable = errors.New("keyring backend unavailable")
	// ErrUnknownBackend: the backend name is not one akw knows.
	ErrUnknownBackend = errors.New("unknown keyring backend")
	// ErrInvalidConfig: a keyring setting that cannot work (app name).
	ErrInvalidConfig = errors.New("invalid keyring configuration")
	// ErrTimeout: a keyring call did not return in time.
	ErrTimeout = errors.New("keyring call timed out")
	// ErrInvalidHDPath: account or index outside the BIP-32 range.
	ErrInvalidHDPath = errors.New("invalid HD path")
	// ErrInvalidName: a key name that cannot be stored.
	ErrInvalidName = errors.New("invalid key name")
	// ErrOfflineKey: the key has no private part here (offline or multisig).
	ErrOfflineKey = errors.New("key cannot sign here")
	// ErrBadArmor: the armored text is not a private key akw can import.
	ErrBadArmor = errors.New("invalid armored key")
	// ErrCorrupt: an item in the keyring could not be decoded.
	ErrCorrupt = errors.New("keyring item is corrupt")
)

// TimeoutError says which backend did not answer and which operation hung.
// A keyring whose call timed out refuses every later call with the same
// error: the hung call may still complete in the background, and mixing
// it with new calls could leave the keyring half-written.
type TimeoutError struct {
	Backend string        // e.g. "os (secret-service)"
	Op      string        // e.g. "get", "set", "open"
	After   time.Duration // the limit that was exceeded
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("keyring backend %s did not answer %s within %s", e.Backend, e.Op, e.After)
}

func (e *TimeoutError) Unwrap() error { return ErrTimeout }

// BackendError says which backend failed and why, without secrets: the
// underlying errors come from D-Bus, pass/gpg or the file system.
type BackendError struct {
	Backend string
	Op      string
	Err     error
}

func (e *BackendError) Error() string {
	if e.Op == "" {
		return fmt.Sprintf("keyring backend %s: %v", e.Backend, e.Err)
	}
	return fmt.Sprintf("keyring backend %s: %s: %v", e.Backend, e.Op, e.Err)
}

// Unwrap exposes both ErrBackendUnavailable and the cause, so errors.Is
// matches either.
func (e *BackendError) Unwrap() []error { return []error{ErrBackendUnavailable, e.Err} }

// MnemonicError names what is wrong with a mnemonic by position, never by
// content: the words are the secret.
type MnemonicError struct {
	Reason string // e.g. "word 5 is not in the BIP-39 English word list"
}

func (e *MnemonicError) Error() string { return "invalid mnemonic: " + e.Reason }

func (e *MnemonicError) Unwrap() error { return ErrBadMnemonic }

// ConflictError reports which existing key blocks a write.
type ConflictError struct {
	Name     string // the name asked for
	Existing string // the name of the key already holding it
	Address  string // bech32 address concerned
	Err      error  // ErrNameExists or ErrAddressExists
}

func (e *ConflictError) Error() string {
	if errors.Is(e.Err, ErrAddressExists) {
		return fmt.Sprintf("address %s is already in the keyring as %q", e.Address, e.Existing)
	}
	return fmt.Sprintf("key %q already exists", e.Name)
}

func (e *ConflictError) Unwrap() error { return e.Err }

// NotFoundError names the key that is missing.
type NotFoundError struct{ Key string }

func (e *NotFoundError) Error() string { return fmt.Sprintf("key %q not found", e.Key) }

func (e *NotFoundError) Unwrap() error { return ErrNotFound }
