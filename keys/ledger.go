package keys

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/bech32"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	signingtypes "github.com/cosmos/cosmos-sdk/types/tx/signing"

	"github.com/akash-wallet/akw/keys/signdoc"
)

// Ledger keys
//
// A Ledger key in the keyring is a public key and a BIP44 path
// (m/44'/118'/account'/0/index); the secret never leaves the device. Two
// generations of the Cosmos app behave differently for Akash:
//
//   - before v2.38.12 the app shows any prefix for coin type 118, so the
//     device displays the akash1... address itself;
//   - from v2.38.12 it shows only allow-listed prefixes (cosmos, osmo,
//     dydx, mantra, xion, celestia, core, neutron) and refuses "akash" with
//     status 0x698C. akw then shows the cosmos1... address of the same key
//     on the device and derives akash1... locally: both encode the same 20
//     bytes (the hash of the public key) with a different prefix.
//
// Signing is unaffected (ledger-cosmos-go sends no prefix when signing)
// and always uses SIGN_MODE_LEGACY_AMINO_JSON, the mode the app reviews.

// LedgerCoinType is the coin type of Akash (and Cosmos Hub) keys.
const LedgerCoinType = 118

// LedgerFallbackHRP is the prefix shown on the device when the app refuses
// the chain's own.
const LedgerFallbackHRP = "cosmos"

// maxLedgerPathElem is the largest account or index (hardened range).
const maxLedgerPathElem = 1<<31 - 1

// LedgerExpertModeLimit: account or index above this needs the app's
// expert mode.
const LedgerExpertModeLimit = 100

// LedgerKeyOptions selects the key on the device.
type LedgerKeyOptions struct {
	// HRP is the chain's bech32 account prefix, e.g. "akash". Required:
	// the package never reads the SDK's global prefix.
	HRP string
	// Account and Index pick m/44'/118'/Account'/0/Index. Values above 100
	// need expert mode on the device (the device refuses otherwise).
	Account uint32
	Index   uint32
	// BeforeShow, if set, is called with the device's public key after it
	// was read silently and before the user is asked to approve the
	// address; an error stops the operation there (e.g. the caller's own
	// check that no other key holds this address).
	BeforeShow func(pub cryptotypes.PubKey) error
}

// LedgerShown is an address the device displayed and the user approved.
type LedgerShown struct {
	// Address is the text the device displayed, as the device returned it
	// (checked against the public key).
	Address string
	// HRP is its prefix.
	HRP string
	// Fallback: the device refused the requested prefix (app v2.38.12+
	// allowlist), so Address is the cosmos1... form of the same key.
	Fallback bool
	// Requested is the address in the requested prefix, derived locally
	// from the device's public key; equal to Address unless Fallback.
	Requested string
}

// Explanation is a plain sentence for the user when the device showed a
// different prefix than the chain's, or "" when it did not.
func (s LedgerShown) Explanation() string {
	if !s.Fallback {
		return ""
	}
	return fmt.Sprintf("Your Ledger's Cosmos app only displays allow-listed address prefixes, so it showed %s. "+
		"That is the same key as %s: both encode the same account (the hash of the same public key) with a different prefix. "+
		"Check that the device shows %s.", s.Address, s.Requested, s.Address)
}

// LedgerKey is a Ledger key stored in the keyring.
type LedgerKey struct {
	Name    string
	Record  *keyring.Record
	PubKey  cryptotypes.PubKey
	Address string // in LedgerKeyOptions.HRP, derived locally
	Path    string // m/44'/118'/0'/0/0
	Shown   LedgerShown
}

// ValidateLedgerPath checks account and index before anything is sent to
// the device: both must be in the hardened range. It does not refuse
// values above 100 (expert mode may be on; the device decides and a
// refusal comes back as LedgerExpertModeRequired).
func ValidateLedgerPath(account, index uint32) error {
	if account > maxLedgerPathElem {
		return fmt.Errorf("%w: account %d is out of range (0 to %d)", ErrInvalidHDPath, account, maxLedgerPathElem)
	}
	if index > maxLedgerPathElem {
		return fmt.Errorf("%w: index %d is out of range (0 to %d)", ErrInvalidHDPath, index, maxLedgerPathElem)
	}
	return nil
}

