package keys

import (
	"errors"
	"fmt"
	"testing"

	"github.com/cosmos/cosmos-sdk/codec"
	codectestutil "github.com/cosmos/cosmos-sdk/codec/testutil"
	cryptocodec "github.com/cosmos/cosmos-sdk/crypto/codec"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	ledger_go "github.com/zondax/ledger-go"

	"github.com/akash-wallet/akw/internal/ledgeremu"
	"github.com/akash-wallet/akw/keys/signdoc"
)

const ledgerInternalMnemonic = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art"

// The reflect-based construction of LedgerCosmos must keep working with the
// pinned ledger-cosmos-go; if its layout changes this fails first.
func TestLedgerCosmosLayout(t *testing.T) {
	dev, err := ledgeremu.New(ledgeremu.Config{Mnemonic: ledgerInternalMnemonic, Version: ledgeremu.V2_38_12})
	if err != nil {
		t.Fatal(err)
	}
	tr, _ := dev.Connect()
	app, err := newLedgerCosmos(tr)
	if err != nil {
		t.Fatal(err)
	}
	v, err := app.GetVersion()
	if err != nil || v.String() != "2.38.12" {
		t.Fatalf("GetVersion through the injected device: %v %v", v, err)
	}
	if dev.APDUCount() != 1 {
		t.Fatalf("device saw %d APDUs", dev.APDUCount())
	}
}

func TestLedgerStatusFromError(t *testing.T) {
	for _, code := range []uint16{0x5515, 0x6700, 0x6982, 0x6984, 0x6986, 0x6988, 0x6989, 0x698A, 0x698B, 0x698C, 0x6A80, 0x6D00, 0x6E00, 0x6E01} {
		got, ok := statusFromError(errors.New(ledger_go.ErrorMessage(code)))
		if !ok || got != code {
			t.Errorf("%04x: got %04x %v", code, got, ok)
		}
	}
	if _, ok := statusFromError(fmt.Errorf("some other failure")); ok {
		t.Error("status found in an unrelated error")
	}
	for code, kind := range map[uint16]LedgerErrorKind{
		0x5515: LedgerLocked, 0x6982: LedgerLocked, 0x6E00: LedgerAppNotOpen, 0x6E01: LedgerAppNotOpen,
		0x6986: LedgerRejected, 0x6989: LedgerExpertModeRequired, 0x698C: LedgerHRPNotAllowed,
		0x698B: LedgerInvalidPath, 0x6988: LedgerTooLarge, 0x6984: LedgerDataInvalid, 0x6F00: LedgerDeviceError,
	} {
		if e := errorFromStatus(code, nil, nil); e.Kind != kind {
			t.Errorf("%04x: %v, want %v", code, e.Kind, kind)
		}
	}
	e := errorFromStatus(0x6984, []byte("JSON Missing memo\x1b[2J"), nil)
	if e.Reason != "JSON Missing memo[2J" {
		t.Errorf("reason not sanitised: %q", e.Reason)
	}
	e = errorFromStatus(0x698C, nil, nil)
	e.HRP = "akash"
	if e.Error() != `the Cosmos app on the Ledger does not allow the address prefix "akash"` || e.Hint() == "" {
		t.Errorf("%q", e.Error())
	}
}

// SIGN_MODE_TEXTUAL through the SDK keyring reaches the device with P2=1;
// the emulated app (built without textual) refuses it with its reason.
func TestLedgerTextualRefused(t *testing.T) {
	dev, err := ledgeremu.New(ledgeremu.Config{Mnemonic: ledgerInternalMnemonic})
	if err != nil {
		t.Fatal(err)
	}
	SetLedgerConnector(dev.Connect)
	defer SetLedgerConnector(nil)
	reg := codectestutil.CodecOptions{AccAddressPrefix: "akash", ValAddressPrefix: "akashvaloper"}.NewInterfaceRegistry()
	cryptocodec.RegisterInterfaces(reg)
	kr := keyring.NewInMemory(codec.NewProtoCodec(reg))
	if _, err := AddLedgerKey(kr, "hw", LedgerKeyOptions{HRP: "akash"}); err != nil {
		t.Fatal(err)
	}
	s, end := beginLedgerSession()
	_, _, err = kr.Sign("hw", []byte{0xa1, 0x01, 0x80}, signing.SignMode_SIGN_MODE_TEXTUAL)
	cerr := s.classify(err)
	end()
	var le *LedgerError
	if !errors.As(cerr, &le) || le.Kind != LedgerDataInvalid || le.Reason != signdoc.ReasonValueOutOfRange {
		t.Fatalf("textual: %v (%v)", cerr, err)
	}
}

// The default connector is ledger-go's USB HID transport. With no Ledger
// plugged in (as on CI) every operation reports LedgerNotConnected with the
// udev hint; with one plugged in the test has nothing to prove and skips.
func TestLedgerUSBWithoutDevice(t *testing.T) {
	SetLedgerConnector(nil)
	if dev, err := USBLedgerConnector(); err == nil {
		_ = dev.Close()
		t.Skip("a Ledger is connected")
	}
	_, err := LedgerStatus()
	var le *LedgerError
	if !errors.As(err, &le) || le.Kind != LedgerNotConnected {
		t.Fatalf("%v", err)
	}
}
