package ops

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	sdkmath "cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"

	"github.com/akash-wallet/akw/tx"
	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/amount"
)

// Deposit adds to a proposal's deposit.
type Deposit struct {
	Depositor  sdk.AccAddress
	ProposalID uint64
	Amount     sdk.Coins

	prop   *tx.ProposalDetail
	params *tx.GovParams
}

func (o *Deposit) Name() string           { return "deposit" }
func (o *Deposit) Signer() sdk.AccAddress { return o.Depositor }
func (o *Deposit) Spend() sdk.Coins       { return o.Amount }
func (o *Deposit) Msgs(p address.Prefixes) ([]sdk.Msg, error) {
	return []sdk.Msg{&govv1.MsgDeposit{ProposalId: o.ProposalID, Depositor: address.Bech32(p.Account, o.Depositor), Amount: o.Amount}}, nil
}
func (o *Deposit) Summary(d amount.Denoms, p address.Prefixes) []Field {
	f := []Field{
		{"action", "deposit on a governance proposal"},
		{"depositor", address.Bech32(p.Account, o.Depositor)},
		{"proposal", strconv.FormatUint(o.ProposalID, 10)},
		{"amount", amount.FormatCoins(o.Amount, d)},
	}
	if o.prop != nil {
		f = append(f, Field{"title", o.prop.Title}, Field{"status", StatusWords(o.prop.Status)})
		if o.params != nil && o.prop.Status == govv1.StatusDepositPeriod {
			need := minDepositFor(o.params, o.prop.Expedited)
			after := o.prop.TotalDeposit.Add(o.Amount...)
			if after.IsAllGTE(need) {
				f = append(f, Field{"then", "the deposit reaches the minimum of " + amount.FormatCoins(need, d) + ": voting starts"})
			} else {
				missing, _ := need.SafeSub(after...)
				f = append(f, Field{"then", fmt.Sprintf("%s still missing of the minimum %s; deposits close %s", amount.FormatCoins(nonNegative(missing), d),
					amount.FormatCoins(need, d), o.prop.DepositEnd.UTC().Format("2006-01-02 15:04 UTC"))})
			}
		}
	}
	f = append(f, Field{"note", "deposits are returned when the vote ends, except when the chain's rules burn them (a veto, a failed quorum, or no vote at all)"})
	return f
}

func nonNegative(cs sdk.Coins) sdk.Coins {
	var out sdk.Coins
	for _, c := range cs {
		if c.Amount.IsPositive() {
			out = append(out, c)
		}
	}
	return out
}

// StatusWords names a proposal's status for people ("voting period").
func StatusWords(s govv1.ProposalStatus) string {
	switch s {
	case govv1.StatusDepositPeriod:
		return "deposit period"
	case govv1.StatusVotingPeriod:
		return "voting period"
	case govv1.StatusPassed:
		return "passed"
	case govv1.StatusRejected:
		return "rejected"
	case govv1.StatusFailed:
		return "failed"
	}
	return s.String()
}

func minDepositFor(p *tx.GovParams, expedited bool) sdk.Coins {
	if expedited {
		return p.ExpeditedMinDeposit
	}
	return p.MinDeposit
}

