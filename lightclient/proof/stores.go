package proof

import (
	"bytes"
	"fmt"

	abci "github.com/cometbft/cometbft/abci/types"
	ics23 "github.com/cosmos/ics23/go"
)

// A multistore's app hash is the root of a simple Merkle tree whose leaves
// are its stores, by name, in byte order (the SDK's CommitInfo). A store
// that a chain mounted only at some upgrade (or dropped at one) is not a
// leaf at the heights before (or after): nodes then answer queries of it
// with an error, exactly as they answer a height they pruned. The SDK
// gives no proof of a store's absence, but the tree makes one from two
// proofs it does give: the multistore steps of the stores whose names
// border the missing one, bound to the app hash and adjacent in the tree,
// leave no place for it — the absence proofs of keys, one level up.

// StoreAnswer is a node's answer to a query of one key in one store. Once
// verified it proves, besides the key, that the store is a leaf of the
// multistore (its second proof operation).
type StoreAnswer struct {
	Query Query
	Resp  *abci.ResponseQuery
}

// ErrStoreNotProvenAbsent: the answers given do not prove that the store
// is missing from the multistore.
type ErrStoreNotProvenAbsent struct {
	Store  string
	Reason string
}

func (e ErrStoreNotProvenAbsent) Error() string {
	return fmt.Sprintf("absence of store %q not proven: %s", e.Store, e.Reason)
}
func (e ErrStoreNotProvenAbsent) Unwrap() error { return ErrVerification }

// VerifyStoreAbsence checks that the multistore whose root is appHash has
// no store named store, from answers of the stores that would border it:
// left, the greatest store name below it, and right, the least above (nil
// when the store would be the first or the last). Each answer is verified
// in full against appHash first (any key of its store, present or
// absent); only then are the two stores' places in the tree read, and
// they must be adjacent. A panic in the proof code is refused as
// ErrMalformedProof.
func VerifyStoreAbsence(store string, left, right *StoreAnswer, appHash []byte) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = ErrMalformedProof{Store: store, Height: height(left, right), Panic: fmt.Sprint(r)}
		}
	}()
	notProven := func(format string, args ...any) error {
		return ErrStoreNotProvenAbsent{Store: store, Reason: fmt.Sprintf(format, args...)}
	}
	if left == nil && right == nil {
		return notProven("no neighbouring store given")
	}
	if left != nil && right != nil && left.Query.Height != right.Query.Height {
		return notProven("neighbours at heights %d and %d", left.Query.Height, right.Query.Height)
	}
	var paths [2][]*ics23.InnerOp
	for i, side := range []*StoreAnswer{left, right} {
		if side == nil {
			continue
		}
		// 1. Bind: the whole answer verifies against the app hash, so
		// its multistore step is a real path of the real tree.
		if _, err := VerifyAppHash(side.Query, side.Resp, appHash); err != nil {
			return err
		}
		var cp ics23.CommitmentProof
		if err := cp.Unmarshal(side.Resp.ProofOps.Ops[1].Data); err != nil {
			return notProven("multistore step of %q does not decode: %v", side.Query.Store, err)
		}
		ex := cp.GetExist()
		if ex == nil || !bytes.Equal(ex.Key, []byte(side.Query.Store)) {
			return notProven("multistore step of %q is not an existence proof of it", side.Query.Store)
		}
		paths[i] = ex.Path
	}
	// 2. Order and adjacency of the two proven stores.
	name := []byte(store)
	if left != nil && bytes.Compare([]byte(left.Query.Store), name) >= 0 {
		return notProven("left neighbour %q is not before it", left.Query.Store)
	}
	if right != nil && bytes.Compare([]byte(right.Query.Store), name) <= 0 {
		return notProven("right neighbour %q is not after it", right.Query.Store)
	}
	spec := ics23.TendermintSpec.InnerSpec
	switch {
	case left == nil:
		if !ics23.IsLeftMost(spec, paths[1]) {
			return notProven("%q is not the first store, so a store lies before it", right.Query.Store)
		}
	case right == nil:
		if !ics23.IsRightMost(spec, paths[0]) {
			return notProven("%q is not the last store, so a store lies after it", left.Query.Store)
		}
	default:
		if len(paths[0]) == 0 || len(paths[1]) == 0 {
			return notProven("a neighbour is the only store of the multistore")
		}
		if !ics23.IsLeftNeighbor(spec, paths[0], paths[1]) {
			return notProven("stores %q and %q are not adjacent: another store lies between them", left.Query.Store, right.Query.Store)
		}
	}
	return nil
}

func height(answers ...*StoreAnswer) int64 {
	for _, a := range answers {
		if a != nil {
			return a.Query.Height
		}
	}
	return 0
}
