package main

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"

	sdkmath "cosmossdk.io/math"

	"github.com/akash-wallet/akw/internal/devnet"
)

// listTwiceMemo marks, in a transaction's memo, the transactions the
// devnet of TestTxDevnet lists twice in their block (listTwice).
const listTwiceMemo = "akw-test: list me twice"

// listTwice is a misbehaving proposer (devnet.Config.RewriteProposal):
// every transaction carrying listTwiceMemo appears twice in its block.
// Others are left alone, so the rest of TestTxDevnet sees an honest chain.
func listTwice(txs [][]byte) [][]byte {
	out := make([][]byte, 0, len(txs)+1)
	for _, tx := range txs {
		out = append(out, tx)
		if bytes.Contains(tx, []byte(listTwiceMemo)) {
			out = append(out, tx)
		}
	}
	return out
}

// dupResultJSON is the part of `akw tx ... -o json` about copies.
type dupResultJSON struct {
	TxHash     string `json:"txhash"`
	Height     int64  `json:"height"`
	Code       uint32 `json:"code"`
	Status     string `json:"status"`
	Verified   bool   `json:"verified"`
	Index      uint32 `json:"index"`
	Duplicates []struct {
		Index uint32 `json:"index"`
		Code  uint32 `json:"code"`
	} `json:"duplicates"`
	Note string `json:"note"`
}

// Issue 11 (3), end to end: a send listed twice in its block. The first
// copy moves the coins; the second fails (sequence mismatch), and the
// node's own /tx answer names that failed copy. `akw tx send` and `akw tx
// status` must report the send as done, once, and say that the block
// lists it twice — in JSON and in text.
func testDuplicateInBlock(t *testing.T, e *txEnv, n *devnet.Network) {
	alice, _ := n.Account("alice")
	bob, _ := n.Account("bob")
	b0, s0 := e.balance(t, bob.Address), e.sequence(t, alice.Address)

	code, out, stderr := e.run(t, "tx", "send", "alice", bob.Address, "0.25akt", "--memo", listTwiceMemo, "-y", "-o", "json")
	var r dupResultJSON
	if code != 0 || json.Unmarshal([]byte(out), &r) != nil {
		t.Fatalf("tx send, listed twice: exit %d\nstdout: %s\nstderr: %s", code, out, stderr)
	}
	check := func(what string, r dupResultJSON) {
		t.Helper()
		if r.Code != 0 || r.Status != "included" || !r.Verified || len(r.Duplicates) != 1 || r.Duplicates[0].Code == 0 ||
			r.Duplicates[0].Index == r.Index || !strings.Contains(r.Note, "lists this transaction 2 times") {
			t.Fatalf("%s: %+v", what, r)
		}
	}
	check("tx send", r)
	if got := e.balance(t, bob.Address).Sub(b0); !got.Equal(sdkmath.NewInt(250_000)) {
		t.Fatalf("bob received %s, want 250000 once", got)
	}
	if got := e.sequence(t, alice.Address); got != s0+1 {
		t.Fatalf("alice's sequence %d -> %d", s0, got)
	}
	hash, err := hex.DecodeString(r.TxHash)
	if err != nil {
		t.Fatal(err)
	}
	node, err := n.Client(0).Tx(t.Context(), hash, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("block %d lists the send at %d and %d; the node's /tx names index %d with code %d; akw: code %d at index %d",
		r.Height, r.Index, r.Duplicates[0].Index, node.Index, node.TxResult.Code, r.Code, r.Index)

	code, out, stderr = e.run(t, "tx", "status", r.TxHash, "-o", "json")
	var s dupResultJSON
	if code != 0 || json.Unmarshal([]byte(out), &s) != nil {
		t.Fatalf("tx status: exit %d\nstdout: %s\nstderr: %s", code, out, stderr)
	}
	check("tx status", s)
	if s.Height != r.Height || s.Index != r.Index {
		t.Fatalf("tx status says %d/%d, the send said %d/%d", s.Height, s.Index, r.Height, r.Index)
	}
	code, out, stderr = e.run(t, "tx", "status", r.TxHash)
	if code != 0 || !strings.Contains(out, "with code 0: verified") || !strings.Contains(out, "note: block ") ||
		!strings.Contains(out, "lists this transaction 2 times") {
		t.Fatalf("tx status (text): exit %d\nstdout: %s\nstderr: %s", code, out, stderr)
	}
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "note: ") {
			t.Logf("tx status: %s", l)
		}
	}
}
