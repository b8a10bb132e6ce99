package ledgeremu

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"strings"
	"testing"
	"time"

	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	"github.com/cosmos/cosmos-sdk/types/bech32"
	secp "github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"

	"github.com/akash-wallet/akw/internal/testctx"
	"github.com/akash-wallet/akw/keys/signdoc"
)

// The BIP39 test vector mnemonic: public, holds nothing.
const testMnemonic = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art"

const testDoc = `{"account_number":"7","chain_id":"akash-devnet-1","fee":{"amount":[{"amount":"5000","denom":"uakt"}],"gas":"200000"},"memo":"","msgs":[{"type":"cosmos-sdk/MsgSend","value":{"amount":[{"amount":"1000000","denom":"uakt"}],"from_address":"akash1from","to_address":"akash1to"}}],"sequence":"3"}`

func newDevice(t testing.TB, cfg Config) *Device {
	t.Helper()
	if cfg.Mnemonic == "" {
		cfg.Mnemonic = testMnemonic
	}
	d, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func pathBytes(p [5]uint32) []byte {
	b := make([]byte, 20)
	for i, e := range p {
		binary.LittleEndian.PutUint32(b[4*i:], e)
	}
	return b
}

func cosmosPath(account, index uint32) [5]uint32 {
	return [5]uint32{hardened | 44, hardened | 118, hardened | account, 0, index}
}

func apdu(ins, p1, p2 byte, data []byte) []byte {
	return append([]byte{CLA, ins, p1, p2, byte(len(data))}, data...)
}

func getAddrAPDU(show bool, hrp string, p [5]uint32) []byte {
	p1 := byte(0)
	if show {
		p1 = 1
	}
	data := append([]byte{byte(len(hrp))}, hrp...)
	return apdu(INSGetAddr, p1, 0, append(data, pathBytes(p)...))
}

func split(reply []byte) ([]byte, uint16) {
	n := len(reply)
	return reply[:n-2], binary.BigEndian.Uint16(reply[n-2:])
}

func exchange(t testing.TB, d *Device, cmd []byte) ([]byte, uint16) {
	t.Helper()
	r, err := d.Exchange(cmd)
	if err != nil {
		t.Fatalf("Exchange: %v", err)
	}
	if len(r) < 2 {
		t.Fatalf("reply too short: %x", r)
	}
	return split(r)
}

// signAPDUs cuts msg into the chunks ledger-cosmos-go v1.0.0 sends.
func signAPDUs(p [5]uint32, msg []byte, p2 byte, chunk int) [][]byte {
	out := [][]byte{apdu(INSSign, P1Init, p2, pathBytes(p))}
	for off := 0; off < len(msg); off += chunk {
		end := min(off+chunk, len(msg))
		p1 := byte(P1Add)
		if end == len(msg) {
			p1 = P1Last
		}
		out = append(out, apdu(INSSign, p1, p2, msg[off:end]))
	}
	return out
}

func sign(t testing.TB, d *Device, p [5]uint32, msg []byte, p2 byte, chunk int) ([]byte, uint16) {
	t.Helper()
	var data []byte
	var code uint16
	for i, c := range signAPDUs(p, msg, p2, chunk) {
		data, code = exchange(t, d, c)
		if code != SWOK {
			return data, code
		}
		_ = i
	}
	return data, code
}

// sdkAddress derives the address with the SDK's software-key code.
func sdkAddress(t *testing.T, hrp string, account, index uint32) (string, []byte) {
	t.Helper()
	priv, err := hd.Secp256k1.Derive()(testMnemonic, "", hd.NewFundraiserParams(account, 118, index).String())
	if err != nil {
		t.Fatal(err)
	}
	pub := (&secp256k1.PrivKey{Key: priv}).PubKey()
	addr, err := bech32.ConvertAndEncode(hrp, pub.Address())
	if err != nil {
		t.Fatal(err)
	}
	return addr, pub.Bytes()
}

func TestGetVersion(t *testing.T) {
	d := newDevice(t, Config{Version: V2_38_12, TestMode: true, Model: Stax})
	data, code := exchange(t, d, apdu(INSGetVersion, 0, 0, nil))
	if code != SWOK {
		t.Fatalf("status %04x", code)
	}
	want := []byte{0xFF, 2, 38, 12, 0, 0x33, 0x20, 0x00, 0x04}
	if !bytes.Equal(data, want) {
		t.Errorf("GET_VERSION = %x, want %x", data, want)
	}
}

func TestGetAddrMatchesSDKDerivation(t *testing.T) {
	d := newDevice(t, Config{})
	for _, tc := range []struct{ account, index uint32 }{{0, 0}, {0, 1}, {3, 7}, {100, 100}} {
		wantAddr, wantPub := sdkAddress(t, "akash", tc.account, tc.index)
		data, code := exchange(t, d, getAddrAPDU(false, "akash", cosmosPath(tc.account, tc.index)))
		if code != SWOK {
			t.Fatalf("status %04x", code)
		}
		if !bytes.Equal(data[:33], wantPub) || string(data[33:]) != wantAddr {
			t.Errorf("%d/%d: got %x %s, want %x %s", tc.account, tc.index, data[:33], data[33:], wantPub, wantAddr)
		}
	}
	if len(d.Reviews()) != 0 {
		t.Error("silent GET_ADDR put something on screen")
	}
}

func TestGetAddrShownApprovedAndRejected(t *testing.T) {
	d := newDevice(t, Config{})
	want, _ := sdkAddress(t, "akash", 0, 0)
	data, code := exchange(t, d, getAddrAPDU(true, "akash", cosmosPath(0, 0)))
	if code != SWOK || string(data[33:]) != want {
		t.Fatalf("status %04x addr %s", code, data[33:])
	}
	r, ok := d.LastReview()
	if !ok || r.Kind != ReviewAddress || r.Decision != Approve {
		t.Fatalf("review = %+v", r)
	}
	if v, _ := r.Value("Address"); v != want {
		t.Errorf("screen shows %q, want %q", v, want)
	}
	d.SetUser(RejectAll)
	if _, code := exchange(t, d, getAddrAPDU(true, "akash", cosmosPath(0, 0))); code != SWCommandNotAllowed {
		t.Errorf("rejected: status %04x, want 6986", code)
	}
	if r, _ := d.LastReview(); r.Decision != Reject {
		t.Errorf("decision recorded %v", r.Decision)
	}
}

func TestGetAddrInteractiveUserWaits(t *testing.T) {
	u := NewInteractive()
	d := newDevice(t, Config{User: u})
	done := make(chan uint16)
	go func() {
		r, _ := d.Exchange(getAddrAPDU(true, "cosmos", cosmosPath(0, 0)))
		_, code := split(r)
		done <- code
	}()
	var p *Prompt
	select {
	case p = <-u.Prompts:
	case <-testctx.New(t).Done():
		t.Fatal("no prompt")
	}
	select {
	case <-done:
		t.Fatal("device answered before the user decided")
	case <-time.After(50 * time.Millisecond):
	}
	if !strings.HasPrefix(p.Review.Screens[0].Value, "cosmos1") {
		t.Errorf("prompt shows %+v", p.Review.Screens)
	}
	p.Approve()
	if code := <-done; code != SWOK {
		t.Errorf("status %04x", code)
	}
}

func TestPathRules(t *testing.T) {
	cases := []struct {
		name   string
		path   [5]uint32
		expert bool
		want   uint16
	}{
		{"ok", cosmosPath(0, 0), false, SWOK},
		{"purpose", [5]uint32{hardened | 45, hardened | 118, hardened, 0, 0}, false, SWInvalidHDPathCoin},
		{"coin 119", [5]uint32{hardened | 44, hardened | 119, hardened, 0, 0}, false, SWInvalidHDPathCoin},
		{"unhardened coin", [5]uint32{hardened | 44, 118, hardened, 0, 0}, false, SWInvalidHDPathCoin},
		{"change 1", [5]uint32{hardened | 44, hardened | 118, hardened, 1, 0}, false, SWInvalidHDPathCoin},
		{"index 101", cosmosPath(0, 101), false, SWInvalidHDPathValue},
		{"account 101", cosmosPath(101, 0), false, SWInvalidHDPathValue},
		{"index 101 expert", cosmosPath(0, 101), true, SWOK},
		{"account 2^31-1 expert", cosmosPath(1<<31-1, 5), true, SWOK},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := newDevice(t, Config{Expert: tc.expert})
			if _, code := exchange(t, d, getAddrAPDU(false, "cosmos", tc.path)); code != tc.want {
				t.Errorf("GET_ADDR status %04x, want %04x", code, tc.want)
			}
			if _, code := exchange(t, d, apdu(INSSign, P1Init, 0, pathBytes(tc.path))); code != tc.want {
				t.Errorf("SIGN init status %04x, want %04x", code, tc.want)
			}
		})
	}
}

