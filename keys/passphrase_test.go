package keys_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/akash-wallet/akw/keys"
)

// scripted is an interactive source that answers from a list, as a person
// at a terminal would, and counts the questions.
type scripted struct {
	answers []string
	asked   []keys.PassphraseRequest
}

func (s *scripted) Passphrase(req keys.PassphraseRequest) (string, error) {
	s.asked = append(s.asked, req)
	if len(s.answers) == 0 {
		return "", errors.New("no more answers")
	}
	a := s.answers[0]
	s.answers = s.answers[1:]
	return a, nil
}
func (s *scripted) Interactive() bool { return true }

const goodPass = "correct horse battery"

func newFileKeyring(t *testing.T) (keys.Config, string) {
	dir := t.TempDir()
	cfg := keys.Config{Backend: keys.BackendFile, Dir: dir, Passphrase: keys.FixedPassphrase(goodPass)}
	kr := mustOpen(t, cfg)
	if _, err := kr.Recover("main", testMnemonic, keys.HDOptions{}); err != nil {
		t.Fatal(err)
	}
	return cfg, filepath.Join(dir, "keyring-file")
}

func TestWrongPassphraseThreeTimes(t *testing.T) {
	cfg, dir := newFileKeyring(t)
	before := dirSnapshot(t, dir)
	src := &scripted{answers: []string{"wrong one", "wrong two", "wrong three", goodPass}}
	cfg.Passphrase = src
	kr := mustOpen(t, cfg)
	_, err := kr.Recover("second", testMnemonic, keys.HDOptions{Path: keys.HDPath{Index: 1}})
	if !errors.Is(err, keys.ErrBadPassphrase) || !strings.Contains(err.Error(), "3 attempts") {
		t.Fatalf("got %v", err)
	}
	if len(src.asked) != 3 || src.asked[2].Attempt != 3 || src.asked[2].MaxAttempts != 3 {
		t.Fatalf("asked %d times: %+v", len(src.asked), src.asked)
	}
	for _, w := range []string{"wrong one", "wrong two", "wrong three"} {
		if strings.Contains(err.Error(), w) {
			t.Fatal("error text contains a passphrase")
		}
	}
	// The keyring stays closed for this process: no fourth question.
	if _, err := kr.List(); !errors.Is(err, keys.ErrBadPassphrase) || len(src.asked) != 3 {
		t.Fatalf("after 3 failures: %v, asked %d", err, len(src.asked))
	}
	if after := dirSnapshot(t, dir); after != before {
		t.Fatal("failed attempts changed the keyring")
	}
	// The right passphrase on the second try works.
	cfg.Passphrase = &scripted{answers: []string{"typo", goodPass}}
	if ns := names(t, mustOpen(t, cfg)); !equal(ns, []string{"main"}) {
		t.Fatalf("list: %v", ns)
	}
}

func TestWrongPassphraseNonInteractive(t *testing.T) {
	cfg, _ := newFileKeyring(t)
	cfg.Passphrase = keys.FixedPassphrase("not it at all")
	kr := mustOpen(t, cfg)
	if _, err := kr.Key("main"); !errors.Is(err, keys.ErrBadPassphrase) || strings.Contains(err.Error(), "attempts") {
		t.Fatalf("got %v", err)
	}
	cfg.Passphrase = nil
	if _, err := mustOpen(t, cfg).Key("main"); !errors.Is(err, keys.ErrNoPassphrase) {
		t.Fatalf("no source: %v", err)
	}
}

