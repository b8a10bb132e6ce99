package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/akash-wallet/akw/internal/ledgeremu"
	"github.com/akash-wallet/akw/keys"
)

// The Ledger commands in-process (run is main without os.Exit), with the
// Cosmos app emulator under the real ledger-cosmos-go client: a testscript
// subprocess cannot be handed an emulated device.

const deviceMnemonic = "release gold manual save note repeat hen educate flight license penalty purpose reason animal iron lady spatial pizza window comic sun onion local impulse"

// runAkw runs akw in-process and returns exit code, stdout, stderr.
func runAkw(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &IOStreams{In: strings.NewReader(""), Out: &out, Err: &errb})
	return code, out.String(), errb.String()
}

func withDevice(t *testing.T, cfg ledgeremu.Config) *ledgeremu.Device {
	t.Helper()
	cfg.Mnemonic = deviceMnemonic
	dev, err := ledgeremu.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	keys.SetLedgerConnector(dev.Connect)
	t.Cleanup(func() { keys.SetLedgerConnector(nil) })
	return dev
}

func keyringEnv(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("AKW_HOME", dir)
	t.Setenv("XDG_CONFIG_HOME", dir+"/config")
	t.Setenv("AKW_KEYRING_BACKEND", "test")
}

func TestKeysLedgerAddAndShow(t *testing.T) {
	for _, c := range []struct {
		name     string
		cfg      ledgeremu.Config
		fallback bool
	}{
		{"app before the HRP allowlist", ledgeremu.Config{Version: ledgeremu.V2_34}, false},
		{"app v2.38.12 with the allowlist", ledgeremu.Config{Version: ledgeremu.V2_38_12, HRPAllowlist: true}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			keyringEnv(t)
			dev := withDevice(t, c.cfg)
			code, out, errOut := runAkw(t, "-o", "json", "keys", "add", "hw", "--ledger", "--index", "5")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			var res addResult
			if err := json.Unmarshal([]byte(out), &res); err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			if res.Key.Type != "ledger" || res.Key.Path != "m/44'/118'/0'/0/5" || !strings.HasPrefix(res.Key.Address, "akash1") {
				t.Fatalf("key %+v", res.Key)
			}
			if res.Device == nil || res.Device.Fallback != c.fallback {
				t.Fatalf("device %+v", res.Device)
			}
			wantShown := res.Key.Address
			if c.fallback {
				if !strings.HasPrefix(res.Device.Shown, "cosmos1") || !strings.Contains(res.Device.Explanation, "same key") {
					t.Fatalf("fallback not explained: %+v", res.Device)
				}
				wantShown = res.Device.Shown
			} else if res.Device.Shown != res.Key.Address {
				t.Fatalf("device showed %s, key %s", res.Device.Shown, res.Key.Address)
			}
			// What the device put on screen is what akw reports.
			r, ok := dev.LastReview()
			if !ok || !strings.Contains(strings.Join(reviewValues(r), " "), wantShown) {
				t.Fatalf("device review %+v does not show %s", r, wantShown)
			}

			code, out, errOut = runAkw(t, "keys", "show", "hw", "--device")
			if code != 0 {
				t.Fatalf("show --device exit %d: %s", code, errOut)
			}
			if !strings.Contains(out, "device showed: "+wantShown+" (approved)") || !strings.Contains(errOut, "Compare it with "+res.Key.Address) {
				t.Fatalf("show --device:\n%s\n%s", out, errOut)
			}
			// A local key has no device to show on.
			if code, _, _ := runAkw(t, "keys", "add", "local"); code != 0 {
				t.Fatal("add local")
			}
			if code, _, errOut := runAkw(t, "keys", "show", "local", "--device"); code != 6 || !strings.Contains(errOut, "not a Ledger key") {
				t.Fatalf("show --device on a local key: %d %s", code, errOut)
			}
		})
	}
}

func reviewValues(r ledgeremu.Review) []string {
	raw, _ := json.Marshal(r)
	return []string{string(raw)}
}

// Every device state ends in exit 6 with the Ledger helper's message and
// hint, and nothing is stored.
func TestKeysLedgerDeviceStates(t *testing.T) {
	for _, c := range []struct {
		name  string
		cfg   ledgeremu.Config
		args  []string
		hint  string
		state ledgeremu.State
	}{
		{name: "unplugged", state: ledgeremu.Unplugged, hint: "Connect the Ledger"},
		{name: "locked", state: ledgeremu.Locked, hint: "PIN"},
		{name: "dashboard", state: ledgeremu.Dashboard, hint: "Open the Cosmos app"},
		{name: "other app", state: ledgeremu.OtherApp, hint: "Quit the open app"},
		{name: "rejected", cfg: ledgeremu.Config{User: ledgeremu.RejectAll}, hint: "Nothing was signed or saved"},
		{name: "expert mode", args: []string{"--index", "101"}, hint: "expert mode"},
	} {
		t.Run(c.name, func(t *testing.T) {
			keyringEnv(t)
			c.cfg.State = c.state
			withDevice(t, c.cfg)
			code, _, errOut := runAkw(t, append([]string{"keys", "add", "hw", "--ledger"}, c.args...)...)
			if code != 6 || !strings.Contains(errOut, "hint: ") || !strings.Contains(errOut, c.hint) {
				t.Fatalf("exit %d:\n%s", code, errOut)
			}
			if code, out, _ := runAkw(t, "-o", "json", "keys", "list"); code != 0 || !strings.Contains(out, `"keys": []`) {
				t.Fatalf("a key was stored: %s", out)
			}
		})
	}
}
