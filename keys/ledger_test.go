package keys_test

// Ledger flows against the emulated Cosmos app (internal/ledgeremu) under
// the real client stack: keys -> cosmos-sdk keyring and crypto/ledger ->
// ledger-cosmos-go v1.0.0 -> ledger-go chunking, HID framing and
// status-word errors -> emulator.

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"

	txsigning "cosmossdk.io/x/tx/signing"
	"github.com/cosmos/cosmos-sdk/codec"
	codectestutil "github.com/cosmos/cosmos-sdk/codec/testutil"
	cryptocodec "github.com/cosmos/cosmos-sdk/crypto/codec"
	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/bech32"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	authsigning "github.com/cosmos/cosmos-sdk/x/auth/signing"
	authtx "github.com/cosmos/cosmos-sdk/x/auth/tx"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/akash-wallet/akw/internal/ledgeremu"
	"github.com/akash-wallet/akw/keys"
	"github.com/akash-wallet/akw/keys/signdoc"
)

// BIP39 test vectors: public, hold nothing.
const (
	ledgerMnemonicA = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art"
	ledgerMnemonicB = "legal winner thank year wave sausage worth useful legal winner thank yellow"
	ledgerChainID   = "akash-devnet-1"
)

func ledgerEmu(t *testing.T, cfg ledgeremu.Config) *ledgeremu.Device {
	t.Helper()
	if cfg.Mnemonic == "" {
		cfg.Mnemonic = ledgerMnemonicA
	}
	dev, err := ledgeremu.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	keys.SetLedgerConnector(dev.Connect)
	t.Cleanup(func() { keys.SetLedgerConnector(nil) })
	return dev
}

func ledgerCodec() codec.Codec {
	reg := codectestutil.CodecOptions{AccAddressPrefix: "akash", ValAddressPrefix: "akashvaloper"}.NewInterfaceRegistry()
	cryptocodec.RegisterInterfaces(reg)
	banktypes.RegisterInterfaces(reg)
	return codec.NewProtoCodec(reg)
}

func ledgerKeyring(t *testing.T) keyring.Keyring {
	t.Helper()
	return keyring.NewInMemory(ledgerCodec())
}

func wantLedgerKind(t *testing.T, err error, kind keys.LedgerErrorKind) *keys.LedgerError {
	t.Helper()
	var le *keys.LedgerError
	if !errors.As(err, &le) {
		t.Fatalf("want *LedgerError %v, got %T %v", kind, err, err)
	}
	if le.Kind != kind {
		t.Fatalf("kind = %v (%v), want %v", le.Kind, le, kind)
	}
	if !keys.IsLedgerError(err) || !errors.Is(err, keys.ErrLedger) {
		t.Fatalf("IsLedgerError/ErrLedger false for %v", err)
	}
	if le.Error() == "" || le.Hint() == "" {
		t.Fatalf("empty message or hint for %v", kind)
	}
	return le
}

