package config

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"
)

// FuzzLoad feeds arbitrary bytes to the config file parser as akw reads
// config.toml. Whatever the bytes: no panic; a file that does not parse is
// a *ParseError whose message names the file; a file that parses resolves
// every network it names, and survives Save and Load unchanged (what akw
// writes back, `akw config set`, must read back as the same settings).
func FuzzLoad(f *testing.F) {
	for _, s := range []string{
		"",
		"network = \"devnet\"\n",
		"network = \"akashnet-2\"\nnode = \"https://rpc.example.org:443\"\nwitnesses = [\"https://a.example.org\", \"http://127.0.0.1:26657\"]\noutput = \"json\"\nkeyring-backend = \"file\"\nkeyring-dir = \"/tmp/k\"\n",
		"[networks.devnet]\nrpc = \"http://127.0.0.1:26657\"\nwitnesses = [\"http://127.0.0.1:26660\"]\n",
		"[networks.mychain]\nchain-id = \"my-1\"\ndenom = \"ustake\"\ndisplay-denom = \"stake\"\nexponent = 6\nbech32-prefix = \"cosmos\"\ncoin-type = 118\ngas-price = \"0.1ustake\"\ngas-adjustment = 1.3\ntrusting-period = \"336h\"\n",
		"[networks.\"a b\"]\ntrusting-period = \"bogus\"\n",
		"unknown = 1\n",
		"network = 5\n",
		"[networks]\nx = 1\n",
		"[networks.akashnet-2]\nexponent = -1\ngas-adjustment = nan\n",
		"network = \"\\u0000\"\n",
	} {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "config.toml")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := Load(path)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("not a *ParseError: %T %v", err, err)
			}
			if msg := err.Error(); !strings.Contains(msg, path) {
				t.Fatalf("error does not name the file: %q", msg)
			}
			return
		}
		for _, name := range cfg.NetworkNames() {
			n, err := cfg.LookupNetwork(name)
			if err != nil {
				t.Fatalf("network %q listed but not found: %v", name, err)
			}
			// A network called "" cannot be chosen (an empty --network
			// means the default), so it may stay without a chain-id.
			if n.ChainID == "" && name != "" {
				t.Fatalf("network %q resolved without a chain-id", name)
			}
			_ = CheckEndpoint(n.RPC)
			for _, w := range n.Witnesses {
				_ = CheckEndpoint(w)
			}
		}
		if _, err := cfg.LookupNetwork("\x00no such network"); err == nil {
			t.Fatal("an unknown network resolved")
		}

		// Round trip through Save: what akw writes reads back the same.
		first, err := toml.Marshal(cfg)
		if err != nil {
			// A value the decoder accepted but the encoder cannot
			// write would make `akw config set` fail on this file.
			t.Fatalf("parsed config cannot be written back: %v", err)
		}
		// Save is toml.Marshal plus an atomic, fsynced write; the write
		// is left out here (fsync per input would starve the fuzzer).
		out := filepath.Join(dir, "saved.toml")
		if err := os.WriteFile(out, first, 0o600); err != nil {
			t.Fatal(err)
		}
		again, err := Load(out)
		if err != nil {
			t.Fatalf("saved config does not load: %v\n%s", err, first)
		}
		second, err := toml.Marshal(again)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first, second) {
			t.Fatalf("round trip changed the config:\n%s\n---\n%s", first, second)
		}
	})
}
