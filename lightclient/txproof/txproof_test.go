package txproof

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/akash-wallet/akw/errkind"
)

// block builds a block's worth of txs and results with the headers that
// commit them, as CometBFT does.
func block() (cmttypes.Txs, []*abci.ExecTxResult, *cmttypes.Header, *cmttypes.Header) {
	txs := cmttypes.Txs{[]byte("tx-zero"), []byte("tx-one"), []byte("tx-two")}
	results := []*abci.ExecTxResult{
		{Code: 0, GasWanted: 100, GasUsed: 90, Log: "ok"},
		{Code: 5, Codespace: "sdk", GasWanted: 200, GasUsed: 150, Log: "insufficient funds"},
		{Code: 0, Data: []byte{1, 2}, GasWanted: 300, GasUsed: 10},
	}
	return txs, results, &cmttypes.Header{Height: 10, DataHash: txs.Hash()}, next(results)
}

func next(results []*abci.ExecTxResult) *cmttypes.Header {
	return &cmttypes.Header{Height: 11, LastResultsHash: cmttypes.NewResults(results).Hash()}
}

// answer is what an honest node serves for txs[i]: /tx, /block_results
// and /block.
func answer(txs cmttypes.Txs, results []*abci.ExecTxResult, i int) Answer {
	return Answer{Height: 10, Tx: txs[i], Proof: txs.Proof(i), Claimed: *results[i], Results: results, BlockTxs: txs}
}

func TestCheck(t *testing.T) {
	txs, results, h, n := block()
	for i := range txs {
		r, err := Check(txs[i].Hash(), answer(txs, results, i), h, n)
		if err != nil {
			t.Fatal(err)
		}
		if !r.Verified || r.Code != results[i].Code || r.GasUsed != results[i].GasUsed || int(r.Index) != i || r.LogVerified || len(r.Duplicates) != 0 {
			t.Fatalf("tx %d: %+v", i, r)
		}
	}
}

// A block of one transaction needs no block: the proof's total, held to
// the results' count, says there is no other copy.
func TestCheckLoneTransaction(t *testing.T) {
	txs := cmttypes.Txs{[]byte("alone")}
	results := []*abci.ExecTxResult{{Code: 0, GasWanted: 10, GasUsed: 9}}
	h := &cmttypes.Header{Height: 10, DataHash: txs.Hash()}
	a := answer(txs, results, 0)
	a.BlockTxs = nil
	r, err := Check(txs[0].Hash(), a, h, next(results))
	if err != nil || r.Index != 0 || len(r.Duplicates) != 0 {
		t.Fatalf("%+v %v", r, err)
	}
}

// dupBlock is a block that lists one send twice, as a misbehaving
// proposer may: the first copy executed (code 0), the second failed with
// the SDK's sequence mismatch (code 32).
func dupBlock() (cmttypes.Txs, []*abci.ExecTxResult, *cmttypes.Header, *cmttypes.Header) {
	send := cmttypes.Tx("send 5akt, sequence 7")
	txs := cmttypes.Txs{[]byte("other"), send, []byte("another"), send}
	results := []*abci.ExecTxResult{
		{Code: 0, GasWanted: 100, GasUsed: 80},
		{Code: 0, GasWanted: 200, GasUsed: 120, Log: "ok"},
		{Code: 0, GasWanted: 100, GasUsed: 70},
		{Code: 32, Codespace: "sdk", GasWanted: 200, GasUsed: 40, Log: "account sequence mismatch, expected 8, got 7"},
	}
	return txs, results, &cmttypes.Header{Height: 10, DataHash: txs.Hash()}, next(results)
}

// A copy that failed in the ante handler changed nothing (not even the
// sequence): a later copy may then run and succeed. The transaction did
// execute; showing it failed would be false.
func TestCheckLaterCopySucceeded(t *testing.T) {
	send := cmttypes.Tx("send, fee not yet funded")
	txs := cmttypes.Txs{send, []byte("fund the sender"), send}
	results := []*abci.ExecTxResult{
		{Code: 5, Codespace: "sdk", GasWanted: 200, GasUsed: 30, Log: "insufficient funds to pay the fee"},
		{Code: 0, GasWanted: 100, GasUsed: 80},
		{Code: 0, GasWanted: 200, GasUsed: 120},
	}
	h := &cmttypes.Header{Height: 10, DataHash: txs.Hash()}
	for _, named := range []int{0, 2} {
		r, err := Check(send.Hash(), answer(txs, results, named), h, next(results))
		if err != nil {
			t.Fatal(err)
		}
		if r.Code != 0 || r.Index != 2 || len(r.Duplicates) != 1 || r.Duplicates[0] != (Copy{Index: 0, Code: 5}) {
			t.Fatalf("node names copy %d: %+v", named, r)
		}
	}
}