func bech(t *testing.T, hrp string, pub cryptotypes.PubKey) string {
	t.Helper()
	a, err := bech32.ConvertAndEncode(hrp, pub.Address())
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestLedgerAddBothAppGenerations(t *testing.T) {
	for _, tc := range []struct {
		name      string
		cfg       ledgeremu.Config
		fallback  bool
		shownHRP  string
		addrCalls int
	}{
		{"v2.34 shows akash", ledgeremu.Config{Version: ledgeremu.V2_34}, false, "akash", 1},
		{"v2.38.12 allowlist shows cosmos", ledgeremu.Config{Version: ledgeremu.V2_38_12, HRPAllowlist: true}, true, "cosmos", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dev := ledgerEmu(t, tc.cfg)
			kr := ledgerKeyring(t)
			lk, err := keys.AddLedgerKey(kr, "ledger", keys.LedgerKeyOptions{HRP: "akash", Account: 0, Index: 4})
			if err != nil {
				t.Fatalf("AddLedgerKey: %v", err)
			}
			want, _ := dev.PublicKey([5]uint32{0x8000002c, 0x80000076, 0x80000000, 0, 4})
			if string(lk.PubKey.Bytes()) != string(want) {
				t.Fatal("stored public key is not the device's")
			}
			if lk.Path != "m/44'/118'/0'/0/4" {
				t.Errorf("path %q", lk.Path)
			}
			akash, cosmos := bech(t, "akash", lk.PubKey), bech(t, "cosmos", lk.PubKey)
			if lk.Address != akash || lk.Shown.Requested != akash {
				t.Errorf("address %s / requested %s, want %s", lk.Address, lk.Shown.Requested, akash)
			}
			if lk.Shown.Fallback != tc.fallback || lk.Shown.HRP != tc.shownHRP {
				t.Errorf("shown %+v", lk.Shown)
			}
			wantShown := akash
			if tc.fallback {
				wantShown = cosmos
				if ex := lk.Shown.Explanation(); !strings.Contains(ex, cosmos) || !strings.Contains(ex, akash) {
					t.Errorf("explanation %q", ex)
				}
			} else if lk.Shown.Explanation() != "" {
				t.Errorf("explanation without fallback")
			}
			// What the user saw on the device, and approved.
			reviews := dev.Reviews()
			if len(reviews) != tc.addrCalls {
				t.Fatalf("%d reviews on the device, want %d: the user must be asked once", len(reviews), tc.addrCalls)
			}
			if v, _ := reviews[0].Value("Address"); v != wantShown || reviews[0].Decision != ledgeremu.Approve {
				t.Errorf("device showed %q (%v), want %q", v, reviews[0].Decision, wantShown)
			}
			if lk.Shown.Address != wantShown {
				t.Errorf("Shown.Address %q, want %q", lk.Shown.Address, wantShown)
			}
			// Stored: a Ledger record with path and no secret.
			rec, err := kr.Key("ledger")
			if err != nil || rec.GetLedger() == nil || rec.GetLocal() != nil {
				t.Fatalf("record %+v, %v", rec, err)
			}
			// The same name is refused before the device is asked.
			n := dev.APDUCount()
			if _, err := keys.AddLedgerKey(kr, "ledger", keys.LedgerKeyOptions{HRP: "akash", Index: 5}); !errors.Is(err, keys.ErrNameExists) {
				t.Errorf("same name: %v", err)
			}
			if dev.APDUCount() != n {
				t.Error("device asked although the name was taken")
			}
			// The same key under another name is refused.
			if _, err := keys.AddLedgerKey(kr, "again", keys.LedgerKeyOptions{HRP: "akash", Index: 4}); !errors.Is(err, keys.ErrAddressExists) {
				t.Errorf("same address: %v", err)
			}
		})
	}
}

func TestLedgerShowOnDevice(t *testing.T) {
	for _, allow := range []bool{false, true} {
		dev := ledgerEmu(t, ledgeremu.Config{HRPAllowlist: allow})
		kr := ledgerKeyring(t)
		lk, err := keys.AddLedgerKey(kr, "hw", keys.LedgerKeyOptions{HRP: "akash", Account: 1, Index: 0})
		if err != nil {
			t.Fatal(err)
		}
		shown, err := keys.ShowLedgerAddress(kr, "hw", "akash")
		if err != nil {
			t.Fatalf("allowlist=%v: %v", allow, err)
		}
		want := bech(t, "akash", lk.PubKey)
		if allow {
			want = bech(t, "cosmos", lk.PubKey)
		}
		if shown.Address != want || shown.Fallback != allow || shown.Requested != lk.Address {
			t.Errorf("allowlist=%v: shown %+v", allow, shown)
		}
		r, _ := dev.LastReview()
		if v, _ := r.Value("Address"); v != want || r.Path != "m/44'/118'/1'/0/0" {
			t.Errorf("device showed %q at %s", v, r.Path)
		}

		// Rejected on the device.
		dev.SetUser(ledgeremu.RejectAll)
		_, err = keys.ShowLedgerAddress(kr, "hw", "akash")
		wantLedgerKind(t, err, keys.LedgerRejected)
	}

	// Not a Ledger key, unknown key.
	kr := ledgerKeyring(t)
	if _, _, err := kr.NewMnemonic("soft", keyring.English, "m/44'/118'/0'/0/0", "", hdSecp()); err != nil {
		t.Fatal(err)
	}
	if _, err := keys.ShowLedgerAddress(kr, "soft", "akash"); !errors.Is(err, keys.ErrNotLedgerKey) {
		t.Errorf("software key: %v", err)
	}
	if _, err := keys.ShowLedgerAddress(kr, "nope", "akash"); !errors.Is(err, keys.ErrNotFound) {
		t.Errorf("unknown key: %v", err)
	}
}

