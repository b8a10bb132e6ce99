package main

import (
	"encoding/json"
	"strings"
	"sync/atomic"
	"testing"

	ledger_go "github.com/zondax/ledger-go"

	"github.com/akash-wallet/akw/internal/ledgeremu"
	"github.com/akash-wallet/akw/keys"
)

// faultUnplugger sits between the real ledger-cosmos-go client and the
// emulated device and pulls the cable just before the SIGN APDU number
// unplugAt (1 is the first chunk, the BIP32 path; 2 the first chunk of the
// sign document): a Ledger unplugged between chunks, mid-signing.
type faultUnplugger struct {
	dev      *ledgeremu.Device
	unplugAt atomic.Int32 // 0: never
	signs    atomic.Int32
}

func (f *faultUnplugger) connect() (ledger_go.LedgerDevice, error) {
	d, err := f.dev.Connect()
	if err != nil {
		return nil, err
	}
	return &faultUnplugTransport{LedgerDevice: d, f: f}, nil
}

type faultUnplugTransport struct {
	ledger_go.LedgerDevice
	f *faultUnplugger
}

func (t *faultUnplugTransport) Exchange(apdu []byte) ([]byte, error) {
	if len(apdu) >= 2 && apdu[0] == ledgeremu.CLA && apdu[1] == ledgeremu.INSSign {
		if n := t.f.signs.Add(1); n == t.f.unplugAt.Load() {
			t.f.dev.SetState(ledgeremu.Unplugged)
		}
	}
	return t.LedgerDevice.Exchange(apdu)
}

// Fault 7: the Ledger is unplugged between two chunks of the sign
// document. akw stops with exit 6 and a hint to connect the device;
// nothing is broadcast (the node saw no broadcast_tx_sync, the sequence
// did not move). Plugged in again, the same command signs and sends.
// In-process: the emulator cannot be handed to a subprocess.
func faultLedgerUnplugged(t *testing.T, e *faultEnv, bob string) {
	p0 := faultProxy(t, e.rpc[0])
	base := e.home(t, "--node", p0.URL(), "--witness", e.rpc[1], "--witness", e.rpc[2])
	dev, err := ledgeremu.New(ledgeremu.Config{Mnemonic: deviceMnemonic, Version: ledgeremu.V2_38_12, HRPAllowlist: true})
	if err != nil {
		t.Fatal(err)
	}
	u := &faultUnplugger{dev: dev}
	keys.SetLedgerConnector(u.connect)
	t.Cleanup(func() { keys.SetLedgerConnector(nil) })

	code, out, errOut := akwRun(t, with(base, "keys", "add", "hw", "--ledger", "-y", "-o", "json")...)
	if code != 0 {
		t.Fatalf("keys add --ledger: exit %d: %s %s", code, out, errOut)
	}
	var added struct {
		Key struct {
			Address string `json:"address"`
		} `json:"key"`
	}
	if err := json.Unmarshal([]byte(out), &added); err != nil || added.Key.Address == "" {
		t.Fatalf("%v: %s", err, out)
	}
	hw := added.Key.Address
	e.must(t, with(e.check, "tx", "send", "alice", hw, "5akt", "-y")...)

	seq := e.sequence(t, hw)
	p0.ResetCounts()
	u.signs.Store(0)
	u.unplugAt.Store(2)
	code, out, errOut = akwRun(t, with(base, "tx", "send", "hw", bob, "1akt", "-y", "-o", "json")...)
	if code != 6 || out != "" {
		t.Fatalf("Ledger unplugged mid-signing: exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
	jc, msg, hint := faultJSONError(t, errOut)
	if jc != 6 || !strings.Contains(strings.ToLower(msg+" "+hint), "ledger") || !strings.Contains(strings.ToLower(hint), "connect") {
		t.Fatalf("JSON error %d %q %q", jc, msg, hint)
	}
	if u.signs.Load() < 2 {
		t.Fatalf("only %d SIGN APDUs: the unplug did not happen mid-signing", u.signs.Load())
	}
	if got := p0.Count("broadcast_tx_sync"); got != 0 {
		t.Fatalf("%d broadcasts after the Ledger was unplugged", got)
	}
	if got := e.sequence(t, hw); got != seq {
		t.Fatalf("sequence %d -> %d", seq, got)
	}
	t.Logf("unplugged at SIGN chunk 2: exit 6: %s (hint: %s)", msg, hint)

	// Plugged in again: the same command works.
	u.unplugAt.Store(0)
	dev.SetState(ledgeremu.Ready)
	code, out, errOut = akwRun(t, with(base, "tx", "send", "hw", bob, "1akt", "-y", "-o", "json")...)
	var r faultTxJSON
	if code != 0 || json.Unmarshal([]byte(out), &r) != nil || !r.Verified || r.Code != 0 {
		t.Fatalf("after re-plugging: exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
	if got := p0.Count("broadcast_tx_sync"); got != 1 {
		t.Fatalf("%d broadcasts", got)
	}
	if got := e.sequence(t, hw); got != seq+1 {
		t.Fatalf("sequence %d -> %d", seq, got)
	}
}
