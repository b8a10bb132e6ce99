package sign

import (
	"fmt"
	"strings"
	"time"

	"github.com/cosmos/cosmos-sdk/client"
	kmultisig "github.com/cosmos/cosmos-sdk/crypto/keys/multisig"
	sdk "github.com/cosmos/cosmos-sdk/types"
	signingtypes "github.com/cosmos/cosmos-sdk/types/tx/signing"
	authsigning "github.com/cosmos/cosmos-sdk/x/auth/signing"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
	"github.com/cosmos/gogoproto/proto"

	"github.com/akash-wallet/akw/tx/amount"
	"github.com/akash-wallet/akw/tx/encoding"
	"github.com/akash-wallet/akw/tx/ops"
	"github.com/akash-wallet/akw/tx/vote"
)

// MsgView is one message as a human reads it.
type MsgView struct {
	Type   string      `json:"type"`
	Fields []ops.Field `json:"fields"`
	// Known is false for a message type akw does not describe; its raw
	// JSON is shown instead and deserves a careful read.
	Known bool `json:"known"`
}

// SigView is one signature's public data.
type SigView struct {
	Signer   string `json:"signer"`
	Sequence uint64 `json:"sequence"`
	Mode     string `json:"sign_mode"`
	// For a multisig signer: how many of its members' signatures the
	// transaction carries, of how many members, and how many it needs.
	Multisig *MultisigView `json:"multisig,omitempty"`
}

// MultisigView is a multisignature's count, and whose signatures it
// carries.
type MultisigView struct {
	Collected int `json:"collected"`
	Threshold int `json:"threshold"`
	Members   int `json:"members"`
	// MemberAddresses are the members' addresses in the multisig's order;
	// SignedBy those whose signature the transaction carries (by the
	// multisignature's bit array: what it claims, verified on broadcast).
	MemberAddresses []string `json:"member_addresses"`
	SignedBy        []string `json:"signed_by"`
}

// Decoded is what a human is about to sign or broadcast.
type Decoded struct {
	Messages []MsgView `json:"messages"`
	Fee      string    `json:"fee"`
	FeeCoins sdk.Coins `json:"fee_coins"`
	// FeePayer and FeeGranter are set when the transaction names them:
	// the granter pays through its fee allowance to the payer.
	FeePayer   string    `json:"fee_payer,omitempty"`
	FeeGranter string    `json:"fee_granter,omitempty"`
	Gas        uint64    `json:"gas"`
	Memo       string    `json:"memo"`
	Unordered  bool      `json:"unordered"`
	Timeout    time.Time `json:"timeout_timestamp,omitempty"`
	Signers    []string  `json:"signers"`
	Signed     bool      `json:"signed"`
	Sigs       []SigView `json:"signatures"`
}

// Describe turns a transaction into its human reading.
func Describe(cfg *encoding.Config, b client.TxBuilder, d amount.Denoms) Decoded {
	t := b.GetTx()
	out := Decoded{
		FeeCoins:  t.GetFee(),
		Fee:       amount.FormatCoins(t.GetFee(), d),
		Gas:       t.GetGas(),
		Memo:      t.GetMemo(),
		Unordered: t.GetUnordered(),
	}
	out.FeePayer, out.FeeGranter = feeParties(cfg, t)
	if ts := t.GetTimeoutTimeStamp(); !ts.IsZero() && ts.Unix() > 0 {
		out.Timeout = ts.UTC()
	}
	if signers, err := t.GetSigners(); err == nil {
		for _, s := range signers {
			out.Signers = append(out.Signers, cfg.Bech32(s))
		}
	}
	if sigs, err := t.GetSignaturesV2(); err == nil {
		for _, s := range sigs {
			v := SigView{Sequence: s.Sequence}
			if s.PubKey != nil {
				v.Signer = cfg.Bech32(sdk.AccAddress(s.PubKey.Address()))
			}
			if sd, ok := s.Data.(*signingtypes.SingleSignatureData); ok {
				v.Mode = sd.SignMode.String()
				out.Signed = out.Signed || len(sd.Signature) > 0
			}
			if multi, ok := s.PubKey.(*kmultisig.LegacyAminoPubKey); ok {
				mv := &MultisigView{Threshold: int(multi.Threshold), Members: len(multi.GetPubKeys()), MemberAddresses: []string{}, SignedBy: []string{}}
				for _, pk := range multi.GetPubKeys() {
					mv.MemberAddresses = append(mv.MemberAddresses, cfg.Bech32(sdk.AccAddress(pk.Address())))
				}
				if md, ok := s.Data.(*signingtypes.MultiSignatureData); ok {
					mv.Collected = len(md.Signatures)
					for i, a := range mv.MemberAddresses {
						if md.BitArray != nil && md.BitArray.GetIndex(i) {
							mv.SignedBy = append(mv.SignedBy, a)
						}
					}
					v.Mode = "multisig"
					out.Signed = out.Signed || mv.Collected >= mv.Threshold
				}
				v.Multisig = mv
			}
			out.Sigs = append(out.Sigs, v)
		}
	}
	for _, m := range t.GetMsgs() {
		out.Messages = append(out.Messages, describeMsg(cfg, m, d))
	}
	return out
}

