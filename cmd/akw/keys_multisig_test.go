package main

import (
	"strings"
	"testing"
)

// splitMembers reads what the user typed after --multisig: commas split
// members, except inside a public key's JSON.
func TestSplitMembers(t *testing.T) {
	pk := `{"@type":"/cosmos.crypto.secp256k1.PubKey","key":"A9DL"}`
	for _, c := range []struct {
		in   []string
		want []string
	}{
		{[]string{"a,b,c"}, []string{"a", "b", "c"}},
		{[]string{"a", "b, c "}, []string{"a", "b", "c"}},
		{[]string{"a," + pk + ",c"}, []string{"a", pk, "c"}},
		{[]string{pk}, []string{pk}},
		{[]string{"a,,b"}, []string{"a", "", "b"}},
		{[]string{"}a,b"}, []string{"}a", "b"}},
	} {
		got := splitMembers(c.in)
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("splitMembers(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// FuzzSplitMembers: any input splits without a panic, and no member
// holds a comma outside braces.
func FuzzSplitMembers(f *testing.F) {
	f.Add("a,b,c")
	f.Add(`hw,{"@type":"/cosmos.crypto.secp256k1.PubKey","key":"A9DL"},desk`)
	f.Add("{{,}},}{,")
	f.Fuzz(func(t *testing.T, s string) {
		members := splitMembers([]string{s})
		if len(members) == 0 {
			t.Fatal("no member at all")
		}
		for _, m := range members {
			depth := 0
			for _, r := range m {
				switch r {
				case '{':
					depth++
				case '}':
					if depth > 0 {
						depth--
					}
				case ',':
					if depth == 0 {
						t.Fatalf("member %q of %q holds a comma outside braces", m, s)
					}
				}
			}
		}
	})
}