// The regression of issue 11 (3): the node names the second copy, with
// its (proven, failed) result. That is what an honest CometBFT v0.38 node
// answers too. The outcome is the first copy's; the second is reported as
// a duplicate.
func TestCheckDuplicateNamesFirstCopy(t *testing.T) {
	txs, results, h, n := dupBlock()
	hash := txs[1].Hash()
	for _, named := range []int{3, 1} {
		r, err := Check(hash, answer(txs, results, named), h, n)
		if err != nil {
			t.Fatalf("node names copy %d: %v", named, err)
		}
		if r.Code != 0 || r.Index != 1 || r.GasUsed != 120 || r.Log != "ok" || int(r.NodeIndex) != named {
			t.Fatalf("node names copy %d: the result is not the first copy's: %+v", named, r)
		}
		if len(r.Duplicates) != 1 || r.Duplicates[0] != (Copy{Index: 3, Code: 32}) {
			t.Fatalf("node names copy %d: duplicates %+v", named, r.Duplicates)
		}
	}
}

func TestCheckRefusesLies(t *testing.T) {
	txs, results, h, n := block()
	hash := txs[1].Hash()
	dtxs, dresults, dh, dn := dupBlock()
	dhash := dtxs[1].Hash()
	cases := map[string]func() error{
		"success claimed for a failed tx": func() error {
			a := answer(txs, results, 1)
			a.Claimed.Code = 0
			_, err := Check(hash, a, h, n)
			return err
		},
		"results rewritten to match the claim": func() error {
			rs := append([]*abci.ExecTxResult(nil), results...)
			fake := *rs[1]
			fake.Code = 0
			rs[1] = &fake
			a := answer(txs, rs, 1)
			_, err := Check(hash, a, h, n)
			return err
		},
		"other tx's proof": func() error {
			a := answer(txs, results, 1)
			a.Proof = txs.Proof(2)
			_, err := Check(hash, a, h, n)
			return err
		},
		"tx bytes of another hash": func() error {
			_, err := Check(hash, answer(txs, results, 2), h, n)
			return err
		},
		"tx not in the verified block": func() error {
			other := cmttypes.Txs{[]byte("x"), txs[1]}
			a := answer(txs, results, 1)
			a.Proof = other.Proof(1)
			_, err := Check(hash, a, h, n)
			return err
		},
		"result served for one tx fewer": func() error {
			a := answer(txs, results, 1)
			a.Results = results[:2]
			_, err := Check(hash, a, h, n)
			return err
		},
		"a result left out (null)": func() error {
			a := answer(txs, results, 1)
			a.Results = []*abci.ExecTxResult{results[0], results[1], nil}
			_, err := Check(hash, a, h, n)
			return err
		},
		"headers at wrong heights": func() error {
			_, err := Check(hash, answer(txs, results, 1), n, n)
			return err
		},
		// The lies a node can tell about the first copy.
		"block withheld": func() error {
			a := answer(dtxs, dresults, 3)
			a.BlockTxs = nil
			_, err := Check(dhash, a, dh, dn)
			return err
		},
		"block without the first copy": func() error {
			a := answer(dtxs, dresults, 3)
			a.BlockTxs = cmttypes.Txs{dtxs[0], []byte("not the send"), dtxs[2], dtxs[3]}
			_, err := Check(dhash, a, dh, dn)
			return err
		},
		"block with a transaction dropped": func() error {
			a := answer(dtxs, dresults, 3)
			a.BlockTxs = cmttypes.Txs{dtxs[0], dtxs[2], dtxs[3]}
			_, err := Check(dhash, a, dh, dn)
			return err
		},
		"second copy's proof passed off as the only transaction": func() error {
			// A proof that claims a smaller tree: leaf 1 of 2 verifies
			// against the root of a tree of 3 (the Merkle proof does not
			// bind its total); the results' count does.
			three := cmttypes.Txs{[]byte("a"), []byte("b"), []byte("c")}
			rs := []*abci.ExecTxResult{{}, {}, {Code: 32}}
			p := three.Proof(2)
			p.Proof.Index, p.Proof.Total = 1, 2
			if p.Validate(three.Hash()) != nil {
				return errors.New("the forged proof does not verify: the case tests nothing")
			}
			a := Answer{Height: 10, Tx: three[2], Proof: p, Claimed: *rs[2], Results: rs}
			_, err := Check(three[2].Hash(), a, &cmttypes.Header{Height: 10, DataHash: three.Hash()}, next(rs))
			if err == nil || !strings.Contains(err.Error(), "3 results were served") {
				return fmt.Errorf("not refused for its total: %w", err)
			}
			return err
		},
	}
	for name, f := range cases {
		err := f()
		var inv *ErrInvalid
		if !errors.As(err, &inv) || errkind.KindOf(err) != errkind.Verification {
			t.Errorf("%s: got %v", name, err)
		}
	}
}
