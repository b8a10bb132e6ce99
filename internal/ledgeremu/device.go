// Package ledgeremu emulates a Ledger device running the Cosmos app, at the
// APDU level, for tests and demos.
//
// It implements what a host can observe of the real app (ledger-cosmos
// v2.x, as its APDU specification, docs/APDUSPEC.md, and its C sources in
// github.com/cosmos/ledger-cosmos describe it):
// GET_VERSION, GET_ADDR (silent or shown and approved on screen, with the
// path rules, expert mode and, from app v2.38.12, the HRP allowlist), SIGN
// with its chunk state machine and 16 KiB buffer, the app's amino-JSON
// checks with its own error strings (package signdoc), approval or
// rejection by a User, and ECDSA signatures over sha256 with a
// non-normalised S, DER encoded. Keys come from a BIP39 mnemonic through
// cosmos-sdk's crypto/hd, so a software keyring recovered from the same
// mnemonic holds the same keys.
//
// Device states a host must cope with are reproducible: locked (0x5515),
// dashboard with no app open, another app open, an app too old for the
// client, and no device at all (Connect fails as the USB transport does).
//
// The device records every review it put on screen (address, transaction
// pages) and the user's decision, so tests can assert what the user saw.
//
// Wiring under the real client: Device.Connect returns a
// ledger_go.LedgerDevice that runs ledger-go's own USB-HID framing
// (WrapCommandAPDU / UnwrapResponseAPDU) in both directions and turns
// status words into errors exactly as ledger-go's HID transport does, so
// ledger-cosmos-go v1.0.0 and the SDK above it run unchanged. See
// akw's keys.SetLedgerConnector.
package ledgeremu

import (
	"encoding/binary"
	"errors"
	"sync"

	"github.com/akash-wallet/akw/keys/signdoc"
)

// Status words (ISO 7816 and the Cosmos app's own).
const (
	SWOK                     uint16 = 0x9000
	SWWrongLength            uint16 = 0x6700
	SWDataInvalid            uint16 = 0x6984
	SWCommandNotAllowed      uint16 = 0x6986 // also "user rejected"
	SWBufferFull             uint16 = 0x6988
	SWInvalidHDPathValue     uint16 = 0x6989 // expert mode needed
	SWHRPWrongLength         uint16 = 0x698A
	SWInvalidHDPathCoin      uint16 = 0x698B
	SWChainConfigUnsupported uint16 = 0x698C // HRP not allowed
	SWInvalidP1P2            uint16 = 0x6B00
	SWINSNotSupported        uint16 = 0x6D00
	SWCLANotSupported        uint16 = 0x6E00
	SWAppNotOpen             uint16 = 0x6E01
	SWLocked                 uint16 = 0x5515
)

// APDU bytes of the Cosmos app.
const (
	CLA           = 0x55
	INSGetVersion = 0x00
	INSSign       = 0x02
	INSGetAddr    = 0x04

	P1Init = 0
	P1Add  = 1
	P1Last = 2

	P2JSON    = 0
	P2Textual = 1

	// CLA/INS of the OS-level "get app name and version" command, answered
	// by whatever is running, the dashboard included.
	CLAOS                = 0xB0
	INSGetAppAndVersion  = 0x01
	maxHRPLen            = 83
	bufferSize           = signdoc.MaxBufferSize
	coinCosmos           = hardened | 118
	coinEth              = hardened | 60
	purpose44            = hardened | 44
	nonExpertPathElemMax = 100
)

// Version is the Cosmos app version.
type Version struct{ Major, Minor, Patch uint8 }

// Versions worth naming.
var (
	// V2_34 is a Cosmos app from before the HRP allowlist.
	V2_34 = Version{2, 34, 12}
	// V2_38_12 is the first app with the HRP allowlist for coin type 118.
	V2_38_12 = Version{2, 38, 12}
)

// Model is the device model; it sets the target id and the JSON token limit.
type Model int

const (
	NanoSPlus Model = iota // the zero value
	NanoS
	NanoX
	Stax
	Flex
)

func (m Model) targetID() uint32 {
	switch m {
	case NanoS:
		return 0x31100004
	case NanoX:
		return 0x33000004
	case Stax:
		return 0x33200004
	case Flex:
		return 0x33300004
	}
	return 0x33100004
}

