package proof

import (
	"errors"
	"fmt"
	"testing"

	cmtcrypto "github.com/cometbft/cometbft/proto/tendermint/crypto"
	ics23 "github.com/cosmos/ics23/go"
)

// storesChain is a multistore of six stores, each holding a key.
func storesChain(t testing.TB) (*chain, int64, []string) {
	names := []string{"acc", "bank", "gov", "mint", "oracle", "staking"}
	c := newChain(t, names...)
	for _, n := range names[:len(names)-1] {
		c.commit(n, map[string][]byte{"k": []byte(n)})
	}
	h := c.commit(names[len(names)-1], map[string][]byte{"k": []byte("staking")})
	return c, h, names
}

func (c *chain) storeAnswer(store string, h int64) *StoreAnswer {
	q := Query{Store: store, Key: []byte{0x00}, Height: h}
	return &StoreAnswer{Query: q, Resp: c.query(q)}
}

// A store missing from the multistore is proven absent by the stores
// that border it, in the middle and at both ends; anything else is
// refused.
func TestStoreAbsence(t *testing.T) {
	c, h, _ := storesChain(t)
	app := c.appHash[h]
	a := func(s string) *StoreAnswer { return c.storeAnswer(s, h) }

	for _, ok := range []struct {
		store       string
		left, right *StoreAnswer
	}{
		{"newstore", a("mint"), a("oracle")}, // as the devnet's upgrade adds it
		{"bme", a("bank"), a("gov")},
		{"aaa", nil, a("acc")},
		{"zzz", a("staking"), nil},
	} {
		if err := VerifyStoreAbsence(ok.store, ok.left, ok.right, app); err != nil {
			t.Fatalf("%s: %v", ok.store, err)
		}
	}

	for _, bad := range []struct {
		name        string
		store       string
		left, right *StoreAnswer
	}{
		{"a store between", "newstore", a("gov"), a("oracle")},
		{"the store itself present", "mint", a("gov"), a("oracle")},
		{"neighbours swapped", "newstore", a("oracle"), a("mint")},
		{"not first", "aaa", nil, a("bank")},
		{"not last", "zzz", a("oracle"), nil},
		{"no neighbours", "newstore", nil, nil},
		{"the same store twice", "newstore", a("mint"), a("mint")},
	} {
		err := VerifyStoreAbsence(bad.store, bad.left, bad.right, app)
		if err == nil || !errors.Is(err, ErrVerification) || errors.As(err, new(ErrMalformedProof)) {
			t.Fatalf("%s: %v", bad.name, err)
		}
	}

	// Answers of another height, or checked against another app hash.
	h2 := c.commit("bank", map[string][]byte{"k2": []byte("x")})
	if err := VerifyStoreAbsence("newstore", a("mint"), c.storeAnswer("oracle", h2), app); err == nil {
		t.Fatal("neighbours of two heights accepted")
	}
	if err := VerifyStoreAbsence("newstore", a("mint"), a("oracle"), c.appHash[h2]); !errors.As(err, new(ErrBadProof)) {
		t.Fatalf("against another app hash: %v", err)
	}

	// A node's tampered multistore step: the answer no longer verifies.
	lie := a("oracle")
	var cp ics23.CommitmentProof
	if err := cp.Unmarshal(lie.Resp.ProofOps.Ops[1].Data); err != nil {
		t.Fatal(err)
	}
	ex := cp.GetExist()
	ex.Path = ex.Path[1:]
	bz, _ := cp.Marshal()
	ops := append([]cmtcrypto.ProofOp(nil), lie.Resp.ProofOps.Ops...)
	ops[1].Data = bz
	r := *lie.Resp
	r.ProofOps = &cmtcrypto.ProofOps{Ops: ops}
	lie.Resp = &r
	if err := VerifyStoreAbsence("newstore", a("mint"), lie, app); !errors.As(err, new(ErrBadProof)) {
		t.Fatalf("tampered step: %v", err)
	}
}

