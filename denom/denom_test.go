package denom

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/tx/amount"
)

const ibc = "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2"

func units(base string) []*banktypes.DenomUnit {
	return []*banktypes.DenomUnit{{Denom: "u" + base, Exponent: 0}, {Denom: "m" + base, Exponent: 3}, {Denom: base, Exponent: 6}}
}

// aktMetadata and actMetadata are mainnet's (the devnet stores the same:
// internal/devnet/genesis.go): AKT displayed in akt, ACT with Display
// naming its base unit, as the v2.0.0 upgrade handler stores it.
func aktMetadata() *banktypes.Metadata {
	return &banktypes.Metadata{Base: "uakt", Display: "akt", DenomUnits: units("akt"), Name: "Akash Native Token", Symbol: "AKT"}
}

func actMetadata() *banktypes.Metadata {
	return &banktypes.Metadata{Base: "uact", Display: "uact", DenomUnits: units("act"), Name: "Akash Compute Token", Symbol: "ACT"}
}

func akashSet() *Set {
	return NewSet(Describe("uakt", aktMetadata()), Describe("uact", actMetadata()), Describe(ibc, nil))
}

func TestDescribe(t *testing.T) {
	akt := Describe("uakt", aktMetadata())
	if !akt.Metadata || akt.Display.Denom != "akt" || akt.Display.Exponent != 6 || akt.Note != "" || akt.Label() != "AKT" || len(akt.Units) != 3 {
		t.Fatalf("AKT: %+v", akt)
	}
	if !reflect.DeepEqual(akt.Denoms(), amount.Akash) {
		t.Fatalf("AKT as tx/amount denoms: %+v", akt.Denoms())
	}
	// ACT: Display names the base unit; akw shows act, and says why.
	act := Describe("uact", actMetadata())
	if !act.Metadata || act.Display.Denom != "act" || act.Display.Exponent != 6 || act.Label() != "ACT" || act.Symbol != "ACT" ||
		!strings.Contains(act.Note, "base unit") || !strings.Contains(act.Note, "act") {
		t.Fatalf("ACT: %+v", act)
	}
	// No metadata: the base denom, as it is.
	u := Describe(ibc, nil)
	if u.Metadata || u.Display.Denom != ibc || u.Display.Exponent != 0 || u.Label() != ibc || u.Note != "" {
		t.Fatalf("IBC: %+v", u)
	}
	// A Display the metadata does not list: the largest unit, with a note.
	md := aktMetadata()
	md.Display = "AKT-coin"
	if d := Describe("uakt", md); d.Display.Denom != "akt" || !strings.Contains(d.Note, "does not list") {
		t.Fatalf("unlisted display: %+v", d)
	}
	// Only a base unit: nothing to convert.
	only := &banktypes.Metadata{Base: "uxyz", Display: "uxyz", DenomUnits: []*banktypes.DenomUnit{{Denom: "uxyz"}}}
	if d := Describe("uxyz", only); !d.Metadata || d.Display.Exponent != 0 || d.Label() != "uxyz" || d.Note != "" {
		t.Fatalf("base only: %+v", d)
	}
	// Units out of order are sorted; aliases kept.
	md = aktMetadata()
	md.DenomUnits = []*banktypes.DenomUnit{{Denom: "akt", Exponent: 6, Aliases: []string{"AKASH"}}, {Denom: "uakt"}}
	if d := Describe("uakt", md); d.Display.Denom != "akt" || d.Units[0].Denom != "uakt" || d.Units[1].Aliases[0] != "AKASH" {
		t.Fatalf("unsorted: %+v", d)
	}
}