func TestHRPRules(t *testing.T) {
	old := newDevice(t, Config{Version: V2_34})
	allow := newDevice(t, Config{Version: V2_38_12, HRPAllowlist: true})
	p := cosmosPath(0, 0)
	if _, code := exchange(t, old, getAddrAPDU(false, "akash", p)); code != SWOK {
		t.Errorf("old app refused akash: %04x", code)
	}
	if _, code := exchange(t, allow, getAddrAPDU(false, "akash", p)); code != SWChainConfigUnsupported {
		t.Errorf("allowlist app: akash status %04x, want 698C", code)
	}
	for _, hrp := range HRPAllowlist[118] {
		if _, code := exchange(t, allow, getAddrAPDU(false, hrp, p)); code != SWOK {
			t.Errorf("allowlist app refused %s: %04x", hrp, code)
		}
	}
	if _, code := exchange(t, old, getAddrAPDU(false, "", p)); code != SWHRPWrongLength {
		t.Errorf("empty hrp: %04x", code)
	}
	if _, code := exchange(t, old, getAddrAPDU(false, strings.Repeat("a", 84), p)); code != SWHRPWrongLength {
		t.Errorf("84-byte hrp: %04x", code)
	}
	// Coin type 60 needs a listed EVM prefix on every app version.
	eth := [5]uint32{hardened | 44, hardened | 60, hardened, 0, 0}
	if _, code := exchange(t, old, getAddrAPDU(false, "akash", eth)); code != SWChainConfigUnsupported {
		t.Errorf("coin 60 akash: %04x", code)
	}
	data, code := exchange(t, old, getAddrAPDU(false, "inj", eth))
	if code != SWOK || !strings.HasPrefix(string(data[33:]), "inj1") {
		t.Errorf("coin 60 inj: %04x %s", code, data)
	}
	// SIGN init with an HRP goes through the same allowlist.
	init := apdu(INSSign, P1Init, 0, append(pathBytes(p), append([]byte{5}, "akash"...)...))
	if _, code := exchange(t, allow, init); code != SWChainConfigUnsupported {
		t.Errorf("SIGN init with akash on allowlist app: %04x", code)
	}
}

