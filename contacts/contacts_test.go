package contacts_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/akash-wallet/akw/contacts"
	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/tx/address"
)

// addr is a valid account address of prefix, different for each seed.
func addr(prefix string, seed byte) string {
	b := bytes.Repeat([]byte{seed}, 20)
	return address.Bech32(prefix, b)
}

func book(t *testing.T) (*contacts.Book, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "home")
	return contacts.Open(dir, "akash"), dir
}

func TestAddListShowRenameDelete(t *testing.T) {
	b, dir := book(t)
	alice := addr("akash", 1)
	got, err := b.Add(contacts.Contact{Name: "Alice", Address: alice, Memo: "104983"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "alice" {
		t.Fatalf("stored name %q, want it folded to alice", got.Name)
	}
	if _, err := b.Add(contacts.Contact{Name: "bob.cold", Address: addr("akash", 2)}); err != nil {
		t.Fatal(err)
	}

	// The file and its directory are private.
	for path, want := range map[string]os.FileMode{dir: 0o700, b.Path(): 0o600} {
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v", path, st.Mode().Perm(), want)
		}
	}

	// Another Book on the same directory (another process) sees them.
	other := contacts.Open(dir, "akash")
	list, err := other.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Name != "alice" || list[1].Name != "bob.cold" || list[0].Memo != "104983" {
		t.Fatalf("list %+v", list)
	}
	if c, err := other.Get("@ALICE"); err != nil || c.Address != alice {
		t.Fatalf("get @ALICE: %+v %v", c, err)
	}

	// A taken name is refused, in any case: no silent overwrite.
	_, err = b.Add(contacts.Contact{Name: "ALICE", Address: addr("akash", 3)})
	if !errors.Is(err, contacts.ErrExists) || errkind.KindOf(err) != errkind.Usage || errkind.HintOf(err).String() == "" {
		t.Fatalf("add of a taken name: %v (hint %q)", err, errkind.HintOf(err).String())
	}
	if c, _ := b.Get("alice"); c.Address != alice {
		t.Fatalf("alice was overwritten: %+v", c)
	}

	if _, err := b.Rename("alice", "bob.cold"); !errors.Is(err, contacts.ErrExists) {
		t.Fatalf("rename onto a taken name: %v", err)
	}
	if c, err := b.Rename("alice", "kraken"); err != nil || c.Name != "kraken" || c.Address != alice || c.Memo != "104983" {
		t.Fatalf("rename: %+v %v", c, err)
	}
	if _, err := b.Get("alice"); !errors.Is(err, contacts.ErrNotFound) {
		t.Fatalf("old name after rename: %v", err)
	}
	if c, err := b.Delete("kraken"); err != nil || c.Address != alice {
		t.Fatalf("delete: %+v %v", c, err)
	}
	if _, err := b.Delete("kraken"); !errors.Is(err, contacts.ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
	list, _ = b.List()
	if len(list) != 1 || list[0].Name != "bob.cold" {
		t.Fatalf("after delete: %+v", list)
	}
}

func TestRefusedContactsAreNotSaved(t *testing.T) {
	good := addr("akash", 1)
	typo := []byte(good)
	typo[len(typo)-1] ^= 1 // one character changed: the checksum fails
	cases := []struct {
		name string
		c    contacts.Contact
		want error
	}{
		{"checksum", contacts.Contact{Name: "a", Address: string(typo)}, address.ErrChecksum},
		{"other chain", contacts.Contact{Name: "a", Address: addr("cosmos", 1)}, address.ErrOtherChain},
		{"validator", contacts.Contact{Name: "a", Address: addr("akashvaloper", 1)}, address.ErrValidatorNotAccount},
		{"not bech32", contacts.Contact{Name: "a", Address: "alice"}, address.ErrMalformed},
		{"empty address", contacts.Contact{Name: "a"}, address.ErrEmpty},
		{"empty name", contacts.Contact{Address: good}, contacts.ErrInvalidName},
		{"at sign", contacts.Contact{Name: "@a", Address: good}, contacts.ErrInvalidName},
		{"space", contacts.Contact{Name: "a b", Address: good}, contacts.ErrInvalidName},
		{"leading dot", contacts.Contact{Name: ".a", Address: good}, contacts.ErrInvalidName},
		{"unicode", contacts.Contact{Name: "ålice", Address: good}, contacts.ErrInvalidName},
		{"too long", contacts.Contact{Name: strings.Repeat("a", contacts.MaxNameLen+1), Address: good}, contacts.ErrInvalidName},
		{"memo newline", contacts.Contact{Name: "a", Address: good, Memo: "1\n2"}, contacts.ErrInvalidMemo},
		{"memo bidi", contacts.Contact{Name: "a", Address: good, Memo: "x\u2028"}, contacts.ErrInvalidMemo},
		{"memo too long", contacts.Contact{Name: "a", Address: good, Memo: strings.Repeat("m", contacts.MaxMemoLen+1)}, contacts.ErrInvalidMemo},
		{"memo not utf8", contacts.Contact{Name: "a", Address: good, Memo: "\xff"}, contacts.ErrInvalidMemo},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b, _ := book(t)
			_, err := b.Add(tc.c)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if errkind.KindOf(err) != errkind.Usage || errkind.HintOf(err).String() == "" {
				t.Fatalf("%v: kind %v, hint %q", err, errkind.KindOf(err), errkind.HintOf(err).String())
			}
			if _, serr := os.Stat(b.Path()); !errors.Is(serr, os.ErrNotExist) {
				t.Fatalf("a refused contact created the file (%v)", serr)
			}
		})
	}
	// The longest allowed name and memo pass.
	b, _ := book(t)
	if _, err := b.Add(contacts.Contact{Name: strings.Repeat("z", contacts.MaxNameLen), Address: good, Memo: strings.Repeat("é", contacts.MaxMemoLen)}); err != nil {
		t.Fatal(err)
	}
}

