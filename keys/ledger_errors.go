package keys

import (
	"errors"
	"fmt"
	"runtime"
	"strings"

	ledger_go "github.com/zondax/ledger-go"

	"github.com/akash-wallet/akw/errkind"
)

// ErrLedger is matched (errors.Is) by every *LedgerError: the CLI maps it to
// exit code 6.
var ErrLedger = sentinel("ledger error", errkind.Key, "", errkind.None)

// ErrNotLedgerKey: the named key is not a Ledger key (it has no device path).
var ErrNotLedgerKey = sentinel("not a Ledger key", errkind.Key, "", errkind.None)

// LedgerErrorKind says which device state or refusal stopped a Ledger
// operation. Each kind has a plain message and a hint (LedgerError.Hint).
type LedgerErrorKind int

const (
	// LedgerNotConnected: no Ledger on USB, or the OS would not let akw
	// open it (udev rules on Linux, another wallet holding it).
	LedgerNotConnected LedgerErrorKind = iota + 1
	// LedgerLocked: the device wants its PIN.
	LedgerLocked
	// LedgerAppNotOpen: the device is on its dashboard.
	LedgerAppNotOpen
	// LedgerWrongApp: another app is open (AppName says which).
	LedgerWrongApp
	// LedgerAppTooOld: the Cosmos app is older than ledger-cosmos-go's
	// minimum (2.1.0).
	LedgerAppTooOld
	// LedgerRejected: the user pressed reject on the device.
	LedgerRejected
	// LedgerExpertModeRequired: account or index above 100 without the
	// app's expert mode.
	LedgerExpertModeRequired
	// LedgerDataInvalid: the app refused the sign document; Reason is the
	// app's own text (e.g. "JSON Dictionaries are not sorted").
	LedgerDataInvalid
	// LedgerHRPNotAllowed: the app (v2.38.12+) refuses the bech32 prefix.
	LedgerHRPNotAllowed
	// LedgerInvalidPath: the app refused the HD path (purpose or coin type).
	LedgerInvalidPath
	// LedgerTooLarge: the sign document exceeds the device's 16 KiB buffer.
	LedgerTooLarge
	// LedgerKeyMismatch: the device holds a different key than the stored
	// one (another device, seed, BIP39 passphrase or path).
	LedgerKeyMismatch
	// LedgerDeviceError: any other failure talking to the device.
	LedgerDeviceError
)

func (k LedgerErrorKind) String() string {
	switch k {
	case LedgerNotConnected:
		return "not_connected"
	case LedgerLocked:
		return "locked"
	case LedgerAppNotOpen:
		return "app_not_open"
	case LedgerWrongApp:
		return "wrong_app"
	case LedgerAppTooOld:
		return "app_too_old"
	case LedgerRejected:
		return "rejected"
	case LedgerExpertModeRequired:
		return "expert_mode_required"
	case LedgerDataInvalid:
		return "data_invalid"
	case LedgerHRPNotAllowed:
		return "hrp_not_allowed"
	case LedgerInvalidPath:
		return "invalid_path"
	case LedgerTooLarge:
		return "too_large"
	case LedgerKeyMismatch:
		return "key_mismatch"
	case LedgerDeviceError:
		return "device_error"
	}
	return "unknown"
}

// LedgerError is a failure of a Ledger operation, classified. Its message
// and hint are plain sentences for the user and never contain secrets.
type LedgerError struct {
	Kind LedgerErrorKind
	// StatusWord is the device's APDU status (0x6986, ...), 0 if none.
	StatusWord uint16
	// Reason is the app's own explanation for LedgerDataInvalid, or what
	// akw's pre-flight check found (then Local is true).
	Reason string
	// Local: akw refused before sending anything to the device.
	Local bool
	// AppName and AppVersion describe the app found, when known.
	AppName    string
	AppVersion string
	// HRP is the refused prefix for LedgerHRPNotAllowed.
	HRP string
	// KeyName is the stored key concerned, for LedgerKeyMismatch.
	KeyName string
	// Err is the underlying error from the client library, for logs.
	Err error
}

func (e *LedgerError) Error() string {
	switch e.Kind {
	case LedgerNotConnected:
		return "no Ledger device found"
	case LedgerLocked:
		return "the Ledger is locked"
	case LedgerAppNotOpen:
		return "the Cosmos app is not open on the Ledger"
	case LedgerWrongApp:
		if e.AppName != "" {
			return fmt.Sprintf("the app open on the Ledger is %q, not Cosmos", e.AppName)
		}
		return "the app open on the Ledger is not the Cosmos app"
	case LedgerAppTooOld:
		return fmt.Sprintf("the Cosmos app on the Ledger is version %s; akw needs at least %s", e.AppVersion, minLedgerAppVersion)
	case LedgerRejected:
		return "rejected on the Ledger"
	case LedgerExpertModeRequired:
		return "the Ledger refuses an account or index above 100 outside expert mode"
	case LedgerDataInvalid:
		if e.Local {
			return "this transaction cannot be signed on a Ledger: " + e.Reason
		}
		if e.Reason != "" {
			return "the Ledger refused the transaction: " + e.Reason
		}
		return "the Ledger refused the transaction as invalid"
	case LedgerHRPNotAllowed:
		return fmt.Sprintf("the Cosmos app on the Ledger does not allow the address prefix %q", e.HRP)
	case LedgerInvalidPath:
		return "the Ledger refused the HD path"
	case LedgerTooLarge:
		return "the transaction is too large for the Ledger (16 KiB at most)"
	case LedgerKeyMismatch:
		if e.KeyName != "" {
			return fmt.Sprintf("the Ledger holds a different key than the one stored as %q", e.KeyName)
		}
		return "the Ledger holds a different key than the one stored"
	}
	if e.Err != nil {
		return "Ledger error: " + e.Err.Error()
	}
	return "Ledger error"
}