func verifyDER(t *testing.T, pub []byte, msg, der []byte) *ecdsa.Signature {
	t.Helper()
	sig, err := ecdsa.ParseDERSignature(der)
	if err != nil {
		t.Fatalf("DER: %v", err)
	}
	pk, err := secp.ParsePubKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(msg)
	if !sig.Verify(h[:], pk) {
		t.Fatal("signature does not verify")
	}
	return sig
}

func TestSignApproved(t *testing.T) {
	d := newDevice(t, Config{})
	p := cosmosPath(0, 0)
	pub, _ := d.PublicKey(p)
	der, code := sign(t, d, p, []byte(testDoc), P2JSON, 48)
	if code != SWOK {
		t.Fatalf("status %04x %s", code, der)
	}
	verifyDER(t, pub, []byte(testDoc), der)
	r, _ := d.LastReview()
	if r.Kind != ReviewTransaction || r.Decision != Approve {
		t.Fatalf("review %+v", r)
	}
	for k, want := range map[string]string{"Chain ID": "akash-devnet-1", "Account": "7", "Sequence": "3", "Type": "Send", "To": "akash1to"} {
		if v, _ := r.Value(k); v != want {
			t.Errorf("screen %s = %q, want %q", k, v, want)
		}
	}
}

func TestSignatureSIsNotNormalised(t *testing.T) {
	d := newDevice(t, Config{})
	p := cosmosPath(0, 0)
	pub, _ := d.PublicKey(p)
	high := 0
	const n = 24
	for i := 0; i < n; i++ {
		doc := strings.Replace(testDoc, `"memo":""`, `"memo":"m`+string(rune('a'+i))+`"`, 1)
		der, code := sign(t, d, p, []byte(doc), P2JSON, 48)
		if code != SWOK {
			t.Fatalf("status %04x", code)
		}
		verifyDER(t, pub, []byte(doc), der)
		s := derS(t, der)
		var sc secp.ModNScalar
		sc.SetByteSlice(s)
		if sc.IsOverHalfOrder() {
			high++
		}
	}
	// RFC 6979 is deterministic, so this count is fixed for the test key;
	// a device that normalised would give 0.
	if high == 0 || high == n {
		t.Errorf("%d of %d signatures have high S; a real device gives a mix", high, n)
	}
}

