package ops

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/x/authz"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	codectypes "github.com/cosmos/cosmos-sdk/codec/types"

	"github.com/akash-wallet/akw/tx"
	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/amount"
)

// PresetAutoCompound is the grant REStake-style bots ask for: MsgDelegate
// limited to the validators that run the bot (a StakeAuthorization allow
// list) and MsgWithdrawDelegatorReward (generic), so that the bot can
// claim the rewards and delegate them again, and nothing else.
const PresetAutoCompound = "auto-compound"

// Grant lets Grantee send messages for Granter: one MsgGrant per
// authorization, all with the same expiration, in one transaction.
type Grant struct {
	Granter, Grantee sdk.AccAddress
	Authorizations   []authz.Authorization
	// Expiration is nil for a grant without end (the chain allows it;
	// the review says so).
	Expiration *time.Time
	// Preset names a bundle (PresetAutoCompound) for the review; "" for
	// a grant made of the authorizations given.
	Preset string

	now      time.Time  // the chain's time, set by Check, for the review
	replaces []tx.Grant // grants of the same types this one replaces
}

func (o *Grant) Name() string {
	if o.Preset != "" {
		return "grant-" + o.Preset
	}
	return "grant"
}
func (o *Grant) Signer() sdk.AccAddress { return o.Granter }
func (o *Grant) Spend() sdk.Coins       { return nil }

func (o *Grant) Msgs(p address.Prefixes) ([]sdk.Msg, error) {
	if err := o.validate(p); err != nil {
		return nil, err
	}
	msgs := make([]sdk.Msg, 0, len(o.Authorizations))
	for _, a := range o.Authorizations {
		anyA, err := codectypes.NewAnyWithValue(a)
		if err != nil {
			return nil, err
		}
		msgs = append(msgs, &authz.MsgGrant{
			Granter: address.Bech32(p.Account, o.Granter),
			Grantee: address.Bech32(p.Account, o.Grantee),
			Grant:   authz.Grant{Authorization: anyA, Expiration: o.Expiration},
		})
	}
	return msgs, nil
}

// validate refuses what the chain would refuse whatever its state.
func (o *Grant) validate(p address.Prefixes) error {
	if o.Granter.Equals(o.Grantee) {
		return tx.Inputf("give the address of the account (a bot, another key) that is to act for you",
			"cannot grant %s permissions over itself", address.Bech32(p.Account, o.Granter))
	}
	if len(o.Authorizations) == 0 {
		return tx.Inputf("", "nothing to grant")
	}
	seen := map[string]bool{}
	for _, a := range o.Authorizations {
		if err := a.ValidateBasic(); err != nil {
			return tx.Inputf("", "invalid authorization for %s: %v", a.MsgTypeURL(), err)
		}
		if seen[a.MsgTypeURL()] {
			return tx.Inputf("give each message type once", "two authorizations for %s in one grant", a.MsgTypeURL())
		}
		seen[a.MsgTypeURL()] = true
	}
	return nil
}

func (o *Grant) Summary(d amount.Denoms, p address.Prefixes) []Field {
	action := "grant permissions (authz)"
	if o.Preset == PresetAutoCompound {
		action = "grant auto-compounding (REStake): the grantee may claim your staking rewards and delegate them again"
	}
	f := []Field{
		{"action", action},
		{"granter", address.Bech32(p.Account, o.Granter)},
		{"grantee", address.Bech32(p.Account, o.Grantee)},
	}
	for _, a := range o.Authorizations {
		f = append(f, Field{"grantee may", DescribeAuthorization(a, a.MsgTypeURL(), d, p)})
	}
	f = append(f, Field{"until", DescribeUntil(o.Expiration, o.now)})
	for _, r := range o.replaces {
		f = append(f, Field{"replaces", "the existing grant to " + MsgAction(r.MsgTypeURL) + " (" + DescribeAuthorization(r.Authorization, r.MsgTypeURL, d, p) + ", " + DescribeUntil(r.Expiration, o.now) + ")"})
	}
	f = append(f, Field{"note", "the grantee signs and pays the fees of what it does for you; you can revoke the grant at any time"})
	return f
}

