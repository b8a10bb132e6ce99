package main

import (
	"fmt"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/bech32"

	"github.com/akash-wallet/akw/internal/output"
)

// ResolveAddress turns what the user typed — a bech32 account address or
// the name of a key in the keyring — into an account address. A string
// that decodes as bech32 is taken as an address and checked against the
// network's prefix; anything else is looked up as a key name, so that a
// mistyped address never silently becomes a key lookup and vice versa.
func (a *App) ResolveAddress(s string) (sdk.AccAddress, error) {
	prefix := a.Network.Bech32Prefix
	if prefix == "" {
		prefix = sdk.GetConfig().GetBech32AccountAddrPrefix()
	}
	if hrp, bz, err := bech32.DecodeAndConvert(s); err == nil {
		switch hrp {
		case prefix:
		case prefix + "valoper":
			return nil, output.UsageError(fmt.Sprintf("%s is a validator operator address, not an account address", s),
				"give the account (akash1...) address; the operator's own account has the same bytes under the account prefix")
		default:
			return nil, output.UsageError(fmt.Sprintf("%s is an address of another chain (prefix %q, this network uses %q)", s, hrp, prefix),
				"give an address that starts with "+prefix+"1")
		}
		if err := sdk.VerifyAddressFormat(bz); err != nil {
			return nil, output.UsageError(fmt.Sprintf("%s: %v", s, err), "")
		}
		return bz, nil
	}
	kr, err := openKeyring(a, &keyringOptions{})
	if err != nil {
		return nil, err
	}
	k, err := kr.Key(s)
	if err != nil {
		if len(s) > len(prefix)+1 && s[:len(prefix)+1] == prefix+"1" {
			return nil, output.UsageError(fmt.Sprintf("%q is neither a valid address (bad checksum or length) nor a key name", s),
				"check the address for typos; list key names with `akw keys list`")
		}
		return nil, keysError(err)
	}
	_, bz, err := bech32.DecodeAndConvert(k.Address)
	if err != nil {
		return nil, output.Wrap(output.Key, err, fmt.Sprintf("key %q has an unreadable address %q", s, k.Address), "")
	}
	return bz, nil
}
