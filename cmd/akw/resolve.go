package main

import (
	"errors"
	"fmt"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-wallet/akw/internal/output"
	"github.com/akash-wallet/akw/tx/address"
)

// ResolveAddress turns what the user typed — a bech32 account address,
// @NAME for a contact, or the name of a key in the keyring — into an
// account address. A string
// that decodes as bech32 is taken as an address and checked against the
// network's prefixes (tx/address, the one bech32 parser); anything else is
// looked up as a key name, so that a mistyped address never silently
// becomes a key lookup and vice versa.
func (a *App) ResolveAddress(s string) (sdk.AccAddress, error) {
	p := a.prefixes()
	if isContactRef(s) {
		// @NAME: a contact of the address book (recipient.go).
		r, err := resolveContact(a, s)
		if err != nil {
			return nil, err
		}
		return address.Account(r.Address, p)
	}
	acc, err := address.Account(s, p)
	if err == nil {
		return acc, nil
	}
	if !notBech32(err) {
		// An address, but not of an account of this network: another
		// chain's, a validator operator's, a public key.
		return nil, output.Wrap(output.Usage, err, "", cliHint(err))
	}
	kr, kerr := openKeyring(a, &keyringOptions{})
	if kerr != nil {
		return nil, kerr
	}
	k, kerr := kr.Key(s)
	if kerr != nil {
		if len(s) > len(p.Account)+1 && s[:len(p.Account)+1] == p.Account+"1" {
			return nil, output.UsageError(fmt.Sprintf("%q is neither a valid address (bad checksum or length) nor a key name", s),
				"check the address for typos; list key names with `akw keys list`")
		}
		return nil, keysError(kerr)
	}
	acc, err = address.Account(k.Address, p)
	if err != nil {
		return nil, output.Wrap(output.Key, err, fmt.Sprintf("key %q has an unreadable address %q", s, k.Address), "")
	}
	return acc, nil
}

// notBech32 reports whether address refused s as no bech32 at all (or a
// mistyped one): then s may be a key name.
func notBech32(err error) bool {
	return errors.Is(err, address.ErrEmpty) || errors.Is(err, address.ErrMalformed) || errors.Is(err, address.ErrChecksum) ||
		errors.Is(err, address.ErrLength)
}

// resolveValidator turns a valoper address into bytes (tx/address).
func (a *App) resolveValidator(s string) (sdk.ValAddress, error) {
	v, err := address.Validator(s, a.prefixes())
	if err != nil {
		return nil, output.Wrap(output.Usage, err, fmt.Sprintf("%q is not a validator operator address: %v", s, errors.Unwrap(err)), cliHint(err))
	}
	return v, nil
}

// prefixes are the network's bech32 prefixes (the SDK's configured ones
// before the network is resolved).
func (a *App) prefixes() address.Prefixes {
	prefix := a.Network.Bech32Prefix
	if prefix == "" {
		prefix = sdk.GetConfig().GetBech32AccountAddrPrefix()
	}
	return address.For(prefix)
}
