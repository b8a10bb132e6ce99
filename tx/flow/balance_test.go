package flow

import (
	"bytes"
	"context"
	"errors"
	"testing"

	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/akash-wallet/akw/tx"
	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/fee"
	"github.com/akash-wallet/akw/tx/ops"
)

// A vesting holder: 2 AKT spendable, 8 AKT locked. The fee of every plan
// here is 3,000 uakt (80,000 gas simulated × 1.5 × 0.025).
func vestingHolder(t *testing.T) (*Env, *chain, Key) {
	t.Helper()
	e, c, k := env(t, true)
	c.spendable, c.locked = sdkmath.NewInt(2_000_000), sdkmath.NewInt(8_000_000)
	val := sdk.ValAddress(bytes.Repeat([]byte{9}, 20))
	c.validator = &tx.Validator{Operator: val, Moniker: "v", Status: stakingtypes.Bonded, Tokens: sdkmath.NewInt(1), DelegatorShares: sdkmath.LegacyOneDec()}
	return e, c, k
}

func delegate(k Key, c *chain, n int64) ops.Op {
	return &ops.Delegate{Delegator: k.Address, Validator: c.validator.Operator, Amount: sdk.NewInt64Coin("uakt", n)}
}

// A delegation may take the coins vesting locks (x/bank DelegateCoins
// needs the whole balance); the fee may not, and nothing else may.
func TestDelegateLockedCoins(t *testing.T) {
	ctx := context.Background()
	auto := Options{Gas: fee.Gas{Auto: true}}
	who := address.Bech32(address.For("akash").Account, func() sdk.AccAddress { _, _, k := env(t, false); return k.Address }())

	for _, tc := range []struct {
		amount, after int64
	}{
		{5_000_000, 2_000_000 - 3000},             // within what vesting locks: only the fee leaves the spendable
		{8_000_000, 2_000_000 - 3000},             // all that vesting locks
		{9_000_000, 2_000_000 - 3000 - 1_000_000}, // locked first, then 1 AKT of the spendable
		{9_997_000, 0},                            // the whole balance less the fee
		{1, 2_000_000 - 3000},                     // the least
	} {
		e, c, k := vestingHolder(t)
		p, err := Prepare(ctx, e, delegate(k, c, tc.amount), k, auto)
		if err != nil {
			t.Fatalf("delegate %d: %v", tc.amount, err)
		}
		if !p.Fee.Equal(sdk.NewCoins(sdk.NewInt64Coin("uakt", 3000))) || !p.Balance.Spendable.Equal(sdkmath.NewInt(2_000_000)) || !p.After.Equal(sdkmath.NewInt(tc.after)) {
			t.Fatalf("delegate %d: fee %s, spendable %s, after %s; want after %d", tc.amount, p.Fee, p.Balance.Spendable, p.After, tc.after)
		}
	}

	refused := func(op func(Key, *chain) ops.Op, setup func(*chain), want string) {
		t.Helper()
		e, c, k := vestingHolder(t)
		if setup != nil {
			setup(c)
		}
		_, err := Prepare(ctx, e, op(k, c), k, auto)
		var ce *tx.CheckError
		if !errors.As(err, &ce) || ce.Check != "balance" || ce.Reason != want {
			t.Fatalf("got %v\nwant %s", err, want)
		}
	}
	// The amount plus the fee above the whole balance, by 1 uakt.
	refused(func(k Key, c *chain) ops.Op { return delegate(k, c, 9_997_001) }, nil,
		"the amount plus the fee (9.997001 AKT + fee 0.003 AKT) is more than the balance of "+who+" (10 AKT, verified at height 41, 8 AKT of it locked by vesting)")
	// The amount alone above it: named before simulating.
	refused(func(k Key, c *chain) ops.Op { return delegate(k, c, 10_000_001) }, nil,
		"the amount (10.000001 AKT) is more than the balance of "+who+" (10 AKT, verified at height 41, 8 AKT of it locked by vesting)")
	// A fee the spendable coins do not cover: locked coins never pay it.
	refused(func(k Key, c *chain) ops.Op { return delegate(k, c, 1_000_000) }, func(c *chain) { c.spendable = sdkmath.NewInt(2999) },
		"the fee (0.003 AKT) is more than the spendable balance of "+who+" (0.002999 AKT, verified at height 41); the 8 AKT that vesting locks may pay the amount, never the fee")
	// A send stays within the spendable coins.
	refused(func(k Key, c *chain) ops.Op { return send(k.Address, 2_000_001) }, nil,
		"the amount (2.000001 AKT) is more than the spendable balance of "+who+" (2 AKT, verified at height 41; 8 AKT more is locked by vesting)")
}

func TestSpendsLocked(t *testing.T) {
	for op, want := range map[ops.Op]bool{
		&ops.Delegate{}:       true,
		&ops.Send{}:           false,
		&ops.Deposit{}:        false,
		&ops.SubmitProposal{}: false,
		&ops.Redelegate{}:     false,
	} {
		if got := ops.SpendsLocked(op); got != want {
			t.Errorf("%T: SpendsLocked %v, want %v", op, got, want)
		}
	}
}
