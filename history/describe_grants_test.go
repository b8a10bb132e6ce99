package history

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"cosmossdk.io/x/feegrant"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	kmultisig "github.com/cosmos/cosmos-sdk/crypto/keys/multisig"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	"github.com/cosmos/cosmos-sdk/x/authz"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	govv1beta1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1beta1"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
	"github.com/cosmos/gogoproto/proto"

	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/amount"
)

func anyOf(t *testing.T, m proto.Message) *codectypes.Any {
	t.Helper()
	a, err := codectypes.NewAnyWithValue(m)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestDescribeWhatAkwSends: every message type akw itself can send reads
// as words in the history, grants and allowances in the words of the
// transaction review; each moves what it moves (grants nothing, deposits
// the amount) and gets its CSV label.
func TestDescribeWhatAkwSends(t *testing.T) {
	d := testDecoder(t)
	a, b, c := testAddr(1), testAddr(2), testAddr(3)
	val, val2 := testValoper(9), testValoper(8)
	exp := time.Date(2027, 1, 31, 23, 59, 59, 0, time.UTC)
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

	grant := func(auth authz.Authorization, exp *time.Time) *authz.MsgGrant {
		g, err := authz.NewGrant(at, auth, exp)
		if err != nil {
			t.Fatal(err)
		}
		return &authz.MsgGrant{Granter: a, Grantee: b, Grant: g}
	}
	maxTokens := sdk.NewInt64Coin("uakt", 5_000_000)
	stake := &stakingtypes.StakeAuthorization{MaxTokens: &maxTokens, AuthorizationType: stakingtypes.AuthorizationType_AUTHORIZATION_TYPE_DELEGATE,
		Validators: &stakingtypes.StakeAuthorization_AllowList{AllowList: &stakingtypes.StakeAuthorization_Validators{Address: []string{val}}}}
	allowance := func(fa proto.Message) *feegrant.MsgGrantAllowance {
		return &feegrant.MsgGrantAllowance{Granter: a, Grantee: b, Allowance: anyOf(t, fa)}
	}
	unknownAuth := &authz.MsgGrant{Granter: a, Grantee: b, Grant: authz.Grant{
		Authorization: &codectypes.Any{TypeUrl: "/akash.deployment.v1.DepositAuthorization", Value: []byte{1}}}}
	exec := &authz.MsgExec{Grantee: b, Msgs: []*codectypes.Any{
		anyOf(t, &banktypes.MsgSend{FromAddress: a, ToAddress: c, Amount: uakt(1_500_000)}),
		anyOf(t, &stakingtypes.MsgDelegate{DelegatorAddress: a, ValidatorAddress: val, Amount: sdk.NewInt64Coin("uakt", 700)}),
	}}
	text, err := govv1beta1.NewMsgSubmitProposal(govv1beta1.NewTextProposal("Legacy title", "d"), uakt(3_000_000), nil)
	if err != nil {
		t.Fatal(err)
	}
	text.Proposer = a

	cases := []struct {
		name  string
		msg   sdk.Msg
		addr  string
		want  string // the summary
		moves string // the movements of addr, fee included
		label string // the label of the CSV's first line
	}{
		{"stake grant", grant(stake, &exp), a,
			"grant from " + a + " to " + b + " (authz): the grantee may delegate your tokens, up to 5 AKT in total, with only " + val + "; until 2027-01-31 23:59:59 UTC",
			"fee:out:5000uakt", LabelFee},
		{"send grant, no end", grant(banktypes.NewSendAuthorization(uakt(2_000_000), nil), nil), a,
			"grant from " + a + " to " + b + " (authz): the grantee may send up to 2 AKT of your tokens in total, to anyone; until no end date: until revoked",
			"fee:out:5000uakt", LabelFee},
		{"generic grant", grant(authz.NewGenericAuthorization(sdk.MsgTypeURL(&govv1.MsgVote{})), &exp), a,
			"grant from " + a + " to " + b + " (authz): the grantee may vote on governance proposals for you, without limit; until 2027-01-31 23:59:59 UTC",
			"fee:out:5000uakt", LabelFee},
		{"grant of an authorization akw does not know", unknownAuth, a,
			"grant from " + a + " to " + b + " (authz): an authorization of type /akash.deployment.v1.DepositAuthorization that akw does not know (its terms are not shown)",
			"fee:out:5000uakt", LabelFee},
		{"revoke", &authz.MsgRevoke{Granter: a, Grantee: b, MsgTypeUrl: sdk.MsgTypeURL(&stakingtypes.MsgDelegate{})}, a,
			"revoke the grant from " + a + " to " + b + " (authz): the grantee may no longer delegate your tokens",
			"fee:out:5000uakt", LabelFee},
		{"exec, seen by the granter", exec, a,
			b + " executes for others: send 1.5 AKT from " + a + " to " + c + "; delegate 0.0007 AKT to " + val,
			"send:out:1500000uakt delegate:out:700uakt", LabelTransfer},
		{"exec, seen by the grantee", exec, b,
			b + " executes for others: send 1.5 AKT from " + a + " to " + c + "; delegate 0.0007 AKT to " + val,
			"fee:out:5000uakt", LabelFee},
		{"exec of a message akw does not know, and a send", &authz.MsgExec{Grantee: b, Msgs: []*codectypes.Any{
			{TypeUrl: "/akash.deployment.v1beta4.MsgCreateDeployment", Value: []byte{1, 2, 3}},
			anyOf(t, &banktypes.MsgSend{FromAddress: a, ToAddress: c, Amount: uakt(10)}),
		}}, a,
			b + " executes for others: message /akash.deployment.v1beta4.MsgCreateDeployment (not decoded); send 0.00001 AKT from " + a + " to " + c,
			"other:::reported send:out:10uakt", LabelTransfer},
		{"basic fee allowance", allowance(&feegrant.BasicAllowance{SpendLimit: uakt(1_000_000), Expiration: &exp}), a,
			"fee allowance from " + a + " to " + b + ": the grantee may have its transaction fees paid, up to 1 AKT in total, for any transaction; until 2027-01-31 23:59:59 UTC",
			"fee:out:5000uakt", LabelFee},
		{"periodic fee allowance for some messages", allowance(&feegrant.AllowedMsgAllowance{
			Allowance:       anyOf(t, &feegrant.PeriodicAllowance{Period: 24 * time.Hour, PeriodSpendLimit: uakt(100_000), PeriodCanSpend: uakt(100_000)}),
			AllowedMessages: []string{sdk.MsgTypeURL(&govv1.MsgVote{})}}), a,
			"fee allowance from " + a + " to " + b + ": the grantee may have its transaction fees paid, without a total limit, at most 0.1 AKT every 1 day, only for transactions made of /cosmos.gov.v1.MsgVote; until no end date: until revoked",
			"fee:out:5000uakt", LabelFee},
		{"fee allowance akw does not know", &feegrant.MsgGrantAllowance{Granter: a, Grantee: b, Allowance: &codectypes.Any{TypeUrl: "/x.y.Allowance"}}, a,
			"fee allowance from " + a + " to " + b + ": an allowance of type /x.y.Allowance that akw does not know (its terms are not shown)",
			"fee:out:5000uakt", LabelFee},
		{"revoke fee allowance", &feegrant.MsgRevokeAllowance{Granter: a, Grantee: b}, a,
			"revoke the fee allowance from " + a + " to " + b + ": " + a + " no longer pays the fees of " + b,
			"fee:out:5000uakt", LabelFee},
		{"deposit", &govv1.MsgDeposit{ProposalId: 4, Depositor: a, Amount: uakt(2_500_000)}, a,
			"deposit 2.5 AKT on proposal 4",
			"deposit:out:2500000uakt fee:out:5000uakt", LabelGovDeposit},
		{"legacy deposit", &govv1beta1.MsgDeposit{ProposalId: 4, Depositor: a, Amount: uakt(2_500_000)}, a,
			"deposit 2.5 AKT on proposal 4",
			"deposit:out:2500000uakt fee:out:5000uakt", LabelGovDeposit},
		{"text proposal", &govv1.MsgSubmitProposal{Proposer: a, Title: "Raise the\nblock size", InitialDeposit: uakt(10_000_000)}, a,
			`submit proposal "Raise the block size" with deposit 10 AKT`,
			"deposit:out:10000000uakt fee:out:5000uakt", LabelGovDeposit},
		{"expedited proposal with messages", &govv1.MsgSubmitProposal{Proposer: a, Title: strings.Repeat("é", 40), Expedited: true,
			InitialDeposit: uakt(10_000_000), Messages: []*codectypes.Any{anyOf(t, &banktypes.MsgSend{FromAddress: a, ToAddress: c, Amount: uakt(1)})}}, a,
			`submit expedited proposal "` + strings.Repeat("é", 30) + `…" executing 1 message(s) if it passes with deposit 10 AKT`,
			"deposit:out:10000000uakt fee:out:5000uakt", LabelGovDeposit},
		{"legacy proposal", text, a,
			`submit proposal "Legacy title" with deposit 3 AKT`,
			"deposit:out:3000000uakt fee:out:5000uakt", LabelGovDeposit},
		{"weighted vote", &govv1.MsgVoteWeighted{ProposalId: 2, Voter: a, Options: []*govv1.WeightedVoteOption{
			{Option: govv1.OptionYes, Weight: "0.7"}, {Option: govv1.OptionAbstain, Weight: "0.3"}}}, a,
			"vote yes=0.7,abstain=0.3 on proposal 2", "vote:: fee:out:5000uakt", LabelVote},
		{"redelegate", &stakingtypes.MsgBeginRedelegate{DelegatorAddress: a, ValidatorSrcAddress: val, ValidatorDstAddress: val2, Amount: sdk.NewInt64Coin("uakt", 1_000_000)}, a,
			"redelegate 1 AKT from " + val + " to " + val2, "redelegate::1000000uakt fee:out:5000uakt", LabelDelegation},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := d.Effects(buildTx(t, d, uakt(5000), "", "", tc.msg), tc.addr, true, nil)
			if e.Undecoded != "" {
				t.Fatal(e.Undecoded)
			}
			if len(e.Messages) != 1 || !e.Messages[0].Known || e.Messages[0].Type != sdk.MsgTypeURL(tc.msg) {
				t.Fatalf("messages %+v", e.Messages)
			}
			if got := e.Messages[0].Summary; got != tc.want {
				t.Fatalf("summary\n %q\nwant\n %q", got, tc.want)
			}
			if got := kinds(e.Movements); got != tc.moves {
				t.Fatalf("movements %q, want %q", got, tc.moves)
			}
			var buf bytes.Buffer
			if _, err := WriteCSV(&buf, []Row{{Hash: "H", Status: Proven, Success: true, Time: at, Effects: e}}, amount.Akash); err != nil {
				t.Fatal(err)
			}
			lines, err := csv.NewReader(&buf).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(lines) < 2 || lines[1][9] != tc.label {
				t.Fatalf("CSV %q, want the label %q", lines, tc.label)
			}
			if tc.label == LabelFee && !strings.Contains(lines[1][10], tc.want) {
				t.Fatalf("a line of nothing but the fee should say what it paid for: %q", lines[1][10])
			}
			if tc.label == LabelGovDeposit && (lines[1][1] == "" || lines[1][3] != "") {
				t.Fatalf("a deposit is sent, never received: %q", lines[1])
			}
		})
	}
}

