// Package denom turns the bank's denom metadata, as the chain states it
// (proven by lightclient/state), into the units akw shows amounts in and
// reads them from: "1.5 AKT" for 1500000uakt, "2 ACT" for 2000000uact,
// and "250000000 ibc/27394F…" for a voucher whose metadata nobody stored.
//
// # The unit akw shows
//
// A token's display unit is chosen from its metadata, and from nothing
// else:
//
//  1. the unit the metadata's Display names, when its exponent is above
//     zero (AKT: Display "akt", exponent 6);
//  2. otherwise the listed unit with the largest exponent. Mainnet's
//     v2.0.0 upgrade stores ACT with Display "uact", its base unit, and
//     units uact/mact/act at 0/3/6: shown as Display says, ACT balances
//     would read in millionths ("10000000000 uact"), which no one means
//     when they say "10,000 ACT". The largest unit is one the chain lists,
//     not a guess; Token.Note says the choice was made;
//  3. a token with no metadata, or only units of exponent 0, or metadata
//     that contradicts itself (see Describe) is shown in its base denom,
//     as it is. Nothing ever gets an exponent the chain did not state:
//     the "u" of "uxyz" means nothing to akw.
//
// Amounts are exact: no rounding, no grouping, trailing zeros dropped.
//
// # Reading amounts
//
// Set.Parse reads "1.5act", "1500mact", "1500000uact", "1.5 ACT" or
// "250ibc/27394F…" — any unit or alias the metadata lists, in any case,
// or the base denom of a token without metadata — strictly, as
// tx/amount does (which it uses): a number with more decimals than the
// unit allows is refused, never rounded.
package denom

import (
	"fmt"
	"sort"
	"strings"

	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/akash-wallet/akw/tx/amount"
)

// MaxExponent bounds the exponents akw accepts from metadata: no token in
// use has more than 18 decimals, and a made-up exponent of four billion
// would make every amount a four-billion-digit string.
const MaxExponent = 36

// Unit is one unit of a token: 1 Unit is 10^Exponent base units.
type Unit struct {
	Denom    string   `json:"denom"`
	Exponent uint32   `json:"exponent"`
	Aliases  []string `json:"aliases,omitempty"`
}

// Token is how akw shows and reads amounts of one base denom.
type Token struct {
	// Base is the denom the chain counts in ("uakt", "uact", "ibc/…").
	Base string `json:"base"`
	// Display is the unit amounts are shown in (see the package doc);
	// the base unit itself when the token has no usable metadata.
	Display Unit `json:"display"`
	// Units are every unit the metadata lists, by ascending exponent;
	// only the base unit for a token without metadata.
	Units []Unit `json:"units"`
	// Symbol is the metadata's symbol ("ACT"), if any. Labels use the
	// display unit, which is what people type back.
	Symbol string `json:"symbol,omitempty"`
	// Metadata is true when the token's units come from the chain's
	// metadata; false: shown and read in the base denom only.
	Metadata bool `json:"metadata"`
	// Note says, for people, why the display unit is not the metadata's
	// Display, or why the metadata was not used; "" otherwise.
	Note string `json:"note,omitempty"`
}

// Unknown is a token with no metadata: amounts are shown and read in
// base units.
func Unknown(base string) Token {
	u := Unit{Denom: base}
	return Token{Base: base, Display: u, Units: []Unit{u}}
}

// Describe makes the token of base from its bank metadata, md nil meaning
// the chain holds none (its absence proven). Metadata that cannot be
// trusted to mean one thing — another base, no base unit of exponent 0, an
// exponent above MaxExponent, two units or aliases of the same name — is
// not used: the token is Unknown, with Note saying why.
func Describe(base string, md *banktypes.Metadata) Token {
	if md == nil {
		return Unknown(base)
	}
	units, err := checkUnits(base, md)
	if err != nil {
		t := Unknown(base)
		t.Note = fmt.Sprintf("the chain's metadata of %s is not used (%v): amounts are in %s", base, err, base)
		return t
	}
	t := Token{Base: base, Units: units, Symbol: md.Symbol, Metadata: true}
	largest := units[len(units)-1]
	for _, u := range units {
		if u.Denom == md.Display && u.Exponent > 0 {
			t.Display = u
			return t
		}
	}
	t.Display = largest
	switch {
	case largest.Exponent == 0:
		t.Display = units[0]
	case md.Display == base:
		t.Note = fmt.Sprintf("the chain's metadata names %s, the base unit, as the display unit; amounts are shown in %s, the largest unit it lists (1%s = 10^%d%s)",
			base, largest.Denom, largest.Denom, largest.Exponent, base)
	default:
		t.Note = fmt.Sprintf("the chain's metadata names %q, which it does not list, as the display unit; amounts are shown in %s, the largest unit it lists (1%s = 10^%d%s)",
			md.Display, largest.Denom, largest.Denom, largest.Exponent, base)
	}
	return t
}

// checkUnits returns md's units by ascending exponent, or why they
// cannot be used.
func checkUnits(base string, md *banktypes.Metadata) ([]Unit, error) {
	if md.Base != base {
		return nil, fmt.Errorf("it is the metadata of %q", md.Base)
	}
	seen := map[string]bool{}
	var units []Unit
	hasBase := false
	for _, du := range md.DenomUnits {
		if du == nil {
			return nil, fmt.Errorf("an empty unit")
		}
		if du.Exponent > MaxExponent {
			return nil, fmt.Errorf("unit %q has exponent %d, above %d", du.Denom, du.Exponent, MaxExponent)
		}
		for _, name := range append([]string{du.Denom}, du.Aliases...) {
			k := strings.ToLower(strings.TrimSpace(name))
			if k == "" {
				return nil, fmt.Errorf("a unit without a name")
			}
			if seen[k] {
				return nil, fmt.Errorf("two units named %q", name)
			}
			seen[k] = true
		}
		if du.Denom == base {
			if du.Exponent != 0 {
				return nil, fmt.Errorf("the base unit has exponent %d", du.Exponent)
			}
			hasBase = true
		}
		units = append(units, Unit{Denom: du.Denom, Exponent: du.Exponent, Aliases: append([]string(nil), du.Aliases...)})
	}
	if !hasBase {
		return nil, fmt.Errorf("no unit %s of exponent 0", base)
	}
	sort.SliceStable(units, func(i, j int) bool { return units[i].Exponent < units[j].Exponent })
	for i := 1; i < len(units); i++ {
		if units[i].Exponent == units[i-1].Exponent {
			return nil, fmt.Errorf("units %q and %q have the same exponent", units[i-1].Denom, units[i].Denom)
		}
	}
	return units, nil
}

// Label is the unit's name as amounts show it: the display unit in
// capitals ("AKT", "ACT") when it is not the base unit; the base denom as
// it is otherwise ("uxyz", "ibc/27394F…": a hash keeps its case).
func (t Token) Label() string {
	if t.Display.Exponent == 0 {
		return t.Base
	}
	return strings.ToUpper(t.Display.Denom)
}

// Denoms is the token as tx/amount describes a network's fee token: base
// and display unit with its exponent.
func (t Token) Denoms() amount.Denoms {
	return amount.Denoms{Base: t.Base, Display: t.Display.Denom, Exponent: int(t.Display.Exponent)}
}