func TestResolve(t *testing.T) {
	b, _ := book(t)
	alice := addr("akash", 1)
	if _, err := b.Add(contacts.Contact{Name: "alice", Address: alice, Memo: "deposit 7"}); err != nil {
		t.Fatal(err)
	}

	r, err := b.Resolve("@Alice")
	if err != nil || r.Address != alice || r.Memo != "deposit 7" || r.Contact == nil || r.Contact.Name != "alice" {
		t.Fatalf("@Alice: %+v %v", r, err)
	}

	// Without the @ a string is an address, never a name; the error
	// points to the @ form because a contact has that name.
	_, err = b.Resolve("alice")
	if !errors.Is(err, address.ErrMalformed) || !strings.Contains(errkind.HintOf(err).String(), "@alice") {
		t.Fatalf("alice without @: %v (hint %q)", err, errkind.HintOf(err).String())
	}
	_, err = b.Resolve("carol")
	if !errors.Is(err, address.ErrMalformed) || strings.Contains(errkind.HintOf(err).String(), "@") {
		t.Fatalf("carol: %v (hint %q)", err, errkind.HintOf(err).String())
	}

	// An address resolves to itself, without a contact, even when a
	// contact holds it.
	r, err = b.Resolve(" " + strings.ToUpper(alice) + " ")
	if err != nil || r.Address != alice || r.Contact != nil || r.Memo != "" {
		t.Fatalf("address: %+v %v", r, err)
	}
	if _, err := b.Resolve("@nobody"); !errors.Is(err, contacts.ErrNotFound) {
		t.Fatalf("@nobody: %v", err)
	}
	if _, err := b.Resolve("@"); !errors.Is(err, contacts.ErrInvalidName) {
		t.Fatalf("@: %v", err)
	}
	// A book read for another chain refuses the contact rather than hand
	// out an address of the wrong chain.
	other := contacts.Open(filepath.Dir(b.Path()), "cosmos")
	if _, err := other.Resolve("@alice"); err == nil {
		t.Fatal("an akash contact resolved on a cosmos book")
	}
}

func TestImportExport(t *testing.T) {
	src, _ := book(t)
	for i, n := range []string{"alice", "bob", "carol"} {
		if _, err := src.Add(contacts.Contact{Name: n, Address: addr("akash", byte(i+1)), Memo: "m" + n}); err != nil {
			t.Fatal(err)
		}
	}
	var exp bytes.Buffer
	if err := src.Export(&exp); err != nil {
		t.Fatal(err)
	}

	dst, _ := book(t)
	if _, err := dst.Add(contacts.Contact{Name: "bob", Address: addr("akash", 9)}); err != nil {
		t.Fatal(err)
	}
	if _, err := dst.Add(contacts.Contact{Name: "carol", Address: addr("akash", 3), Memo: "mcarol"}); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(dst.Path())

	// Default: a conflicting name refuses the whole import.
	_, err := dst.Import(bytes.NewReader(exp.Bytes()), contacts.MergeRefuse)
	var ce *contacts.ConflictError
	if !errors.As(err, &ce) || len(ce.Names) != 1 || ce.Names[0] != "bob" || errkind.HintOf(err).String() == "" {
		t.Fatalf("conflicting import: %v", err)
	}
	if after, _ := os.ReadFile(dst.Path()); !bytes.Equal(before, after) {
		t.Fatal("a refused import changed the book")
	}

	rep, err := dst.Import(bytes.NewReader(exp.Bytes()), contacts.MergeKeep)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(rep.Added, rep.Unchanged, rep.Kept, rep.Replaced) != "[alice] [carol] [bob] []" {
		t.Fatalf("keep: %+v", rep)
	}
	if c, _ := dst.Get("bob"); c.Address != addr("akash", 9) {
		t.Fatalf("MergeKeep replaced bob: %+v", c)
	}
	rep, err = dst.Import(bytes.NewReader(exp.Bytes()), contacts.MergeReplace)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(rep.Added, rep.Unchanged, rep.Kept, rep.Replaced) != "[] [alice carol] [] [bob]" {
		t.Fatalf("replace: %+v", rep)
	}
	var again bytes.Buffer
	if err := dst.Export(&again); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again.Bytes(), exp.Bytes()) {
		t.Fatalf("after replacing, the book differs from the export:\n%s\n---\n%s", again.Bytes(), exp.Bytes())
	}
}

