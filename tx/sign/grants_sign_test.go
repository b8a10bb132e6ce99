package sign

import (
	"bytes"
	"context"
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	signingtypes "github.com/cosmos/cosmos-sdk/types/tx/signing"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	"github.com/cosmos/cosmos-sdk/x/authz"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/akash-wallet/akw/keys/signdoc"
	"github.com/akash-wallet/akw/tx/amount"
	"github.com/akash-wallet/akw/tx/encoding"
	"github.com/akash-wallet/akw/tx/ops"
)

// grantOps is one of every issue-15 operation (grants, fee allowances,
// deposits, proposals), from signer; allOps includes them, so every test
// over allOps (amino JSON, canonical sign docs, signing and verifying)
// covers them too; TestLedgerSignsGrantOps signs each on the Ledger
// emulator.
func grantOps(signer sdk.AccAddress) map[string]ops.Op {
	cfg, err := encoding.New("akash")
	if err != nil {
		panic(err)
	}
	exp := time.Date(2027, 1, 2, 3, 4, 5, 0, time.UTC)
	max := sdk.NewCoin("uakt", sdkmath.NewInt(5_000_000))
	akt := func(n int64) sdk.Coins { return sdk.NewCoins(sdk.NewInt64Coin("uakt", n)) }
	granter := accAddr(5)
	restake, err := ops.NewAutoCompound(signer, accAddr(2), valAddr(3), &exp, prefixes)
	if err != nil {
		panic(err)
	}
	stake := &stakingtypes.StakeAuthorization{AuthorizationType: stakingtypes.AuthorizationType_AUTHORIZATION_TYPE_REDELEGATE, MaxTokens: &max,
		Validators: &stakingtypes.StakeAuthorization_DenyList{DenyList: &stakingtypes.StakeAuthorization_Validators{Address: []string{cfg.Valoper(valAddr(4))}}}}
	send := banktypes.NewSendAuthorization(akt(1000), nil)
	send.AllowList = []string{cfg.Bech32(accAddr(6))}
	exec, err := ops.NewExec(cfg.Codec, signer, []sdk.Msg{
		&distrtypes.MsgWithdrawDelegatorReward{DelegatorAddress: cfg.Bech32(granter), ValidatorAddress: cfg.Valoper(valAddr(3))},
		&stakingtypes.MsgDelegate{DelegatorAddress: cfg.Bech32(granter), ValidatorAddress: cfg.Valoper(valAddr(3)), Amount: max},
	})
	if err != nil {
		panic(err)
	}
	gov := authtypes.NewModuleAddress("gov")
	return map[string]ops.Op{
		"grant-generic": &ops.Grant{Granter: signer, Grantee: accAddr(2), Expiration: &exp,
			Authorizations: []authz.Authorization{authz.NewGenericAuthorization("/cosmos.gov.v1.MsgVote")}},
		"grant-send":          &ops.Grant{Granter: signer, Grantee: accAddr(2), Authorizations: []authz.Authorization{send}},
		"grant-redelegate":    &ops.Grant{Granter: signer, Grantee: accAddr(2), Expiration: &exp, Authorizations: []authz.Authorization{stake}},
		"grant-auto-compound": restake,
		"revoke":              &ops.Revoke{Granter: signer, Grantee: accAddr(2), MsgTypeURL: "/cosmos.bank.v1beta1.MsgSend"},
		"exec":                exec,
		"feegrant-basic":      &ops.GrantAllowance{Granter: signer, Grantee: accAddr(2), SpendLimit: akt(1_000_000), Expiration: &exp},
		"feegrant-periodic": &ops.GrantAllowance{Granter: signer, Grantee: accAddr(2), SpendLimit: akt(10_000_000), Period: 24 * time.Hour, PeriodLimit: akt(1_000_000),
			AllowedMsgs: []string{"/cosmos.staking.v1beta1.MsgDelegate"}},
		"revoke-feegrant": &ops.RevokeAllowance{Granter: signer, Grantee: accAddr(2)},
		"deposit":         &ops.Deposit{Depositor: signer, ProposalID: 7, Amount: akt(1_000_000)},
		"submit-proposal-text": &ops.SubmitProposal{Proposer: signer, Metadata: "ipfs://QmText", Title: "A text proposal",
			ProposalSummary: "Nothing is executed.", Deposit: akt(1_000_000)},
		"submit-proposal-expedited": &ops.SubmitProposal{Proposer: signer, Title: "Pay", ProposalSummary: "Pay from the community pool.", Expedited: true,
			Deposit: akt(2_000_000), Messages: []sdk.Msg{banktypes.NewMsgSend(gov, accAddr(6), akt(5))}},
	}
}