// Metadata that does not say one thing is not used: the token is shown
// in its base denom, and the note says why.
func TestDescribeRefusesContradictoryMetadata(t *testing.T) {
	for name, mutate := range map[string]func(md *banktypes.Metadata){
		"another base":            func(md *banktypes.Metadata) { md.Base = "uakt" },
		"no base unit":            func(md *banktypes.Metadata) { md.DenomUnits = md.DenomUnits[1:] },
		"base unit of exponent 3": func(md *banktypes.Metadata) { md.DenomUnits[0].Exponent = 3; md.DenomUnits = md.DenomUnits[:1] },
		"two units, one name":     func(md *banktypes.Metadata) { md.DenomUnits[1].Denom = "ACT" },
		"an alias of another unit": func(md *banktypes.Metadata) {
			md.DenomUnits[1].Aliases = []string{"Act"}
		},
		"a blank alias":        func(md *banktypes.Metadata) { md.DenomUnits[2].Aliases = []string{" "} },
		"a huge exponent":      func(md *banktypes.Metadata) { md.DenomUnits[2].Exponent = 4_000_000_000 },
		"two units, one power": func(md *banktypes.Metadata) { md.DenomUnits[1].Exponent = 6 },
		"an empty unit":        func(md *banktypes.Metadata) { md.DenomUnits[1] = nil },
	} {
		md := actMetadata()
		mutate(md)
		d := Describe("uact", md)
		if d.Metadata || d.Display.Denom != "uact" || d.Display.Exponent != 0 || !strings.Contains(d.Note, "not used") {
			t.Errorf("%s: %+v", name, d)
		}
		if got := NewSet(d).Amount(sdkmath.NewInt(1_500_000), "uact"); got != "1500000 uact" {
			t.Errorf("%s: shown as %q", name, got)
		}
	}
}

func TestAmount(t *testing.T) {
	s := akashSet()
	for _, c := range []struct {
		v     int64
		denom string
		want  string
	}{
		{10_000_000_000, "uact", "10000 ACT"},
		{1, "uact", "0.000001 ACT"},
		{1_500_000, "uakt", "1.5 AKT"},
		{0, "uakt", "0 AKT"},
		{250_000_000, ibc, "250000000 " + ibc},
		{5, "ufoo", "5 ufoo"}, // not in the set: as it is, never 0.000005
	} {
		if got := s.Amount(sdkmath.NewInt(c.v), c.denom); got != c.want {
			t.Errorf("%d%s: %q, want %q", c.v, c.denom, got, c.want)
		}
	}
	cs := sdk.NewCoins(sdk.NewInt64Coin("uakt", 2_000_000), sdk.NewInt64Coin("uact", 3_000), sdk.NewInt64Coin(ibc, 7))
	if got := s.Coins(cs); got != "7 "+ibc+", 0.003 ACT, 2 AKT" {
		t.Errorf("coins: %q", got)
	}
	if got := s.Coins(nil); got != "none" {
		t.Errorf("no coins: %q", got)
	}
}

