package errkind

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

type kinded struct {
	k    Kind
	err  error
	hint string
	r    Remedy
}

func (e *kinded) Error() string {
	if e.err != nil {
		return "kinded: " + e.err.Error()
	}
	return "kinded"
}
func (e *kinded) Unwrap() error  { return e.err }
func (e *kinded) Kind() Kind     { return e.k }
func (e *kinded) Hint() string   { return e.hint }
func (e *kinded) Remedy() Remedy { return e.r }

type joined struct{ errs []error }

func (j joined) Error() string   { return "joined" }
func (j joined) Unwrap() []error { return j.errs }

func TestKindOf(t *testing.T) {
	refused := &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}
	for _, c := range []struct {
		name string
		err  error
		want Kind
	}{
		{"nil", nil, Failure},
		{"plain", errors.New("x"), Failure},
		{"own kind", &kinded{k: Verification}, Verification},
		{"wrapped kind", fmt.Errorf("while asking: %w", &kinded{k: Rejected}), Rejected},
		{"the outer kind wins", &kinded{k: Usage, err: &kinded{k: Key}}, Usage},
		// Cancelled whatever failed as a consequence.
		{"cancelled", fmt.Errorf("x: %w", context.Canceled), Cancelled},
		{"cancelled under a kind", &kinded{k: Network, err: context.Canceled}, Cancelled},
		{"deadline", context.DeadlineExceeded, Network},
		{"refused", refused, Network},
		// A kind that says Failure does not hide the network under it.
		{"failure over network", &kinded{k: Failure, err: refused}, Network},
		{"failure", &kinded{k: Failure, err: errors.New("disk")}, Failure},
	} {
		if got := KindOf(c.err); got != c.want {
			t.Errorf("%s: KindOf = %v, want %v", c.name, got, c.want)
		}
	}
}

// Moved from cmd/akw (fault_neterr_test.go): a missing file is a local
// failure, not the network: syscall.Errno satisfies net.Error, and a store
// whose trust.json was deleted was once reported as "the nodes did not
// answer in time" (exit 5).
func TestLocalErrnoIsNotNetwork(t *testing.T) {
	_, err := os.ReadFile(filepath.Join(t.TempDir(), "trust.json"))
	if err == nil || IsNetwork(err) {
		t.Fatalf("missing file %v counted as a network error", err)
	}
	if IsNetwork(fmt.Errorf("open: %w", syscall.EACCES)) {
		t.Fatal("EACCES counted as a network error")
	}
	if !IsNetwork(fmt.Errorf("dial: %w", syscall.ECONNREFUSED)) || !IsNetwork(fmt.Errorf("read: %w", syscall.ETIMEDOUT)) {
		t.Fatal("a refused or timed-out connection is a network error")
	}
}

func TestHintOf(t *testing.T) {
	inner := &kinded{hint: "inner", r: Remedy{Do: CheckNode}}
	for _, c := range []struct {
		name string
		err  error
		want Hint
	}{
		{"none", errors.New("x"), Hint{}},
		{"own", inner, Hint{Text: "inner", Remedy: Remedy{Do: CheckNode}}},
		{"through a wrap", fmt.Errorf("a: %w", inner), Hint{Text: "inner", Remedy: Remedy{Do: CheckNode}}},
		{"outer first", &kinded{hint: "outer", err: inner}, Hint{Text: "outer"}},
		{"an empty hint is passed over", &kinded{err: inner}, Hint{Text: "inner", Remedy: Remedy{Do: CheckNode}}},
		{"remedy only", &kinded{r: Remedy{Do: InitTrust}, err: inner}, Hint{Remedy: Remedy{Do: InitTrust}}},
		{"multi-unwrap in order", joined{[]error{errors.New("plain"), &kinded{hint: "second"}, inner}}, Hint{Text: "second"}},
	} {
		if got := HintOf(c.err); got != c.want {
			t.Errorf("%s: HintOf = %+v, want %+v", c.name, got, c.want)
		}
	}
}

func TestHintWords(t *testing.T) {
	face := func(r Remedy) string {
		if r.Do == OtherNode {
			return "try another --node"
		}
		return ""
	}
	for _, c := range []struct {
		h          Hint
		neutral    string
		facedWords string
	}{
		{Hint{}, "", ""},
		{Hint{Text: "check it."}, "check it.", "check it."},
		{Hint{Remedy: Remedy{Do: OtherNode}}, "use another node", "try another --node"},
		{Hint{Text: "the answer did not check out.", Remedy: Remedy{Do: OtherNode, Subject: "http://w:26657"}},
			"the answer did not check out; use another node, such as the witness http://w:26657",
			"the answer did not check out; try another --node"},
		// An alternative joins with a comma.
		{Hint{Text: "unlock it", Remedy: Remedy{Do: RaiseKeyringTimeout}}, "unlock it, or allow the keyring more time", "unlock it, or allow the keyring more time"},
		// A remedy the face has no words for keeps its neutral words.
		{Hint{Text: "x", Remedy: Remedy{Do: CheckNodes}}, "x; check the network and the nodes' addresses", "x; check the network and the nodes' addresses"},
	} {
		if got := c.h.String(); got != c.neutral {
			t.Errorf("%+v: String = %q, want %q", c.h, got, c.neutral)
		}
		if got := c.h.Words(face); got != c.facedWords {
			t.Errorf("%+v: Words = %q, want %q", c.h, got, c.facedWords)
		}
	}
}

// Every remedy has neutral words, which name no command, flag or key.
func TestEveryRemedyHasWords(t *testing.T) {
	for a := None + 1; a <= ExportedKey; a++ {
		w := (Remedy{Do: a, Subject: "s"}).String()
		if w == "" {
			t.Errorf("action %d has no words", a)
		}
		if strings.Contains(w, "--") || strings.Contains(w, "`") {
			t.Errorf("action %d names a command or flag: %q", a, w)
		}
	}
}

func TestDefault(t *testing.T) {
	if Default(nil, Key) != nil {
		t.Fatal("Default(nil) is not nil")
	}
	plain := errors.New("keyring said no")
	if got := Default(plain, Key); KindOf(got) != Key || !errors.Is(got, plain) || got.Error() != plain.Error() {
		t.Fatalf("Default(plain) = %v (%v)", got, KindOf(got))
	}
	usage := &kinded{k: Usage}
	if got := Default(usage, Key); got != error(usage) {
		t.Fatalf("Default overrode a kind: %v", got)
	}
}
