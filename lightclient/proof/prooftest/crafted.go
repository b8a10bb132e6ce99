// Package prooftest makes hostile ICS23 proofs for tests of the proof
// checks and of everything above them (state queries, the command line,
// the TUI): proofs that a lying node could send without knowing anything
// about the real tree.
package prooftest

import (
	"crypto/sha256"
	"encoding/binary"

	cmtcrypto "github.com/cometbft/cometbft/proto/tendermint/crypto"
	ics23 "github.com/cosmos/ics23/go"
)

// IAVLLeaf is a leaf operation that passes ics23.IavlSpec (height 0,
// size 1, version 1).
func IAVLLeaf() *ics23.LeafOp {
	return &ics23.LeafOp{
		Hash: ics23.HashOp_SHA256, PrehashValue: ics23.HashOp_SHA256,
		Length: ics23.LengthOp_VAR_PROTO, Prefix: []byte{0x00, 0x02, 0x02},
	}
}

// LeafHash hashes a leaf as IAVL does: SHA-256(prefix | uvarint(len key)
// | key | uvarint(32) | SHA-256(value)).
func LeafHash(leaf *ics23.LeafOp, key, value []byte) []byte {
	vh := sha256.Sum256(value)
	data := append([]byte(nil), leaf.Prefix...)
	data = binary.AppendUvarint(data, uint64(len(key)))
	data = append(data, key...)
	data = binary.AppendUvarint(data, uint64(len(vh)))
	data = append(data, vh[:]...)
	h := sha256.Sum256(data)
	return h[:]
}

// CraftedNeighbours makes up two neighbours, left and right, whose one
// inner step each splits the same 102-byte preimage Q so that both lead
// to the same made-up root SHA-256(Q):
//
//	Q = 02 04 02 20 | hash(left leaf) | 00 | hash(right leaf) | 33 bytes
//	left step:  prefix Q[:4],  suffix Q[36:] (66 bytes)
//	right step: prefix Q[:37], suffix Q[69:] (33 bytes)
//
// Both steps pass the IAVL spec (prefix 4..45 bytes of valid varints,
// suffix a multiple of 33), yet neither is a left (prefix 4..12, suffix
// 33) or a right child (prefix 37..45, suffix 0). ics23's isLeftStep
// (v0.11.0) panics on such a step (issue 11).
func CraftedNeighbours(leftKey, rightKey []byte) (left, right *ics23.ExistenceProof, root []byte) {
	val := []byte("v")
	hl, hr := LeafHash(IAVLLeaf(), leftKey, val), LeafHash(IAVLLeaf(), rightKey, val)
	q := append([]byte{0x02, 0x04, 0x02, 0x20}, hl...)
	q = append(q, 0x00)
	q = append(q, hr...)
	q = append(q, make([]byte, 33)...)
	sum := sha256.Sum256(q)
	left = &ics23.ExistenceProof{Key: leftKey, Value: val, Leaf: IAVLLeaf(), Path: []*ics23.InnerOp{
		{Hash: ics23.HashOp_SHA256, Prefix: q[:4:4], Suffix: q[36:]},
	}}
	right = &ics23.ExistenceProof{Key: rightKey, Value: val, Leaf: IAVLLeaf(), Path: []*ics23.InnerOp{
		{Hash: ics23.HashOp_SHA256, Prefix: q[:37:37], Suffix: q[69:]},
	}}
	return left, right, sum[:]
}

// CraftedAbsence is the store operation of an absence proof for key made
// of CraftedNeighbours 0x00 and 0xFFFF (so it brackets any key between
// them), in the form abci_query carries it. The multistore operation that
// follows it may be the node's real one: only the module store part is
// made up.
func CraftedAbsence(key []byte) (cmtcrypto.ProofOp, error) {
	left, right, _ := CraftedNeighbours([]byte{0x00}, []byte{0xff, 0xff})
	cp := &ics23.CommitmentProof{Proof: &ics23.CommitmentProof_Nonexist{Nonexist: &ics23.NonExistenceProof{Key: key, Left: left, Right: right}}}
	bz, err := cp.Marshal()
	if err != nil {
		return cmtcrypto.ProofOp{}, err
	}
	return cmtcrypto.ProofOp{Type: "ics23:iavl", Key: key, Data: bz}, nil
}