func (m Model) maxTokens() int {
	if m == Stax || m == Flex {
		return signdoc.MaxTokensLargeUI
	}
	return signdoc.MaxTokens
}

// State is what the device is doing when the host talks to it.
type State int

const (
	// Ready: unlocked, Cosmos app open.
	Ready State = iota
	// Locked: PIN not entered; the OS answers everything with 0x5515.
	Locked
	// Dashboard: unlocked, no app open.
	Dashboard
	// OtherApp: unlocked, another app (Config.OtherApp) open.
	OtherApp
	// Unplugged: no device on the bus; Connect fails, Exchange errors.
	Unplugged
)

// OtherAppConfig describes the app open in state OtherApp.
type OtherAppConfig struct {
	Name    string // e.g. "Ethereum"; default "Ethereum"
	Version Version
	// AnswersCosmosCLA: the app shares CLA 0x55 with the Cosmos app (some
	// Zondax apps do) and answers GET_VERSION with its own version instead
	// of refusing the class.
	AnswersCosmosCLA bool
}

// HRPAllowlist is the app v2.38.12 list of prefixes accepted per coin type.
var HRPAllowlist = map[uint32][]string{
	118: {"cosmos", "osmo", "dydx", "mantra", "xion", "celestia", "core", "neutron"},
	60:  {"inj", "evmos", "xpla", "dym", "zeta", "bera", "human"},
}

// Config sets up a Device.
type Config struct {
	// Mnemonic is the BIP39 seed phrase; Passphrase the optional BIP39
	// passphrase ("25th word") the device may be set up with.
	Mnemonic   string
	Passphrase string
	// Version of the Cosmos app; zero means V2_34.
	Version Version
	// HRPAllowlist enforces the v2.38.12 chain configuration: GET_ADDR and
	// SIGN with an HRP outside HRPAllowlist fail with 0x698C. Off, any HRP
	// is accepted for coin type 118 (coin type 60 always needs a listed
	// HRP).
	HRPAllowlist bool
	// Expert is the app's expert mode: path elements above 100 allowed,
	// every sign document field shown.
	Expert bool
	// TestMode sets GET_VERSION's first byte to 0xFF, as debug builds do.
	TestMode bool
	Model    Model
	// User approves or rejects reviews; nil means ApproveAll.
	User User
	// State at start; zero is Ready.
	State State
	// OtherApp is used in state OtherApp.
	OtherApp OtherAppConfig
	// NoOSAppInfo: firmware too old to answer the OS command B0 01 (app
	// name and version); the command then reaches the app or dashboard
	// like any foreign class.
	NoOSAppInfo bool
	// DashboardSW is the status the dashboard gives a CLA it does not know;
	// zero means 0x6E01 (recent firmware; older firmware says 0x6E00).
	DashboardSW uint16
}

// Device is an emulated Ledger with the Cosmos app. Its methods are safe for
// concurrent use; exchanges are serialised as on a real device.
type Device struct {
	xmu sync.Mutex // one APDU at a time, held while the user decides

	mu      sync.Mutex // guards the fields below
	cfg     Config
	seed    *seed
	state   State
	user    User
	reviews []Review
	sign    signState
	apdus   int
}

type signState struct {
	receiving bool
	path      [5]uint32
	hrp       string // from SIGN init, "" if none
	buf       []byte
}

// New returns a device holding the keys of cfg.Mnemonic.
func New(cfg Config) (*Device, error) {
	s, err := newSeed(cfg.Mnemonic, cfg.Passphrase)
	if err != nil {
		return nil, err
	}
	if cfg.Version == (Version{}) {
		cfg.Version = V2_34
	}
	if cfg.OtherApp.Name == "" {
		cfg.OtherApp.Name = "Ethereum"
	}
	if cfg.OtherApp.Version == (Version{}) {
		cfg.OtherApp.Version = Version{1, 10, 3}
	}
	if cfg.DashboardSW == 0 {
		cfg.DashboardSW = SWAppNotOpen
	}
	d := &Device{cfg: cfg, seed: s, state: cfg.State, user: cfg.User}
	if d.user == nil {
		d.user = ApproveAll
	}
	return d, nil
}

// SetState changes what the device is doing (unlock, open an app, unplug).
// Leaving Ready drops a sign session in progress, as quitting the app does.
func (d *Device) SetState(s State) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if s != Ready {
		d.sign = signState{}
	}
	d.state = s
}