// TestMultisigTx: a transaction a multisig account signed reads as any
// other; its fee is the multisig account's.
func TestMultisigTx(t *testing.T) {
	d := testDecoder(t)
	pks := make([]cryptotypes.PubKey, 3)
	for i := range pks {
		pks[i] = secp256k1.GenPrivKeyFromSecret([]byte{byte(i)}).PubKey()
	}
	multi := kmultisig.NewLegacyAminoPubKey(2, pks)
	from := address.Bech32("akash", multi.Address())
	to := testAddr(2)

	b := d.cfg.TxConfig.NewTxBuilder()
	if err := b.SetMsgs(&banktypes.MsgSend{FromAddress: from, ToAddress: to, Amount: uakt(10)}); err != nil {
		t.Fatal(err)
	}
	b.SetFeeAmount(uakt(5000))
	sigs := &signing.MultiSignatureData{Signatures: []signing.SignatureData{
		&signing.SingleSignatureData{SignMode: signing.SignMode_SIGN_MODE_LEGACY_AMINO_JSON, Signature: []byte{1}},
		&signing.SingleSignatureData{SignMode: signing.SignMode_SIGN_MODE_LEGACY_AMINO_JSON, Signature: []byte{2}},
	}}
	if err := b.SetSignatures(signing.SignatureV2{PubKey: multi, Data: sigs, Sequence: 3}); err != nil {
		t.Fatal(err)
	}
	bz, err := d.cfg.TxConfig.TxEncoder()(b.GetTx())
	if err != nil {
		t.Fatal(err)
	}
	e := d.Effects(bz, from, true, nil)
	if e.Undecoded != "" || e.FeePayer != from {
		t.Fatalf("effects %+v", e)
	}
	if got := kinds(e.Movements); got != "send:out:10uakt fee:out:5000uakt" {
		t.Fatalf("movements %q", got)
	}
	if want := "send 0.00001 AKT from " + from + " to " + to; e.Messages[0].Summary != want {
		t.Fatalf("summary %q, want %q", e.Messages[0].Summary, want)
	}
}

