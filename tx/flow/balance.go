package flow

import (
	"context"
	"fmt"

	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-wallet/akw/tx"
	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/amount"
	"github.com/akash-wallet/akw/tx/ops"
)

// What the chain takes from where. The ante handler deducts the fee from
// spendable coins before any message runs. A send or a deposit then
// needs spendable coins too (x/bank SendCoins); a delegation needs only
// the whole balance left after the fee (x/bank DelegateCoins), the part
// vesting locks included: ops.SpendsLocked says which rule an operation
// follows, and checkBalance applies it, for every face.

// checkBalance refuses a plan whose amount and own fee the signer's
// verified balance cannot pay, with the exact amounts, and sets the
// plan's Balance and After.
func checkBalance(ctx context.Context, env *Env, p *Plan) error {
	ownFee := p.feeFromSigner()
	spend := p.Op.Spend()
	fromLocked := ops.SpendsLocked(p.Op)
	for _, c := range spend.Add(ownFee...) {
		bal, err := env.State.Balance(ctx, p.Key.Address, c.Denom)
		if err != nil {
			return err
		}
		if c.Denom == env.Denoms.Base {
			p.Balance = bal
		}
		amt, f := spend.AmountOf(c.Denom), ownFee.AmountOf(c.Denom)
		if err := enough(env, p, bal, amt, f, fromLocked); err != nil {
			return err
		}
	}
	if p.Balance == nil {
		bal, err := env.State.Balance(ctx, p.Key.Address, env.Denoms.Base)
		if err != nil {
			return err
		}
		p.Balance = bal
	}
	after := spendableAfter(p.Balance, spend.AmountOf(env.Denoms.Base), ownFee.AmountOf(env.Denoms.Base), fromLocked)
	p.After = &after
	return nil
}

// enough checks one denom: amt the operation spends, f the fee the signer
// pays in it.
func enough(env *Env, p *Plan, bal *tx.Balance, amt, f sdkmath.Int, fromLocked bool) error {
	coin := func(n sdkmath.Int) string {
		return amount.FormatCoin(sdk.Coin{Denom: bal.Denom, Amount: n}, env.Denoms)
	}
	who := address.Bech32(env.Prefixes.Account, p.Key.Address)
	held := bal.Total.Sub(bal.Spendable)
	if !fromLocked || amt.IsZero() {
		need := amt.Add(f)
		if bal.Spendable.GTE(need) {
			return nil
		}
		what := "the fee"
		switch {
		case !amt.IsZero() && f.IsZero():
			what = "the amount"
		case !amt.IsZero():
			what = "the amount plus the fee"
		}
		locked := ""
		if held.IsPositive() {
			// Said, or a holder who sees the larger balance elsewhere
			// cannot tell why the amount is refused.
			locked = fmt.Sprintf("; %s more is locked by vesting", coin(held))
			if fromLocked {
				locked += ", which cannot pay a fee"
			}
		}
		return &tx.CheckError{Check: "balance",
			Reason: fmt.Sprintf("%s (%s) is more than the spendable balance of %s (%s, verified at height %d%s)",
				what, coin(need), who, coin(bal.Spendable), bal.Height, locked),
			Fix: "lower the amount or the fee, or add funds"}
	}
	// The amount may come from locked coins; the fee may not.
	if bal.Spendable.LT(f) {
		return &tx.CheckError{Check: "balance",
			Reason: fmt.Sprintf("the fee (%s) is more than the spendable balance of %s (%s, verified at height %d); the %s that vesting locks may pay the amount, never the fee",
				coin(f), who, coin(bal.Spendable), bal.Height, coin(held)),
			Fix: "lower the fee, have a fee granter pay it (--fee-granter), or add spendable funds"}
	}
	if need := amt.Add(f); bal.Total.LT(need) {
		what := fmt.Sprintf("the amount (%s)", coin(amt))
		if f.IsPositive() {
			what = fmt.Sprintf("the amount plus the fee (%s + fee %s)", coin(amt), coin(f))
		}
		locked := ""
		if held.IsPositive() {
			locked = fmt.Sprintf(", %s of it locked by vesting", coin(held))
		}
		return &tx.CheckError{Check: "balance",
			Reason: fmt.Sprintf("%s is more than the balance of %s (%s, verified at height %d%s)",
				what, who, coin(bal.Total), bal.Height, locked),
			Fix: "lower the amount or the fee, or add funds"}
	}
	return nil
}

// spendableAfter is what stays spendable after the plan executes. Locked
// coins are delegated first (x/auth/vesting TrackDelegation: the vesting
// part is min(locked, amount)), so a delegation within what vesting locks
// leaves the spendable balance less only the fee.
func spendableAfter(bal *tx.Balance, amt, f sdkmath.Int, fromLocked bool) sdkmath.Int {
	after := bal.Spendable.Sub(amt).Sub(f)
	if fromLocked {
		free := amt.Sub(bal.Total.Sub(bal.Spendable))
		if free.IsNegative() {
			free = sdkmath.ZeroInt()
		}
		after = bal.Spendable.Sub(f).Sub(free)
	}
	return after
}
