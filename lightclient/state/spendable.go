package state

import (
	"context"
	"errors"
	"time"

	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
)

// Spendable is one denomination of an address's proven balance and the
// part of it a transaction may move.
type Spendable struct {
	Proven
	Address string   `json:"address"`
	Total   sdk.Coin `json:"total"`
	// Locked is what a vesting account still has locked of the denom at
	// At: vesting and not delegated (zero for other accounts).
	Locked    math.Int `json:"locked"`
	Spendable math.Int `json:"spendable"`
	// At is the block time the vesting schedule was evaluated at: the
	// verified header's (see View.Spendable).
	At time.Time `json:"at"`
}

// Spendable proves addr's balance of denom and its account, and applies
// x/bank's rule: what the send keeper lets leave (subUnlockedCoins) is
// the balance less the account's LockedCoins of the denom, and nothing
// when that is negative. It is the SDK's SpendableCoins' amount of the
// denom (which also answers nothing at all when any one denom's locked
// coins exceed its balance; the send keeper looks at each denom alone).
//
// The schedule is evaluated at the time of the view's verified header,
// Height()+1, the newest block this state is known by: a transaction
// signed now executes in a later block (Height()+2 at the earliest), and
// locked coins only ever decrease with time, so that block lets through
// at least as much. (The
// node's SpendableBalances query at Height() evaluates at block
// Height()'s time, which for a continuous schedule locks a few coins
// more.)
//
// An address with no account (it never received anything) holds nothing
// locked: its balance, proven zero or not, is spendable.
func (v *View) Spendable(ctx context.Context, addr sdk.AccAddress, denom string) (out *Spendable, err error) {
	defer guard(&out, &err, "spendable balance of "+addr.String())
	b, err := v.Balance(ctx, addr, denom)
	if err != nil {
		return nil, err
	}
	at := v.Header().Time
	out = &Spendable{Proven: b.Proven, Address: b.Address, Total: b.Coin, Locked: math.ZeroInt(), Spendable: b.Coin.Amount, At: at}
	a, err := v.Account(ctx, addr)
	var nf *ErrNotFound
	switch {
	case errors.As(err, &nf):
		return out, nil
	case err != nil:
		return nil, err
	}
	out.Locked = a.LockedCoins(at).AmountOf(denom)
	out.Spendable = math.MaxInt(b.Coin.Amount.Sub(out.Locked), math.ZeroInt())
	return out, nil
}
