package txproof

import (
	"errors"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/akash-wallet/akw/lightclient"
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
	h := &cmttypes.Header{Height: 10, DataHash: txs.Hash()}
	n := &cmttypes.Header{Height: 11, LastResultsHash: cmttypes.NewResults(results).Hash()}
	return txs, results, h, n
}

func TestCheck(t *testing.T) {
	txs, results, h, n := block()
	for i := range txs {
		r, err := Check(txs[i].Hash(), 10, txs[i], txs.Proof(i), results, *results[i], h, n)
		if err != nil {
			t.Fatal(err)
		}
		if !r.Verified || r.Code != results[i].Code || r.GasUsed != results[i].GasUsed || int(r.Index) != i || r.LogVerified {
			t.Fatalf("tx %d: %+v", i, r)
		}
	}
}

func TestCheckRefusesLies(t *testing.T) {
	txs, results, h, n := block()
	hash := txs[1].Hash()
	cases := map[string]func() error{
		"success claimed for a failed tx": func() error {
			claimed := *results[1]
			claimed.Code = 0
			_, err := Check(hash, 10, txs[1], txs.Proof(1), results, claimed, h, n)
			return err
		},
		"results rewritten to match the claim": func() error {
			rs := append([]*abci.ExecTxResult(nil), results...)
			fake := *rs[1]
			fake.Code = 0
			rs[1] = &fake
			_, err := Check(hash, 10, txs[1], txs.Proof(1), rs, fake, h, n)
			return err
		},
		"other tx's proof": func() error {
			_, err := Check(hash, 10, txs[1], txs.Proof(2), results, *results[1], h, n)
			return err
		},
		"tx bytes of another hash": func() error {
			_, err := Check(hash, 10, txs[2], txs.Proof(2), results, *results[2], h, n)
			return err
		},
		"tx not in the verified block": func() error {
			other := cmttypes.Txs{[]byte("x"), txs[1]}
			_, err := Check(hash, 10, txs[1], other.Proof(1), results, *results[1], h, n)
			return err
		},
		"result served for one tx fewer": func() error {
			_, err := Check(hash, 10, txs[1], txs.Proof(1), results[:2], *results[1], h, n)
			return err
		},
		"headers at wrong heights": func() error {
			_, err := Check(hash, 10, txs[1], txs.Proof(1), results, *results[1], n, n)
			return err
		},
	}
	for name, f := range cases {
		err := f()
		var inv *ErrInvalid
		if !errors.As(err, &inv) || lightclient.CategoryOf(err) != lightclient.CategoryVerification {
			t.Errorf("%s: got %v", name, err)
		}
	}
}
