package proof

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"

	cmtcrypto "github.com/cometbft/cometbft/proto/tendermint/crypto"
	ics23 "github.com/cosmos/ics23/go"
)

// verifyAbsence checks an IAVL non-existence proof for key and chains the
// module store's root into appHash through the multistore operation.
//
// It does what ics23.VerifyNonMembership does, with one difference: a
// neighbour whose value is empty is accepted. The SDK stores index entries
// with empty values (staking's 0x33 and 0x35..0x36 indexes, for instance),
// IAVL hashes them like any other leaf (SHA-256 of the empty value), but
// ics23's LeafOp.Apply refuses an empty value outright. Absence proofs next
// to such an entry — the end of every list of unbonding delegations or
// redelegations — would otherwise be impossible to verify. Everything else
// (spec checks, one common root, key order, adjacency, the multistore
// step) is ics23's own exported code.
func verifyAbsence(ops []cmtcrypto.ProofOp, np *ics23.NonExistenceProof, store string, key, appHash []byte) error {
	spec := ics23.IavlSpec
	if !bytes.Equal(ops[0].Key, key) {
		return errors.New("store proof names another key")
	}
	if !bytes.Equal(ops[1].Key, []byte(store)) {
		return errors.New("multistore proof names another store")
	}
	if np.Left == nil && np.Right == nil {
		return errors.New("both neighbours missing")
	}
	var root []byte
	for _, side := range []struct {
		name string
		ep   *ics23.ExistenceProof
	}{{"left", np.Left}, {"right", np.Right}} {
		if side.ep == nil {
			continue
		}
		if err := side.ep.CheckAgainstSpec(spec); err != nil {
			return fmt.Errorf("%s neighbour: %w", side.name, err)
		}
		r, err := iavlRoot(side.ep)
		if err != nil {
			return fmt.Errorf("%s neighbour: %w", side.name, err)
		}
		if root != nil && !bytes.Equal(root, r) {
			return errors.New("neighbours prove different roots")
		}
		root = r
	}
	if np.Right != nil && bytes.Compare(key, np.Right.Key) >= 0 {
		return errors.New("key is not left of the right neighbour")
	}
	if np.Left != nil && bytes.Compare(key, np.Left.Key) <= 0 {
		return errors.New("key is not right of the left neighbour")
	}
	switch {
	case np.Left == nil:
		if !ics23.IsLeftMost(spec.InnerSpec, np.Right.Path) {
			return errors.New("no left neighbour, but the right one is not the left-most key")
		}
	case np.Right == nil:
		if !ics23.IsRightMost(spec.InnerSpec, np.Left.Path) {
			return errors.New("no right neighbour, but the left one is not the right-most key")
		}
	default:
		if !ics23.IsLeftNeighbor(spec.InnerSpec, np.Left.Path, np.Right.Path) {
			return errors.New("neighbours are not adjacent")
		}
	}

	// The module store's root must be the value of store in the
	// multistore, whose root is the app hash.
	op, err := runtime.Decode(ops[1])
	if err != nil {
		return err
	}
	out, err := op.Run([][]byte{root})
	if err != nil {
		return err
	}
	if len(out) != 1 || !bytes.Equal(out[0], appHash) {
		return fmt.Errorf("calculated app hash %X, verified header has %X", out, appHash)
	}
	return nil
}

// iavlRoot computes the root an IAVL existence proof leads to, hashing the
// leaf as IAVL does: SHA-256(prefix | uvarint(len key) | key |
// uvarint(32) | SHA-256(value)). CheckAgainstSpec has already pinned the
// leaf's hash and length operations to these.
func iavlRoot(ep *ics23.ExistenceProof) ([]byte, error) {
	if len(ep.Key) == 0 {
		return nil, errors.New("leaf without key")
	}
	vh := sha256.Sum256(ep.Value)
	data := make([]byte, 0, len(ep.Leaf.Prefix)+len(ep.Key)+48)
	data = append(data, ep.Leaf.Prefix...)
	data = binary.AppendUvarint(data, uint64(len(ep.Key)))
	data = append(data, ep.Key...)
	data = binary.AppendUvarint(data, uint64(len(vh)))
	data = append(data, vh[:]...)
	h := sha256.Sum256(data)
	res := h[:]
	for _, step := range ep.Path {
		var err error
		if res, err = step.Apply(res); err != nil {
			return nil, err
		}
	}
	return res, nil
}
