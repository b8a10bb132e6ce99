package proof

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtcrypto "github.com/cometbft/cometbft/proto/tendermint/crypto"
	"github.com/cosmos/gogoproto/types"
	ics23 "github.com/cosmos/ics23/go"

	"github.com/akash-wallet/akw/lightclient/proof/prooftest"
)

// sendEnabledKey is the bank's SendEnabled entry of denom (collections
// prefix 0x04, then the denom as a terminal string key).
func sendEnabledKey(denom string) []byte { return append([]byte{0x04}, denom...) }

// boolValue is what the bank keeper writes for a SendEnabled entry
// (codec.BoolValue: a protobuf BoolValue; false is the empty message).
func boolValue(t testing.TB, b bool) []byte {
	bz, err := (&types.BoolValue{Value: b}).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return bz
}

// A key whose value is empty — SendEnabled(uact)=false, as mainnet's
// v2.0.0 upgrade stores it — is proven present with its empty value,
// wherever it sits in the tree; ics23 alone refuses it.
func TestExistenceOfEmptyValue(t *testing.T) {
	if len(boolValue(t, false)) != 0 || !bytes.Equal(boolValue(t, true), []byte{0x08, 0x01}) {
		t.Fatalf("BoolValue encodes false as %X and true as %X; the bank's entries are not what this test assumes", boolValue(t, false), boolValue(t, true))
	}
	c := newChain(t, "bank", "acc")
	writes := map[string][]byte{
		string(sendEnabledKey("uact")): boolValue(t, false),
		string(sendEnabledKey("uakt")): boolValue(t, true),
		"\x01uakt":                     []byte("metadata"),
		"\x05":                         []byte("params"),
	}
	// Empty-valued keys at the edges of the store and between others.
	for i := 0; i < 40; i++ {
		writes[fmt.Sprintf("\x02k%02d", i)] = []byte(fmt.Sprintf("%d", i))
		if i%7 == 0 {
			writes[fmt.Sprintf("\x02k%02d\x00", i)] = []byte{}
		}
	}
	writes["\x00first"] = []byte{}
	writes["\xff\xfflast"] = []byte{}
	c.commit("acc", map[string][]byte{"\x01a": []byte("acct")})
	h := c.commit("bank", writes)

	checked := 0
	for k, v := range writes {
		if len(v) != 0 {
			continue
		}
		checked++
		q := Query{Store: "bank", Key: []byte(k), Height: h}
		resp := c.query(q)
		if err := runtime.VerifyValue(resp.ProofOps, c.appHash[h], KeyPath(q.Store, q.Key), resp.Value); err == nil {
			t.Log("note: ics23 now accepts empty values")
		}
		p, err := Verify(q, resp, c.header(h))
		if err != nil {
			t.Fatalf("%q: %v", k, err)
		}
		if !p.Exists || len(p.Value) != 0 {
			t.Fatalf("%q: %+v", k, p)
		}
	}
	if checked < 8 {
		t.Fatalf("only %d empty values checked", checked)
	}
	// The non-empty neighbours still go through ics23 as before.
	p := mustVerify(t, c, Query{Store: "bank", Key: sendEnabledKey("uakt"), Height: h})
	if !p.Exists || !bytes.Equal(p.Value, []byte{0x08, 0x01}) {
		t.Fatalf("uakt entry %+v", p)
	}
	// A walk over a list of empty values sees each of them.
	entries, _ := walkAll(t, c, NewWalk("bank", []byte{0x04}, h, 0))
	if len(entries) != 2 || string(entries[0].Key) != string(sendEnabledKey("uact")) || len(entries[0].Value) != 0 {
		t.Fatalf("SendEnabled entries %q", entries)
	}
}

