package ops

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/tx"
	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/amount"
)

// memState is chain state held in memory. The devnet tests check the
// operations against real proven state; a jailed validator or a proposal
// past its voting period cannot be produced there in seconds, so these
// checks are exercised here.
type memState struct {
	vals  map[string]*tx.Validator
	dels  []tx.Delegation
	reds  []tx.Redelegation
	props map[uint64]*tx.Proposal
}

func (m *memState) Balance(context.Context, sdk.AccAddress, string) (*tx.Balance, error) {
	return nil, errors.New("unused")
}
func (m *memState) Validator(_ context.Context, v sdk.ValAddress) (*tx.Validator, error) {
	if x, ok := m.vals[string(v)]; ok {
		return x, nil
	}
	return nil, fmt.Errorf("%w: validator", tx.ErrNotFound)
}
func (m *memState) Delegations(context.Context, sdk.AccAddress) ([]tx.Delegation, error) {
	return m.dels, nil
}
func (m *memState) Redelegations(context.Context, sdk.AccAddress) ([]tx.Redelegation, error) {
	return m.reds, nil
}
func (m *memState) Proposal(_ context.Context, id uint64) (*tx.Proposal, error) {
	if p, ok := m.props[id]; ok {
		return p, nil
	}
	return nil, fmt.Errorf("%w: proposal", tx.ErrNotFound)
}

func val(b byte) sdk.ValAddress { return sdk.ValAddress(bytes.Repeat([]byte{b}, 20)) }

var me = sdk.AccAddress(bytes.Repeat([]byte{9}, 20))

func validator(b byte, status stakingtypes.BondStatus, jailed bool) *tx.Validator {
	return &tx.Validator{Operator: val(b), Moniker: fmt.Sprintf("v%d", b), Status: status, Jailed: jailed,
		Tokens: sdkmath.NewInt(1000), DelegatorShares: sdkmath.LegacyNewDec(1000)}
}

func state() *memState {
	return &memState{
		vals: map[string]*tx.Validator{
			string(val(1)): validator(1, stakingtypes.Bonded, false),
			string(val(2)): validator(2, stakingtypes.Bonded, true),
			string(val(3)): validator(3, stakingtypes.Unbonded, false),
			string(val(4)): validator(4, stakingtypes.Bonded, false),
		},
		dels: []tx.Delegation{{Validator: val(1), Shares: sdkmath.LegacyNewDec(500)}, {Validator: val(4), Shares: sdkmath.LegacyNewDec(100)}},
		props: map[uint64]*tx.Proposal{
			1: {ID: 1, Status: govv1.StatusVotingPeriod},
			2: {ID: 2, Status: govv1.StatusPassed},
			3: {ID: 3, Status: govv1.StatusDepositPeriod},
		},
	}
}

func checker(st tx.StateSource) (*Checker, *[]string) {
	var warnings []string
	return &Checker{State: st, Denoms: amount.Akash, Prefixes: address.For("akash"),
		Warn: func(m string) { warnings = append(warnings, m) }}, &warnings
}

func coin(n int64) sdk.Coin { return sdk.NewInt64Coin("uakt", n) }