// Hint says what the user can do about it.
func (e *LedgerError) Hint() string {
	switch e.Kind {
	case LedgerNotConnected:
		h := "Connect the Ledger by USB, unlock it and open the Cosmos app. Close Ledger Live and other wallets that may hold the device."
		if runtime.GOOS == "linux" {
			h += " On Linux the udev rules for Ledger must be installed (Debian/Ubuntu: sudo apt install ledger-wallets-udev), then unplug and replug the device."
		}
		return h
	case LedgerLocked:
		return "Enter your PIN on the device, open the Cosmos app, then try again."
	case LedgerAppNotOpen:
		return "Open the Cosmos app on the device (it shows \"Cosmos ready\"), then try again."
	case LedgerWrongApp:
		return "Quit the open app on the device and open the Cosmos app, then try again."
	case LedgerAppTooOld:
		return "Update the Cosmos app with Ledger Live (My Ledger), then try again."
	case LedgerRejected:
		return "Nothing was signed or saved. Try again and approve on the device if what it shows is right."
	case LedgerExpertModeRequired:
		return "Use an account and index up to 100, or enable expert mode in the Cosmos app's settings on the device."
	case LedgerDataInvalid:
		return "Ledger keys sign amino JSON; the Cosmos app refuses documents that are not sorted and compact, and some message types. Nothing was signed."
	case LedgerHRPNotAllowed:
		return "Cosmos app v2.38.12 and later show only allow-listed prefixes; akw shows the cosmos1... form of the same key instead."
	case LedgerInvalidPath:
		return "Ledger keys use m/44'/118'/account'/0/index."
	case LedgerTooLarge:
		return "Split the operation into smaller transactions."
	case LedgerKeyMismatch:
		return "Connect the device (and BIP39 passphrase, if any) this key was added with. The account and index are stored with the key."
	}
	return "Check the device and try again."
}

// Unwrap exposes ErrLedger first, so that every Ledger failure is a key
// error (errkind, exit 6) whatever the transport said underneath, and
// then the client library's error.
func (e *LedgerError) Unwrap() []error { return []error{ErrLedger, e.Err} }

// Is makes errors.Is(err, ErrLedger) true for every LedgerError.
func (e *LedgerError) Is(target error) bool { return target == ErrLedger }

// IsLedgerError reports whether err (or an error it wraps) is a
// *LedgerError. The CLI maps those to exit code 6.
func IsLedgerError(err error) bool {
	var le *LedgerError
	return errors.As(err, &le)
}

// LedgerErrorKindOf returns the kind of the *LedgerError in err's chain.
func LedgerErrorKindOf(err error) (LedgerErrorKind, bool) {
	var le *LedgerError
	if errors.As(err, &le) {
		return le.Kind, true
	}
	return 0, false
}

// Status words the classification knows.
const (
	swLocked            = 0x5515
	swSecurityStatus    = 0x6982 // "security condition not satisfied": PIN not entered
	swWrongLength       = 0x6700
	swDataInvalid       = 0x6984
	swRejected          = 0x6986
	swBufferFull        = 0x6988
	swPathValue         = 0x6989
	swHRPLength         = 0x698A
	swPathCoin          = 0x698B
	swChainConfig       = 0x698C
	swBadKeyHandle      = 0x6A80
	swINSNotSupported   = 0x6D00
	swCLANotSupported   = 0x6E00
	swAppNotOpen        = 0x6E01
	swOK                = 0x9000
	apduUnknownErrorFmt = "APDU Error Code from Ledger Device: 0x%04x"
)

// statusFromError recovers the status word from an error produced by a
// ledger-go transport, which carries it only as text
// (ledger_go.ErrorMessage).
func statusFromError(err error) (uint16, bool) {
	if err == nil {
		return 0, false
	}
	msg := err.Error()
	for _, code := range []uint16{0x6400, 0x6700, 0x6982, 0x6983, 0x6984, 0x6985, 0x6986, 0x6A80, 0x6B00, 0x6D00, 0x6E00, 0x6E01, 0x6F00, 0x6F01} {
		if msg == ledger_go.ErrorMessage(code) {
			return code, true
		}
	}
	var code uint16
	if _, err := fmt.Sscanf(msg, apduUnknownErrorFmt, &code); err == nil {
		return code, true
	}
	return 0, false
}

// errorFromStatus classifies a device status word.
func errorFromStatus(code uint16, data []byte, cause error) *LedgerError {
	e := &LedgerError{StatusWord: code, Err: cause}
	switch code {
	case swLocked, swSecurityStatus:
		e.Kind = LedgerLocked
	case swCLANotSupported, swAppNotOpen:
		e.Kind = LedgerAppNotOpen
	case swINSNotSupported:
		e.Kind = LedgerWrongApp
	case swRejected:
		e.Kind = LedgerRejected
	case swPathValue:
		e.Kind = LedgerExpertModeRequired
	case swDataInvalid, swBadKeyHandle:
		e.Kind = LedgerDataInvalid
		e.Reason = printableReason(data)
	case swChainConfig:
		e.Kind = LedgerHRPNotAllowed
	case swPathCoin, swHRPLength:
		e.Kind = LedgerInvalidPath
	case swBufferFull:
		e.Kind = LedgerTooLarge
	default:
		e.Kind = LedgerDeviceError
	}
	return e
}

// printableReason keeps the app's ASCII reason, dropping anything else: the
// bytes come from a device and end up on a terminal.
func printableReason(b []byte) string {
	var sb strings.Builder
	for _, c := range b {
		if c >= 0x20 && c < 0x7f {
			sb.WriteByte(c)
		}
		if sb.Len() >= 200 {
			break
		}
	}
	return sb.String()
}
