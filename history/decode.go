package history

import (
	"fmt"
	"strings"

	"cosmossdk.io/x/feegrant"
	abci "github.com/cometbft/cometbft/abci/types"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	txtypes "github.com/cosmos/cosmos-sdk/types/tx"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	"github.com/cosmos/cosmos-sdk/x/authz"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	govv1beta1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1beta1"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
	"github.com/cosmos/gogoproto/proto"

	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/amount"
	"github.com/akash-wallet/akw/tx/encoding"
)

// Kind is what a movement is.
type Kind string

const (
	KindSend       Kind = "send"       // coins sent to another account
	KindReceive    Kind = "receive"    // coins received from another account
	KindDelegate   Kind = "delegate"   // coins moved from the balance into a delegation
	KindUndelegate Kind = "undelegate" // a delegation starts unbonding (the balance changes when it completes)
	KindRedelegate Kind = "redelegate" // stake moved between validators (no balance change)
	KindReward     Kind = "reward"     // staking rewards or commission paid out (node-reported amount)
	KindFee        Kind = "fee"        // the transaction fee
	KindVote       Kind = "vote"       // a governance vote (no coins)
	KindDeposit    Kind = "deposit"    // a governance deposit or a community-pool contribution
	KindOther      Kind = "other"      // a message whose effect akw does not decode
)

// CounterpartyGov is the counterparty of a governance deposit (a
// proposal's initial deposit or a deposit on one): the gov module holds
// it until the vote ends, then returns or burns it outside any
// transaction.
const CounterpartyGov = "gov"

// Direction says how a movement changes the address's spendable balance.
type Direction string

const (
	In   Direction = "in"
	Out  Direction = "out"
	None Direction = "" // no change to the balance now (undelegate, redelegate, vote)
)

// Movement is one effect of a transaction on the address.
type Movement struct {
	Kind         Kind      `json:"kind"`
	Direction    Direction `json:"direction,omitempty"`
	Coins        sdk.Coins `json:"coins,omitempty"`
	Counterparty string    `json:"counterparty,omitempty"`
	Detail       string    `json:"detail,omitempty"`
	// Proposal is the governance proposal of a deposit (KindDeposit to
	// CounterpartyGov), from the proven bytes or, for a new proposal's
	// initial deposit, its proven result; 0 when unknown.
	Proposal uint64 `json:"proposal,omitempty"`
	// Vesting is the schedule of a vesting-account creation (a send out
	// of the creator's balance, a receipt into the new account's, where
	// the coins are locked).
	Vesting *Vesting `json:"vesting,omitempty"`
	// Verified is true when the movement is read from the proven
	// transaction bytes and proven result code; false when it comes from
	// the node's events (node-reported: rewards paid out, whether a
	// failed transaction's fee was charged).
	Verified bool `json:"verified"`
}

// Message is one message of a transaction as a human reads it.
type Message struct {
	Type    string `json:"type"` // the type URL
	Summary string `json:"summary"`
	Known   bool   `json:"known"`
}

// Effects is what a proven transaction says and did, read for one
// address.
type Effects struct {
	Messages  []Message  `json:"messages"`
	Memo      string     `json:"memo"`
	Fee       sdk.Coins  `json:"fee"`
	FeePayer  string     `json:"fee_payer,omitempty"`
	Movements []Movement `json:"movements"`
	// Undecoded says why the transaction bytes could not be read (a
	// transaction the chain itself could not decode is included in its
	// block with an error code); the row is still proven.
	Undecoded string `json:"undecoded,omitempty"`
}

// Decoder reads transaction bytes with the SDK's codecs (tx/encoding,
// which knows authz and feegrant: MsgExec is read through, grants and fee
// allowances are described), tolerating message types it does not know.
type Decoder struct {
	cfg      *encoding.Config
	denoms   amount.Denoms
	prefix   string
	distrAcc string // the distribution module's account: rewards come from it
}

// NewDecoder returns a decoder for a chain with account prefix prefix
// and token denoms d.
func NewDecoder(prefix string, d amount.Denoms) (*Decoder, error) {
	cfg, err := encoding.New(prefix)
	if err != nil {
		return nil, err
	}
	return &Decoder{cfg: cfg, denoms: d, prefix: prefix,
		distrAcc: address.Bech32(prefix, authtypes.NewModuleAddress(distrtypes.ModuleName))}, nil
}

