package proof

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	storetypes "cosmossdk.io/store/types"
	abci "github.com/cometbft/cometbft/abci/types"
	cmtcrypto "github.com/cometbft/cometbft/proto/tendermint/crypto"
	cmttypes "github.com/cometbft/cometbft/types"
	ics23 "github.com/cosmos/ics23/go"
)

// vector is one of the ICS23 project's test vectors (testdata/ics23; its
// README says where they come from).
type vector struct {
	name             string // dir/file
	spec             *ics23.ProofSpec
	root, key, value []byte // value is nil for a non-existence proof
	proof            *ics23.CommitmentProof
}

func loadVectors(t *testing.T, dir string, spec *ics23.ProofSpec) []vector {
	t.Helper()
	var out []vector
	for _, name := range []string{"exist_left", "exist_middle", "exist_right", "nonexist_left", "nonexist_middle", "nonexist_right"} {
		bz, err := os.ReadFile(filepath.Join("testdata", "ics23", dir, name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var raw struct{ Root, Proof, Key, Value string }
		if err := json.Unmarshal(bz, &raw); err != nil {
			t.Fatalf("%s/%s: %v", dir, name, err)
		}
		v := vector{name: dir + "/" + name, spec: spec}
		for _, f := range []struct {
			dst *[]byte
			hex string
		}{{&v.root, raw.Root}, {&v.key, raw.Key}, {&v.value, raw.Value}} {
			if *f.dst, err = hex.DecodeString(f.hex); err != nil {
				t.Fatalf("%s: %v", v.name, err)
			}
		}
		if raw.Value == "" {
			v.value = nil
		}
		pb, err := hex.DecodeString(raw.Proof)
		if err != nil {
			t.Fatal(err)
		}
		v.proof = &ics23.CommitmentProof{}
		if err := v.proof.Unmarshal(pb); err != nil {
			t.Fatalf("%s: %v", v.name, err)
		}
		out = append(out, v)
	}
	return out
}

// vectorStore is the module store every vector's tree is placed under,
// at state height vectorHeight.
const (
	vectorStore  = "bank"
	vectorHeight = 41
)

// multistore is a real SDK multistore commitment (storetypes.CommitInfo,
// the simple Merkle map rootmulti commits) over made-up module stores
// and one tree of interest: its app hash and per-store proof operations
// are the SDK's own.
type multistore struct{ ci storetypes.CommitInfo }

// newMultistore puts root under store, beside stores with made-up roots.
func newMultistore(store string, root []byte) multistore {
	ci := storetypes.CommitInfo{Version: vectorHeight}
	for _, name := range []string{"acc", "bank", "distribution", "gov", "staking"} {
		r := sha256.Sum256([]byte("made-up root of " + name))
		h := r[:]
		if name == store {
			h = root
		}
		ci.StoreInfos = append(ci.StoreInfos, storetypes.StoreInfo{Name: name, CommitId: storetypes.CommitID{Version: vectorHeight, Hash: h}})
	}
	return multistore{ci}
}

func (m multistore) header() *cmttypes.Header {
	return &cmttypes.Header{Height: vectorHeight + 1, AppHash: m.ci.Hash()}
}

// answer is the abci_query answer a node gives: the store proof cp for key
// and the multistore operation storeOp.
func answer(t *testing.T, key, value []byte, cp *ics23.CommitmentProof, storeOp cmtcrypto.ProofOp) *abci.ResponseQuery {
	t.Helper()
	bz, err := cp.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return &abci.ResponseQuery{Key: key, Value: value, Height: vectorHeight, ProofOps: &cmtcrypto.ProofOps{Ops: []cmtcrypto.ProofOp{
		{Type: storetypes.ProofOpIAVLCommitment, Key: key, Data: bz}, storeOp,
	}}}
}

// cloneProof is a deep copy, for tampering.
func cloneProof(t *testing.T, cp *ics23.CommitmentProof) *ics23.CommitmentProof {
	t.Helper()
	bz, err := cp.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	out := &ics23.CommitmentProof{}
	if err := out.Unmarshal(bz); err != nil {
		t.Fatal(err)
	}
	return out
}

// lie is one tampered answer and the query it answers.
type lie struct {
	name   string
	q      Query
	resp   *abci.ResponseQuery
	header *cmttypes.Header
}

// TestICS23Vectors runs Verify over the ICS23 project's vectors, each in a
// real SDK multistore step: IAVL accepted, Tendermint and SMT refused as
// IAVL, and every tampered variant refused (see vectorLies and
// realTreeLies for the list).
func TestICS23Vectors(t *testing.T) {
	iavl := loadVectors(t, "iavl", ics23.IavlSpec)
	others := append(loadVectors(t, "tendermint", ics23.TendermintSpec), loadVectors(t, "smt", ics23.SmtSpec)...)

	accepted := 0
	for _, v := range iavl {
		checkVectorWithICS23(t, v)
		ms := newMultistore(vectorStore, v.root)
		q := Query{Store: vectorStore, Key: v.key, Height: vectorHeight}
		p, err := Verify(q, answer(t, v.key, v.value, v.proof, ms.ci.ProofOp(vectorStore)), ms.header())
		if err != nil {
			t.Fatalf("%s: honest vector refused: %v", v.name, err)
		}
		if v.value != nil {
			if !p.Exists || !bytes.Equal(p.Value, v.value) {
				t.Fatalf("%s: got %+v", v.name, p)
			}
		} else {
			np := v.proof.GetNonexist()
			if p.Exists || !sameNeighbour(p.Left, np.Left) || !sameNeighbour(p.Right, np.Right) {
				t.Fatalf("%s: got %+v", v.name, p)
			}
		}
		accepted++
	}

	refused, total := 0, 0
	refuse := func(what string, l lie) {
		t.Helper()
		total++
		p, err := Verify(l.q, l.resp, l.header)
		if err == nil {
			t.Errorf("%s: %s: accepted: %+v", what, l.name, p)
			return
		}
		if !errors.Is(err, ErrVerification) || p != nil {
			t.Errorf("%s: %s: %T %v, value %v", what, l.name, err, err, p)
			return
		}
		if errors.As(err, new(ErrMalformedProof)) {
			t.Errorf("%s: %s: refused only by the panic guard: %v", what, l.name, err)
			return
		}
		if testing.Verbose() {
			t.Logf("%s: %s: %v", what, l.name, err)
		}
		refused++
	}

	// Tendermint and SMT trees are valid under their own specs, and must
	// not pass as IAVL.
	nonIAVL := 0
	for _, v := range others {
		checkVectorWithICS23(t, v)
		ms := newMultistore(vectorStore, v.root)
		refuse(v.name, lie{name: "as IAVL", q: Query{Store: vectorStore, Key: v.key, Height: vectorHeight},
			resp: answer(t, v.key, v.value, v.proof, ms.ci.ProofOp(vectorStore)), header: ms.header()})
		nonIAVL++
	}
	for _, v := range iavl {
		for _, l := range vectorLies(t, v) {
			refuse(v.name, l)
		}
	}
	for _, l := range realTreeLies(t) {
		refuse("real SDK tree", l)
	}
	t.Logf("ICS23 vectors: %d honest IAVL vectors accepted; %d Tendermint/SMT vectors refused as IAVL; %d tampered variants refused (of %d)",
		accepted, nonIAVL, refused-nonIAVL, total-nonIAVL)
	if accepted != 6 || nonIAVL != 12 || refused != total {
		t.Fatalf("accepted %d of 6, refused %d of %d", accepted, refused, total)
	}
}

// checkVectorWithICS23 is the control: ics23 itself verifies the vector
// under its own spec, so a refusal by akw is about the spec or the
// tampering, not a broken vector.
func checkVectorWithICS23(t *testing.T, v vector) {
	t.Helper()
	ok := false
	if v.value != nil {
		ok = ics23.VerifyMembership(v.spec, v.root, v.proof, v.key, v.value)
	} else {
		ok = ics23.VerifyNonMembership(v.spec, v.root, v.proof, v.key)
	}
	if !ok {
		t.Fatalf("%s does not verify with ics23 under its own spec", v.name)
	}
}

func sameNeighbour(n *Neighbour, ep *ics23.ExistenceProof) bool {
	if n == nil || ep == nil {
		return n == nil && ep == nil
	}
	return bytes.Equal(n.Key, ep.Key) && bytes.Equal(n.Value, ep.Value)
}

// specLies are the leaf and inner-step changes made to one existence
// proof (the proven key, or a neighbour): each either breaks the IAVL
// spec or changes the root.
var specLies = []struct {
	name string
	f    func(ep *ics23.ExistenceProof)
}{
	{"leaf hash SHA-512", func(ep *ics23.ExistenceProof) { ep.Leaf.Hash = ics23.HashOp_SHA512 }},
	{"leaf value not prehashed", func(ep *ics23.ExistenceProof) { ep.Leaf.PrehashValue = ics23.HashOp_NO_HASH }},
	{"leaf key prehashed", func(ep *ics23.ExistenceProof) { ep.Leaf.PrehashKey = ics23.HashOp_SHA256 }},
	{"leaf length fixed 32-bit", func(ep *ics23.ExistenceProof) { ep.Leaf.Length = ics23.LengthOp_FIXED32_BIG }},
	{"leaf prefix without size and version", func(ep *ics23.ExistenceProof) { ep.Leaf.Prefix = []byte{0x00} }},
	{"leaf prefix of another version", func(ep *ics23.ExistenceProof) {
		ep.Leaf.Prefix = append(bytes.Clone(ep.Leaf.Prefix[:len(ep.Leaf.Prefix)-1]), ep.Leaf.Prefix[len(ep.Leaf.Prefix)-1]+2)
	}},
	{"inner hash SHA-512", func(ep *ics23.ExistenceProof) { ep.Path[0].Hash = ics23.HashOp_SHA512 }},
	{"inner step with 33 more suffix bytes (odd split)", func(ep *ics23.ExistenceProof) {
		ep.Path[0].Suffix = append(make([]byte, 33), ep.Path[0].Suffix...)
	}},
	{"inner step boundary moved by one byte", func(ep *ics23.ExistenceProof) {
		op := ep.Path[0]
		whole := append(bytes.Clone(op.Prefix), op.Suffix...)
		k := len(op.Prefix) + 1
		if len(op.Suffix) == 0 {
			k = len(op.Prefix) - 1
		}
		op.Prefix, op.Suffix = whole[:k:k], whole[k:]
	}},
	{"inner step at height 0", func(ep *ics23.ExistenceProof) { ep.Path[0].Prefix[0] = 0x00 }},
	{"lowest inner step dropped", func(ep *ics23.ExistenceProof) { ep.Path = ep.Path[1:] }},
	{"top inner step repeated", func(ep *ics23.ExistenceProof) { ep.Path = append(ep.Path, ep.Path[len(ep.Path)-1]) }},
}

// vectorLies are the tampered variants of one IAVL vector.
func vectorLies(t *testing.T, v vector) []lie {
	ms := newMultistore(vectorStore, v.root)
	q := Query{Store: vectorStore, Key: v.key, Height: vectorHeight}
	hdr := ms.header()
	op := ms.ci.ProofOp(vectorStore)
	var out []lie
	add := func(name string, q Query, resp *abci.ResponseQuery, hdr *cmttypes.Header) {
		out = append(out, lie{name: name, q: q, resp: resp, header: hdr})
	}
	// Another store's proof: the same tree committed as "acc" in another
	// multistore, answered for "bank" as it is, or relabelled.
	other := newMultistore("acc", v.root)
	accOp := other.ci.ProofOp("acc")
	add("another store's proof replayed", q, answer(t, v.key, v.value, v.proof, accOp), hdr)
	relabelled := accOp
	relabelled.Key = []byte(vectorStore)
	add("another store's proof relabelled", q, answer(t, v.key, v.value, v.proof, relabelled), hdr)
	// The same tree in a multistore of another commit (another store
	// changed): its multistore step leads to another app hash.
	later := newMultistore(vectorStore, v.root)
	later.ci.StoreInfos[0].CommitId.Hash = bytes.Repeat([]byte{0x11}, 32)
	add("multistore proof from another commit", q, answer(t, v.key, v.value, v.proof, later.ci.ProofOp(vectorStore)), hdr)

	if ex := v.proof.GetExist(); ex != nil {
		mod := func(f func(*ics23.ExistenceProof)) *ics23.CommitmentProof {
			cp := cloneProof(t, v.proof)
			f(cp.GetExist())
			return cp
		}
		for _, s := range specLies {
			add(s.name, q, answer(t, v.key, v.value, mod(s.f), op), hdr)
		}
		changed := append(bytes.Clone(v.value), 'x')
		add("value changed in answer and proof", q, answer(t, v.key, changed, mod(func(e *ics23.ExistenceProof) { e.Value = changed }), op), hdr)
		add("value changed in the answer only", q, answer(t, v.key, changed, v.proof, op), hdr)
		other := append(bytes.Clone(v.key), 0x00)
		add("proof for another key", Query{Store: vectorStore, Key: other, Height: vectorHeight}, answer(t, other, v.value, v.proof, op), hdr)
		// A present key passed off as absent: its value dropped, or its
		// own proof offered as either neighbour.
		add("present key passed off as absent (value dropped)", q, answer(t, v.key, nil, v.proof, op), hdr)
		for _, side := range []string{"left", "right"} {
			np := &ics23.NonExistenceProof{Key: v.key}
			if side == "left" {
				np.Left = ex
			} else {
				np.Right = ex
			}
			cp := &ics23.CommitmentProof{Proof: &ics23.CommitmentProof_Nonexist{Nonexist: np}}
			add("present key passed off as absent (itself as "+side+" neighbour)", q, answer(t, v.key, nil, cp, op), hdr)
		}
		return out
	}

	np := v.proof.GetNonexist()
	mod := func(f func(*ics23.NonExistenceProof)) *ics23.CommitmentProof {
		cp := cloneProof(t, v.proof)
		f(cp.GetNonexist())
		return cp
	}
	absent := func(name string, f func(*ics23.NonExistenceProof)) {
		add(name, q, answer(t, v.key, nil, mod(f), op), hdr)
	}
	absent("neighbours swapped", func(np *ics23.NonExistenceProof) { np.Left, np.Right = np.Right, np.Left })
	absent("both neighbours dropped", func(np *ics23.NonExistenceProof) { np.Left, np.Right = nil, nil })
	if np.Left != nil {
		absent("left neighbour dropped", func(np *ics23.NonExistenceProof) { np.Left = nil })
		absent("left neighbour duplicated as right", func(np *ics23.NonExistenceProof) { np.Right = np.Left })
	}
	if np.Right != nil {
		absent("right neighbour dropped", func(np *ics23.NonExistenceProof) { np.Right = nil })
		absent("right neighbour duplicated as left", func(np *ics23.NonExistenceProof) { np.Left = np.Right })
	}
	for _, side := range []string{"left", "right"} {
		pick := func(np *ics23.NonExistenceProof) *ics23.ExistenceProof {
			if side == "left" {
				return np.Left
			}
			return np.Right
		}
		if pick(np) == nil {
			continue
		}
		for _, s := range specLies {
			absent(side+" neighbour: "+s.name, func(np *ics23.NonExistenceProof) { s.f(pick(np)) })
		}
		absent(side+" neighbour's value changed", func(np *ics23.NonExistenceProof) { pick(np).Value = append(pick(np).Value, 'x') })
		absent(side+" neighbour's key changed", func(np *ics23.NonExistenceProof) { pick(np).Key = append(pick(np).Key, 0x00) })
		// The neighbour itself, present, claimed absent with this proof.
		nk := pick(np).Key
		cp := mod(func(np *ics23.NonExistenceProof) { np.Key = nk })
		add("present "+side+" neighbour passed off as absent", Query{Store: vectorStore, Key: nk, Height: vectorHeight}, answer(t, nk, nil, cp, op), hdr)
	}
	add("value given with the absence proof", q, answer(t, v.key, []byte("1"), v.proof, op), hdr)
	// A key outside the gap the neighbours border.
	var far []byte
	switch {
	case np.Left != nil:
		far = np.Left.Key[:len(np.Left.Key)-1] // below the left neighbour
	default:
		far = append(bytes.Clone(np.Right.Key), 0x00) // above the right one
	}
	add("absence of a key outside the gap", Query{Store: vectorStore, Key: far, Height: vectorHeight}, answer(t, far, nil, v.proof, op), hdr)
	return out
}

// realTreeLies are the variants that need a real tree to draw from: a
// real SDK multistore (IAVL) committed like a node's, with neighbours
// taken from elsewhere in the same tree (so their root is the real one
// and only adjacency can refuse them), and a present key with an empty
// value (an index entry) passed off as absent.
func realTreeLies(t *testing.T) []lie {
	c := newChain(t, "bank", "acc")
	writes := map[string][]byte{}
	var keys []string
	for i := 0; i < 40; i++ {
		k := fmt.Sprintf("\x02k%03d", i*5)
		writes[k] = []byte(fmt.Sprintf("%d", i))
		keys = append(keys, k)
	}
	empty := "\x02k052" // between k050 and k055, present with an empty value
	writes[empty] = []byte{}
	h := c.commit("bank", writes)
	c.commit("acc", map[string][]byte{"\x01a": []byte("acct")})
	h++
	hdr := c.header(h)

	exist := func(k string) *ics23.ExistenceProof {
		r := c.query(Query{Store: "bank", Key: []byte(k), Height: h})
		var cp ics23.CommitmentProof
		if err := cp.Unmarshal(r.ProofOps.Ops[0].Data); err != nil || cp.GetExist() == nil {
			t.Fatalf("no existence proof for %q: %v", k, err)
		}
		return cp.GetExist()
	}
	var out []lie
	withNeighbours := func(name string, key []byte, left, right *ics23.ExistenceProof) {
		q := Query{Store: "bank", Key: key, Height: h}
		cp := &ics23.CommitmentProof{Proof: &ics23.CommitmentProof_Nonexist{Nonexist: &ics23.NonExistenceProof{Key: key, Left: left, Right: right}}}
		resp := answer(t, key, nil, cp, c.query(q).ProofOps.Ops[1]) // the real multistore step
		resp.Height = h
		out = append(out, lie{name: name, q: q, resp: resp, header: hdr})
	}
	// Absent keys between keys[i] and keys[i+1]; neighbours shifted away
	// from the gap, one side or both, near and far.
	for _, i := range []int{3, 17, 30} {
		gap := []byte(keys[i] + "~")
		// Control: the real neighbours, put together the same way, pass.
		withNeighbours("real neighbours", gap, exist(keys[i]), exist(keys[i+1]))
		control := out[len(out)-1]
		out = out[:len(out)-1]
		if p, err := Verify(control.q, control.resp, control.header); err != nil || p.Exists || string(p.Right.Key) != keys[i+1] {
			t.Fatalf("the real neighbours of %q are refused: %v", gap, err)
		}
		for _, d := range []struct{ l, r int }{{i, i + 2}, {i - 1, i + 1}, {i - 1, i + 2}, {i - 3, i + 4}, {0, len(keys) - 1}} {
			withNeighbours(fmt.Sprintf("non-adjacent neighbours %q and %q around %q", keys[d.l], keys[d.r], gap),
				gap, exist(keys[d.l]), exist(keys[d.r]))
		}
		withNeighbours(fmt.Sprintf("no left neighbour, right %q not the left-most", keys[i+1]), gap, nil, exist(keys[i+1]))
		withNeighbours(fmt.Sprintf("no right neighbour, left %q not the right-most", keys[i]), gap, exist(keys[i]), nil)
	}
	// The empty-valued entry, present, claimed absent: by the neighbours
	// around it (not adjacent: it sits between them), or by itself as a
	// neighbour.
	withNeighbours("present empty-valued key passed off as absent (its own neighbours)", []byte(empty), exist("\x02k050"), exist("\x02k055"))
	r := c.query(Query{Store: "bank", Key: Successor([]byte(empty)), Height: h})
	var cp ics23.CommitmentProof
	if err := cp.Unmarshal(r.ProofOps.Ops[0].Data); err != nil || cp.GetNonexist() == nil || string(cp.GetNonexist().Left.Key) != empty {
		t.Fatalf("no proof with %q as neighbour: %v", empty, err)
	}
	self := cp.GetNonexist().Left
	withNeighbours("present empty-valued key passed off as absent (itself as left neighbour)", []byte(empty), self, exist("\x02k055"))
	withNeighbours("present empty-valued key passed off as absent (itself as right neighbour)", []byte(empty), exist("\x02k050"), self)
	return out
}
