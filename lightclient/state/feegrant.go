package state

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"cosmossdk.io/x/feegrant"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"golang.org/x/sync/errgroup"
)

// The feegrant store (cosmossdk.io/x/feegrant key.go, SDK v0.53):
//
//	0x00 lp(grantee) lp(granter) -> feegrant.Grant
//	0x01 expiration lp(grantee) lp(granter) -> empty (pruning queue)
//
// Keyed by grantee first: the allowances an address received are one
// range. There is no index by granter, so the allowances an address gave
// are proven complete by walking every allowance on the chain.
const storeFeegrant = "feegrant"

var feeAllowancePrefix = []byte{0x00}

func allowancesToPrefix(grantee []byte) []byte { return cat(feeAllowancePrefix, lp(grantee)) }
func allowanceKey(granter, grantee []byte) []byte {
	return cat(allowancesToPrefix(grantee), lp(granter))
}

// Allowance is one proven fee allowance: granter pays grantee's fees.
// Kind is "basic" (up to SpendLimit in total, nil: no limit) or "periodic"
// (also up to PeriodSpendLimit each Period, PeriodCanSpend left until
// PeriodReset), or "other" for a type akw does not know. AllowedMessages,
// when set, are the only message types it pays for (an
// AllowedMsgAllowance around the basic or periodic one); nil: any.
type Allowance struct {
	Granter    string     `json:"granter"`
	Grantee    string     `json:"grantee"`
	Kind       string     `json:"kind"`
	TypeURL    string     `json:"type_url"`
	SpendLimit sdk.Coins  `json:"spend_limit,omitempty"`
	Expiration *time.Time `json:"expiration,omitempty"`

	// Period is in nanoseconds in JSON (Go's time.Duration), kept as it
	// was; the JSON adds period_duration, the period as the SDK's own
	// JSON writes it ("86400s"), so that the two can be compared.
	Period           time.Duration `json:"period,omitempty"`
	PeriodSpendLimit sdk.Coins     `json:"period_spend_limit,omitempty"`
	PeriodCanSpend   sdk.Coins     `json:"period_can_spend,omitempty"`
	PeriodReset      *time.Time    `json:"period_reset,omitempty"`

	AllowedMessages []string `json:"allowed_messages,omitempty"`
	// Expired says the expiration is before the verified header's time:
	// the chain no longer pays with it (and prunes it when a block ends).
	Expired bool `json:"expired"`

	// Value is the SDK's allowance; nil for Kind "other".
	Value feegrant.FeeAllowanceI `json:"-"`
}

// MarshalJSON writes the allowance with period_duration beside period.
func (a Allowance) MarshalJSON() ([]byte, error) {
	type plain Allowance // without this method
	var d string
	if a.Period != 0 {
		d = ProtoDuration(a.Period)
	}
	return json.Marshal(struct {
		plain
		PeriodDuration string `json:"period_duration,omitempty"`
	}{plain(a), d})
}

// ProtoDuration writes d as protobuf's JSON mapping writes a Duration, and
// so the SDK's JSON and CLI: seconds with 0, 3, 6 or 9 decimals and an
// "s" ("86400s", "1.500s", "-0.000000001s").
func ProtoDuration(d time.Duration) string {
	sign := ""
	if d < 0 {
		sign = "-"
	}
	secs, nanos := d/time.Second, d%time.Second
	if secs < 0 {
		secs = -secs
	}
	if nanos < 0 {
		nanos = -nanos
	}
	s := sign + strconv.FormatInt(int64(secs), 10)
	switch {
	case nanos == 0:
	case nanos%1e6 == 0:
		s += fmt.Sprintf(".%03d", nanos/1e6)
	case nanos%1e3 == 0:
		s += fmt.Sprintf(".%06d", nanos/1e3)
	default:
		s += fmt.Sprintf(".%09d", nanos)
	}
	return s + "s"
}

// Allowances are the fee allowances an address received and gave, each
// list proven complete.
type Allowances struct {
	Proven
	Address  string      `json:"address"`
	Received []Allowance `json:"received"`
	Granted  []Allowance `json:"granted"`
}

// AllowanceList is one list of proven fee allowances.
type AllowanceList struct {
	Proven
	Allowances []Allowance `json:"allowances"`
}

// AllowanceAnswer is one proven fee allowance.
type AllowanceAnswer struct {
	Proven
	Allowance Allowance `json:"allowance"`
}

// Allowances proves the fee allowances addr received and gave.
func (v *View) Allowances(ctx context.Context, addr sdk.AccAddress) (out *Allowances, err error) {
	defer guard(&out, &err, "fee allowances of "+addr.String())
	var to, by *AllowanceList
	g, gctx := errgroup.WithContext(ctx)
	goGuarded(g, "fee allowances to "+addr.String(), func() (err error) { to, err = v.AllowancesTo(gctx, addr); return })
	goGuarded(g, "fee allowances by "+addr.String(), func() (err error) { by, err = v.AllowancesBy(gctx, addr); return })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return &Allowances{Proven: v.proven(), Address: addr.String(), Received: to.Allowances, Granted: by.Allowances}, nil
}

// AllowancesTo proves every fee allowance grantee received (the 0x00
// lp(grantee) range, walked complete).
func (v *View) AllowancesTo(ctx context.Context, grantee sdk.AccAddress) (out *AllowanceList, err error) {
	defer guard(&out, &err, "fee allowances to "+grantee.String())
	hint := func(ctx context.Context) ([][]byte, error) {
		var res feegrant.QueryAllowancesResponse
		if err := v.grpcHint(ctx, "/cosmos.feegrant.v1beta1.Query/Allowances", &feegrant.QueryAllowancesRequest{Grantee: grantee.String()}, &res); err != nil {
			return nil, err
		}
		return allowanceHintKeys(res.Allowances), nil
	}
	list, err := v.allowanceRange(ctx, allowancesToPrefix(grantee), hint)
	if err != nil {
		return nil, err
	}
	return &AllowanceList{Proven: v.proven(), Allowances: list}, nil
}