func (o *Deposit) Check(ctx context.Context, c *Checker) error {
	if !o.Amount.IsValid() || o.Amount.IsZero() {
		return tx.Inputf("give an amount such as 10akt", "invalid deposit %s", o.Amount)
	}
	gs, ok := c.State.(tx.GovSource)
	if !ok {
		prop, err := c.State.Proposal(ctx, o.ProposalID)
		if errors.Is(err, tx.ErrNotFound) {
			return noProposal(o.ProposalID)
		}
		if err != nil {
			return err
		}
		if !tx.ProposalOpen(prop.Status) {
			return closedProposal(o.ProposalID, prop.Status)
		}
		c.warn("the deposit rules (denoms, minimum) were not checked: this source cannot prove the gov parameters")
		return nil
	}
	prop, err := gs.ProposalDetail(ctx, o.ProposalID)
	if errors.Is(err, tx.ErrNotFound) {
		return noProposal(o.ProposalID)
	}
	if err != nil {
		return err
	}
	if !tx.ProposalOpen(prop.Status) {
		return closedProposal(o.ProposalID, prop.Status)
	}
	params, err := gs.GovParams(ctx)
	if err != nil {
		return err
	}
	o.prop, o.params = prop, params
	if err := checkDepositDenoms(params, o.Amount, c.Denoms); err != nil {
		return err
	}
	// x/gov: a deposit must reach MinDepositRatio of the minimum deposit
	// in at least one accepted denom.
	if ratio, err := sdkmath.LegacyNewDecFromStr(params.MinDepositRatio); err == nil && !ratio.IsZero() {
		met := false
		var least []string
		for _, m := range minDepositFor(params, prop.Expedited) {
			th := sdk.NewCoin(m.Denom, m.Amount.ToLegacyDec().Mul(ratio).TruncateInt())
			least = append(least, amount.FormatCoin(th, c.Denoms))
			if o.Amount.AmountOf(m.Denom).GTE(th.Amount) {
				met = true
			}
		}
		if !met {
			return &tx.CheckError{Check: "deposit", Reason: fmt.Sprintf("a deposit of %s is below the least the chain accepts (%s, proven at height %d)",
				amount.FormatCoins(o.Amount, c.Denoms), strings.Join(least, " or "), params.Height), Fix: "deposit at least " + strings.Join(least, " or ")}
		}
	}
	if prop.Status == govv1.StatusVotingPeriod {
		c.warn("proposal %d is already in its voting period: the deposit does not change the vote, and is burnt or returned with the others", o.ProposalID)
	}
	return nil
}

func noProposal(id uint64) error {
	return &tx.CheckError{Check: "proposal", Reason: fmt.Sprintf("there is no proposal %d", id), Fix: "list the proposals in their deposit period"}
}

func closedProposal(id uint64, s govv1.ProposalStatus) error {
	return &tx.CheckError{Check: "proposal", Reason: fmt.Sprintf("proposal %d is %s: it takes no more deposits", id, StatusWords(s)),
		Fix: "deposits are taken only in the deposit and voting periods; list the proposals in their deposit period"}
}

func checkDepositDenoms(params *tx.GovParams, deposit sdk.Coins, d amount.Denoms) error {
	accepted := map[string]bool{}
	var names []string
	for _, c := range params.MinDeposit {
		accepted[c.Denom] = true
		names = append(names, c.Denom)
	}
	for _, c := range deposit {
		if !accepted[c.Denom] {
			return tx.Inputf("deposit in "+strings.Join(names, " or "), "the chain takes deposits in %s only, not %s", strings.Join(names, ", "), c.Denom)
		}
	}
	return nil
}

// ParseDeposit reads a deposit's proposal id and amount.
func ParseDeposit(depositor sdk.AccAddress, id, amt string, d amount.Denoms) (*Deposit, error) {
	n, err := strconv.ParseUint(strings.TrimSpace(id), 10, 64)
	if err != nil || n == 0 {
		return nil, tx.Inputf("give the proposal's number", "invalid proposal id %q", id)
	}
	coins, err := ParseCoinList(amt, d)
	if err != nil {
		return nil, err
	}
	if coins.IsZero() {
		return nil, tx.Inputf("give an amount such as 10akt", "no deposit amount given")
	}
	return &Deposit{Depositor: depositor, ProposalID: n, Amount: coins}, nil
}

// SubmitProposal submits a governance proposal: messages for the gov
// module to execute if it passes (none for a text proposal), with title,
// summary and metadata, an initial deposit, expedited or not.
type SubmitProposal struct {
	Proposer sdk.AccAddress
	Messages []sdk.Msg
	Metadata string
	Title    string
	// ProposalSummary is the proposal's summary (the SDK's "summary").
	ProposalSummary string
	Deposit         sdk.Coins
	Expedited       bool

	params *tx.GovParams
}

func (o *SubmitProposal) Name() string           { return "submit-proposal" }
func (o *SubmitProposal) Signer() sdk.AccAddress { return o.Proposer }
func (o *SubmitProposal) Spend() sdk.Coins       { return o.Deposit }
func (o *SubmitProposal) Msgs(p address.Prefixes) ([]sdk.Msg, error) {
	anys := make([]*codectypes.Any, len(o.Messages))
	for i, m := range o.Messages {
		a, err := codectypes.NewAnyWithValue(m)
		if err != nil {
			return nil, err
		}
		anys[i] = a
	}
	return []sdk.Msg{&govv1.MsgSubmitProposal{Messages: anys, InitialDeposit: o.Deposit, Proposer: address.Bech32(p.Account, o.Proposer),
		Metadata: o.Metadata, Title: o.Title, Summary: o.ProposalSummary, Expedited: o.Expedited}}, nil
}

