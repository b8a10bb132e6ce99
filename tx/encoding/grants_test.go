package encoding

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"cosmossdk.io/x/feegrant"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	sdk "github.com/cosmos/cosmos-sdk/types"
	signingtypes "github.com/cosmos/cosmos-sdk/types/tx/signing"
	authsigning "github.com/cosmos/cosmos-sdk/x/auth/signing"
	"github.com/cosmos/cosmos-sdk/x/authz"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
)

// The messages of issue 15 (grants, fee allowances, deposits, proposals)
// and the authorizations and allowances they carry are registered: they
// round-trip through the wire encoding, and their amino-JSON sign document
// names each of them — the message and what is inside it — the way the
// SDK's RegisterLegacyAminoCodec does. The names are spelled out here, as
// the Ledger app and the SDK's own CLI know them, so that a renaming in a
// future SDK fails this test instead of a user's Ledger.
func TestGrantMessagesAreRegistered(t *testing.T) {
	cfg, err := New("akash")
	if err != nil {
		t.Fatal(err)
	}
	a := func(b byte) sdk.AccAddress { return sdk.AccAddress(bytes.Repeat([]byte{b}, 20)) }
	v := func(b byte) string { return cfg.Valoper(sdk.ValAddress(bytes.Repeat([]byte{b}, 20))) }
	granter, grantee := a(1), a(2)
	exp := time.Date(2027, 1, 2, 3, 4, 5, 0, time.UTC)
	akt := func(n int64) sdk.Coins { return sdk.NewCoins(sdk.NewInt64Coin("uakt", n)) }
	max := sdk.NewInt64Coin("uakt", 5)

	grant := func(t *testing.T, auth authz.Authorization) sdk.Msg {
		m, err := authz.NewMsgGrant(granter, grantee, auth, &exp)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	allow := func(t *testing.T, fa feegrant.FeeAllowanceI) sdk.Msg {
		m, err := feegrant.NewMsgGrantAllowance(fa, granter, grantee)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	stake := func(t *testing.T, allow, deny []sdk.ValAddress, typ stakingtypes.AuthorizationType) authz.Authorization {
		s, err := stakingtypes.NewStakeAuthorization(allow, deny, typ, &max)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	val := func(b byte) sdk.ValAddress { return sdk.ValAddress(bytes.Repeat([]byte{b}, 20)) }
	basic := &feegrant.BasicAllowance{SpendLimit: akt(1000), Expiration: &exp}
	periodic := &feegrant.PeriodicAllowance{Basic: *basic, Period: time.Hour, PeriodSpendLimit: akt(10), PeriodCanSpend: akt(10), PeriodReset: exp}

	cases := []struct {
		name  string
		msg   func(t *testing.T) sdk.Msg
		names []string // amino names the sign doc must contain
	}{
		{"generic grant", func(t *testing.T) sdk.Msg {
			return grant(t, authz.NewGenericAuthorization(sdk.MsgTypeURL(&govv1.MsgVote{})))
		}, []string{"cosmos-sdk/MsgGrant", "cosmos-sdk/GenericAuthorization"}},
		{"send grant", func(t *testing.T) sdk.Msg {
			return grant(t, banktypes.NewSendAuthorization(akt(1000), []sdk.AccAddress{a(3)}))
		}, []string{"cosmos-sdk/MsgGrant", "cosmos-sdk/SendAuthorization"}},
		{"delegate grant (allow list)", func(t *testing.T) sdk.Msg {
			return grant(t, stake(t, []sdk.ValAddress{val(4)}, nil, stakingtypes.AuthorizationType_AUTHORIZATION_TYPE_DELEGATE))
		}, []string{"cosmos-sdk/MsgGrant", "cosmos-sdk/StakeAuthorization", "cosmos-sdk/StakeAuthorization/AllowList"}},
		{"redelegate grant (deny list)", func(t *testing.T) sdk.Msg {
			return grant(t, stake(t, nil, []sdk.ValAddress{val(4)}, stakingtypes.AuthorizationType_AUTHORIZATION_TYPE_REDELEGATE))
		}, []string{"cosmos-sdk/MsgGrant", "cosmos-sdk/StakeAuthorization", "cosmos-sdk/StakeAuthorization/DenyList"}},
		{"revoke", func(t *testing.T) sdk.Msg {
			m := authz.NewMsgRevoke(granter, grantee, sdk.MsgTypeURL(&banktypes.MsgSend{}))
			return &m
		}, []string{"cosmos-sdk/MsgRevoke"}},
		{"exec", func(t *testing.T) sdk.Msg {
			m := authz.NewMsgExec(grantee, []sdk.Msg{
				&stakingtypes.MsgDelegate{DelegatorAddress: cfg.Bech32(granter), ValidatorAddress: v(4), Amount: max},
				&distrtypes.MsgWithdrawDelegatorReward{DelegatorAddress: cfg.Bech32(granter), ValidatorAddress: v(4)},
			})
			return &m
		}, []string{"cosmos-sdk/MsgExec", "cosmos-sdk/MsgDelegate", "cosmos-sdk/MsgWithdrawDelegationReward"}},
		{"basic allowance", func(t *testing.T) sdk.Msg { return allow(t, basic) },
			[]string{"cosmos-sdk/MsgGrantAllowance", "cosmos-sdk/BasicAllowance"}},
		{"periodic allowance", func(t *testing.T) sdk.Msg { return allow(t, periodic) },
			[]string{"cosmos-sdk/MsgGrantAllowance", "cosmos-sdk/PeriodicAllowance"}},
		{"allowed messages", func(t *testing.T) sdk.Msg {
			fa, err := feegrant.NewAllowedMsgAllowance(periodic, []string{sdk.MsgTypeURL(&stakingtypes.MsgDelegate{})})
			if err != nil {
				t.Fatal(err)
			}
			return allow(t, fa)
		}, []string{"cosmos-sdk/MsgGrantAllowance", "cosmos-sdk/AllowedMsgAllowance", "cosmos-sdk/PeriodicAllowance"}},
		{"revoke allowance", func(t *testing.T) sdk.Msg {
			m := feegrant.NewMsgRevokeAllowance(granter, grantee)
			return &m
		}, []string{"cosmos-sdk/MsgRevokeAllowance"}},
		{"deposit", func(t *testing.T) sdk.Msg {
			return govv1.NewMsgDeposit(granter, 7, akt(1_000_000))
		}, []string{"cosmos-sdk/v1/MsgDeposit"}},
		{"text proposal", func(t *testing.T) sdk.Msg {
			m, err := govv1.NewMsgSubmitProposal(nil, akt(1_000_000), cfg.Bech32(granter), "ipfs://meta", "Title", "Summary", false)
			if err != nil {
				t.Fatal(err)
			}
			return m
		}, []string{"cosmos-sdk/v1/MsgSubmitProposal"}},
		{"expedited proposal with a message", func(t *testing.T) sdk.Msg {
			send := &banktypes.MsgSend{FromAddress: cfg.Bech32(a(9)), ToAddress: cfg.Bech32(a(3)), Amount: akt(5)}
			m, err := govv1.NewMsgSubmitProposal([]sdk.Msg{send}, akt(2_000_000), cfg.Bech32(granter), "", "Title", "Summary", true)
			if err != nil {
				t.Fatal(err)
			}
			return m
		}, []string{"cosmos-sdk/v1/MsgSubmitProposal", "cosmos-sdk/MsgSend"}},
	}
	pub := secp256k1.GenPrivKey().PubKey()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := c.msg(t)
			b := cfg.TxConfig.NewTxBuilder()
			if err := b.SetMsgs(m); err != nil {
				t.Fatal(err)
			}
			b.SetGasLimit(200_000)
			b.SetFeeAmount(akt(5000))
			bz, err := cfg.TxConfig.TxEncoder()(b.GetTx())
			if err != nil {
				t.Fatal(err)
			}
			back, err := cfg.TxConfig.TxDecoder()(bz)
			if err != nil {
				t.Fatal(err)
			}
			if got := back.GetMsgs(); len(got) != 1 || sdk.MsgTypeURL(got[0]) != sdk.MsgTypeURL(m) {
				t.Fatalf("decoded %v", got)
			}
			doc, err := authsigning.GetSignBytesAdapter(context.Background(), cfg.TxConfig.SignModeHandler(), signingtypes.SignMode_SIGN_MODE_LEGACY_AMINO_JSON,
				authsigning.SignerData{Address: cfg.Bech32(sdk.AccAddress(pub.Address())), ChainID: "akash-devnet-1", AccountNumber: 1, Sequence: 2, PubKey: pub}, b.GetTx())
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range c.names {
				if !strings.Contains(string(doc), `"type":"`+n+`"`) {
					t.Errorf("sign doc does not name %s:\n%s", n, doc)
				}
			}
			// The legacy amino registry gives the message the same name.
			am, err := cfg.Amino.MarshalJSON(m)
			if err != nil {
				t.Fatalf("no legacy amino registration: %v", err)
			}
			var env struct {
				Type string `json:"type"`
			}
			if err := json.Unmarshal(am, &env); err != nil || env.Type != c.names[0] {
				t.Fatalf("amino registry names it %q (%v), want %q", env.Type, err, c.names[0])
			}
		})
	}
}
