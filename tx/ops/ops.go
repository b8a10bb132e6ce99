// Package ops defines the operations akw performs — send, delegate,
// redelegate, undelegate, withdraw rewards, vote — as values that know
// their messages, what they take from the balance, how to
// describe themselves to a human, and which proven chain state they must
// be checked against before anything is signed.
package ops

import (
	"context"
	"strings"

	"errors"
	"fmt"
	"strconv"
	"time"

	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/tx"
	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/amount"
	"github.com/akash-wallet/akw/tx/vote"
)

// Field is one line of a human summary.
type Field struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// Op is one operation of one signer.
type Op interface {
	// Name is the command's verb: "send", "delegate", ...
	Name() string
	// Signer is the account that signs and pays.
	Signer() sdk.AccAddress
	// Msgs are the messages the transaction carries.
	Msgs(p address.Prefixes) ([]sdk.Msg, error)
	// Spend is what leaves the balance besides the fee: from the
	// spendable balance, or (a delegation: SpendsLocked) from locked
	// vesting coins too.
	Spend() sdk.Coins
	// Summary describes the operation for the confirmation prompt.
	Summary(d amount.Denoms, p address.Prefixes) []Field
	// Check asks proven chain state whether the chain would accept the
	// operation. It may fill in what the operation needs from the chain
	// (the validators of "withdraw all").
	Check(ctx context.Context, c *Checker) error
}

// FeeChecker is implemented by operations with checks that need the fee
// (known only after gas is estimated): flow runs CheckFee after Check,
// before anything is signed.
type FeeChecker interface {
	CheckFee(ctx context.Context, c *Checker, fee sdk.Coins) error
}

// LockedSpender is implemented by operations whose Spend the chain may
// take from coins that vesting still locks. x/bank's DelegateCoins needs
// only the whole balance (x/auth/vesting's TrackDelegation records the
// locked part as delegated vesting), where SendCoins and
// SendCoinsFromAccountToModule (a send, a deposit) need spendable coins.
// The fee is always paid from spendable coins: the ante handler deducts
// it with SendCoinsFromAccountToModule before any message runs.
type LockedSpender interface {
	SpendsLocked() bool
}

// SpendsLocked reports whether op's Spend may come from locked coins.
func SpendsLocked(op Op) bool {
	l, ok := op.(LockedSpender)
	return ok && l.SpendsLocked()
}

// Checker carries what the checks need.
type Checker struct {
	State    tx.StateSource
	Denoms   amount.Denoms
	Prefixes address.Prefixes
	// AllowInactive lets delegations to jailed or unbonded validators
	// through (with a warning).
	AllowInactive bool
	// ConfirmInactive, when set, asks the user whether to delegate to an
	// inactive validator anyway; nil means refuse (scripts must pass
	// --allow-inactive).
	ConfirmInactive func(question string) error
	// Warn receives warnings worth showing even when the check passes:
	// every face shows them in its review before anything is signed.
	Warn func(msg string)
}

func (c *Checker) warn(format string, args ...any) {
	if c.Warn != nil {
		c.Warn(fmt.Sprintf(format, args...))
	}
}

func (c *Checker) val(v sdk.ValAddress) string { return address.Bech32(c.Prefixes.Validator, v) }

// validator fetches a validator, turning "not found" into a clear error.
func (c *Checker) validator(ctx context.Context, v sdk.ValAddress) (*tx.Validator, error) {
	val, err := c.State.Validator(ctx, v)
	if errors.Is(err, tx.ErrNotFound) {
		return nil, &tx.CheckError{Check: "validator", Reason: fmt.Sprintf("no validator %s on this chain", c.val(v)),
			Then: errkind.Remedy{Do: errkind.ShowValidators}}
	}
	return val, err
}

// checkActive refuses, warns or asks about a validator that would earn
// the delegator nothing.
func (c *Checker) checkActive(v *tx.Validator) error {
	if v.Active() {
		return nil
	}
	state := statusName(v)
	msg := fmt.Sprintf("validator %s (%s) is %s: a delegation to it earns no rewards and can be slashed", v.Moniker, c.val(v.Operator), state)
	switch {
	case c.AllowInactive:
		c.warn("%s", msg)
		return nil
	case c.ConfirmInactive != nil:
		c.warn("%s", msg)
		// The question carries its reason: it is asked before any review.
		if err := c.ConfirmInactive(capitalize(msg) + ". Delegate to this " + state + " validator anyway?"); err != nil {
			return err
		}
		return nil
	}
	return &tx.CheckError{Check: "validator", Reason: msg, Then: errkind.Remedy{Do: errkind.ActiveValidator}}
}

