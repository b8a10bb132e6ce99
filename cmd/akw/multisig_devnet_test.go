package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	sdkmath "cosmossdk.io/math"

	"github.com/akash-wallet/akw/internal/devnet/devnettest"
	"github.com/akash-wallet/akw/internal/ledgeremu"
	"github.com/akash-wallet/akw/internal/testctx"
	"github.com/akash-wallet/akw/keys"
)

// TestMultisigDevnet drives a 2-of-3 multisig through akw's command line
// on a devnet, one member on the Ledger emulator (under the real
// ledger-cosmos-go client; in-process, as a subprocess cannot be handed
// the emulated device) and two in the keyring: the transaction generated
// from the multisig, two partial signatures (the Ledger's reviewed on the
// device), combined, broadcast, and the funds moved as akw's proven
// balance query shows. Too few signatures, a non-member's and one over
// other bytes are each refused by multisign with exit 2, before anything
// is broadcast (the multisig's proven sequence does not move).
func TestMultisigDevnet(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a devnet")
	}
	n := devnettest.Start(t)
	if err := n.WaitForHeight(testctx.New(t), 4); err != nil {
		t.Fatal(err)
	}
	e := newTxEnv(t, n, "")
	bob, _ := n.Account("bob")
	dir := t.TempDir()
	file := func(name string) string { return filepath.Join(dir, name) }
	must := func(t *testing.T, args ...string) string {
		t.Helper()
		code, out, stderr := e.run(t, args...)
		if code != 0 {
			t.Fatalf("akw %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out, stderr)
		}
		return out
	}
	refused := func(t *testing.T, code int, want string, args ...string) {
		t.Helper()
		c, out, stderr := e.run(t, args...)
		if c != code || !strings.Contains(stderr, want) || !strings.Contains(stderr, "hint: ") {
			t.Fatalf("akw %s: exit %d, want %d saying %q\nstdout: %s\nstderr: %s", strings.Join(args, " "), c, code, want, out, stderr)
		}
		t.Logf("refused (exit %d): %s", c, strings.TrimSpace(stderr))
	}

	dev, err := ledgeremu.New(ledgeremu.Config{Mnemonic: deviceMnemonic, HRPAllowlist: true})
	if err != nil {
		t.Fatal(err)
	}
	keys.SetLedgerConnector(dev.Connect)
	t.Cleanup(func() { keys.SetLedgerConnector(nil) })
	must(t, "keys", "add", "hw", "--ledger", "--index", "7", "-y")
	for _, k := range []string{"desk", "spare", "outsider"} {
		must(t, "keys", "add", k)
	}
	var added addResult
	if err := json.Unmarshal([]byte(must(t, "-o", "json", "keys", "add", "treasury", "--multisig", "hw,desk,spare", "--multisig-threshold", "2")), &added); err != nil {
		t.Fatal(err)
	}
	treasury := added.Key.Address
	if added.Key.Type != "multi" || added.Key.Multisig == nil || added.Key.Multisig.Threshold != 2 || len(added.Key.Multisig.Members) != 3 {
		t.Fatalf("added %+v", added.Key)
	}
	addrOf := map[string]string{}
	for _, m := range added.Key.Multisig.Members {
		addrOf[m.Name] = m.Address
	}
	if got := strings.TrimSpace(must(t, "keys", "show", "treasury", "--address")); got != treasury {
		t.Fatalf("keys show gives %s, keys add gave %s", got, treasury)
	}
	// The non-member's signature comes from a multisig of its own.
	must(t, "keys", "add", "other", "--multisig", "desk,outsider", "--multisig-threshold", "1")

	e.tx(t, "send", "alice", treasury, "10akt")
	var acct struct {
		AccountNumber uint64 `json:"account_number"`
		Sequence      uint64 `json:"sequence"`
	}
	e.query(t, &acct, "account", treasury)
	seq0 := acct.Sequence

	// The multisig key cannot sign by itself: the three steps are named.
	refused(t, 2, "is a multisig key", "tx", "send", "treasury", bob.Address, "1akt", "-y")

	// Generated from the multisig (simulated, the verified account's
	// number and sequence), then each member signs apart.
	must(t, "tx", "send", "treasury", bob.Address, "1.234567akt", "--generate-only", "--out", file("u.json"))
	before := len(dev.Reviews())
	must(t, "tx", "sign", file("u.json"), "--multisig", "treasury", "--from", "hw", "--out", file("hw.sig"))
	if r, ok := dev.LastReview(); len(dev.Reviews()) != before+1 || !ok || r.Kind != ledgeremu.ReviewTransaction || r.Decision != ledgeremu.Approve {
		t.Fatalf("the device's review of the member signature: %+v", r)
	} else if shown := strings.Join(reviewValues(r), " "); !strings.Contains(shown, bob.Address) || !strings.Contains(shown, "1234567") {
		t.Fatalf("the device did not show the send: %s", shown)
	}
	must(t, "tx", "sign", file("u.json"), "--multisig", treasury, "--from", "desk", "--out", file("desk.sig"))

	// Over other bytes: the same send with another memo, signed by spare
	// for the same account and sequence.
	must(t, "tx", "send", "treasury", bob.Address, "1.234567akt", "--generate-only", "--memo", "other", "--out", file("memo.json"))
	must(t, "tx", "sign", file("memo.json"), "--multisig", "treasury", "--from", "spare", "--out", file("spare-memo.sig"))
	// A non-member's: outsider signing a transaction of its own multisig.
	must(t, "tx", "send", "other", bob.Address, "1akt", "--generate-only", "--offline", "--gas", "200000", "--out", file("other.json"))
	must(t, "tx", "sign", file("other.json"), "--multisig", "other", "--from", "outsider", "--offline",
		"--account-number", fmt.Sprint(acct.AccountNumber), "--sequence", fmt.Sprint(seq0), "--out", file("outsider.sig"))

	refused(t, 2, "1 valid signature(s) of the 2", "tx", "multisign", file("u.json"), "treasury", file("hw.sig"), "--out", file("s.json"))
	refused(t, 2, "which is not a member of the multisig", "tx", "multisign", file("u.json"), "treasury", file("hw.sig"), file("outsider.sig"), "--out", file("s.json"))
	refused(t, 2, "it was made over other bytes", "tx", "multisign", file("u.json"), "treasury", file("hw.sig"), file("spare-memo.sig"), "--out", file("s.json"))
	refused(t, 6, "is not a member of the multisig", "tx", "sign", file("u.json"), "--multisig", "treasury", "--from", "outsider")
	if _, err := os.Stat(file("s.json")); !os.IsNotExist(err) {
		t.Fatalf("a refused multisign wrote its file: %v", err)
	}
	if got := e.sequence(t, treasury); got != seq0 {
		t.Fatalf("the multisig's sequence moved from %d to %d: something was broadcast", seq0, got)
	}

	// Combined: the decode says who signed, of how many needed.
	must(t, "tx", "multisign", file("u.json"), "treasury", file("hw.sig"), file("desk.sig"), "--out", file("s.json"))
	var dec decodeJSON
	if err := json.Unmarshal([]byte(must(t, "--network", "devnet", "-o", "json", "tx", "decode", file("s.json"))), &dec); err != nil {
		t.Fatal(err)
	}
	if len(dec.Sigs) != 1 || dec.Sigs[0].Multisig == nil || !dec.Signed {
		t.Fatalf("decoded %+v", dec.Sigs)
	}
	ms := dec.Sigs[0].Multisig
	signed := strings.Join(ms.SignedBy, " ")
	if ms.Collected != 2 || ms.Threshold != 2 || ms.Members != 3 || !strings.Contains(signed, addrOf["hw"]) || !strings.Contains(signed, addrOf["desk"]) {
		t.Fatalf("decoded multisig %+v, want signed by hw %s and desk %s", ms, addrOf["hw"], addrOf["desk"])
	}

	b0, m0 := e.balance(t, bob.Address), e.balance(t, treasury)
	r := e.tx(t, "broadcast", file("s.json"))
	if got := e.balance(t, bob.Address).Sub(b0); !got.Equal(sdkmath.NewInt(1_234_567)) {
		t.Fatalf("bob's proven balance grew by %s", got)
	}
	if got, want := e.balance(t, treasury), m0.SubRaw(1_234_567).Sub(feeOf(r)); !got.Equal(want) {
		t.Fatalf("the multisig's proven balance is %s, want %s", got, want)
	}
	if got := e.sequence(t, treasury); got != seq0+1 {
		t.Fatalf("the multisig's sequence %d, want %d", got, seq0+1)
	}
}
