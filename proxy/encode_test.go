package proxy

import (
	"bytes"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtjson "github.com/cometbft/cometbft/libs/json"
	cmtprotocrypto "github.com/cometbft/cometbft/proto/tendermint/crypto"
	ctypes "github.com/cometbft/cometbft/rpc/core/types"
)

// FuzzEncodeQueryResult: the proxy's abci_query answer is, byte for byte,
// what cometbft's encoder (a node's) writes for the same ResponseQuery.
func FuzzEncodeQueryResult(f *testing.F) {
	f.Add(uint32(0), "", "", int64(0), []byte(nil), []byte(nil), int64(0), "", 0, []byte(nil), "")
	f.Add(uint32(0), "", "", int64(0), []byte{2, 20, 1}, []byte("\n\x04uakt\x12\x011"), int64(41), "", 2, []byte{1, 2, 3}, "ics23:iavl")
	f.Add(uint32(18), "<invalid> & \"quoted\" é \u2028 \x00 \xff", "info", int64(-1), []byte{}, []byte{}, int64(1<<62), "sdk", 1, []byte{}, "")
	f.Fuzz(func(t *testing.T, code uint32, log, info string, index int64, key, value []byte, height int64, codespace string, ops int, opData []byte, opType string) {
		res := abci.ResponseQuery{Code: code, Log: log, Info: info, Index: index, Key: key, Value: value, Height: height, Codespace: codespace}
		if ops > 0 {
			res.ProofOps = &cmtprotocrypto.ProofOps{}
			for i := range ops % 4 {
				res.ProofOps.Ops = append(res.ProofOps.Ops, cmtprotocrypto.ProofOp{Type: opType, Key: key[:min(i, len(key))], Data: opData})
			}
		}
		want, err := cmtjson.Marshal(&ctypes.ResultABCIQuery{Response: res})
		if err != nil {
			t.Skip("cometbft cannot encode it either:", err)
		}
		got, err := encodeQueryResult(&res)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("encoded\n%s\ncometbft encodes\n%s", got, want)
		}
	})
}