// Effects decodes txBytes (proven bytes) and reads its effects on addr.
// success is the proven result (code 0); events are the node's events of
// the transaction (node-reported), used only for what the bytes cannot
// say: rewards paid out, and whether a failed transaction's fee was
// charged. It never panics: bytes that do not decode give Undecoded.
func (d *Decoder) Effects(txBytes []byte, addr string, success bool, events []abci.Event) (out Effects) {
	defer func() {
		if r := recover(); r != nil {
			out = Effects{Undecoded: fmt.Sprintf("the transaction could not be read (%v)", r)}
		}
	}()
	t, err := d.decode(txBytes)
	if err != nil {
		return Effects{Undecoded: err.Error()}
	}
	out = Effects{Memo: t.memo, Fee: t.fee, FeePayer: t.payer}
	for _, m := range t.msgs {
		out.Messages = append(out.Messages, d.describeFor(m, addr))
		if success {
			out.Movements = append(out.Movements, d.moves(m, addr)...)
		}
	}
	if success {
		if r := rewardsTo(events, d.distrAcc, addr); !r.IsZero() {
			out.Movements = append(out.Movements, Movement{Kind: KindReward, Direction: In, Coins: r, Counterparty: "distribution",
				Detail: "amount node-reported"})
		}
	}
	payer := t.payer
	if t.granter != "" {
		payer = t.granter
	}
	if payer == addr && !t.fee.IsZero() {
		switch {
		case success:
			out.Movements = append(out.Movements, Movement{Kind: KindFee, Direction: Out, Coins: t.fee, Verified: true})
		case feeCharged(events):
			// A failed transaction paid its fee only if it failed after
			// the ante handler took it; only the events say so.
			out.Movements = append(out.Movements, Movement{Kind: KindFee, Direction: Out, Coins: t.fee,
				Detail: "fee of a failed transaction (charged, as the node reports)"})
		}
	}
	return out
}

type decodedTx struct {
	memo    string
	fee     sdk.Coins
	payer   string
	granter string
	msgs    []decodedMsg
}

type decodedMsg struct {
	typeURL string
	msg     sdk.Msg // nil when the type is unknown
	// vesting is a vesting-account creation (msg is nil: vesting.go).
	vesting *vestingMsg
	// err says why a message of a type akw reads did not decode.
	err error
}

// maxTxBytes bounds what is decoded; CometBFT's default block is 22 MB,
// but no transaction a wallet shows comes near 1 MB.
const maxTxBytes = 4 << 20

func (d *Decoder) decode(bz []byte) (*decodedTx, error) {
	if len(bz) > maxTxBytes {
		return nil, fmt.Errorf("transaction of %d bytes, more than %d", len(bz), maxTxBytes)
	}
	var raw txtypes.TxRaw
	if err := raw.Unmarshal(bz); err != nil {
		return nil, fmt.Errorf("not a Cosmos SDK transaction: %v", err)
	}
	var body txtypes.TxBody
	if err := body.Unmarshal(raw.BodyBytes); err != nil {
		return nil, fmt.Errorf("transaction body: %v", err)
	}
	var ai txtypes.AuthInfo
	if err := ai.Unmarshal(raw.AuthInfoBytes); err != nil {
		return nil, fmt.Errorf("transaction auth info: %v", err)
	}
	if len(body.Messages) == 0 {
		return nil, fmt.Errorf("not a Cosmos SDK transaction: no messages")
	}
	t := &decodedTx{memo: body.Memo}
	if ai.Fee != nil {
		fee := sdk.Coins(ai.Fee.Amount)
		if fee.Validate() == nil {
			t.fee = fee
		} else if len(fee) > 0 {
			return nil, fmt.Errorf("transaction fee %q is not valid coins", fee.String())
		}
		t.payer, t.granter = ai.Fee.Payer, ai.Fee.Granter
	}
	for _, a := range body.Messages {
		t.msgs = append(t.msgs, d.unpack(a))
	}
	if t.payer == "" {
		t.payer = d.firstSigner(t, &ai)
	}
	return t, nil
}

