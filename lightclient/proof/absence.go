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
//
// The order matters. Until the neighbours' root is bound to the verified
// app hash, every byte of the proof is the node's word: the shape of the
// inner steps is only checked by hashing them, never interpreted. ics23's
// adjacency check (IsLeftNeighbor) reads each step's position in its node
// from the lengths of its prefix and suffix, and panics on a step that
// passes the IAVL spec but is neither a left nor a right child (a 4-byte
// prefix with a 66-byte suffix); two made-up neighbours over a made-up
// root are enough to reach it. Once the root is the app hash's, every step
// is (barring a SHA-256 collision) a real node of the real tree, split the
// one way that tree splits it, and adjacency can be read from it.
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

	// 1. Bind: both neighbours lead to one root, and that root is the
	// store's root inside the app hash.
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
	if err := multistoreStep(ops[1], root, appHash); err != nil {
		return err
	}

	// 2. The neighbours are now proven present: are they the ones that
	// border key, with nothing between them?
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
		// Two distinct leaves under one root each sit below at least one
		// inner node; IsLeftNeighbor indexes the last step of each path
		// without checking that there is one.
		if len(np.Left.Path) == 0 || len(np.Right.Path) == 0 {
			return errors.New("a neighbour has no inner steps, so it cannot have a sibling")
		}
		if !ics23.IsLeftNeighbor(spec.InnerSpec, np.Left.Path, np.Right.Path) {
			return errors.New("neighbours are not adjacent")
		}
	}
	return nil
}

// multistoreStep checks that root is the value of the store the
// operation names in the multistore whose root is appHash.
func multistoreStep(op cmtcrypto.ProofOp, root, appHash []byte) error {
	dec, err := runtime.Decode(op)
	if err != nil {
		return err
	}
	out, err := dec.Run([][]byte{root})
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