// derS extracts the S integer from a DER signature.
func derS(t *testing.T, der []byte) []byte {
	t.Helper()
	if len(der) < 8 || der[0] != 0x30 || der[2] != 0x02 {
		t.Fatalf("not DER: %x", der)
	}
	rl := int(der[3])
	off := 4 + rl
	if der[off] != 0x02 {
		t.Fatalf("not DER: %x", der)
	}
	sl := int(der[off+1])
	return bytes.TrimLeft(der[off+2:off+2+sl], "\x00") // DER pads a high bit with 0x00
}

func TestSignRejected(t *testing.T) {
	d := newDevice(t, Config{User: RejectAll})
	if _, code := sign(t, d, cosmosPath(0, 0), []byte(testDoc), P2JSON, 48); code != SWCommandNotAllowed {
		t.Errorf("status %04x, want 6986", code)
	}
	if r, _ := d.LastReview(); r.Decision != Reject {
		t.Errorf("decision %v", r.Decision)
	}
}

func TestSignChunkSizes(t *testing.T) {
	memo := strings.Repeat("long memo ", 300) // 3000 bytes
	doc := []byte(strings.Replace(testDoc, `"memo":""`, `"memo":"`+memo+`"`, 1))
	for _, chunk := range []int{1, 48, 250, 255} {
		d := newDevice(t, Config{})
		p := cosmosPath(0, 0)
		pub, _ := d.PublicKey(p)
		der, code := sign(t, d, p, doc, P2JSON, chunk)
		if code != SWOK {
			t.Fatalf("chunk %d: status %04x %s", chunk, code, der)
		}
		verifyDER(t, pub, doc, der)
		if r, _ := d.LastReview(); !strings.Contains(func() string { v, _ := r.Value("Memo"); return v }(), "long memo") {
			t.Errorf("memo not shown")
		}
	}
}

func TestSignOutOfOrder(t *testing.T) {
	d := newDevice(t, Config{})
	p := cosmosPath(0, 0)
	// ADD and LAST before INIT.
	if _, code := exchange(t, d, apdu(INSSign, P1Add, 0, []byte("{"))); code != SWCommandNotAllowed {
		t.Errorf("ADD first: %04x", code)
	}
	if _, code := exchange(t, d, apdu(INSSign, P1Last, 0, []byte("{"))); code != SWCommandNotAllowed {
		t.Errorf("LAST first: %04x", code)
	}
	// INIT twice: the second is refused and the session survives.
	if _, code := exchange(t, d, apdu(INSSign, P1Init, 0, pathBytes(p))); code != SWOK {
		t.Fatalf("INIT: %04x", code)
	}
	if _, code := exchange(t, d, apdu(INSSign, P1Init, 0, pathBytes(p))); code != SWCommandNotAllowed {
		t.Errorf("second INIT: %04x", code)
	}
	// GET_ADDR in the middle of a session is refused too.
	if _, code := exchange(t, d, getAddrAPDU(false, "cosmos", p)); code != SWCommandNotAllowed {
		t.Errorf("GET_ADDR during SIGN: %04x", code)
	}
	if _, code := exchange(t, d, apdu(INSSign, P1Last, 0, []byte(testDoc))); code != SWOK {
		t.Errorf("LAST after refused INIT: %04x", code)
	}
	// Unknown P1 ends the session.
	if _, code := exchange(t, d, apdu(INSSign, 7, 0, nil)); code != SWInvalidP1P2 {
		t.Errorf("P1=7: %04x", code)
	}
}