func (d *Decoder) unpack(a *codectypes.Any) decodedMsg {
	if a == nil {
		return decodedMsg{typeURL: "(empty)"}
	}
	var m sdk.Msg
	if err := d.cfg.Registry.UnpackAny(a, &m); err != nil {
		// A message akw knows that carries an Any of a type it does not
		// (a MsgGrant of one of Akash's own authorizations, a MsgExec
		// of an Akash message) is still read, its inner Any left packed:
		// the describers name what they cannot read, and a MsgExec's
		// inner messages are unpacked one by one.
		if m := d.shallow(a); m != nil {
			return decodedMsg{typeURL: a.TypeUrl, msg: m}
		}
		if v, ok, err := decodeVestingMsg(a.TypeUrl, a.Value); ok {
			return decodedMsg{typeURL: a.TypeUrl, vesting: v, err: err}
		}
		return decodedMsg{typeURL: a.TypeUrl}
	}
	return decodedMsg{typeURL: a.TypeUrl, msg: m}
}

// shallow reads a message of a known type without unpacking the Anys
// inside it; nil when the type is unknown or the bytes are not one.
func (d *Decoder) shallow(a *codectypes.Any) sdk.Msg {
	pm, err := d.cfg.Registry.Resolve(a.TypeUrl)
	if err != nil {
		return nil
	}
	m, ok := pm.(sdk.Msg)
	if !ok || proto.Unmarshal(a.Value, pm) != nil {
		return nil
	}
	return m
}

// firstSigner is the default fee payer: the first signer of the first
// message, or else the first signer's public key.
func (d *Decoder) firstSigner(t *decodedTx, ai *txtypes.AuthInfo) string {
	if len(t.msgs) > 0 && t.msgs[0].msg != nil {
		if signers, _, err := d.cfg.Codec.GetMsgV1Signers(t.msgs[0].msg); err == nil && len(signers) > 0 {
			return address.Bech32(d.prefix, signers[0])
		}
	}
	if len(ai.SignerInfos) > 0 && ai.SignerInfos[0] != nil && ai.SignerInfos[0].PublicKey != nil {
		var pk cryptotypes.PubKey
		if err := d.cfg.Registry.UnpackAny(ai.SignerInfos[0].PublicKey, &pk); err == nil && pk != nil {
			return address.Bech32(d.prefix, pk.Address())
		}
	}
	return ""
}

