package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// A block that listed the transaction twice: the result screen says so
// (the note comes from the backend, tx.Inclusion.DuplicateNote).
func TestProgressShowsDuplicateNote(t *testing.T) {
	c := &common{be: newFake(1, 0), chain: (&fakeBackend{}).Chain(), st: newStyles(), now: func() time.Time { return testNow }, width: 80, height: 24}
	p := newProgress(c, &TxPlan{Request: TxRequest{Kind: TxSend, From: Key{Name: "alice", Type: "local"}}, Summary: "Send."})
	p.done, p.stage = true, StageVerified
	p.res = &TxResult{TxHash: "AB", Height: 12, Verified: true,
		Note: "block 12 lists this transaction 2 times; the result shown is the copy at index 0, the one that executed"}
	got := ansi.Strip(p.view(80, 24))
	if !strings.Contains(got, "✓ Done.") || !strings.Contains(got, "Note: block 12 lists this") {
		t.Fatalf("\n%s", got)
	}
	p.res.Note = ""
	if got := ansi.Strip(p.view(80, 24)); strings.Contains(got, "Note:") {
		t.Fatalf("a note for a transaction listed once:\n%s", got)
	}
}