func TestNewFileKeyringPassphrase(t *testing.T) {
	// Listing an empty keyring asks nothing.
	dir := t.TempDir()
	src := &scripted{}
	kr := mustOpen(t, keys.Config{Backend: keys.BackendFile, Dir: dir, Passphrase: src})
	if ns := names(t, kr); len(ns) != 0 || len(src.asked) != 0 {
		t.Fatalf("empty list asked %d questions", len(src.asked))
	}
	// Too short, then mismatched confirmation, then mismatched again:
	// three attempts used, nothing written.
	src.answers = []string{"short", "long enough 1", "long enough 2", "long enough 3", "long enough 4"}
	_, err := kr.Recover("k", testMnemonic, keys.HDOptions{})
	if !errors.Is(err, keys.ErrBadPassphrase) || !strings.Contains(err.Error(), "differ") {
		t.Fatalf("got %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "keyring-file", "keyhash")); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("keyhash written after failed confirmation")
	}
	// Asked twice, confirmed: created.
	kr = mustOpen(t, keys.Config{Backend: keys.BackendFile, Dir: dir, Passphrase: &scripted{answers: []string{goodPass, goodPass}}})
	if _, err := kr.Recover("k", testMnemonic, keys.HDOptions{}); err != nil {
		t.Fatal(err)
	}
	hash, err := os.ReadFile(filepath.Join(dir, "keyring-file", "keyhash"))
	if err != nil || !strings.HasPrefix(string(hash), "$2a$12$") {
		t.Fatalf("keyhash %q, %v", hash, err)
	}
}

// A file keyring without keyhash (made by a tool that does not write one)
// is checked by decrypting an item.
func TestFileKeyringWithoutKeyhash(t *testing.T) {
	cfg, dir := newFileKeyring(t)
	if err := os.Remove(filepath.Join(dir, "keyhash")); err != nil {
		t.Fatal(err)
	}
	cfg.Passphrase = keys.FixedPassphrase("wrong passphrase")
	if _, err := mustOpen(t, cfg).Key("main"); !errors.Is(err, keys.ErrBadPassphrase) {
		t.Fatalf("wrong: %v", err)
	}
	cfg.Passphrase = keys.FixedPassphrase(goodPass)
	if _, err := mustOpen(t, cfg).Key("main"); err != nil {
		t.Fatalf("right: %v", err)
	}
}

func TestPassphraseFromFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "pw")
	os.WriteFile(p, []byte(goodPass+"\r\nsecond line ignored\n"), 0o600)
	src, err := keys.PassphraseFromFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := src.Passphrase(keys.PassphraseRequest{}); got != goodPass || src.Interactive() {
		t.Fatalf("got %q", got)
	}
	os.WriteFile(p, []byte("\n"), 0o600)
	if _, err := keys.PassphraseFromFile(p); !errors.Is(err, keys.ErrNoPassphrase) {
		t.Fatalf("empty file: %v", err)
	}
}

// Existing keyring directories made under a permissive umask are
// tightened to 0700/0600 when opened.
func TestPermissionsTightened(t *testing.T) {
	cfg, dir := newFileKeyring(t)
	os.Chmod(dir, 0o755)
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		os.Chmod(filepath.Join(dir, e.Name()), 0o644)
	}
	mustOpen(t, cfg)
	checkPerms(t, dir)
}

func TestExportPassphraseRules(t *testing.T) {
	kr := mustOpen(t, keys.Config{Backend: keys.BackendMemory})
	if _, err := kr.Recover("k", testMnemonic, keys.HDOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := kr.ExportArmor("k", keys.FixedPassphrase("short")); !errors.Is(err, keys.ErrBadPassphrase) {
		t.Fatalf("short export passphrase: %v", err)
	}
	if _, err := kr.ExportArmor("k", nil); !errors.Is(err, keys.ErrNoPassphrase) {
		t.Fatalf("no export passphrase: %v", err)
	}
	armor, err := kr.ExportArmor("k", &scripted{answers: []string{"export pass 1", "export pass 1"}})
	if err != nil || !strings.Contains(armor, "BEGIN TENDERMINT PRIVATE KEY") {
		t.Fatalf("export: %v", err)
	}
	if strings.Contains(armor, "export pass 1") {
		t.Fatal("armor contains the passphrase")
	}
	// Import: three interactive tries.
	kr2 := mustOpen(t, keys.Config{Backend: keys.BackendMemory})
	src := &scripted{answers: []string{"no", "nope", "export pass 1"}}
	if _, err := kr2.ImportArmor("k", armor, src, false); err != nil || len(src.asked) != 3 {
		t.Fatalf("import on third try: %v (asked %d)", err, len(src.asked))
	}
	if _, err := kr2.ImportArmor("j", "not an armor", keys.FixedPassphrase("x"), false); !errors.Is(err, keys.ErrBadArmor) {
		t.Fatalf("garbage armor: %v", err)
	}
}
