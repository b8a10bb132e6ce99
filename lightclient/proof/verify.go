// Package proof checks Merkle proofs of Cosmos SDK state against verified
// block headers. Everything here is a pure function of its inputs: the
// caller fetches the node's answer and the verified header, this package
// decides whether the answer is proven.
//
// It replaces cometbft's light/rpc for SDK queries, which cannot be used as
// it is: it does not know the ics23 proof types, always fails absence
// proofs, and builds the key path from the node's answer instead of the
// request, so a lying node could prove another key or another height.
package proof

import (
	"bytes"
	"fmt"

	"cosmossdk.io/store/rootmulti"
	storetypes "cosmossdk.io/store/types"
	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cometbft/cometbft/crypto/merkle"
	cmttypes "github.com/cometbft/cometbft/types"
	ics23 "github.com/cosmos/ics23/go"
)

// runtime is safe for concurrent use: it only reads its decoder map.
var runtime = rootmulti.DefaultProofRuntime()

// Query names one key of one module store at one height.
type Query struct {
	Store  string // module store key: "bank", "acc", "staking", "distribution", "gov"
	Key    []byte // raw store key
	Height int64  // state height; the proof is checked against header Height+1
}

// Path is the abci_query path that asks the node for the raw key.
func (q Query) Path() string { return "/store/" + q.Store + "/key" }

// Neighbour is a key proven present, with its value, that borders an
// absent key.
type Neighbour struct {
	Key   []byte
	Value []byte
}

// KeyProof is what a verified answer establishes about one key.
type KeyProof struct {
	Store  string
	Key    []byte
	Height int64
	Exists bool
	Value  []byte // set when Exists; empty for a key stored with an empty value (empty.go)

	// For an absent key: the greatest present key below it and the least
	// present key above it, both proven and proven adjacent (nil at the
	// edges of the store). Right is what range walks advance on.
	Left, Right *Neighbour
}

// ErrHeaderHeight: the header given to check against is not the one that
// commits the queried state.
type ErrHeaderHeight struct{ Query, Header int64 }

func (e ErrHeaderHeight) Error() string {
	return fmt.Sprintf("state at height %d is committed in header %d, got header %d", e.Query, e.Query+1, e.Header)
}

// KeyPath is the merkle key path for a key in a module store, built from
// the request (never from the node's answer).
func KeyPath(store string, key []byte) string {
	return merkle.KeyPath{}.
		AppendKey([]byte(store), merkle.KeyEncodingURL).
		AppendKey(key, merkle.KeyEncodingURL).
		String()
}

// Verify checks the node's answer to q against next, the verified header
// at q.Height+1 whose AppHash commits the state at q.Height. It returns
// what the answer proves about the key, or a typed error (all wrap
// ErrVerification except ErrHeaderHeight, which is a caller bug).
func Verify(q Query, resp *abci.ResponseQuery, next *cmttypes.Header) (*KeyProof, error) {
	if next == nil || next.Height != q.Height+1 {
		h := int64(0)
		if next != nil {
			h = next.Height
		}
		return nil, ErrHeaderHeight{Query: q.Height, Header: h}
	}
	return VerifyAppHash(q, resp, next.AppHash)
}

// VerifyAppHash is Verify against an app hash the caller has already taken
// from the verified header at q.Height+1.
//
// It is the one place where a node's proof meets ics23 and the SDK's
// proof runtime, and neither promises not to panic on malformed input
// (issue 11 found two ways). A panic here is recovered and refused as
// ErrMalformedProof: whatever the node sends, the caller gets an error,
// never a dead process.
func VerifyAppHash(q Query, resp *abci.ResponseQuery, appHash []byte) (*KeyProof, error) {
	return guard(q, func() (*KeyProof, error) { return verifyAppHash(q, resp, appHash) })
}

// guard runs check and turns a panic inside it into ErrMalformedProof.
func guard(q Query, check func() (*KeyProof, error)) (kp *KeyProof, err error) {
	defer func() {
		if r := recover(); r != nil {
			kp, err = nil, ErrMalformedProof{Store: q.Store, Key: q.Key, Height: q.Height, Panic: fmt.Sprint(r)}
		}
	}()
	return check()
}

