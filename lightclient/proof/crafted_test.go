package proof

import (
	"errors"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtcrypto "github.com/cometbft/cometbft/proto/tendermint/crypto"
	ics23 "github.com/cosmos/ics23/go"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/lightclient/proof/prooftest"
)

func iavlLeaf() *ics23.LeafOp { return prooftest.IAVLLeaf() }

func leafHash(leaf *ics23.LeafOp, key, value []byte) []byte {
	return prooftest.LeafHash(leaf, key, value)
}

// craftedAbsence is prooftest.CraftedAbsence followed by the real
// multistore operation simple.
func craftedAbsence(t testing.TB, key []byte, simple cmtcrypto.ProofOp) *cmtcrypto.ProofOps {
	t.Helper()
	op, err := prooftest.CraftedAbsence(key)
	if err != nil {
		t.Fatal(err)
	}
	return &cmtcrypto.ProofOps{Ops: []cmtcrypto.ProofOp{op, simple}}
}

// The crafted neighbours really are what the issue describes: both pass
// the spec, share one root, and ics23 panics when asked whether they are
// adjacent. If ics23 stops panicking, this says so (and akw's guard stays
// harmless).
func TestCraftedNeighboursPanicICS23(t *testing.T) {
	left, right, root := prooftest.CraftedNeighbours([]byte{0x00}, []byte{0xff, 0xff})
	for _, ep := range []*ics23.ExistenceProof{left, right} {
		if err := ep.CheckAgainstSpec(ics23.IavlSpec); err != nil {
			t.Fatalf("crafted neighbour fails the IAVL spec: %v", err)
		}
		r, err := iavlRoot(ep)
		if err != nil || string(r) != string(root) {
			t.Fatalf("crafted neighbour root %X (%v), want %X", r, err, root)
		}
	}
	panicked := func() (p bool) {
		defer func() { p = recover() != nil }()
		ics23.IsLeftNeighbor(ics23.IavlSpec.InnerSpec, left.Path, right.Path)
		return false
	}()
	if !panicked {
		t.Log("note: ics23.IsLeftNeighbor no longer panics on a step that is neither child")
	}
}

// Regression (issue 11, part 2): two made-up neighbours over a made-up
// root, one inner step each that passes the IAVL spec but is neither a
// left nor a right child. akw checked adjacency before binding the root to
// the app hash, so ics23 panicked and took the process down. Now the root
// is bound first: the proof is refused as not leading to the app hash.
func TestCraftedAbsenceProofIsRefusedWithoutPanic(t *testing.T) {
	c := newChain(t, "bank")
	h := c.commit("bank", map[string][]byte{"\x02a": []byte("10"), "\x02c": []byte("30")})
	q := Query{Store: "bank", Key: []byte("\x02b"), Height: h}
	honest := c.query(q)
	lie := &abci.ResponseQuery{Key: q.Key, Height: h, ProofOps: craftedAbsence(t, q.Key, honest.ProofOps.Ops[1])}

	p, err := Verify(q, lie, c.header(h))
	if err == nil {
		t.Fatalf("crafted absence proof accepted: %+v", p)
	}
	if !errors.Is(err, ErrVerification) || errkind.KindOf(err) != errkind.Verification {
		t.Fatalf("not a verification error: %T %v", err, err)
	}
	var bad ErrBadProof
	if !errors.As(err, &bad) {
		t.Fatalf("got %T %v, want ErrBadProof (root not bound to the app hash)", err, err)
	}
	t.Logf("refused: %v", err)
}

// A compressed batch proof whose step points outside its lookup table:
// ics23.Decompress indexes the table without a bounds check. The SDK
// never serves compressed proofs; akw refuses them before decompressing.
func TestCompressedProofIsRefusedWithoutPanic(t *testing.T) {
	c := newChain(t, "bank")
	h := c.commit("bank", map[string][]byte{"\x02a": []byte("10")})
	q := Query{Store: "bank", Key: []byte("\x02a"), Height: h}
	honest := c.query(q)
	cp := &ics23.CommitmentProof{Proof: &ics23.CommitmentProof_Compressed{Compressed: &ics23.CompressedBatchProof{
		Entries: []*ics23.CompressedBatchEntry{{Proof: &ics23.CompressedBatchEntry_Exist{Exist: &ics23.CompressedExistenceProof{
			Key: q.Key, Value: []byte("10"), Leaf: iavlLeaf(), Path: []int32{7},
		}}}},
	}}}
	bz, err := cp.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	lie := *honest
	lie.ProofOps = &cmtcrypto.ProofOps{Ops: []cmtcrypto.ProofOp{{Type: "ics23:iavl", Key: q.Key, Data: bz}, honest.ProofOps.Ops[1]}}
	p, err := Verify(q, &lie, c.header(h))
	if err == nil {
		t.Fatalf("compressed proof accepted: %+v", p)
	}
	if !errors.As(err, new(ErrUnexpectedProof)) || !errors.Is(err, ErrVerification) {
		t.Fatalf("got %T %v, want ErrUnexpectedProof", err, err)
	}
}

// Whatever else panics inside the proof code on a node's bytes is caught
// at VerifyAppHash's boundary and refused as a verification failure that
// names the query.
func TestGuardTurnsPanicIntoVerificationError(t *testing.T) {
	q := Query{Store: "bank", Key: []byte{0x02, 0xaa}, Height: 41}
	p, err := guard(q, func() (*KeyProof, error) {
		var steps []*ics23.InnerOp
		return nil, errors.New(string(steps[3].Prefix)) // index out of range
	})
	var mal ErrMalformedProof
	if p != nil || !errors.As(err, &mal) || !errors.Is(err, ErrVerification) || errkind.KindOf(err) != errkind.Verification {
		t.Fatalf("got %v, %T %v", p, err, err)
	}
	if mal.Store != "bank" || mal.Height != 41 || string(mal.Key) != "\x02\xaa" || mal.Panic == "" {
		t.Fatalf("error does not name the query: %+v", mal)
	}
	t.Log(err)
	// And no panic passes through as a value.
	if _, err := guard(q, func() (*KeyProof, error) { return &KeyProof{}, nil }); err != nil {
		t.Fatal(err)
	}
}