// The amino names of each operation's messages, one per message, as the
// SDK's RegisterLegacyAminoCodec gives them (x/authz, x/feegrant, x/gov v1).
var grantMsgNames = map[string][]string{
	"grant-generic":             {"cosmos-sdk/MsgGrant"},
	"grant-send":                {"cosmos-sdk/MsgGrant"},
	"grant-redelegate":          {"cosmos-sdk/MsgGrant"},
	"grant-auto-compound":       {"cosmos-sdk/MsgGrant", "cosmos-sdk/MsgGrant"},
	"revoke":                    {"cosmos-sdk/MsgRevoke"},
	"exec":                      {"cosmos-sdk/MsgExec"},
	"feegrant-basic":            {"cosmos-sdk/MsgGrantAllowance"},
	"feegrant-periodic":         {"cosmos-sdk/MsgGrantAllowance"},
	"revoke-feegrant":           {"cosmos-sdk/MsgRevokeAllowance"},
	"deposit":                   {"cosmos-sdk/v1/MsgDeposit"},
	"submit-proposal-text":      {"cosmos-sdk/v1/MsgSubmitProposal"},
	"submit-proposal-expedited": {"cosmos-sdk/v1/MsgSubmitProposal"},
}

// And the amino names of what the messages carry: authorizations,
// allowances, inner messages.
var grantInnerNames = map[string][]string{
	"grant-generic":             {"cosmos-sdk/GenericAuthorization"},
	"grant-send":                {"cosmos-sdk/SendAuthorization"},
	"grant-redelegate":          {"cosmos-sdk/StakeAuthorization", "cosmos-sdk/StakeAuthorization/DenyList"},
	"grant-auto-compound":       {"cosmos-sdk/StakeAuthorization", "cosmos-sdk/StakeAuthorization/AllowList", "cosmos-sdk/GenericAuthorization"},
	"exec":                      {"cosmos-sdk/MsgWithdrawDelegationReward", "cosmos-sdk/MsgDelegate"},
	"feegrant-basic":            {"cosmos-sdk/BasicAllowance"},
	"feegrant-periodic":         {"cosmos-sdk/AllowedMsgAllowance", "cosmos-sdk/PeriodicAllowance"},
	"submit-proposal-expedited": {"cosmos-sdk/MsgSend"},
}

// What the issue-15 messages carry is named in the sign doc the Ledger
// reviews, and the document stays within the Ledger app's limits (Nano S
// token count) and canonical form, with the memo a user might add.
func TestAminoJSONGrantsInner(t *testing.T) {
	cfg, kr, signer := setup(t)
	rec, _ := kr.Key("alice")
	pub, _ := rec.GetPubKey()
	for name, op := range grantOps(signer) {
		t.Run(name, func(t *testing.T) {
			b := unsigned(t, cfg, op, Body{Memo: "restake via akw"})
			doc, err := SignBytes(context.Background(), cfg, b.b, signingtypes.SignMode_SIGN_MODE_LEGACY_AMINO_JSON, pub, SignerData{ChainID: "akash-devnet-1", AccountNumber: 12, Sequence: 3})
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range grantInnerNames[name] {
				if !bytes.Contains(doc, []byte(`"type":"`+n+`"`)) {
					t.Errorf("sign doc does not name %s:\n%s", n, doc)
				}
			}
			d, err := signdoc.Validate(doc, signdoc.Options{})
			if err != nil {
				t.Fatalf("the Ledger app would refuse it: %v\n%s", err, doc)
			}
			if d == nil {
				t.Fatal("no review")
			}
			// The review describes every message akw knows.
			for _, f := range op.Summary(amount.Akash, prefixes) {
				if f.Value == "" {
					t.Errorf("empty review line %q", f.Label)
				}
			}
		})
	}
}