func verifyAppHash(q Query, resp *abci.ResponseQuery, appHash []byte) (*KeyProof, error) {
	if resp == nil {
		return nil, ErrNoProof{Store: q.Store}
	}
	if resp.Code != 0 {
		return nil, ErrQueryFailed{Code: resp.Code, Codespace: resp.Codespace, Log: resp.Log}
	}
	// Key and height first: a proof of another key or another height may
	// well be valid, and must still be refused.
	if !bytes.Equal(resp.Key, q.Key) {
		return nil, ErrWrongKey{Want: q.Key, Got: resp.Key}
	}
	if resp.Height != q.Height {
		return nil, ErrWrongHeight{Want: q.Height, Got: resp.Height}
	}
	if resp.ProofOps == nil || len(resp.ProofOps.Ops) == 0 {
		return nil, ErrNoProof{Store: q.Store}
	}
	ops := resp.ProofOps.Ops
	if len(ops) != 2 {
		return nil, ErrUnexpectedProof{Reason: fmt.Sprintf("%d proof operations, want 2", len(ops))}
	}
	if ops[0].Type != storetypes.ProofOpIAVLCommitment || ops[1].Type != storetypes.ProofOpSimpleMerkleCommitment {
		return nil, ErrUnexpectedProof{Reason: fmt.Sprintf("operations %q, %q; want %q, %q",
			ops[0].Type, ops[1].Type, storetypes.ProofOpIAVLCommitment, storetypes.ProofOpSimpleMerkleCommitment)}
	}

	var cp ics23.CommitmentProof
	if err := cp.Unmarshal(ops[0].Data); err != nil {
		return nil, ErrUnexpectedProof{Reason: "store proof does not decode: " + err.Error()}
	}

	kp := &KeyProof{Store: q.Store, Key: q.Key, Height: q.Height}
	path := KeyPath(q.Store, q.Key)

	// The SDK answers one key with one plain existence or non-existence
	// proof. Batch and compressed proofs are refused as they come, not
	// decompressed: ics23.Decompress indexes its lookup table with the
	// node's numbers unchecked.
	switch p := cp.Proof.(type) {
	case *ics23.CommitmentProof_Exist:
		ex := p.Exist
		if ex == nil || !bytes.Equal(ex.Key, q.Key) {
			return nil, ErrUnexpectedProof{Reason: "the proof is for another key than the one asked for"}
		}
		if !bytes.Equal(ex.Value, resp.Value) {
			return nil, ErrValueMismatch{Key: q.Key}
		}
		if len(resp.Value) == 0 {
			// ics23 refuses empty values; see empty.go.
			if err := verifyEmptyExistence(ops, ex, q.Store, q.Key, appHash); err != nil {
				return nil, ErrBadProof{Key: q.Key, Err: err}
			}
		} else if err := runtime.VerifyValue(resp.ProofOps, appHash, path, resp.Value); err != nil {
			return nil, ErrBadProof{Key: q.Key, Err: err}
		}
		kp.Exists = true
		kp.Value = bytes.Clone(resp.Value)
	case *ics23.CommitmentProof_Nonexist:
		np := p.Nonexist
		if np == nil {
			return nil, ErrUnexpectedProof{Reason: "empty non-existence proof"}
		}
		if len(resp.Value) != 0 {
			// A value together with an absence proof: one of the two lies.
			return nil, ErrValueMismatch{Key: q.Key}
		}
		if err := verifyAbsence(ops, np, q.Store, q.Key, appHash); err != nil {
			return nil, ErrBadProof{Key: q.Key, Err: err}
		}
		// verifyAbsence has checked np.Left < key < np.Right, both under
		// the same root and adjacent in the tree, so they are proven too.
		if np.Left != nil {
			kp.Left = &Neighbour{Key: bytes.Clone(np.Left.Key), Value: bytes.Clone(np.Left.Value)}
		}
		if np.Right != nil {
			kp.Right = &Neighbour{Key: bytes.Clone(np.Right.Key), Value: bytes.Clone(np.Right.Value)}
		}
	default:
		return nil, ErrUnexpectedProof{Reason: fmt.Sprintf("store proof of type %T, want an existence or non-existence proof", cp.Proof)}
	}
	return kp, nil
}
