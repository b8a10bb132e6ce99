package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/akash-wallet/akw/internal/config"
	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/testctx"
)

// lockedBuffer is a bytes.Buffer the command may write while the test reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestDevnetCommand runs `akw devnet` as a user does: it prints one JSON
// document when ready, `akw --home DIR status` then talks to the chain with
// no other flag, a second devnet on the same home is refused, and SIGINT
// stops it cleanly with exit code 0.
func TestDevnetCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a devnet")
	}
	home := t.TempDir()
	var out, errb lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- run([]string{"devnet", "--home", home, "-o", "json"}, &IOStreams{In: strings.NewReader(""), Out: &out, Err: &errb})
	}()

	// Until the test binary's deadline: a busy machine starts a devnet
	// slowly, and no margin of this test's own can tell slow from stuck.
	ctx := testctx.New(t)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		if _, err := os.Stat(filepath.Join(home, devnet.InfoFile)); err == nil && out.String() != "" {
			break
		}
		select {
		case code := <-done:
			t.Fatalf("akw devnet exited with %d before it was ready\nstdout: %s\nstderr: %s", code, out.String(), errb.String())
		case <-ctx.Done():
			t.Fatalf("akw devnet not ready by the test's deadline\nstderr: %s", errb.String())
		case <-tick.C:
		}
	}
	// The JSON printer writes the document in one call; it is complete
	// once stdout is non-empty.
	// What akw-devnet prints (cmd/akw-devnet devnetResult), the fields
	// this test reads.
	var res struct {
		ChainID string   `json:"chain_id"`
		Resumed bool     `json:"resumed"`
		RPC     []string `json:"rpc"`
	}
	if err := json.Unmarshal([]byte(out.String()), &res); err != nil {
		t.Fatalf("stdout is not one JSON document: %v\n%s", err, out.String())
	}
	if res.ChainID != devnet.ChainID || len(res.RPC) != devnet.DefaultValidators || res.Resumed {
		t.Fatalf("unexpected result: %+v", res)
	}
	if strings.Contains(out.String(), "mnemonic") {
		t.Fatal("stdout carries mnemonics")
	}
	info, err := devnet.ReadInfo(home)
	if err != nil {
		t.Fatal(err)
	}
	if info.RPC[0] != res.RPC[0] || len(info.Accounts) != 3 || info.Accounts[0].Mnemonic == "" {
		t.Fatalf("devnet.json does not match: %+v", info)
	}

	// The config file makes akw talk to the devnet with --home alone.
	f, err := config.Load(filepath.Join(home, "config.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if f.Network != config.Devnet || f.KeyringBackend != "test" || f.KeyringDir != home ||
		f.Networks[config.Devnet].RPC != res.RPC[0] || strings.Join(f.Networks[config.Devnet].Witnesses, ",") != strings.Join(res.RPC[1:], ",") {
		t.Fatalf("config does not point at the devnet: %+v", f)
	}
	code, stdout, stderr := akwRun(t, "--home", home, "status", "-o", "json")
	if code != 0 {
		t.Fatalf("status exit %d: %s", code, stderr)
	}
	var st statusResult
	if err := json.Unmarshal([]byte(stdout), &st); err != nil {
		t.Fatal(err)
	}
	if st.ChainID != devnet.ChainID || st.Node != res.RPC[0] || st.Height < 2 {
		t.Fatalf("status: %+v", st)
	}

	code, stdout, stderr = akwRun(t, "--home", home, "version")
	if code != 0 || !strings.Contains(stdout, "cosmos-sdk") {
		t.Fatalf("version: exit %d\n%s%s", code, stdout, stderr)
	}

	// A second devnet on a running home is refused, and harms nothing.
	code, _, stderr = akwRun(t, "devnet", "--home", home)
	if code != 1 || !strings.Contains(stderr, "already running") {
		t.Fatalf("second devnet: exit %d, stderr %s", code, stderr)
	}
	// No --home: refused, the user's own config is not rewritten.
	code, _, stderr = akwRun(t, "devnet")
	if code != 2 || !strings.Contains(stderr, "--home") {
		t.Fatalf("devnet without --home: exit %d, stderr %s", code, stderr)
	}

	// SIGINT stops it: exit 0, devnet.json gone, the chain kept.
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d after SIGINT: %s", code, errb.String())
		}
	case <-ctx.Done():
		t.Fatal("akw devnet did not stop after SIGINT by the test's deadline")
	}
	if _, err := os.Stat(filepath.Join(home, devnet.InfoFile)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("devnet.json left after stop: %v", err)
	}
	if _, err := os.Stat(filepath.Join(home, devnet.ChainDir, devnet.GenesisFile)); err != nil {
		t.Fatalf("chain not kept: %v", err)
	}
	if !strings.Contains(errb.String(), "devnet stopped") {
		t.Fatalf("no stop notice: %s", errb.String())
	}
}
