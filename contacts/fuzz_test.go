package contacts_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/akash-wallet/akw/contacts"
	"github.com/akash-wallet/akw/tx/address"
)

// FuzzParse feeds arbitrary bytes to the contacts file parser (the book's
// own file and every import go through it). Whatever the bytes: no panic;
// a refusal is a *FileError; an accepted file holds only valid contacts
// with distinct names, and Format then Parse gives the same contacts.
func FuzzParse(f *testing.F) {
	a1 := address.Bech32("akash", bytes.Repeat([]byte{1}, 20))
	a2 := address.Bech32("akash", bytes.Repeat([]byte{2}, 32))
	for _, s := range []string{
		``,
		`{}`,
		`{"version":1,"contacts":[]}`,
		`{"version":1,"contacts":[{"name":"alice","address":"` + a1 + `","memo":"104983"}]}`,
		`{"version":1,"contacts":[{"name":"Bob.Cold","address":"` + a2 + `"},{"name":"alice","address":"` + a1 + `"}]}`,
		`{"version":1,"contacts":[{"name":"a","address":"` + a1 + `"},{"name":"A","address":"` + a1 + `"}]}`,
		`{"version":1,"contacts":[{"name":"a","address":"` + a1 + `","memo":"\u2028"}]}`,
		`{"version":1,"contacts":null}`,
		`{"version":1.5}`,
		`{"version":1,"contacts":[{"name":"a","address":"cosmos1qyqszqgpqyqszqgpqyqszqgpqyqszqgpjnp7du"}]}`,
		`[{"name":"a"}]`,
	} {
		f.Add([]byte(s))
	}
	p := address.For("akash")
	f.Fuzz(func(t *testing.T, data []byte) {
		cs, err := contacts.Parse(data, p)
		if err != nil {
			var fe *contacts.FileError
			if !errors.As(err, &fe) || !errors.Is(err, contacts.ErrBadFile) {
				t.Fatalf("refusal is not a *FileError: %T %v", err, err)
			}
			if cs != nil {
				t.Fatal("contacts returned with an error")
			}
			return
		}
		seen := map[string]bool{}
		for _, c := range cs {
			v, err := contacts.Validate(c, p)
			if err != nil || v != c {
				t.Fatalf("accepted an entry that does not validate as stored: %+v (%v)", c, err)
			}
			if seen[c.Name] {
				t.Fatalf("name %q twice", c.Name)
			}
			seen[c.Name] = true
		}
		again, err := contacts.Parse(contacts.Format(cs), p)
		if err != nil {
			t.Fatalf("Format's output does not parse: %v", err)
		}
		if len(again) != len(cs) {
			t.Fatalf("round trip: %d contacts, then %d", len(cs), len(again))
		}
		for i := range cs {
			if again[i] != cs[i] {
				t.Fatalf("round trip changed %+v to %+v", cs[i], again[i])
			}
		}
	})
}
