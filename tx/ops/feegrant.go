package ops

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"cosmossdk.io/x/feegrant"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/gogoproto/proto"

	"github.com/akash-wallet/akw/tx"
	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/amount"
)

// GrantAllowance makes Granter pay Grantee's transaction fees: a basic
// allowance (up to SpendLimit in total; nil: no limit), periodic when
// Period is set (also up to PeriodLimit each Period), until Expiration,
// for AllowedMsgs only when given.
type GrantAllowance struct {
	Granter, Grantee sdk.AccAddress
	SpendLimit       sdk.Coins
	Expiration       *time.Time
	Period           time.Duration
	PeriodLimit      sdk.Coins
	AllowedMsgs      []string

	now time.Time
}

// Allowance is the SDK allowance the operation grants.
func (o *GrantAllowance) Allowance() (feegrant.FeeAllowanceI, error) {
	basic := feegrant.BasicAllowance{SpendLimit: o.SpendLimit, Expiration: o.Expiration}
	var fa feegrant.FeeAllowanceI = &basic
	if o.Period > 0 {
		// PeriodCanSpend and PeriodReset are set by the chain when it
		// stores the grant (keeper.GrantAllowance).
		fa = &feegrant.PeriodicAllowance{Basic: basic, Period: o.Period, PeriodSpendLimit: o.PeriodLimit}
	}
	if len(o.AllowedMsgs) > 0 {
		return feegrant.NewAllowedMsgAllowance(fa, o.AllowedMsgs)
	}
	return fa, nil
}

func (o *GrantAllowance) Name() string           { return "feegrant" }
func (o *GrantAllowance) Signer() sdk.AccAddress { return o.Granter }
func (o *GrantAllowance) Spend() sdk.Coins       { return nil }

func (o *GrantAllowance) validate(p address.Prefixes) error {
	if o.Granter.Equals(o.Grantee) {
		return tx.Inputf("give the address whose fees you will pay", "%s cannot pay its own fees through an allowance", address.Bech32(p.Account, o.Granter))
	}
	if o.Period > 0 && o.PeriodLimit.IsZero() {
		return tx.Inputf("give the most the grantee may spend each period, e.g. 1akt", "a periodic allowance needs a period limit")
	}
	if o.Period == 0 && !o.PeriodLimit.IsZero() {
		return tx.Inputf("give the period too, e.g. 24h", "a period limit needs a period")
	}
	if o.Period < 0 {
		return tx.Inputf("", "the period must be positive")
	}
	if !o.SpendLimit.IsZero() && !o.PeriodLimit.IsZero() && !o.SpendLimit.IsAllGTE(o.PeriodLimit) {
		return tx.Inputf("raise the spend limit or lower the period limit", "the period limit %s is above the spend limit %s", o.PeriodLimit, o.SpendLimit)
	}
	fa, err := o.Allowance()
	if err != nil {
		return tx.Inputf("", "invalid allowance: %v", err)
	}
	if err := fa.ValidateBasic(); err != nil {
		return tx.Inputf("", "invalid allowance: %v", err)
	}
	return nil
}

func (o *GrantAllowance) Msgs(p address.Prefixes) ([]sdk.Msg, error) {
	if err := o.validate(p); err != nil {
		return nil, err
	}
	fa, err := o.Allowance()
	if err != nil {
		return nil, err
	}
	pm, ok := fa.(proto.Message)
	if !ok {
		return nil, fmt.Errorf("allowance %T is not a protobuf message", fa)
	}
	a, err := codectypes.NewAnyWithValue(pm)
	if err != nil {
		return nil, err
	}
	return []sdk.Msg{&feegrant.MsgGrantAllowance{Granter: address.Bech32(p.Account, o.Granter), Grantee: address.Bech32(p.Account, o.Grantee), Allowance: a}}, nil
}

func (o *GrantAllowance) Summary(d amount.Denoms, p address.Prefixes) []Field {
	return []Field{
		{"action", "pay another account's fees (fee allowance)"},
		{"granter (pays)", address.Bech32(p.Account, o.Granter)},
		{"grantee", address.Bech32(p.Account, o.Grantee)},
		{"grantee may", DescribeAllowance(o.SpendLimit, o.Period, o.PeriodLimit, o.AllowedMsgs, d)},
		{"until", DescribeUntil(o.Expiration, o.now)},
		{"note", "the fees are taken from the granter's balance when the grantee's transactions run; you can revoke the allowance at any time"},
	}
}