func TestLedgerKeyMismatch(t *testing.T) {
	ledgerEmu(t, ledgeremu.Config{})
	kr := ledgerKeyring(t)
	if _, err := keys.AddLedgerKey(kr, "hw", keys.LedgerKeyOptions{HRP: "akash"}); err != nil {
		t.Fatal(err)
	}
	// Old firmware: the app-identification command fails first; that
	// status must not leak into the classification.
	other := ledgerEmu(t, ledgeremu.Config{Mnemonic: ledgerMnemonicB, NoOSAppInfo: true})
	_, err := keys.ShowLedgerAddress(kr, "hw", "akash")
	le := wantLedgerKind(t, err, keys.LedgerKeyMismatch)
	if le.KeyName != "hw" {
		t.Errorf("KeyName %q", le.KeyName)
	}
	if len(other.Reviews()) != 0 {
		t.Error("a device with another key showed an address")
	}
	tx := ledgerSendTx(t, "akash1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqzqqqqq", "", 0)
	_, _, err = keys.SignLedgerAminoJSON(kr, "hw", tx)
	wantLedgerKind(t, err, keys.LedgerKeyMismatch)
	if len(other.Reviews()) != 0 {
		t.Error("a device with another key was asked to sign")
	}
}

// ledgerTx builds a real bank MsgSend transaction with the SDK's tx config
// and returns its SIGN_MODE_LEGACY_AMINO_JSON sign bytes.
func ledgerTxBytes(t *testing.T, from string, pub cryptotypes.PubKey, memo string, seq uint64) ([]byte, authsigning.SignerData, *txsigning.HandlerMap, sdk.Tx) {
	t.Helper()
	txCfg := authtx.NewTxConfig(ledgerCodec(), authtx.DefaultSignModes)
	b := txCfg.NewTxBuilder()
	msg := &banktypes.MsgSend{
		FromAddress: from,
		ToAddress:   "akash1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu",
		Amount:      sdk.NewCoins(sdk.NewInt64Coin("uakt", 1_500_000)),
	}
	if err := b.SetMsgs(msg); err != nil {
		t.Fatal(err)
	}
	b.SetMemo(memo)
	b.SetFeeAmount(sdk.NewCoins(sdk.NewInt64Coin("uakt", 5000)))
	b.SetGasLimit(200_000)
	sd := authsigning.SignerData{Address: from, ChainID: ledgerChainID, AccountNumber: 42, Sequence: seq, PubKey: pub}
	bz, err := authsigning.GetSignBytesAdapter(context.Background(), txCfg.SignModeHandler(), signing.SignMode_SIGN_MODE_LEGACY_AMINO_JSON, sd, b.GetTx())
	if err != nil {
		t.Fatal(err)
	}
	return bz, sd, txCfg.SignModeHandler(), b.GetTx()
}

func hdSecp() keyring.SignatureAlgo { return hd.Secp256k1 }

func ledgerSendTx(t *testing.T, from, memo string, seq uint64) []byte {
	bz, _, _, _ := ledgerTxBytes(t, from, nil, memo, seq)
	return bz
}

