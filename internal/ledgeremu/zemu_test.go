//go:build ledger_zemu

// Run with: go test -tags ledger_zemu -run TestZemu ./internal/ledgeremu/
// (port 127.0.0.1:3002 must be free). With the tag, ledger-go's transport
// is gRPC to localhost:3002, so FindLedgerCosmosUserApp runs unmodified
// against the emulator.

package ledgeremu

import (
	"crypto/sha256"
	"net"
	"testing"

	lcg "github.com/cosmos/ledger-cosmos-go"
	secp "github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
)

func TestZemuUnmodifiedClient(t *testing.T) {
	d := newDevice(t, Config{Version: V2_38_12, HRPAllowlist: true})
	l, err := net.Listen("tcp", "127.0.0.1:3002")
	if err != nil {
		t.Skipf("port 3002 busy: %v", err)
	}
	srv := ServeZemu(l, d)
	defer srv.Stop()

	app, err := lcg.FindLedgerCosmosUserApp()
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	path := []uint32{44, 118, 0, 0, 0}
	if _, _, err := app.GetAddressPubKeySECP256K1(path, "akash"); err == nil {
		t.Error("allowlist app showed an akash address")
	}
	pub, addr, err := app.GetAddressPubKeySECP256K1(path, "cosmos")
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := d.LastReview(); r.Screens[0].Value != addr {
		t.Errorf("device showed %q, client got %q", r.Screens[0].Value, addr)
	}
	der, err := app.SignSECP256K1(path, []byte(testDoc), lcg.SignModeLegacyAminoJSON)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := ecdsa.ParseDERSignature(der)
	if err != nil {
		t.Fatal(err)
	}
	pk, err := secp.ParsePubKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256([]byte(testDoc))
	if !sig.Verify(h[:], pk) {
		t.Fatal("signature does not verify")
	}
}
