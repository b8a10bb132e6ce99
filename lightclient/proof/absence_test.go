package proof

import (
	"errors"
	"fmt"
	"math/rand"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtcrypto "github.com/cometbft/cometbft/proto/tendermint/crypto"
	ics23 "github.com/cosmos/ics23/go"
)

// The SDK's index entries have empty values; an absence proof next to one
// must verify (ics23 alone refuses it), and still refuse tampering.
func TestAbsenceNextToEmptyValue(t *testing.T) {
	c := newChain(t, "staking")
	h := c.commit("staking", map[string][]byte{
		"\x32\x01a\x01v": []byte("ubd"),
		"\x33\x01v\x01a": {}, // index entry, empty value
		"\x34\x01a":      []byte("red"),
	})
	q := Query{Store: "staking", Key: []byte("\x32\x01a\x01v\x00"), Height: h}
	resp := c.query(q)
	if err := runtime.VerifyAbsence(resp.ProofOps, c.appHash[h], KeyPath(q.Store, q.Key)); err == nil {
		t.Log("note: ics23 now accepts empty-valued neighbours")
	}
	p, err := Verify(q, resp, c.header(h))
	if err != nil {
		t.Fatal(err)
	}
	if p.Right == nil || string(p.Right.Key) != "\x33\x01v\x01a" || len(p.Right.Value) != 0 {
		t.Fatalf("right neighbour %+v", p.Right)
	}
	// A walk over 0x32 ends at the empty-valued index entry.
	entries, _ := walkAll(t, c, NewWalk("staking", []byte("\x32\x01a"), h, 0))
	if len(entries) != 1 {
		t.Fatalf("entries %v", entries)
	}

	// Tampering with the empty neighbour's value breaks the proof.
	lie := rewriteNonexist(t, resp, func(np *ics23.NonExistenceProof) { np.Right.Value = []byte("x") })
	if _, err := Verify(q, lie, c.header(h)); !errors.As(err, new(ErrBadProof)) {
		t.Fatalf("tampered neighbour accepted: %v", err)
	}
}

// Our absence check must agree with ics23's wherever ics23 can decide:
// every honest proof accepted, every tampered one refused.
func TestAbsenceAgreesWithICS23(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	c := newChain(t, "bank")
	writes := map[string][]byte{}
	for i := 0; i < 300; i++ {
		writes[fmt.Sprintf("k%05d", rng.Intn(100000))] = []byte(fmt.Sprintf("v%d", i))
	}
	h := c.commit("bank", writes)
	tampers := []func(*ics23.NonExistenceProof){
		func(np *ics23.NonExistenceProof) {
			if np.Left != nil {
				np.Left.Value = append([]byte("z"), np.Left.Value...)
			}
		},
		func(np *ics23.NonExistenceProof) {
			if np.Right != nil && len(np.Right.Path) > 0 {
				np.Right.Path[0].Prefix = append([]byte(nil), np.Right.Path[0].Prefix...)
				np.Right.Path[0].Prefix[len(np.Right.Path[0].Prefix)-1] ^= 1
			}
		},
		func(np *ics23.NonExistenceProof) { // claim a gap that hides a key
			if np.Left != nil && np.Right != nil {
				np.Right = np.Left
			}
		},
		func(np *ics23.NonExistenceProof) { np.Left = nil },
		func(np *ics23.NonExistenceProof) { np.Right = nil },
	}
	checked := 0
	for i := 0; i < 200; i++ {
		key := []byte(fmt.Sprintf("k%05d~", rng.Intn(100000)))
		q := Query{Store: "bank", Key: key, Height: h}
		resp := c.query(q)
		if len(resp.Value) != 0 {
			continue
		}
		checked++
		if err := runtime.VerifyAbsence(resp.ProofOps, c.appHash[h], KeyPath("bank", key)); err != nil {
			t.Fatalf("ics23 rejects an honest proof: %v", err)
		}
		if _, err := Verify(q, resp, c.header(h)); err != nil {
			t.Fatalf("honest proof for %q refused: %v", key, err)
		}
		for j, tamper := range tampers {
			lie := rewriteNonexist(t, resp, tamper)
			ours := error(nil)
			if _, err := Verify(q, lie, c.header(h)); err != nil {
				ours = err
			}
			theirs := runtime.VerifyAbsence(lie.ProofOps, c.appHash[h], KeyPath("bank", key))
			if (ours == nil) != (theirs == nil) {
				t.Fatalf("key %q tamper %d: ours %v, ics23 %v", key, j, ours, theirs)
			}
		}
	}
	if checked < 100 {
		t.Fatalf("only %d absent keys checked", checked)
	}
}

func rewriteNonexist(t *testing.T, resp *abci.ResponseQuery, f func(*ics23.NonExistenceProof)) *abci.ResponseQuery {
	t.Helper()
	var cp ics23.CommitmentProof
	if err := cp.Unmarshal(resp.ProofOps.Ops[0].Data); err != nil {
		t.Fatal(err)
	}
	np := cp.GetNonexist()
	if np == nil {
		t.Fatal("not a non-existence proof")
	}
	f(np)
	bz, err := cp.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	out := *resp
	ops := append([]cmtcrypto.ProofOp(nil), resp.ProofOps.Ops...)
	ops[0].Data = bz
	out.ProofOps = &cmtcrypto.ProofOps{Ops: ops}
	return &out
}