func TestParse(t *testing.T) {
	s := akashSet()
	for in, want := range map[string]sdk.Coin{
		"1.5act":                     sdk.NewInt64Coin("uact", 1_500_000),
		"1.5 ACT":                    sdk.NewInt64Coin("uact", 1_500_000),
		"1500mact":                   sdk.NewInt64Coin("uact", 1_500_000),
		"1.5mact":                    sdk.NewInt64Coin("uact", 1_500),
		"1500000uact":                sdk.NewInt64Coin("uact", 1_500_000),
		"2akt":                       sdk.NewInt64Coin("uakt", 2_000_000),
		"0.000001akt":                sdk.NewInt64Coin("uakt", 1),
		"250" + ibc:                  sdk.NewInt64Coin(ibc, 250),
		"250" + strings.ToLower(ibc): sdk.NewInt64Coin(ibc, 250),
	} {
		got, err := s.Parse(in)
		if err != nil || !got.Equal(want) {
			t.Errorf("Parse(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for in, want := range map[string]error{
		"1.0000001act": amount.ErrTooManyDecimals,
		"1.5" + ibc:    amount.ErrTooManyDecimals, // no exponent known: whole units only
		"0act":         amount.ErrZero,
		"-1act":        amount.ErrNegative,
		"":             amount.ErrEmpty,
		"act":          amount.ErrMalformed,
		"1.5":          amount.ErrNoDenom,
		"1.5atom":      amount.ErrUnknownDenom,
		"1.5ufoo":      amount.ErrUnknownDenom,
		"1,5act":       amount.ErrMalformed,
	} {
		_, err := s.Parse(in)
		if !errors.Is(err, want) {
			t.Errorf("Parse(%q) = %v, want %v", in, err, want)
		}
		var h interface{ Hint() string }
		if err != nil && (!errors.As(err, &h) || h.Hint() == "") {
			t.Errorf("Parse(%q): no hint in %v", in, err)
		}
	}
	_, err := s.Parse("1.5atom")
	var h interface{ Hint() string }
	if !errors.As(err, &h) || !strings.Contains(h.Hint(), "uact, mact, act") || errkind.KindOf(err) != errkind.Usage {
		t.Errorf("unknown unit hint: %v", err)
	}

	// A unit two tokens share cannot say which is meant.
	a := &banktypes.Metadata{Base: "uaa", Display: "xx", DenomUnits: []*banktypes.DenomUnit{{Denom: "uaa"}, {Denom: "xx", Exponent: 6}}}
	b := &banktypes.Metadata{Base: "ubb", Display: "bb", DenomUnits: []*banktypes.DenomUnit{{Denom: "ubb"}, {Denom: "bb", Exponent: 6, Aliases: []string{"XX"}}}}
	_, err = NewSet(Describe("uaa", a), Describe("ubb", b)).Parse("1xx")
	if !errors.Is(err, ErrAmbiguous) || !errors.As(err, &h) || !strings.Contains(h.Hint(), "uaa or ubb") {
		t.Errorf("ambiguous: %v", err)
	}
	// An alias is a unit too.
	if c, err := NewSet(Describe("ubb", b)).Parse("2XX"); err != nil || !c.Equal(sdk.NewInt64Coin("ubb", 2_000_000)) {
		t.Errorf("alias: %v, %v", c, err)
	}
}

// What Amount shows, Parse reads back to the same coin, for every unit.
func TestAmountParseRoundTrip(t *testing.T) {
	s := akashSet()
	for _, v := range []int64{1, 7, 999, 1_000, 1_500_000, 123_456_789_012} {
		for _, d := range []string{"uakt", "uact", ibc} {
			c := sdk.NewInt64Coin(d, v)
			back, err := s.Parse(s.Coin(c))
			if err != nil || !back.Equal(c) {
				t.Errorf("%s -> %q -> %v, %v", c, s.Coin(c), back, err)
			}
		}
	}
}

// A set's Denoms carries its tokens with a display unit to tx/amount's
// formatters; the network's token stays first, and tokens without
// metadata are left out (shown as they are).
func TestSetDenoms(t *testing.T) {
	act := Describe("uact", &banktypes.Metadata{Base: "uact", Display: "uact", DenomUnits: []*banktypes.DenomUnit{
		{Denom: "uact", Exponent: 0}, {Denom: "mact", Exponent: 3}, {Denom: "act", Exponent: 6}}})
	s := NewSet(act, Unknown(ibc), Unknown("uakt"))
	d := s.Denoms(amount.Akash)
	if d.Base != "uakt" || d.Exponent != 6 || len(d.Tokens) != 1 || !reflect.DeepEqual(d.Tokens[0], amount.Denoms{Base: "uact", Display: "act", Exponent: 6}) {
		t.Fatalf("Denoms = %+v", d)
	}
	if got := amount.FormatCoins(sdk.NewCoins(sdk.NewInt64Coin("uact", 2_500_000), sdk.NewInt64Coin("uakt", 1), sdk.NewInt64Coin(ibc, 7)), d); got != "7"+ibc+", 2.5 ACT, 0.000001 AKT" {
		t.Errorf("FormatCoins = %q", got)
	}
}
