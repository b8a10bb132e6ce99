package ledgeremu

import (
	"encoding/binary"
	"testing"

	"github.com/akash-wallet/akw/keys/signdoc"
)

// fuzzDevice is shared: key derivation from the mnemonic (PBKDF2) is too
// slow to repeat per input, and the device must survive any sequence.
var fuzzSeed *seed

// FuzzExchange feeds sequences of APDUs to a device and checks the
// invariants every host relies on: no panic, every reply ends in a status
// word, a success reply to SIGN's last chunk is a DER signature, and the
// device never signs without a review. The input is a sequence of
// length-prefixed APDUs (one length byte each).
func FuzzExchange(f *testing.F) {
	p := cosmosPath(0, 0)
	seeds := [][][]byte{
		{apdu(INSGetVersion, 0, 0, nil)},
		{{CLAOS, INSGetAppAndVersion, 0, 0, 0}},
		{getAddrAPDU(false, "akash", p)},
		{getAddrAPDU(true, "cosmos", p)},
		{getAddrAPDU(false, "", p)},
		signAPDUs(p, []byte(testDoc), P2JSON, 48),
		signAPDUs(p, []byte(testDoc), P2Textual, 250),
		signAPDUs(p, []byte(`{"a":1}`), P2JSON, 48),
		{apdu(INSSign, P1Add, 0, []byte("x"))},
		{apdu(INSSign, P1Init, 0, pathBytes(p)), apdu(INSSign, P1Init, 0, pathBytes(p))},
		{apdu(INSSign, P1Init, 0, append(pathBytes(p), 5, 'a', 'k', 'a', 's', 'h'))},
		{{CLA}, {CLA, INSSign, 2, 0, 0}},
	}
	for _, s := range seeds {
		var in []byte
		for _, a := range s {
			if len(a) > 255 {
				a = a[:255]
			}
			in = append(in, byte(len(a)))
			in = append(in, a...)
		}
		f.Add(in, false, false)
	}
	f.Fuzz(func(t *testing.T, in []byte, allowlist, expert bool) {
		if fuzzSeed == nil {
			s, err := newSeed(testMnemonic, "")
			if err != nil {
				t.Fatal(err)
			}
			fuzzSeed = s
		}
		d := &Device{cfg: Config{Version: V2_38_12, HRPAllowlist: allowlist, Expert: expert, DashboardSW: SWAppNotOpen}, seed: fuzzSeed, user: ApproveAll}
		for len(in) > 0 {
			n := int(in[0])
			in = in[1:]
			if n > len(in) {
				n = len(in)
			}
			cmd := in[:n]
			in = in[n:]
			before := len(d.Reviews())
			reply, err := d.Exchange(cmd)
			if err != nil {
				t.Fatalf("Exchange(%x): %v", cmd, err)
			}
			if len(reply) < 2 {
				t.Fatalf("Exchange(%x) = %x: no status word", cmd, reply)
			}
			code := binary.BigEndian.Uint16(reply[len(reply)-2:])
			if len(cmd) >= 5 && cmd[0] == CLA && cmd[1] == INSSign && cmd[2] == P1Last && code == SWOK {
				if len(d.Reviews()) != before+1 {
					t.Fatalf("signed without a review")
				}
				if reply[0] != 0x30 {
					t.Fatalf("signature is not DER: %x", reply)
				}
			}
			if code == SWDataInvalid && len(reply) > 2 {
				for _, c := range reply[:len(reply)-2] {
					if c < 0x20 || c > 0x7e {
						t.Fatalf("reason is not ASCII: %q", reply)
					}
				}
			}
		}
	})
}

// FuzzValidate checks that the sign-document checker never panics and that
// what it accepts is also accepted after a round trip through the display.
func FuzzValidate(f *testing.F) {
	f.Add([]byte(testDoc))
	f.Add([]byte(`{"a":[1,2,{"b":null}]}`))
	f.Add([]byte(`{"account_number":"1","chain_id":"0","fee":{},"memo":"","msgs":[],"sequence":"1"}`))
	f.Add([]byte(`{"a":"\u00e9\n"}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		d, err := signdoc.Validate(doc, signdoc.Options{})
		if err == nil && d == nil {
			t.Fatal("nil doc without error")
		}
		_ = signdoc.CheckCanonical(doc)
	})
}
