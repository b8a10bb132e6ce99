package txproof

import (
	"bytes"
	"errors"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	cmttypes "github.com/cometbft/cometbft/types"
)

// FuzzCheck plays a node that tampers with its answer about a transaction
// in a block that may list it several times. Check must never panic, and
// whatever it accepts must be the copy that executed (the first with code
// 0, else the first) with its committed result: the headers are the
// honest ones, so no tampering may move the outcome.
//
// pattern gives the block (one transaction per byte; equal bytes are
// copies of one transaction), named the copy the node's /tx names, and
// tamper, with junk, what it changes.
func FuzzCheck(f *testing.F) {
	f.Add([]byte{0, 1, 0}, uint8(2), uint8(0), uint16(0), []byte(nil))
	f.Add([]byte{7}, uint8(0), uint8(0), uint16(0), []byte(nil))
	f.Add([]byte{1, 2, 1, 1}, uint8(3), uint8(1), uint16(2), []byte("x"))
	f.Add([]byte{1, 2, 1}, uint8(2), uint8(3), uint16(1), []byte(nil))
	f.Add([]byte{1, 2, 3, 1}, uint8(3), uint8(4), uint16(2), []byte{0, 1})
	f.Add([]byte{5, 5}, uint8(1), uint8(6), uint16(0), []byte(nil))
	f.Add([]byte{4, 4, 4}, uint8(2), uint8(8), uint16(1), []byte{2})
	f.Fuzz(func(t *testing.T, pattern []byte, named, tamper uint8, at uint16, junk []byte) {
		if len(pattern) == 0 || len(pattern) > 64 {
			return
		}
		txs := make(cmttypes.Txs, len(pattern))
		results := make([]*abci.ExecTxResult, len(pattern))
		for i, p := range pattern {
			txs[i] = cmttypes.Tx{'t', p % 8}
			// Every result differs, so a result names the index it is
			// of; one in three succeeds.
			code := uint32(i + 1)
			if i%3 == 1 {
				code = 0
			}
			results[i] = &abci.ExecTxResult{Code: code, GasUsed: int64(i) * 10, GasWanted: 1000}
		}
		header := &cmttypes.Header{Height: 10, DataHash: txs.Hash()}
		nextH := next(results)
		idx := int(named) % len(txs)
		a := answer(txs, results, idx)
		j := int(at) % len(txs)

		// The node's tampering.
		switch tamper % 10 {
		case 1: // a transaction of the list replaced
			bt := append(cmttypes.Txs(nil), txs...)
			bt[j] = junk
			a.BlockTxs = bt
		case 2: // one dropped from the list
			a.BlockTxs = append(append(cmttypes.Txs(nil), txs[:j]...), txs[j+1:]...)
		case 3: // the list withheld
			a.BlockTxs = nil
		case 4: // two swapped
			bt := append(cmttypes.Txs(nil), txs...)
			k := int(named/3) % len(bt)
			bt[j], bt[k] = bt[k], bt[j]
			a.BlockTxs = bt
		case 5: // the proof's position or size
			a.Proof.Proof.Index, a.Proof.Proof.Total = int64(j), int64(at%70)
		case 6: // a result left out or rewritten
			rs := append([]*abci.ExecTxResult(nil), results...)
			if len(junk) > 0 {
				rs[j] = &abci.ExecTxResult{Code: uint32(junk[0])}
			} else {
				rs[j] = nil
			}
			a.Results = rs
		case 7: // the claimed result
			a.Claimed.Code = uint32(at)
		case 8: // the served transaction's bytes
			a.Tx = junk
		case 9: // a result list of another length
			a.Results = results[:j]
		}

		r, err := Check(txs[idx].Hash(), a, header, nextH)
		if ei := (*ErrInvalid)(nil); errors.As(err, &ei) && ei.panicked {
			t.Fatalf("Check's guard caught a panic: %v", err)
		}
		if err != nil {
			return
		}
		var copies []int
		for i, t := range txs {
			if bytes.Equal(t, txs[idx]) {
				copies = append(copies, i)
			}
		}
		outcome := copies[0]
		for _, i := range copies {
			if results[i].Code == 0 {
				outcome = i
				break
			}
		}
		if int(r.Index) != outcome || r.Code != results[outcome].Code || r.GasUsed != results[outcome].GasUsed {
			t.Fatalf("accepted copy %d (code %d), the outcome is copy %d (code %d); tamper %d", r.Index, r.Code, outcome, results[outcome].Code, tamper%10)
		}
		var want []Copy
		for _, i := range copies {
			if i != outcome {
				want = append(want, Copy{Index: uint32(i), Code: results[i].Code})
			}
		}
		if len(want) != len(r.Duplicates) {
			t.Fatalf("duplicates %+v, want %+v", r.Duplicates, want)
		}
		for i := range want {
			if want[i] != r.Duplicates[i] {
				t.Fatalf("duplicates %+v, want %+v", r.Duplicates, want)
			}
		}
	})
}