func (o *SubmitProposal) Summary(d amount.Denoms, p address.Prefixes) []Field {
	kind := "text proposal (no messages: nothing is executed if it passes)"
	if len(o.Messages) > 0 {
		kind = fmt.Sprintf("proposal executing %d message(s) if it passes", len(o.Messages))
	}
	if o.Expedited {
		kind = "expedited " + kind
	}
	f := []Field{
		{"action", "submit a governance proposal"},
		{"proposer", address.Bech32(p.Account, o.Proposer)},
		{"kind", kind},
		{"title", o.Title},
		{"summary", o.ProposalSummary},
	}
	if o.Metadata != "" {
		f = append(f, Field{"metadata", o.Metadata})
	}
	for i, m := range o.Messages {
		f = append(f, Field{fmt.Sprintf("message %d", i+1), DescribeMsg(m, d)})
	}
	f = append(f, Field{"deposit", amount.FormatCoins(o.Deposit, d)})
	if o.params != nil {
		need := minDepositFor(o.params, o.Expedited)
		period := o.params.VotingPeriod
		if o.Expedited {
			period = o.params.ExpeditedVotingPeriod
		}
		if o.Deposit.IsAllGTE(need) {
			f = append(f, Field{"then", "the deposit reaches the minimum of " + amount.FormatCoins(need, d) + ": voting starts at once and lasts " + FormatDuration(period)})
		} else {
			f = append(f, Field{"then", "the proposal waits for deposits up to the minimum of " + amount.FormatCoins(need, d) + " for " + FormatDuration(o.params.MaxDepositPeriod) + "; without them it is dropped"})
		}
		if o.Expedited {
			f = append(f, Field{"expedited", "a shorter vote with a higher threshold; if it does not pass as expedited, it becomes a normal proposal"})
		}
	}
	f = append(f, Field{"note", "the deposit is returned when the vote ends, except when the chain's rules burn it (a veto, a failed quorum, or no vote at all)"})
	return f
}

// validate refuses what x/gov's SubmitProposal refuses whatever the
// state: it is checked both when the file is read and before signing.
func (o *SubmitProposal) validate(signers Signers) error {
	if strings.TrimSpace(o.Title) == "" {
		return tx.Inputf(`set "title" in the proposal file`, "the proposal has no title")
	}
	if strings.TrimSpace(o.ProposalSummary) == "" {
		return tx.Inputf(`set "summary" in the proposal file`, "the proposal has no summary")
	}
	if len(o.Messages) == 0 && o.Metadata == "" {
		return tx.Inputf(`a text proposal needs "metadata" (a link to its full text, such as ipfs://...)`, "the proposal has neither messages nor metadata")
	}
	var md govtypes.ProposalMetadata
	if o.Metadata != "" && json.Unmarshal([]byte(o.Metadata), &md) == nil {
		if md.Title != o.Title || md.Summary != o.ProposalSummary {
			return tx.Inputf("make the metadata's title and summary those of the proposal", "the metadata's title and summary differ from the proposal's")
		}
	}
	if !o.Deposit.IsValid() {
		return tx.Inputf("give a deposit such as 1000akt", "invalid deposit %s", o.Deposit)
	}
	if signers != nil {
		gov := authtypes.NewModuleAddress(govtypes.ModuleName)
		for i, m := range o.Messages {
			s, _, err := signers.GetMsgV1Signers(m)
			if err != nil {
				return tx.Inputf("", "message %d (%s): its signer cannot be read: %v", i+1, sdk.MsgTypeURL(m), err)
			}
			if len(s) != 1 || !bytes.Equal(s[0], gov) {
				return tx.Inputf("a proposal's messages act as the gov module: set their authority (or sender) to the gov module account",
					"message %d (%s) is not signed by the gov module account", i+1, sdk.MsgTypeURL(m))
			}
		}
	}
	return nil
}

