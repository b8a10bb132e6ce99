package encoding

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	sdkmath "cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	signingtypes "github.com/cosmos/cosmos-sdk/types/tx/signing"
	authsigning "github.com/cosmos/cosmos-sdk/x/auth/signing"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
)

func acc(b byte) sdk.AccAddress { return sdk.AccAddress(bytes.Repeat([]byte{b}, 20)) }
func val(b byte) sdk.ValAddress { return sdk.ValAddress(bytes.Repeat([]byte{b}, 20)) }

func newConfig(t *testing.T) *Config {
	t.Helper()
	cfg, err := New("akash")
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// The addresses are encoded with the network's prefix, whatever the SDK's
// global config says.
func TestAddressesUseTheNetworksPrefix(t *testing.T) {
	cfg := newConfig(t)
	if got := cfg.Bech32(acc(1)); got[:6] != "akash1" {
		t.Fatalf("account %s", got)
	}
	if got := cfg.Valoper(val(1)); got[:13] != "akashvaloper1" {
		t.Fatalf("validator %s", got)
	}
	other, err := New("cosmos")
	if err != nil {
		t.Fatal(err)
	}
	if got := other.Bech32(acc(1)); got[:7] != "cosmos1" {
		t.Fatalf("account %s", got)
	}
}

// Every message akw signs goes through the wire encoding and back, and its
// amino-JSON sign document names it the way the legacy amino registry
// does: the Ledger app and older nodes know messages only by that name.
func TestEveryMessageRoundTripsAndHasItsAminoName(t *testing.T) {
	cfg := newConfig(t)
	from, to := cfg.Bech32(acc(1)), cfg.Bech32(acc(2))
	v1, v2 := cfg.Valoper(val(3)), cfg.Valoper(val(4))
	coin := sdk.NewCoin("uakt", sdkmath.NewInt(1_500_000))
	msgs := []sdk.Msg{
		&banktypes.MsgSend{FromAddress: from, ToAddress: to, Amount: sdk.NewCoins(coin)},
		&stakingtypes.MsgDelegate{DelegatorAddress: from, ValidatorAddress: v1, Amount: coin},
		&stakingtypes.MsgUndelegate{DelegatorAddress: from, ValidatorAddress: v1, Amount: coin},
		&stakingtypes.MsgBeginRedelegate{DelegatorAddress: from, ValidatorSrcAddress: v1, ValidatorDstAddress: v2, Amount: coin},
		&distrtypes.MsgWithdrawDelegatorReward{DelegatorAddress: from, ValidatorAddress: v1},
		&govv1.MsgVote{ProposalId: 7, Voter: from, Option: govv1.OptionYes},
		&govv1.MsgVoteWeighted{ProposalId: 7, Voter: from, Options: govv1.WeightedVoteOptions{
			{Option: govv1.OptionYes, Weight: "0.6"}, {Option: govv1.OptionNo, Weight: "0.4"}}},
	}
	pub := secp256k1.GenPrivKey().PubKey()
	for _, m := range msgs {
		name := sdk.MsgTypeURL(m)
		t.Run(name, func(t *testing.T) {
			b := cfg.TxConfig.NewTxBuilder()
			if err := b.SetMsgs(m); err != nil {
				t.Fatal(err)
			}
			b.SetGasLimit(200_000)
			b.SetFeeAmount(sdk.NewCoins(sdk.NewInt64Coin("uakt", 5000)))
			bz, err := cfg.TxConfig.TxEncoder()(b.GetTx())
			if err != nil {
				t.Fatal(err)
			}
			back, err := cfg.TxConfig.TxDecoder()(bz)
			if err != nil {
				t.Fatal(err)
			}
			if got := back.GetMsgs(); len(got) != 1 || sdk.MsgTypeURL(got[0]) != name {
				t.Fatalf("decoded %v", got)
			}

			doc := aminoSignDoc(t, cfg, b.GetTx(), pub)
			var parsed struct {
				Msgs []struct {
					Type string `json:"type"`
				} `json:"msgs"`
			}
			if err := json.Unmarshal(doc, &parsed); err != nil || len(parsed.Msgs) != 1 {
				t.Fatalf("sign doc %s: %v", doc, err)
			}
			if want := aminoName(t, cfg.Amino, m); parsed.Msgs[0].Type != want {
				t.Fatalf("sign doc names %q, the amino registry %q", parsed.Msgs[0].Type, want)
			}
		})
	}
}

func aminoSignDoc(t *testing.T, cfg *Config, tx sdk.Tx, pub cryptotypes.PubKey) []byte {
	t.Helper()
	doc, err := authsigning.GetSignBytesAdapter(context.Background(), cfg.TxConfig.SignModeHandler(), signingtypes.SignMode_SIGN_MODE_LEGACY_AMINO_JSON,
		authsigning.SignerData{Address: cfg.Bech32(sdk.AccAddress(pub.Address())), ChainID: "akash-devnet-1", AccountNumber: 1, Sequence: 2, PubKey: pub}, tx)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func aminoName(t *testing.T, cdc *codec.LegacyAmino, m sdk.Msg) string {
	t.Helper()
	bz, err := cdc.MarshalJSON(m)
	if err != nil {
		t.Fatalf("the amino registry cannot encode %T: %v", m, err)
	}
	var env struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(bz, &env); err != nil || env.Type == "" {
		t.Fatalf("amino JSON %s: %v", bz, err)
	}
	return env.Type
}

// Only the modes the chain enables and akw signs with.
func TestSignModes(t *testing.T) {
	cfg := newConfig(t)
	modes := cfg.TxConfig.SignModeHandler().SupportedModes()
	want := map[string]bool{}
	for _, m := range SignModes {
		want[m.String()] = true
	}
	if len(modes) != len(want) {
		t.Fatalf("supported modes %v, want %v", modes, SignModes)
	}
	for _, m := range modes {
		if !want[m.String()] {
			t.Fatalf("unexpected mode %v", m)
		}
	}
}
