package proof

import (
	"bytes"
	"errors"

	cmtcrypto "github.com/cometbft/cometbft/proto/tendermint/crypto"
	ics23 "github.com/cosmos/ics23/go"
)

// verifyEmptyExistence checks an IAVL existence proof of a key whose value
// is empty, and chains the module store's root into appHash through the
// multistore operation.
//
// The SDK stores real answers as empty values: collections' BoolValue
// writes false as an empty protobuf message, so the bank's
// SetSendEnabled(uact, false) — mainnet's ACT — is a key with an empty
// value, and so are the index entries of staking and others. IAVL hashes
// such a leaf like any other (SHA-256 of the empty value), but ics23's
// LeafOp.Apply refuses an empty value outright, so ics23 can neither prove
// the key present nor (it is present) absent. Without this, "is ACT
// send-disabled?" could not be answered from proven state at all.
//
// It does what ics23.VerifyMembership does, in the order absence.go does
// it: the proof's shape is checked against the IAVL spec (ics23's own
// code, which only reads lengths and enums), the leaf hashed as IAVL does
// (iavlRoot: the same code the absence proofs' empty neighbours use), the
// inner steps applied by hashing only, and the resulting root bound to the
// verified app hash through the multistore step, which names the store.
// Nothing interprets the node's steps beyond hashing them: an existence
// proof needs no adjacency, so no step is read for its position.
func verifyEmptyExistence(ops []cmtcrypto.ProofOp, ex *ics23.ExistenceProof, store string, key, appHash []byte) error {
	if !bytes.Equal(ops[0].Key, key) {
		return errors.New("store proof names another key")
	}
	if !bytes.Equal(ops[1].Key, []byte(store)) {
		return errors.New("multistore proof names another store")
	}
	if !bytes.Equal(ex.Key, key) {
		return errors.New("the proof is for another key than the one asked for")
	}
	if len(ex.Value) != 0 {
		return errors.New("the proof commits to a value, not to an empty one")
	}
	if err := ex.CheckAgainstSpec(ics23.IavlSpec); err != nil {
		return err
	}
	root, err := iavlRoot(ex)
	if err != nil {
		return err
	}
	return multistoreStep(ops[1], root, appHash)
}
