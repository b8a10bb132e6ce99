package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/internal/output"
	"github.com/akash-wallet/akw/keys"
)

// This file is where the command line turns the errors of akw's libraries
// into what it prints: the exit code of the error's kind (output.CodeOf,
// through output.ExitCode), the message, and the hint with its remedy
// worded for the command line (cliWords). The libraries word nothing for
// a medium; what a command knows that they do not — which flags it has —
// is its errorContext.

// errorContext is what a family of commands adds to the errors of the
// libraries it calls.
type errorContext struct {
	// network is the hint for a network failure that brings none.
	network string
	// verification is the hint for a verification failure that brings none.
	verification string
	// deadline: the command bounds its work with --timeout, so a bare
	// "context deadline exceeded" is said to be that.
	deadline bool
	// kind is the kind of an error that says none (errors of a keyring
	// are key errors).
	kind errkind.Kind
}

var (
	// lightErrors: akw light (and the opening of the light client
	// everywhere).
	lightErrors = errorContext{network: "the nodes did not answer in time; check --node and --witness"}
	// queryErrors: akw query.
	queryErrors = errorContext{
		network:      "the node did not answer in time; check --node or raise --timeout",
		verification: "the node's answer did not check out against the verified header; nothing from it is shown. Try another --node",
		deadline:     true,
	}
	// txErrors: akw tx.
	txErrors = errorContext{network: "check --node and --witness, or raise --timeout", deadline: true}
	// keysErrors: akw keys, and opening a keyring anywhere.
	keysErrors = errorContext{kind: errkind.Key}
	// anyErrors: whatever reaches the top unworded.
	anyErrors = errorContext{}
)

// wrap turns err into an *output.Error: the code of its kind, its message
// and its hint in the command line's words. An *output.Error (the command
// line's own) passes as it is.
func (c errorContext) wrap(err error) error {
	if err == nil {
		return nil
	}
	var oe *output.Error
	if errors.As(err, &oe) {
		return err
	}
	err = errkind.Default(err, c.kind)
	kind := errkind.KindOf(err)
	code := output.CodeOf(kind)
	h := errkind.HintOf(err)
	hint := h.Words(cliWords)
	switch kind {
	case errkind.Cancelled:
		if errors.Is(err, context.Canceled) && h.Remedy.Do != errkind.TxStatus {
			// Interrupted: nothing more to say. Interrupted after a
			// broadcast, the hint keeps the hash in view.
			return output.Wrap(code, err, "cancelled", "")
		}
		return output.Wrap(code, err, "", hint)
	case errkind.Verification:
		if hint == "" {
			hint = c.verification
		}
		return output.Wrap(code, err, "verification failed: "+err.Error(), hint)
	case errkind.Unproven:
		return output.Wrap(code, err, "could not be proven: "+err.Error(), hint)
	case errkind.Network:
		if hint == "" {
			hint = c.network
		}
		msg := err.Error()
		if c.deadline {
			msg = deadlineMessage(err)
		}
		return output.Wrap(code, err, msg, hint)
	}
	return output.Wrap(code, err, "", hint)
}

// deadlineMessage says what a bare "context deadline exceeded" means: the
// nodes did not answer within the command's --timeout (a stalled node).
func deadlineMessage(err error) string {
	if errors.Is(err, context.DeadlineExceeded) && err.Error() == context.DeadlineExceeded.Error() {
		return "no answer from the nodes in time (--timeout): " + err.Error()
	}
	return err.Error()
}

// cliHint is err's hint in the command line's words.
func cliHint(err error) string { return errkind.HintOf(err).Words(cliWords) }