func statusName(v *tx.Validator) string {
	if v.Jailed {
		return "jailed"
	}
	switch v.Status {
	case stakingtypes.Unbonded:
		return "unbonded"
	case stakingtypes.Unbonding:
		return "unbonding"
	case stakingtypes.Bonded:
		return "bonded"
	}
	return v.Status.String()
}

// delegatedTokens returns how many tokens del has delegated to v.
func (c *Checker) delegatedTokens(ctx context.Context, del sdk.AccAddress, v *tx.Validator) (dels []tx.Delegation, found bool, tokens sdk.Coin, err error) {
	dels, err = c.State.Delegations(ctx, del)
	if err != nil {
		return nil, false, sdk.Coin{}, err
	}
	for _, d := range dels {
		if d.Validator.Equals(v.Operator) {
			return dels, true, sdk.NewCoin(c.Denoms.Base, v.TokensFromShares(d.Shares)), nil
		}
	}
	return dels, false, sdk.NewCoin(c.Denoms.Base, sdkmath.ZeroInt()), nil
}

// Send moves coins to another account.
type Send struct {
	From, To sdk.AccAddress
	Amount   sdk.Coin
}

func (o *Send) Name() string           { return "send" }
func (o *Send) Signer() sdk.AccAddress { return o.From }
func (o *Send) Spend() sdk.Coins       { return sdk.NewCoins(o.Amount) }
func (o *Send) Msgs(p address.Prefixes) ([]sdk.Msg, error) {
	return []sdk.Msg{&banktypes.MsgSend{
		FromAddress: address.Bech32(p.Account, o.From),
		ToAddress:   address.Bech32(p.Account, o.To),
		Amount:      sdk.NewCoins(o.Amount),
	}}, nil
}
func (o *Send) Summary(d amount.Denoms, p address.Prefixes) []Field {
	return []Field{
		{"action", "send"},
		{"from", address.Bech32(p.Account, o.From)},
		{"to", address.Bech32(p.Account, o.To)},
		{"amount", amount.FormatCoin(o.Amount, d)},
	}
}
func (o *Send) Check(ctx context.Context, c *Checker) error {
	if err := c.checkSendable(ctx, o.Amount.Denom); err != nil {
		return err
	}
	if o.From.Equals(o.To) {
		c.warn("sending to the sending account itself: only the fee changes the balance")
	}
	return nil
}

// Delegate stakes coins with a validator.
type Delegate struct {
	Delegator sdk.AccAddress
	Validator sdk.ValAddress
	Amount    sdk.Coin
}

func (o *Delegate) Name() string           { return "delegate" }
func (o *Delegate) Signer() sdk.AccAddress { return o.Delegator }
func (o *Delegate) Spend() sdk.Coins       { return sdk.NewCoins(o.Amount) }

// SpendsLocked: a vesting holder may stake the coins vesting locks.
func (o *Delegate) SpendsLocked() bool { return true }
func (o *Delegate) Msgs(p address.Prefixes) ([]sdk.Msg, error) {
	return []sdk.Msg{&stakingtypes.MsgDelegate{
		DelegatorAddress: address.Bech32(p.Account, o.Delegator),
		ValidatorAddress: address.Bech32(p.Validator, o.Validator),
		Amount:           o.Amount,
	}}, nil
}
func (o *Delegate) Summary(d amount.Denoms, p address.Prefixes) []Field {
	return []Field{
		{"action", "delegate"},
		{"delegator", address.Bech32(p.Account, o.Delegator)},
		{"validator", address.Bech32(p.Validator, o.Validator)},
		{"amount", amount.FormatCoin(o.Amount, d)},
	}
}
func (o *Delegate) Check(ctx context.Context, c *Checker) error {
	v, err := c.validator(ctx, o.Validator)
	if err != nil {
		return err
	}
	return c.checkActive(v)
}

// Redelegate moves a delegation from one validator to another without
// unbonding.
type Redelegate struct {
	Delegator sdk.AccAddress
	Src, Dst  sdk.ValAddress
	Amount    sdk.Coin
}

