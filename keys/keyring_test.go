package keys_test

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/types/bech32"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"

	"github.com/akash-wallet/akw/keys"
)

// A fixed mnemonic (valid checksum) used across tests; public test data.
const testMnemonic = "release gold manual save note repeat hen educate flight license penalty purpose reason animal iron lady spatial pizza window comic sun onion local impulse"

// wantAddress derives the address independently of the keyring: the SDK's
// HD derivation plus bech32 with the akash prefix.
func wantAddress(t *testing.T, mnemonic string, account, index uint32) string {
	t.Helper()
	path := hd.NewFundraiserParams(account, 118, index).String()
	seed, err := hd.Secp256k1.Derive()(mnemonic, "", path)
	if err != nil {
		t.Fatal(err)
	}
	priv := hd.Secp256k1.Generate()(seed)
	a, err := bech32.ConvertAndEncode("akash", priv.PubKey().Address())
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func mustOpen(t *testing.T, cfg keys.Config) *keys.Keyring {
	t.Helper()
	if cfg.Timeout == 0 {
		// The 10 s default bounds a hung backend for a user. gpg under
		// pass took longer than that at load 45 (three suites and
		// stress-ng on 2 cores): slow, not hung. A test that wants the
		// limit to fire sets its own.
		cfg.Timeout = 2 * time.Minute
	}
	kr, err := keys.Open(cfg)
	if err != nil {
		t.Fatalf("open %s: %v", cfg.Backend, err)
	}
	return kr
}

func names(t *testing.T, kr *keys.Keyring) []string {
	t.Helper()
	ks, err := kr.List()
	if err != nil {
		t.Fatalf("list: %v", err)
	}
	var out []string
	for _, k := range ks {
		out = append(out, k.Name)
	}
	return out
}

// sharedCollection is the secret-service collection that is not the
// test's own: the login collection, which other programs use too — and,
// in the suite, cmd/akw's os_backend script, run at the same time by `go
// test ./...` against the same gnome-keyring (it adds and deletes "k3"
// there). A keyring on it lists every key in the collection, so a test
// there looks only at the names it made.
const sharedCollection = "login"

// exerciseNames are the names exercise writes.
var exerciseNames = map[string]bool{"alice": true, "alice2": true, "bob": true, "bob2": true, "carol": true}

// ownNames is ns without the keys other users of a shared collection
// keep there (every name, for a collection of the test's own).
func ownNames(cfg keys.Config, ns []string) []string {
	if cfg.Collection != sharedCollection {
		return ns
	}
	var own []string
	for _, n := range ns {
		if exerciseNames[n] {
			own = append(own, n)
		}
	}
	return own
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func uniqueSuffix() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// exercise runs every operation against one backend: add (new and
// recovered), list, show, sign, export, import, rename, delete, the
// name/address conflict rules, and — where the backend persists — that
// keys survive re-opening (a new process would do exactly this).
func exercise(t *testing.T, cfg keys.Config, wantBackend string, persistent bool) {
	t.Helper()
	kr := mustOpen(t, cfg)
	if got := kr.Backend(); got != wantBackend {
		t.Fatalf("Backend() = %q, want %q", got, wantBackend)
	}
	if ns := ownNames(cfg, names(t, kr)); len(ns) != 0 {
		t.Fatalf("fresh keyring lists %v", ns)
	}

	// Recover a known mnemonic at a non-default path.
	path := keys.HDPath{Account: 1, Index: 7}
	alice, err := kr.Recover("alice", testMnemonic, keys.HDOptions{Path: path})
	if err != nil {
		t.Fatalf("recover: %v", err)
	}
	if want := wantAddress(t, testMnemonic, 1, 7); alice.Address != want {
		t.Fatalf("alice address %s, want %s", alice.Address, want)
	}
	if alice.Type != keys.TypeLocal || alice.Path != "m/44'/118'/1'/0/7" {
		t.Fatalf("alice = %+v", alice)
	}

	// A new key: 24 words, valid, recoverable to the same address.
	bob, mnemonic, err := kr.Create("bob", keys.HDOptions{})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if n, err := keys.NormalizeMnemonic(mnemonic); err != nil || len(strings.Fields(n)) != 24 {
		t.Fatalf("new mnemonic not 24 valid words: %v", err)
	}
	if want := wantAddress(t, mnemonic, 0, 0); bob.Address != want {
		t.Fatalf("bob address %s, want %s", bob.Address, want)
	}

	// Conflicts: same name, same address under another name.
	if _, err := kr.Recover("bob", testMnemonic, keys.HDOptions{}); !errors.Is(err, keys.ErrNameExists) {
		t.Fatalf("recover over bob: %v, want ErrNameExists", err)
	}
	if _, err := kr.Recover("bob2", mnemonic, keys.HDOptions{}); !errors.Is(err, keys.ErrAddressExists) {
		t.Fatalf("recover bob's mnemonic as bob2: %v, want ErrAddressExists", err)
	}
	if ns := ownNames(cfg, names(t, kr)); !equal(ns, []string{"alice", "bob"}) {
		t.Fatalf("after refused writes: %v", ns)
	}

	// Show and look-up by address.
	got, err := kr.Key("alice")
	if err != nil || got.Address != alice.Address || !got.PubKey.Equals(alice.PubKey) || got.Path != alice.Path {
		t.Fatalf("Key(alice) = %+v, %v", got, err)
	}
	if got, err := kr.KeyByAddress(bob.Address); err != nil || got.Name != "bob" {
		t.Fatalf("KeyByAddress(bob) = %+v, %v", got, err)
	}
	if _, err := kr.Key("nobody"); !errors.Is(err, keys.ErrNotFound) {
		t.Fatalf("Key(nobody): %v", err)
	}

	// Sign and verify.
	msg := []byte("akw sign test " + wantBackend)
	sig, pub, err := kr.Sign("alice", msg, signing.SignMode_SIGN_MODE_DIRECT)
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
	if !pub.Equals(alice.PubKey) || !pub.VerifySignature(msg, sig) {
		t.Fatal("signature does not verify with alice's key")
	}

	// Export, then import: refused while the key is there, accepted
	// after delete, refused with a wrong passphrase.
	armor, err := kr.ExportArmor("alice", keys.FixedPassphrase("export-pass-1"))
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	if _, err := kr.ImportArmor("alice2", armor, keys.FixedPassphrase("export-pass-1"), false); !errors.Is(err, keys.ErrAddressExists) {
		t.Fatalf("import duplicate: %v, want ErrAddressExists", err)
	}
	if err := kr.Delete("alice"); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if _, err := kr.ImportArmor("alice", armor, keys.FixedPassphrase("wrong-pass-1"), false); !errors.Is(err, keys.ErrBadPassphrase) {
		t.Fatalf("import with wrong passphrase: %v", err)
	}
	imported, err := kr.ImportArmor("alice", armor, keys.FixedPassphrase("export-pass-1"), false)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if imported.Address != alice.Address || imported.Path != "" {
		t.Fatalf("imported = %+v", imported)
	}

	// Overwrite: explicit flag replaces both the name and the address.
	if _, err := kr.Recover("alice", testMnemonic, keys.HDOptions{Path: path, Overwrite: true}); err != nil {
		t.Fatalf("overwrite: %v", err)
	}
	if k, _ := kr.Key("alice"); k.Path != path.String() {
		t.Fatalf("after overwrite path = %q", k.Path)
	}

	// Rename keeps the key usable under the new name only.
	if err := kr.Rename("bob", "carol"); err != nil {
		t.Fatalf("rename: %v", err)
	}
	if err := kr.Rename("carol", "alice"); !errors.Is(err, keys.ErrNameExists) {
		t.Fatalf("rename onto alice: %v", err)
	}
	if _, err := kr.Key("bob"); !errors.Is(err, keys.ErrNotFound) {
		t.Fatalf("bob after rename: %v", err)
	}
	if k, err := kr.KeyByAddress(bob.Address); err != nil || k.Name != "carol" || k.Path != "m/44'/118'/0'/0/0" {
		t.Fatalf("KeyByAddress after rename = %+v, %v", k, err)
	}
	if sig, pub, err := kr.Sign("carol", msg, signing.SignMode_SIGN_MODE_LEGACY_AMINO_JSON); err != nil || !pub.VerifySignature(msg, sig) {
		t.Fatalf("sign as carol: %v", err)
	}
	if ns := ownNames(cfg, names(t, kr)); !equal(ns, []string{"alice", "carol"}) {
		t.Fatalf("after rename: %v", ns)
	}

	if persistent {
		kr2 := mustOpen(t, cfg)
		if ns := ownNames(cfg, names(t, kr2)); !equal(ns, []string{"alice", "carol"}) {
			t.Fatalf("after re-open: %v", ns)
		}
		if sig, pub, err := kr2.Sign("alice", msg, signing.SignMode_SIGN_MODE_DIRECT); err != nil || !pub.VerifySignature(msg, sig) {
			t.Fatalf("sign after re-open: %v", err)
		}
		kr = kr2
		// And in a new process, as the next `akw` run would.
		pass := ""
		if cfg.Backend == keys.BackendFile {
			pass = "keyring-pass-1"
		}
		want := "KEYS=alice,carol BACKEND=" + wantBackend + " VERIFIED=true"
		if got := inNewProcess(t, cfg, pass, "carol"); got != want {
			t.Fatalf("new process saw %q, want %q", got, want)
		}
	}

	for _, n := range []string{"alice", "carol"} {
		if err := kr.Delete(n); err != nil {
			t.Fatalf("delete %s: %v", n, err)
		}
	}
	if err := kr.Delete("alice"); !errors.Is(err, keys.ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
	if ns := ownNames(cfg, names(t, kr)); len(ns) != 0 {
		t.Fatalf("after delete: %v", ns)
	}
}

func TestMemoryBackend(t *testing.T) {
	exercise(t, keys.Config{Backend: keys.BackendMemory}, "memory", false)
}

func TestTestBackend(t *testing.T) {
	dir := t.TempDir()
	cfg := keys.Config{Backend: keys.BackendTest, Dir: dir}
	exercise(t, cfg, "test", true)
	if _, err := mustOpen(t, cfg).Recover("perm", testMnemonic, keys.HDOptions{}); err != nil {
		t.Fatal(err)
	}
	checkPerms(t, filepath.Join(dir, "keyring-test"))
}

func TestFileBackend(t *testing.T) {
	dir := t.TempDir()
	cfg := keys.Config{Backend: keys.BackendFile, Dir: dir, Passphrase: keys.FixedPassphrase("keyring-pass-1")}
	exercise(t, cfg, "file", true)
	if _, err := mustOpen(t, cfg).Recover("perm", testMnemonic, keys.HDOptions{}); err != nil {
		t.Fatal(err)
	}
	checkPerms(t, filepath.Join(dir, "keyring-file"))
}

// checkPerms: the keyring directory is 0700 and every file in it 0600.
func checkPerms(t *testing.T, dir string) {
	t.Helper()
	st, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o700 {
		t.Errorf("%s has mode %o, want 700", dir, st.Mode().Perm())
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) == 0 {
		t.Errorf("%s is empty", dir)
	}
	for _, e := range ents {
		info, _ := e.Info()
		if info.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %o, want 600", e.Name(), info.Mode().Perm())
		}
	}
}

// Public-key-only records: listed with their type, refused for signing
// and export, and subject to the same address rule.
func TestOfflineAndLedgerRecords(t *testing.T) {
	kr := mustOpen(t, keys.Config{Backend: keys.BackendTest, Dir: t.TempDir()})
	local, err := kr.Recover("local", testMnemonic, keys.HDOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kr.SaveOfflineKey("watch", local.PubKey, false); !errors.Is(err, keys.ErrAddressExists) {
		t.Fatalf("offline copy of a stored key: %v", err)
	}
	other, _, err := kr.Create("tmp", keys.HDOptions{Path: keys.HDPath{Index: 9}})
	if err != nil {
		t.Fatal(err)
	}
	if err := kr.Delete("tmp"); err != nil {
		t.Fatal(err)
	}
	w, err := kr.SaveOfflineKey("watch", other.PubKey, false)
	if err != nil || w.Type != keys.TypeOffline || w.Address != other.Address {
		t.Fatalf("offline: %+v, %v", w, err)
	}
	if _, _, err := kr.Sign("watch", []byte("x"), signing.SignMode_SIGN_MODE_DIRECT); !errors.Is(err, keys.ErrOfflineKey) {
		t.Fatalf("sign with offline key: %v", err)
	}
	if _, err := kr.ExportArmor("watch", keys.FixedPassphrase("export-pass-1")); !errors.Is(err, keys.ErrOfflineKey) {
		t.Fatalf("export offline key: %v", err)
	}
	if err := kr.Delete("local"); err != nil {
		t.Fatal(err)
	}
	l, err := kr.SaveLedgerKey("hw", local.PubKey, keys.HDPath{Account: 2, Index: 3}, false)
	if err != nil || l.Type != keys.TypeLedger || l.Path != "m/44'/118'/2'/0/3" || l.Address != local.Address {
		t.Fatalf("ledger record: %+v, %v", l, err)
	}
	if ns := names(t, kr); !equal(ns, []string{"hw", "watch"}) {
		t.Fatalf("list: %v", ns)
	}
}
