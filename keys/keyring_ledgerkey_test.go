package keys_test

import (
	"errors"
	"testing"

	"github.com/cosmos/cosmos-sdk/types/tx/signing"

	"github.com/akash-wallet/akw/internal/ledgeremu"
	"github.com/akash-wallet/akw/keys"
)

const aminoDoc = `{"account_number":"7","chain_id":"akash-devnet-1","fee":{"amount":[{"amount":"5000","denom":"uakt"}],"gas":"200000"},"memo":"","msgs":[{"type":"cosmos-sdk/MsgSend","value":{"amount":[{"amount":"1","denom":"uakt"}],"from_address":"akash1a","to_address":"akash1b"}}],"sequence":"0"}`

// Ledger keys through Keyring (the emulator under the real
// ledger-cosmos-go client): stored in a persistent backend with the same
// name/address rules as local keys, shown, signed in amino JSON only.
func TestKeyringLedgerKeys(t *testing.T) {
	for _, allow := range []bool{false, true} {
		dev, err := ledgeremu.New(ledgeremu.Config{Mnemonic: testMnemonic, HRPAllowlist: allow})
		if err != nil {
			t.Fatal(err)
		}
		keys.SetLedgerConnector(dev.Connect)
		t.Cleanup(func() { keys.SetLedgerConnector(nil) })

		dir := t.TempDir()
		cfg := keys.Config{Backend: keys.BackendTest, Dir: dir}
		kr := mustOpen(t, cfg)
		lk, err := kr.AddLedger("hw", keys.HDPath{Account: 0, Index: 2}, false)
		if err != nil {
			t.Fatalf("allowlist=%v: add: %v", allow, err)
		}
		if want := wantAddress(t, testMnemonic, 0, 2); lk.Address != want || lk.Shown.Fallback != allow {
			t.Fatalf("allowlist=%v: %+v", allow, lk)
		}
		k, err := mustOpen(t, cfg).Key("hw")
		if err != nil || k.Type != keys.TypeLedger || k.Path != "m/44'/118'/0'/0/2" || k.Address != lk.Address {
			t.Fatalf("stored ledger key = %+v, %v", k, err)
		}
		// Same name refused before the device is asked; same address too.
		if _, err := kr.AddLedger("hw", keys.HDPath{Index: 3}, false); !errors.Is(err, keys.ErrNameExists) {
			t.Fatalf("same name: %v", err)
		}
		if _, err := kr.AddLedger("hw2", keys.HDPath{Index: 2}, false); !errors.Is(err, keys.ErrAddressExists) {
			t.Fatalf("same address: %v", err)
		}
		if _, err := kr.Recover("local", testMnemonic, keys.HDOptions{Path: keys.HDPath{Index: 2}}); !errors.Is(err, keys.ErrAddressExists) {
			t.Fatalf("local key with the ledger key's address: %v", err)
		}
		shown, err := kr.ShowOnDevice("hw")
		if err != nil || shown.Requested != lk.Address {
			t.Fatalf("show on device: %+v, %v", shown, err)
		}
		sig, pub, err := kr.Sign("hw", []byte(aminoDoc), signing.SignMode_SIGN_MODE_LEGACY_AMINO_JSON)
		if err != nil || !pub.VerifySignature([]byte(aminoDoc), sig) {
			t.Fatalf("ledger sign: %v", err)
		}
		if _, _, err := kr.Sign("hw", []byte(aminoDoc), signing.SignMode_SIGN_MODE_DIRECT); err == nil {
			t.Fatal("ledger key signed in direct mode")
		}
		// Rename works for Ledger keys (the SDK's export-based rename does not).
		if err := kr.Rename("hw", "hw-renamed"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := kr.Sign("hw-renamed", []byte(aminoDoc), signing.SignMode_SIGN_MODE_LEGACY_AMINO_JSON); err != nil {
			t.Fatalf("sign after rename: %v", err)
		}
		if _, err := kr.ExportArmor("hw-renamed", keys.FixedPassphrase("irrelevant-pass")); !errors.Is(err, keys.ErrOfflineKey) {
			t.Fatalf("export ledger key: %v", err)
		}
	}
}