func (o *Redelegate) Name() string           { return "redelegate" }
func (o *Redelegate) Signer() sdk.AccAddress { return o.Delegator }
func (o *Redelegate) Spend() sdk.Coins       { return nil }
func (o *Redelegate) Msgs(p address.Prefixes) ([]sdk.Msg, error) {
	if o.Src.Equals(o.Dst) {
		return nil, sameValidator(p, o.Src)
	}
	return []sdk.Msg{&stakingtypes.MsgBeginRedelegate{
		DelegatorAddress:    address.Bech32(p.Account, o.Delegator),
		ValidatorSrcAddress: address.Bech32(p.Validator, o.Src),
		ValidatorDstAddress: address.Bech32(p.Validator, o.Dst),
		Amount:              o.Amount,
	}}, nil
}

func sameValidator(p address.Prefixes, v sdk.ValAddress) error {
	return tx.Inputf("give two different validators; to stay with this one, do nothing",
		"cannot redelegate from %s to itself", address.Bech32(p.Validator, v))
}

func (o *Redelegate) Summary(d amount.Denoms, p address.Prefixes) []Field {
	return []Field{
		{"action", "redelegate"},
		{"delegator", address.Bech32(p.Account, o.Delegator)},
		{"from validator", address.Bech32(p.Validator, o.Src)},
		{"to validator", address.Bech32(p.Validator, o.Dst)},
		{"amount", amount.FormatCoin(o.Amount, d)},
	}
}
func (o *Redelegate) Check(ctx context.Context, c *Checker) error {
	if o.Src.Equals(o.Dst) {
		return sameValidator(c.Prefixes, o.Src)
	}
	src, err := c.validator(ctx, o.Src)
	if err != nil {
		return err
	}
	_, found, tokens, err := c.delegatedTokens(ctx, o.Delegator, src)
	if err != nil {
		return err
	}
	if !found {
		return &tx.CheckError{Check: "delegation", Reason: fmt.Sprintf("%s has no delegation with %s to redelegate", address.Bech32(c.Prefixes.Account, o.Delegator), c.val(o.Src)),
			Then: errkind.Remedy{Do: errkind.ShowDelegations}}
	}
	if o.Amount.Amount.GT(tokens.Amount) {
		return &tx.CheckError{Check: "delegation", Reason: fmt.Sprintf("redelegating %s but only %s is delegated to %s", amount.FormatCoin(o.Amount, c.Denoms), amount.FormatCoin(tokens, c.Denoms), c.val(o.Src)),
			Fix: "give at most " + amount.FormatDisplay(tokens.Amount, c.Denoms) + c.Denoms.Display}
	}
	// x/staking refuses a redelegation out of a validator while a
	// redelegation into it is still maturing (no transitive hops), so a
	// slashing of the first source can still reach the stake.
	reds, err := c.State.Redelegations(ctx, o.Delegator)
	if err != nil {
		return err
	}
	for _, r := range reds {
		if r.Dst.Equals(o.Src) && len(r.Completions) > 0 {
			last := r.Completions[0]
			for _, t := range r.Completions {
				if t.After(last) {
					last = t
				}
			}
			return &tx.CheckError{Check: "redelegation",
				Reason: fmt.Sprintf("a redelegation into %s (from %s) is still maturing until %s; the chain refuses to redelegate it onward before then",
					c.val(o.Src), c.val(r.Src), last.UTC().Format(time.RFC3339)),
				Fix: "wait until the redelegation completes, or undelegate instead"}
		}
	}
	// x/staking also caps the maturing entries per (delegator, src, dst).
	params, err := c.stakingParams(ctx)
	if err != nil {
		return err
	}
	if params != nil && params.MaxEntries > 0 {
		for _, r := range reds {
			if r.Src.Equals(o.Src) && r.Dst.Equals(o.Dst) && len(r.Completions) >= int(params.MaxEntries) {
				return &tx.CheckError{Check: "redelegation entries",
					Reason: fmt.Sprintf("%d redelegations from %s to %s are still maturing (proven at height %d); the chain allows at most %d and would reject another",
						len(r.Completions), c.val(o.Src), c.val(o.Dst), params.Height, params.MaxEntries),
					Fix: "wait until the oldest of them completes, or redelegate to another validator"}
			}
		}
	}
	dst, err := c.validator(ctx, o.Dst)
	if err != nil {
		return err
	}
	return c.checkActive(dst)
}

// Undelegate starts unbonding a delegation.
type Undelegate struct {
	Delegator sdk.AccAddress
	Validator sdk.ValAddress
	Amount    sdk.Coin

	// params are the staking parameters Check proved, for Summary; nil
	// when Check did not run or the source cannot prove them.
	params *tx.StakingParams
}

