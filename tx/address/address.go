// Package address checks the bech32 addresses a user types before any
// money moves to them: the checksum, the chain they belong to, and
// whether they are an account or a validator operator.
package address

import (
	"errors"
	"fmt"
	"strings"

	"github.com/cosmos/btcutil/bech32"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-wallet/akw/errkind"
)

// Sentinel reasons; every error of this package is an *Error wrapping one.
var (
	ErrEmpty      = errors.New("no address given")
	ErrMalformed  = errors.New("not a bech32 address")
	ErrChecksum   = errors.New("bad checksum (a character is mistyped or missing)")
	ErrOtherChain = errors.New("address of another chain")
	// ErrValidatorNotAccount: a validator operator address where an
	// account address belongs (sending to a valoper address loses funds
	// on most wallets' view of them).
	ErrValidatorNotAccount = errors.New("validator operator address where an account address belongs")
	// ErrAccountNotValidator: an account address where a validator
	// operator address belongs.
	ErrAccountNotValidator = errors.New("account address where a validator operator address belongs")
	// ErrWrongKind: a consensus address or a public key, not an address
	// one can send to or delegate to.
	ErrWrongKind = errors.New("not an account or validator operator address")
	ErrLength    = errors.New("wrong length")
)

// Error says which input was refused, why, and what to do.
type Error struct {
	Input  string
	Reason error
	Detail string
	hint   string
	then   errkind.Remedy
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("invalid address %q: %v", e.Input, e.Reason)
	if e.Detail != "" {
		msg += " (" + e.Detail + ")"
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Reason }

// Hint tells the user how to fix the input.
func (e *Error) Hint() string { return e.hint }

// Remedy is the step to take, when a face can name it.
func (e *Error) Remedy() errkind.Remedy { return e.then }

// Prefixes are a chain's bech32 human-readable parts.
type Prefixes struct {
	Account   string // akash
	Validator string // akashvaloper
}

// For returns the prefixes derived from an account prefix the way every
// Cosmos SDK chain derives them.
func For(account string) Prefixes {
	return Prefixes{Account: account, Validator: account + "valoper"}
}

// Account checks that s is an account address of this chain.
func Account(s string, p Prefixes) (sdk.AccAddress, error) {
	hrp, b, err := decode(s)
	if err != nil {
		return nil, err
	}
	switch hrp {
	case p.Account:
		return sdk.AccAddress(b), nil
	case p.Validator:
		return nil, &Error{Input: s, Reason: ErrValidatorNotAccount,
			hint: "give the account address (" + p.Account + "1...); to stake with this validator, delegate to it"}
	}
	return nil, kindOrChain(s, hrp, p, "an account address ("+p.Account+"1...)")
}

// Validator checks that s is a validator operator address of this chain.
func Validator(s string, p Prefixes) (sdk.ValAddress, error) {
	hrp, b, err := decode(s)
	if err != nil {
		return nil, err
	}
	switch hrp {
	case p.Validator:
		return sdk.ValAddress(b), nil
	case p.Account:
		return nil, &Error{Input: s, Reason: ErrAccountNotValidator,
			hint: "give the validator's operator address (" + p.Validator + "1...)", then: errkind.Remedy{Do: errkind.ShowValidators}}
	}
	return nil, kindOrChain(s, hrp, p, "a validator operator address ("+p.Validator+"1...)")
}

func kindOrChain(s, hrp string, p Prefixes, want string) error {
	for _, suffix := range []string{"valcons", "valconspub", "valoperpub", "pub"} {
		if hrp == p.Account+suffix {
			return &Error{Input: s, Reason: ErrWrongKind, Detail: "prefix " + hrp + " is a " + kindName(suffix),
				hint: "give " + want}
		}
	}
	return &Error{Input: s, Reason: ErrOtherChain,
		Detail: fmt.Sprintf("prefix %q, this network uses %q", hrp, p.Account),
		hint:   "check the address: it belongs to another chain; funds sent across chains this way are lost. Give " + want}
}

func kindName(suffix string) string {
	switch suffix {
	case "valcons":
		return "validator consensus address"
	case "pub", "valoperpub", "valconspub":
		return "public key, not an address"
	}
	return suffix
}

// maxLen is bech32's limit (BIP-173 caps at 90; the SDK allows longer for
// 32-byte module addresses, which still fit in 100).
const maxLen = 100

func decode(input string) (string, []byte, error) {
	s := strings.TrimSpace(input)
	if s == "" {
		return "", nil, &Error{Input: input, Reason: ErrEmpty, hint: "give a bech32 address"}
	}
	if len(s) > maxLen {
		return "", nil, &Error{Input: s[:20] + "…", Reason: ErrLength, hint: "check the address"}
	}
	hrp, data, err := bech32.DecodeNoLimit(s)
	if err != nil {
		var ce bech32.ErrInvalidChecksum
		if errors.As(err, &ce) {
			return "", nil, &Error{Input: s, Reason: ErrChecksum, hint: "copy the address again from its source; do not retype it"}
		}
		return "", nil, &Error{Input: s, Reason: ErrMalformed, Detail: err.Error(), hint: "copy the address again from its source"}
	}
	b, err := bech32.ConvertBits(data, 5, 8, false)
	if err != nil {
		return "", nil, &Error{Input: s, Reason: ErrMalformed, Detail: err.Error(), hint: "copy the address again from its source"}
	}
	// Accounts are 20 bytes (secp256k1) or 32 (module and ICA accounts);
	// anything else is not an address any chain would issue.
	if len(b) != 20 && len(b) != 32 {
		return "", nil, &Error{Input: s, Reason: ErrLength, Detail: fmt.Sprintf("%d bytes, want 20 or 32", len(b)), hint: "copy the address again from its source"}
	}
	return strings.ToLower(hrp), b, nil
}

// Bech32 encodes bytes with a prefix; it cannot fail for the lengths
// this package accepts.
func Bech32(hrp string, b []byte) string {
	conv, err := bech32.ConvertBits(b, 8, 5, true)
	if err != nil {
		panic(err)
	}
	s, err := bech32.Encode(hrp, conv)
	if err != nil {
		panic(err)
	}
	return s
}
