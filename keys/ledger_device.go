package keys

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"unsafe"

	sdkledger "github.com/cosmos/cosmos-sdk/crypto/ledger"
	lcg "github.com/cosmos/ledger-cosmos-go"
	ledger_go "github.com/zondax/ledger-go"
)

// How akw reaches a Ledger
//
// Every Ledger conversation, akw's own and the cosmos-sdk keyring's
// (SaveLedgerKey, Sign on a Ledger record), goes through one path:
//
//	connector (USB HID by default)  ->  ledger_go.LedgerDevice
//	  -> identify the open app (OS command B0 01: dashboard, other app)
//	  -> *ledger_cosmos_go.LedgerCosmos around that device
//	  -> GetVersion + CheckVersion (as FindLedgerCosmosUserApp does)
//
// The SDK's crypto/ledger is pointed at this path with SetDiscoverLedger
// in init. That needs no build tag: without `-tags ledger` the SDK compiles
// ledger_notavail.go, whose discover function only says "not available",
// and SetDiscoverLedger replaces it. Real devices work in a plain
// `go build` / `go install` as long as cgo is on (the default where a C
// compiler exists): ledger-go's default transport is USB HID through
// zondax/hid, which bundles its C sources. With CGO_ENABLED=0 it compiles
// but finds no device (reported as LedgerNotConnected). The ledger_mock and
// ledger_zemu tags of ledger-go replace the HID transport and must not be
// used for release builds.
//
// Why not FindLedgerCosmosUserApp: it always opens USB device 0, so tests
// could not put the emulator (internal/ledgeremu) underneath. LedgerCosmos
// has no constructor taking a device and keeps it in the unexported field
// `api`; newLedgerCosmos sets that field through reflect, checking its name
// and type first (go.mod pins ledger-cosmos-go v1.0.0; a layout change
// makes every Ledger call fail with a clear error and TestLedgerCosmosLayout
// fail, never writes memory blindly). The alternative, ledger-go's
// `ledger_zemu` build tag with a gRPC server on 127.0.0.1:3002, swaps the
// transport for the whole binary, so tests would need a tag and a fixed
// port and the same binary could not also drive a real device. With the
// connector, tests run every line of ledger-cosmos-go and the SDK's
// crypto/ledger and keyring that a real device runs, plus ledger-go's
// chunking, HID framing and status-word errors (see ledgeremu.Connect);
// only the USB read/write differs.

// LedgerConnectFunc opens the Ledger's transport (device 0).
type LedgerConnectFunc func() (ledger_go.LedgerDevice, error)

// USBLedgerConnector opens the first Ledger on USB through ledger-go's HID
// transport. It is the default connector.
func USBLedgerConnector() (ledger_go.LedgerDevice, error) {
	return ledger_go.NewLedgerAdmin().Connect(0)
}

var (
	connectorMu sync.Mutex
	connector   LedgerConnectFunc = USBLedgerConnector
)

// SetLedgerConnector routes all Ledger traffic of this process (akw's and
// the SDK keyring's) through connect; nil restores USBLedgerConnector.
// Tests and `akw demo` pass (*ledgeremu.Device).Connect.
func SetLedgerConnector(connect LedgerConnectFunc) {
	connectorMu.Lock()
	defer connectorMu.Unlock()
	if connect == nil {
		connect = USBLedgerConnector
	}
	connector = connect
}

func currentConnector() LedgerConnectFunc {
	connectorMu.Lock()
	defer connectorMu.Unlock()
	return connector
}

func init() {
	sdkledger.SetDiscoverLedger(func() (sdkledger.SECP256K1, error) {
		app, err := openLedgerApp(activeSession())
		if err != nil {
			return nil, err
		}
		return app, nil
	})
}

// minLedgerAppVersion is ledger-cosmos-go's minimum.
var minLedgerAppVersion = lcg.MinRequiredVersion