func (o *Undelegate) Name() string           { return "undelegate" }
func (o *Undelegate) Signer() sdk.AccAddress { return o.Delegator }
func (o *Undelegate) Spend() sdk.Coins       { return nil }
func (o *Undelegate) Msgs(p address.Prefixes) ([]sdk.Msg, error) {
	return []sdk.Msg{&stakingtypes.MsgUndelegate{
		DelegatorAddress: address.Bech32(p.Account, o.Delegator),
		ValidatorAddress: address.Bech32(p.Validator, o.Validator),
		Amount:           o.Amount,
	}}, nil
}
func (o *Undelegate) Summary(d amount.Denoms, p address.Prefixes) []Field {
	return []Field{
		{"action", "undelegate"},
		{"delegator", address.Bech32(p.Account, o.Delegator)},
		{"validator", address.Bech32(p.Validator, o.Validator)},
		{"amount", amount.FormatCoin(o.Amount, d)},
		{"unbonding period", unbondingPeriod(o.params)},
		{"note", "the amount earns nothing and cannot be spent until the unbonding period has passed"},
	}
}

// unbondingPeriod spells out the proven period, or says plainly that it
// was not proven (offline, or a source that cannot prove it) rather than
// quoting a remembered constant that a devnet or a governance change
// makes wrong.
func unbondingPeriod(p *tx.StakingParams) string {
	if p == nil {
		return "the chain's unbonding period (not proven: the staking parameters were not checked)"
	}
	return FormatDuration(p.UnbondingTime) + " (proven at height " + strconv.FormatInt(p.Height, 10) + ")"
}

// FormatDuration spells a period out for people: "21 days", "3 hours",
// "1 day 12 hours", "90 seconds".
func FormatDuration(d time.Duration) string {
	plural := func(n int64, unit string) string {
		if n == 1 {
			return "1 " + unit
		}
		return strconv.FormatInt(n, 10) + " " + unit + "s"
	}
	day := 24 * time.Hour
	switch {
	case d >= day:
		s := plural(int64(d/day), "day")
		if h := int64(d % day / time.Hour); h > 0 {
			s += " " + plural(h, "hour")
		}
		return s
	case d >= time.Hour:
		s := plural(int64(d/time.Hour), "hour")
		if m := int64(d % time.Hour / time.Minute); m > 0 {
			s += " " + plural(m, "minute")
		}
		return s
	case d >= 2*time.Minute:
		return plural(int64(d/time.Minute), "minute")
	default:
		return plural(int64(d/time.Second), "second")
	}
}

// stakingParams proves the staking parameters when the source can; nil
// without error when it cannot (the callers then say so).
func (c *Checker) stakingParams(ctx context.Context) (*tx.StakingParams, error) {
	ps, ok := c.State.(tx.StakingParamsSource)
	if !ok {
		return nil, nil
	}
	return ps.StakingParams(ctx)
}

func (o *Undelegate) Check(ctx context.Context, c *Checker) error {
	v, err := c.validator(ctx, o.Validator)
	if err != nil {
		return err
	}
	params, err := c.stakingParams(ctx)
	if err != nil {
		return err
	}
	o.params = params
	if us, ok := c.State.(tx.UnbondingSource); ok && params != nil && params.MaxEntries > 0 {
		ubs, err := us.Unbondings(ctx, o.Delegator)
		if err != nil {
			return err
		}
		for _, u := range ubs {
			if u.Validator.Equals(o.Validator) && u.Entries >= int(params.MaxEntries) {
				return &tx.CheckError{Check: "unbonding entries",
					Reason: fmt.Sprintf("%s already has %d unbonding entries with %s (proven at height %d); the chain allows at most %d and would reject another",
						address.Bech32(c.Prefixes.Account, o.Delegator), u.Entries, c.val(o.Validator), params.Height, params.MaxEntries),
					Fix: "wait until the oldest unbonding completes", Then: errkind.Remedy{Do: errkind.ShowUnbondings}}
			}
		}
	}
	_, found, tokens, err := c.delegatedTokens(ctx, o.Delegator, v)
	if err != nil {
		return err
	}
	if !found {
		return &tx.CheckError{Check: "delegation", Reason: fmt.Sprintf("%s has no delegation with %s", address.Bech32(c.Prefixes.Account, o.Delegator), c.val(o.Validator)),
			Then: errkind.Remedy{Do: errkind.ShowDelegations}}
	}
	if o.Amount.Amount.GT(tokens.Amount) {
		return &tx.CheckError{Check: "delegation", Reason: fmt.Sprintf("undelegating %s but only %s is delegated to %s", amount.FormatCoin(o.Amount, c.Denoms), amount.FormatCoin(tokens, c.Denoms), c.val(o.Validator)),
			Fix: "give at most " + amount.FormatDisplay(tokens.Amount, c.Denoms) + c.Denoms.Display}
	}
	return nil
}