func TestLedgerSignTransaction(t *testing.T) {
	for _, model := range []ledgeremu.Model{ledgeremu.NanoSPlus, ledgeremu.Flex} {
		dev := ledgerEmu(t, ledgeremu.Config{Version: ledgeremu.V2_38_12, HRPAllowlist: true, Model: model})
		kr := ledgerKeyring(t)
		lk, err := keys.AddLedgerKey(kr, "hw", keys.LedgerKeyOptions{HRP: "akash"})
		if err != nil {
			t.Fatal(err)
		}
		signBytes, sd, handler, tx := ledgerTxBytes(t, lk.Address, lk.PubKey, "rent for the GPU", 3)

		// What akw hands the device passes the app's own checks, and the
		// host-side pre-flight.
		if _, err := signdoc.Validate(signBytes, signdoc.Options{MaxTokens: signdoc.MaxTokensLargeUI}); err != nil {
			t.Fatalf("SDK amino JSON fails the app's checks: %v\n%s", err, signBytes)
		}
		if err := keys.CheckLedgerSignBytes(signBytes); err != nil {
			t.Fatal(err)
		}

		sig, pub, err := keys.SignLedgerAminoJSON(kr, "hw", signBytes)
		if err != nil {
			t.Fatalf("sign: %v", err)
		}
		if !pub.Equals(lk.PubKey) || len(sig) != 64 || !lk.PubKey.VerifySignature(signBytes, sig) {
			t.Fatal("signature does not verify with the stored key")
		}
		// The chain's own check: signature data on the tx, verified against
		// the tx through the sign-mode handler.
		err = authsigning.VerifySignature(context.Background(), lk.PubKey,
			txsigning.SignerData{Address: sd.Address, ChainID: sd.ChainID, AccountNumber: sd.AccountNumber, Sequence: sd.Sequence},
			&signing.SingleSignatureData{SignMode: signing.SignMode_SIGN_MODE_LEGACY_AMINO_JSON, Signature: sig},
			handler, tx.(authsigning.V2AdaptableTx).GetSigningTxData())
		if err != nil {
			t.Fatalf("VerifySignature: %v", err)
		}
		// The screens the user approved.
		r, _ := dev.LastReview()
		if r.Kind != ledgeremu.ReviewTransaction || r.Decision != ledgeremu.Approve {
			t.Fatalf("review %+v", r)
		}
		for k, want := range map[string]string{
			"Chain ID": ledgerChainID, "Account": "42", "Sequence": "3", "Memo": "rent for the GPU",
			"Type": "Send", "From": lk.Address, "To": "akash1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu",
			"Amount": `[{"amount":"1500000","denom":"uakt"}]`, "Fee": `[{"amount":"5000","denom":"uakt"}]`, "Gas": "200000",
		} {
			if v, ok := r.Value(k); !ok || v != want {
				t.Errorf("screen %q = %q, want %q", k, v, want)
			}
		}
	}
}

func TestLedgerSignLongMemos(t *testing.T) {
	ledgerEmu(t, ledgeremu.Config{})
	kr := ledgerKeyring(t)
	lk, err := keys.AddLedgerKey(kr, "hw", keys.LedgerKeyOptions{HRP: "akash"})
	if err != nil {
		t.Fatal(err)
	}
	// Lengths around the 48-byte chunk boundaries and well past one HID
	// report, up to a document of several KiB.
	for _, n := range []int{0, 1, 47, 48, 49, 95, 96, 97, 255, 256, 1000, 5000} {
		memo := strings.Repeat("m", n)
		bz := ledgerSendTx(t, lk.Address, memo, uint64(n))
		sig, _, err := keys.SignLedgerAminoJSON(kr, "hw", bz)
		if err != nil {
			t.Fatalf("memo %d: %v", n, err)
		}
		if !lk.PubKey.VerifySignature(bz, sig) {
			t.Fatalf("memo %d: bad signature", n)
		}
	}
}