// Every way a node could dress up a lie about an empty-valued key is
// refused: another value, another key, another store, another height, a
// broken leaf or step, a made-up tree.
func TestExistenceOfEmptyValueRefusesLies(t *testing.T) {
	c := newChain(t, "bank", "acc")
	c.commit("acc", map[string][]byte{"\x01a": []byte("acct")})
	h := c.commit("bank", map[string][]byte{
		string(sendEnabledKey("uact")): {},
		string(sendEnabledKey("uakt")): {0x08, 0x01},
		"\x02a":                        []byte("10"),
	})
	q := Query{Store: "bank", Key: sendEnabledKey("uact"), Height: h}
	honest := c.query(q)
	if _, err := Verify(q, honest, c.header(h)); err != nil {
		t.Fatal(err)
	}
	exist := func(f func(ex *ics23.ExistenceProof)) *abci.ResponseQuery {
		r := *honest
		r.ProofOps = rewriteExist(t, honest.ProofOps, f)
		return &r
	}
	other := c.query(Query{Store: "bank", Key: sendEnabledKey("uakt"), Height: h})
	accProof := c.query(Query{Store: "acc", Key: []byte("\x01a"), Height: h})
	craftedLeft, _, _ := prooftest.CraftedNeighbours(sendEnabledKey("uact"), []byte{0xff})

	for _, c2 := range []struct {
		name string
		resp func() *abci.ResponseQuery
		want any
	}{
		{"a value where the proof has none", func() *abci.ResponseQuery {
			r := *honest
			r.Value = []byte{0x08, 0x01}
			return &r
		}, new(ErrValueMismatch)},
		{"a value in both answer and proof", func() *abci.ResponseQuery {
			r := exist(func(ex *ics23.ExistenceProof) { ex.Value = []byte{0x08, 0x01} })
			r.Value = []byte{0x08, 0x01}
			return r
		}, new(ErrBadProof)},
		{"the proof of another key", func() *abci.ResponseQuery {
			r := *other
			r.Key, r.Value = q.Key, nil
			return &r
		}, new(ErrUnexpectedProof)},
		{"the proof's key renamed", func() *abci.ResponseQuery {
			r := exist(func(ex *ics23.ExistenceProof) { ex.Key = sendEnabledKey("uakt") })
			return r
		}, new(ErrUnexpectedProof)},
		{"the operation renamed to another key", func() *abci.ResponseQuery {
			r := *honest
			ops := append([]cmtcrypto.ProofOp(nil), honest.ProofOps.Ops...)
			ops[0].Key = sendEnabledKey("uakt")
			r.ProofOps = &cmtcrypto.ProofOps{Ops: ops}
			return &r
		}, new(ErrBadProof)},
		{"the multistore step of another store", func() *abci.ResponseQuery {
			r := *honest
			ops := append([]cmtcrypto.ProofOp(nil), honest.ProofOps.Ops...)
			ops[1] = accProof.ProofOps.Ops[1]
			r.ProofOps = &cmtcrypto.ProofOps{Ops: ops}
			return &r
		}, new(ErrBadProof)},
		{"the multistore step renamed", func() *abci.ResponseQuery {
			r := *honest
			ops := append([]cmtcrypto.ProofOp(nil), honest.ProofOps.Ops...)
			ops[1].Key = []byte("acc")
			r.ProofOps = &cmtcrypto.ProofOps{Ops: ops}
			return &r
		}, new(ErrBadProof)},
		{"a leaf prefix of another version", func() *abci.ResponseQuery {
			return exist(func(ex *ics23.ExistenceProof) {
				ex.Leaf.Prefix = append([]byte(nil), ex.Leaf.Prefix...)
				ex.Leaf.Prefix[len(ex.Leaf.Prefix)-1] ^= 1
			})
		}, new(ErrBadProof)},
		{"a leaf hashed another way", func() *abci.ResponseQuery {
			return exist(func(ex *ics23.ExistenceProof) { ex.Leaf.PrehashValue = ics23.HashOp_NO_HASH })
		}, new(ErrBadProof)},
		{"a sibling hash changed", func() *abci.ResponseQuery {
			return exist(func(ex *ics23.ExistenceProof) {
				s := ex.Path[0]
				if len(s.Suffix) > 0 {
					s.Suffix = append([]byte(nil), s.Suffix...)
					s.Suffix[len(s.Suffix)-1] ^= 1
				} else {
					s.Prefix = append([]byte(nil), s.Prefix...)
					s.Prefix[len(s.Prefix)-1] ^= 1
				}
			})
		}, new(ErrBadProof)},
		{"a step dropped", func() *abci.ResponseQuery {
			return exist(func(ex *ics23.ExistenceProof) { ex.Path = ex.Path[1:] })
		}, new(ErrBadProof)},
		{"a step repeated", func() *abci.ResponseQuery {
			return exist(func(ex *ics23.ExistenceProof) { ex.Path = append(ex.Path, ex.Path[len(ex.Path)-1]) })
		}, new(ErrBadProof)},
		{"no steps and no leaf", func() *abci.ResponseQuery {
			return exist(func(ex *ics23.ExistenceProof) { ex.Path, ex.Leaf = nil, nil })
		}, new(ErrBadProof)},
		{"a made-up tree (issue 11's odd split)", func() *abci.ResponseQuery {
			return exist(func(ex *ics23.ExistenceProof) {
				ex.Leaf, ex.Path = craftedLeft.Leaf, craftedLeft.Path
				ex.Value = nil
			})
		}, new(ErrBadProof)},
	} {
		_, err := Verify(q, c2.resp(), c.header(h))
		if err == nil || !errors.Is(err, ErrVerification) {
			t.Fatalf("%s: accepted (%v)", c2.name, err)
		}
		if !errors.As(err, c2.want) {
			t.Fatalf("%s: %T %v, want %T", c2.name, err, err, c2.want)
		}
		if errors.As(err, new(ErrMalformedProof)) {
			t.Fatalf("%s: the proof code panicked: %v", c2.name, err)
		}
	}

	// Against another height's app hash, or another height asked.
	h2 := c.commit("bank", map[string][]byte{"\x02b": []byte("20")})
	if _, err := VerifyAppHash(q, honest, c.appHash[h2]); !errors.As(err, new(ErrBadProof)) {
		t.Fatalf("proof checked against the next app hash: %v", err)
	}
	if _, err := Verify(Query{Store: "bank", Key: q.Key, Height: h2}, honest, c.header(h2)); !errors.As(err, new(ErrWrongHeight)) {
		t.Fatalf("answer of another height: %v", err)
	}
}

// The hand-rolled leaf hash must be IAVL's: for non-empty values, where
// ics23 can decide, the root it computes is ics23's.
func TestIAVLRootAgreesWithICS23(t *testing.T) {
	rng := rand.New(rand.NewSource(13))
	c := newChain(t, "bank")
	writes := map[string][]byte{}
	for i := 0; i < 200; i++ {
		v := make([]byte, rng.Intn(40)+1)
		rng.Read(v)
		writes[fmt.Sprintf("k%05d", rng.Intn(100000))] = v
	}
	h := c.commit("bank", writes)
	for k := range writes {
		resp := c.query(Query{Store: "bank", Key: []byte(k), Height: h})
		var cp ics23.CommitmentProof
		if err := cp.Unmarshal(resp.ProofOps.Ops[0].Data); err != nil {
			t.Fatal(err)
		}
		ex := cp.GetExist()
		want, err := ex.Calculate()
		if err != nil {
			t.Fatal(err)
		}
		got, err := iavlRoot(ex)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%q: iavlRoot %X (%v), ics23 %X", k, got, err, want)
		}
	}
}