// WithdrawRewards claims staking rewards from the given validators, or
// from every validator the delegator has a delegation with, and
// optionally the validator commission of the signer's own validator.
type WithdrawRewards struct {
	Delegator  sdk.AccAddress
	Validators []sdk.ValAddress
	All        bool // Validators are filled in by Check from proven delegations
	Commission bool
	resolved   bool

	// claimed is what the claim pays out, proven by CheckFee; nil when
	// not proven (offline, or a source that cannot prove rewards).
	claimed       sdk.Coins
	claimedHeight int64
}

func (o *WithdrawRewards) Name() string           { return "withdraw-rewards" }
func (o *WithdrawRewards) Signer() sdk.AccAddress { return o.Delegator }
func (o *WithdrawRewards) Spend() sdk.Coins       { return nil }

// Operator is the validator operator address of the signer, whose
// commission --commission claims.
func (o *WithdrawRewards) Operator() sdk.ValAddress { return sdk.ValAddress(o.Delegator) }

func (o *WithdrawRewards) Msgs(p address.Prefixes) ([]sdk.Msg, error) {
	if o.All && !o.resolved {
		return nil, tx.InputThen(errkind.Remedy{Do: errkind.NameValidators}, "run it online",
			"withdrawing from all validators needs the list of delegations from the chain")
	}
	if len(o.Validators) == 0 && !o.Commission {
		return nil, tx.InputThen(errkind.Remedy{Do: errkind.NameValidators}, "", "no validator to withdraw rewards from")
	}
	del := address.Bech32(p.Account, o.Delegator)
	var msgs []sdk.Msg
	// The commission first: x/distribution (SDK v0.53) takes a
	// withdrawal's coins out of the validator's outstanding rewards, and
	// clamps a delegator's rewards to what is outstanding (rounding in
	// the last digits can make them a little more) but not the
	// commission, whose withdrawal panics ("negative coin amount") if
	// the delegator's withdrawal before it in the same transaction took
	// the last of it. Seen in a simulation of the operator's own
	// rewards then commission on the devnet; the other order cannot.
	if o.Commission {
		msgs = append(msgs, &distrtypes.MsgWithdrawValidatorCommission{ValidatorAddress: address.Bech32(p.Validator, o.Operator())})
	}
	for _, v := range o.Validators {
		msgs = append(msgs, &distrtypes.MsgWithdrawDelegatorReward{DelegatorAddress: del, ValidatorAddress: address.Bech32(p.Validator, v)})
	}
	return msgs, nil
}
func (o *WithdrawRewards) Summary(d amount.Denoms, p address.Prefixes) []Field {
	f := []Field{{"action", "withdraw rewards"}, {"delegator", address.Bech32(p.Account, o.Delegator)}}
	if o.All && !o.resolved {
		f = append(f, Field{"from", "every validator with a delegation"})
	}
	for _, v := range o.Validators {
		f = append(f, Field{"from validator", address.Bech32(p.Validator, v)})
	}
	if o.Commission {
		f = append(f, Field{"commission of", address.Bech32(p.Validator, o.Operator())})
	}
	if o.claimed != nil {
		what := amount.FormatCoins(o.claimed, d)
		if o.Commission {
			what += " plus the commission"
		}
		f = append(f, Field{"rewards", what + " (proven at height " + strconv.FormatInt(o.claimedHeight, 10) + ")"},
			Field{"note", "the balance after does not count the rewards; they are added when the claim is included"})
	}
	return f
}

