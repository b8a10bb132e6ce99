package ops

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/amount"
)

func TestParseEveryOperation(t *testing.T) {
	p := address.For("akash")
	to := address.Bech32(p.Account, sdk.AccAddress(bytes.Repeat([]byte{8}, 20)))
	v1, v2 := address.Bech32(p.Validator, val(1)), address.Bech32(p.Validator, val(2))
	for _, c := range []struct {
		r    Request
		want string // the operation's summary, joined
	}{
		{Request{Kind: KindSend, To: to, Amount: "1.5akt"}, "send " + to + " 1.5 AKT"},
		{Request{Kind: KindSend, To: " " + to + " ", Amount: " 1500000uakt "}, "send " + to + " 1.5 AKT"},
		{Request{Kind: KindDelegate, To: v1, Amount: "2akt"}, "delegate " + v1 + " 2 AKT"},
		{Request{Kind: KindUndelegate, To: v1, Amount: "1akt"}, "undelegate " + v1 + " 1 AKT"},
		{Request{Kind: KindRedelegate, Src: v1, To: v2, Amount: "1akt"}, "redelegate " + v1 + " " + v2 + " 1 AKT"},
		{Request{Kind: KindWithdrawRewards, Validators: []string{v1, v2}}, "withdraw rewards " + v1 + " " + v2},
		{Request{Kind: KindWithdrawRewards, All: true}, "withdraw rewards every validator with a delegation"},
		{Request{Kind: KindVote, ProposalID: "7", Option: "yes"}, "vote 7 yes"},
		{Request{Kind: KindVote, ProposalID: "7", Option: " yes=0.6,no=0.4 "}, "vote 7 yes=0.6, no=0.4"},
	} {
		op, err := Parse(c.r, me, amount.Akash, p)
		if err != nil {
			t.Errorf("%+v: %v", c.r, err)
			continue
		}
		if op.Signer().String() != me.String() || string(c.r.Kind) != op.Name() {
			t.Errorf("%+v: %s of %s", c.r, op.Name(), op.Signer())
		}
		var vals []string
		for _, f := range op.Summary(amount.Akash, p) {
			if f.Label != "delegator" && f.Label != "from" && f.Label != "voter" || f.Value == "every validator with a delegation" {
				vals = append(vals, f.Value)
			}
		}
		if got := strings.Join(vals, " "); !strings.HasPrefix(got, c.want) {
			t.Errorf("%+v: summary %q, want %q", c.r, got, c.want)
		}
	}
}

// Bad input is a usage error that names the field's problem and carries
// the parser's hint; it is refused the same way in every face.
func TestParseRefusesBadInput(t *testing.T) {
	p := address.For("akash")
	v1 := address.Bech32(p.Validator, val(1))
	acct := address.Bech32(p.Account, sdk.AccAddress(bytes.Repeat([]byte{8}, 20)))
	for _, c := range []struct {
		r    Request
		want error  // the reason, when a package names one
		text string // in the message
	}{
		{Request{Kind: KindSend, To: acct, Amount: "0akt"}, amount.ErrZero, "amount is zero"},
		{Request{Kind: KindSend, To: acct, Amount: "1,5akt"}, nil, "invalid amount"},
		{Request{Kind: KindSend, To: v1, Amount: "1akt"}, address.ErrValidatorNotAccount, "validator operator address"},
		{Request{Kind: KindDelegate, To: acct, Amount: "1akt"}, address.ErrAccountNotValidator, "account address"},
		{Request{Kind: KindSend, To: "cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu", Amount: "1akt"}, address.ErrOtherChain, "another chain"},
		{Request{Kind: KindRedelegate, Src: v1, To: v1, Amount: "1akt"}, nil, "to itself"},
		{Request{Kind: KindWithdrawRewards, Validators: []string{acct}}, address.ErrAccountNotValidator, ""},
		{Request{Kind: KindVote, ProposalID: "x", Option: "yes"}, nil, `invalid proposal id "x"`},
		{Request{Kind: KindVote, ProposalID: "0", Option: "yes"}, nil, "invalid proposal id"},
		{Request{Kind: KindVote, ProposalID: "3", Option: "maybe"}, nil, "unknown vote option"},
		{Request{Kind: "stake-everything"}, nil, "unknown operation"},
	} {
		_, err := Parse(c.r, me, amount.Akash, p)
		if err == nil {
			t.Errorf("%+v: accepted", c.r)
			continue
		}
		if errkind.KindOf(err) != errkind.Usage || (c.want != nil && !errors.Is(err, c.want)) || !strings.Contains(err.Error(), c.text) {
			t.Errorf("%+v: %v (%v)", c.r, err, errkind.KindOf(err))
		}
		if c.r.Kind != "stake-everything" && errkind.HintOf(err).IsZero() {
			t.Errorf("%+v: no hint for %v", c.r, err)
		}
	}
}
