package denom

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/tx/amount"
)

// Set is the tokens akw knows on one network at one time, by base denom:
// typically those of an address's proven holdings (state.Holdings) and
// the network's fee token. It is not safe for concurrent use while Add is
// called.
type Set struct {
	tokens map[string]Token
}

// NewSet returns a set of tokens; a later token for the same base
// replaces an earlier one.
func NewSet(tokens ...Token) *Set {
	s := &Set{tokens: map[string]Token{}}
	for _, t := range tokens {
		s.Add(t)
	}
	return s
}

// Add puts t in the set.
func (s *Set) Add(t Token) { s.tokens[t.Base] = t }

// Token is the token of base: Unknown(base) if the set has none (shown in
// base units as it is; never converted on a guess).
func (s *Set) Token(base string) Token {
	if t, ok := s.tokens[base]; ok {
		return t
	}
	return Unknown(base)
}

// Tokens lists the set's tokens by base denom.
func (s *Set) Tokens() []Token {
	out := make([]Token, 0, len(s.tokens))
	for _, t := range s.tokens {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Base < out[j].Base })
	return out
}

// Denoms is network (the network's token, as its flags read amounts)
// with the set's other tokens whose metadata gives a display unit: what
// tx/amount's formatters take to show every amount of those tokens in
// that unit (reviews, history, the TUI). Parsing with it still reads only
// the network's token.
func (s *Set) Denoms(network amount.Denoms) amount.Denoms {
	d := network
	d.Tokens = nil
	for _, t := range s.Tokens() {
		if t.Base != network.Base && t.Metadata && t.Display.Exponent > 0 {
			d.Tokens = append(d.Tokens, t.Denoms())
		}
	}
	return d
}

// Amount shows v base units of base in its display unit, exactly:
// "1.5 ACT", "0.000001 AKT", "250000000 ibc/27394F…" (tx/amount's Text,
// the one formatter, over the set's tokens).
func (s *Set) Amount(v sdkmath.Int, base string) string {
	return amount.Text(v, base, s.Denoms(amount.Denoms{}))
}

// Coin is Amount of a coin.
func (s *Set) Coin(c sdk.Coin) string {
	if c.Amount.IsNil() {
		return "0 " + s.Token(c.Denom).Label()
	}
	return s.Amount(c.Amount, c.Denom)
}

// Coins shows coins separated by ", "; no coins is "none".
func (s *Set) Coins(cs sdk.Coins) string {
	if len(cs) == 0 {
		return "none"
	}
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = s.Coin(c)
	}
	return strings.Join(parts, ", ")
}

// ErrAmbiguous: the unit typed names units of two tokens.
var ErrAmbiguous = errors.New("ambiguous unit")

// Error is an amount refused because of its unit. Reason is
// amount.ErrUnknownDenom or ErrAmbiguous; other refusals are tx/amount's
// *amount.Error.
type Error struct {
	Input  string
	Reason error
	Detail string
	hint   string
}

func (e *Error) Error() string {
	return fmt.Sprintf("invalid amount %q: %v (%s)", e.Input, e.Reason, e.Detail)
}

func (e *Error) Unwrap() error { return e.Reason }

// Hint says how to write the amount.
func (e *Error) Hint() string { return e.hint }

// Kind: the amount as typed cannot be read; the person must write it
// otherwise (exit 2).
func (e *Error) Kind() errkind.Kind { return errkind.Usage }

// Parse reads a positive amount in any unit of a token of the set ("1.5act",
// "1500mact", "1500000uact", "2 AKT", "250ibc/27394F…"); the coin is in
// the token's base denom. Errors are tx/amount's *amount.Error, whose
// Hint says how to write the amount.
func (s *Set) Parse(input string) (sdk.Coin, error) {
	t, unit, err := s.unitOf(input)
	if err != nil {
		return sdk.Coin{}, err
	}
	return amount.Parse(input, amount.Denoms{Base: t.Base, Display: unit.Denom, Exponent: int(unit.Exponent)})
}

// unitOf finds the token and unit the input's denom names, ignoring case.
func (s *Set) unitOf(input string) (Token, Unit, error) {
	typed := strings.TrimSpace(input)
	i := 0
	for i < len(typed) && (typed[i] >= '0' && typed[i] <= '9' || typed[i] == '.' || typed[i] == '-') {
		i++
	}
	name := strings.ToLower(strings.TrimSpace(typed[i:]))
	if name == "" || i == 0 || strings.TrimLeft(name, "abcdefghijklmnopqrstuvwxyz0123456789/") != "" {
		// No amount, no unit, or text no unit is made of: tx/amount words
		// the error.
		t := s.example()
		return t, t.Display, nil
	}
	type match struct {
		t Token
		u Unit
	}
	var found []match
	for _, t := range s.Tokens() {
		for _, u := range t.Units {
			for _, n := range append([]string{u.Denom}, u.Aliases...) {
				if strings.ToLower(n) == name {
					found = append(found, match{t, Unit{Denom: n, Exponent: u.Exponent}})
				}
			}
		}
	}
	switch len(found) {
	case 0:
		return Token{}, Unit{}, &Error{Input: input, Reason: amount.ErrUnknownDenom,
			Detail: fmt.Sprintf("%q is not a unit of any token here", strings.TrimSpace(typed[i:])),
			hint:   "write the amount in one of the " + s.unitList() + " (" + s.example().example() + ")"}
	case 1:
		return found[0].t, found[0].u, nil
	}
	var bases []string
	for _, m := range found {
		bases = append(bases, m.t.Base)
	}
	return Token{}, Unit{}, &Error{Input: input, Reason: ErrAmbiguous,
		Detail: fmt.Sprintf("%q is a unit of %s", strings.TrimSpace(typed[i:]), strings.Join(bases, " and ")),
		hint:   "write the amount in the base unit of the token meant: " + strings.Join(bases, " or ")}
}

// example is a token to word errors about input with no unit: the first
// token with a display unit, else the first token.
func (s *Set) example() Token {
	ts := s.Tokens()
	for _, t := range ts {
		if t.Display.Exponent > 0 {
			return t
		}
	}
	if len(ts) > 0 {
		return ts[0]
	}
	return Unknown("uakt")
}

// example shows how to write an amount of t.
func (t Token) example() string {
	if t.Display.Exponent == 0 {
		return "for example 100" + t.Base
	}
	return fmt.Sprintf("for example 1.5%s or %s%s", t.Display.Denom, amount.FormatDisplay(sdkmath.NewIntWithDecimal(15, int(t.Display.Exponent)-1), amount.Denoms{Base: t.Base}), t.Base)
}

// unitList names the units one can type, for errors.
func (s *Set) unitList() string {
	var names []string
	for _, t := range s.Tokens() {
		for _, u := range t.Units {
			names = append(names, u.Denom)
		}
	}
	if len(names) == 0 {
		return "units of a token this address holds"
	}
	return "units " + strings.Join(names, ", ")
}