func TestLedgerSignErrors(t *testing.T) {
	t.Run("rejected", func(t *testing.T) {
		dev := ledgerEmu(t, ledgeremu.Config{})
		kr := ledgerKeyring(t)
		lk, err := keys.AddLedgerKey(kr, "hw", keys.LedgerKeyOptions{HRP: "akash"})
		if err != nil {
			t.Fatal(err)
		}
		dev.SetUser(ledgeremu.RejectAll)
		_, _, err = keys.SignLedgerAminoJSON(kr, "hw", ledgerSendTx(t, lk.Address, "", 0))
		le := wantLedgerKind(t, err, keys.LedgerRejected)
		if le.StatusWord != 0x6986 {
			t.Errorf("status %04x", le.StatusWord)
		}
	})
	t.Run("not canonical: refused before the device", func(t *testing.T) {
		dev := ledgerEmu(t, ledgeremu.Config{})
		kr := ledgerKeyring(t)
		lk, err := keys.AddLedgerKey(kr, "hw", keys.LedgerKeyOptions{HRP: "akash"})
		if err != nil {
			t.Fatal(err)
		}
		bz := ledgerSendTx(t, lk.Address, "", 0)
		bad := strings.Replace(string(bz), `{"account_number":"42","chain_id":"akash-devnet-1"`, `{"chain_id":"akash-devnet-1","account_number":"42"`, 1)
		if bad == string(bz) {
			t.Fatalf("unexpected sign bytes %s", bz)
		}
		n := dev.APDUCount()
		_, _, err = keys.SignLedgerAminoJSON(kr, "hw", []byte(bad))
		le := wantLedgerKind(t, err, keys.LedgerDataInvalid)
		if !le.Local || le.Reason != signdoc.ReasonNotSorted {
			t.Errorf("%+v", le)
		}
		if dev.APDUCount() != n {
			t.Error("non-canonical document sent to the device")
		}
	})
	t.Run("device reason: too many tokens on Flex", func(t *testing.T) {
		dev := ledgerEmu(t, ledgeremu.Config{Model: ledgeremu.Flex})
		kr := ledgerKeyring(t)
		lk, err := keys.AddLedgerKey(kr, "hw", keys.LedgerKeyOptions{HRP: "akash"})
		if err != nil {
			t.Fatal(err)
		}
		bz := ledgerManyMsgs(t, lk.Address, 60) // 60 sends: about 800 tokens
		_, _, err = keys.SignLedgerAminoJSON(kr, "hw", bz)
		le := wantLedgerKind(t, err, keys.LedgerDataInvalid)
		if le.Local || le.Reason != signdoc.ReasonTooManyTokens || le.StatusWord != 0x6984 {
			t.Errorf("%+v", le)
		}
		if !strings.Contains(le.Error(), "JSON. Too many tokens") {
			t.Errorf("message %q lacks the app's reason", le.Error())
		}
		if len(dev.Reviews()) != 1 { // the address review only
			t.Error("refused document shown for review")
		}
	})
	t.Run("16 KiB overflow", func(t *testing.T) {
		ledgerEmu(t, ledgeremu.Config{})
		kr := ledgerKeyring(t)
		lk, err := keys.AddLedgerKey(kr, "hw", keys.LedgerKeyOptions{HRP: "akash"})
		if err != nil {
			t.Fatal(err)
		}
		bz := ledgerSendTx(t, lk.Address, strings.Repeat("x", 16*1024), 0)
		_, _, err = keys.SignLedgerAminoJSON(kr, "hw", bz)
		le := wantLedgerKind(t, err, keys.LedgerTooLarge)
		if le.StatusWord != 0x6988 {
			t.Errorf("status %04x", le.StatusWord)
		}
	})
	t.Run("not a ledger key", func(t *testing.T) {
		ledgerEmu(t, ledgeremu.Config{})
		kr := ledgerKeyring(t)
		if _, _, err := kr.NewMnemonic("soft", keyring.English, "m/44'/118'/0'/0/0", "", hdSecp()); err != nil {
			t.Fatal(err)
		}
		if _, _, err := keys.SignLedgerAminoJSON(kr, "soft", []byte("{}")); !errors.Is(err, keys.ErrNotLedgerKey) {
			t.Errorf("%v", err)
		}
	})
}

