package proof

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"cosmossdk.io/log"
	"cosmossdk.io/store/metrics"
	"cosmossdk.io/store/rootmulti"
	storetypes "cosmossdk.io/store/types"
	abci "github.com/cometbft/cometbft/abci/types"
	cmtcrypto "github.com/cometbft/cometbft/proto/tendermint/crypto"
	cmttypes "github.com/cometbft/cometbft/types"
	dbm "github.com/cosmos/cosmos-db"
	ics23 "github.com/cosmos/ics23/go"
)

// chain is a real SDK multistore (IAVL module stores under a simple-merkle
// root), committed version by version like a node does; its proofs are the
// ones a node serves.
type chain struct {
	t       testing.TB
	rs      *rootmulti.Store
	keys    map[string]*storetypes.KVStoreKey
	appHash map[int64][]byte
}

func newChain(t testing.TB, stores ...string) *chain {
	t.Helper()
	rs := rootmulti.NewStore(dbm.NewMemDB(), log.NewNopLogger(), metrics.NewNoOpMetrics())
	c := &chain{t: t, rs: rs, keys: map[string]*storetypes.KVStoreKey{}, appHash: map[int64][]byte{}}
	for _, s := range stores {
		k := storetypes.NewKVStoreKey(s)
		c.keys[s] = k
		rs.MountStoreWithDB(k, storetypes.StoreTypeIAVL, nil)
	}
	if err := rs.LoadLatestVersion(); err != nil {
		t.Fatal(err)
	}
	return c
}

// commit applies writes (nil value deletes) and returns the new height.
func (c *chain) commit(store string, writes map[string][]byte) int64 {
	kv := c.rs.GetKVStore(c.keys[store])
	for k, v := range writes {
		if v == nil {
			kv.Delete([]byte(k))
		} else {
			kv.Set([]byte(k), v)
		}
	}
	id := c.rs.Commit()
	c.appHash[id.Version] = id.Hash
	return id.Version
}

func (c *chain) query(q Query) *abci.ResponseQuery {
	c.t.Helper()
	r, err := c.rs.Query(&storetypes.RequestQuery{Path: "/" + q.Store + "/key", Data: q.Key, Height: q.Height, Prove: true})
	if err != nil {
		c.t.Fatal(err)
	}
	return &abci.ResponseQuery{Code: r.Code, Key: r.Key, Value: r.Value, ProofOps: r.ProofOps, Height: r.Height}
}

func (c *chain) header(h int64) *cmttypes.Header {
	return &cmttypes.Header{Height: h + 1, AppHash: c.appHash[h]}
}

func mustVerify(t *testing.T, c *chain, q Query) *KeyProof {
	t.Helper()
	p, err := Verify(q, c.query(q), c.header(q.Height))
	if err != nil {
		t.Fatalf("verify %s %q@%d: %v", q.Store, q.Key, q.Height, err)
	}
	return p
}

func TestVerifyExistenceAndAbsence(t *testing.T) {
	c := newChain(t, "bank", "acc")
	c.commit("acc", map[string][]byte{"\x01alice": []byte("acct-a")})
	h := c.commit("bank", map[string][]byte{"\x02a": []byte("10"), "\x02c": []byte("30")})

	p := mustVerify(t, c, Query{Store: "bank", Key: []byte("\x02a"), Height: h})
	if !p.Exists || string(p.Value) != "10" {
		t.Fatalf("got %+v", p)
	}
	p = mustVerify(t, c, Query{Store: "bank", Key: []byte("\x02b"), Height: h})
	if p.Exists || p.Left == nil || p.Right == nil || string(p.Left.Key) != "\x02a" || string(p.Right.Key) != "\x02c" || string(p.Right.Value) != "30" {
		t.Fatalf("absence neighbours wrong: %+v", p)
	}
	// Past the last key: only a left neighbour.
	p = mustVerify(t, c, Query{Store: "bank", Key: []byte("\x03"), Height: h})
	if p.Exists || p.Right != nil || string(p.Left.Key) != "\x02c" {
		t.Fatalf("edge absence wrong: %+v", p)
	}
	// Another store on the same app hash.
	p = mustVerify(t, c, Query{Store: "acc", Key: []byte("\x01alice"), Height: h})
	if !p.Exists || string(p.Value) != "acct-a" {
		t.Fatalf("got %+v", p)
	}
}

