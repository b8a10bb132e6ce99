package main

import (
	"testing"

	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/contacts"
	"github.com/akash-wallet/akw/internal/output"
)

// contactsVerb builds `akw contacts` with the run functions r.
func contactsVerb(r func(got func(any)) contactsRunners) flagsBuild {
	return func(app *App, got func(any)) *cobra.Command { return newContactsCmd(app, r(got)) }
}

func TestFlagsContacts(t *testing.T) {
	_, alice := testAddr(t, 1)
	_, val := testValoper(t, 2)
	typo := []byte(alice)
	typo[len(typo)-1] ^= 1
	all := contactsVerb(func(got func(any)) contactsRunners {
		return contactsRunners{
			Add: capture[contactsAddOptions](got), List: capture[contactsListOptions](got), Show: capture[contactsNameOptions](got),
			Rename: capture[contactsRenameOptions](got), Delete: capture[contactsNameOptions](got),
			Import: capture[contactsImportOptions](got), Export: capture[contactsExportOptions](got),
		}
	})
	runFlagsCases(t, all, []flagsCase{
		{name: "add", args: "contacts add Kraken " + alice, want: &contactsAddOptions{Contact: contacts.Contact{Name: "kraken", Address: alice}}},
		{name: "add with memo", args: "contacts add kraken " + alice + " --memo 104983",
			want: &contactsAddOptions{Contact: contacts.Contact{Name: "kraken", Address: alice, Memo: "104983"}}},
		{name: "add @name", args: "contacts add @kraken " + alice, want: &contactsAddOptions{Contact: contacts.Contact{Name: "kraken", Address: alice}}},
		{name: "add typo", args: "contacts add k " + string(typo), code: output.Usage, msg: "invalid contact address"},
		{name: "add validator", args: "contacts add k " + val, code: output.Usage, msg: "invalid contact address"},
		{name: "add other network", args: "contacts add k " + alice + " --network nope", code: output.Usage, msg: "unknown network"},
		{name: "add bad name", args: "contacts add a/b " + alice, code: output.Usage, msg: "invalid contact name"},
		{name: "add one arg", args: "contacts add k", code: output.Usage, msg: "accepts 2 arg"},
		{name: "add unknown flag", args: "contacts add k " + alice + " --force", code: output.Usage, msg: "unknown flag"},
		{name: "list", args: "contacts list", want: &contactsListOptions{}},
		{name: "list arg", args: "contacts list x", code: output.Usage, msg: "unknown command"},
		{name: "show", args: "contacts show @Kraken", want: &contactsNameOptions{Name: "kraken"}},
		{name: "show bad name", args: "contacts show -- -x", code: output.Usage, msg: "invalid contact name"},
		{name: "show none", args: "contacts show", code: output.Usage, msg: "accepts 1 arg"},
		{name: "rename", args: "contacts rename kraken @Exchange", want: &contactsRenameOptions{Old: "kraken", New: "exchange"}},
		{name: "rename bad new", args: "contacts rename kraken ex!", code: output.Usage, msg: "invalid contact name"},
		{name: "rename one", args: "contacts rename kraken", code: output.Usage, msg: "accepts 2 arg"},
		{name: "delete", args: "contacts delete kraken", want: &contactsNameOptions{Name: "kraken"}},
		{name: "rm", args: "contacts rm kraken", want: &contactsNameOptions{Name: "kraken"}},
		{name: "import", args: "contacts import c.json", want: &contactsImportOptions{File: "c.json", Merge: contacts.MergeRefuse}},
		{name: "import keep", args: "contacts import c.json --keep", want: &contactsImportOptions{File: "c.json", Merge: contacts.MergeKeep}},
		{name: "import replace", args: "contacts import - --replace", want: &contactsImportOptions{File: "-", Merge: contacts.MergeReplace}},
		{name: "import both", args: "contacts import c.json --keep --replace", code: output.Usage, msg: "cannot be used together"},
		{name: "import no file", args: "contacts import", code: output.Usage, msg: "accepts 1 arg"},
		{name: "export stdout", args: "contacts export", want: &contactsExportOptions{}},
		{name: "export dash", args: "contacts export -", want: &contactsExportOptions{}},
		{name: "export file", args: "contacts export c.json --overwrite", want: &contactsExportOptions{File: "c.json", Overwrite: true}},
		{name: "export overwrite stdout", args: "contacts export --overwrite", code: output.Usage, msg: "--overwrite without a FILE"},
		{name: "export two", args: "contacts export a b", code: output.Usage, msg: "accepts at most 1 arg"},
		{name: "no verb", args: "contacts", code: output.Usage, msg: "needs a verb"},
	})
}