// One bad entry refuses the whole file, and the error names it.
func TestImportRefusesWholeFileOnFirstBadEntry(t *testing.T) {
	b, _ := book(t)
	bad := `{"version": 1, "contacts": [
		{"name": "alice", "address": "` + addr("akash", 1) + `"},
		{"name": "eve", "address": "` + addr("cosmos", 2) + `"},
		{"name": "bad name", "address": "` + addr("akash", 3) + `"}
	]}`
	_, err := b.Import(strings.NewReader(bad), contacts.MergeReplace)
	var fe *contacts.FileError
	if !errors.As(err, &fe) || fe.Entry != 2 || fe.Name != "eve" || !errors.Is(err, address.ErrOtherChain) || !errors.Is(err, contacts.ErrBadFile) {
		t.Fatalf("got %v", err)
	}
	if !strings.Contains(err.Error(), `entry 2 ("eve")`) || !strings.Contains(fe.Hint(), "nothing was imported") {
		t.Fatalf("message %q, hint %q", err, fe.Hint())
	}
	if errkind.KindOf(err) != errkind.Usage {
		t.Fatalf("kind %v", errkind.KindOf(err))
	}
	if _, serr := os.Stat(b.Path()); !errors.Is(serr, os.ErrNotExist) {
		t.Fatal("a refused import wrote the book")
	}

	for _, tc := range []struct{ name, file, want string }{
		{"duplicate", `{"version":1,"contacts":[{"name":"a","address":"` + addr("akash", 1) + `"},{"name":"A","address":"` + addr("akash", 2) + `"}]}`, `entry 2 ("a")`},
		{"unknown field", `{"version":1,"contacts":[],"extra":1}`, "unknown field"},
		{"no version", `{"contacts":[]}`, `no "version"`},
		{"future version", `{"version":2,"contacts":[]}`, "version 2"},
		{"trailing", `{"version":1,"contacts":[]} {}`, "after the JSON"},
		{"not json", `name,address`, "not a contacts file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := b.Import(strings.NewReader(tc.file), contacts.MergeReplace)
			if !errors.Is(err, contacts.ErrBadFile) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
}

// A book file damaged or edited by hand into an invalid state is refused
// with the entry named, and nothing writes over it.
func TestDamagedBookIsRefused(t *testing.T) {
	b, dir := book(t)
	if _, err := b.Add(contacts.Contact{Name: "alice", Address: addr("akash", 1)}); err != nil {
		t.Fatal(err)
	}
	damaged := []byte(`{"version": 1, "contacts": [{"name": "alice", "address": "akash1qqqq"}]}`)
	if err := os.WriteFile(b.Path(), damaged, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := b.List()
	var fe *contacts.FileError
	if !errors.As(err, &fe) || fe.Path != filepath.Join(dir, contacts.FileName) || fe.Entry != 1 {
		t.Fatalf("list: %v", err)
	}
	if errkind.KindOf(err) != errkind.Failure || !strings.Contains(fe.Hint(), fe.Path) {
		t.Fatalf("kind %v, hint %q", errkind.KindOf(err), fe.Hint())
	}
	if _, err := b.Add(contacts.Contact{Name: "bob", Address: addr("akash", 2)}); !errors.As(err, &fe) {
		t.Fatalf("add to a damaged book: %v", err)
	}
	if got, _ := os.ReadFile(b.Path()); !bytes.Equal(got, damaged) {
		t.Fatal("the damaged file was overwritten")
	}
}

// Writers in parallel (each its own Book, as separate processes would
// be) lose nothing: every add is there at the end.
func TestConcurrentWriters(t *testing.T) {
	_, dir := book(t)
	const n = 24
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := contacts.Open(dir, "akash")
			if _, err := b.Add(contacts.Contact{Name: fmt.Sprintf("c%02d", i), Address: addr("akash", byte(i+1))}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	list, err := contacts.Open(dir, "akash").List()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != n {
		t.Fatalf("%d contacts after %d concurrent adds", len(list), n)
	}
}
