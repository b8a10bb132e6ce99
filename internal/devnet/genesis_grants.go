package devnet

import (
	"encoding/json"
	"time"

	"github.com/cometbft/cometbft/crypto/tmhash"

	"cosmossdk.io/x/feegrant"

	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/x/authz"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
)

// GenesisGrantee is the grantee of the grant and the fee allowance that
// the first validator's operator gives at genesis. It is nobody's key (the
// hash of a fixed string), with an account and no funds.
//
// They are there because mainnet's authz and feegrant stores are never
// empty, and an empty store is a case of its own for a prover: in an empty
// IAVL tree ICS23 cannot prove a key absent (a nonexistence proof needs a
// neighbouring leaf). A wallet asking "which grants does alice have?" on a
// fresh devnet would otherwise meet what it never meets on mainnet.
var GenesisGrantee = sdk.AccAddress(tmhash.SumTruncated([]byte("akw devnet genesis grantee")))

// seedGrants puts into the genesis state a generic authorization to vote
// (gov v1 MsgVote) and a basic fee allowance of 1 AKT, both from granter
// to GenesisGrantee, without expiry.
func seedGrants(enc Encoding, state map[string]json.RawMessage, granter string) error {
	cdc := enc.Codec
	grantee := GenesisGrantee.String()

	var az authz.GenesisState
	if err := cdc.UnmarshalJSON(state[authz.ModuleName], &az); err != nil {
		return err
	}
	vote, err := codectypes.NewAnyWithValue(authz.NewGenericAuthorization(sdk.MsgTypeURL(&govv1.MsgVote{})))
	if err != nil {
		return err
	}
	var noExpiry *time.Time
	az.Authorization = append(az.Authorization, authz.GrantAuthorization{Granter: granter, Grantee: grantee, Authorization: vote, Expiration: noExpiry})
	if state[authz.ModuleName], err = cdc.MarshalJSON(&az); err != nil {
		return err
	}

	var fg feegrant.GenesisState
	if err := cdc.UnmarshalJSON(state[feegrant.ModuleName], &fg); err != nil {
		return err
	}
	allowance, err := feegrant.NewGrant(sdk.MustAccAddressFromBech32(granter), GenesisGrantee,
		&feegrant.BasicAllowance{SpendLimit: sdk.NewCoins(sdk.NewCoin(Denom, MinDeposit))})
	if err != nil {
		return err
	}
	fg.Allowances = append(fg.Allowances, allowance)
	state[feegrant.ModuleName], err = cdc.MarshalJSON(&fg)
	return err
}
