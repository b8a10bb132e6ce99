package ops

import (
	"strconv"
	"strings"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/tx"
	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/amount"
	"github.com/akash-wallet/akw/tx/vote"
)

// Kind names an operation, as Op.Name does.
type Kind string

const (
	KindSend            Kind = "send"
	KindDelegate        Kind = "delegate"
	KindRedelegate      Kind = "redelegate"
	KindUndelegate      Kind = "undelegate"
	KindWithdrawRewards Kind = "withdraw-rewards"
	KindVote            Kind = "vote"
)

// Request is an operation as a person gives it — the fields of a form, the
// arguments of a command — not yet parsed. Parse turns it into an Op; the
// command line and the TUI both go through it, so that the same input is
// refused (or taken) the same way in both.
type Request struct {
	Kind Kind
	// To is the recipient of a send, the validator of a delegation or an
	// undelegation, the destination of a redelegation.
	To string
	// Src is the source validator of a redelegation.
	Src string
	// Amount as typed: 1.5akt or 1500000uakt.
	Amount string
	// Tokens, if set, reads the Amount of a send: any unit of a token it
	// knows, from the chain's proven metadata ("1.5act", "250ibc/…"; a
	// *denom.Set built from the sender's proven holdings). Without it,
	// and always for staking, amounts are in the network's token.
	Tokens AmountReader
	// Validators to withdraw rewards from; All: from every validator the
	// signer has a delegation with (read from proven state when checked).
	Validators []string
	All        bool
	// Commission also withdraws the commission of the signer's validator.
	Commission bool
	// ProposalID and Option of a vote, as typed: "7", "yes" or
	// "yes=0.6,no=0.4".
	ProposalID string
	Option     string
}

// AmountReader reads an amount typed in some unit into base units
// (denom.Set does).
type AmountReader interface {
	Parse(input string) (sdk.Coin, error)
}

// Parse makes the operation of signer that r asks for, with the
// network's denoms and bech32 prefixes. Every field is checked before any
// keyring or node is opened; a bad one is an input error (errkind.Usage)
// that says which field and why, with the parser's hint.
func Parse(r Request, signer sdk.AccAddress, d amount.Denoms, p address.Prefixes) (Op, error) {
	coin := func() (sdk.Coin, error) {
		c, err := amount.Parse(r.Amount, d)
		if err != nil {
			return sdk.Coin{}, tx.Input(err, "")
		}
		return c, nil
	}
	account := func(s string) (sdk.AccAddress, error) {
		a, err := address.Account(strings.TrimSpace(s), p)
		if err != nil {
			return nil, tx.Input(err, "")
		}
		return a, nil
	}
	validator := func(s string) (sdk.ValAddress, error) {
		v, err := address.Validator(strings.TrimSpace(s), p)
		if err != nil {
			return nil, tx.Input(err, "")
		}
		return v, nil
	}
	switch r.Kind {
	case KindSend:
		to, err := account(r.To)
		if err != nil {
			return nil, err
		}
		read := coin
		if r.Tokens != nil {
			read = func() (sdk.Coin, error) {
				c, err := r.Tokens.Parse(r.Amount)
				if err != nil {
					return sdk.Coin{}, tx.Input(err, "")
				}
				return c, nil
			}
		}
		c, err := read()
		if err != nil {
			return nil, err
		}
		return &Send{From: signer, To: to, Amount: c}, nil
	case KindDelegate, KindUndelegate:
		v, err := validator(r.To)
		if err != nil {
			return nil, err
		}
		c, err := coin()
		if err != nil {
			return nil, err
		}
		if r.Kind == KindDelegate {
			return &Delegate{Delegator: signer, Validator: v, Amount: c}, nil
		}
		return &Undelegate{Delegator: signer, Validator: v, Amount: c}, nil
	case KindRedelegate:
		src, err := validator(r.Src)
		if err != nil {
			return nil, err
		}
		dst, err := validator(r.To)
		if err != nil {
			return nil, err
		}
		if src.Equals(dst) {
			return nil, sameValidator(p, src)
		}
		c, err := coin()
		if err != nil {
			return nil, err
		}
		return &Redelegate{Delegator: signer, Src: src, Dst: dst, Amount: c}, nil
	case KindWithdrawRewards:
		op := &WithdrawRewards{Delegator: signer, All: r.All, Commission: r.Commission}
		for _, s := range r.Validators {
			v, err := validator(s)
			if err != nil {
				return nil, err
			}
			op.Validators = append(op.Validators, v)
		}
		return op, nil
	case KindVote:
		id, err := strconv.ParseUint(strings.TrimSpace(r.ProposalID), 10, 64)
		if err != nil || id == 0 {
			return nil, tx.InputThen(errkind.Remedy{Do: errkind.ShowProposals}, "give the proposal's number", "invalid proposal id %q", r.ProposalID)
		}
		opts, weighted, err := vote.Parse(strings.TrimSpace(r.Option))
		if err != nil {
			return nil, tx.Input(err, "")
		}
		return &Vote{Voter: signer, ProposalID: id, Options: opts, Weighted: weighted}, nil
	}
	return nil, tx.Inputf("", "unknown operation %q", r.Kind)
}
