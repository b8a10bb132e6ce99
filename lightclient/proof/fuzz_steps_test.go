package proof

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtcrypto "github.com/cometbft/cometbft/proto/tendermint/crypto"
	ics23 "github.com/cosmos/ics23/go"
)

// Mutations of FuzzAbsenceSteps (mode % stepModes).
const (
	modeResplit   = iota // move the boundary between a step's prefix and suffix
	modeInject           // put fuzz bytes into a step's prefix or suffix
	modeCrafted          // made-up neighbours splitting one made-up preimage
	modeSwap             // swap the neighbours
	modeDrop             // drop one neighbour
	modeDuplicate        // one neighbour twice
	modeForeign          // a neighbour from another key's proof (same tree)
	modeTrimPath         // drop or repeat inner steps
	stepModes
)

// FuzzAbsenceSteps mutates absence proofs from a real IAVL multistore at
// the level of their structure, which byte-level mutation of the encoded
// proof (FuzzVerify) rarely reaches: inner steps whose prefix and suffix
// split the node at any point, bytes injected into steps, neighbours
// swapped, dropped, duplicated, taken from another key's proof or cut
// short, and made-up neighbours over a made-up root whose steps split one
// preimage two ways (the input that made ics23 panic, issue 11). Whatever
// the mutation, nothing inside VerifyAppHash may panic (not even one its
// guard would catch: that is a check in the wrong order), and anything it
// accepts is the truth: the key is absent and the neighbours are the real
// ones.
func FuzzAbsenceSteps(f *testing.F) {
	c := newChain(f, "bank")
	truth := map[string][]byte{}
	for i := 0; i < 24; i++ {
		truth[fmt.Sprintf("\x02k%02d", i*3)] = []byte(fmt.Sprintf("v%d", i))
	}
	truth["\x02k30"] = []byte{} // an index entry with an empty value
	h := c.commit("bank", truth)
	appHash := c.appHash[h]
	sorted := make([]string, 0, len(truth))
	for k := range truth {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	// Absent keys: before the first, between each pair, after the last.
	absent := [][]byte{[]byte("\x01")}
	for _, k := range sorted {
		absent = append(absent, Successor([]byte(k)))
	}
	honest := make([]*abci.ResponseQuery, len(absent))
	for i, k := range absent {
		honest[i] = c.query(Query{Store: "bank", Key: k, Height: h})
		if len(honest[i].Value) != 0 {
			f.Fatalf("key %q is not absent", k)
		}
	}

	// Seeds: every mode on a middle key and at both edges; the crafted
	// pair with the split (4-byte prefix, 66-byte suffix).
	for mode := uint8(0); mode < stepModes; mode++ {
		for _, k := range []uint8{0, 5, uint8(len(absent) - 1)} {
			f.Add(k, mode, uint8(0), uint8(0), int16(33), []byte("\x02\x04\x02\x20"))
			f.Add(k, mode, uint8(1), uint8(1), int16(-33), bytes.Repeat([]byte{0x20}, 40))
		}
	}
	// The split (shape 2): Q = 02 04 02 20 | left leaf | 00 |
	// right leaf | 33 zero bytes; left step prefix 4, suffix 66; right
	// step prefix 37, suffix 33.
	f.Add(uint8(7), uint8(modeCrafted), uint8(0), uint8(2), int16(0), []byte{})
	f.Add(uint8(7), uint8(modeResplit), uint8(0), uint8(0), int16(-66), []byte{})

	f.Fuzz(func(t *testing.T, keyIdx, mode, side, step uint8, cut int16, fz []byte) {
		i := int(keyIdx) % len(absent)
		key := absent[i]
		resp := *honest[i]
		var cp ics23.CommitmentProof
		if err := cp.Unmarshal(resp.ProofOps.Ops[0].Data); err != nil {
			t.Fatal(err)
		}
		np := cp.GetNonexist()
		if np == nil {
			t.Fatal("honest proof is not a non-existence proof")
		}
		pick := func() **ics23.ExistenceProof {
			if side%2 == 0 {
				return &np.Left
			}
			return &np.Right
		}
		switch mode % stepModes {
		case modeResplit, modeInject:
			ep := *pick()
			if ep == nil || len(ep.Path) == 0 {
				return
			}
			op := ep.Path[int(step)%len(ep.Path)]
			whole := append(append([]byte(nil), op.Prefix...), op.Suffix...)
			if mode%stepModes == modeInject {
				at := int(uint16(cut)) % (len(whole) + 1)
				whole = append(append(append([]byte(nil), whole[:at]...), fz...), whole[at:]...)
			}
			k := int(uint16(cut)) % (len(whole) + 1)
			op.Prefix, op.Suffix = whole[:k:k], whole[k:]
		case modeCrafted:
			np.Left, np.Right = craftedPair(np, key, fz, int(step))
		case modeSwap:
			np.Left, np.Right = np.Right, np.Left
		case modeDrop:
			*pick() = nil
		case modeDuplicate:
			if side%2 == 0 {
				np.Left = np.Right
			} else {
				np.Right = np.Left
			}
		case modeForeign:
			other := honest[int(step)%len(honest)]
			var ocp ics23.CommitmentProof
			if err := ocp.Unmarshal(other.ProofOps.Ops[0].Data); err != nil {
				t.Fatal(err)
			}
			onp := ocp.GetNonexist()
			if cut%2 == 0 {
				*pick() = onp.Left
			} else {
				*pick() = onp.Right
			}
		case modeTrimPath:
			ep := *pick()
			if ep == nil || len(ep.Path) == 0 {
				return
			}
			n := int(step) % (len(ep.Path) + 1)
			if cut%2 == 0 {
				ep.Path = ep.Path[:n]
			} else {
				ep.Path = append(ep.Path[:n:n], ep.Path[n:]...)
				ep.Path = append(ep.Path, ep.Path[len(ep.Path)-1])
			}
		}
		bz, err := cp.Marshal()
		if err != nil {
			return // a mutation the encoder refuses cannot be sent either
		}
		ops := append([]cmtcrypto.ProofOp(nil), resp.ProofOps.Ops...)
		ops[0].Data = bz
		resp.ProofOps = &cmtcrypto.ProofOps{Ops: ops}

		p, err := VerifyAppHash(Query{Store: "bank", Key: key, Height: h}, &resp, appHash)
		if errors.As(err, new(ErrMalformedProof)) {
			// The guard kept the process alive, but the proof code should
			// never have been handed these bytes unbound.
			t.Fatalf("mode %d: the proof code panicked: %v", mode%stepModes, err)
		}
		if err != nil {
			return
		}
		var left, right string
		for _, k := range sorted {
			if k < string(key) {
				left = k
			} else if right == "" {
				right = k
			}
		}
		if p.Exists || (p.Left == nil) != (left == "") || (p.Left != nil && string(p.Left.Key) != left) ||
			(p.Right == nil) != (right == "") || (p.Right != nil && (string(p.Right.Key) != right || !bytes.Equal(p.Right.Value, truth[right]))) {
			t.Fatalf("mode %d accepted false neighbours for %q: %+v", mode%stepModes, key, p)
		}
	})
}

// craftedPair makes up two neighbours around key (with the real
// neighbours' keys where they bracket key) whose lowest inner steps split
// one made-up preimage Q at two offsets, so that both lead to the same
// made-up root. Q is shaped like an IAVL inner node, which the spec
// checks let through:
//
//	02 04 02 20 | child at 4 (32) | X | child at 37 (32) | tail
//
// The left leaf's hash goes at offset 4 or 37 (shape bit 0), the right's
// at the other; the tail is 0, 33 or 66 bytes (shape / 2 % 3): with 0
// the steps are a real left and right child, with more each step's
// suffix is a multiple of 33 that fits neither position, the input that
// made ics23 panic. Up to three common steps (shape / 6 % 4) go on top.
// Every other byte comes from fz.
func craftedPair(np *ics23.NonExistenceProof, key, fz []byte, shape int) (left, right *ics23.ExistenceProof) {
	leftKey, rightKey := []byte{0x00}, bytes.Repeat([]byte{0xff}, 3)
	if np.Left != nil && bytes.Compare(np.Left.Key, key) < 0 {
		leftKey = np.Left.Key
	}
	if np.Right != nil && bytes.Compare(np.Right.Key, key) > 0 {
		rightKey = np.Right.Key
	}
	next := func(n int) []byte { // n bytes of fz, cycled; zeros without fz
		out := make([]byte, n)
		for i := range out {
			if len(fz) > 0 {
				out[i] = fz[i%len(fz)]
			}
		}
		fz = append(fz[min(n, len(fz)):], fz[:min(n, len(fz))]...)
		return out
	}
	val := []byte("v")
	hl, hr := leafHash(iavlLeaf(), leftKey, val), leafHash(iavlLeaf(), rightKey, val)
	first, second := hl, hr
	if shape%2 == 1 {
		first, second = hr, hl
	}
	q := append([]byte{0x02, 0x04, 0x02, 0x20}, first...)
	q = append(q, next(1)...)
	q = append(q, second...)
	q = append(q, next(33*(shape/2%3))...)
	at4 := &ics23.InnerOp{Hash: ics23.HashOp_SHA256, Prefix: q[:4:4], Suffix: q[36:]}
	at37 := &ics23.InnerOp{Hash: ics23.HashOp_SHA256, Prefix: q[:37:37], Suffix: q[69:]}
	lp, rp := []*ics23.InnerOp{at4}, []*ics23.InnerOp{at37}
	if shape%2 == 1 {
		lp, rp = rp, lp
	}
	// Common steps above: the made-up subtree as the left child of a
	// made-up parent, and so on.
	for i := 0; i < shape/6%4; i++ {
		top := &ics23.InnerOp{Hash: ics23.HashOp_SHA256, Prefix: []byte{byte(2 * (i + 2)), 0x08, 0x02, 0x20}, Suffix: append([]byte{0x20}, next(32)...)}
		lp, rp = append(lp, top), append(rp, top)
	}
	left = &ics23.ExistenceProof{Key: leftKey, Value: val, Leaf: iavlLeaf(), Path: lp}
	right = &ics23.ExistenceProof{Key: rightKey, Value: val, Leaf: iavlLeaf(), Path: rp}
	return left, right
}
