// Package signing measures offline signing throughput: a file of 1,000
// unsigned MsgSend transactions, each read, decoded, signed, verified and
// encoded as `akw tx sign --offline` does, in one process.
package signing

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/crypto/hd"
	sdkkeyring "github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-wallet/akw/internal/ledgeremu"
	"github.com/akash-wallet/akw/keys"
	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/encoding"
	"github.com/akash-wallet/akw/tx/ops"
	"github.com/akash-wallet/akw/tx/sign"
)

// A BIP39 test vector: public, holds nothing.
const mnemonic = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art"

const (
	txCount = 1000
	chainID = "akash-devnet-1"
)

// writeTxFile writes n unsigned sends from `from`, one compact JSON
// transaction per line, as `akw tx send --generate-only` would each.
func writeTxFile(b *testing.B, cfg *encoding.Config, from sdk.AccAddress, n int) string {
	b.Helper()
	to := sdk.AccAddress(bytes.Repeat([]byte{7}, 20))
	var buf bytes.Buffer
	for i := range n {
		op := &ops.Send{From: from, To: to, Amount: sdk.NewCoin("uakt", sdkmath.NewInt(int64(1000+i)))}
		msgs, err := op.Msgs(address.For("akash"))
		if err != nil {
			b.Fatal(err)
		}
		tb, err := sign.Unsigned(cfg, msgs, sign.Body{GasLimit: 200000, Fee: sdk.NewCoins(sdk.NewCoin("uakt", sdkmath.NewInt(5000))), Memo: fmt.Sprintf("batch %d", i)})
		if err != nil {
			b.Fatal(err)
		}
		bz, err := cfg.TxConfig.TxJSONEncoder()(tb.GetTx())
		if err != nil {
			b.Fatal(err)
		}
		buf.Write(bz)
		buf.WriteByte('\n')
	}
	path := filepath.Join(b.TempDir(), "unsigned.jsonl")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		b.Fatal(err)
	}
	return path
}

// signFile signs every transaction of path with key name (sequence i for
// the i-th) and returns how many it signed. The signed transactions are
// encoded as `akw tx sign` writes them, and discarded.
func signFile(ctx context.Context, cfg *encoding.Config, kr sdkkeyring.Keyring, ledger sign.LedgerSigner, name, path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), sign.MaxFileSize)
	n := 0
	for sc.Scan() {
		tb, err := sign.DecodeJSON(cfg, sc.Bytes())
		if err != nil {
			return n, err
		}
		if _, err := sign.Sign(ctx, cfg, kr, ledger, name, tb, sign.SignerData{ChainID: chainID, AccountNumber: 7, Sequence: uint64(n)}); err != nil {
			return n, err
		}
		if _, err := sign.EncodeJSON(cfg, tb); err != nil {
			return n, err
		}
		n++
	}
	return n, sc.Err()
}

func runSignBench(b *testing.B, cfg *encoding.Config, kr sdkkeyring.Keyring, ledger sign.LedgerSigner, name string, from sdk.AccAddress, n int) {
	path := writeTxFile(b, cfg, from, n)
	ctx := context.Background()
	b.ResetTimer()
	start, cpu0 := time.Now(), cpuTime()
	for range b.N {
		got, err := signFile(ctx, cfg, kr, ledger, name, path)
		if err != nil {
			b.Fatal(err)
		}
		if got != n {
			b.Fatalf("signed %d of %d", got, n)
		}
	}
	per := time.Since(start) / time.Duration(b.N*n)
	// CPU time as well as wall time: on a shared machine the wall time
	// of a CPU-bound loop says more about the neighbours.
	cpuPer := (cpuTime() - cpu0) / time.Duration(b.N*n)
	b.ReportMetric(float64(per.Microseconds()), "µs/tx")
	b.ReportMetric(float64(cpuPer.Microseconds()), "cpu-µs/tx")
	b.ReportMetric(float64(time.Second)/float64(per), "tx/s")
	b.ReportMetric(float64(n), "txs/file")
}

// cpuTime is the process's user+system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkSignFile signs a 1,000-transaction file offline with a local
// key (direct mode) in an in-memory keyring, in the test keyring on disk
// (what akw devnet writes; each signature decrypts the key from its file,
// as the os and file backends do too), and with a Ledger key on the
// emulated Cosmos app (amino JSON, the app's checks, HID framing, the
// user approving at once: the device's own time is not emulated).
func BenchmarkSignFile(b *testing.B) {
	cfg, err := encoding.New("akash")
	if err != nil {
		b.Fatal(err)
	}
	hdPath := hd.CreateHDPath(118, 0, 0).String()

	b.Run("local-memory", func(b *testing.B) {
		kr := sdkkeyring.NewInMemory(cfg.Codec)
		rec, err := kr.NewAccount("alice", mnemonic, "", hdPath, hd.Secp256k1)
		if err != nil {
			b.Fatal(err)
		}
		addr, _ := rec.GetAddress()
		runSignBench(b, cfg, kr, nil, "alice", addr, txCount)
	})

	b.Run("local-test-keyring", func(b *testing.B) {
		k, err := keys.Open(keys.Config{Backend: keys.BackendTest, Dir: b.TempDir(), HRP: "akash"})
		if err != nil {
			b.Fatal(err)
		}
		kr := k.SDK()
		rec, err := kr.NewAccount("alice", mnemonic, "", hdPath, hd.Secp256k1)
		if err != nil {
			b.Fatal(err)
		}
		addr, _ := rec.GetAddress()
		runSignBench(b, cfg, kr, nil, "alice", addr, txCount)
	})

	b.Run("ledger-emulator", func(b *testing.B) {
		dev, err := ledgeremu.New(ledgeremu.Config{Mnemonic: mnemonic, Version: ledgeremu.V2_38_12})
		if err != nil {
			b.Fatal(err)
		}
		keys.SetLedgerConnector(dev.Connect)
		defer keys.SetLedgerConnector(nil)
		kr := sdkkeyring.NewInMemory(cfg.Codec)
		lk, err := keys.AddLedgerKey(kr, "hw", keys.LedgerKeyOptions{HRP: "akash"})
		if err != nil {
			b.Fatal(err)
		}
		addr, _ := lk.Record.GetAddress()
		runSignBench(b, cfg, kr, keys.SignLedgerAminoJSON, "hw", addr, txCount)
		if got := len(dev.Reviews()); got < b.N*txCount {
			b.Fatalf("the device reviewed %d transactions, want %d", got, b.N*txCount)
		}
	})
}