// newLedgerCosmos builds a *LedgerCosmos that talks through dev.
func newLedgerCosmos(dev ledger_go.LedgerDevice) (*lcg.LedgerCosmos, error) {
	app := new(lcg.LedgerCosmos)
	f := reflect.ValueOf(app).Elem().FieldByName("api")
	devType := reflect.TypeOf((*ledger_go.LedgerDevice)(nil)).Elem()
	if !f.IsValid() || f.Type() != devType {
		return nil, &LedgerError{Kind: LedgerDeviceError,
			Err: errors.New("unsupported ledger-cosmos-go version: LedgerCosmos.api is not a ledger_go.LedgerDevice")}
	}
	reflect.NewAt(devType, unsafe.Pointer(f.UnsafeAddr())).Elem().Set(reflect.ValueOf(dev))
	return app, nil
}

// ledgerSession collects what the device said during one akw operation,
// so errors that the client libraries flatten into text (or wrap beyond
// errors.As, as the SDK keyring does) are classified from the status word
// itself.
type ledgerSession struct {
	mu       sync.Mutex
	openErr  *LedgerError // failure while opening the app
	lastSW   uint16       // last non-9000 status
	lastData []byte       // data that came with it (the app's reason)
	addrs    []addrReply  // successful GET_ADDR replies
}

type addrReply struct {
	pubKey  []byte
	address string
}

var (
	// ledgerOpMu serialises akw's Ledger operations: one device, one
	// conversation at a time.
	ledgerOpMu sync.Mutex
	sessionMu  sync.Mutex
	session    *ledgerSession
)

// beginLedgerSession starts an operation; call the returned end when done.
func beginLedgerSession() (*ledgerSession, func()) {
	ledgerOpMu.Lock()
	s := &ledgerSession{}
	sessionMu.Lock()
	session = s
	sessionMu.Unlock()
	return s, func() {
		sessionMu.Lock()
		session = nil
		sessionMu.Unlock()
		ledgerOpMu.Unlock()
	}
}

// activeSession returns the running session, or a throwaway one for SDK
// calls made outside akw's functions.
func activeSession() *ledgerSession {
	sessionMu.Lock()
	defer sessionMu.Unlock()
	if session != nil {
		return session
	}
	return &ledgerSession{}
}

// tapDevice records status words and GET_ADDR replies passing through.
type tapDevice struct {
	ledger_go.LedgerDevice
	s *ledgerSession
}

func (t *tapDevice) Exchange(cmd []byte) ([]byte, error) {
	resp, err := t.LedgerDevice.Exchange(cmd)
	t.s.mu.Lock()
	defer t.s.mu.Unlock()
	if err != nil {
		code, ok := statusFromError(err)
		if ok {
			t.s.lastSW = code
			t.s.lastData = append([]byte(nil), resp...)
		}
		return resp, err
	}
	if len(cmd) > 1 && cmd[0] == 0x55 && cmd[1] == 0x04 && len(resp) > 33 {
		t.s.addrs = append(t.s.addrs, addrReply{pubKey: append([]byte(nil), resp[:33]...), address: string(resp[33:])})
	}
	return resp, nil
}

// reset forgets what the device said, before a retry.
func (s *ledgerSession) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.openErr, s.lastSW, s.lastData, s.addrs = nil, 0, nil, nil
}

func (s *ledgerSession) setOpenErr(e *LedgerError) *LedgerError {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.openErr = e
	return e
}

func (s *ledgerSession) lastAddr() (addrReply, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.addrs) == 0 {
		return addrReply{}, false
	}
	return s.addrs[len(s.addrs)-1], true
}

func (s *ledgerSession) lastStatus() uint16 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastSW
}

// classify turns any error from a Ledger operation into a *LedgerError,
// preferring what the session saw on the wire over the error's text.
func (s *ledgerSession) classify(err error) error {
	if err == nil {
		return nil
	}
	var le *LedgerError
	if errors.As(err, &le) {
		return le
	}
	s.mu.Lock()
	openErr, code, data := s.openErr, s.lastSW, s.lastData
	s.mu.Unlock()
	if openErr != nil {
		return openErr
	}
	if code != 0 {
		return errorFromStatus(code, data, err)
	}
	if c, ok := statusFromError(err); ok {
		return errorFromStatus(c, nil, err)
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "does not match") || strings.Contains(msg, "cached key does not match"):
		return &LedgerError{Kind: LedgerKeyMismatch, Err: err}
	case errors.Is(err, lcg.ErrCosmosAppNotOpen):
		return &LedgerError{Kind: LedgerAppNotOpen, Err: err}
	case strings.Contains(msg, "hidapi:"):
		// The USB write failed mid-conversation: the device was
		// unplugged (or reset) while akw talked to it.
		return &LedgerError{Kind: LedgerNotConnected, Err: err}
	}
	var ve *lcg.VersionRequiredError
	if errors.As(err, &ve) {
		return &LedgerError{Kind: LedgerAppTooOld, AppVersion: ve.Found.String(), Err: err}
	}
	return &LedgerError{Kind: LedgerDeviceError, Err: err}
}

