package state

import (
	"bytes"
	"testing"

	"cosmossdk.io/collections"
	"cosmossdk.io/x/feegrant"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authzkeeper "github.com/cosmos/cosmos-sdk/x/authz/keeper"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"
)

// TestGrantKeysMatchSDK derives the keys of issue 15's queries from the
// SDK's own encoders where the SDK exports them. x/authz exports no grant
// key function; its layout is checked against the keeper's prefix here
// and against a real grant on the devnet (TestDevnetGrants proves the
// genesis grant under grantKey).
func TestGrantKeysMatchSDK(t *testing.T) {
	granter := sdk.AccAddress(bytes.Repeat([]byte{1}, 20))
	grantee := sdk.AccAddress(bytes.Repeat([]byte{2}, 32)) // module and ICA accounts are 32 bytes
	enc := func(b []byte, err error) []byte {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	deposit := enc(collections.EncodeKeyWithPrefix(govtypes.DepositsKeyPrefix.Bytes(),
		collections.PairKeyCodec(collections.Uint64Key, sdk.LengthPrefixedAddressKey(sdk.AccAddressKey)), //nolint:staticcheck // what x/gov uses
		collections.Join(uint64(7), sdk.AccAddress(granter))))
	depositRange := enc(collections.EncodeKeyWithPrefix(govtypes.DepositsKeyPrefix.Bytes(), collections.Uint64Key, uint64(7)))

	cases := []struct {
		name      string
		ours, sdk []byte
	}{
		{"fee allowance", allowanceKey(granter, grantee), feegrant.FeeAllowanceKey(granter, grantee)},
		{"fee allowances to", allowancesToPrefix(grantee), feegrant.FeeAllowancePrefixByGrantee(grantee)},
		{"fee allowance prefix", feeAllowancePrefix, feegrant.FeeAllowanceKeyPrefix},
		{"grant prefix", authzGrantPrefix, authzkeeper.GrantKey},
		{"deposit", depositKey(7, granter), deposit},
		{"deposits of a proposal", depositsPrefix(7), depositRange},
		{"gov params", govParamsKey, govtypes.ParamsKey.Bytes()},
	}
	for _, c := range cases {
		if !bytes.Equal(c.ours, c.sdk) {
			t.Errorf("%s key: ours %X, SDK %X", c.name, c.ours, c.sdk)
		}
	}

	// A grant key splits back into what made it, whatever the lengths.
	k := grantKey(granter, grantee, "/cosmos.bank.v1beta1.MsgSend")
	g1, g2, m, err := parseGrantKey(k)
	if err != nil || !bytes.Equal(g1, granter) || !bytes.Equal(g2, grantee) || m != "/cosmos.bank.v1beta1.MsgSend" {
		t.Fatalf("parseGrantKey(%X) = %X %X %q %v", k, g1, g2, m, err)
	}
	if !bytes.HasPrefix(k, grantsPairPrefix(granter, grantee)) || !bytes.HasPrefix(k, grantsOfGranterPrefix(granter)) {
		t.Fatal("a grant key is not under its ranges")
	}
	for _, bad := range [][]byte{nil, {0x01}, {0x01, 20}, {0x02, 1, 1, 1, 1, 'x'}, grantsPairPrefix(granter, grantee), {0x01, 1, 9, 5, 1}} {
		if _, _, _, err := parseGrantKey(bad); err == nil {
			t.Errorf("parseGrantKey(%X) accepted", bad)
		}
	}
	// Akash's grantee index: 0x03 lp(grantee) lp(granter).
	if idx := cat(granteeIndexPrefix(grantee), lp(granter)); !bytes.Equal(idx, append(append([]byte{3, 32}, grantee...), append([]byte{20}, granter...)...)) {
		t.Fatalf("grantee index key %X", idx)
	}
}
