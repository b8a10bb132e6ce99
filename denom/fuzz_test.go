package denom

import (
	"errors"
	"strings"
	"testing"

	sdkmath "cosmossdk.io/math"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/akash-wallet/akw/tx/amount"
)

// FuzzParse feeds user input to a set with AKT, ACT and an IBC voucher:
// no panic; every refusal is typed with a hint; what is accepted is a
// positive coin of a token of the set, which Amount shows and Parse reads
// back to the same coin.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"1.5act", "1500mact", "1.5 ACT", "250" + ibc, "1.5" + ibc, "0act", "-1act", "1,5act", "", "act", "1e6uact", " 2 AKT ", "1.0000001akt", "99999999999999999999999999999999999999999999999999999999999999999999999999999uakt"} {
		f.Add(s)
	}
	s := akashSet()
	f.Fuzz(func(t *testing.T, in string) {
		c, err := s.Parse(in)
		if err != nil {
			var ae *amount.Error
			var de *Error
			if !errors.As(err, &ae) && !errors.As(err, &de) {
				t.Fatalf("untyped error %T %v", err, err)
			}
			var h interface{ Hint() string }
			if !errors.As(err, &h) || h.Hint() == "" {
				t.Fatalf("no hint: %v", err)
			}
			return
		}
		if !c.Amount.IsPositive() || (c.Denom != "uakt" && c.Denom != "uact" && c.Denom != ibc) {
			t.Fatalf("Parse(%q) = %v", in, c)
		}
		back, err := s.Parse(s.Coin(c))
		if err != nil || !back.Equal(c) {
			t.Fatalf("round trip of %q: %q -> %v, %v", in, s.Coin(c), back, err)
		}
	})
}

// FuzzDescribe feeds metadata bytes, as the bank store would hold them, to
// Describe: a chain's governance sets metadata, so akw may meet anything.
// No panic; a token either uses the metadata consistently (every unit
// reads back what Amount shows) or falls back to its base denom.
func FuzzDescribe(f *testing.F) {
	for _, md := range []*banktypes.Metadata{aktMetadata(), actMetadata(), {Base: "uxyz"}, {Base: "uxyz", DenomUnits: []*banktypes.DenomUnit{{Denom: "uxyz"}, {Denom: "xyz", Exponent: 36}}}} {
		bz, err := md.Marshal()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(bz, int64(1_500_000))
	}
	f.Fuzz(func(t *testing.T, bz []byte, v int64) {
		var md banktypes.Metadata
		if err := md.Unmarshal(bz); err != nil {
			return
		}
		if v <= 0 {
			v = 1
		}
		tok := Describe(md.Base, &md)
		if tok.Base != md.Base || len(tok.Units) == 0 || tok.Display.Exponent > MaxExponent {
			t.Fatalf("token %+v from %+v", tok, md)
		}
		if !tok.Metadata && (tok.Display.Denom != md.Base || tok.Display.Exponent != 0) {
			t.Fatalf("unused metadata, yet converted: %+v", tok)
		}
		s := NewSet(tok)
		shown := s.Amount(sdkmath.NewInt(v), md.Base)
		if strings.ContainsAny(md.Base, " \t\n") || md.Base == "" {
			return // not a denom anyone can type
		}
		c, err := s.Parse(shown)
		if err != nil {
			// Units with characters amounts cannot carry ("." or "-")
			// are shown but not typed; anything else must read back.
			if strings.ContainsAny(tok.Label(), ".-_:") || !validName(tok.Label()) {
				return
			}
			if errors.Is(err, ErrAmbiguous) {
				return
			}
			t.Fatalf("%q (token %+v) does not read back: %v", shown, tok, err)
		}
		if c.Denom != md.Base || c.Amount.Int64() != v {
			t.Fatalf("%q read back as %v", shown, c)
		}
	})
}

func validName(s string) bool {
	return s != "" && strings.Trim(strings.ToLower(s), "abcdefghijklmnopqrstuvwxyz0123456789/") == ""
}