func TestSignBufferOverflow(t *testing.T) {
	d := newDevice(t, Config{})
	p := cosmosPath(0, 0)
	if _, code := exchange(t, d, apdu(INSSign, P1Init, 0, pathBytes(p))); code != SWOK {
		t.Fatal(code)
	}
	chunk := bytes.Repeat([]byte("a"), 250)
	sent := 0
	var code uint16
	for sent+len(chunk) <= signdoc.MaxBufferSize {
		_, code = exchange(t, d, apdu(INSSign, P1Add, 0, chunk))
		if code != SWOK {
			t.Fatalf("after %d bytes: %04x", sent, code)
		}
		sent += len(chunk)
	}
	if _, code = exchange(t, d, apdu(INSSign, P1Last, 0, chunk)); code != SWBufferFull {
		t.Errorf("past 16384 bytes: %04x, want 6988", code)
	}
	// The session is gone.
	if _, code = exchange(t, d, apdu(INSSign, P1Add, 0, chunk)); code != SWCommandNotAllowed {
		t.Errorf("after overflow: %04x", code)
	}
}

func TestSignTextualRefused(t *testing.T) {
	d := newDevice(t, Config{})
	data, code := sign(t, d, cosmosPath(0, 0), []byte{0xa1, 0x01, 0x80}, P2Textual, 48)
	if code != SWDataInvalid || string(data) != signdoc.ReasonValueOutOfRange {
		t.Errorf("textual: %04x %q", code, data)
	}
}

func TestSignDataInvalidReasons(t *testing.T) {
	d := newDevice(t, Config{})
	p := cosmosPath(0, 0)
	cases := map[string]string{
		strings.Replace(testDoc, `{"account_number":"7","chain_id":"akash-devnet-1"`, `{"chain_id":"akash-devnet-1","account_number":"7"`, 1): signdoc.ReasonNotSorted,
		strings.Replace(testDoc, `"memo":""`, `"memo": ""`, 1):                                                                                signdoc.ReasonWhitespace,
		strings.Replace(testDoc, `"akash-devnet-1"`, `"1"`, 1):                                                                                signdoc.ReasonUnexpectedChain,
		strings.Replace(testDoc, `"memo":"",`, ``, 1):                                                                                         signdoc.ReasonMissingMemo,
	}
	for doc, want := range cases {
		data, code := sign(t, d, p, []byte(doc), P2JSON, 48)
		if code != SWDataInvalid || string(data) != want {
			t.Errorf("got %04x %q, want 6984 %q", code, data, want)
		}
	}
	if n := len(d.Reviews()); n != 0 {
		t.Errorf("%d reviews shown for invalid documents", n)
	}
}

func TestTokenLimitByModel(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"account_number":"7","chain_id":"c-1","fee":{"amount":[],"gas":"1"},"memo":"","msgs":[`)
	for i := 0; i < 130; i++ { // 17 + 5*130 = 667 tokens
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"type":"t","value":"v"}`)
	}
	b.WriteString(`],"sequence":"1"}`)
	doc := []byte(b.String())
	if _, code := sign(t, newDevice(t, Config{Model: NanoX}), cosmosPath(0, 0), doc, P2JSON, 250); code != SWOK {
		t.Errorf("Nano X refused 667 tokens: %04x", code)
	}
	data, code := sign(t, newDevice(t, Config{Model: Flex}), cosmosPath(0, 0), doc, P2JSON, 250)
	if code != SWDataInvalid || string(data) != signdoc.ReasonTooManyTokens {
		t.Errorf("Flex: %04x %q", code, data)
	}
}