// moves are the effects of one successful message on addr.
func (d *Decoder) moves(m decodedMsg, addr string) []Movement {
	proven := func(mv Movement) []Movement { mv.Verified = true; return []Movement{mv} }
	switch {
	case m.vesting != nil:
		return m.vesting.moves(addr)
	case m.err != nil:
		return []Movement{{Kind: KindOther, Detail: "message " + m.typeURL + " could not be read (" + m.err.Error() + "): its effect on the balance is not shown"}}
	}
	switch msg := m.msg.(type) {
	case *banktypes.MsgSend:
		var out []Movement
		if msg.FromAddress == addr {
			out = append(out, proven(Movement{Kind: KindSend, Direction: Out, Coins: msg.Amount, Counterparty: msg.ToAddress})...)
		}
		if msg.ToAddress == addr {
			out = append(out, proven(Movement{Kind: KindReceive, Direction: In, Coins: msg.Amount, Counterparty: msg.FromAddress})...)
		}
		return out
	case *banktypes.MsgMultiSend:
		var sent, got sdk.Coins
		for _, in := range msg.Inputs {
			if in.Address == addr {
				sent = sent.Add(in.Coins...)
			}
		}
		for _, o := range msg.Outputs {
			if o.Address == addr {
				got = got.Add(o.Coins...)
			}
		}
		var out []Movement
		if !sent.IsZero() {
			out = append(out, proven(Movement{Kind: KindSend, Direction: Out, Coins: sent, Counterparty: "multi-send", Detail: fmt.Sprintf("multi-send to %d outputs", len(msg.Outputs))})...)
		}
		if !got.IsZero() {
			from := "multi-send"
			if len(msg.Inputs) == 1 {
				from = msg.Inputs[0].Address
			}
			out = append(out, proven(Movement{Kind: KindReceive, Direction: In, Coins: got, Counterparty: from})...)
		}
		return out
	case *stakingtypes.MsgDelegate:
		if msg.DelegatorAddress == addr {
			return proven(Movement{Kind: KindDelegate, Direction: Out, Coins: sdk.NewCoins(msg.Amount), Counterparty: msg.ValidatorAddress})
		}
	case *stakingtypes.MsgCreateValidator:
		if d.operatorAccount(msg.ValidatorAddress) == addr {
			return proven(Movement{Kind: KindDelegate, Direction: Out, Coins: sdk.NewCoins(msg.Value), Counterparty: msg.ValidatorAddress, Detail: "self-delegation of a new validator"})
		}
	case *stakingtypes.MsgUndelegate:
		if msg.DelegatorAddress == addr {
			return proven(Movement{Kind: KindUndelegate, Coins: sdk.NewCoins(msg.Amount), Counterparty: msg.ValidatorAddress,
				Detail: "unbonding starts; the coins return to the balance when it completes"})
		}
	case *stakingtypes.MsgBeginRedelegate:
		if msg.DelegatorAddress == addr {
			return proven(Movement{Kind: KindRedelegate, Coins: sdk.NewCoins(msg.Amount), Counterparty: msg.ValidatorDstAddress,
				Detail: "from " + msg.ValidatorSrcAddress + " to " + msg.ValidatorDstAddress})
		}
	case *stakingtypes.MsgCancelUnbondingDelegation:
		if msg.DelegatorAddress == addr {
			return proven(Movement{Kind: KindDelegate, Coins: sdk.NewCoins(msg.Amount), Counterparty: msg.ValidatorAddress,
				Detail: "unbonding cancelled: the coins are delegated again (no balance change)"})
		}
	case *govv1.MsgVote:
		if msg.Voter == addr {
			return proven(Movement{Kind: KindVote, Detail: fmt.Sprintf("proposal %d: %s", msg.ProposalId, voteOption(msg.Option.String()))})
		}
	case *govv1.MsgVoteWeighted:
		if msg.Voter == addr {
			return proven(Movement{Kind: KindVote, Detail: fmt.Sprintf("proposal %d: %s", msg.ProposalId, weighted(msg.Options))})
		}
	case *govv1beta1.MsgVote:
		if msg.Voter == addr {
			return proven(Movement{Kind: KindVote, Detail: fmt.Sprintf("proposal %d: %s", msg.ProposalId, voteOption(msg.Option.String()))})
		}
	case *govv1beta1.MsgVoteWeighted:
		if msg.Voter == addr {
			parts := make([]string, 0, len(msg.Options))
			for _, o := range msg.Options {
				parts = append(parts, voteOption(o.Option.String())+"="+o.Weight.String())
			}
			return proven(Movement{Kind: KindVote, Detail: fmt.Sprintf("proposal %d: %s", msg.ProposalId, strings.Join(parts, ","))})
		}
	case *govv1.MsgDeposit:
		if msg.Depositor == addr {
			return proven(Movement{Kind: KindDeposit, Direction: Out, Coins: msg.Amount, Counterparty: CounterpartyGov, Detail: fmt.Sprintf("deposit on proposal %d", msg.ProposalId), Proposal: msg.ProposalId})
		}
	case *govv1beta1.MsgDeposit:
		if msg.Depositor == addr {
			return proven(Movement{Kind: KindDeposit, Direction: Out, Coins: msg.Amount, Counterparty: CounterpartyGov, Detail: fmt.Sprintf("deposit on proposal %d", msg.ProposalId), Proposal: msg.ProposalId})
		}
	case *govv1.MsgSubmitProposal:
		if msg.Proposer == addr && !sdk.Coins(msg.InitialDeposit).IsZero() {
			return proven(Movement{Kind: KindDeposit, Direction: Out, Coins: msg.InitialDeposit, Counterparty: CounterpartyGov, Detail: "initial deposit of a new proposal"})
		}
	case *govv1beta1.MsgSubmitProposal:
		if msg.Proposer == addr && !msg.InitialDeposit.IsZero() {
			return proven(Movement{Kind: KindDeposit, Direction: Out, Coins: msg.InitialDeposit, Counterparty: CounterpartyGov, Detail: "initial deposit of a new proposal"})
		}
	case *distrtypes.MsgFundCommunityPool:
		if msg.Depositor == addr {
			return proven(Movement{Kind: KindDeposit, Direction: Out, Coins: msg.Amount, Counterparty: "community pool", Detail: "contribution to the community pool"})
		}
	case *distrtypes.MsgDepositValidatorRewardsPool:
		if msg.Depositor == addr {
			return proven(Movement{Kind: KindDeposit, Direction: Out, Coins: msg.Amount, Counterparty: msg.ValidatorAddress, Detail: "deposit into a validator's rewards pool"})
		}
	case *distrtypes.MsgWithdrawDelegatorReward, *distrtypes.MsgWithdrawValidatorCommission, *distrtypes.MsgSetWithdrawAddress:
		// What a claim paid is in the events (rewardsTo), not in the
		// message.
	case *authz.MsgExec:
		var out []Movement
		for _, a := range msg.Msgs {
			out = append(out, d.moves(d.unpack(a), addr)...)
		}
		return out
	case nil:
		return []Movement{{Kind: KindOther, Detail: "message " + m.typeURL + " is not decoded: its effect on the balance, if any, is not shown"}}
	}
	return nil
}