// DescribeAllowance says what a fee allowance lets its grantee do.
func DescribeAllowance(limit sdk.Coins, period time.Duration, periodLimit sdk.Coins, msgs []string, d amount.Denoms) string {
	s := "have its transaction fees paid"
	if limit.IsZero() {
		s += ", without a total limit"
	} else {
		s += ", up to " + amount.FormatCoins(limit, d) + " in total"
	}
	if period > 0 {
		s += ", at most " + amount.FormatCoins(periodLimit, d) + " every " + FormatDuration(period)
	}
	if len(msgs) > 0 {
		s += ", only for transactions made of " + strings.Join(msgs, ", ")
	} else {
		s += ", for any transaction"
	}
	return s
}

func (o *GrantAllowance) Check(ctx context.Context, c *Checker) error {
	if err := o.validate(c.Prefixes); err != nil {
		return err
	}
	now, err := c.chainTime(ctx)
	if err != nil {
		return err
	}
	o.now = now
	if o.Expiration != nil && !o.Expiration.After(now) {
		return tx.Inputf("give a time in the future", "expiration %s is not after the chain's time %s", o.Expiration.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	if err := c.checkHeld(ctx, o.Granter, o.SpendLimit.Add(o.PeriodLimit...), "allowance"); err != nil {
		return err
	}
	if o.SpendLimit.IsZero() {
		c.warn("the allowance has no total limit: the grantee can spend on fees until it expires or is revoked")
	}
	as, ok := c.State.(tx.AllowanceSource)
	if !ok {
		c.warn("existing allowances were not checked: this source cannot prove them")
		return nil
	}
	_, err = as.Allowance(ctx, o.Granter, o.Grantee)
	switch {
	case err == nil:
		// x/feegrant refuses a second allowance for the same pair.
		return &tx.CheckError{Check: "fee allowance", Reason: fmt.Sprintf("%s already pays fees for %s; the chain refuses a second allowance",
			address.Bech32(c.Prefixes.Account, o.Granter), address.Bech32(c.Prefixes.Account, o.Grantee)),
			Fix: "revoke the existing allowance first, then grant the new one"}
	case errors.Is(err, tx.ErrNotFound):
		return nil
	}
	return err
}

// AllowanceRequest is a fee allowance as a person gives it.
type AllowanceRequest struct {
	SpendLimit  string   // "" for no limit
	Expiration  string   // see ParseExpiration; "" for none
	Period      string   // "24h", "7d"; "" for a basic allowance
	PeriodLimit string   // each period's limit
	AllowedMsgs []string // message types; empty: any
}

// ParseAllowance makes the allowance r asks granter to give grantee.
func ParseAllowance(r AllowanceRequest, granter sdk.AccAddress, grantee string, d amount.Denoms, p address.Prefixes, reg MsgTypes, now time.Time) (*GrantAllowance, error) {
	to, err := address.Account(strings.TrimSpace(grantee), p)
	if err != nil {
		return nil, tx.Input(err, "")
	}
	o := &GrantAllowance{Granter: granter, Grantee: to}
	if o.SpendLimit, err = ParseCoinList(r.SpendLimit, d); err != nil {
		return nil, err
	}
	if o.Expiration, err = ParseExpiration(r.Expiration, now); err != nil {
		return nil, err
	}
	if s := strings.TrimSpace(r.Period); s != "" {
		if !isDuration(s) {
			return nil, tx.Inputf("give a duration such as 24h, 7d or 30d", "invalid period %q", s)
		}
		if o.Period, err = parseLongDuration(s); err != nil {
			return nil, tx.Inputf("give a duration such as 24h, 7d or 30d", "invalid period %q: %v", s, err)
		}
	}
	if o.PeriodLimit, err = ParseCoinList(r.PeriodLimit, d); err != nil {
		return nil, err
	}
	for _, m := range r.AllowedMsgs {
		t, err := ParseMsgType(m, reg)
		if err != nil {
			return nil, err
		}
		o.AllowedMsgs = append(o.AllowedMsgs, t)
	}
	if err := o.validate(p); err != nil {
		return nil, err
	}
	return o, nil
}

// RevokeAllowance withdraws a fee allowance.
type RevokeAllowance struct {
	Granter, Grantee sdk.AccAddress
	existing         *tx.Allowance
}

func (o *RevokeAllowance) Name() string           { return "revoke-feegrant" }
func (o *RevokeAllowance) Signer() sdk.AccAddress { return o.Granter }
func (o *RevokeAllowance) Spend() sdk.Coins       { return nil }
func (o *RevokeAllowance) Msgs(p address.Prefixes) ([]sdk.Msg, error) {
	return []sdk.Msg{&feegrant.MsgRevokeAllowance{Granter: address.Bech32(p.Account, o.Granter), Grantee: address.Bech32(p.Account, o.Grantee)}}, nil
}
func (o *RevokeAllowance) Summary(d amount.Denoms, p address.Prefixes) []Field {
	f := []Field{
		{"action", "stop paying another account's fees (revoke fee allowance)"},
		{"granter", address.Bech32(p.Account, o.Granter)},
		{"grantee", address.Bech32(p.Account, o.Grantee)},
	}
	if o.existing != nil && o.existing.Allowance != nil {
		f = append(f, Field{"the allowance let the grantee", DescribeFeeAllowance(o.existing.Allowance, d)})
	}
	return f
}
func (o *RevokeAllowance) Check(ctx context.Context, c *Checker) error {
	as, ok := c.State.(tx.AllowanceSource)
	if !ok {
		c.warn("the allowance was not checked: this source cannot prove allowances")
		return nil
	}
	a, err := as.Allowance(ctx, o.Granter, o.Grantee)
	if errors.Is(err, tx.ErrNotFound) {
		return &tx.CheckError{Check: "fee allowance", Reason: fmt.Sprintf("%s gives %s no fee allowance (proven absent)",
			address.Bech32(c.Prefixes.Account, o.Granter), address.Bech32(c.Prefixes.Account, o.Grantee)), Fix: "there is nothing to revoke"}
	}
	if err != nil {
		return err
	}
	o.existing = a
	return nil
}

// ParseRevokeAllowance reads a revoke-feegrant's grantee.
func ParseRevokeAllowance(granter sdk.AccAddress, grantee string, p address.Prefixes) (*RevokeAllowance, error) {
	to, err := address.Account(strings.TrimSpace(grantee), p)
	if err != nil {
		return nil, tx.Input(err, "")
	}
	if granter.Equals(to) {
		return nil, tx.Inputf("", "an account has no fee allowance to itself to revoke")
	}
	return &RevokeAllowance{Granter: granter, Grantee: to}, nil
}

// describeFeeAllowance describes an allowance from the chain.
func DescribeFeeAllowance(fa feegrant.FeeAllowanceI, d amount.Denoms) string {
	var msgs []string
	if am, ok := fa.(*feegrant.AllowedMsgAllowance); ok {
		msgs = am.AllowedMessages
		inner, err := am.GetAllowance()
		if err != nil {
			return "have its fees paid, only for " + strings.Join(msgs, ", ")
		}
		fa = inner
	}
	switch x := fa.(type) {
	case *feegrant.BasicAllowance:
		return DescribeAllowance(x.SpendLimit, 0, nil, msgs, d)
	case *feegrant.PeriodicAllowance:
		return DescribeAllowance(x.Basic.SpendLimit, x.Period, x.PeriodSpendLimit, msgs, d)
	}
	return fmt.Sprintf("have its fees paid (%T)", fa)
}

// CheckFeeGrant is what the chain checks when granter pays payer's fee
// for msgs (x/auth's DeductFeeDecorator and x/feegrant): an allowance
// from granter to payer exists, has not expired, covers the fee and
// allows every message — run with the SDK's own Accept at the verified
// header's time — and the granter can pay it. Each failure is a
// *tx.CheckError saying which, before anything is signed.
func CheckFeeGrant(ctx context.Context, c *Checker, granter, payer sdk.AccAddress, fee sdk.Coins, msgs []sdk.Msg) error {
	as, ok := c.State.(tx.AllowanceSource)
	if !ok {
		return &tx.CheckError{Check: "fee allowance", Reason: "the fee allowance cannot be checked: this source cannot prove allowances",
			Fix: "connect to a node, or pay the fee yourself"}
	}
	g, p := address.Bech32(c.Prefixes.Account, granter), address.Bech32(c.Prefixes.Account, payer)
	if granter.Equals(payer) {
		return tx.Inputf("drop the fee granter, or give another account", "the fee granter %s is the fee payer itself", g)
	}
	a, err := as.Allowance(ctx, granter, payer)
	if errors.Is(err, tx.ErrNotFound) {
		return &tx.CheckError{Check: "fee allowance", Reason: fmt.Sprintf("%s gives %s no fee allowance (proven absent): the chain would refuse to charge it the fee", g, p),
			Fix: "ask the granter for a fee allowance, or pay the fee yourself"}
	}
	if err != nil {
		return err
	}
	if a.Allowance == nil {
		c.warn("the fee allowance from %s is of a type akw does not know: its terms were not checked", g)
	} else {
		now, err := c.chainTime(ctx)
		if err != nil {
			return err
		}
		if exp, _ := a.Allowance.ExpiresAt(); exp != nil && exp.Before(now) {
			return &tx.CheckError{Check: "fee allowance", Reason: fmt.Sprintf("the fee allowance from %s to %s expired at %s", g, p, exp.UTC().Format(time.RFC3339)),
				Fix: "ask the granter for a new allowance, or pay the fee yourself"}
		}
		if err := acceptFee(chainContext(now), a.Allowance, fee, msgs); err != nil {
			reason := err.Error()
			switch {
			case errors.Is(err, feegrant.ErrFeeLimitExceeded):
				reason = fmt.Sprintf("the fee %s is more than what is left of the allowance", amount.FormatCoins(fee, c.Denoms))
			case errors.Is(err, feegrant.ErrFeeLimitExpired):
				reason = "the allowance has expired"
			case errors.Is(err, feegrant.ErrMessageNotAllowed):
				reason = "the allowance does not pay for these messages"
			}
			return &tx.CheckError{Check: "fee allowance", Reason: fmt.Sprintf("the fee allowance from %s to %s does not cover this transaction: %s; it lets %s %s",
				g, p, reason, p, DescribeFeeAllowance(a.Allowance, c.Denoms)), Fix: "lower the fee, ask the granter for a larger allowance, or pay the fee yourself"}
		}
	}
	for _, cn := range fee {
		bal, err := c.State.Balance(ctx, granter, cn.Denom)
		if err != nil {
			return err
		}
		if bal.Spendable.LT(cn.Amount) {
			return &tx.CheckError{Check: "balance", Reason: fmt.Sprintf("the fee granter %s cannot pay the fee %s: its spendable balance is %s (verified at height %d)",
				g, amount.FormatCoin(cn, c.Denoms), amount.FormatCoin(sdk.Coin{Denom: cn.Denom, Amount: bal.Spendable}, c.Denoms), bal.Height), Fix: "pay the fee yourself"}
		}
	}
	return nil
}

// acceptFee runs the allowance's own Accept on a copy; a panic in it is
// a refusal.
func acceptFee(ctx sdk.Context, fa feegrant.FeeAllowanceI, fee sdk.Coins, msgs []sdk.Msg) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the allowance cannot be evaluated: %v", r)
		}
	}()
	cp, err := cloneProto(fa)
	if err != nil {
		return err
	}
	if am, ok := cp.(*feegrant.AllowedMsgAllowance); ok {
		// Its inner allowance travels as Any: unpack it the way the
		// keeper's codec would.
		if err := unpackInner(am); err != nil {
			return err
		}
	}
	_, err = cp.Accept(ctx, fee, msgs)
	return err
}

func unpackInner(am *feegrant.AllowedMsgAllowance) error {
	if am.Allowance == nil {
		return errors.New("allowed-messages allowance without an allowance inside")
	}
	if am.Allowance.GetCachedValue() != nil {
		return nil
	}
	reg := codectypes.NewInterfaceRegistry()
	feegrant.RegisterInterfaces(reg)
	return am.UnpackInterfaces(reg)
}
