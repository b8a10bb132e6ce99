package keys_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/akash-wallet/akw/keys"
)

func TestBadMnemonics(t *testing.T) {
	words := strings.Fields(testMnemonic)
	swapped := append([]string(nil), words...)
	swapped[0], swapped[1] = swapped[1], swapped[0]
	lastChanged := append([]string(nil), words...)
	// "abandon" is a valid word; as the last word it breaks the checksum
	// (unless by chance it matches, which the test would reveal).
	lastChanged[23] = "abandon"
	badWord := append([]string(nil), words...)
	badWord[4] = "notaword"
	twoBad := append([]string(nil), words...)
	twoBad[2], twoBad[9] = "qqq", "zzz"

	cases := []struct {
		name, mnemonic, reason string
	}{
		{"swapped words", strings.Join(swapped, " "), "checksum does not match"},
		{"wrong last word", strings.Join(lastChanged, " "), "checksum does not match"},
		{"unknown word", strings.Join(badWord, " "), "word 5 is not in the BIP-39 English word list"},
		{"two unknown words", strings.Join(twoBad, " "), "words 3, 10 are not in"},
		{"23 words", strings.Join(words[:23], " "), "it has 23 words"},
		{"empty", "  \n", "it is empty"},
	}
	kr := mustOpen(t, keys.Config{Backend: keys.BackendMemory})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := kr.Recover("k", c.mnemonic, keys.HDOptions{})
			if !errors.Is(err, keys.ErrBadMnemonic) || !strings.Contains(err.Error(), c.reason) {
				t.Fatalf("got %v, want ErrBadMnemonic mentioning %q", err, c.reason)
			}
			// The error must not quote the secret words.
			for _, w := range strings.Fields(c.mnemonic) {
				if len(w) > 3 && strings.Contains(err.Error(), w) {
					t.Fatalf("error text contains a mnemonic word %q: %v", w, err)
				}
			}
		})
	}
	if ns := names(t, kr); len(ns) != 0 {
		t.Fatalf("bad mnemonics wrote %v", ns)
	}
	// Case and spacing are normalised, not errors.
	if _, err := keys.NormalizeMnemonic("  " + strings.ToUpper(testMnemonic) + "\n"); err != nil {
		t.Fatalf("upper case with spaces: %v", err)
	}
}

func TestHDPathRange(t *testing.T) {
	for _, c := range []struct {
		account, index int64
		ok             bool
	}{
		{0, 0, true}, {keys.MaxHDIndex, keys.MaxHDIndex, true},
		{-1, 0, false}, {0, -1, false}, {keys.MaxHDIndex + 1, 0, false}, {0, keys.MaxHDIndex + 1, false}, {0, 1 << 32, false},
	} {
		p, err := keys.NewHDPath(c.account, c.index)
		if c.ok != (err == nil) {
			t.Errorf("NewHDPath(%d, %d) = %v, %v", c.account, c.index, p, err)
		}
		if err != nil && !errors.Is(err, keys.ErrInvalidHDPath) {
			t.Errorf("NewHDPath(%d, %d): %v is not ErrInvalidHDPath", c.account, c.index, err)
		}
	}
	// A hardened-range index handed straight to Recover is refused too,
	// and nothing is written.
	kr := mustOpen(t, keys.Config{Backend: keys.BackendMemory})
	if _, err := kr.Recover("k", testMnemonic, keys.HDOptions{Path: keys.HDPath{Index: 1 << 31}}); !errors.Is(err, keys.ErrInvalidHDPath) {
		t.Fatalf("index 2^31: %v", err)
	}
	if ns := names(t, kr); len(ns) != 0 {
		t.Fatalf("wrote %v", ns)
	}
	if got := (keys.HDPath{Account: 2, Index: 5}).String(); got != "m/44'/118'/2'/0/5" {
		t.Fatal(got)
	}
}