// LedgerPathNeedsExpertMode reports whether the device will only accept
// this path in expert mode, so the CLI can warn before asking.
func LedgerPathNeedsExpertMode(account, index uint32) bool {
	return account > LedgerExpertModeLimit || index > LedgerExpertModeLimit
}

func validateHRP(hrp string) error {
	if hrp == "" {
		return errors.New("bech32 prefix (HRP) is required")
	}
	for _, c := range []byte(hrp) {
		if c < 33 || c > 126 || (c >= 'A' && c <= 'Z') {
			return fmt.Errorf("invalid bech32 prefix %q", hrp)
		}
	}
	return nil
}

// AddLedgerKey stores the device's key at the chosen path under name. The
// device shows the address and the user approves it; only the public key
// and the path are stored. On an app that refuses opt.HRP (0x698C) the
// cosmos1... address of the same key is shown instead (Shown.Fallback).
//
// It refuses an existing name before touching the device (*ConflictError
// wrapping ErrNameExists) and an address already stored under another
// name (ErrAddressExists). Device failures are *LedgerError.
func AddLedgerKey(kr keyring.Keyring, name string, opt LedgerKeyOptions) (*LedgerKey, error) {
	if name == "" {
		return nil, fmt.Errorf("%w: empty name", ErrInvalidName)
	}
	if err := validateHRP(opt.HRP); err != nil {
		return nil, err
	}
	if err := ValidateLedgerPath(opt.Account, opt.Index); err != nil {
		return nil, err
	}
	if _, err := kr.Key(name); err == nil {
		return nil, &ConflictError{Name: name, Existing: name, Err: ErrNameExists}
	} else if !errors.Is(err, sdkerrors.ErrKeyNotFound) {
		return nil, err
	}
	path := hd.NewFundraiserParams(opt.Account, LedgerCoinType, opt.Index)

	s, end := beginLedgerSession()
	defer end()

	// Read the key silently first: device problems (locked, wrong app,
	// path refused) and a key already stored under another name are
	// reported before the user is asked to approve anything. The SDK
	// keyring would otherwise quietly re-point the address to the new name.
	devPub, err := readLedgerPubKey(s, path)
	if err != nil {
		return nil, err
	}
	if other, err := kr.KeyByAddress(sdk.AccAddress(devPub.Address())); err == nil {
		bech, _ := bech32.ConvertAndEncode(opt.HRP, devPub.Address())
		return nil, &ConflictError{Name: name, Existing: other.Name, Address: bech, Err: ErrAddressExists}
	} else if !errors.Is(err, sdkerrors.ErrKeyNotFound) {
		return nil, err
	}
	if opt.BeforeShow != nil {
		if err := opt.BeforeShow(devPub); err != nil {
			return nil, err
		}
	}
	s.reset()

	shownHRP, fallback := opt.HRP, false
	rec, err := kr.SaveLedgerKey(name, hd.Secp256k1, opt.HRP, LedgerCoinType, opt.Account, opt.Index)
	if err != nil && s.lastStatus() == swChainConfig && opt.HRP != LedgerFallbackHRP {
		// App v2.38.12+: the prefix is not on its allowlist. The app checks
		// the prefix before showing anything, so the user has seen nothing
		// yet; ask again with the prefix every app generation accepts.
		s.reset()
		shownHRP, fallback = LedgerFallbackHRP, true
		rec, err = kr.SaveLedgerKey(name, hd.Secp256k1, LedgerFallbackHRP, LedgerCoinType, opt.Account, opt.Index)
	}
	if err != nil {
		return nil, ledgerAddError(s, err)
	}
	lk, err := finishAddLedgerKey(kr, s, rec, name, opt, path, shownHRP, fallback)
	if err != nil {
		return nil, err
	}
	if !lk.PubKey.Equals(devPub) {
		_ = kr.Delete(name)
		return nil, &LedgerError{Kind: LedgerKeyMismatch, KeyName: name,
			Err: errors.New("the device returned a different key when asked to show it")}
	}
	return lk, nil
}

