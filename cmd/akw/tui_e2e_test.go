package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/akash-wallet/akw/internal/testctx"
)

// TestTUIDemoEndToEnd drives `akw demo` through a real terminal (tmux):
// send to another demo account, delegate, claim, vote; then the dashboards
// show the new verified balances. Everything under the UI is real: an
// in-process devnet, the light client, proofs, signing, broadcast.
func TestTUIDemoEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a devnet and a terminal")
	}
	tmux, err := exec.LookPath("tmux")
	if err != nil {
		t.Skip("tmux is not installed")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "akw")
	// akw demo runs the akw-devnet found next to it.
	for _, b := range [][]string{{"-o", bin, "."}, {"-o", filepath.Join(dir, "akw-devnet"), "../akw-devnet"}} {
		build := exec.Command("go", append([]string{"build"}, b...)...)
		if out, err := build.CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, out)
		}
	}
	sock := fmt.Sprintf("akwtest-%d", os.Getpid())
	tm := func(args ...string) string {
		t.Helper()
		out, err := exec.Command(tmux, append([]string{"-L", sock}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("tmux %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	home := filepath.Join(dir, "home")
	// NO_COLOR: the whole run must work without colour (the capture below
	// checks that none is drawn).
	cmd := fmt.Sprintf("env NO_COLOR=1 HOME=%s XDG_CONFIG_HOME=%s/.config XDG_DATA_HOME=%s/.local/share %s demo 2>%s/demo.err; echo AKW-EXIT=$?; sleep 30",
		home, home, home, bin, dir)
	tm("new-session", "-d", "-s", "S", "-x", "100", "-y", "30", cmd)
	t.Cleanup(func() { exec.Command(tmux, "-L", sock, "kill-server").Run() })

	screen := func() string { return tm("capture-pane", "-p", "-t", "S") }
	// The screen is polled (tmux tells nobody when it changes) until it
	// shows the state a step waits for; the only bound is the test
	// binary's -timeout (testctx), never a margin of the step's own.
	ctx := testctx.New(t)
	poll := time.NewTicker(100 * time.Millisecond)
	defer poll.Stop()
	next := func(what string) {
		t.Helper()
		select {
		case <-ctx.Done():
			errOut, _ := os.ReadFile(filepath.Join(dir, "demo.err"))
			t.Fatalf("gave up waiting for %q (%v); screen:\n%s\nstderr:\n%s", what, ctx.Err(), screen(), errOut)
		case <-poll.C:
		}
	}
	waitFor := func(what string) string {
		t.Helper()
		for {
			if s := screen(); strings.Contains(s, what) {
				return s
			}
			next(what)
		}
	}
	// waitGone waits until the screen no longer shows what.
	waitGone := func(what string) {
		t.Helper()
		for strings.Contains(screen(), what) {
			next("no " + what)
		}
	}
	// Keys go as fast as tmux sends them: Bubble Tea reads them in order.
	// The one ambiguity is a lone Escape followed by a letter, which a
	// terminal reads as alt+letter; an Escape is therefore always
	// followed by a wait for the screen it leads to, never by a pause.
	// Likewise a key that acts on something loaded in the background
	// waits for it on the screen first.
	keys := func(ks ...string) {
		for _, k := range ks {
			tm("send-keys", "-t", "S", k)
		}
	}
	typeText := func(s string) { tm("send-keys", "-t", "S", "-l", s) }
	// tx runs the review → sign → verified part of a flow and returns to
	// the dashboard.
	tx := func(name string) {
		t.Helper()
		waitFor("y sign and send")
		start := time.Now()
		keys("y")
		waitFor("inclusion and result verified.")
		t.Logf("%s: confirmed to verified inclusion in %s", name, time.Since(start).Round(10*time.Millisecond))
		keys("Enter")
		waitFor("Balance  ✓ proven at height")
	}

	start := time.Now()
	waitFor("witnesses agree")
	waitFor("Balance  ✓ proven at height")
	t.Logf("akw demo: devnet up and dashboard proven in %s", time.Since(start).Round(10*time.Millisecond))
	checkNoColour(t, tm("capture-pane", "-e", "-p", "-t", "S"))

	keys("k")
	s := waitFor("is the key on the dashboard")
	carol := regexp.MustCompile(`carol\s+local\s+(akash1[0-9a-z]+)`).FindStringSubmatch(s)
	if carol == nil {
		t.Fatalf("no carol on the keys screen:\n%s", s)
	}
	keys("Escape")
	waitGone("is the key on the dashboard")

	keys("s")
	waitFor("Send from alice")
	typeText(carol[1])
	keys("Tab")
	typeText("3akt")
	keys("Enter", "Enter")
	tx("send")

	keys("d", "Enter")
	waitFor("bonded validator set proven at height")
	keys("Down", "Enter")
	waitFor("validator1 (")
	typeText("7akt")
	keys("Enter")
	tx("delegate")

	keys("c")
	s = waitFor("y sign and send")
	if !strings.Contains(s, "Rewards") || !strings.Contains(s, "proven at height") {
		t.Fatalf("the claim review does not show the proven rewards:\n%s", s)
	}
	tx("claim")

	keys("v")
	waitFor("voting ends")
	keys("Enter")
	waitFor("Weighted")
	keys("Enter") // yes
	tx("vote")

	s = waitFor("your vote: yes")
	for _, want := range []string{"Delegations (2)", "validator1", "7 AKT", "validator0", "100 AKT"} {
		if !strings.Contains(s, want) {
			t.Fatalf("alice's dashboard lacks %q:\n%s", want, s)
		}
	}
	// The demo's emulated Ledger key (tab cycles alice → bob → carol →
	// emulated-ledger): the send waits on the "confirm on your Ledger"
	// screen until the device approves.
	keys("Tab", "Tab", "Tab")
	waitFor("key emulated-ledger (Ledger)")
	waitFor("available  250 AKT")
	keys("s")
	waitFor("Send from emulated-ledger")
	typeText(carol[1])
	keys("Tab")
	typeText("2akt")
	keys("Enter", "Enter")
	s = waitFor("Your Ledger will show:")
	if !strings.Contains(s, "2000000 uakt") {
		t.Fatalf("the review does not show the device's amount:\n%s", s)
	}
	start = time.Now()
	keys("y")
	waitFor("Confirm on your Ledger")
	waitFor("inclusion and result verified.")
	t.Logf("ledger send: confirmed to verified inclusion in %s (the emulated device approves after 3 s)", time.Since(start).Round(10*time.Millisecond))
	keys("Enter")
	waitFor("Balance  ✓ proven at height")

	// Carol's proven balance went up by exactly the 3 + 2 AKT sent.
	keys("k") // the list opens on the current key
	waitFor("is the key on the dashboard")
	keys("Up", "Enter")
	s = waitFor("key carol")
	// (carol also holds ACT, listed on the same line.)
	s = waitFor("1000005 AKT")
	t.Logf("final dashboard (carol):\n%s", s)

	keys("q")
	waitFor("AKW-EXIT=0")
}

// checkNoColour fails if a captured screen (with its escape sequences)
// sets a foreground or background colour; bold and reverse must be there,
// so that the capture is known to carry attributes at all.
func checkNoColour(t *testing.T, captured string) {
	t.Helper()
	attrs := map[string]bool{}
	for _, m := range regexp.MustCompile(`\x1b\[([0-9;:]*)m`).FindAllStringSubmatch(captured, -1) {
		for _, p := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ';' || r == ':' }) {
			n := 0
			fmt.Sscanf(p, "%d", &n)
			switch {
			case n >= 30 && n <= 38, n >= 40 && n <= 48, n >= 90 && n <= 107:
				t.Fatalf("NO_COLOR is set but the screen sets colour %q:\n%q", m[0], captured)
			case n == 1:
				attrs["bold"] = true
			case n == 7:
				attrs["reverse"] = true
			}
		}
	}
	if !attrs["bold"] || !attrs["reverse"] {
		t.Fatalf("no bold or reverse in the capture (attributes: %v):\n%q", attrs, captured)
	}
}
