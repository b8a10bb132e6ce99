package tui

import (
	"fmt"

	"github.com/akash-wallet/akw/errkind"
)

// hintText is err's hint in the TUI's words ("" when it has none).
func hintText(err error) string { return errkind.HintOf(err).Words(tuiWords) }

// tuiWords words a remedy for the TUI: the key or the screen that takes
// the step, or, for what only the command line can do (a trust root),
// the command to run after quitting. "" leaves the remedy's neutral words
// (errkind), which name no key and no flag.
func tuiWords(r errkind.Remedy) string {
	switch r.Do {
	case errkind.InitTrust:
		return "quit, and set a trust root with `akw light init` from a header you trust"
	case errkind.ResetTrust:
		return "quit, then run `akw light reset` and `akw light init` with a header you trust"
	case errkind.ReinitTrust:
		return "quit, then run `akw light reset` and `akw light init` with a header you trust (akw never re-trusts silently)"
	case errkind.CloseOther:
		return "press r once the other akw using this store is done, or close it"
	case errkind.OtherNode:
		if r.Subject != "" {
			return "press r to try again through the witness " + r.Subject
		}
		return "quit, and start akw with another node"
	case errkind.CheckNode, errkind.CheckNodes:
		return "press r to retry; if it persists, quit and start akw with other nodes"
	case errkind.ShowAccount:
		return "refresh the dashboard (r), then try again"
	case errkind.ShowBalance:
		return "see the balance on the dashboard"
	case errkind.ShowValidators:
		return "choose a validator from the list"
	case errkind.ShowDelegations, errkind.ShowUnbondings:
		return "see the dashboard"
	case errkind.ShowProposals:
		return "press v for the proposals in their voting period"
	case errkind.Delegate:
		return "delegate first (d)"
	case errkind.ActiveValidator:
		return "choose an active validator"
	case errkind.NameValidators:
		return "claim (c) claims from every validator"
	case errkind.TxStatus:
		return "look it up with `akw tx status " + r.Subject + "`"
	case errkind.ListKeys:
		return "see the keys (k)"
	case errkind.UseStoredKey:
		return fmt.Sprintf("use the key stored as %q (k)", r.Subject)
	case errkind.OtherKeyName:
		return "choose another name"
	}
	return ""
}
