package main

import (
	"testing"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/contacts"
	"github.com/akash-wallet/akw/internal/output"
	"github.com/akash-wallet/akw/tx/fee"
	"github.com/akash-wallet/akw/tx/flow"
	"github.com/akash-wallet/akw/tx/ops"
)

// @NAME where an address is taken: a send's recipient (the contact's memo
// the default, an explicit --memo winning) and a query's address; a name
// without @ is never looked up, and says how to write it.
func TestFlagsContactRecipient(t *testing.T) {
	bobBytes, bob := testAddr(t, 2)
	_, carol := testAddr(t, 3)
	home := t.TempDir()
	book := contacts.Open(home, "akash")
	kraken, err := book.Add(contacts.Contact{Name: "kraken", Address: bob, Memo: "104983"})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := book.Add(contacts.Contact{Name: "carol", Address: carol})
	if err != nil {
		t.Fatal(err)
	}
	h := " --home " + home
	auto := flow.Options{Gas: fee.Gas{Auto: true}}
	send := func(to, amount string) ops.Request { return ops.Request{Kind: ops.KindSend, To: to, Amount: amount} }
	memo := func(m string) flow.Options { return flow.Options{Gas: fee.Gas{Auto: true}, Memo: m} }

	t.Run("send", func(t *testing.T) {
		runFlagsCases(t, txVerb(func(app *App, to *txOptions, got func(any)) *cobra.Command {
			return newTxSendCmd(app, to, capture[txOpOptions](got))
		}), []flagsCase{
			{name: "contact with memo", args: "tx send alice @kraken 1akt" + h,
				want: &txOpOptions{Tx: txDefaults(nil), From: "alice", Request: send(bob, "1akt"), Flow: memo("104983"),
					Recipient: &contacts.Resolved{Address: bob, Memo: "104983", Contact: &kraken}, MemoFromContact: true}},
			{name: "name in any case", args: "tx send alice @KRAKEN 1akt" + h,
				want: &txOpOptions{Tx: txDefaults(nil), From: "alice", Request: send(bob, "1akt"), Flow: memo("104983"),
					Recipient: &contacts.Resolved{Address: bob, Memo: "104983", Contact: &kraken}, MemoFromContact: true}},
			{name: "explicit memo wins", args: "tx send alice @kraken 1akt --memo mine" + h,
				want: &txOpOptions{Tx: txDefaults(func(o *txOptions) { o.Memo = "mine" }), From: "alice", Request: send(bob, "1akt"), Flow: memo("mine"),
					Recipient: &contacts.Resolved{Address: bob, Memo: "104983", Contact: &kraken}}},
			{name: "explicit empty memo wins", args: "tx send alice @kraken 1akt --memo=" + h,
				want: &txOpOptions{Tx: txDefaults(nil), From: "alice", Request: send(bob, "1akt"), Flow: auto,
					Recipient: &contacts.Resolved{Address: bob, Memo: "104983", Contact: &kraken}}},
			{name: "contact without memo", args: "tx send alice @carol 2akt" + h,
				want: &txOpOptions{Tx: txDefaults(nil), From: "alice", Request: send(carol, "2akt"), Flow: auto,
					Recipient: &contacts.Resolved{Address: carol, Contact: &plain}}},
			{name: "address", args: "tx send alice " + bob + " 1akt" + h,
				want: &txOpOptions{Tx: txDefaults(nil), From: "alice", Request: send(bob, "1akt"), Flow: auto}},
			{name: "unknown contact", args: "tx send alice @nobody 1akt" + h, code: output.Usage, msg: "no such contact: @nobody"},
			{name: "bare @", args: "tx send alice @ 1akt" + h, code: output.Usage, msg: "invalid contact name"},
			{name: "name without @", args: "tx send alice kraken 1akt" + h, code: output.Usage},
			{name: "typo in an address", args: "tx send alice " + bob[:len(bob)-1] + "x 1akt" + h, code: output.Usage},
		})
	})
	t.Run("hint for a name without @", func(t *testing.T) {
		_, err := runFlags(t, txVerb(func(app *App, to *txOptions, got func(any)) *cobra.Command {
			return newTxSendCmd(app, to, capture[txOpOptions](got))
		}), []string{"tx", "send", "alice", "kraken", "1akt", "--home", home}, false)
		if output.ExitCode(err) != output.Usage || output.HintOf(err) != "to send to the contact kraken ("+bob+"), write @kraken" {
			t.Fatalf("err %v, hint %q", err, output.HintOf(err))
		}
	})
	t.Run("query", func(t *testing.T) {
		def := &queryOptions{Timeout: 30 * time.Second}
		runFlagsCases(t, queryVerb(func(app *App, qo *queryOptions, got func(any)) *cobra.Command {
			return newQueryBalanceCmd(app, qo, capture[queryBalanceOptions](got))
		}), []flagsCase{
			{name: "contact", args: "query balance @kraken" + h, want: &queryBalanceOptions{Query: def, Address: sdk.AccAddress(bobBytes)}},
			{name: "unknown contact", args: "query balance @nobody" + h, code: output.Usage, msg: "no such contact"},
		})
	})
}