func (o *Grant) Check(ctx context.Context, c *Checker) error {
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
	if o.Expiration == nil {
		c.warn("the grant has no end date: it holds until you revoke it")
	}
	var params *tx.StakingParams
	for _, a := range o.Authorizations {
		switch x := a.(type) {
		case *banktypes.SendAuthorization:
			if err := c.checkHeld(ctx, o.Granter, x.SpendLimit, "spend limit"); err != nil {
				return err
			}
		case *stakingtypes.StakeAuthorization:
			if x.MaxTokens != nil {
				if params == nil {
					if params, err = c.stakingParams(ctx); err != nil {
						return err
					}
				}
				bond := c.Denoms.Base
				if params != nil && params.BondDenom != "" {
					bond = params.BondDenom
				}
				if x.MaxTokens.Denom != bond {
					return tx.Inputf("give the limit in "+bond, "max tokens in %s, but the chain stakes %s", x.MaxTokens.Denom, bond)
				}
			}
			vals := x.GetAllowList().GetAddress()
			vals = append(vals, x.GetDenyList().GetAddress()...)
			for _, s := range vals {
				v, err := address.Validator(s, c.Prefixes)
				if err != nil {
					return tx.Input(err, "")
				}
				val, err := c.validator(ctx, v)
				if err != nil {
					return err
				}
				if x.GetAllowList() != nil && x.AuthorizationType == stakingtypes.AuthorizationType_AUTHORIZATION_TYPE_DELEGATE && !val.Active() {
					c.warn("validator %s (%s) is %s: delegations to it earn no rewards", val.Moniker, s, statusName(val))
				}
			}
		}
	}
	if gs, ok := c.State.(tx.GrantSource); ok {
		existing, err := gs.Grants(ctx, o.Granter, o.Grantee)
		if err != nil {
			return err
		}
		o.replaces = nil
		for _, e := range existing {
			for _, a := range o.Authorizations {
				if e.MsgTypeURL == a.MsgTypeURL() {
					o.replaces = append(o.replaces, e)
				}
			}
		}
		if len(o.replaces) > 0 {
			c.warn("%d existing grant(s) to %s are replaced by this one", len(o.replaces), address.Bech32(c.Prefixes.Account, o.Grantee))
		}
	} else {
		c.warn("existing grants were not checked: this source cannot prove them")
	}
	return nil
}

// checkHeld refuses coins in a denom owner does not hold at all: a spend
// limit or an allowance in a token the account never had is a mistake
// (another chain's denom, a typo), not a plan.
func (c *Checker) checkHeld(ctx context.Context, owner sdk.AccAddress, coins sdk.Coins, what string) error {
	for _, cn := range coins {
		if cn.Denom == c.Denoms.Base {
			continue
		}
		bal, err := c.State.Balance(ctx, owner, cn.Denom)
		if err != nil {
			return err
		}
		if bal.Total.IsZero() {
			return tx.Inputf("give the "+what+" in "+c.Denoms.Display+" or in a token the account holds",
				"%s in %s, which %s does not hold (verified at height %d)", what, cn.Denom, address.Bech32(c.Prefixes.Account, owner), bal.Height)
		}
	}
	return nil
}

// GrantRequest is a grant as a person gives it, not yet parsed.
type GrantRequest struct {
	// Kind: "generic" (any message of MsgType), "send", "delegate",
	// "undelegate" or "redelegate".
	Kind    string
	MsgType string
	// SpendLimit of a send grant: "1.5akt", "1000000uakt", several
	// separated by commas; other tokens in base units ("5uact").
	SpendLimit string
	// AllowList: the only recipients of a send grant (empty: anyone).
	AllowList []string
	// AllowValidators or DenyValidators of a staking grant (one of them).
	AllowValidators, DenyValidators []string
	// MaxTokens of a staking grant ("" for no limit).
	MaxTokens string
	// Expiration: see ParseExpiration ("" for none).
	Expiration string
}

// MsgTypes tells the message types akw's codec knows (tx/encoding's
// interface registry implements it).
type MsgTypes interface {
	ListImplementations(ifaceTypeURL string) []string
}

