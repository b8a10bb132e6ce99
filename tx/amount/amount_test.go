package amount

import (
	"errors"
	"strings"
	"testing"

	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
)

func TestParse(t *testing.T) {
	ok := []struct {
		in   string
		want string // base amount
	}{
		{"1.5akt", "1500000"},
		{"1500000uakt", "1500000"},
		{"1.5 AKT", "1500000"},
		{" 2akt ", "2000000"},
		{"0.000001akt", "1"},
		{"1.500000000akt", "1500000"}, // trailing zeros carry no value
		{"1uakt", "1"},
		{"1UAKT", "1"},
		{"000012uakt", "12"},
		{"1000000000000akt", "1000000000000000000"},
	}
	for _, c := range ok {
		got, err := Parse(c.in, Akash)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.in, err)
			continue
		}
		if got.Denom != "uakt" || got.Amount.String() != c.want {
			t.Errorf("Parse(%q) = %s, want %suakt", c.in, got, c.want)
		}
	}

	bad := []struct {
		in   string
		want error
	}{
		{"", ErrEmpty},
		{"   ", ErrEmpty},
		{"0akt", ErrZero},
		{"0uakt", ErrZero},
		{"0.000000akt", ErrZero},
		{"-1akt", ErrNegative},
		{"-0.5uakt", ErrNegative},
		{"1.0000001akt", ErrTooManyDecimals},
		{"1.5uakt", ErrTooManyDecimals},
		{"1.5atom", ErrUnknownDenom},
		{"1.5uatom", ErrUnknownDenom},
		{"1.5", ErrNoDenom},
		{"100", ErrNoDenom},
		{"akt", ErrMalformed},
		{".5akt", ErrMalformed},
		{"5.akt", ErrMalformed},
		{"1.2.3akt", ErrMalformed},
		{"1,5akt", ErrMalformed},
		{"1e6uakt", ErrUnknownDenom}, // "e6uakt" is not a denom
		{"+1akt", ErrMalformed},
		{"1 akt extra", ErrMalformed},
		{"0x10uakt", ErrUnknownDenom},
		{"1_000uakt", ErrMalformed},
		{"１akt", ErrMalformed}, // full-width digit
		{strings.Repeat("9", 78) + "uakt", ErrOverflow},
		{strings.Repeat("9", 120) + "uakt", ErrOverflow},
	}
	for _, c := range bad {
		_, err := Parse(c.in, Akash)
		if !errors.Is(err, c.want) {
			t.Errorf("Parse(%q) = %v, want %v", c.in, err, c.want)
			continue
		}
		var e *Error
		if !errors.As(err, &e) || e.Hint() == "" {
			t.Errorf("Parse(%q): no hint in %v", c.in, err)
		}
	}
}

func TestParseFeeAllowsZero(t *testing.T) {
	c, err := ParseFee("0uakt", Akash)
	if err != nil || !c.Amount.IsZero() {
		t.Fatalf("ParseFee(0uakt) = %v, %v", c, err)
	}
	if _, err := ParseFee("-1uakt", Akash); !errors.Is(err, ErrNegative) {
		t.Fatalf("ParseFee(-1uakt) = %v", err)
	}
}

func TestLargestAccepted(t *testing.T) {
	// 2^255-1 is the largest accepted; 2^255 overflows.
	max := sdkmath.NewIntFromBigInt(sdkmath.NewInt(1).BigInt().Lsh(sdkmath.NewInt(1).BigInt(), 255))
	below := max.SubRaw(1)
	if _, err := Parse(below.String()+"uakt", Akash); err != nil {
		t.Fatalf("2^255-1: %v", err)
	}
	if _, err := Parse(max.String()+"uakt", Akash); !errors.Is(err, ErrOverflow) {
		t.Fatalf("2^255: %v", err)
	}
}

func TestFormat(t *testing.T) {
	cases := map[int64]string{0: "0 AKT", 1: "0.000001 AKT", 1500000: "1.5 AKT", 1000000: "1 AKT", 123456789: "123.456789 AKT", -2500000: "-2.5 AKT"}
	for in, want := range cases {
		if got := Format(sdkmath.NewInt(in), Akash); got != want {
			t.Errorf("Format(%d) = %q, want %q", in, got, want)
		}
	}
}

// Parse and Format are inverse on every accepted input.
func TestRoundTrip(t *testing.T) {
	for _, in := range []string{"1akt", "0.000001akt", "123.456789akt", "1000000000akt"} {
		c, err := Parse(in, Akash)
		if err != nil {
			t.Fatal(err)
		}
		back, err := Parse(FormatDisplay(c.Amount, Akash)+"akt", Akash)
		if err != nil || !back.Equal(c) {
			t.Fatalf("%s: %v -> %v (%v)", in, c, back, err)
		}
	}
}

