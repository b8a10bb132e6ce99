package address

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

var akash = For("akash")

func addr(hrp string, n int) string {
	b := bytes.Repeat([]byte{0x11}, n)
	return Bech32(hrp, b)
}

func flipLast(s string) string {
	last := s[len(s)-1]
	r := byte('q')
	if last == 'q' {
		r = 'p'
	}
	return s[:len(s)-1] + string(r)
}

func TestAccount(t *testing.T) {
	good := addr("akash", 20)
	a, err := Account(good, akash)
	if err != nil || !bytes.Equal(a, bytes.Repeat([]byte{0x11}, 20)) {
		t.Fatalf("Account(%s) = %x, %v", good, a, err)
	}
	if _, err := Account(strings.ToUpper(good), akash); err != nil {
		t.Fatalf("upper case: %v", err)
	}
	if _, err := Account(addr("akash", 32), akash); err != nil {
		t.Fatalf("32-byte module account: %v", err)
	}
	cases := []struct {
		in   string
		want error
	}{
		{"", ErrEmpty},
		{flipLast(good), ErrChecksum},
		{addr("cosmos", 20), ErrOtherChain},
		{addr("osmo", 20), ErrOtherChain},
		{addr("akashvaloper", 20), ErrValidatorNotAccount},
		{addr("akashvalcons", 20), ErrWrongKind},
		{addr("akashpub", 20), ErrWrongKind},
		{addr("akash", 21), ErrLength},
		{"akash1", ErrMalformed},
		{"hello", ErrMalformed},
		{good[:10] + strings.ToUpper(good[10:]), ErrMalformed}, // mixed case
		{good[:len(good)-3] + "bio", ErrMalformed},             // 'b', 'i', 'o' are not bech32 characters
		{strings.Repeat("a", 200), ErrLength},
	}
	for _, c := range cases {
		_, err := Account(c.in, akash)
		if !errors.Is(err, c.want) {
			t.Errorf("Account(%q) = %v, want %v", c.in, err, c.want)
			continue
		}
		var e *Error
		if !errors.As(err, &e) || e.Hint() == "" {
			t.Errorf("Account(%q): no hint", c.in)
		}
	}
}

func TestValidator(t *testing.T) {
	good := addr("akashvaloper", 20)
	if _, err := Validator(good, akash); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		in   string
		want error
	}{
		{addr("akash", 20), ErrAccountNotValidator},
		{addr("cosmosvaloper", 20), ErrOtherChain},
		{flipLast(good), ErrChecksum},
		{addr("akashvalcons", 20), ErrWrongKind},
	}
	for _, c := range cases {
		if _, err := Validator(c.in, akash); !errors.Is(err, c.want) {
			t.Errorf("Validator(%q) = %v, want %v", c.in, err, c.want)
		}
	}
}

// A real mainnet validator address keeps the
// encoding honest against addresses produced by other software.
func TestRealAddresses(t *testing.T) {
	v, err := Validator("akashvaloper14kn0kk33szpwus9nh8n87fjel8djx0y0uzn073", akash)
	if err != nil {
		t.Fatal(err)
	}
	// The operator's own account is the same bytes under the account
	// prefix; as an account it is refused where a validator belongs.
	acc := Bech32("akash", v)
	if _, err := Account(acc, akash); err != nil {
		t.Fatal(err)
	}
	if _, err := Validator(acc, akash); !errors.Is(err, ErrAccountNotValidator) {
		t.Fatal(err)
	}
}

func FuzzAccount(f *testing.F) {
	for _, s := range []string{addr("akash", 20), addr("cosmos", 20), addr("akashvaloper", 20), "akash1", "", "akash1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Account(s, akash)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("untyped error %T", err)
			}
			return
		}
		if len(a) != 20 && len(a) != 32 {
			t.Fatalf("accepted %d bytes", len(a))
		}
		// Accepted input is exactly the canonical encoding (case aside).
		if Bech32("akash", a) != strings.ToLower(strings.TrimSpace(s)) {
			t.Fatalf("accepted %q, which encodes as %q", s, Bech32("akash", a))
		}
	})
}
