package keys

import (
	"errors"
	"testing"
	"time"

	"github.com/99designs/keyring"
)

// hangingDB stands in for a backend whose D-Bus call never returns (a
// secret service waiting on a prompt nobody sees). A real hang cannot be
// produced on demand in a test; the wrapper under test is the same one
// every real backend goes through.
type hangingDB struct {
	keyring.Keyring
	release chan struct{}
}

func (h hangingDB) Get(string) (keyring.Item, error) {
	<-h.release
	return keyring.Item{}, keyring.ErrKeyNotFound
}

func TestTimeoutNamesBackend(t *testing.T) {
	h := hangingDB{Keyring: keyring.NewArrayKeyring(nil), release: make(chan struct{})}
	defer close(h.release)
	db := &timedDB{db: h, backend: "os (secret-service)", timeout: 50 * time.Millisecond}
	start := time.Now()
	_, err := db.Get("alice.info")
	var te *TimeoutError
	if !errors.As(err, &te) || !errors.Is(err, ErrTimeout) || te.Backend != "os (secret-service)" || te.Op != "get" {
		t.Fatalf("got %v", err)
	}
	// Bounded, not hung (the bound leaves a loaded machine room).
	if d := time.Since(start); d > 30*time.Second {
		t.Fatalf("returned after %s", d)
	}
	want := "keyring backend os (secret-service) did not answer get within 50ms"
	if err.Error() != want {
		t.Fatalf("message %q, want %q", err.Error(), want)
	}
	// Later calls fail the same way at once instead of racing the hung one.
	if _, err := db.Keys(); !errors.Is(err, ErrTimeout) {
		t.Fatalf("after timeout: %v", err)
	}
}

// Through the whole Keyring: a hung backend surfaces as ErrTimeout from
// Key, List and Recover, never as "not found".
func TestKeyringTimeout(t *testing.T) {
	h := hangingDB{Keyring: keyring.NewArrayKeyring([]keyring.Item{{Key: "a.info"}}), release: make(chan struct{})}
	defer close(h.release)
	kr, err := Open(Config{Backend: BackendMemory, Timeout: 30 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	kr.db.db = h
	if _, err := kr.Key("a"); !errors.Is(err, ErrTimeout) {
		t.Fatalf("Key: %v", err)
	}
	if _, err := kr.List(); !errors.Is(err, ErrTimeout) {
		t.Fatalf("List: %v", err)
	}
}