// readLedgerPubKey reads the public key at path without asking the user.
func readLedgerPubKey(s *ledgerSession, path *hd.BIP44Params) (cryptotypes.PubKey, error) {
	app, err := openLedgerApp(s)
	if err != nil {
		return nil, err
	}
	defer func() { _ = app.Close() }()
	b, err := app.GetPublicKeySECP256K1(path.DerivationPath())
	if err != nil {
		return nil, s.classify(err)
	}
	if len(b) != secp256k1.PubKeySize {
		return nil, &LedgerError{Kind: LedgerDeviceError, Err: fmt.Errorf("device returned a %d-byte public key", len(b))}
	}
	return &secp256k1.PubKey{Key: b}, nil
}

func ledgerAddError(s *ledgerSession, err error) error {
	if errors.Is(err, keyring.ErrKeyAlreadyExists) {
		ce := &ConflictError{Err: ErrAddressExists}
		if a, ok := s.lastAddr(); ok {
			ce.Address = a.address
		}
		return ce
	}
	return s.classify(err)
}

func finishAddLedgerKey(kr keyring.Keyring, s *ledgerSession, rec *keyring.Record, name string,
	opt LedgerKeyOptions, path *hd.BIP44Params, shownHRP string, fallback bool,
) (*LedgerKey, error) {
	pub, err := rec.GetPubKey()
	if err != nil {
		return nil, err
	}
	shown, err := checkShown(s, pub, shownHRP, opt.HRP, fallback)
	if err != nil {
		// The device displayed something other than its key's address:
		// do not keep a key the user approved on false information.
		_ = kr.Delete(name)
		return nil, err
	}
	addr, err := bech32.ConvertAndEncode(opt.HRP, pub.Address())
	if err != nil {
		return nil, err
	}
	return &LedgerKey{Name: name, Record: rec, PubKey: pub, Address: addr, Path: path.String(), Shown: shown}, nil
}

// checkShown compares the device's last GET_ADDR reply with the key.
func checkShown(s *ledgerSession, pub cryptotypes.PubKey, shownHRP, wantHRP string, fallback bool) (LedgerShown, error) {
	want, err := bech32.ConvertAndEncode(shownHRP, pub.Address())
	if err != nil {
		return LedgerShown{}, err
	}
	requested, err := bech32.ConvertAndEncode(wantHRP, pub.Address())
	if err != nil {
		return LedgerShown{}, err
	}
	got, ok := s.lastAddr()
	if !ok || !bytes.Equal(got.pubKey, pub.Bytes()) || got.address != want {
		return LedgerShown{}, &LedgerError{Kind: LedgerDeviceError,
			Err: fmt.Errorf("the device displayed an address that does not match its public key")}
	}
	return LedgerShown{Address: got.address, HRP: shownHRP, Fallback: fallback, Requested: requested}, nil
}

// ledgerRecord returns the path and public key of a Ledger key.
func ledgerRecord(kr keyring.Keyring, name string) (*hd.BIP44Params, cryptotypes.PubKey, error) {
	rec, err := kr.Key(name)
	if err != nil {
		if errors.Is(err, sdkerrors.ErrKeyNotFound) {
			return nil, nil, &NotFoundError{Key: name}
		}
		return nil, nil, err
	}
	l := rec.GetLedger()
	if l == nil || l.GetPath() == nil {
		return nil, nil, fmt.Errorf("%w: %q", ErrNotLedgerKey, name)
	}
	pub, err := rec.GetPubKey()
	if err != nil {
		return nil, nil, err
	}
	return l.GetPath(), pub, nil
}