// AllowancesBy proves every fee allowance granter gave. The store has no
// index by granter: every allowance on the chain is walked (a few hundred
// on mainnet) and those of granter kept.
func (v *View) AllowancesBy(ctx context.Context, granter sdk.AccAddress) (out *AllowanceList, err error) {
	defer guard(&out, &err, "fee allowances by "+granter.String())
	hint := func(ctx context.Context) ([][]byte, error) {
		var res feegrant.QueryAllowancesByGranterResponse
		if err := v.grpcHint(ctx, "/cosmos.feegrant.v1beta1.Query/AllowancesByGranter", &feegrant.QueryAllowancesByGranterRequest{Granter: granter.String()}, &res); err != nil {
			return nil, err
		}
		return allowanceHintKeys(res.Allowances), nil
	}
	all, err := v.allowanceRange(ctx, feeAllowancePrefix, hint)
	if err != nil {
		return nil, err
	}
	mine := []Allowance{}
	for _, a := range all {
		if sameAddr(a.Granter, granter) {
			mine = append(mine, a)
		}
	}
	return &AllowanceList{Proven: v.proven(), Allowances: mine}, nil
}

// Allowance proves the fee allowance granter gave grantee (ErrNotFound:
// proven absent).
func (v *View) Allowance(ctx context.Context, granter, grantee sdk.AccAddress) (out *AllowanceAnswer, err error) {
	defer guard(&out, &err, "fee allowance from "+granter.String()+" to "+grantee.String())
	key := allowanceKey(granter, grantee)
	p, err := v.get(ctx, storeFeegrant, key)
	if err != nil {
		return nil, err
	}
	if !p.Exists {
		return nil, &ErrNotFound{What: fmt.Sprintf("a fee allowance from %s to %s", granter, grantee), Height: v.height}
	}
	a, err := v.decodeAllowance(key, p.Value)
	if err != nil {
		return nil, err
	}
	return &AllowanceAnswer{Proven: v.proven(), Allowance: a}, nil
}

func (v *View) allowanceRange(ctx context.Context, prefix []byte, hint hintFunc) ([]Allowance, error) {
	entries, err := v.walkPrefix(ctx, storeFeegrant, prefix, nil, hint)
	if err != nil {
		return nil, err
	}
	out := make([]Allowance, 0, len(entries))
	for _, e := range entries {
		a, err := v.decodeAllowance(e.Key, e.Value)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

func allowanceHintKeys(gs []*feegrant.Grant) [][]byte {
	var keys [][]byte
	for _, g := range gs {
		if g == nil {
			continue
		}
		_, granter, err1 := bech32Decode(g.Granter)
		_, grantee, err2 := bech32Decode(g.Grantee)
		if err1 == nil && err2 == nil {
			keys = append(keys, allowanceKey(granter, grantee))
		}
	}
	return keys
}

// decodeAllowance decodes a proven allowance and checks it against its
// key.
func (v *View) decodeAllowance(key, value []byte) (Allowance, error) {
	if len(key) < 1 || key[0] != feeAllowancePrefix[0] {
		return Allowance{}, &ErrDecode{What: "fee allowance key", Err: errBadLength}
	}
	grantee, granter, err := twoLengthPrefixed(key[1:])
	if err != nil {
		return Allowance{}, &ErrDecode{What: "fee allowance key", Err: err}
	}
	var g feegrant.Grant
	if err := g.Unmarshal(value); err != nil {
		return Allowance{}, &ErrDecode{What: "fee allowance", Err: err}
	}
	if !sameAddr(g.Granter, granter) || !sameAddr(g.Grantee, grantee) {
		return Allowance{}, &ErrInconsistent{Reason: "fee allowance record does not match its key"}
	}
	if g.Allowance == nil {
		return Allowance{}, &ErrInconsistent{Reason: "fee allowance without an allowance"}
	}
	out := Allowance{Granter: sdk.AccAddress(granter).String(), Grantee: sdk.AccAddress(grantee).String(), Kind: "other", TypeURL: g.Allowance.TypeUrl}
	var fa feegrant.FeeAllowanceI
	if err := v.q.cdc.InterfaceRegistry().UnpackAny(g.Allowance, &fa); err != nil || fa == nil {
		return out, nil
	}
	out.Value = fa
	inner := fa
	if am, ok := fa.(*feegrant.AllowedMsgAllowance); ok {
		out.AllowedMessages = am.AllowedMessages
		if am.Allowance == nil {
			return Allowance{}, &ErrInconsistent{Reason: "allowed-messages allowance without an allowance inside"}
		}
		var in feegrant.FeeAllowanceI
		if err := v.q.cdc.InterfaceRegistry().UnpackAny(am.Allowance, &in); err != nil || in == nil {
			return out, nil
		}
		inner = in
	}
	switch x := inner.(type) {
	case *feegrant.BasicAllowance:
		out.Kind, out.SpendLimit, out.Expiration = "basic", x.SpendLimit, x.Expiration
	case *feegrant.PeriodicAllowance:
		out.Kind, out.SpendLimit, out.Expiration = "periodic", x.Basic.SpendLimit, x.Basic.Expiration
		out.Period, out.PeriodSpendLimit, out.PeriodCanSpend = x.Period, x.PeriodSpendLimit, x.PeriodCanSpend
		reset := x.PeriodReset
		out.PeriodReset = &reset
	}
	if out.Expiration != nil {
		out.Expired = out.Expiration.Before(v.Header().Time)
	}
	return out, nil
}