// feeParties reads a fee payer other than the first signer and a fee
// granter. The SDK's accessors panic on an address that does not decode
// (a hand-edited file): such a transaction shows neither, and signing or
// broadcasting it fails on the same address with an error.
func feeParties(cfg *encoding.Config, t authsigning.Tx) (payer, granter string) {
	defer func() {
		if recover() != nil {
			payer, granter = "", ""
		}
	}()
	if g := t.FeeGranter(); len(g) > 0 {
		granter = cfg.Bech32(sdk.AccAddress(g))
	}
	signers, err := t.GetSigners()
	if err != nil || len(signers) == 0 {
		return "", granter
	}
	if p := t.FeePayer(); len(p) > 0 && !sdk.AccAddress(p).Equals(sdk.AccAddress(signers[0])) {
		payer = cfg.Bech32(sdk.AccAddress(p))
	}
	return payer, granter
}

func coins(cs sdk.Coins, d amount.Denoms) string { return amount.FormatCoins(cs, d) }

func describeMsg(cfg *encoding.Config, m sdk.Msg, d amount.Denoms) MsgView {
	f := func(kv ...string) []ops.Field {
		var out []ops.Field
		for i := 0; i+1 < len(kv); i += 2 {
			out = append(out, ops.Field{Label: kv[i], Value: kv[i+1]})
		}
		return out
	}
	v := MsgView{Type: sdk.MsgTypeURL(m), Known: true}
	switch m := m.(type) {
	case *banktypes.MsgSend:
		v.Fields = f("action", "send", "from", m.FromAddress, "to", m.ToAddress, "amount", coins(m.Amount, d))
	case *stakingtypes.MsgDelegate:
		v.Fields = f("action", "delegate", "delegator", m.DelegatorAddress, "validator", m.ValidatorAddress, "amount", amount.FormatCoin(m.Amount, d))
	case *stakingtypes.MsgBeginRedelegate:
		v.Fields = f("action", "redelegate", "delegator", m.DelegatorAddress, "from validator", m.ValidatorSrcAddress, "to validator", m.ValidatorDstAddress, "amount", amount.FormatCoin(m.Amount, d))
	case *stakingtypes.MsgUndelegate:
		v.Fields = f("action", "undelegate", "delegator", m.DelegatorAddress, "validator", m.ValidatorAddress, "amount", amount.FormatCoin(m.Amount, d))
	case *distrtypes.MsgWithdrawDelegatorReward:
		v.Fields = f("action", "withdraw rewards", "delegator", m.DelegatorAddress, "from validator", m.ValidatorAddress)
	case *distrtypes.MsgWithdrawValidatorCommission:
		v.Fields = f("action", "withdraw validator commission", "validator", m.ValidatorAddress)
	case *govv1.MsgVote:
		v.Fields = f("action", "vote", "voter", m.Voter, "proposal", fmt.Sprint(m.ProposalId), "option", vote.Name(m.Option))
	case *govv1.MsgVoteWeighted:
		v.Fields = f("action", "weighted vote", "voter", m.Voter, "proposal", fmt.Sprint(m.ProposalId), "options", vote.Describe(m.Options))
	default:
		if fields, ok := describeGrantMsg(cfg, m, d); ok {
			v.Fields = fields
			break
		}
		v.Known = false
		js, err := cfg.Codec.MarshalInterfaceJSON(m)
		text := string(js)
		if err != nil {
			text = proto.CompactTextString(m)
		}
		v.Fields = f("action", "UNKNOWN message type "+strings.TrimPrefix(sdk.MsgTypeURL(m), "/"), "raw", text)
	}
	return v
}
