package keys_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	cryptocodec "github.com/cosmos/cosmos-sdk/crypto/codec"
	"github.com/cosmos/cosmos-sdk/crypto/hd"
	sdkkeyring "github.com/cosmos/cosmos-sdk/crypto/keyring"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"

	"github.com/akash-wallet/akw/keys"
	"github.com/akash-wallet/akw/keys/sstest"
)

// The Akash CLI is the cosmos-sdk keyring with app name "akash" and
// --keyring-dir ~/.akash. These tests write a keyring exactly as it does
// (the SDK's own keyring.New), then akw opens it with nothing but the
// backend and --keyring-dir .../.akash, lists the key and signs; the
// signature must equal the SDK's (secp256k1 signing is deterministic,
// RFC 6979). And the other way: a key akw adds is read by the SDK.
func TestAkashCLIKeyringCompat(t *testing.T) {
	const sdkPass = "akash-cli-pass"
	cases := []struct {
		backend string
		want    string // Backend() as akw reports it
		need    func(*testing.T)
		opts    []sdkkeyring.Option
		cleanup func(*testing.T)
		app     string // app name when not "akash" (found from the dir)
	}{
		{backend: "file", want: "file"},
		{backend: "test", want: "test"},
		{backend: "os", want: "os (secret-service)", need: func(t *testing.T) {
			needSecretService(t)
			if err := sstest.EnsureCollection("akash", "collection-pass"); err != nil {
				t.Fatal(err)
			}
		}, cleanup: func(*testing.T) { _ = sstest.DeleteCollection("akash") }},
		{backend: "pass", want: "pass", need: needPass, cleanup: func(*testing.T) {
			os.RemoveAll(filepath.Join(os.Getenv("PASSWORD_STORE_DIR"), "keyring-akash"))
		}},
		// The user keyring is the real one even under with-keyrings.sh:
		// use a unique app name rather than touch an "akash" keyring.
		{backend: "keyctl", want: "keyctl", need: needKeyctl, opts: []sdkkeyring.Option{sdkkeyring.KeyctlScopeUser},
			app: keyctlApp, cleanup: func(t *testing.T) { unlinkKeyctl(t, keyctlApp) }},
	}
	for _, c := range cases {
		t.Run(c.backend, func(t *testing.T) {
			if c.cleanup != nil {
				c.cleanup(t) // leftovers of an interrupted run
				t.Cleanup(func() { c.cleanup(t) })
			}
			if c.need != nil {
				c.need(t)
			}
			home := filepath.Join(t.TempDir(), ".akash")
			reg := codectypes.NewInterfaceRegistry()
			cryptocodec.RegisterInterfaces(reg)
			cdc := codec.NewProtoCodec(reg)
			// The SDK's file prompt reads the new passphrase twice.
			in := strings.NewReader(sdkPass + "\n" + sdkPass + "\n")
			app := "akash"
			if c.app != "" {
				app = c.app
			}
			sdkKR, err := sdkkeyring.New(app, c.backend, home, in, cdc, c.opts...)
			if err != nil {
				t.Fatalf("sdk keyring: %v", err)
			}
			rec, err := sdkKR.NewAccount("validator", testMnemonic, "", hd.CreateHDPath(118, 0, 3).String(), hd.Secp256k1)
			if err != nil {
				t.Fatalf("sdk add: %v", err)
			}

			cfg := keys.Config{Backend: c.backend, Dir: home, AppName: c.app, Passphrase: keys.FixedPassphrase(sdkPass)}
			kr := mustOpen(t, cfg)
			if kr.AppName() != app || kr.Backend() != c.want {
				t.Fatalf("opened app %q backend %q", kr.AppName(), kr.Backend())
			}
			ks, err := kr.List()
			if err != nil || len(ks) != 1 || ks[0].Name != "validator" || ks[0].Type != keys.TypeLocal {
				t.Fatalf("akw lists %+v, %v", ks, err)
			}
			if want := wantAddress(t, testMnemonic, 0, 3); ks[0].Address != want {
				t.Fatalf("address %s, want %s", ks[0].Address, want)
			}
			msg := []byte(`{"chain_id":"akashnet-2"}`)
			sig, pub, err := kr.Sign("validator", msg, signing.SignMode_SIGN_MODE_DIRECT)
			if err != nil {
				t.Fatalf("akw sign: %v", err)
			}
			sdkSig, _, err := sdkKR.Sign("validator", msg, signing.SignMode_SIGN_MODE_DIRECT)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(sig, sdkSig) || !pub.VerifySignature(msg, sig) {
				t.Fatal("akw's signature differs from the Akash CLI's")
			}
			if sdkPub, _ := rec.GetPubKey(); !sdkPub.Equals(pub) {
				t.Fatal("public keys differ")
			}

			// The other way: akw writes, the SDK (Akash CLI) reads.
			if _, err := kr.Recover("fromakw", testMnemonic, keys.HDOptions{Path: keys.HDPath{Index: 9}}); err != nil {
				t.Fatal(err)
			}
			sdkKR2, err := sdkkeyring.New(app, c.backend, home, strings.NewReader(sdkPass+"\n"), cdc, c.opts...)
			if err != nil {
				t.Fatal(err)
			}
			got, err := sdkKR2.Key("fromakw")
			if err != nil {
				t.Fatalf("Akash CLI cannot read akw's key: %v", err)
			}
			if a, _ := got.GetAddress(); a.String() == "" {
				t.Fatal("no address")
			}
			if _, _, err := sdkKR2.Sign("fromakw", msg, signing.SignMode_SIGN_MODE_DIRECT); err != nil {
				t.Fatalf("Akash CLI cannot sign with akw's key: %v", err)
			}
			for _, n := range []string{"validator", "fromakw"} {
				if err := kr.Delete(n); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

var keyctlApp = "akash" + uniqueSuffix()

// An explicit app name beats the directory rule.
func TestResolveAppName(t *testing.T) {
	for _, c := range []struct{ app, dir, want string }{
		{"", "", "akw"},
		{"", "/home/u/.akash", "akash"},
		{"", "/home/u/.akash/", "akash"},
		{"", "/home/u/.local/share/akw", "akw"},
		{"custom", "/home/u/.akash", "custom"},
		{"akash", "/somewhere", "akash"},
	} {
		if got := keys.ResolveAppName(c.app, c.dir); got != c.want {
			t.Errorf("ResolveAppName(%q, %q) = %q, want %q", c.app, c.dir, got, c.want)
		}
	}
}

// Armors are interchangeable with `akash keys export` / `akash keys import`
// (the cosmos-sdk's ExportPrivKeyArmor / ImportPrivKey).
func TestArmorCompat(t *testing.T) {
	reg := codectypes.NewInterfaceRegistry()
	cryptocodec.RegisterInterfaces(reg)
	sdkKR := sdkkeyring.NewInMemory(codec.NewProtoCodec(reg))
	if _, err := sdkKR.NewAccount("v", testMnemonic, "", hd.CreateHDPath(118, 0, 0).String(), hd.Secp256k1); err != nil {
		t.Fatal(err)
	}
	sdkArmor, err := sdkKR.ExportPrivKeyArmor("v", "armor-pass-1")
	if err != nil {
		t.Fatal(err)
	}
	kr := mustOpen(t, keys.Config{Backend: keys.BackendMemory})
	k, err := kr.ImportArmor("v", sdkArmor, keys.FixedPassphrase("armor-pass-1"), false)
	if err != nil || k.Address != wantAddress(t, testMnemonic, 0, 0) {
		t.Fatalf("akw import of an Akash CLI armor: %+v, %v", k, err)
	}
	akwArmor, err := kr.ExportArmor("v", keys.FixedPassphrase("armor-pass-2"))
	if err != nil {
		t.Fatal(err)
	}
	sdk2 := sdkkeyring.NewInMemory(codec.NewProtoCodec(reg))
	if err := sdk2.ImportPrivKey("v", akwArmor, "armor-pass-2"); err != nil {
		t.Fatalf("Akash CLI import of an akw armor: %v", err)
	}
	rec, _ := sdk2.Key("v")
	if pub, _ := rec.GetPubKey(); !pub.Equals(k.PubKey) {
		t.Fatal("different key after the round trip")
	}
}
