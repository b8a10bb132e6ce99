package keys_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	ledger_go "github.com/zondax/ledger-go"

	"github.com/akash-wallet/akw/internal/ledgeremu"
	"github.com/akash-wallet/akw/keys"
)

// hostileDevice sits between akw and an emulated Cosmos app and, driven
// by a script, lets a reply through, replaces it, corrupts it, or fails
// the transfer. Replies are turned into (data, error) exactly as
// ledger-go's HID transport does: the last two bytes are the status word,
// anything but 0x9000 is an error carrying ledger_go.ErrorMessage.
type hostileDevice struct {
	real   ledger_go.LedgerDevice
	dev    *ledgeremu.Device
	script []byte
}

const (
	passThrough   = iota // the emulator's reply
	replace              // the script's bytes, status word included
	corrupt              // the emulator's reply XORed with the script's bytes
	transferError        // the USB transfer fails
	modes
)

func (h *hostileDevice) next() (mode byte, data []byte) {
	if len(h.script) < 2 {
		return passThrough, nil
	}
	mode, n := h.script[0]%modes, int(h.script[1])
	h.script = h.script[2:]
	n = min(n, len(h.script))
	data, h.script = h.script[:n], h.script[n:]
	return mode, data
}

func (h *hostileDevice) Exchange(cmd []byte) ([]byte, error) {
	mode, data := h.next()
	var raw []byte
	switch mode {
	case transferError:
		return nil, errors.New("hidapi: read error")
	case replace:
		raw = data
	default:
		// The emulator's raw reply (data and status word), as it would
		// arrive over USB.
		if len(cmd) < 5 {
			return nil, errors.New("APDU commands should not be smaller than 5")
		}
		r, err := h.dev.Exchange(cmd)
		if err != nil {
			return nil, err
		}
		raw = append([]byte(nil), r...)
		if mode == corrupt {
			for i := range raw {
				if i < len(data) {
					raw[i] ^= data[i]
				}
			}
		}
	}
	if len(raw) < 2 {
		return nil, errors.New("len(response) < 2")
	}
	sw := binary.BigEndian.Uint16(raw[len(raw)-2:])
	if sw != 0x9000 {
		return raw[:len(raw)-2], errors.New(ledger_go.ErrorMessage(sw))
	}
	return raw[:len(raw)-2], nil
}

func (h *hostileDevice) Close() error { return nil }

const fuzzSignDoc = `{"account_number":"7","chain_id":"akash-devnet-1","fee":{"amount":[{"amount":"5000","denom":"uakt"}],"gas":"200000"},"memo":"","msgs":[{"type":"cosmos-sdk/MsgSend","value":{"amount":[{"amount":"1000000","denom":"uakt"}],"from_address":"akash1from","to_address":"akash1to"}}],"sequence":"3"}`

// FuzzLedgerReplies drives akw's Ledger code (status, add a key with the
// address shown on the device, sign) through a device whose replies the
// fuzzer controls. Whatever the device says: no panic; every failure is a
// typed *LedgerError (or *ConflictError) whose message and hint carry no
// control characters (device bytes reach the terminal); a key is kept
// only if the address the device displayed is its key's; a signature is
// returned only if it verifies against the stored key.
func FuzzLedgerReplies(f *testing.F) {
	rec := func(mode byte, data ...byte) []byte { return append([]byte{mode, byte(len(data))}, data...) }
	cat := func(parts ...[]byte) []byte {
		var out []byte
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	pass := rec(passThrough)
	passes := func(n int) []byte { return bytes.Repeat(pass, n) }
	flip := func(at int) []byte { d := make([]byte, at+1); d[at] = 1; return d }
	// The honest conversation: 1-3 status (app and version, GET_VERSION
	// twice), 4-6 the silent key read, 7-9 the address shown, 10-15 two
	// key reads by the SDK keyring before signing, 16-23 SIGN in chunks.
	for _, s := range [][]byte{
		nil,                      // everything passes: the honest device
		rec(replace, 0x69, 0x82), // locked
		rec(replace, 0x6E, 0x01), // app not open
		rec(replace, 1, 5, 'B', 'O', 'L', 'O', 'S', 5, '1', '.', '0', '.', '0', 0x90, 0x00),
		rec(replace, 1, 4, 'E', 'v', 0x1b, '[', 1, '1', 0x90, 0x00),    // foreign app, escape in its name
		cat(pass, rec(replace, 0, 1, 0, 0, 0x90, 0x00)),                // version 1.0.0: too old
		cat(passes(5), rec(replace, 0x02, 0x90, 0x00)),                 // short public key
		cat(passes(5), rec(corrupt, flip(5)...)),                       // another key read silently
		cat(passes(8), rec(corrupt, flip(40)...)),                      // displayed address differs
		cat(passes(8), rec(replace, 0x69, 0x86)),                       // address rejected by the user
		cat(passes(15), rec(replace, 'b', 'a', 'd', 0x1b, 0x69, 0x84)), // data invalid with a reason
		cat(passes(22), rec(corrupt, flip(12)...)),                     // signature corrupted
		cat(passes(22), rec(replace, 0x30, 0x02, 0x90, 0x00)),          // truncated DER
		cat(passes(3), rec(transferError)),
	} {
		f.Add(s)
	}
	emu, err := ledgeremu.New(ledgeremu.Config{Mnemonic: ledgerMnemonicA, Version: ledgeremu.V2_38_12})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { keys.SetLedgerConnector(nil) })
	f.Fuzz(func(t *testing.T, script []byte) {
		h := &hostileDevice{dev: emu, script: script}
		keys.SetLedgerConnector(func() (ledger_go.LedgerDevice, error) { return h, nil })
		check := func(op string, err error) {
			t.Helper()
			var le *keys.LedgerError
			var ce *keys.ConflictError
			switch {
			case errors.As(err, &le):
				if !keys.IsLedgerError(err) {
					t.Fatalf("%s: IsLedgerError false for %v", op, err)
				}
				for _, s := range []string{le.Error(), le.Hint()} {
					for _, c := range s {
						if c < 0x20 || c == 0x7f {
							t.Fatalf("%s: control character in %q", op, s)
						}
					}
				}
			case errors.As(err, &ce):
			default:
				t.Fatalf("%s: untyped error %T: %v", op, err, err)
			}
		}
		if _, err := keys.LedgerStatus(); err != nil {
			check("status", err)
		}
		kr := keyring.NewInMemory(ledgerCodec())
		lk, err := keys.AddLedgerKey(kr, "hw", keys.LedgerKeyOptions{HRP: "akash"})
		if err != nil {
			check("add", err)
			if _, kerr := kr.Key("hw"); kerr == nil {
				t.Fatalf("add failed (%v) but the key was kept", err)
			}
			return
		}
		want, err := keys.LedgerAddress(lk.Shown.HRP, lk.PubKey)
		if err != nil || want != lk.Shown.Address {
			t.Fatalf("kept a key whose displayed address %q is not its own %q", lk.Shown.Address, want)
		}
		sig, pub, err := keys.SignLedgerAminoJSON(kr, "hw", []byte(fuzzSignDoc))
		if err != nil {
			check("sign", err)
			return
		}
		if !pub.Equals(lk.PubKey) || !pub.VerifySignature([]byte(fuzzSignDoc), sig) {
			t.Fatalf("returned a signature that does not verify against the stored key")
		}
	})
}
