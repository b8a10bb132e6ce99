package proof

import (
	"bytes"
	"errors"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtcrypto "github.com/cometbft/cometbft/proto/tendermint/crypto"
)

// FuzzVerify feeds Verify answers built from a real multistore's proofs
// with fuzzed keys, values, heights and proof bytes. Whatever the bytes,
// nothing inside Verify may panic (not even a panic its guard turns into
// ErrMalformedProof), and anything it accepts must be the truth: the
// store's real value for the key asked, or its real absence with the real
// neighbours.
func FuzzVerify(f *testing.F) {
	c := newChain(f, "bank", "acc")
	truth := map[string][]byte{
		"\x02\x04addruakt": []byte("1000"), "\x02\x04addrzzz": []byte("5"), "\x02\x05other": []byte("7"),
		"\x33\x01v\x01a": {},
	}
	h := c.commit("bank", truth)
	c.commit("acc", map[string][]byte{"\x01addr": []byte("account")})
	h2 := h + 1
	// "\x33\x01v\x01a" exists with an empty value (empty.go).
	for _, k := range []string{"\x02\x04addruakt", "\x02\x04addr", "\x02\x04addruakt\x00", "\x02\x05other\x00", "\x00", "\x34", "\x33\x01v\x01a"} {
		q := Query{Store: "bank", Key: []byte(k), Height: h2}
		r := c.query(q)
		ops := r.ProofOps.Ops
		f.Add([]byte(k), r.Key, r.Value, r.Height, ops[0].Key, ops[0].Data, ops[1].Key, ops[1].Data)
	}
	appHash := c.appHash[h2]
	sorted := []string{"\x02\x04addruakt", "\x02\x04addrzzz", "\x02\x05other", "\x33\x01v\x01a"}

	f.Fuzz(func(t *testing.T, key, respKey, value []byte, height int64, k0, d0, k1, d1 []byte) {
		resp := &abci.ResponseQuery{Key: respKey, Value: value, Height: height, ProofOps: &cmtcrypto.ProofOps{Ops: []cmtcrypto.ProofOp{
			{Type: "ics23:iavl", Key: k0, Data: d0}, {Type: "ics23:simple", Key: k1, Data: d1},
		}}}
		q := Query{Store: "bank", Key: key, Height: h2}
		p, err := VerifyAppHash(q, resp, appHash)
		if errors.As(err, new(ErrMalformedProof)) {
			// VerifyAppHash's guard caught a panic: the process lives on,
			// but the input reached ics23 or the SDK unchecked.
			t.Fatalf("the proof code panicked: %v", err)
		}
		if err != nil {
			return
		}
		want, present := truth[string(key)]
		if p.Exists != present || (present && !bytes.Equal(p.Value, want)) {
			t.Fatalf("accepted a lie for %q: %+v", key, p)
		}
		if !present {
			// The neighbours must be the real ones.
			var left, right string
			for _, k := range sorted {
				if k < string(key) {
					left = k
				} else if right == "" {
					right = k
				}
			}
			if (p.Left == nil) != (left == "") || (p.Left != nil && string(p.Left.Key) != left) ||
				(p.Right == nil) != (right == "") || (p.Right != nil && (string(p.Right.Key) != right || !bytes.Equal(p.Right.Value, truth[right]))) {
				t.Fatalf("accepted false neighbours for %q: %+v", key, p)
			}
		}
	})
}