// Multistores of every width up to mainnet's and beyond (1 to 33 stores):
// every gap between two stores, and both ends, is proven empty by its
// true neighbours, and never by a pair with a store between them.
func TestStoreAbsenceEveryWidth(t *testing.T) {
	for n := 1; n <= 33; n++ {
		names := make([]string, n)
		for i := range names {
			names[i] = fmt.Sprintf("s%02d", i*2+1) // s01, s03, ...: gaps at s00, s02, ...
		}
		c := newChain(t, names...)
		var h int64
		for _, s := range names {
			h = c.commit(s, map[string][]byte{"k": []byte(s)})
		}
		app := c.appHash[h]
		ans := make([]*StoreAnswer, n)
		for i, s := range names {
			ans[i] = c.storeAnswer(s, h)
		}
		for gap := 0; gap <= n; gap++ {
			missing := fmt.Sprintf("s%02d", gap*2)
			var left, right *StoreAnswer
			if gap > 0 {
				left = ans[gap-1]
			}
			if gap < n {
				right = ans[gap]
			}
			if err := VerifyStoreAbsence(missing, left, right, app); err != nil {
				t.Fatalf("%d stores, %s: %v", n, missing, err)
			}
			// One store further on either side leaves a store between.
			if gap > 1 {
				if err := VerifyStoreAbsence(missing, ans[gap-2], right, app); err == nil {
					t.Fatalf("%d stores, %s: accepted with a store between", n, missing)
				}
			}
			if gap+1 < n {
				if err := VerifyStoreAbsence(missing, left, ans[gap+1], app); err == nil {
					t.Fatalf("%d stores, %s: accepted with a store between (right)", n, missing)
				}
			}
		}
	}
}

// FuzzStoreAbsence feeds VerifyStoreAbsence neighbours whose multistore
// steps are fuzzed bytes, under fuzzed store names. Nothing may panic
// (not even a panic its guard catches), and an accepted absence must be
// true: the name is no store of the multistore, and the neighbours are
// the stores around it.
func FuzzStoreAbsence(f *testing.F) {
	c, h, names := storesChain(f)
	app := c.appHash[h]
	answers := map[string]*StoreAnswer{}
	for _, s := range names {
		answers[s] = c.storeAnswer(s, h)
	}
	f.Add("newstore", uint8(3), uint8(4), answers["mint"].Resp.ProofOps.Ops[1].Data, answers["oracle"].Resp.ProofOps.Ops[1].Data)
	f.Add("aaa", uint8(6), uint8(0), []byte{}, answers["acc"].Resp.ProofOps.Ops[1].Data)
	f.Add("zzz", uint8(5), uint8(6), answers["staking"].Resp.ProofOps.Ops[1].Data, []byte{})
	f.Add("mint", uint8(2), uint8(4), answers["gov"].Resp.ProofOps.Ops[1].Data, answers["oracle"].Resp.ProofOps.Ops[1].Data)
	f.Fuzz(func(t *testing.T, store string, li, ri uint8, ld, rd []byte) {
		side := func(i uint8, data []byte) *StoreAnswer {
			if int(i) >= len(names) {
				return nil
			}
			a := answers[names[i]]
			ops := append([]cmtcrypto.ProofOp(nil), a.Resp.ProofOps.Ops...)
			ops[1].Data = data
			r := *a.Resp
			r.ProofOps = &cmtcrypto.ProofOps{Ops: ops}
			return &StoreAnswer{Query: a.Query, Resp: &r}
		}
		left, right := side(li, ld), side(ri, rd)
		err := VerifyStoreAbsence(store, left, right, app)
		if errors.As(err, new(ErrMalformedProof)) {
			t.Fatalf("the proof code panicked: %v", err)
		}
		if err != nil {
			return
		}
		for i, s := range names {
			if s == store {
				t.Fatalf("store %q proven absent but present", store)
			}
			if s < store && (left == nil || left.Query.Store < s) {
				t.Fatalf("store %q proven absent with left %v, yet %q lies between", store, left, s)
			}
			if s > store && (right == nil || right.Query.Store > s) {
				t.Fatalf("store %q proven absent with right %v, yet %q lies between (%d)", store, right, s, i)
			}
		}
	})
}