// ShowLedgerAddress asks the device to display the address of the stored
// Ledger key name, for the user to compare with what akw prints, and waits
// for the approval. It first reads the device's key silently and refuses
// a device holding a different key (LedgerKeyMismatch) before showing
// anything. On an app that refuses hrp, the cosmos1... form is shown
// (Fallback).
func ShowLedgerAddress(kr keyring.Keyring, name, hrp string) (*LedgerShown, error) {
	if err := validateHRP(hrp); err != nil {
		return nil, err
	}
	path, pub, err := ledgerRecord(kr, name)
	if err != nil {
		return nil, err
	}
	s, end := beginLedgerSession()
	defer end()

	app, err := openLedgerApp(s)
	if err != nil {
		return nil, err
	}
	defer func() { _ = app.Close() }()

	devPub, err := app.GetPublicKeySECP256K1(path.DerivationPath())
	if err != nil {
		return nil, s.classify(err)
	}
	if !bytes.Equal(devPub, pub.Bytes()) {
		return nil, &LedgerError{Kind: LedgerKeyMismatch, KeyName: name}
	}
	shownHRP, fallback := hrp, false
	_, _, err = app.GetAddressPubKeySECP256K1(path.DerivationPath(), hrp)
	if err != nil && s.lastStatus() == swChainConfig && hrp != LedgerFallbackHRP {
		s.reset()
		shownHRP, fallback = LedgerFallbackHRP, true
		_, _, err = app.GetAddressPubKeySECP256K1(path.DerivationPath(), LedgerFallbackHRP)
	}
	if err != nil {
		return nil, s.classify(err)
	}
	shown, err := checkShown(s, pub, shownHRP, hrp, fallback)
	if err != nil {
		return nil, err
	}
	return &shown, nil
}

// CheckLedgerSignBytes runs the Cosmos app's sign-document checks on the
// host (sorted keys, compact, required fields, chain id, strict JSON) so a
// document the device would refuse is caught before the user is asked
// anything. The error is a *LedgerError of kind LedgerDataInvalid with
// Local set and the app's reason.
func CheckLedgerSignBytes(signBytes []byte) error {
	if err := signdoc.CheckCanonical(signBytes); err != nil {
		return &LedgerError{Kind: LedgerDataInvalid, Local: true, Reason: err.Error(), Err: err}
	}
	// Size and token count depend on the model; the device says so itself
	// (LedgerTooLarge, or LedgerDataInvalid "JSON. Too many tokens").
	return nil
}

// SignLedgerAminoJSON signs signBytes (the SIGN_MODE_LEGACY_AMINO_JSON sign
// document of a transaction) with the Ledger key name. The device shows
// the transaction and the user approves it. The signature is the 64-byte
// r||s form with low S that Cosmos chains accept, already verified
// against the stored public key (the SDK keyring checks the device's key
// against the record first and the signature after).
func SignLedgerAminoJSON(kr keyring.Keyring, name string, signBytes []byte) ([]byte, cryptotypes.PubKey, error) {
	if _, _, err := ledgerRecord(kr, name); err != nil {
		return nil, nil, err
	}
	if err := CheckLedgerSignBytes(signBytes); err != nil {
		return nil, nil, err
	}
	s, end := beginLedgerSession()
	defer end()
	sig, pub, err := kr.Sign(name, signBytes, signingtypes.SignMode_SIGN_MODE_LEGACY_AMINO_JSON)
	if err != nil {
		if errors.Is(err, keyring.ErrLedgerInvalidSignature) {
			return nil, nil, &LedgerError{Kind: LedgerDeviceError, Err: err}
		}
		le := s.classify(err)
		var e *LedgerError
		if errors.As(le, &e) && e.Kind == LedgerKeyMismatch {
			e.KeyName = name
		}
		return nil, nil, le
	}
	if _, ok := pub.(*secp256k1.PubKey); !ok {
		return nil, nil, &LedgerError{Kind: LedgerDeviceError, Err: fmt.Errorf("unexpected public key type %T", pub)}
	}
	return sig, pub, nil
}

// LedgerAppInfo describes the app the device runs.
type LedgerAppInfo struct {
	Version  string // e.g. "2.38.12"
	TestMode bool   // a debug build of the app
}

// LedgerStatus connects, checks that the Cosmos app is open and recent
// enough, and returns its version. It asks nothing of the user.
func LedgerStatus() (*LedgerAppInfo, error) {
	s, end := beginLedgerSession()
	defer end()
	app, err := openLedgerApp(s)
	if err != nil {
		return nil, err
	}
	defer func() { _ = app.Close() }()
	v, err := app.GetVersion()
	if err != nil {
		return nil, s.classify(err)
	}
	return &LedgerAppInfo{Version: v.String(), TestMode: v.AppMode == 0xFF}, nil
}

// LedgerAddress derives the bech32 address of a public key with an explicit
// prefix (never the SDK's global one).
func LedgerAddress(hrp string, pub cryptotypes.PubKey) (string, error) {
	return bech32.ConvertAndEncode(hrp, pub.Address())
}