// ParseMsgType reads a message type: its type URL, with or without the
// leading slash, or its last name when that is unique
// ("MsgWithdrawDelegatorReward"). A type akw's codec does not know is
// refused: a grant of a misspelt type would be accepted by the chain and
// never used.
func ParseMsgType(s string, reg MsgTypes) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", tx.Inputf("give a message type such as /cosmos.gov.v1.MsgVote", "no message type given")
	}
	all := reg.ListImplementations(sdk.MsgInterfaceProtoName)
	want := "/" + strings.TrimPrefix(s, "/")
	var short []string
	for _, u := range all {
		if u == want {
			return u, nil
		}
		if strings.EqualFold(u[strings.LastIndex(u, ".")+1:], strings.TrimPrefix(s, "/")) {
			short = append(short, u)
		}
	}
	if len(short) == 1 {
		return short[0], nil
	}
	if len(short) > 1 {
		sort.Strings(short)
		return "", tx.Inputf("give the full type URL: "+strings.Join(short, " or "), "message type %q is ambiguous", s)
	}
	return "", tx.Inputf("give a type URL such as /cosmos.gov.v1.MsgVote or /cosmos.staking.v1beta1.MsgDelegate",
		"unknown message type %q", s)
}

// ParseGrant makes the grant r asks granter to give grantee. now is the
// local clock (Check compares with the chain's time again).
func ParseGrant(r GrantRequest, granter sdk.AccAddress, grantee string, d amount.Denoms, p address.Prefixes, reg MsgTypes, now time.Time) (*Grant, error) {
	to, err := address.Account(strings.TrimSpace(grantee), p)
	if err != nil {
		return nil, tx.Input(err, "")
	}
	exp, err := ParseExpiration(r.Expiration, now)
	if err != nil {
		return nil, err
	}
	o := &Grant{Granter: granter, Grantee: to, Expiration: exp}
	var a authz.Authorization
	switch strings.ToLower(strings.TrimSpace(r.Kind)) {
	case "generic", "":
		t, err := ParseMsgType(r.MsgType, reg)
		if err != nil {
			return nil, err
		}
		a = authz.NewGenericAuthorization(t)
	case "send":
		limit, err := ParseCoinList(r.SpendLimit, d)
		if err != nil {
			return nil, err
		}
		if limit.IsZero() {
			return nil, tx.Inputf("give the most the grantee may send, e.g. 10akt", "a send grant needs a spend limit")
		}
		var allow []sdk.AccAddress
		for _, s := range r.AllowList {
			x, err := address.Account(strings.TrimSpace(s), p)
			if err != nil {
				return nil, tx.Input(err, "")
			}
			allow = append(allow, x)
		}
		sa := banktypes.NewSendAuthorization(limit, nil)
		for _, x := range allow {
			sa.AllowList = append(sa.AllowList, address.Bech32(p.Account, x))
		}
		a = sa
	case "delegate", "undelegate", "redelegate":
		typ := map[string]stakingtypes.AuthorizationType{
			"delegate":   stakingtypes.AuthorizationType_AUTHORIZATION_TYPE_DELEGATE,
			"undelegate": stakingtypes.AuthorizationType_AUTHORIZATION_TYPE_UNDELEGATE,
			"redelegate": stakingtypes.AuthorizationType_AUTHORIZATION_TYPE_REDELEGATE,
		}[strings.ToLower(strings.TrimSpace(r.Kind))]
		if len(r.AllowValidators) > 0 && len(r.DenyValidators) > 0 {
			return nil, tx.Inputf("give one of them", "both allowed and denied validators given")
		}
		if len(r.AllowValidators) == 0 && len(r.DenyValidators) == 0 {
			return nil, tx.Inputf("name the validators the grantee may use, or those it may not", "a staking grant needs allowed or denied validators")
		}
		vals := func(ss []string) ([]sdk.ValAddress, error) {
			var out []sdk.ValAddress
			for _, s := range ss {
				v, err := address.Validator(strings.TrimSpace(s), p)
				if err != nil {
					return nil, tx.Input(err, "")
				}
				out = append(out, v)
			}
			return out, nil
		}
		allow, err := vals(r.AllowValidators)
		if err != nil {
			return nil, err
		}
		deny, err := vals(r.DenyValidators)
		if err != nil {
			return nil, err
		}
		var max *sdk.Coin
		if strings.TrimSpace(r.MaxTokens) != "" {
			c, err := amount.Parse(r.MaxTokens, d)
			if err != nil {
				return nil, tx.Input(err, "")
			}
			max = &c
		}
		a, err = newStakeAuthorization(allow, deny, typ, max, p)
		if err != nil {
			return nil, err
		}
	default:
		return nil, tx.Inputf("give generic, send, delegate, undelegate or redelegate", "unknown kind of grant %q", r.Kind)
	}
	o.Authorizations = []authz.Authorization{a}
	if err := o.validate(p); err != nil {
		return nil, err
	}
	return o, nil
}

