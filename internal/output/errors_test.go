package output

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/akash-wallet/akw/errkind"
)

// The exit codes are the command-line contract (README, "Exit codes"):
// their numbers and names never change.
func TestCodesAreTheContract(t *testing.T) {
	for c, want := range map[Code]struct {
		n    int
		name string
	}{
		OK: {0, "ok"}, Failure: {1, "failure"}, Usage: {2, "usage"}, Verification: {3, "verification_failed"},
		Rejected: {4, "tx_rejected"}, Network: {5, "network"}, Key: {6, "key"}, Cancelled: {130, "cancelled"},
	} {
		if int(c) != want.n || c.String() != want.name {
			t.Errorf("code %d %q, want %d %q", int(c), c.String(), want.n, want.name)
		}
	}
}

// Each kind has its own code, and the mapping goes both ways.
func TestCodeOfEveryKind(t *testing.T) {
	want := map[errkind.Kind]Code{
		errkind.Failure: Failure, errkind.Usage: Usage, errkind.Verification: Verification, errkind.Rejected: Rejected,
		errkind.Network: Network, errkind.Key: Key, errkind.Cancelled: Cancelled,
	}
	for k, c := range want {
		if got := CodeOf(k); got != c {
			t.Errorf("CodeOf(%v) = %v, want %v", k, got, c)
		}
		if got := KindOfCode(c); got != k {
			t.Errorf("KindOfCode(%v) = %v, want %v", c, got, k)
		}
	}
	// Unproven shares Verification's code: the contract's 3 is "did not
	// check out, or could not be proven".
	if got := CodeOf(errkind.Unproven); got != Verification {
		t.Errorf("CodeOf(Unproven) = %v, want %v", got, Verification)
	}
}

type kinded struct{ k errkind.Kind }

func (e kinded) Error() string      { return "kinded " + e.k.String() }
func (e kinded) Kind() errkind.Kind { return e.k }

func TestExitCode(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
		want Code
	}{
		{"nil", nil, OK},
		{"plain", errors.New("x"), Failure},
		{"an Error's own code", UsageError("bad", ""), Usage},
		{"a wrapped Error", fmt.Errorf("while: %w", New(Key, "k", "")), Key},
		{"a library kind", kinded{errkind.Verification}, Verification},
		{"a wrapped library kind", fmt.Errorf("x: %w", kinded{errkind.Rejected}), Rejected},
		{"cancelled", context.Canceled, Cancelled},
		{"deadline", fmt.Errorf("x: %w", context.DeadlineExceeded), Network},
		// The code an Error gives wins over the kind it wraps.
		{"an Error over a kind", Wrap(Failure, kinded{errkind.Network}, "", ""), Failure},
	} {
		if got := ExitCode(c.err); got != c.want {
			t.Errorf("%s: ExitCode = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestPrintError(t *testing.T) {
	var out, errb bytes.Buffer
	p := &Printer{Format: Text, Out: &out, Err: &errb}
	p.PrintError(New(Verification, "verification failed: x", "first\nsecond"))
	if got := errb.String(); got != "error: verification failed: x\nhint: first\nhint: second\n" || out.Len() != 0 {
		t.Fatalf("text error %q (stdout %q)", got, out.String())
	}
	errb.Reset()
	p.Format = JSON
	p.PrintError(Wrap(Rejected, errors.New("refused"), "", "raise the fee"))
	var je struct {
		Error struct {
			Code    int    `json:"code"`
			Kind    string `json:"kind"`
			Message string `json:"message"`
			Hint    string `json:"hint"`
		} `json:"error"`
	}
	if err := json.Unmarshal(errb.Bytes(), &je); err != nil || strings.Count(errb.String(), "\n") != 1 {
		t.Fatalf("JSON error %q: %v", errb.String(), err)
	}
	if je.Error.Code != 4 || je.Error.Kind != "tx_rejected" || je.Error.Message != "refused" || je.Error.Hint != "raise the fee" {
		t.Fatalf("JSON error %+v", je)
	}
}
