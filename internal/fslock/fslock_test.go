package fslock_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/akash-wallet/akw/internal/fslock"
)

// Many writers doing read-modify-write on one file under the lock lose no
// update; without it (a plain counter file) they would.
func TestLockSerialisesWriters(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no flock")
	}
	dir := t.TempDir()
	counter := filepath.Join(dir, "n")
	if err := os.WriteFile(counter, []byte{0}, 0o600); err != nil {
		t.Fatal(err)
	}
	const writers, rounds = 8, 25
	var wg sync.WaitGroup
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range rounds {
				unlock, err := fslock.Lock(filepath.Join(dir, "sub", "n.lock"))
				if err != nil {
					t.Error(err)
					return
				}
				b, err := os.ReadFile(counter)
				if err == nil && len(b) != 1 {
					err = fmt.Errorf("read %d bytes: a writer was half-way", len(b))
				}
				if err == nil {
					// Yield between read and write: without the
					// lock another writer would slip in here.
					runtime.Gosched()
					err = os.WriteFile(counter, []byte{b[0] + 1}, 0o600)
				}
				unlock()
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b, err := os.ReadFile(counter)
	if err != nil {
		t.Fatal(err)
	}
	if got := int(b[0]); got != writers*rounds {
		t.Fatalf("counter %d, want %d: an update was lost", got, writers*rounds)
	}
	st, err := os.Stat(filepath.Join(dir, "sub"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o700 {
		t.Fatalf("lock directory mode %v, want 0700", st.Mode().Perm())
	}
}
