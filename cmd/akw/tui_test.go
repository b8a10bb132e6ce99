package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

func pipeIO() (*IOStreams, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return &IOStreams{In: strings.NewReader(""), Out: &out, Err: &errb}, &out, &errb
}

// The full-screen commands refuse to start without a terminal, with a
// usage error that says what to use instead, and never hang a script.
func TestTUIAndDemoNeedATerminal(t *testing.T) {
	for _, args := range [][]string{{"tui"}, {"demo"}} {
		io, out, errb := pipeIO()
		t.Setenv("HOME", t.TempDir())
		t.Setenv("XDG_CONFIG_HOME", t.TempDir())
		code := run(append(args, "--home", t.TempDir()), io)
		if code != 2 || !strings.Contains(errb.String(), "needs a terminal") || out.Len() != 0 {
			t.Fatalf("akw %v: exit %d, stdout %q, stderr %q", args, code, out, errb)
		}
	}
}

// akw alone, not on a terminal, prints the help instead of opening the UI.
func TestRootRunWithoutTerminalPrintsHelp(t *testing.T) {
	io, out, _ := pipeIO()
	app := &App{IO: io}
	cmd := &cobra.Command{Use: "akw", Long: "akw is a wallet"}
	cmd.SetOut(out)
	if err := rootRun(app)(cmd, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "akw is a wallet") {
		t.Fatalf("help not printed: %q", out)
	}
}