// openLedgerApp connects, checks that the Cosmos app is open and recent
// enough, and returns the client. Failures are *LedgerError and are also
// remembered by s.
func openLedgerApp(s *ledgerSession) (*lcg.LedgerCosmos, error) {
	dev, err := currentConnector()()
	if err != nil {
		return nil, s.setOpenErr(&LedgerError{Kind: LedgerNotConnected, Err: err})
	}
	tap := &tapDevice{LedgerDevice: dev, s: s}
	fail := func(e *LedgerError) (*lcg.LedgerCosmos, error) {
		_ = dev.Close()
		return nil, s.setOpenErr(e)
	}

	// Which app is open? The OS answers B0 01 whatever runs, so this tells
	// the dashboard and foreign apps apart from the Cosmos app. Firmware too
	// old to answer is not an error: GetVersion below still decides.
	name, version, err := appAndVersion(tap)
	if err != nil {
		if code, ok := statusFromError(err); ok && (code == swLocked || code == swSecurityStatus) {
			return fail(errorFromStatus(code, nil, err))
		}
		// Tolerated: forget the status so it cannot classify a later error.
		s.reset()
	} else {
		switch {
		case name == "BOLOS":
			return fail(&LedgerError{Kind: LedgerAppNotOpen})
		case !strings.EqualFold(name, "Cosmos"):
			return fail(&LedgerError{Kind: LedgerWrongApp, AppName: name, AppVersion: version})
		}
	}

	app, lerr := newLedgerCosmos(tap)
	if lerr != nil {
		return fail(lerr.(*LedgerError))
	}
	v, err := app.GetVersion()
	if err != nil {
		if errors.Is(err, lcg.ErrInvalidResponse) {
			return fail(&LedgerError{Kind: LedgerWrongApp, AppName: name, Err: err})
		}
		if code, ok := statusFromError(err); ok {
			e := errorFromStatus(code, nil, err)
			if e.Kind == LedgerDeviceError || e.Kind == LedgerDataInvalid {
				// Anything but a state answer to GET_VERSION means
				// something other than the Cosmos app is listening.
				e = &LedgerError{Kind: LedgerWrongApp, AppName: name, StatusWord: code, Err: err}
			}
			return fail(e)
		}
		return fail(&LedgerError{Kind: LedgerDeviceError, Err: err})
	}
	if err := app.CheckVersion(*v); err != nil {
		return fail(&LedgerError{Kind: LedgerAppTooOld, AppName: "Cosmos", AppVersion: v.String(), Err: err})
	}
	return app, nil
}

// appAndVersion sends the OS command B0 01 00 00 and parses
// format(1) name_len name version_len version [flags_len flags].
func appAndVersion(dev ledger_go.LedgerDevice) (name, version string, err error) {
	resp, err := dev.Exchange([]byte{0xB0, 0x01, 0x00, 0x00, 0x00})
	if err != nil {
		return "", "", err
	}
	if len(resp) < 2 || resp[0] != 1 {
		return "", "", fmt.Errorf("unexpected app-and-version reply")
	}
	n := int(resp[1])
	if len(resp) < 2+n+1 {
		return "", "", fmt.Errorf("short app-and-version reply")
	}
	name = string(resp[2 : 2+n])
	m := int(resp[2+n])
	if len(resp) < 3+n+m {
		return "", "", fmt.Errorf("short app-and-version reply")
	}
	return name, string(resp[3+n : 3+n+m]), nil
}
