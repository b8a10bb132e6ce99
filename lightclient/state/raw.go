package state

import (
	"context"
	"fmt"

	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/akash-wallet/akw/lightclient/proof"
)

// Raw proven entries, for a caller that rebuilds an answer from the same
// store bytes the chain's own code reads: akw proxy answers a node's gRPC
// queries this way, so that its answer is, byte for byte, what the node's
// query service computes from that state. Every entry is proven against
// the view's header like any typed answer; the typed methods are the
// better choice wherever their shape fits.

// Hint names keys that a list probably holds, from an unproven source (a
// node's own gRPC answer). It only decides which proofs are fetched in
// parallel: a wrong or lying hint costs round trips, never correctness.
type Hint func(ctx context.Context) ([][]byte, error)

// ProveKeys proves each key of store at the view's height: present with
// its value, or absent. The result is in key order.
func (v *View) ProveKeys(ctx context.Context, store string, keys [][]byte) (out []*proof.KeyProof, err error) {
	defer guard(&out, &err, fmt.Sprintf("%d keys of the %s store", len(keys), store))
	return v.getMany(ctx, store, keys)
}

// ProveRange proves the complete list of entries of store with start <=
// key < end (end nil: to the end of the store), in key order
// (proof.Walk); for the keys under a prefix, end is
// proof.PrefixEnd(prefix). guesses are keys whose proofs are fetched in
// the first round with start's own (each proof names its right
// neighbour, so the successor of a key the list probably holds finishes
// a short walk at once); hint, if not nil, is asked at the same time.
func (v *View) ProveRange(ctx context.Context, store string, start, end []byte, guesses [][]byte, hint Hint) (out []proof.Entry, err error) {
	defer guard(&out, &err, fmt.Sprintf("entries from %X to %X of the %s store", start, end, store))
	var h hintFunc
	if hint != nil {
		h = hintFunc(hint)
	}
	return v.walk(ctx, store, start, end, guesses, h)
}

// DelegationRewards rebuilds the pending rewards of del's delegation of
// shares to val, whose record the caller has proven at this view (its
// operator address names the validator), as x/distribution's
// DelegationRewards query computes them at this height.
func (v *View) DelegationRewards(ctx context.Context, del sdk.AccAddress, val stakingtypes.Validator, shares math.LegacyDec) (out sdk.DecCoins, err error) {
	defer guard(&out, &err, "rewards of "+del.String()+" from "+val.OperatorAddress)
	_, valBz, err := bech32Decode(val.OperatorAddress)
	if err != nil {
		return nil, &ErrDecode{What: "validator address", Err: err}
	}
	st, err := v.distState(ctx, valBz, del)
	if err != nil {
		return nil, err
	}
	return computeRewards(st, val, shares, uint64(v.height))
}