// ledgerManyMsgs is a valid amino-JSON document with n bank sends.
func ledgerManyMsgs(t *testing.T, from string, n int) []byte {
	t.Helper()
	txCfg := authtx.NewTxConfig(ledgerCodec(), authtx.DefaultSignModes)
	b := txCfg.NewTxBuilder()
	var msgs []sdk.Msg
	for i := 0; i < n; i++ {
		msgs = append(msgs, &banktypes.MsgSend{FromAddress: from, ToAddress: from, Amount: sdk.NewCoins(sdk.NewInt64Coin("uakt", int64(i+1)))})
	}
	if err := b.SetMsgs(msgs...); err != nil {
		t.Fatal(err)
	}
	b.SetGasLimit(200_000 * uint64(n))
	bz, err := authsigning.GetSignBytesAdapter(context.Background(), txCfg.SignModeHandler(), signing.SignMode_SIGN_MODE_LEGACY_AMINO_JSON,
		authsigning.SignerData{Address: from, ChainID: ledgerChainID, AccountNumber: 1, Sequence: 1}, b.GetTx())
	if err != nil {
		t.Fatal(err)
	}
	return bz
}

func TestLedgerDeviceStates(t *testing.T) {
	cases := []struct {
		name  string
		cfg   ledgeremu.Config
		state ledgeremu.State
		kind  keys.LedgerErrorKind
		check func(t *testing.T, le *keys.LedgerError)
	}{
		{"not connected", ledgeremu.Config{}, ledgeremu.Unplugged, keys.LedgerNotConnected, func(t *testing.T, le *keys.LedgerError) {
			if runtime.GOOS == "linux" && !strings.Contains(le.Hint(), "ledger-wallets-udev") {
				t.Errorf("hint lacks the udev package: %q", le.Hint())
			}
		}},
		{"locked", ledgeremu.Config{}, ledgeremu.Locked, keys.LedgerLocked, func(t *testing.T, le *keys.LedgerError) {
			if le.StatusWord != 0x5515 {
				t.Errorf("status %04x", le.StatusWord)
			}
		}},
		{"dashboard", ledgeremu.Config{}, ledgeremu.Dashboard, keys.LedgerAppNotOpen, nil},
		{"dashboard, old firmware 6E00", ledgeremu.Config{NoOSAppInfo: true, DashboardSW: 0x6E00}, ledgeremu.Dashboard, keys.LedgerAppNotOpen, nil},
		{"dashboard, old firmware 6E01", ledgeremu.Config{NoOSAppInfo: true}, ledgeremu.Dashboard, keys.LedgerAppNotOpen, nil},
		{"ethereum app", ledgeremu.Config{}, ledgeremu.OtherApp, keys.LedgerWrongApp, func(t *testing.T, le *keys.LedgerError) {
			if le.AppName != "Ethereum" || !strings.Contains(le.Error(), "Ethereum") {
				t.Errorf("%+v", le)
			}
		}},
		{"app answering Cosmos GET_VERSION", ledgeremu.Config{OtherApp: ledgeremu.OtherAppConfig{Name: "Terra", Version: ledgeremu.Version{Major: 2, Minor: 5}, AnswersCosmosCLA: true}}, ledgeremu.OtherApp, keys.LedgerWrongApp, func(t *testing.T, le *keys.LedgerError) {
			if le.AppName != "Terra" {
				t.Errorf("%+v", le)
			}
		}},
		{"app too old", ledgeremu.Config{Version: ledgeremu.Version{Major: 2, Minor: 0, Patch: 9}}, ledgeremu.Ready, keys.LedgerAppTooOld, func(t *testing.T, le *keys.LedgerError) {
			if le.AppVersion != "2.0.9" || !strings.Contains(le.Error(), "2.1.0") {
				t.Errorf("%+v: %s", le, le.Error())
			}
		}},
		{"rejected", ledgeremu.Config{User: ledgeremu.RejectAll}, ledgeremu.Ready, keys.LedgerRejected, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dev := ledgerEmu(t, tc.cfg)
			dev.SetState(tc.state)
			kr := ledgerKeyring(t)
			_, err := keys.AddLedgerKey(kr, "hw", keys.LedgerKeyOptions{HRP: "akash"})
			le := wantLedgerKind(t, err, tc.kind)
			if tc.check != nil {
				tc.check(t, le)
			}
			if _, err := kr.Key("hw"); err == nil {
				t.Error("a key was stored despite the failure")
			}
			if tc.state != ledgeremu.Ready {
				_, err = keys.LedgerStatus()
				wantLedgerKind(t, err, tc.kind)
			}
		})
	}
}