// State returns the current state.
func (d *Device) State() State {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.state
}

// SetUser replaces the person holding the device.
func (d *Device) SetUser(u User) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if u == nil {
		u = ApproveAll
	}
	d.user = u
}

// SetExpert switches the app's expert mode.
func (d *Device) SetExpert(on bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.cfg.Expert = on
}

// Reviews returns every review shown so far, oldest first, with the user's
// decision.
func (d *Device) Reviews() []Review {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]Review, len(d.reviews))
	for i, r := range d.reviews {
		r.Screens = append([]Screen(nil), r.Screens...)
		out[i] = r
	}
	return out
}

// LastReview returns the most recent review, if any.
func (d *Device) LastReview() (Review, bool) {
	rs := d.Reviews()
	if len(rs) == 0 {
		return Review{}, false
	}
	return rs[len(rs)-1], true
}

// APDUCount returns how many APDUs the device has received.
func (d *Device) APDUCount() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.apdus
}

// PublicKey returns the compressed public key at path (hardened bits as
// sent on the wire), for tests to compare against.
func (d *Device) PublicKey(path [5]uint32) ([]byte, error) {
	k, err := d.seed.derive(path)
	if err != nil {
		return nil, err
	}
	return k.PubKey().SerializeCompressed(), nil
}

// ErrUnplugged is returned by Exchange and Connect when the device is in
// state Unplugged.
var ErrUnplugged = errors.New("ledgeremu: device unplugged")

// Exchange handles one APDU (CLA INS P1 P2 Lc data) and returns the reply
// data followed by the two status bytes, as the device puts them on the
// wire. It returns an error only when there is no device (Unplugged); every
// protocol failure is a status word. It never panics on any input.
func (d *Device) Exchange(apdu []byte) ([]byte, error) {
	d.xmu.Lock()
	defer d.xmu.Unlock()

	d.mu.Lock()
	d.apdus++
	state := d.state
	d.mu.Unlock()

	switch state {
	case Unplugged:
		return nil, ErrUnplugged
	case Locked:
		return sw(SWLocked), nil
	}
	if !d.cfg.NoOSAppInfo && len(apdu) >= 4 && apdu[0] == CLAOS && apdu[1] == INSGetAppAndVersion && apdu[2] == 0 && apdu[3] == 0 {
		return d.appAndVersion(state), nil
	}
	switch state {
	case Dashboard:
		return sw(d.cfg.DashboardSW), nil
	case OtherApp:
		if !d.cfg.OtherApp.AnswersCosmosCLA || len(apdu) < 2 || apdu[0] != CLA {
			return sw(SWCLANotSupported), nil
		}
		if apdu[1] != INSGetVersion {
			return sw(SWINSNotSupported), nil
		}
		v := d.cfg.OtherApp.Version
		return append([]byte{0, v.Major, v.Minor, v.Patch, 0}, sw(SWOK)...), nil
	}
	return d.cosmosApp(apdu), nil
}

func sw(code uint16) []byte { return []byte{byte(code >> 8), byte(code)} }

func withSW(data []byte, code uint16) []byte {
	out := make([]byte, 0, len(data)+2)
	out = append(out, data...)
	return append(out, sw(code)...)
}

// appAndVersion answers B0 01: format 1, name, version, flags.
func (d *Device) appAndVersion(state State) []byte {
	name, ver := "Cosmos", d.cfg.Version
	switch state {
	case Dashboard:
		name, ver = "BOLOS", Version{1, 3, 0}
	case OtherApp:
		name, ver = d.cfg.OtherApp.Name, d.cfg.OtherApp.Version
	}
	vs := []byte(versionString(ver))
	out := []byte{1, byte(len(name))}
	out = append(out, name...)
	out = append(out, byte(len(vs)))
	out = append(out, vs...)
	out = append(out, 1, 0) // flags: length 1, none set
	return withSW(out, SWOK)
}

func versionString(v Version) string {
	return itoa(v.Major) + "." + itoa(v.Minor) + "." + itoa(v.Patch)
}

func itoa(b uint8) string {
	if b < 10 {
		return string('0' + b)
	}
	if b < 100 {
		return string([]byte{'0' + b/10, '0' + b%10})
	}
	return string([]byte{'0' + b/100, '0' + (b/10)%10, '0' + b%10})
}

