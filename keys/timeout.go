package keys

import (
	"errors"
	"sync"
	"time"

	"github.com/99designs/keyring"
)

// DefaultTimeout bounds every call into a keyring backend. A secret
// service waiting on an unlock prompt nobody can see, a gpg-agent waiting
// for pinentry, or a KWallet D-Bus call can block forever; the GitHub CLI
// uses 3 s, akw allows a little more for gpg-agent's start-up.
const DefaultTimeout = 10 * time.Second

// timedDB wraps a 99designs keyring so that every call returns within the
// timeout with a TimeoutError naming the backend. Go cannot cancel the
// blocked call; it keeps running in its goroutine, so after a timeout the
// wrapper refuses further calls rather than interleave with it.
type timedDB struct {
	db      keyring.Keyring
	backend string
	timeout time.Duration
	// unlock runs before calls that need the keyring's secret (file
	// backend: the passphrase), with the item key for reads ("" for
	// writes). It runs outside the timeout: it may be a person typing at
	// a terminal.
	unlock func(key string) error

	mu   sync.Mutex
	dead error
}

var _ keyring.Keyring = (*timedDB)(nil)

func (t *timedDB) call(op string, needSecret bool, f func() error) error {
	return t.callKey(op, "", needSecret, f)
}

func (t *timedDB) callKey(op, key string, needSecret bool, f func() error) error {
	t.mu.Lock()
	dead := t.dead
	t.mu.Unlock()
	if dead != nil {
		return dead
	}
	if needSecret && t.unlock != nil {
		if err := t.unlock(key); err != nil {
			return err
		}
	}
	if t.timeout <= 0 {
		return f()
	}
	done := make(chan error, 1)
	go func() { done <- f() }()
	timer := time.NewTimer(t.timeout)
	defer timer.Stop()
	select {
	case err := <-done:
		return err
	case <-timer.C:
		err := &TimeoutError{Backend: t.backend, Op: op, After: t.timeout}
		t.mu.Lock()
		t.dead = err
		t.mu.Unlock()
		return err
	}
}

func (t *timedDB) Get(key string) (keyring.Item, error) {
	var it keyring.Item
	err := t.callKey("get", key, true, func() (err error) { it, err = t.db.Get(key); return })
	return it, err
}

func (t *timedDB) GetMetadata(key string) (keyring.Metadata, error) {
	var md keyring.Metadata
	err := t.call("get metadata", false, func() (err error) { md, err = t.db.GetMetadata(key); return })
	return md, err
}

func (t *timedDB) Set(item keyring.Item) error {
	return t.call("set", true, func() error { return t.db.Set(item) })
}

func (t *timedDB) Remove(key string) error {
	return t.call("remove", false, func() error {
		err := t.db.Remove(key)
		if errors.Is(err, errNotExist) {
			// The file backend returns the os error for a missing
			// item; every other backend says ErrKeyNotFound.
			return keyring.ErrKeyNotFound
		}
		return err
	})
}

func (t *timedDB) Keys() ([]string, error) {
	var ks []string
	err := t.call("list", false, func() (err error) { ks, err = t.db.Keys(); return })
	return ks, err
}

// withTimeout runs f (e.g. opening a backend over D-Bus) within d.
func withTimeout[T any](backend, op string, d time.Duration, f func() (T, error)) (T, error) {
	if d <= 0 {
		return f()
	}
	type res struct {
		v   T
		err error
	}
	done := make(chan res, 1)
	go func() { v, err := f(); done <- res{v, err} }()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case r := <-done:
		return r.v, r.err
	case <-timer.C:
		var zero T
		return zero, &TimeoutError{Backend: backend, Op: op, After: d}
	}
}