// TestGrantsReceived: a grant, a fee allowance and the revocation of
// either read, for their grantee, as addressed to it ("granted to you by
// …"): the tokens named are the granter's, the fees its own. They move
// nothing of the grantee's (the granter signed and paid), so the CSV has
// no line for them; for the granter the same bytes read as before.
func TestGrantsReceived(t *testing.T) {
	d := testDecoder(t)
	a, b := testAddr(1), testAddr(2)
	exp := time.Date(2027, 1, 31, 23, 59, 59, 0, time.UTC)
	g, err := authz.NewGrant(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC), banktypes.NewSendAuthorization(uakt(2_000_000), nil), &exp)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		msg  sdk.Msg
		want string
	}{
		{"send grant", &authz.MsgGrant{Granter: a, Grantee: b, Grant: g},
			"granted to you by " + a + " (authz): you may send up to 2 AKT of the granter's tokens in total, to anyone; until 2027-01-31 23:59:59 UTC"},
		{"generic grant, no end", &authz.MsgGrant{Granter: a, Grantee: b, Grant: authz.Grant{Authorization: anyOf(t, authz.NewGenericAuthorization(sdk.MsgTypeURL(&govv1.MsgVote{})))}},
			"granted to you by " + a + " (authz): you may vote on governance proposals for the granter, without limit; until no end date: until revoked"},
		{"grant of an authorization akw does not know", &authz.MsgGrant{Granter: a, Grantee: b, Grant: authz.Grant{
			Authorization: &codectypes.Any{TypeUrl: "/akash.deployment.v1.DepositAuthorization", Value: []byte{1}}}},
			"granted to you by " + a + " (authz): an authorization of type /akash.deployment.v1.DepositAuthorization that akw does not know (its terms are not shown)"},
		{"revoke", &authz.MsgRevoke{Granter: a, Grantee: b, MsgTypeUrl: sdk.MsgTypeURL(&stakingtypes.MsgDelegate{})},
			"grant to you revoked by " + a + " (authz): you may no longer delegate the granter's tokens"},
		{"fee allowance", &feegrant.MsgGrantAllowance{Granter: a, Grantee: b, Allowance: anyOf(t, &feegrant.BasicAllowance{SpendLimit: uakt(1_000_000), Expiration: &exp})},
			"fee allowance granted to you by " + a + ": you may have your transaction fees paid, up to 1 AKT in total, for any transaction; until 2027-01-31 23:59:59 UTC"},
		{"fee allowance akw does not know", &feegrant.MsgGrantAllowance{Granter: a, Grantee: b, Allowance: &codectypes.Any{TypeUrl: "/x.y.Allowance"}},
			"fee allowance granted to you by " + a + ": an allowance of type /x.y.Allowance that akw does not know (its terms are not shown)"},
		{"revoke fee allowance", &feegrant.MsgRevokeAllowance{Granter: a, Grantee: b},
			"fee allowance to you revoked by " + a + ": " + a + " no longer pays your fees"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			bz := buildTx(t, d, uakt(5000), "", "", tc.msg)
			e := d.Effects(bz, b, true, nil)
			if e.Undecoded != "" || len(e.Messages) != 1 {
				t.Fatalf("effects %+v", e)
			}
			if got := e.Messages[0].Summary; got != tc.want {
				t.Fatalf("summary\n %q\nwant\n %q", got, tc.want)
			}
			if len(e.Movements) != 0 {
				t.Fatalf("the grantee's movements %q: the granter signed and paid", kinds(e.Movements))
			}
			var buf bytes.Buffer
			sum, err := WriteCSV(&buf, []Row{{Hash: "H", Status: Proven, Success: true, Effects: e}}, amount.Akash)
			if err != nil || sum.Lines != 0 {
				t.Fatalf("CSV of a grant received: %+v %v\n%s", sum, err, buf.String())
			}
			// The granter reads the same bytes in the granter's words.
			if got := d.Effects(bz, a, true, nil).Messages[0].Summary; strings.Contains(got, "to you") {
				t.Fatalf("the granter reads %q", got)
			}
		})
	}
}
