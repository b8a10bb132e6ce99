package state

import (
	"bytes"
	"testing"

	"cosmossdk.io/collections"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
)

// TestKeysMatchSDK derives every key from the SDK's own encoders, so a
// layout change in a future SDK fails here instead of proving nothing.
func TestKeysMatchSDK(t *testing.T) {
	del := sdk.AccAddress(bytes.Repeat([]byte{1}, 20))
	val := sdk.ValAddress(bytes.Repeat([]byte{2}, 20))
	dst := sdk.ValAddress(bytes.Repeat([]byte{3}, 32)) // 32-byte addresses exist too
	cons := sdk.ConsAddress(bytes.Repeat([]byte{4}, 20))

	enc := func(b []byte, err error) []byte {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	bal := enc(collections.EncodeKeyWithPrefix(banktypes.BalancesPrefix.Bytes(),
		collections.PairKeyCodec(sdk.AccAddressKey, collections.StringKey), collections.Join(del, "uakt")))
	acc := enc(collections.EncodeKeyWithPrefix(authtypes.AddressStoreKeyPrefix.Bytes(), sdk.AccAddressKey, del))
	prop := enc(collections.EncodeKeyWithPrefix(govtypes.ProposalsKeyPrefix.Bytes(), collections.Uint64Key, uint64(7)))
	vp := enc(collections.EncodeKeyWithPrefix(govtypes.VotingPeriodProposalKeyPrefix.Bytes(), collections.Uint64Key, uint64(7)))
	vote := enc(collections.EncodeKeyWithPrefix(govtypes.VotesKeyPrefix.Bytes(),
		collections.PairKeyCodec(collections.Uint64Key, sdk.LengthPrefixedAddressKey(sdk.AccAddressKey)), //nolint:staticcheck // what x/gov uses
		collections.Join(uint64(7), del)))

	cases := []struct {
		name      string
		ours, sdk []byte
	}{
		{"balance", balanceKey(del, "uakt"), bal},
		{"account", accountKey(del), acc},
		{"validator", validatorKey(val), stakingtypes.GetValidatorKey(val)},
		{"validator by cons", validatorByConsKey(cons), stakingtypes.GetValidatorByConsAddrKey(cons)},
		{"delegation", delegationKey(del, val), stakingtypes.GetDelegationKey(del, val)},
		{"delegations", delegationsPrefix(del), stakingtypes.GetDelegationsKey(del)},
		{"unbondings", unbondingsPrefix(del), stakingtypes.GetUBDsKey(del)},
		{"unbonding in range", stakingtypes.GetUBDKey(del, val)[:len(unbondingsPrefix(del))], unbondingsPrefix(del)},
		{"redelegations", redelegationsPrefix(del), stakingtypes.GetREDsKey(del)},
		{"redelegation in range", stakingtypes.GetREDKey(del, val, dst)[:len(redelegationsPrefix(del))], redelegationsPrefix(del)},
		{"staking params", stakingParamsKey, stakingtypes.ParamsKey},
		{"outstanding", outstandingKey(val), distrtypes.GetValidatorOutstandingRewardsKey(val)},
		{"starting info", startingInfoKey(val, del), distrtypes.GetDelegatorStartingInfoKey(val, del)},
		{"historical", historicalKey(val, 258), distrtypes.GetValidatorHistoricalRewardsKey(val, 258)},
		{"current", currentRewardsKey(val), distrtypes.GetValidatorCurrentRewardsKey(val)},
		{"slash events from", slashEventsFrom(val, 99), distrtypes.GetValidatorSlashEventKeyPrefix(val, 99)},
		{"proposal", proposalKey(7), prop},
		{"voting period", votingPeriodKey(7), vp},
		{"vote", voteKey(7, del), vote},
	}
	for _, c := range cases {
		if !bytes.Equal(c.ours, c.sdk) {
			t.Errorf("%s key: ours %X, SDK %X", c.name, c.ours, c.sdk)
		}
	}
}
