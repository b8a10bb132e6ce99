// Package amount parses and formats token amounts the way people write
// them: "1.5akt" in the display denom or "1500000uakt" in the base denom.
//
// Parsing is strict on purpose. A wallet that guesses what "1,5akt" or
// "1e6uakt" meant can move the wrong amount; every input that is not
// exactly a non-negative decimal followed by a known denom is refused with
// an error that says what is wrong.
package amount

import (
	"errors"
	"fmt"
	"math/big"
	"strings"

	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
)

// Denoms describes a network's token: amounts are stored in Base; people
// think in Display, which is Base × 10^-Exponent.
type Denoms struct {
	Base     string // e.g. "uakt"
	Display  string // e.g. "akt"
	Exponent int    // e.g. 6
	// Tokens are other denoms whose display unit and exponent the chain's
	// proven bank metadata states (denom.Set.Denoms lists them: ACT as
	// act at 6): FormatCoin, Text, Exact and DecText show their amounts
	// in that unit too. A denom neither the network's nor listed here is
	// shown as it is; akw guesses no exponent. Parse and ParseFee read
	// only the network's token (denom.Set.Parse reads the others).
	Tokens []Denoms
}

// Akash is the denom set of every Akash network.
var Akash = Denoms{Base: "uakt", Display: "akt", Exponent: 6}

// Sentinel reasons; every error from Parse is an *Error wrapping one.
var (
	ErrEmpty           = errors.New("no amount given")
	ErrMalformed       = errors.New("not a decimal amount")
	ErrNoDenom         = errors.New("no denom")
	ErrUnknownDenom    = errors.New("unknown denom")
	ErrZero            = errors.New("amount is zero")
	ErrNegative        = errors.New("amount is negative")
	ErrTooManyDecimals = errors.New("too many decimal places")
	ErrOverflow        = errors.New("amount too large")
)