// cosmosApp is the app's APDU dispatcher. Any failure other than
// 0x6986 (a command arriving out of turn) abandons a sign session in
// progress, as the app does.
func (d *Device) cosmosApp(apdu []byte) []byte {
	reply := d.dispatch(apdu)
	code := binary.BigEndian.Uint16(reply[len(reply)-2:])
	if code != SWOK && code != SWCommandNotAllowed {
		d.mu.Lock()
		d.sign = signState{}
		d.mu.Unlock()
	}
	return reply
}

func (d *Device) dispatch(apdu []byte) []byte {
	if len(apdu) < 1 || apdu[0] != CLA {
		return sw(SWCLANotSupported)
	}
	if len(apdu) < 5 {
		return sw(SWWrongLength)
	}
	switch apdu[1] {
	case INSGetVersion:
		return d.getVersion()
	case INSGetAddr:
		return d.getAddr(apdu)
	case INSSign:
		return d.signChunk(apdu)
	}
	return sw(SWINSNotSupported)
}

func (d *Device) getVersion() []byte {
	d.mu.Lock()
	cfg := d.cfg
	d.mu.Unlock()
	mode := byte(0)
	if cfg.TestMode {
		mode = 0xFF
	}
	out := []byte{mode, cfg.Version.Major, cfg.Version.Minor, cfg.Version.Patch, 0, 0, 0, 0, 0}
	binary.BigEndian.PutUint32(out[5:], cfg.Model.targetID())
	return withSW(out, SWOK)
}

// parsePath reads 5 little-endian uint32 at data[off:] and applies the
// app's rules: 44', 118' or 60', fourth element 0, and without expert mode
// elements 3 to 5 at most 100.
func (d *Device) parsePath(apdu []byte, off int, expert bool) ([5]uint32, uint16) {
	var p [5]uint32
	if len(apdu) < off+1 {
		return p, SWDataInvalid
	}
	if len(apdu)-off < 20 {
		return p, SWWrongLength
	}
	for i := range p {
		p[i] = binary.LittleEndian.Uint32(apdu[off+4*i:])
	}
	if p[0] != purpose44 || (p[1] != coinCosmos && p[1] != coinEth) || p[3] != 0 {
		return p, SWInvalidHDPathCoin
	}
	if !expert {
		for _, e := range p[2:] {
			if e&^hardened > nonExpertPathElemMax {
				return p, SWInvalidHDPathValue
			}
		}
	}
	return p, SWOK
}

// parseHRP reads hrp_len hrp at apdu[off:].
func parseHRP(apdu []byte, off int) (string, uint16) {
	if len(apdu) < off+1 {
		return "", SWDataInvalid
	}
	n := int(apdu[off])
	if n == 0 || n > maxHRPLen {
		return "", SWHRPWrongLength
	}
	if len(apdu) < off+1+n {
		return "", SWDataInvalid
	}
	return string(apdu[off+1 : off+1+n]), SWOK
}

type encoding int

const (
	encUnsupported encoding = iota
	encCosmos
	encEth
)

// chainConfig decides how (and whether) the app encodes an address for a
// coin type and HRP.
func (d *Device) chainConfig(coin uint32, hrp string, allowlist bool) encoding {
	if hrp == "" {
		return encUnsupported
	}
	c := coin &^ hardened
	if c == 118 && !allowlist {
		return encCosmos
	}
	for _, h := range HRPAllowlist[c] {
		if h == hrp {
			if c == 60 {
				return encEth
			}
			return encCosmos
		}
	}
	return encUnsupported
}

func (d *Device) address(path [5]uint32, hrp string, enc encoding) (pub []byte, addr string, err error) {
	k, err := d.seed.derive(path)
	if err != nil {
		return nil, "", err
	}
	if enc == encEth {
		addr, err = ethAddress(hrp, k.PubKey())
	} else {
		addr, err = cosmosAddress(hrp, k.PubKey())
	}
	return k.PubKey().SerializeCompressed(), addr, err
}