func TestVerifyRefusesLies(t *testing.T) {
	c := newChain(t, "bank", "acc")
	h1 := c.commit("bank", map[string][]byte{"\x02a": []byte("10"), "\x02c": []byte("30")})
	h2 := c.commit("bank", map[string][]byte{"\x02a": []byte("11"), "\x02b": []byte("20")})
	c.commit("acc", map[string][]byte{"\x01alice": []byte("x")})

	qa := Query{Store: "bank", Key: []byte("\x02a"), Height: h2}
	qb := Query{Store: "bank", Key: []byte("\x02b"), Height: h2}

	tests := []struct {
		name string
		q    Query
		lie  func() *abci.ResponseQuery
		want any
	}{
		{"flipped value", qa, func() *abci.ResponseQuery {
			r := c.query(qa)
			r.Value = bytes.Clone(r.Value)
			r.Value[0] ^= 1
			return r
		}, &ErrValueMismatch{}},
		{"flipped value and proof value", qa, func() *abci.ResponseQuery {
			r := c.query(qa)
			r.Value = []byte("99")
			r.ProofOps = rewriteExist(t, r.ProofOps, func(e *ics23.ExistenceProof) { e.Value = []byte("99") })
			return r
		}, &ErrBadProof{}},
		{"proof dropped", qa, func() *abci.ResponseQuery {
			r := c.query(qa)
			r.ProofOps = nil
			return r
		}, &ErrNoProof{}},
		{"proof of another key", qa, func() *abci.ResponseQuery {
			r := c.query(qb)
			r.Key = qa.Key
			return r
		}, &ErrUnexpectedProof{}},
		{"answer for another key", qa, func() *abci.ResponseQuery { return c.query(qb) }, &ErrWrongKey{}},
		{"proof from another height", qa, func() *abci.ResponseQuery {
			r := c.query(Query{Store: "bank", Key: qa.Key, Height: h1})
			r.Height = h2
			return r
		}, &ErrBadProof{}},
		{"answer from another height", qa, func() *abci.ResponseQuery {
			return c.query(Query{Store: "bank", Key: qa.Key, Height: h1})
		}, &ErrWrongHeight{}},
		{"old absence for a present key", qb, func() *abci.ResponseQuery {
			r := c.query(Query{Store: "bank", Key: qb.Key, Height: h1})
			r.Height = h2
			return r
		}, &ErrBadProof{}},
		{"value with absence proof", Query{Store: "bank", Key: []byte("\x02bb"), Height: h2}, func() *abci.ResponseQuery {
			r := c.query(Query{Store: "bank", Key: []byte("\x02bb"), Height: h2})
			r.Value = []byte("5")
			return r
		}, &ErrValueMismatch{}},
		{"proof from another store", Query{Store: "bank", Key: []byte("\x01alice"), Height: h2 + 1}, func() *abci.ResponseQuery {
			return c.query(Query{Store: "acc", Key: []byte("\x01alice"), Height: h2 + 1})
		}, &ErrBadProof{}},
		{"error code", qa, func() *abci.ResponseQuery { return &abci.ResponseQuery{Code: 26, Log: "height pruned"} }, &ErrQueryFailed{}},
		{"one operation only", qa, func() *abci.ResponseQuery {
			r := c.query(qa)
			r.ProofOps = &cmtcrypto.ProofOps{Ops: r.ProofOps.Ops[:1]}
			return r
		}, &ErrUnexpectedProof{}},
		{"garbage proof", qa, func() *abci.ResponseQuery {
			r := c.query(qa)
			ops := append([]cmtcrypto.ProofOp(nil), r.ProofOps.Ops...)
			ops[0].Data = []byte{0xff, 0xff, 0xff}
			r.ProofOps = &cmtcrypto.ProofOps{Ops: ops}
			return r
		}, &ErrUnexpectedProof{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Verify(tc.q, tc.lie(), c.header(tc.q.Height))
			if err == nil {
				t.Fatalf("lie accepted: %+v", p)
			}
			if p != nil {
				t.Fatalf("value returned with error %v", err)
			}
			if !errors.Is(err, ErrVerification) {
				t.Fatalf("error %v does not wrap ErrVerification", err)
			}
			if fmt.Sprintf("%T", err) != fmt.Sprintf("%T", tc.want) && fmt.Sprintf("*%T", err) != fmt.Sprintf("%T", tc.want) {
				t.Fatalf("error %T (%v), want %T", err, err, tc.want)
			}
		})
	}
}

func TestVerifyWrongHeader(t *testing.T) {
	c := newChain(t, "bank")
	h := c.commit("bank", map[string][]byte{"\x02a": []byte("1")})
	q := Query{Store: "bank", Key: []byte("\x02a"), Height: h}
	if _, err := Verify(q, c.query(q), &cmttypes.Header{Height: h, AppHash: c.appHash[h]}); !errors.As(err, new(ErrHeaderHeight)) {
		t.Fatalf("got %v", err)
	}
}

func rewriteExist(t *testing.T, ops *cmtcrypto.ProofOps, f func(*ics23.ExistenceProof)) *cmtcrypto.ProofOps {
	t.Helper()
	var cp ics23.CommitmentProof
	if err := cp.Unmarshal(ops.Ops[0].Data); err != nil {
		t.Fatal(err)
	}
	f(cp.GetExist())
	bz, err := cp.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	out := append([]cmtcrypto.ProofOp(nil), ops.Ops...)
	out[0].Data = bz
	return &cmtcrypto.ProofOps{Ops: out}
}