// CheckFee proves what the claim pays out (each delegation's reward
// rounded down to whole base units, as x/distribution pays it) and warns
// when the fee is more than that: the claim would cost more than it
// brings. A source that cannot prove rewards leaves the claim unweighed.
func (o *WithdrawRewards) CheckFee(ctx context.Context, c *Checker, fee sdk.Coins) error {
	rs, ok := c.State.(tx.RewardsSource)
	if !ok {
		return nil
	}
	rewards, height, err := rs.Rewards(ctx, o.Delegator)
	if err != nil {
		return err
	}
	claimed := sdk.NewCoins()
	for _, r := range rewards {
		for _, v := range o.Validators {
			if r.Validator.Equals(v) {
				paid, _ := r.Amount.TruncateDecimal()
				claimed = claimed.Add(paid...)
			}
		}
	}
	o.claimed, o.claimedHeight = claimed, height
	base := c.Denoms.Base
	if !o.Commission && claimed.AmountOf(base).LT(fee.AmountOf(base)) {
		c.warn("the fee (%s) is more than the rewards claimed (%s): this claim costs more than it brings",
			amount.FormatCoins(fee, c.Denoms), amount.Format(claimed.AmountOf(base), c.Denoms))
	}
	return nil
}
func (o *WithdrawRewards) Check(ctx context.Context, c *Checker) error {
	dels, err := c.State.Delegations(ctx, o.Delegator)
	if err != nil {
		return err
	}
	if o.All {
		o.Validators = o.Validators[:0]
		for _, d := range dels {
			o.Validators = append(o.Validators, d.Validator)
		}
		o.resolved = true
		if len(o.Validators) == 0 && !o.Commission {
			return &tx.CheckError{Check: "delegation", Reason: fmt.Sprintf("%s has no delegations, so no rewards to withdraw", address.Bech32(c.Prefixes.Account, o.Delegator)),
				Then: errkind.Remedy{Do: errkind.Delegate}}
		}
	} else {
		for _, v := range o.Validators {
			found := false
			for _, d := range dels {
				found = found || d.Validator.Equals(v)
			}
			if !found {
				return &tx.CheckError{Check: "delegation", Reason: fmt.Sprintf("%s has no delegation with %s, so no rewards from it", address.Bech32(c.Prefixes.Account, o.Delegator), c.val(v)),
					Then: errkind.Remedy{Do: errkind.ShowDelegations}}
			}
		}
	}
	if o.Commission {
		if _, err := c.State.Validator(ctx, o.Operator()); errors.Is(err, tx.ErrNotFound) {
			return &tx.CheckError{Check: "commission", Reason: fmt.Sprintf("%s is not a validator operator (no validator %s), so it has no commission", address.Bech32(c.Prefixes.Account, o.Delegator), c.val(o.Operator())),
				Then: errkind.Remedy{Do: errkind.NoCommission}}
		} else if err != nil {
			return err
		}
	}
	return nil
}

// Resolved reports whether the validator list is final.
func (o *WithdrawRewards) Resolved() bool { return !o.All || o.resolved }

// Vote casts a governance vote, plain or weighted.
type Vote struct {
	Voter      sdk.AccAddress
	ProposalID uint64
	Options    []*govv1.WeightedVoteOption
	Weighted   bool
}

func (o *Vote) Name() string           { return "vote" }
func (o *Vote) Signer() sdk.AccAddress { return o.Voter }
func (o *Vote) Spend() sdk.Coins       { return nil }
func (o *Vote) Msgs(p address.Prefixes) ([]sdk.Msg, error) {
	voter := address.Bech32(p.Account, o.Voter)
	if !o.Weighted {
		return []sdk.Msg{&govv1.MsgVote{ProposalId: o.ProposalID, Voter: voter, Option: o.Options[0].Option}}, nil
	}
	return []sdk.Msg{&govv1.MsgVoteWeighted{ProposalId: o.ProposalID, Voter: voter, Options: o.Options}}, nil
}
func (o *Vote) Summary(d amount.Denoms, p address.Prefixes) []Field {
	return []Field{
		{"action", "vote"},
		{"voter", address.Bech32(p.Account, o.Voter)},
		{"proposal", fmt.Sprintf("%d", o.ProposalID)},
		{"option", vote.Describe(o.Options)},
	}
}
func (o *Vote) Check(ctx context.Context, c *Checker) error {
	prop, err := c.State.Proposal(ctx, o.ProposalID)
	if errors.Is(err, tx.ErrNotFound) {
		return &tx.CheckError{Check: "proposal", Reason: fmt.Sprintf("there is no proposal %d", o.ProposalID),
			Then: errkind.Remedy{Do: errkind.ShowProposals}}
	}
	if err != nil {
		return err
	}
	if prop.Status != govv1.StatusVotingPeriod {
		return &tx.CheckError{Check: "proposal", Reason: fmt.Sprintf("proposal %d is not in its voting period (status %s)", o.ProposalID, prop.Status),
			Fix: "votes are accepted only during the voting period", Then: errkind.Remedy{Do: errkind.ShowProposals}}
	}
	return nil
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