// newStakeAuthorization is stakingtypes.NewStakeAuthorization with the
// network's bech32 prefix rather than the SDK's global one.
func newStakeAuthorization(allow, deny []sdk.ValAddress, typ stakingtypes.AuthorizationType, max *sdk.Coin, p address.Prefixes) (*stakingtypes.StakeAuthorization, error) {
	s := &stakingtypes.StakeAuthorization{AuthorizationType: typ, MaxTokens: max}
	names := func(vs []sdk.ValAddress) []string {
		out := make([]string, len(vs))
		for i, v := range vs {
			out[i] = address.Bech32(p.Validator, v)
		}
		return out
	}
	switch {
	case len(allow) > 0:
		s.Validators = &stakingtypes.StakeAuthorization_AllowList{AllowList: &stakingtypes.StakeAuthorization_Validators{Address: names(allow)}}
	case len(deny) > 0:
		s.Validators = &stakingtypes.StakeAuthorization_DenyList{DenyList: &stakingtypes.StakeAuthorization_Validators{Address: names(deny)}}
	default:
		return nil, tx.Inputf("", "a staking grant needs allowed or denied validators")
	}
	return s, nil
}

// NewAutoCompound is the REStake preset: bot may delegate to validator
// only (any amount: it delegates the rewards it claims) and withdraw the
// granter's staking rewards, until expiration.
func NewAutoCompound(granter, bot sdk.AccAddress, validator sdk.ValAddress, expiration *time.Time, p address.Prefixes) (*Grant, error) {
	del, err := newStakeAuthorization([]sdk.ValAddress{validator}, nil, stakingtypes.AuthorizationType_AUTHORIZATION_TYPE_DELEGATE, nil, p)
	if err != nil {
		return nil, err
	}
	o := &Grant{Granter: granter, Grantee: bot, Expiration: expiration, Preset: PresetAutoCompound,
		Authorizations: []authz.Authorization{del, authz.NewGenericAuthorization(sdk.MsgTypeURL(&distrtypes.MsgWithdrawDelegatorReward{}))}}
	if err := o.validate(p); err != nil {
		return nil, err
	}
	return o, nil
}

// ParseAutoCompound is NewAutoCompound from text; an expiration is
// required (REStake's own interface always sets one).
func ParseAutoCompound(granter sdk.AccAddress, bot, validator, expiration string, p address.Prefixes, now time.Time) (*Grant, error) {
	b, err := address.Account(strings.TrimSpace(bot), p)
	if err != nil {
		return nil, tx.Input(err, "")
	}
	v, err := address.Validator(strings.TrimSpace(validator), p)
	if err != nil {
		return nil, tx.Input(err, "")
	}
	if strings.TrimSpace(expiration) == "" {
		return nil, tx.Inputf("give an expiration such as 1y or 2027-01-31", "an auto-compounding grant needs an expiration")
	}
	exp, err := ParseExpiration(expiration, now)
	if err != nil {
		return nil, err
	}
	return NewAutoCompound(granter, b, v, exp, p)
}