// cliWords words a remedy for the command line: the command or the flag
// that takes the step. "" leaves the remedy's neutral words.
func cliWords(r errkind.Remedy) string {
	switch r.Do {
	case errkind.InitTrust:
		return "run `akw light init --trust-height H --trust-hash HEX` with a header from a source you trust, or `akw light init --trust-latest`"
	case errkind.ReplaceTrust:
		return "run `akw light reset` first, or pass --force to replace the trust root"
	case errkind.ResetTrust:
		return "run `akw light reset`, then `akw light init` with a trusted height and hash"
	case errkind.ReinitTrust:
		return "re-initialise from a header you trust: `akw light reset` then `akw light init --trust-height H --trust-hash HEX` (akw never re-trusts silently)"
	case errkind.CloseOther:
		return "retry once the other akw using this --home is done (`akw tx` keeps it only while it checks the transaction), or close it (or the TUI)"
	case errkind.OtherNode:
		if r.Subject != "" {
			return "try another --node, such as the witness " + r.Subject + " (--node " + r.Subject + ")"
		}
		return "try another --node"
	case errkind.CheckNode:
		return "check --node, or try another node"
	case errkind.CheckNodes:
		return "check the network and the --node/--witness URLs"
	case errkind.RecentHeight:
		return "ask for a more recent --height, or add an archive node (one that keeps every height) with --node or --witness"
	case errkind.CheckChain:
		return "check --chain-id, --node and --witness: every node must serve the same chain"
	case errkind.AddWitness:
		return "add or change witnesses with --witness URL (nodes of the same chain run by someone other than the primary)"
	case errkind.RemoveFaultyNode:
		return "remove the faulty one from --node/--witness"
	case errkind.FixSetting:
		switch r.Subject {
		case "node":
			return "pass --node URL"
		case "home":
			return "pass --home DIR"
		case "chain-id":
			return "set it with --chain-id or --network"
		case "trust-root":
			return "give --trust-height H --trust-hash HEX, or --trust-latest"
		case "keyring-collection":
			return "choose it with --keyring-collection"
		}
	case errkind.ShowAccount:
		return "check with `akw query account`, then sign again"
	case errkind.ShowBalance:
		return "check `akw query balance`"
	case errkind.ShowValidators:
		return "check the operator address with `akw query validators`"
	case errkind.ShowDelegations:
		return "check with `akw query delegations`"
	case errkind.ShowUnbondings:
		return "see `akw query unbonding`"
	case errkind.ShowProposals:
		return "`akw query proposals` lists the open ones"
	case errkind.Delegate:
		return "delegate first with `akw tx delegate`"
	case errkind.ActiveValidator:
		return "choose an active validator (`akw query validators`), or pass --allow-inactive to do it anyway"
	case errkind.NoCommission:
		return "drop --commission, or sign with the validator's operator key"
	case errkind.NameValidators:
		return "name the validators (`akw tx withdraw-rewards FROM VALOPER...`), or pass --all"
	case errkind.TxStatus:
		return "check it with `akw tx status " + r.Subject + "`"
	case errkind.TxStatusElsewhere:
		return "check it against another node with `akw --node URL tx status " + r.Subject + "`"
	case errkind.RaiseFee:
		return "raise --fees or --gas-prices"
	case errkind.RaiseGas:
		return "use --gas auto or a larger --gas"
	case errkind.TxFile:
		return "give a file written by `akw tx ... --generate-only` or `akw tx sign`"
	case errkind.BroadcastOnline:
		return "configure a node, or broadcast from a connected machine with `akw tx broadcast FILE`"
	case errkind.ListKeys:
		return "list the keys with `akw keys list`; check --keyring-backend, --keyring-dir and --keyring-app"
	case errkind.UseStoredKey:
		return fmt.Sprintf("this key is already stored as %q: use that name, rename it with `akw keys rename`, or pass --overwrite to replace it", r.Subject)
	case errkind.OtherKeyName:
		return "choose another name, or pass --overwrite to replace the existing key (its mnemonic or an export is then the only way back)"
	case errkind.GivePassphrase:
		return "give it with --keyring-passphrase-file FILE or AKW_KEYRING_PASSPHRASE (keyring), --passphrase-file FILE or AKW_ARMOR_PASSPHRASE (export/import), or run akw in a terminal"
	case errkind.RaiseKeyringTimeout:
		return "or raise --keyring-timeout"
	case errkind.OtherBackend:
		return "or choose another backend with --keyring-backend (file keeps an encrypted keyring in --keyring-dir)"
	case errkind.KnownBackend:
		return "use --keyring-backend " + strings.Join(keys.Backends, ", ")
	case errkind.HDPathRange:
		return "--account and --index take 0 to 2147483647 (m/44'/118'/account'/0/index)"
	case errkind.ExportedKey:
		return "give a file written by `akw keys export` or `akash keys export`"
	}
	return ""
}

// networkError turns a failure to reach endpoint into exit code 5 with a
// hint, and leaves other errors alone.
func networkError(err error, endpoint string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) {
		return output.Wrap(output.Cancelled, err, "cancelled", "")
	}
	if !errkind.IsNetwork(err) {
		return err
	}
	return output.Wrap(output.Network, err,
		fmt.Sprintf("cannot reach the node at %s: %v", endpoint, rootCause(err)),
		"check that the node is running and reachable, or choose another with --node")
}

func rootCause(err error) error {
	for {
		u := errors.Unwrap(err)
		if u == nil {
			return err
		}
		err = u
	}
}
