package keys_test

import (
	"os"
	"testing"

	"github.com/akash-wallet/akw/keys"
)

// TestLedgerRealDevice runs the Ledger flows against a real device on USB,
// for release checks by a person holding one:
//
//	AKW_TEST_REAL_LEDGER=1 go test -count=1 -run TestLedgerRealDevice -v ./keys/
//
// Unlock the device and open the Cosmos app; approve the address (twice)
// and the transaction when the device asks. Nothing is broadcast and the
// keyring is in memory. Skipped unless AKW_TEST_REAL_LEDGER is set.
func TestLedgerRealDevice(t *testing.T) {
	if os.Getenv("AKW_TEST_REAL_LEDGER") == "" {
		t.Skip("set AKW_TEST_REAL_LEDGER=1 with a Ledger connected to run")
	}
	keys.SetLedgerConnector(nil)
	info, err := keys.LedgerStatus()
	if err != nil {
		le, _ := err.(*keys.LedgerError)
		if le != nil {
			t.Fatalf("%v (hint: %s)", err, le.Hint())
		}
		t.Fatal(err)
	}
	t.Logf("Cosmos app %s (test mode %v)", info.Version, info.TestMode)

	kr := ledgerKeyring(t)
	t.Log("approve the address on the device")
	lk, err := keys.AddLedgerKey(kr, "real", keys.LedgerKeyOptions{HRP: "akash"})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("stored %s (%s); device showed %s", lk.Address, lk.Path, lk.Shown.Address)
	if ex := lk.Shown.Explanation(); ex != "" {
		t.Log(ex)
	}
	t.Log("approve the address on the device again")
	if _, err := keys.ShowLedgerAddress(kr, "real", "akash"); err != nil {
		t.Fatal(err)
	}
	bz := ledgerSendTx(t, lk.Address, "akw real-device test, not broadcast", 0)
	t.Log("review and approve the transaction on the device")
	sig, _, err := keys.SignLedgerAminoJSON(kr, "real", bz)
	if err != nil {
		t.Fatal(err)
	}
	if !lk.PubKey.VerifySignature(bz, sig) {
		t.Fatal("signature from the device does not verify")
	}
}