// ParseCoinList reads one or more amounts separated by commas: the
// network's token as people write it ("1.5akt", "1500000uakt") and other
// tokens in their base unit ("5uact", "7ibc/27394F..."). Check refuses a
// token the account does not hold.
func ParseCoinList(s string, d amount.Denoms) (sdk.Coins, error) {
	var out sdk.Coins
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		c, err := amount.Parse(part, d)
		if err != nil {
			if !errors.Is(err, amount.ErrUnknownDenom) {
				return nil, tx.Input(err, "")
			}
			raw, rerr := sdk.ParseCoinNormalized(part)
			if rerr != nil || !raw.IsPositive() || strings.Contains(part, ".") {
				return nil, tx.Input(err, "")
			}
			c = raw
		}
		if out.AmountOf(c.Denom).IsPositive() {
			return nil, tx.Inputf("give each token once", "%s given twice", c.Denom)
		}
		out = out.Add(c)
	}
	return out, nil
}

// Revoke withdraws a grant.
type Revoke struct {
	Granter, Grantee sdk.AccAddress
	MsgTypeURL       string

	existing *tx.Grant
	now      time.Time
}

func (o *Revoke) Name() string           { return "revoke" }
func (o *Revoke) Signer() sdk.AccAddress { return o.Granter }
func (o *Revoke) Spend() sdk.Coins       { return nil }
func (o *Revoke) Msgs(p address.Prefixes) ([]sdk.Msg, error) {
	return []sdk.Msg{&authz.MsgRevoke{
		Granter: address.Bech32(p.Account, o.Granter), Grantee: address.Bech32(p.Account, o.Grantee), MsgTypeUrl: o.MsgTypeURL,
	}}, nil
}
func (o *Revoke) Summary(d amount.Denoms, p address.Prefixes) []Field {
	f := []Field{
		{"action", "revoke a grant (authz)"},
		{"granter", address.Bech32(p.Account, o.Granter)},
		{"grantee", address.Bech32(p.Account, o.Grantee)},
		{"message type", o.MsgTypeURL},
	}
	if o.existing != nil {
		f = append(f, Field{"grantee will no longer", DescribeAuthorization(o.existing.Authorization, o.MsgTypeURL, d, p)},
			Field{"the grant ran until", DescribeUntil(o.existing.Expiration, o.now)})
	} else {
		f = append(f, Field{"grantee will no longer", MsgAction(o.MsgTypeURL)})
	}
	return f
}
func (o *Revoke) Check(ctx context.Context, c *Checker) error {
	gs, ok := c.State.(tx.GrantSource)
	if !ok {
		c.warn("the grant was not checked: this source cannot prove grants")
		return nil
	}
	now, err := c.chainTime(ctx)
	if err != nil {
		return err
	}
	o.now = now
	grants, err := gs.Grants(ctx, o.Granter, o.Grantee)
	if err != nil {
		return err
	}
	for i := range grants {
		if grants[i].MsgTypeURL == o.MsgTypeURL {
			o.existing = &grants[i]
			return nil
		}
	}
	var have []string
	for _, g := range grants {
		have = append(have, g.MsgTypeURL)
	}
	fix := "there is nothing to revoke"
	if len(have) > 0 {
		fix = "the grants from this granter to this grantee are for: " + strings.Join(have, ", ")
	}
	return &tx.CheckError{Check: "grant", Reason: fmt.Sprintf("%s has no grant of %s to %s (proven absent)",
		address.Bech32(c.Prefixes.Account, o.Granter), o.MsgTypeURL, address.Bech32(c.Prefixes.Account, o.Grantee)), Fix: fix}
}

// ParseRevoke reads a revoke's grantee and message type.
func ParseRevoke(granter sdk.AccAddress, grantee, msgType string, p address.Prefixes, reg MsgTypes) (*Revoke, error) {
	to, err := address.Account(strings.TrimSpace(grantee), p)
	if err != nil {
		return nil, tx.Input(err, "")
	}
	t, err := ParseMsgType(msgType, reg)
	if err != nil {
		return nil, err
	}
	if granter.Equals(to) {
		return nil, tx.Inputf("", "an account has no grant to itself to revoke")
	}
	return &Revoke{Granter: granter, Grantee: to, MsgTypeURL: t}, nil
}