// Error says which input was refused and why, and how to write it instead.
type Error struct {
	Input  string
	Reason error // one of the sentinels above
	Detail string
	hint   string
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("invalid amount %q: %v", e.Input, e.Reason)
	if e.Detail != "" {
		msg += " (" + e.Detail + ")"
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Reason }

// Hint tells the user how to write the amount.
func (e *Error) Hint() string { return e.hint }

// maxInputLen bounds the work done on hostile input; no real amount of
// any token needs more than 100 characters.
const maxInputLen = 100

// maxBits is the largest amount the SDK's math.Int can hold.
const maxBits = 256

// Parse reads a positive amount: "1.5akt", "1500000uakt", "1.5 AKT".
// The result is always in the base denom.
func Parse(s string, d Denoms) (sdk.Coin, error) {
	c, err := parse(s, d)
	if err != nil {
		return sdk.Coin{}, err
	}
	if c.Amount.IsZero() {
		return sdk.Coin{}, d.errf(s, ErrZero, "", "give an amount above zero")
	}
	return c, nil
}

// ParseFee reads a fee, which may be zero ("0uakt") on chains that accept
// it.
func ParseFee(s string, d Denoms) (sdk.Coin, error) { return parse(s, d) }

func (d Denoms) example() string {
	return fmt.Sprintf("write it as 1.5%s or 1500000%s", d.Display, d.Base)
}

func (d Denoms) errf(input string, reason error, detail, hint string) *Error {
	if hint == "" {
		hint = d.example()
	}
	return &Error{Input: input, Reason: reason, Detail: detail, hint: hint}
}

func parse(input string, d Denoms) (sdk.Coin, error) {
	s := strings.TrimSpace(input)
	if s == "" {
		return sdk.Coin{}, d.errf(input, ErrEmpty, "", "")
	}
	if len(s) > maxInputLen {
		return sdk.Coin{}, d.errf(trunc(input), ErrOverflow, "input longer than any real amount", "")
	}
	if s[0] == '-' {
		return sdk.Coin{}, d.errf(input, ErrNegative, "", "amounts are always positive; "+d.example())
	}
	// Split digits[.digits] from the denom.
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
		i++
	}
	num, denom := s[:i], strings.TrimSpace(s[i:])
	if num == "" {
		return sdk.Coin{}, d.errf(input, ErrMalformed, "it must start with digits", "")
	}
	if denom == "" {
		return sdk.Coin{}, d.errf(input, ErrNoDenom, "", d.example())
	}
	intPart, frac, hasDot := strings.Cut(num, ".")
	if intPart == "" || (hasDot && frac == "") || strings.Contains(frac, ".") {
		return sdk.Coin{}, d.errf(input, ErrMalformed, "write digits on both sides of a single decimal point", "")
	}
	if !validDenomText(denom) {
		return sdk.Coin{}, d.errf(input, ErrMalformed, fmt.Sprintf("unexpected %q after the number", denom), "")
	}

	var exp int
	switch strings.ToLower(denom) {
	case strings.ToLower(d.Base):
		exp = 0
	case strings.ToLower(d.Display):
		exp = d.Exponent
	default:
		return sdk.Coin{}, d.errf(input, ErrUnknownDenom, fmt.Sprintf("%q is not %s or %s", denom, d.Display, d.Base), "")
	}

	// Trailing zeros after the point carry no value: "1.500000000akt"
	// is 1.5 AKT and is accepted.
	frac = strings.TrimRight(frac, "0")
	if len(frac) > exp {
		unit := d.Base
		if exp > 0 {
			unit = fmt.Sprintf("%s has %d", d.Display, exp)
			return sdk.Coin{}, d.errf(input, ErrTooManyDecimals, unit+" decimal places", fmt.Sprintf("the smallest unit is 1%s = 0.%s1%s", d.Base, strings.Repeat("0", exp-1), d.Display))
		}
		return sdk.Coin{}, d.errf(input, ErrTooManyDecimals, unit+" has no decimal places", fmt.Sprintf("give whole %s, or use %s", d.Base, d.Display))
	}
	digits := intPart + frac + strings.Repeat("0", exp-len(frac))
	v, ok := new(big.Int).SetString(digits, 10)
	if !ok {
		return sdk.Coin{}, d.errf(input, ErrMalformed, "", "")
	}
	if v.BitLen() > maxBits-1 {
		return sdk.Coin{}, d.errf(input, ErrOverflow, "", "")
	}
	return sdk.Coin{Denom: d.Base, Amount: sdkmath.NewIntFromBigInt(v)}, nil
}

func validDenomText(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '/') {
			return false
		}
	}
	return true
}

func trunc(s string) string {
	if len(s) > 24 {
		return s[:24] + "…"
	}
	return s
}

// Format writes a base-denom amount in the display denom, exactly, with
// no trailing zeros: 1500000 → "1.5 AKT", 1 → "0.000001 AKT".
func Format(v sdkmath.Int, d Denoms) string {
	return FormatDisplay(v, d) + " " + strings.ToUpper(d.Display)
}

// FormatDisplay is Format without the denom.
func FormatDisplay(v sdkmath.Int, d Denoms) string {
	neg := v.IsNegative()
	b := v.Abs().BigInt().String()
	if d.Exponent > 0 {
		if len(b) <= d.Exponent {
			b = strings.Repeat("0", d.Exponent-len(b)+1) + b
		}
		ip, fp := b[:len(b)-d.Exponent], strings.TrimRight(b[len(b)-d.Exponent:], "0")
		b = ip
		if fp != "" {
			b += "." + fp
		}
	}
	if neg {
		b = "-" + b
	}
	return b
}

// FormatCoin writes a coin: in its display denom when it is the
// network's token or one of d.Tokens ("1.5 ACT"), else the raw coin
// ("5uxyz").
func FormatCoin(c sdk.Coin, d Denoms) string {
	if c.Denom == d.Base {
		return Format(c.Amount, d)
	}
	if t, ok := d.Lookup(c.Denom); ok {
		return Format(c.Amount, t)
	}
	return c.Amount.String() + c.Denom
}

// FormatCoins writes coins separated by ", "; no coins is "0 AKT".
func FormatCoins(cs sdk.Coins, d Denoms) string {
	if len(cs) == 0 {
		return Format(sdkmath.ZeroInt(), d)
	}
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = FormatCoin(c, d)
	}
	return strings.Join(parts, ", ")
}