func (o *SubmitProposal) Check(ctx context.Context, c *Checker) error {
	if err := o.validate(nil); err != nil {
		return err
	}
	gs, ok := c.State.(tx.GovSource)
	if !ok {
		c.warn("the deposit rules (denoms, minimum) were not checked: this source cannot prove the gov parameters")
		return nil
	}
	params, err := gs.GovParams(ctx)
	if err != nil {
		return err
	}
	o.params = params
	if err := checkDepositDenoms(params, o.Deposit, c.Denoms); err != nil {
		return err
	}
	ratio, err := sdkmath.LegacyNewDecFromStr(params.MinInitialDepositRatio)
	if err != nil {
		return &tx.CheckError{Check: "gov params", Reason: "the chain's minimum initial deposit ratio is unreadable: " + params.MinInitialDepositRatio}
	}
	var least sdk.Coins
	for _, m := range minDepositFor(params, o.Expedited) {
		least = least.Add(sdk.NewCoin(m.Denom, m.Amount.ToLegacyDec().Mul(ratio).RoundInt()))
	}
	if !o.Deposit.IsAllGTE(least) {
		what := "a proposal"
		if o.Expedited {
			what = "an expedited proposal"
		}
		return &tx.CheckError{Check: "deposit", Reason: fmt.Sprintf("the initial deposit %s is below what the chain requires of %s: %s (%s of the minimum deposit %s, proven at height %d)",
			amount.FormatCoins(o.Deposit, c.Denoms), what, amount.FormatCoins(least, c.Denoms), ratio.String(), amount.FormatCoins(minDepositFor(params, o.Expedited), c.Denoms), params.Height),
			Fix: "raise the deposit to at least " + amount.FormatCoins(least, c.Denoms)}
	}
	return nil
}

// proposalFile is the JSON the SDK's `tx gov submit-proposal` reads
// (x/gov/client/cli/util.go).
type proposalFile struct {
	Messages  []json.RawMessage `json:"messages,omitempty"`
	Metadata  string            `json:"metadata"`
	Deposit   string            `json:"deposit"`
	Title     string            `json:"title"`
	Summary   string            `json:"summary"`
	Expedited bool              `json:"expedited"`
}

// MaxProposalFile bounds what is read as a proposal file.
const MaxProposalFile = 1 << 20

// ParseProposalFile reads a proposal in the JSON the SDK's CLI accepts:
//
//	{"messages": [{"@type": "/cosmos.bank.v1beta1.MsgSend", ...}],
//	 "metadata": "ipfs://...", "deposit": "1000000uakt",
//	 "title": "...", "summary": "...", "expedited": false}
//
// Messages are decoded with cdc (tx/encoding's codec): a type it does not
// know is refused. deposit, when not empty, replaces the file's deposit
// (--deposit); either may be written 1.5akt or 1500000uakt.
func ParseProposalFile(cdc codec.Codec, signers Signers, bz []byte, proposer sdk.AccAddress, deposit string, d amount.Denoms) (*SubmitProposal, error) {
	if len(bz) > MaxProposalFile {
		return nil, tx.Inputf("", "the proposal file is %d bytes, more than the %d akw reads", len(bz), MaxProposalFile)
	}
	var pf proposalFile
	dec := json.NewDecoder(bytes.NewReader(bz))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&pf); err != nil {
		return nil, tx.Inputf(`give the JSON that submit-proposal takes: {"messages": [...], "metadata": "...", "deposit": "...", "title": "...", "summary": "...", "expedited": false}`,
			"the proposal file does not read as a proposal: %v", err)
	}
	o := &SubmitProposal{Proposer: proposer, Metadata: pf.Metadata, Title: pf.Title, ProposalSummary: pf.Summary, Expedited: pf.Expedited}
	for i, raw := range pf.Messages {
		var m sdk.Msg
		if err := cdc.UnmarshalInterfaceJSON(raw, &m); err != nil {
			return nil, tx.Inputf("each message needs its \"@type\", one akw knows", "message %d of the proposal: %v", i+1, err)
		}
		o.Messages = append(o.Messages, m)
	}
	dep := pf.Deposit
	if strings.TrimSpace(deposit) != "" {
		dep = deposit
	}
	coins, err := ParseCoinList(dep, d)
	if err != nil {
		return nil, err
	}
	o.Deposit = coins
	if err := o.validate(signers); err != nil {
		return nil, err
	}
	return o, nil
}
