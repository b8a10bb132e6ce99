package state

import (
	"bytes"
	"context"
	"fmt"

	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/akash-wallet/akw/lightclient/proof"
)

// Balances are all the coins an address holds, proven complete.
type Balances struct {
	Proven
	Address string    `json:"address"`
	Coins   sdk.Coins `json:"balances"`
}

// Balance is one denomination's amount (zero when absence is proven).
type Balance struct {
	Proven
	Address string   `json:"address"`
	Coin    sdk.Coin `json:"balance"`
}

// Balances proves every balance of addr: the walk over bank's
// 0x02 lp(addr) prefix shows that no denomination was left out.
func (v *View) Balances(ctx context.Context, addr sdk.AccAddress) (out *Balances, err error) {
	defer guard(&out, &err, "balances of "+addr.String())
	return v.balances(ctx, addr, nil)
}

// balances is Balances, proving along's keys in the walk's rounds too.
func (v *View) balances(ctx context.Context, addr sdk.AccAddress, along *alongWalk) (*Balances, error) {
	prefix := balancesPrefix(addr)
	var guesses [][]byte
	for _, d := range v.q.denomHints {
		guesses = append(guesses, proof.Successor(balanceKey(addr, d)))
	}
	hint := func(ctx context.Context) ([][]byte, error) {
		var res banktypes.QueryAllBalancesResponse
		if err := v.grpcHint(ctx, "/cosmos.bank.v1beta1.Query/AllBalances", &banktypes.QueryAllBalancesRequest{Address: addr.String()}, &res); err != nil {
			return nil, err
		}
		keys := make([][]byte, 0, len(res.Balances))
		for _, c := range res.Balances {
			keys = append(keys, balanceKey(addr, c.Denom))
		}
		return keys, nil
	}
	entries, err := v.walkAlong(ctx, storeBank, prefix, proof.PrefixEnd(prefix), guesses, hint, along)
	if err != nil {
		return nil, err
	}
	coins := make(sdk.Coins, 0, len(entries))
	for _, e := range entries {
		denom := string(bytes.TrimPrefix(e.Key, prefix))
		amt, err := decodeAmount(denom, e.Value)
		if err != nil {
			return nil, err
		}
		if amt.IsZero() {
			continue // the bank keeper deletes zero balances; tolerate one anyway
		}
		coins = append(coins, sdk.Coin{Denom: denom, Amount: amt})
	}
	// Keys are in byte order, which is the order sdk.Coins wants.
	if err := coins.Validate(); err != nil {
		return nil, &ErrDecode{What: "balances", Err: err}
	}
	return &Balances{Proven: v.proven(), Address: addr.String(), Coins: coins}, nil
}

// Balance proves one denomination's balance: a single proof, present or
// absent.
func (v *View) Balance(ctx context.Context, addr sdk.AccAddress, denom string) (out *Balance, err error) {
	defer guard(&out, &err, "balance of "+addr.String())
	if err := sdk.ValidateDenom(denom); err != nil {
		return nil, err
	}
	p, err := v.get(ctx, storeBank, balanceKey(addr, denom))
	if err != nil {
		return nil, err
	}
	amt, err := balanceFrom(denom, p)
	if err != nil {
		return nil, err
	}
	return &Balance{Proven: v.proven(), Address: addr.String(), Coin: sdk.Coin{Denom: denom, Amount: amt}}, nil
}

// balanceFrom is the amount of denom a proven balance entry holds: zero
// when its absence is proven.
func balanceFrom(denom string, p *proof.KeyProof) (math.Int, error) {
	if !p.Exists {
		return math.ZeroInt(), nil
	}
	return decodeAmount(denom, p.Value)
}

func decodeAmount(denom string, value []byte) (math.Int, error) {
	// BalanceValueCodec reads the current encoding (decimal text) and the
	// legacy one (a Coin message).
	amt, err := banktypes.BalanceValueCodec.Decode(value)
	if err != nil {
		return math.Int{}, &ErrDecode{What: fmt.Sprintf("balance of %q", denom), Err: err}
	}
	// The legacy fallback decodes text that is not a number as a Coin
	// message with no amount, without an error: a nil Int, on which any
	// use panics (found by FuzzProvenState with "100000A00").
	if amt.IsNil() {
		return math.Int{}, &ErrDecode{What: fmt.Sprintf("balance of %q", denom), Err: fmt.Errorf("no amount in %q", value)}
	}
	if amt.IsNegative() {
		return math.Int{}, &ErrDecode{What: fmt.Sprintf("balance of %q", denom), Err: fmt.Errorf("negative amount %s", amt)}
	}
	return amt, nil
}