func TestStates(t *testing.T) {
	d := newDevice(t, Config{State: Locked})
	for _, cmd := range [][]byte{apdu(INSGetVersion, 0, 0, nil), {CLAOS, INSGetAppAndVersion, 0, 0, 0}, getAddrAPDU(false, "cosmos", cosmosPath(0, 0))} {
		if _, code := exchange(t, d, cmd); code != SWLocked {
			t.Errorf("locked: %x -> %04x", cmd, code)
		}
	}
	d.SetState(Dashboard)
	if _, code := exchange(t, d, apdu(INSGetVersion, 0, 0, nil)); code != SWAppNotOpen {
		t.Errorf("dashboard GET_VERSION: %04x", code)
	}
	data, code := exchange(t, d, []byte{CLAOS, INSGetAppAndVersion, 0, 0, 0})
	if code != SWOK || !bytes.Contains(data, []byte("BOLOS")) {
		t.Errorf("dashboard B0 01: %04x %q", code, data)
	}
	d.SetState(OtherApp)
	if _, code := exchange(t, d, apdu(INSGetVersion, 0, 0, nil)); code != SWCLANotSupported {
		t.Errorf("other app GET_VERSION: %04x", code)
	}
	data, _ = exchange(t, d, []byte{CLAOS, INSGetAppAndVersion, 0, 0, 0})
	if !bytes.Contains(data, []byte("Ethereum")) {
		t.Errorf("other app B0 01: %q", data)
	}
	d.SetState(Ready)
	data, _ = exchange(t, d, []byte{CLAOS, INSGetAppAndVersion, 0, 0, 0})
	if !bytes.Equal(data, append(append([]byte{1, 6}, "Cosmos"...), append([]byte{7}, append([]byte("2.34.12"), 1, 0)...)...)) {
		t.Errorf("cosmos B0 01: %q", data)
	}
	if _, code := exchange(t, d, []byte{0xE0, 0, 0, 0, 0}); code != SWCLANotSupported {
		t.Errorf("foreign CLA: %04x", code)
	}
	if _, code := exchange(t, d, apdu(0x99, 0, 0, nil)); code != SWINSNotSupported {
		t.Errorf("unknown INS: %04x", code)
	}
	if _, code := exchange(t, d, []byte{CLA, 0}); code != SWWrongLength {
		t.Errorf("short APDU: %04x", code)
	}
	d.SetState(Unplugged)
	if _, err := d.Exchange(apdu(INSGetVersion, 0, 0, nil)); err == nil {
		t.Error("unplugged device answered")
	}
	if _, err := d.Connect(); err == nil || !strings.Contains(err.Error(), "not found") {
		t.Errorf("Connect unplugged: %v", err)
	}
}

func TestTransportFraming(t *testing.T) {
	d := newDevice(t, Config{})
	tr, err := d.Connect()
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	// A reply longer than one 64-byte HID report.
	resp, err := tr.Exchange(getAddrAPDU(false, "akash", cosmosPath(0, 0)))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := sdkAddress(t, "akash", 0, 0)
	if string(resp[33:]) != want {
		t.Errorf("address through transport %q, want %q", resp[33:], want)
	}
	// A status word becomes ledger-go's error text, data kept.
	d.SetUser(RejectAll)
	_, err = tr.Exchange(getAddrAPDU(true, "akash", cosmosPath(0, 0)))
	if err == nil || !strings.Contains(err.Error(), "COMMAND_NOT_ALLOWED") {
		t.Errorf("rejection through transport: %v", err)
	}
	if _, err := tr.Exchange([]byte{CLA, 0, 0, 0, 3}); err == nil || !strings.Contains(err.Error(), "mismatch") {
		t.Errorf("Lc mismatch: %v", err)
	}
}