func TestUnknownBackend(t *testing.T) {
	_, err := keys.Open(keys.Config{Backend: "vault", Dir: t.TempDir()})
	if !errors.Is(err, keys.ErrUnknownBackend) || !strings.Contains(err.Error(), `"vault"`) {
		t.Fatalf("got %v", err)
	}
	if _, err := keys.Open(keys.Config{Backend: keys.BackendFile}); !errors.Is(err, keys.ErrBackendUnavailable) {
		t.Fatalf("file without dir: %v", err)
	}
}

func TestBadNames(t *testing.T) {
	kr := mustOpen(t, keys.Config{Backend: keys.BackendMemory})
	for _, n := range []string{"", "a/b", "../x", ".hidden", "-flag", "x.info", "y.address", "sp ace", strings.Repeat("n", 65)} {
		if _, err := kr.Recover(n, testMnemonic, keys.HDOptions{}); !errors.Is(err, keys.ErrInvalidName) {
			t.Errorf("name %q: %v", n, err)
		}
	}
	if _, err := kr.Recover("ok_name-1.2@x+y", testMnemonic, keys.HDOptions{}); err != nil {
		t.Fatal(err)
	}
}

// An existing name with a different key, or the same key under another
// name: refused, and the stored key is unchanged.
func TestNoSilentOverwrite(t *testing.T) {
	dir := t.TempDir()
	cfg := keys.Config{Backend: keys.BackendTest, Dir: dir}
	kr := mustOpen(t, cfg)
	orig, err := kr.Recover("main", testMnemonic, keys.HDOptions{})
	if err != nil {
		t.Fatal(err)
	}
	snapshot := dirSnapshot(t, filepath.Join(dir, "keyring-test"))
	_, err = kr.Recover("main", testMnemonic, keys.HDOptions{Path: keys.HDPath{Index: 1}})
	var ce *keys.ConflictError
	if !errors.As(err, &ce) || !errors.Is(err, keys.ErrNameExists) {
		t.Fatalf("same name: %v", err)
	}
	_, err = kr.Recover("other", testMnemonic, keys.HDOptions{})
	if !errors.As(err, &ce) || !errors.Is(err, keys.ErrAddressExists) || ce.Existing != "main" || !strings.Contains(err.Error(), orig.Address) {
		t.Fatalf("same address: %v", err)
	}
	if after := dirSnapshot(t, filepath.Join(dir, "keyring-test")); after != snapshot {
		t.Fatalf("refused writes changed the keyring:\n%s\n%s", snapshot, after)
	}
	// With Overwrite, the same address under a new name replaces the old name.
	if _, err := kr.Recover("other", testMnemonic, keys.HDOptions{Overwrite: true}); err != nil {
		t.Fatal(err)
	}
	if ns := names(t, kr); !equal(ns, []string{"other"}) {
		t.Fatalf("after overwrite: %v", ns)
	}
}

// dirSnapshot lists names, sizes and modification times.
func dirSnapshot(t *testing.T, dir string) string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range ents {
		info, _ := e.Info()
		fmt.Fprintf(&b, "%s %s %d\n", e.Name(), info.ModTime(), info.Size())
	}
	return b.String()
}

// Concurrent writers (separate Keyring values, as separate akw processes
// would be) adding the same name: exactly one wins, the others get
// ErrNameExists — the check and the write are one step under the lock.
func TestConcurrentAddSameName(t *testing.T) {
	dir := t.TempDir()
	cfg := keys.Config{Backend: keys.BackendTest, Dir: dir}
	const n = 6
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		kr := mustOpen(t, cfg)
		go func(i int) {
			_, err := kr.Recover("same", testMnemonic, keys.HDOptions{Path: keys.HDPath{Index: uint32(i)}})
			errs <- err
		}(i)
	}
	ok := 0
	for i := 0; i < n; i++ {
		err := <-errs
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, keys.ErrNameExists):
			t.Errorf("unexpected error: %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d writers succeeded, want 1", ok)
	}
}