// known reports whether denom is the network's token with a display
// form.
func (d Denoms) known(denom string) bool {
	return denom == d.Base && d.Display != "" && d.Exponent > 0
}

// Lookup finds the display form of denom: the network's token, or one of
// d.Tokens with a display form. Only then does akw convert; it knows no
// other denom's exponent.
func (d Denoms) Lookup(denom string) (Denoms, bool) {
	if d.known(denom) {
		return d, true
	}
	for _, t := range d.Tokens {
		if t.known(denom) {
			return t, true
		}
	}
	return Denoms{}, false
}

// Text shows an amount of denom to people: the network's token, or a
// token of d.Tokens, in its display denom, exactly ("1.5 AKT", "2 ACT");
// any other denom as it is, with a space ("5 uxyz", "7 ibc/27394F..."):
// akw knows no exponent the chain did not state, and a guess — "u" for
// micro — would misstate the amount.
func Text(v sdkmath.Int, denom string, d Denoms) string {
	if t, ok := d.Lookup(denom); ok {
		return Format(v, t)
	}
	return v.String() + " " + denom
}

// Exact is Text with the base amount beside the display form, for
// answers whose exact figure matters: "1.5 AKT (1500000uakt)". Other
// denoms are as Text shows them.
func Exact(v sdkmath.Int, denom string, d Denoms) string {
	if t, ok := d.Lookup(denom); ok {
		return Format(v, t) + " (" + v.String() + denom + ")"
	}
	return Text(v, denom, d)
}

// DecText is Text for a decimal amount (pending rewards): a token with a
// display form rounded down to its base unit, so that nothing is
// overstated; other denoms as the decimal they are, without trailing
// zeros.
func DecText(v sdkmath.LegacyDec, denom string, d Denoms) string {
	if t, ok := d.Lookup(denom); ok {
		return Format(v.TruncateInt(), t)
	}
	s := v.String()
	if strings.Contains(s, ".") {
		s = strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
	}
	return s + " " + denom
}

// ParseGasPrice reads a price per unit of gas in the base denom, such as
// "0.025uakt". The display denom is accepted too ("0.000000025akt").
func ParseGasPrice(input string, d Denoms) (sdk.DecCoin, error) {
	s := strings.TrimSpace(input)
	if s == "" {
		return sdk.DecCoin{}, d.errf(input, ErrEmpty, "", "write it as 0.025"+d.Base)
	}
	if len(s) > maxInputLen {
		return sdk.DecCoin{}, d.errf(trunc(input), ErrOverflow, "", "write it as 0.025"+d.Base)
	}
	if s[0] == '-' {
		return sdk.DecCoin{}, d.errf(input, ErrNegative, "", "write it as 0.025"+d.Base)
	}
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
		i++
	}
	num, denom := s[:i], strings.TrimSpace(s[i:])
	intPart, frac, hasDot := strings.Cut(num, ".")
	if intPart == "" || (hasDot && frac == "") || strings.Contains(frac, ".") {
		return sdk.DecCoin{}, d.errf(input, ErrMalformed, "", "write it as 0.025"+d.Base)
	}
	if denom == "" {
		return sdk.DecCoin{}, d.errf(input, ErrNoDenom, "", "write it as 0.025"+d.Base)
	}
	shift := 0
	switch strings.ToLower(denom) {
	case strings.ToLower(d.Base):
	case strings.ToLower(d.Display):
		shift = d.Exponent
	default:
		return sdk.DecCoin{}, d.errf(input, ErrUnknownDenom, fmt.Sprintf("%q is not %s", denom, d.Base), "write it as 0.025"+d.Base)
	}
	dec, err := sdkmath.LegacyNewDecFromStr(num)
	if err != nil {
		return sdk.DecCoin{}, d.errf(input, ErrMalformed, err.Error(), "write it as 0.025"+d.Base)
	}
	if shift > 0 {
		dec = dec.Mul(sdkmath.LegacyNewDecFromInt(sdkmath.NewIntWithDecimal(1, shift)))
	}
	return sdk.DecCoin{Denom: d.Base, Amount: dec}, nil
}