func (d *Device) getAddr(apdu []byte) []byte {
	d.mu.Lock()
	busy := d.sign.receiving
	cfg := d.cfg
	user := d.user
	d.mu.Unlock()
	if busy {
		return sw(SWCommandNotAllowed)
	}
	hrp, code := parseHRP(apdu, 5)
	if code != SWOK {
		return sw(code)
	}
	path, code := d.parsePath(apdu, 5+1+len(hrp), cfg.Expert)
	if code != SWOK {
		return sw(code)
	}
	enc := d.chainConfig(path[1], hrp, cfg.HRPAllowlist)
	if enc == encUnsupported {
		return sw(SWChainConfigUnsupported)
	}
	pub, addr, err := d.address(path, hrp, enc)
	if err != nil {
		return sw(SWDataInvalid)
	}
	reply := append(append([]byte{}, pub...), addr...)
	if apdu[2] == 0 {
		return withSW(reply, SWOK)
	}
	r := Review{Kind: ReviewAddress, Path: PathString(path), Screens: []Screen{{Key: "Address", Value: addr}}}
	if cfg.Expert {
		r.Screens = append(r.Screens, Screen{Key: "Your Path", Value: PathString(path)})
	}
	if !d.review(user, r) {
		return sw(SWCommandNotAllowed)
	}
	return withSW(reply, SWOK)
}

// review shows r, waits for the user and records the outcome.
func (d *Device) review(user User, r Review) bool {
	dec := user.Decide(r)
	if dec != Approve {
		dec = Reject
	}
	r.Decision = dec
	d.mu.Lock()
	d.reviews = append(d.reviews, r)
	d.mu.Unlock()
	return dec == Approve
}

func (d *Device) signChunk(apdu []byte) []byte {
	d.mu.Lock()
	cfg := d.cfg
	user := d.user
	st := d.sign
	d.mu.Unlock()

	data := apdu[5:]
	switch apdu[2] {
	case P1Init:
		if st.receiving {
			return sw(SWCommandNotAllowed)
		}
		path, code := d.parsePath(apdu, 5, cfg.Expert)
		if code != SWOK {
			return sw(code)
		}
		hrp := ""
		if len(data) > 20 {
			h, code := parseHRP(apdu, 5+20)
			if code != SWOK {
				return sw(code)
			}
			if d.chainConfig(path[1], h, cfg.HRPAllowlist) == encUnsupported {
				return sw(SWChainConfigUnsupported)
			}
			hrp = h
		} else if path[1] == coinEth {
			return sw(SWInvalidHDPathCoin)
		}
		d.mu.Lock()
		d.sign = signState{receiving: true, path: path, hrp: hrp}
		d.mu.Unlock()
		return sw(SWOK)
	case P1Add, P1Last:
		if !st.receiving {
			return sw(SWCommandNotAllowed)
		}
		if len(st.buf)+len(data) > bufferSize {
			return sw(SWBufferFull)
		}
		st.buf = append(st.buf, data...)
		d.mu.Lock()
		d.sign.buf = st.buf
		d.mu.Unlock()
		if apdu[2] == P1Add {
			return sw(SWOK)
		}
	default:
		return sw(SWInvalidP1P2)
	}

	// Last chunk: check, show, sign. The session ends whatever happens.
	d.mu.Lock()
	d.sign = signState{}
	d.mu.Unlock()

	if st.path[1] == coinEth && !cfg.Expert {
		return sw(SWDataInvalid)
	}
	if apdu[3] != P2JSON {
		// This emulates an app built without SIGN_MODE_TEXTUAL support.
		return withSW([]byte(signdoc.ReasonValueOutOfRange), SWDataInvalid)
	}
	doc, err := signdoc.Validate(st.buf, signdoc.Options{MaxTokens: cfg.Model.maxTokens(), Expert: cfg.Expert})
	if err != nil {
		var se *signdoc.Error
		if errors.As(err, &se) {
			return withSW([]byte(se.Reason), SWDataInvalid)
		}
		return sw(SWDataInvalid)
	}
	r := Review{Kind: ReviewTransaction, Path: PathString(st.path)}
	for _, it := range doc.Items {
		r.Screens = append(r.Screens, Screen{Key: it.Key, Value: it.Value})
	}
	if !d.review(user, r) {
		return sw(SWCommandNotAllowed)
	}
	k, err := d.seed.derive(st.path)
	if err != nil {
		return sw(SWDataInvalid)
	}
	return withSW(signDER(k, st.buf), SWOK)
}
