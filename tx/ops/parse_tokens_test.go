package ops

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/akash-wallet/akw/denom"
	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/amount"
)

// tokenUnits are mainnet's units of a token whose base is "u"+name.
func tokenUnits(name string) []*banktypes.DenomUnit {
	return []*banktypes.DenomUnit{{Denom: "u" + name}, {Denom: "m" + name, Exponent: 3}, {Denom: name, Exponent: 6}}
}

// A send reads its amount in any unit the chain's metadata gives the
// tokens the sender holds; staking stays in the network's token.
func TestParseSendWithTokens(t *testing.T) {
	const ibc = "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2"
	tokens := denom.NewSet(
		denom.Describe("uakt", &banktypes.Metadata{Base: "uakt", Display: "akt", DenomUnits: tokenUnits("akt")}),
		// As mainnet's v2.0.0 upgrade stores ACT: Display names the base unit.
		denom.Describe("uact", &banktypes.Metadata{Base: "uact", Display: "uact", DenomUnits: tokenUnits("act")}),
		denom.Describe(ibc, nil),
	)
	p := address.For("akash")
	to := address.Bech32(p.Account, sdk.AccAddress(bytes.Repeat([]byte{8}, 20)))
	for in, want := range map[string]sdk.Coin{
		"1.5act":      sdk.NewInt64Coin("uact", 1_500_000),
		"1500 mact":   sdk.NewInt64Coin("uact", 1_500_000),
		"2AKT":        sdk.NewInt64Coin("uakt", 2_000_000),
		"250" + ibc:   sdk.NewInt64Coin(ibc, 250),
		"7000000uakt": sdk.NewInt64Coin("uakt", 7_000_000),
	} {
		op, err := Parse(Request{Kind: KindSend, To: to, Amount: in, Tokens: tokens}, me, amount.Akash, p)
		if err != nil {
			t.Errorf("%q: %v", in, err)
			continue
		}
		if got := op.(*Send).Amount; !got.Equal(want) {
			t.Errorf("%q: %s, want %s", in, got, want)
		}
	}
	// Without Tokens, only the network's token is read.
	if _, err := Parse(Request{Kind: KindSend, To: to, Amount: "1.5act"}, me, amount.Akash, p); err == nil {
		t.Error("1.5act read without the chain's metadata")
	}
	// A unit no token lists, and more decimals than the unit has: usage
	// errors with the reader's hint.
	for _, in := range []string{"1.5xyz", "1.0000001act", "1.5ibc/" + strings.Repeat("0", 64)} {
		_, err := Parse(Request{Kind: KindSend, To: to, Amount: in, Tokens: tokens}, me, amount.Akash, p)
		if err == nil || errkind.KindOf(err) != errkind.Usage || errkind.HintOf(err).Text == "" {
			t.Errorf("%q: %v (hint %q)", in, err, errkind.HintOf(err).Text)
		}
	}
	var unknown *denom.Error
	_, err := Parse(Request{Kind: KindSend, To: to, Amount: "3xyz", Tokens: tokens}, me, amount.Akash, p)
	if !errors.As(err, &unknown) || !errors.Is(err, amount.ErrUnknownDenom) {
		t.Errorf("3xyz: %v", err)
	}
	// Staking is in the bond denom whatever Tokens says.
	v1 := address.Bech32(p.Validator, val(1))
	if _, err := Parse(Request{Kind: KindDelegate, To: v1, Amount: "1act", Tokens: tokens}, me, amount.Akash, p); err == nil {
		t.Error("delegation of ACT parsed")
	}
}
