package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/akash-wallet/akw/internal/debugserver"
	"github.com/akash-wallet/akw/internal/fslock"
	"github.com/akash-wallet/akw/internal/output"
)

// `akw devnet` and `akw demo` run the program akw-devnet (cmd/akw-devnet),
// which holds the in-process chain, the Ledger emulator and the SDK's
// test libraries they need. Linked into akw, those made every command
// start slower and bigger (their package initialisation runs at every
// start); see docs/PERFORMANCE.md.

// devnetProgram is the devnet program's name, and devnetBinEnv the
// environment variable that names it explicitly.
const (
	devnetProgram = "akw-devnet"
	devnetBinEnv  = "AKW_DEVNET_BIN"
	modulePath    = "github.com/akash-wallet/akw"
)

// childExitError is the exit code of the devnet program, which has
// printed its own error already.
type childExitError struct{ code int }

func (e *childExitError) Error() string {
	return fmt.Sprintf("%s exited with %d", devnetProgram, e.code)
}

// findDevnetProgram finds akw-devnet: named by AKW_DEVNET_BIN, next to
// the akw executable, when akw runs from a checkout of its source (as
// `go run ./cmd/akw demo` does) built from that checkout into the user's
// cache on first use (and rebuilt when the source changes; go build does
// nothing when the binary is up to date), or on PATH.
func findDevnetProgram(ctx context.Context, notice func(string, ...any)) (string, error) {
	if p := os.Getenv(devnetBinEnv); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", output.Wrap(output.Usage, err, fmt.Sprintf("%s=%s: no such program", devnetBinEnv, p), "unset it, or build it with `go build -o "+p+" ./cmd/akw-devnet`")
		}
		return p, nil
	}
	if exe, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(exe), devnetProgram)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		}
	}
	// Before PATH: an akw-devnet installed there may be of another
	// version than the source akw was just built from.
	if root := moduleRoot(); root != "" {
		return buildDevnetProgram(ctx, root, notice)
	}
	if p, err := exec.LookPath(devnetProgram); err == nil {
		return p, nil
	}
	return "", output.New(output.Failure, "akw devnet and akw demo need the program akw-devnet, which was found neither next to akw nor on PATH",
		"install it beside akw: `go install "+modulePath+"/cmd/akw-devnet@latest`, or run akw from a checkout of its source (`go run ./cmd/akw demo`)")
}

// moduleRoot is the root of a checkout of akw's source that the current
// directory is in, if it is in one that has cmd/akw-devnet and a go
// command to build it with; "" otherwise.
func moduleRoot() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if isAkwModule(filepath.Join(dir, "go.mod")) {
			if _, err := os.Stat(filepath.Join(dir, "cmd", devnetProgram, "main.go")); err != nil {
				return ""
			}
			if _, err := exec.LookPath("go"); err != nil {
				return ""
			}
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// isAkwModule reports whether the go.mod at path declares akw's module.
func isAkwModule(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if fields := strings.Fields(sc.Text()); len(fields) == 2 && fields[0] == "module" {
			return fields[1] == modulePath
		}
	}
	return false
}

// buildDevnetProgram builds cmd/akw-devnet of the checkout at root into
// the user's cache, one binary per checkout, under a lock so that two
// akw processes do not write it at once.
func buildDevnetProgram(ctx context.Context, root string, notice func(string, ...any)) (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	sum := sha256.Sum256([]byte(root))
	dir := filepath.Join(cache, "akw", "devnet-"+hex.EncodeToString(sum[:6]))
	bin := filepath.Join(dir, devnetProgram)
	release, err := fslock.Lock(filepath.Join(dir, "build.lock"))
	if err != nil {
		return "", output.Wrap(output.Failure, err, "cannot build akw-devnet", "set "+devnetBinEnv+" to a binary built with `go build ./cmd/akw-devnet`")
	}
	defer release()
	if _, err := os.Stat(bin); err != nil {
		notice("building %s from %s (first use; a minute or two) …", devnetProgram, root)
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/"+devnetProgram)
	cmd.Dir = root
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return "", output.Wrap(output.Failure, err, fmt.Sprintf("cannot build akw-devnet from %s: %v\n%s", root, err, strings.TrimSpace(out.String())),
			"build it yourself with `go build ./cmd/akw-devnet` and set "+devnetBinEnv+" to it")
	}
	return bin, nil
}

// runDevnetProgram runs akw-devnet with args on akw's own streams until
// it exits; when ctx is cancelled (Ctrl-C, SIGTERM) it is interrupted and
// given time to stop its nodes cleanly. Its exit code becomes akw's.
func runDevnetProgram(ctx context.Context, app *App, args []string) error {
	bin, err := findDevnetProgram(ctx, app.Printer.Notice)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = app.IO.In, app.IO.Out, app.IO.Err
	// This process already serves AKW_DEBUG_ADDR, if set; the child
	// would fail to listen there too.
	cmd.Env = withoutEnv(os.Environ(), debugserver.Env)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 3 * time.Minute // a busy machine's nodes may take this long to stop
	err = cmd.Run()
	// What the program exited with, rather than err: after an interrupt,
	// exec reports the context's error even when it stopped cleanly.
	if st := cmd.ProcessState; st != nil && st.Exited() {
		if st.ExitCode() == 0 {
			return nil
		}
		return &childExitError{code: st.ExitCode()}
	}
	return output.Wrap(output.Failure, err, fmt.Sprintf("cannot run %s: %v", bin, err), "")
}

// withoutEnv is env without the variable name.
func withoutEnv(env []string, name string) []string {
	out := env[:0:0]
	for _, kv := range env {
		if !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return out
}