func TestParseGasPrice(t *testing.T) {
	p, err := ParseGasPrice("0.025uakt", Akash)
	if err != nil || p.Denom != "uakt" || p.Amount.String() != "0.025000000000000000" {
		t.Fatalf("got %v, %v", p, err)
	}
	p, err = ParseGasPrice("0.000000025akt", Akash)
	if err != nil || p.Amount.String() != "0.025000000000000000" {
		t.Fatalf("akt: got %v, %v", p, err)
	}
	for in, want := range map[string]error{"": ErrEmpty, "-1uakt": ErrNegative, "0.025": ErrNoDenom, "0.025uatom": ErrUnknownDenom, "x": ErrMalformed} {
		if _, err := ParseGasPrice(in, Akash); !errors.Is(err, want) {
			t.Errorf("ParseGasPrice(%q) = %v, want %v", in, err, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"1.5akt", "1500000uakt", "0akt", "-1akt", "1.0000001akt", "1e6uakt", "", " 1 AKT ", "99999999999999999999999999999999999999999999999999999999999999999999999999999uakt"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Parse(s, Akash)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("untyped error %T %v", err, err)
			}
			return
		}
		if c.Denom != "uakt" || !c.Amount.IsPositive() || c.Amount.BigInt().BitLen() > 255 {
			t.Fatalf("Parse(%q) = %v", s, c)
		}
		// What was accepted formats back to the same amount.
		back, err := Parse(FormatDisplay(c.Amount, Akash)+"akt", Akash)
		if err != nil || !back.Equal(c) {
			t.Fatalf("round trip of %q: %v, %v", s, back, err)
		}
	})
}

// Only the network's token is converted: any other denom is shown as it
// is, never guessed ("uact" is not 10^-6 of an "ACT" akw knows of).
func TestTextConvertsOnlyTheNetworksToken(t *testing.T) {
	d := Akash
	for _, c := range []struct {
		v           int64
		denom       string
		text, exact string
	}{
		{1_500_000, "uakt", "1.5 AKT", "1.5 AKT (1500000uakt)"},
		{1, "uakt", "0.000001 AKT", "0.000001 AKT (1uakt)"},
		{0, "uakt", "0 AKT", "0 AKT (0uakt)"},
		{5_000_000, "uact", "5000000 uact", "5000000 uact"},
		{7, "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2", "7 ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2", "7 ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2"},
	} {
		v := sdkmath.NewInt(c.v)
		if got := Text(v, c.denom, d); got != c.text {
			t.Errorf("Text(%d%s) = %q, want %q", c.v, c.denom, got, c.text)
		}
		if got := Exact(v, c.denom, d); got != c.exact {
			t.Errorf("Exact(%d%s) = %q, want %q", c.v, c.denom, got, c.exact)
		}
	}
	// A network without a display denom shows its base denom as it is.
	if got := Text(sdkmath.NewInt(5), "utest", Denoms{Base: "utest"}); got != "5 utest" {
		t.Errorf("no display denom: %q", got)
	}
	// Decimal amounts never round up.
	if got := DecText(sdkmath.LegacyMustNewDecFromStr("1999999.9"), "uakt", d); got != "1.999999 AKT" {
		t.Errorf("DecText = %q", got)
	}
	if got := DecText(sdkmath.LegacyMustNewDecFromStr("2.50"), "uact", d); got != "2.5 uact" {
		t.Errorf("DecText other = %q", got)
	}
}

// Tokens whose display unit the chain's proven metadata states (d.Tokens)
// are converted by every formatter; any other denom still is not.
func TestTokensFromMetadataAreConverted(t *testing.T) {
	d := Akash
	d.Tokens = []Denoms{{Base: "uact", Display: "act", Exponent: 6}, {Base: "uzero", Display: "uzero"}}
	const ibc = "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2"
	for _, c := range []struct {
		v                 int64
		denom             string
		text, exact, coin string
	}{
		{1_500_000, "uakt", "1.5 AKT", "1.5 AKT (1500000uakt)", "1.5 AKT"},
		{2_000_000, "uact", "2 ACT", "2 ACT (2000000uact)", "2 ACT"},
		{1, "uact", "0.000001 ACT", "0.000001 ACT (1uact)", "0.000001 ACT"},
		// Exponent 0: nothing to convert, shown as it is.
		{5, "uzero", "5 uzero", "5 uzero", "5uzero"},
		{250_000_000, ibc, "250000000 " + ibc, "250000000 " + ibc, "250000000" + ibc},
	} {
		v := sdkmath.NewInt(c.v)
		if got := Text(v, c.denom, d); got != c.text {
			t.Errorf("Text(%d%s) = %q, want %q", c.v, c.denom, got, c.text)
		}
		if got := Exact(v, c.denom, d); got != c.exact {
			t.Errorf("Exact(%d%s) = %q, want %q", c.v, c.denom, got, c.exact)
		}
		if got := FormatCoin(sdk.NewCoin(c.denom, v), d); got != c.coin {
			t.Errorf("FormatCoin(%d%s) = %q, want %q", c.v, c.denom, got, c.coin)
		}
	}
	if got := DecText(sdkmath.LegacyMustNewDecFromStr("2500000.9"), "uact", d); got != "2.5 ACT" {
		t.Errorf("DecText(uact) = %q", got)
	}
	// Parsing stays the network's token's: "1act" is no amount of AKT.
	if _, err := Parse("1act", d); !errors.Is(err, ErrUnknownDenom) {
		t.Errorf("Parse(1act) with ACT among the tokens: %v, want unknown denom", err)
	}
}
