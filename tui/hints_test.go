package tui

import (
	"strings"
	"testing"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/lightclient"
)

// The TUI words remedies with its keys and screens, never a flag: the
// user cannot pass one from inside it.
func TestRemedyWordsNameNoFlag(t *testing.T) {
	for a := errkind.None + 1; a <= errkind.ExportedKey; a++ {
		if w := tuiWords(errkind.Remedy{Do: a, Subject: "x"}); strings.Contains(w, "--") {
			t.Errorf("remedy %d: %q names a flag", a, w)
		}
	}
	got := plainError(&lightclient.ErrNoTrustedStore{ChainID: "c", Dir: "/d"})
	if !strings.Contains(got, "akw light init") || strings.Contains(got, "--trust") {
		t.Fatalf("no trust root: %q", got)
	}
}