func TestLedgerPathRules(t *testing.T) {
	dev := ledgerEmu(t, ledgeremu.Config{})
	kr := ledgerKeyring(t)
	_, err := keys.AddLedgerKey(kr, "hw", keys.LedgerKeyOptions{HRP: "akash", Index: 101})
	wantLedgerKind(t, err, keys.LedgerExpertModeRequired)
	_, err = keys.AddLedgerKey(kr, "hw", keys.LedgerKeyOptions{HRP: "akash", Account: 101})
	wantLedgerKind(t, err, keys.LedgerExpertModeRequired)
	if !keys.LedgerPathNeedsExpertMode(0, 101) || keys.LedgerPathNeedsExpertMode(100, 100) {
		t.Error("LedgerPathNeedsExpertMode")
	}
	dev.SetExpert(true)
	lk, err := keys.AddLedgerKey(kr, "hw", keys.LedgerKeyOptions{HRP: "akash", Index: 101})
	if err != nil || lk.Path != "m/44'/118'/0'/0/101" {
		t.Fatalf("expert mode: %+v %v", lk, err)
	}
	n := dev.APDUCount()
	for _, o := range []keys.LedgerKeyOptions{{HRP: "akash", Account: 1 << 31}, {HRP: "akash", Index: 1 << 31}} {
		if _, err := keys.AddLedgerKey(kr, "x", o); !errors.Is(err, keys.ErrInvalidHDPath) {
			t.Errorf("%+v: %v", o, err)
		}
	}
	if _, err := keys.AddLedgerKey(kr, "x", keys.LedgerKeyOptions{}); err == nil {
		t.Error("empty HRP accepted")
	}
	if dev.APDUCount() != n {
		t.Error("device asked for an invalid path")
	}
}

func TestLedgerStatus(t *testing.T) {
	ledgerEmu(t, ledgeremu.Config{Version: ledgeremu.V2_38_12, TestMode: true})
	info, err := keys.LedgerStatus()
	if err != nil || info.Version != "2.38.12" || !info.TestMode {
		t.Fatalf("%+v %v", info, err)
	}
}

func TestLedgerBeforeShow(t *testing.T) {
	dev := ledgerEmu(t, ledgeremu.Config{})
	kr := ledgerKeyring(t)
	stop := errors.New("caller says no")
	var seen cryptotypes.PubKey
	_, err := keys.AddLedgerKey(kr, "hw", keys.LedgerKeyOptions{HRP: "akash", Index: 9, BeforeShow: func(pub cryptotypes.PubKey) error {
		seen = pub
		return stop
	}})
	if !errors.Is(err, stop) {
		t.Fatalf("%v", err)
	}
	want, _ := dev.PublicKey([5]uint32{0x8000002c, 0x80000076, 0x80000000, 0, 9})
	if seen == nil || string(seen.Bytes()) != string(want) {
		t.Fatal("BeforeShow did not get the device's key")
	}
	if len(dev.Reviews()) != 0 {
		t.Error("the user was asked although BeforeShow refused")
	}
}
