package keys

import (
	"errors"
	"fmt"
	"time"

	"github.com/akash-wallet/akw/errkind"
)

// Sentinel errors. Every error returned by this package wraps one of them (or
// is one of the struct types below, which unwrap to one), so callers test
// with errors.Is, and each says its kind (errkind: a bad setting is a
// usage error, anything else about a key a key error) and what the user
// can do, so that the faces word it without parsing text.
// No error text ever contains a mnemonic, a passphrase or key material.
var (
	// ErrNameExists: a key with this name is already in the keyring.
	ErrNameExists = sentinel("a key with this name already exists", errkind.Key, "", errkind.OtherKeyName)
	// ErrAddressExists: a key with the same address (the same key) is
	// already stored under another name.
	ErrAddressExists = sentinel("a key with this address already exists", errkind.Key, "", errkind.None)
	// ErrNotFound: no key with that name or address.
	ErrNotFound = sentinel("key not found", errkind.Key, "", errkind.ListKeys)
	// ErrBadMnemonic: the mnemonic is not a valid BIP-39 English mnemonic.
	ErrBadMnemonic = sentinel("invalid mnemonic", errkind.Key, "check the words against your written copy; nothing was saved", errkind.None)
	// ErrBadPassphrase: the keyring or armor passphrase is wrong.
	ErrBadPassphrase = sentinel("wrong passphrase", errkind.Key, "nothing was changed; try again with the right passphrase", errkind.None)
	// ErrNoPassphrase: a passphrase is needed and no source can supply one.
	ErrNoPassphrase = sentinel("passphrase required", errkind.Usage, "", errkind.GivePassphrase)
	// ErrBackendUnavailable: the requested backend cannot be used here.
	ErrBackendUnavailable = sentinel("keyring backend unavailable", errkind.Key, "start or unlock that keyring service", errkind.OtherBackend)
	// ErrUnknownBackend: the backend name is not one akw knows.
	ErrUnknownBackend = sentinel("unknown keyring backend", errkind.Usage, "", errkind.KnownBackend)
	// ErrInvalidConfig: a keyring setting that cannot work (app name).
	ErrInvalidConfig = sentinel("invalid keyring configuration", errkind.Usage, "", errkind.None)
	// ErrTimeout: a keyring call did not return in time.
	ErrTimeout = sentinel("keyring call timed out", errkind.Key, "", errkind.None)
	// ErrInvalidHDPath: account or index outside the BIP-32 range.
	ErrInvalidHDPath = sentinel("invalid HD path", errkind.Usage, "", errkind.HDPathRange)
	// ErrInvalidName: a key name that cannot be stored.
	ErrInvalidName = sentinel("invalid key name", errkind.Usage, "", errkind.None)
	// ErrOfflineKey: the key has no private part here (offline or multisig).
	ErrOfflineKey = sentinel("key cannot sign here", errkind.Key, "", errkind.None)
	// ErrBadArmor: the armored text is not a private key akw can import.
	ErrBadArmor = sentinel("invalid armored key", errkind.Key, "", errkind.ExportedKey)
	// ErrCorrupt: an item in the keyring could not be decoded.
	ErrCorrupt = sentinel("keyring item is corrupt", errkind.Key, "", errkind.None)
)

// sentinelError is the type of the sentinels: an error value that says its
// kind, and its hint where it has one.
type sentinelError struct {
	msg  string
	kind errkind.Kind
	hint string
	then errkind.Action
}

func sentinel(msg string, kind errkind.Kind, hint string, then errkind.Action) error {
	return &sentinelError{msg: msg, kind: kind, hint: hint, then: then}
}

func (e *sentinelError) Error() string          { return e.msg }
func (e *sentinelError) Kind() errkind.Kind     { return e.kind }
func (e *sentinelError) Hint() string           { return e.hint }
func (e *sentinelError) Remedy() errkind.Remedy { return errkind.Remedy{Do: e.then} }

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

func (e *TimeoutError) Hint() string {
	return fmt.Sprintf("the %s keyring may be waiting for an unlock prompt nobody can see: unlock it", e.Backend)
}
func (e *TimeoutError) Remedy() errkind.Remedy {
	return errkind.Remedy{Do: errkind.RaiseKeyringTimeout}
}

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

// Hint and Remedy are the cause's when it has them (a collection that
// does not exist), else those of ErrBackendUnavailable.
func (e *BackendError) Hint() string {
	if h := errkind.HintOf(e.Err); !h.IsZero() {
		return h.Text
	}
	return ErrBackendUnavailable.(*sentinelError).hint
}
func (e *BackendError) Remedy() errkind.Remedy {
	if h := errkind.HintOf(e.Err); !h.IsZero() {
		return h.Remedy
	}
	return errkind.Remedy{Do: errkind.OtherBackend}
}

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

// Remedy of a key stored under another name names that name; otherwise
// the sentinel's (choose another name).
func (e *ConflictError) Remedy() errkind.Remedy {
	if errors.Is(e.Err, ErrAddressExists) {
		return errkind.Remedy{Do: errkind.UseStoredKey, Subject: e.Existing}
	}
	return errkind.Remedy{Do: errkind.OtherKeyName}
}

// NotFoundError names the key that is missing.
type NotFoundError struct{ Key string }

func (e *NotFoundError) Error() string { return fmt.Sprintf("key %q not found", e.Key) }

func (e *NotFoundError) Unwrap() error { return ErrNotFound }