func TestDelegateInactive(t *testing.T) {
	ctx := context.Background()
	for _, v := range []byte{2, 3} {
		op := &Delegate{Delegator: me, Validator: val(v), Amount: coin(10)}
		c, _ := checker(state())
		err := op.Check(ctx, c)
		var ce *tx.CheckError
		if !errors.As(err, &ce) || ce.Then.Do != errkind.ActiveValidator {
			t.Fatalf("validator %d: %v", v, err)
		}
		c, warnings := checker(state())
		c.AllowInactive = true
		if err := op.Check(ctx, c); err != nil || len(*warnings) != 1 {
			t.Fatalf("allowed: %v %v", err, *warnings)
		}
		c, _ = checker(state())
		asked := ""
		c.ConfirmInactive = func(q string) error { asked = q; return nil }
		if err := op.Check(ctx, c); err != nil || asked == "" {
			t.Fatalf("confirmed: %v %q", err, asked)
		}
		c.ConfirmInactive = func(string) error { return errors.New("cancelled") }
		if err := op.Check(ctx, c); err == nil {
			t.Fatal("declined but accepted")
		}
	}
	c, _ := checker(state())
	if err := (&Delegate{Delegator: me, Validator: val(1), Amount: coin(10)}).Check(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := (&Delegate{Delegator: me, Validator: val(7), Amount: coin(10)}).Check(ctx, c); errkind.KindOf(err) != errkind.Rejected {
		t.Fatalf("unknown validator: %v", err)
	}
}

func TestRedelegateChecks(t *testing.T) {
	ctx := context.Background()
	c, _ := checker(state())
	if err := (&Redelegate{Delegator: me, Src: val(1), Dst: val(1), Amount: coin(1)}).Check(ctx, c); errkind.KindOf(err) != errkind.Usage {
		t.Fatalf("same validator: %v", err)
	}
	if err := (&Redelegate{Delegator: me, Src: val(1), Dst: val(4), Amount: coin(501)}).Check(ctx, c); errkind.KindOf(err) != errkind.Rejected {
		t.Fatalf("more than delegated: %v", err)
	}
	if err := (&Redelegate{Delegator: me, Src: val(1), Dst: val(4), Amount: coin(500)}).Check(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := (&Redelegate{Delegator: me, Src: val(1), Dst: val(2), Amount: coin(5)}).Check(ctx, c); errkind.KindOf(err) != errkind.Rejected {
		t.Fatalf("to a jailed validator: %v", err)
	}
	// A redelegation into the source still maturing: refused, with the
	// time it completes.
	st := state()
	done := time.Date(2026, 12, 15, 0, 0, 0, 0, time.UTC)
	st.reds = []tx.Redelegation{{Src: val(4), Dst: val(1), Completions: []time.Time{done.Add(-time.Hour), done}}}
	c, _ = checker(st)
	err := (&Redelegate{Delegator: me, Src: val(1), Dst: val(4), Amount: coin(5)}).Check(ctx, c)
	if errkind.KindOf(err) != errkind.Rejected || !strings.Contains(err.Error(), "2026-12-15T00:00:00Z") {
		t.Fatalf("transitive: %v", err)
	}
	// One into another validator does not block.
	st.reds = []tx.Redelegation{{Src: val(1), Dst: val(4), Completions: []time.Time{done}}}
	c, _ = checker(st)
	if err := (&Redelegate{Delegator: me, Src: val(1), Dst: val(4), Amount: coin(5)}).Check(ctx, c); err != nil {
		t.Fatal(err)
	}
}

func TestUndelegateAndWithdraw(t *testing.T) {
	ctx := context.Background()
	c, _ := checker(state())
	if err := (&Undelegate{Delegator: me, Validator: val(3), Amount: coin(1)}).Check(ctx, c); errkind.KindOf(err) != errkind.Rejected {
		t.Fatalf("no delegation: %v", err)
	}
	w := &WithdrawRewards{Delegator: me, All: true}
	if _, err := w.Msgs(c.Prefixes); errkind.KindOf(err) != errkind.Usage {
		t.Fatalf("unresolved --all: %v", err)
	}
	if err := w.Check(ctx, c); err != nil {
		t.Fatal(err)
	}
	msgs, err := w.Msgs(c.Prefixes)
	if err != nil || len(msgs) != 2 {
		t.Fatalf("withdraw all: %v %v", msgs, err)
	}
	w = &WithdrawRewards{Delegator: me, Validators: []sdk.ValAddress{val(3)}}
	if err := w.Check(ctx, c); errkind.KindOf(err) != errkind.Rejected {
		t.Fatalf("no delegation with it: %v", err)
	}
	w = &WithdrawRewards{Delegator: me, All: true, Commission: true}
	if err := w.Check(ctx, c); errkind.KindOf(err) != errkind.Rejected || !strings.Contains(err.Error(), "not a validator operator") {
		t.Fatalf("commission of a non-validator: %v", err)
	}
	op := &WithdrawRewards{Delegator: sdk.AccAddress(val(1)), Validators: []sdk.ValAddress{val(1)}, Commission: true}
	st := state()
	if err := op.Check(ctx, &Checker{State: st, Prefixes: c.Prefixes}); err != nil {
		t.Fatal(err)
	}
	msgs, _ = op.Msgs(c.Prefixes)
	// The commission before the rewards: x/distribution clamps a
	// delegator's rewards to what is outstanding, not the commission.
	if len(msgs) != 2 || sdk.MsgTypeURL(msgs[0]) != "/cosmos.distribution.v1beta1.MsgWithdrawValidatorCommission" ||
		sdk.MsgTypeURL(msgs[1]) != "/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward" {
		t.Fatalf("%v", msgs)
	}
}

func TestVoteChecks(t *testing.T) {
	ctx := context.Background()
	c, _ := checker(state())
	opts := []*govv1.WeightedVoteOption{{Option: govv1.OptionYes, Weight: "1.000000000000000000"}}
	for id, ok := range map[uint64]bool{1: true, 2: false, 3: false, 9: false} {
		err := (&Vote{Voter: me, ProposalID: id, Options: opts}).Check(ctx, c)
		if ok != (err == nil) || (!ok && errkind.KindOf(err) != errkind.Rejected) {
			t.Errorf("proposal %d: %v", id, err)
		}
	}
}

// paramState adds proven staking parameters and unbonding entries to
// memState, as tx/proven.Source offers them.
type paramState struct {
	*memState
	params *tx.StakingParams
	perr   error
	unbs   []tx.Unbonding
}

func (p *paramState) StakingParams(context.Context) (*tx.StakingParams, error) {
	return p.params, p.perr
}
func (p *paramState) Unbondings(context.Context, sdk.AccAddress) ([]tx.Unbonding, error) {
	return p.unbs, nil
}

func field(fs []Field, label string) (string, bool) {
	for _, f := range fs {
		if f.Label == label {
			return f.Value, true
		}
	}
	return "", false
}

func TestUndelegateSummaryUnbondingPeriod(t *testing.T) {
	ctx := context.Background()
	p := address.For("akash")
	// Without a check (offline) the period is not claimed.
	op := &Undelegate{Delegator: me, Validator: val(1), Amount: coin(5)}
	got, _ := field(op.Summary(amount.Akash, p), "unbonding period")
	if !strings.Contains(got, "not proven") || strings.Contains(got, "21") {
		t.Fatalf("unchecked: %q", got)
	}
	// A source that cannot prove params: checks pass, period not claimed.
	c, _ := checker(state())
	if err := op.Check(ctx, c); err != nil {
		t.Fatal(err)
	}
	if got, _ := field(op.Summary(amount.Akash, p), "unbonding period"); !strings.Contains(got, "not proven") {
		t.Fatalf("source without params: %q", got)
	}
	// Proven: the chain's own value with its height, whatever it is.
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{21 * 24 * time.Hour, "21 days (proven at height 77)"},
		{90 * time.Second, "90 seconds (proven at height 77)"},
		{36 * time.Hour, "1 day 12 hours (proven at height 77)"},
	} {
		st := &paramState{memState: state(), params: &tx.StakingParams{UnbondingTime: tc.d, MaxEntries: 7, BondDenom: "uakt", Height: 77}}
		c, _ := checker(st)
		op := &Undelegate{Delegator: me, Validator: val(1), Amount: coin(5)}
		if err := op.Check(ctx, c); err != nil {
			t.Fatal(err)
		}
		if got, _ := field(op.Summary(amount.Akash, p), "unbonding period"); got != tc.want {
			t.Fatalf("period %s: got %q, want %q", tc.d, got, tc.want)
		}
	}
	// A source that fails to prove them fails the check rather than
	// letting an unproven period through.
	st := &paramState{memState: state(), perr: fmt.Errorf("%w: proof mismatch", tx.ErrNotFound)}
	c, _ = checker(st)
	if err := (&Undelegate{Delegator: me, Validator: val(1), Amount: coin(5)}).Check(ctx, c); err == nil {
		t.Fatal("params error swallowed")
	}
}

func TestMaxEntries(t *testing.T) {
	ctx := context.Background()
	params := &tx.StakingParams{UnbondingTime: time.Hour, MaxEntries: 7, BondDenom: "uakt", Height: 9}
	// Undelegate: 7 entries with this validator block an eighth; 6 do not,
	// and entries with another validator do not count.
	st := &paramState{memState: state(), params: params, unbs: []tx.Unbonding{{Validator: val(1), Entries: 7}}}
	c, _ := checker(st)
	err := (&Undelegate{Delegator: me, Validator: val(1), Amount: coin(5)}).Check(ctx, c)
	if errkind.KindOf(err) != errkind.Rejected || !strings.Contains(err.Error(), "at most 7") {
		t.Fatalf("8th unbonding: %v", err)
	}
	st.unbs = []tx.Unbonding{{Validator: val(1), Entries: 6}, {Validator: val(4), Entries: 7}}
	if err := (&Undelegate{Delegator: me, Validator: val(1), Amount: coin(5)}).Check(ctx, c); err != nil {
		t.Fatalf("7th unbonding: %v", err)
	}
	// Redelegate: counted per (src, dst).
	done := time.Date(2026, 12, 15, 0, 0, 0, 0, time.UTC)
	seven := make([]time.Time, 7)
	for i := range seven {
		seven[i] = done.Add(time.Duration(i) * time.Hour)
	}
	st.reds = []tx.Redelegation{{Src: val(1), Dst: val(4), Completions: seven}}
	err = (&Redelegate{Delegator: me, Src: val(1), Dst: val(4), Amount: coin(5)}).Check(ctx, c)
	if errkind.KindOf(err) != errkind.Rejected || !strings.Contains(err.Error(), "at most 7") {
		t.Fatalf("8th redelegation: %v", err)
	}
	st.reds = []tx.Redelegation{{Src: val(1), Dst: val(4), Completions: seven[:6]}}
	if err := (&Redelegate{Delegator: me, Src: val(1), Dst: val(4), Amount: coin(5)}).Check(ctx, c); err != nil {
		t.Fatalf("7th redelegation: %v", err)
	}
	// A larger limit from the chain is honoured, not the remembered 7.
	st.params = &tx.StakingParams{UnbondingTime: time.Hour, MaxEntries: 8, Height: 9}
	st.reds = []tx.Redelegation{{Src: val(1), Dst: val(4), Completions: seven}}
	if err := (&Redelegate{Delegator: me, Src: val(1), Dst: val(4), Amount: coin(5)}).Check(ctx, c); err != nil {
		t.Fatalf("limit 8: %v", err)
	}
}

// rewardState is memState that proves rewards too (tx.RewardsSource).
type rewardState struct {
	*memState
	rewards []tx.Reward
}

func (r *rewardState) Rewards(context.Context, sdk.AccAddress) ([]tx.Reward, int64, error) {
	return r.rewards, 41, nil
}

// A claim weighed against its fee: what it pays (each delegation's reward
// rounded down) is in the summary, and a fee above it is a warning.
func TestWithdrawRewardsWeighsTheFee(t *testing.T) {
	ctx := context.Background()
	st := &rewardState{memState: state(), rewards: []tx.Reward{
		{Validator: val(1), Amount: sdk.NewDecCoins(sdk.NewDecCoinFromDec("uakt", sdkmath.LegacyMustNewDecFromStr("3000.9")))},
		{Validator: val(4), Amount: sdk.NewDecCoins(sdk.NewDecCoinFromDec("uakt", sdkmath.LegacyMustNewDecFromStr("1000.9")))},
	}}
	for _, c := range []struct {
		name   string
		op     *WithdrawRewards
		fee    int64
		warned bool
		paid   string
	}{
		{"all, fee below", &WithdrawRewards{Delegator: me, All: true}, 3999, false, "0.004 AKT"},
		{"all, fee above", &WithdrawRewards{Delegator: me, All: true}, 4001, true, "0.004 AKT"},
		{"one validator", &WithdrawRewards{Delegator: me, Validators: []sdk.ValAddress{val(4)}}, 1001, true, "0.001 AKT"},
		// The commission is not proven here: no warning that could be wrong.
		{"with commission", &WithdrawRewards{Delegator: me, All: true, Commission: true}, 999_999, false, "0.004 AKT plus the commission"},
	} {
		ch, warnings := checker(st)
		if c.op.Commission {
			st.vals[string(sdk.ValAddress(me))] = validator(9, stakingtypes.Bonded, false)
		}
		if err := c.op.Check(ctx, ch); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if err := c.op.CheckFee(ctx, ch, sdk.NewCoins(coin(c.fee))); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		warned := len(*warnings) == 1 && strings.Contains((*warnings)[0], "costs more than it brings")
		if warned != c.warned {
			t.Errorf("%s: warnings %q", c.name, *warnings)
		}
		var rewards string
		for _, f := range c.op.Summary(amount.Akash, address.For("akash")) {
			if f.Label == "rewards" {
				rewards = f.Value
			}
		}
		if rewards != c.paid+" (proven at height 41)" {
			t.Errorf("%s: rewards line %q", c.name, rewards)
		}
	}
	// A source that proves no rewards leaves the claim unweighed.
	op := &WithdrawRewards{Delegator: me, All: true}
	ch, warnings := checker(state())
	if err := op.Check(ctx, ch); err != nil {
		t.Fatal(err)
	}
	if err := op.CheckFee(ctx, ch, sdk.NewCoins(coin(1_000_000))); err != nil || len(*warnings) != 0 {
		t.Fatalf("no rewards source: %v %q", err, *warnings)
	}
}
