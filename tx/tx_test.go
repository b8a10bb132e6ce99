package tx

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	sdkmath "cosmossdk.io/math"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/akash-wallet/akw/errkind"
)

// Each error of the package says its kind, which the faces map (the
// command line to its exit code).
func TestErrorKinds(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
		want errkind.Kind
	}{
		{"input", Inputf("", "bad"), errkind.Usage},
		{"check", &CheckError{Reason: "r"}, errkind.Rejected},
		{"rejected", &RejectedError{Stage: StageCheckTx, Code: 13, Codespace: "sdk"}, errkind.Rejected},
		{"unknown, network", &UnknownOutcomeError{Hash: "AB", Reason: errors.New("eof"), Network: true}, errkind.Network},
		{"unknown", &UnknownOutcomeError{Hash: "AB", Reason: errors.New("x")}, errkind.Failure},
		{"unverified", &UnverifiedError{Hash: "AB", Reason: errors.New("x")}, errkind.Verification},
		{"key", NewKeyError("alice", errors.New("x"), ""), errkind.Key},
		{"wrapped input", fmt.Errorf("while parsing: %w", Inputf("", "bad")), errkind.Usage},
	} {
		if got := errkind.KindOf(c.err); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// The chain's well-known refusals come with what to do, as a remedy the
// faces word; the hints themselves name no command or flag.
func TestRejectedErrorHints(t *testing.T) {
	for _, c := range []struct {
		e    *RejectedError
		text string
		then errkind.Action
	}{
		{&RejectedError{Stage: StageSimulate, Code: 32, Codespace: "sdk"}, "the account sequence changed", errkind.ShowAccount},
		{&RejectedError{Stage: StageSimulate, Code: 99, Log: "account sequence mismatch, expected 3, got 2"}, "the account sequence changed", errkind.ShowAccount},
		{&RejectedError{Stage: StageCheckTx, Code: 13, Codespace: "sdk"}, "the fee is too low", errkind.RaiseFee},
		{&RejectedError{Stage: StageDeliver, Code: 11, Codespace: "sdk"}, "out of gas", errkind.RaiseGas},
		{&RejectedError{Stage: StageCheckTx, Code: 5, Codespace: "sdk"}, "insufficient funds", errkind.ShowBalance},
		{&RejectedError{Stage: StageDeliver, Code: 7, Codespace: "staking"}, "on chain with a failing code", errkind.None},
		{&RejectedError{Stage: StageCheckTx, Code: 7, Codespace: "staking"}, "nothing was changed on chain", errkind.None},
	} {
		h := errkind.HintOf(c.e)
		if !strings.Contains(h.Text, c.text) || h.Remedy.Do != c.then {
			t.Errorf("%v: hint %+v", c.e, h)
		}
		if s := h.String(); strings.Contains(s, "--") || strings.Contains(s, "`") {
			t.Errorf("%v: hint names the command line: %q", c.e, s)
		}
	}
	// The message names the stage, the code and the hash.
	e := &RejectedError{Stage: StageDeliver, Height: 7, Code: 5, Codespace: "sdk", Log: "insufficient funds", Hash: "AB12"}
	if got := e.Error(); got != "the transaction was included in block 7 but failed: code 5 (sdk): insufficient funds; txhash AB12" {
		t.Fatalf("message %q", got)
	}
}

// After a broadcast whose outcome is unknown, the one remedy is to look
// the transaction up by its hash: signing again could move funds twice.
func TestUnknownOutcomeNamesTheHash(t *testing.T) {
	e := &UnknownOutcomeError{Hash: "CAFE", Reason: errors.New("timeout"), InPool: true}
	if r := errkind.RemedyOf(e); r.Do != errkind.TxStatus || r.Subject != "CAFE" {
		t.Fatalf("remedy %+v", r)
	}
	if !strings.Contains(e.Error(), "CAFE") || !strings.Contains(e.Error(), "mempool") {
		t.Fatalf("message %q", e.Error())
	}
	u := &UnverifiedError{Hash: "BEEF", Height: 9, Reason: errors.New("DataHash mismatch")}
	if r := errkind.RemedyOf(u); r.Do != errkind.TxStatusElsewhere || r.Subject != "BEEF" || !strings.Contains(u.Error(), "block 9") {
		t.Fatalf("unverified: %v %+v", u, r)
	}
}

// An input error without a hint of its own has the hint of what it wraps
// (an amount's, an address's).
func TestInputErrorHints(t *testing.T) {
	inner := &hinted{"write it as 1.5akt"}
	if got := errkind.HintOf(Input(inner, "")).Text; got != "write it as 1.5akt" {
		t.Fatalf("inner hint %q", got)
	}
	if got := errkind.HintOf(Input(inner, "own")).Text; got != "own" {
		t.Fatalf("own hint %q", got)
	}
	e := InputThen(errkind.Remedy{Do: errkind.NameValidators}, "run it online", "needs the chain")
	if h := errkind.HintOf(e); h.Text != "run it online" || h.Remedy.Do != errkind.NameValidators {
		t.Fatalf("InputThen %+v", h)
	}
}

type hinted struct{ h string }

func (e *hinted) Error() string { return "bad amount" }
func (e *hinted) Hint() string  { return e.h }

func TestTokensFromShares(t *testing.T) {
	v := &Validator{Status: stakingtypes.Bonded, Tokens: sdkmath.NewInt(1000), DelegatorShares: sdkmath.LegacyNewDec(2000)}
	if got := v.TokensFromShares(sdkmath.LegacyNewDec(3)); !got.Equal(sdkmath.NewInt(1)) {
		t.Fatalf("3 shares = %s tokens, want 1 (rounded down)", got)
	}
	if got := (&Validator{Tokens: sdkmath.NewInt(5)}).TokensFromShares(sdkmath.LegacyNewDec(3)); !got.IsZero() {
		t.Fatalf("a validator without shares gives %s", got)
	}
	if !v.Active() {
		t.Fatal("a bonded validator is not active")
	}
	v.Jailed = true
	if v.Active() {
		t.Fatal("a jailed validator is active")
	}
}

func TestDuplicateNote(t *testing.T) {
	if (&Inclusion{Height: 5}).DuplicateNote() != "" {
		t.Fatal("a note for a transaction listed once")
	}
	note := (&Inclusion{Height: 5, Index: 2, Duplicates: []Copy{{Index: 0, Code: 5}, {Index: 3, Code: 32}}}).DuplicateNote()
	for _, want := range []string{"block 5 lists this transaction 3 times", "index 2, the one that executed", "index 0: code 5, index 3: code 32"} {
		if !strings.Contains(note, want) {
			t.Fatalf("note %q lacks %q", note, want)
		}
	}
	failed := (&Inclusion{Height: 5, Code: 5, Duplicates: []Copy{{Index: 1, Code: 5}}}).DuplicateNote()
	if !strings.Contains(failed, "no copy succeeded") {
		t.Fatalf("note %q", failed)
	}
}
