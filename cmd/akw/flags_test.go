package main

import (
	"bytes"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/cosmos/cosmos-sdk/types/bech32"
	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/internal/output"
)

// The flag tests (TestFlags*) build akw's real root command — its global
// flags, its pre-run that resolves them, the group's shared flags — over
// one verb whose run function only captures its options. They check what
// each command line parses and validates to, and that bad input is a
// usage error (exit 2) before anything runs, without a node or a devnet.

// flagsCase is one command line of a flag test.
type flagsCase struct {
	name string
	args string // after `akw`, split on spaces; the harness adds --home
	// want is the options the run function is called with; for bad input
	// it is nil and code is the exit code of the error, msg a part of it.
	want any
	code output.Code
	msg  string
	// tty runs the command as if on a terminal (it may prompt).
	tty bool
}

// flagsBuild builds the top-level command holding the verb under test,
// with a run function that hands its options to got.
type flagsBuild func(app *App, got func(any)) *cobra.Command

// capture is the run function of a flag test: it keeps the options.
func capture[O any](got func(any)) func(*O) error {
	return func(o *O) error { got(o); return nil }
}

// runFlagsCases runs each case through build and checks the outcome.
func runFlagsCases(t *testing.T, build flagsBuild, cases []flagsCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := runFlags(t, build, strings.Fields(c.args), c.tty)
			if c.want == nil {
				if err == nil {
					t.Fatalf("akw %s: no error; run called with %+v", c.args, got)
				}
				if got != nil {
					t.Errorf("akw %s: run called with %+v despite the error %v", c.args, got, err)
				}
				if code := output.ExitCode(err); code != c.code {
					t.Errorf("akw %s: exit code %d, want %d (error: %v)", c.args, code, c.code, err)
				}
				if !strings.Contains(err.Error(), c.msg) {
					t.Errorf("akw %s: error %q does not say %q", c.args, err, c.msg)
				}
				return
			}
			if err != nil {
				t.Fatalf("akw %s: %v (hint: %s)", c.args, err, output.HintOf(err))
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("akw %s:\n got  %#v\n want %#v", c.args, got, c.want)
			}
		})
	}
}

// runFlags runs akw with args over build's command and returns the
// options its run function saw (nil if it was not called) and the error
// as the command line reports it (commandError: cobra's errors are usage
// errors, library errors are worded).
func runFlags(t *testing.T, build flagsBuild, args []string, tty bool) (any, error) {
	t.Helper()
	flagsEnv(t)
	var out, errb bytes.Buffer
	io := &IOStreams{In: strings.NewReader(""), Out: &out, Err: &errb, StdinTTY: tty, StdoutTTY: tty, StderrTTY: tty}
	app := &App{IO: io, Printer: &output.Printer{Format: output.Text, Out: &out, Err: &errb}}
	var got any
	root := newRootCmdWith(app, build(app, func(o any) { got = o }))
	root.SetArgs(append([]string{"--home", t.TempDir()}, args...))
	root.SetIn(io.In)
	root.SetOut(&out)
	root.SetErr(&errb)
	if err := root.Execute(); err != nil {
		return got, commandError(err)
	}
	return got, nil
}

// flagsEnv keeps the user's AKW_* settings out of a flag test.
func flagsEnv(t *testing.T) {
	t.Helper()
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "AKW_") {
			t.Setenv(k, "")
		}
	}
}

// testAddr is an account address of n's bytes, and its akash bech32.
func testAddr(t *testing.T, n byte) ([]byte, string) {
	t.Helper()
	bz := bytes.Repeat([]byte{n}, 20)
	s, err := bech32.ConvertAndEncode("akash", bz)
	if err != nil {
		t.Fatal(err)
	}
	return bz, s
}

// testValoper is a validator operator address of n's bytes.
func testValoper(t *testing.T, n byte) ([]byte, string) {
	t.Helper()
	bz := bytes.Repeat([]byte{n}, 20)
	s, err := bech32.ConvertAndEncode("akashvaloper", bz)
	if err != nil {
		t.Fatal(err)
	}
	return bz, s
}
