package history

import (
	"context"
	"fmt"

	sdkmath "cosmossdk.io/math"

	"github.com/akash-wallet/akw/lightclient/state"
	"github.com/akash-wallet/akw/tx/address"
)

// Reconciliation holds the rows of a range against the address's proven
// balance at both ends: what the rows say moved, and what the chain's
// state says changed.
type Reconciliation struct {
	Address string `json:"address"`
	Denom   string `json:"denom"`
	// From and To are state heights: the balance after block From and
	// after block To; the rows counted are those of blocks From+1..To.
	From int64 `json:"from"`
	To   int64 `json:"to"`
	// Before and After are proven (lightclient/state).
	Before sdkmath.Int `json:"before"`
	After  sdkmath.Int `json:"after"`
	// Rows is the net of the rows' movements in Denom: received and
	// rewards in, sent, delegated, deposits and fees out. Rewards (and
	// failed transactions' fees) in it are node-reported.
	Rows sdkmath.Int `json:"rows"`
	// Difference is (After - Before) - Rows: zero when the rows explain
	// the balance change. It is not zero when the node's index left a
	// transaction out, when its events misstate rewards, or when the
	// balance changed outside transactions (unbonding completing at the
	// end of a block, vesting).
	Difference sdkmath.Int `json:"difference"`
	Refused    int         `json:"refused"` // refused rows in the range, not counted
}

// Reconcile proves the balance of addr in denom after blocks from and to
// (q.At) and holds rows against it.
func Reconcile(ctx context.Context, q *state.Querier, prefix, addr string, from, to int64, rows []Row, denom string) (*Reconciliation, error) {
	acc, err := address.Account(addr, address.For(prefix))
	if err != nil {
		return nil, &ErrQuery{Reason: err.Error(), Err: err}
	}
	if from < 1 || to < from {
		return nil, &ErrQuery{Reason: fmt.Sprintf("heights %d-%d", from, to), Fix: "give a range of state heights, from before to"}
	}
	bal := func(h int64) (sdkmath.Int, error) {
		v, err := q.At(ctx, h)
		if err != nil {
			return sdkmath.Int{}, err
		}
		b, err := v.Balance(ctx, acc, denom)
		if err != nil {
			return sdkmath.Int{}, err
		}
		return b.Coin.Amount, nil
	}
	rec := &Reconciliation{Address: addr, Denom: denom, From: from, To: to, Rows: sdkmath.ZeroInt()}
	if rec.Before, err = bal(from); err != nil {
		return nil, err
	}
	if rec.After, err = bal(to); err != nil {
		return nil, err
	}
	for _, r := range rows {
		if r.Height <= from || r.Height > to {
			continue
		}
		if r.Status != Proven {
			rec.Refused++
			continue
		}
		rec.Rows = rec.Rows.Add(Net(r, denom))
	}
	rec.Difference = rec.After.Sub(rec.Before).Sub(rec.Rows)
	return rec, nil
}

// Net is what a row's movements add to the balance in denom.
func Net(r Row, denom string) sdkmath.Int {
	n := sdkmath.ZeroInt()
	for _, m := range r.Movements {
		a := m.Coins.AmountOf(denom)
		switch m.Direction {
		case In:
			n = n.Add(a)
		case Out:
			n = n.Sub(a)
		}
	}
	return n
}