// operatorAccount is the account address of a validator operator.
func (d *Decoder) operatorAccount(valoper string) string {
	v, err := address.Validator(valoper, address.For(d.prefix))
	if err != nil {
		return ""
	}
	return address.Bech32(d.prefix, v)
}

// describe is a one-line reading of a message.
func (d *Decoder) describe(m decodedMsg) Message {
	c := func(cs sdk.Coins) string { return amount.FormatCoins(cs, d.denoms) }
	out := Message{Type: m.typeURL, Known: true}
	switch {
	case m.vesting != nil:
		out.Summary = m.vesting.summary(c)
		return out
	case m.err != nil:
		out.Known, out.Summary = false, "message "+m.typeURL+" (could not be read: "+m.err.Error()+")"
		return out
	}
	switch msg := m.msg.(type) {
	case *banktypes.MsgSend:
		out.Summary = fmt.Sprintf("send %s from %s to %s", c(msg.Amount), msg.FromAddress, msg.ToAddress)
	case *banktypes.MsgMultiSend:
		out.Summary = fmt.Sprintf("multi-send from %d inputs to %d outputs", len(msg.Inputs), len(msg.Outputs))
	case *stakingtypes.MsgDelegate:
		out.Summary = fmt.Sprintf("delegate %s to %s", c(sdk.NewCoins(msg.Amount)), msg.ValidatorAddress)
	case *stakingtypes.MsgUndelegate:
		out.Summary = fmt.Sprintf("undelegate %s from %s", c(sdk.NewCoins(msg.Amount)), msg.ValidatorAddress)
	case *stakingtypes.MsgBeginRedelegate:
		out.Summary = fmt.Sprintf("redelegate %s from %s to %s", c(sdk.NewCoins(msg.Amount)), msg.ValidatorSrcAddress, msg.ValidatorDstAddress)
	case *stakingtypes.MsgCancelUnbondingDelegation:
		out.Summary = fmt.Sprintf("cancel unbonding of %s at %s", c(sdk.NewCoins(msg.Amount)), msg.ValidatorAddress)
	case *stakingtypes.MsgCreateValidator:
		out.Summary = fmt.Sprintf("create validator %s with %s", msg.ValidatorAddress, c(sdk.NewCoins(msg.Value)))
	case *distrtypes.MsgWithdrawDelegatorReward:
		out.Summary = fmt.Sprintf("claim rewards of %s from %s", msg.DelegatorAddress, msg.ValidatorAddress)
	case *distrtypes.MsgWithdrawValidatorCommission:
		out.Summary = fmt.Sprintf("claim commission of %s", msg.ValidatorAddress)
	case *distrtypes.MsgSetWithdrawAddress:
		out.Summary = fmt.Sprintf("set the rewards address of %s to %s", msg.DelegatorAddress, msg.WithdrawAddress)
	case *distrtypes.MsgFundCommunityPool:
		out.Summary = fmt.Sprintf("fund the community pool with %s", c(msg.Amount))
	case *govv1.MsgVote:
		out.Summary = fmt.Sprintf("vote %s on proposal %d", voteOption(msg.Option.String()), msg.ProposalId)
	case *govv1.MsgVoteWeighted:
		out.Summary = fmt.Sprintf("vote %s on proposal %d", weighted(msg.Options), msg.ProposalId)
	case *govv1beta1.MsgVote:
		out.Summary = fmt.Sprintf("vote %s on proposal %d", voteOption(msg.Option.String()), msg.ProposalId)
	case *govv1.MsgDeposit:
		out.Summary = fmt.Sprintf("deposit %s on proposal %d", c(msg.Amount), msg.ProposalId)
	case *govv1beta1.MsgVoteWeighted:
		parts := make([]string, 0, len(msg.Options))
		for _, o := range msg.Options {
			parts = append(parts, voteOption(o.Option.String())+"="+o.Weight.String())
		}
		out.Summary = fmt.Sprintf("vote %s on proposal %d", strings.Join(parts, ","), msg.ProposalId)
	case *govv1beta1.MsgDeposit:
		out.Summary = fmt.Sprintf("deposit %s on proposal %d", c(msg.Amount), msg.ProposalId)
	case *govv1.MsgSubmitProposal:
		out.Summary = d.describeProposal(msg)
	case *govv1beta1.MsgSubmitProposal:
		out.Summary = d.describeProposalV1beta1(msg)
	case *authz.MsgGrant:
		out.Summary = d.describeGrant(msg)
	case *authz.MsgRevoke:
		out.Summary = describeRevoke(msg)
	case *feegrant.MsgGrantAllowance:
		out.Summary = d.describeAllowance(msg)
	case *feegrant.MsgRevokeAllowance:
		out.Summary = describeRevokeAllowance(msg)
	case *authz.MsgExec:
		parts := make([]string, 0, len(msg.Msgs))
		for _, a := range msg.Msgs {
			parts = append(parts, d.describe(d.unpack(a)).Summary)
		}
		out.Summary = fmt.Sprintf("%s executes for others: %s", msg.Grantee, strings.Join(parts, "; "))
	case nil:
		out.Known, out.Summary = false, "message "+m.typeURL+" (not decoded)"
	default:
		out.Summary = m.typeURL
	}
	return out
}

