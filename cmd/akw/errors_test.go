package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/internal/output"
	"github.com/akash-wallet/akw/keys"
	"github.com/akash-wallet/akw/lightclient"
	"github.com/akash-wallet/akw/tx"
)

// The libraries name no command and no flag; the command line words their
// remedies. These are the hints users and scripts read (several are
// asserted in testdata too); the light-client ones moved here from
// lightclient/trusted's tests, which now check the remedy itself.
func TestLibraryErrorsAreWordedForTheCommandLine(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
		code output.Code
		hint string
	}{
		{"no store", &lightclient.ErrNoTrustedStore{ChainID: "c", Dir: "/d"}, output.Failure,
			"run `akw light init --trust-height H --trust-hash HEX` with a header from a source you trust, or `akw light init --trust-latest`"},
		{"store exists", &lightclient.ErrStoreExists{}, output.Failure, "run `akw light reset` first, or pass --force to replace the trust root"},
		{"store damaged", &lightclient.ErrStoreCorrupt{Reason: errors.New("x")}, output.Failure, "run `akw light reset`, then `akw light init` with a trusted height and hash"},
		{"expired", &lightclient.ErrTrustExpired{}, output.Verification,
			"re-initialise from a header you trust: `akw light reset` then `akw light init --trust-height H --trust-hash HEX` (akw never re-trusts silently)"},
		{"no witness configured", &lightclient.ErrNoWitnesses{}, output.Usage,
			"add or change witnesses with --witness URL (nodes of the same chain run by someone other than the primary)"},
		{"conflict", &lightclient.ErrConflict{}, output.Verification,
			"nothing is shown as verified while this stands; check both nodes against a source you trust; remove the faulty one from --node/--witness"},
		{"bad header", &lightclient.ErrVerification{To: 5, Reason: errors.New("x")}, output.Verification,
			"the node served a header that does not check out; try another --node"},
		{"no node given", &lightclient.ErrInvalidConfig{Reason: "no primary node given", Setting: "node"}, output.Usage, "pass --node URL"},
		{"unknown outcome", &tx.UnknownOutcomeError{Hash: "AB12", Reason: errors.New("timeout")}, output.Failure,
			"do not sign it again yet: a second signature could move the funds twice; check it with `akw tx status AB12`"},
		{"inactive validator", &tx.CheckError{Reason: "jailed", Then: errkind.Remedy{Do: errkind.ActiveValidator}}, output.Rejected,
			"choose an active validator (`akw query validators`), or pass --allow-inactive to do it anyway"},
		{"name taken", &keys.ConflictError{Name: "a", Existing: "a", Err: keys.ErrNameExists}, output.Key,
			"choose another name, or pass --overwrite to replace the existing key (its mnemonic or an export is then the only way back)"},
		{"key stored elsewhere", &keys.ConflictError{Name: "a", Existing: "b", Err: keys.ErrAddressExists}, output.Key,
			`this key is already stored as "b": use that name, rename it with ` + "`akw keys rename`" + `, or pass --overwrite to replace it`},
		{"keyring timeout", &keys.TimeoutError{Backend: "os", Op: "get"}, output.Key,
			"the os keyring may be waiting for an unlock prompt nobody can see: unlock it, or raise --keyring-timeout"},
		{"no passphrase", fmt.Errorf("open: %w", keys.ErrNoPassphrase), output.Usage,
			"give it with --keyring-passphrase-file FILE or AKW_KEYRING_PASSPHRASE (keyring), --passphrase-file FILE or AKW_ARMOR_PASSPHRASE (export/import), or run akw in a terminal"},
	} {
		// In the libraries' own words, no command and no flag.
		if n := errkind.HintOf(c.err).String(); strings.Contains(n, "--") || strings.Contains(n, "`akw") {
			t.Errorf("%s: the library's hint names the command line: %q", c.name, n)
		}
		e := anyErrors.wrap(c.err)
		if got := output.ExitCode(e); got != c.code {
			t.Errorf("%s: exit %d, want %d", c.name, got, c.code)
		}
		if got := output.HintOf(e); got != c.hint {
			t.Errorf("%s: hint\n  %q\nwant\n  %q", c.name, got, c.hint)
		}
	}
}

// Every remedy a library can name has words on the command line.
func TestEveryRemedyHasCommandLineWords(t *testing.T) {
	for a := errkind.None + 1; a <= errkind.ExportedKey; a++ {
		r := errkind.Remedy{Do: a, Subject: "node"}
		if cliWords(r) == "" {
			t.Errorf("remedy %d (%s) has no command-line words", a, r)
		}
	}
}

func TestErrorContexts(t *testing.T) {
	// A bare deadline is the command's --timeout passing.
	e := queryErrors.wrap(context.DeadlineExceeded)
	if output.ExitCode(e) != output.Network || e.Error() != "no answer from the nodes in time (--timeout): context deadline exceeded" ||
		output.HintOf(e) != queryErrors.network {
		t.Fatalf("deadline: %v (%s)", e, output.HintOf(e))
	}
	// A verification failure says so first, with the command's hint when
	// the error has none.
	e = queryErrors.wrap(&kinded{errkind.Verification})
	if output.ExitCode(e) != output.Verification || !strings.HasPrefix(e.Error(), "verification failed: ") || output.HintOf(e) != queryErrors.verification {
		t.Fatalf("verification: %v (%s)", e, output.HintOf(e))
	}
	// Interrupted: "cancelled", unless a transaction went out, whose hash
	// stays in view.
	e = txErrors.wrap(fmt.Errorf("x: %w", context.Canceled))
	if output.ExitCode(e) != output.Cancelled || e.Error() != "cancelled" {
		t.Fatalf("cancelled: %v", e)
	}
	e = txErrors.wrap(&tx.UnknownOutcomeError{Hash: "CD34", Reason: context.Canceled})
	if output.ExitCode(e) != output.Cancelled || !strings.Contains(output.HintOf(e), "akw tx status CD34") {
		t.Fatalf("cancelled after broadcast: %v (%s)", e, output.HintOf(e))
	}
	// A keyring's error without a kind is a key error.
	if e := keysErrors.wrap(errors.New("dbus said no")); output.ExitCode(e) != output.Key {
		t.Fatalf("keyring error: exit %d", output.ExitCode(e))
	}
	// The command line's own errors pass as they are.
	own := output.UsageError("bad", "fix it")
	if keysErrors.wrap(own) != error(own) {
		t.Fatal("an *output.Error was re-wrapped")
	}
}

type kinded struct{ k errkind.Kind }

func (e *kinded) Error() string      { return "answer" }
func (e *kinded) Kind() errkind.Kind { return e.k }