func voteOption(s string) string {
	s = strings.ToLower(strings.TrimPrefix(s, "VOTE_OPTION_"))
	return s
}

func weighted(opts []*govv1.WeightedVoteOption) string {
	parts := make([]string, 0, len(opts))
	for _, o := range opts {
		if o != nil {
			parts = append(parts, voteOption(o.Option.String())+"="+o.Weight)
		}
	}
	return strings.Join(parts, ",")
}

// rewardsTo sums the coins the distribution module paid to addr in a
// transaction's events (bank's transfer events): what claims and the
// automatic withdrawals of delegate, undelegate and redelegate paid out.
// Node-reported: no header commits events.
func rewardsTo(events []abci.Event, distr, addr string) sdk.Coins {
	var total sdk.Coins
	for _, ev := range events {
		if ev.Type != banktypes.EventTypeTransfer {
			continue
		}
		var sender, recipient, amt string
		for _, a := range ev.Attributes {
			switch a.Key {
			case banktypes.AttributeKeySender:
				sender = a.Value
			case banktypes.AttributeKeyRecipient:
				recipient = a.Value
			case sdk.AttributeKeyAmount:
				amt = a.Value
			}
		}
		if sender != distr || recipient != addr {
			continue
		}
		coins, err := sdk.ParseCoinsNormalized(amt)
		if err != nil {
			continue
		}
		total = total.Add(coins...)
	}
	return total
}

// feeCharged says whether a transaction's events show that its fee was
// taken: the ante handler's "tx" event with a fee. The SDK keeps the ante
// handler's events (and state changes) for a transaction whose messages
// failed, and drops both when the ante handler itself failed.
func feeCharged(events []abci.Event) bool {
	for _, ev := range events {
		if ev.Type != sdk.EventTypeTx {
			continue
		}
		for _, a := range ev.Attributes {
			if a.Key == sdk.AttributeKeyFee {
				return true
			}
		}
	}
	return false
}
