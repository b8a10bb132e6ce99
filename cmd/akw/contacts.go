package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/contacts"
	"github.com/akash-wallet/akw/internal/atomicfile"
	"github.com/akash-wallet/akw/internal/output"
	"github.com/akash-wallet/akw/keys"
	"github.com/akash-wallet/akw/tx/address"
)

// `akw contacts`: the address book (contacts/), in the data directory
// under --home. Nothing here touches a node: the network is resolved only
// for its account prefix, so a contact of another chain is refused.

// contactsAddOptions are what `akw contacts add` was asked: the contact
// as it will be stored (validated, the name in lower case).
type contactsAddOptions struct {
	Contact contacts.Contact
}

// contactsNameOptions name one contact (show, delete).
type contactsNameOptions struct {
	Name string
}

// contactsRenameOptions rename a contact.
type contactsRenameOptions struct {
	Old, New string
}

// contactsListOptions: `akw contacts list` takes nothing.
type contactsListOptions struct{}

// contactsImportOptions are what `akw contacts import` was asked.
type contactsImportOptions struct {
	File  string // "-" for stdin
	Merge contacts.Merge
}

// contactsExportOptions are what `akw contacts export` was asked.
type contactsExportOptions struct {
	File      string // "" or "-" for stdout
	Overwrite bool
}

// contactsRunners are the run functions of the verbs; nil fields run
// for real (flag tests set one).
type contactsRunners struct {
	Add    func(*contactsAddOptions) error
	List   func(*contactsListOptions) error
	Show   func(*contactsNameOptions) error
	Rename func(*contactsRenameOptions) error
	Delete func(*contactsNameOptions) error
	Import func(*contactsImportOptions) error
	Export func(*contactsExportOptions) error
}

func newContactsCmd(app *App, r contactsRunners) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "contacts",
		Short: "The address book: names for addresses, with the memo an exchange deposit needs",
		Long: `The address book, kept in contacts.json under --home (mode 0600, replaced
atomically). Use a contact as @NAME wherever akw takes an address:
"akw tx send alice @kraken 10akt" sends to the contact's address, with its
memo as the default memo (an explicit --memo wins). A string without the @
is always an address, never looked up, so a typo in an address is never
taken for a name.

A name is 1 to 32 characters: letters, digits, and '-', '_' or '.' after
the first; names are case-insensitive and stored in lower case. A contact's
address must be an account address of the network (bech32 checksum, prefix);
one that is not cannot be saved.`,
		Aliases: []string{"contact"},
	}
	cmd.AddCommand(
		newContactsAddCmd(app, r.Add),
		newContactsListCmd(app, r.List),
		newContactsShowCmd(app, r.Show),
		newContactsRenameCmd(app, r.Rename),
		newContactsDeleteCmd(app, r.Delete),
		newContactsImportCmd(app, r.Import),
		newContactsExportCmd(app, r.Export),
	)
	return cmd
}

// contactsPrefixes are the account prefixes of the network, resolved
// without a node (the book is checked against them).
func contactsPrefixes(app *App) (address.Prefixes, error) {
	n, err := txNetwork(app, true)
	if err != nil {
		return address.Prefixes{}, err
	}
	prefix := n.Bech32Prefix
	if prefix == "" {
		prefix = keys.DefaultHRP
	}
	return address.For(prefix), nil
}

// openBook is the address book under --home for the network's prefix.
func openBook(app *App) (*contacts.Book, error) {
	p, err := contactsPrefixes(app)
	if err != nil {
		return nil, err
	}
	return contacts.Open(app.Paths.DataDir, p.Account), nil
}

// contactName checks a name as typed ("kraken" or "@kraken").
func contactName(s string) (string, error) {
	n, err := contacts.NormalizeName(strings.TrimPrefix(s, "@"))
	if err != nil {
		return "", contactsError(err)
	}
	return n, nil
}

// contactsError words an error of the address book: its kind's exit code
// (a refused input is 2, the book's damaged file 1) and its hint.
func contactsError(err error) error { return anyErrors.wrap(err) }

func newContactsAddCmd(app *App, runF func(*contactsAddOptions) error) *cobra.Command {
	var memo string
	cmd := &cobra.Command{
		Use:   "add NAME ADDRESS [--memo MEMO]",
		Short: "Add a contact; a name already in the book is refused",
		Long: `Add a contact. The address must be an account address of the network; the
memo (optional, one line, at most 256 characters) becomes the default memo
of a send to @NAME. A name already in the book is refused: nothing is ever
overwritten; rename or delete the existing contact first.`,
		Example: `  akw contacts add kraken akash1... --memo 104983`,
		Args:    cobra.ExactArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			p, err := contactsPrefixes(app)
			if err != nil {
				return err
			}
			c, err := contacts.Validate(contacts.Contact{Name: strings.TrimPrefix(args[0], "@"), Address: args[1], Memo: memo}, p)
			if err != nil {
				return contactsError(err)
			}
			o := &contactsAddOptions{Contact: c}
			if runF != nil {
				return runF(o)
			}
			return runContactsAdd(app, o)
		},
	}
	cmd.Flags().StringVar(&memo, "memo", "", "default memo of a send to this contact (e.g. an exchange's deposit memo)")
	return cmd
}

func runContactsAdd(app *App, o *contactsAddOptions) error {
	b, err := openBook(app)
	if err != nil {
		return err
	}
	c, err := b.Add(o.Contact)
	if err != nil {
		return contactsError(err)
	}
	return app.Printer.Result(c, func(w io.Writer) error {
		fmt.Fprintf(w, "added @%s: %s\n", c.Name, c.Address)
		if c.Memo != "" {
			fmt.Fprintf(w, "default memo: %s\n", c.Memo)
		}
		return nil
	})
}

// contactsList is the JSON of `akw contacts list`.
type contactsList struct {
	Path     string             `json:"path"`
	Contacts []contacts.Contact `json:"contacts"`
}

func newContactsListCmd(app *App, runF func(*contactsListOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the contacts, by name",
		Args:  cobra.NoArgs,
		RunE: func(_ *cobra.Command, _ []string) error {
			o := &contactsListOptions{}
			if runF != nil {
				return runF(o)
			}
			return runContactsList(app)
		},
	}
}

func runContactsList(app *App) error {
	b, err := openBook(app)
	if err != nil {
		return err
	}
	cs, err := b.List()
	if err != nil {
		return contactsError(err)
	}
	if cs == nil {
		cs = []contacts.Contact{} // JSON: an empty list, not null
	}
	return app.Printer.Result(contactsList{Path: b.Path(), Contacts: cs}, func(w io.Writer) error {
		if len(cs) == 0 {
			fmt.Fprintln(w, "no contacts (add one with `akw contacts add NAME ADDRESS`)")
			return nil
		}
		width := 0
		for _, c := range cs {
			width = max(width, len(c.Name)+1)
		}
		for _, c := range cs {
			line := fmt.Sprintf("%-*s  %s", width, "@"+c.Name, c.Address)
			if c.Memo != "" {
				line += "  memo: " + c.Memo
			}
			fmt.Fprintln(w, line)
		}
		return nil
	})
}

// newContactsNameCmd is a verb about one contact (show, delete).
func newContactsNameCmd(cmd *cobra.Command, runF, run func(*contactsNameOptions) error) *cobra.Command {
	cmd.Args = cobra.ExactArgs(1)
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		n, err := contactName(args[0])
		if err != nil {
			return err
		}
		o := &contactsNameOptions{Name: n}
		if runF != nil {
			return runF(o)
		}
		return run(o)
	}
	return cmd
}

func newContactsShowCmd(app *App, runF func(*contactsNameOptions) error) *cobra.Command {
	return newContactsNameCmd(&cobra.Command{Use: "show NAME", Short: "Show a contact: its full address and memo"}, runF,
		func(o *contactsNameOptions) error {
			b, err := openBook(app)
			if err != nil {
				return err
			}
			c, err := b.Get(o.Name)
			if err != nil {
				return contactsError(err)
			}
			return app.Printer.Result(c, func(w io.Writer) error {
				fmt.Fprintf(w, "name     @%s\naddress  %s\n", c.Name, c.Address)
				if c.Memo != "" {
					fmt.Fprintf(w, "memo     %s\n", c.Memo)
				}
				return nil
			})
		})
}

func newContactsDeleteCmd(app *App, runF func(*contactsNameOptions) error) *cobra.Command {
	return newContactsNameCmd(&cobra.Command{Use: "delete NAME", Short: "Delete a contact", Aliases: []string{"rm"}}, runF,
		func(o *contactsNameOptions) error {
			b, err := openBook(app)
			if err != nil {
				return err
			}
			c, err := b.Delete(o.Name)
			if err != nil {
				return contactsError(err)
			}
			return app.Printer.Result(c, func(w io.Writer) error {
				fmt.Fprintf(w, "deleted @%s (%s)\n", c.Name, c.Address)
				return nil
			})
		})
}

func newContactsRenameCmd(app *App, runF func(*contactsRenameOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   "rename OLD NEW",
		Short: "Rename a contact; the new name must be free",
		Args:  cobra.ExactArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			oldName, err := contactName(args[0])
			if err != nil {
				return err
			}
			newName, err := contactName(args[1])
			if err != nil {
				return err
			}
			o := &contactsRenameOptions{Old: oldName, New: newName}
			if runF != nil {
				return runF(o)
			}
			b, err := openBook(app)
			if err != nil {
				return err
			}
			c, err := b.Rename(o.Old, o.New)
			if err != nil {
				return contactsError(err)
			}
			return app.Printer.Result(c, func(w io.Writer) error {
				fmt.Fprintf(w, "renamed @%s to @%s (%s)\n", o.Old, c.Name, c.Address)
				return nil
			})
		},
	}
}

func newContactsImportCmd(app *App, runF func(*contactsImportOptions) error) *cobra.Command {
	var keep, replace bool
	cmd := &cobra.Command{
		Use:   "import FILE [--keep | --replace]",
		Short: "Import contacts from a JSON file (an export); - reads stdin",
		Long: `Import contacts from a file in the format "akw contacts export" writes
({"version": 1, "contacts": [{"name", "address", "memo"}]}). Every entry is
checked first; the first bad one refuses the whole file, named. A name
already in the book with another address or memo is a conflict: by default
nothing is imported and the conflicts are named; --keep keeps the book's
entries, --replace takes the file's.`,
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			if keep && replace {
				return output.UsageError("--keep and --replace cannot be used together", "give --keep to keep the book's entries, or --replace to take the file's")
			}
			o := &contactsImportOptions{File: args[0], Merge: contacts.MergeRefuse}
			switch {
			case keep:
				o.Merge = contacts.MergeKeep
			case replace:
				o.Merge = contacts.MergeReplace
			}
			if runF != nil {
				return runF(o)
			}
			return runContactsImport(app, o)
		},
	}
	cmd.Flags().BoolVar(&keep, "keep", false, "on a conflicting name, keep the book's entry")
	cmd.Flags().BoolVar(&replace, "replace", false, "on a conflicting name, take the file's entry")
	return cmd
}

func runContactsImport(app *App, o *contactsImportOptions) error {
	b, err := openBook(app)
	if err != nil {
		return err
	}
	var r io.Reader = app.IO.In
	if o.File != "-" {
		f, err := os.Open(o.File)
		if err != nil {
			return output.Wrap(output.Usage, err, "", "give the path of a file written by `akw contacts export`")
		}
		defer f.Close()
		r = f
	}
	rep, err := b.Import(r, o.Merge)
	if err != nil {
		return contactsError(err)
	}
	return app.Printer.Result(rep, func(w io.Writer) error {
		for _, part := range []struct {
			what  string
			names []string
		}{{"added", rep.Added}, {"unchanged", rep.Unchanged}, {"kept (the book's entry)", rep.Kept}, {"replaced (the file's entry)", rep.Replaced}} {
			if len(part.names) > 0 {
				fmt.Fprintf(w, "%s: @%s\n", part.what, strings.Join(part.names, ", @"))
			}
		}
		if len(rep.Added)+len(rep.Unchanged)+len(rep.Kept)+len(rep.Replaced) == 0 {
			fmt.Fprintln(w, "the file holds no contacts")
		}
		return nil
	})
}

// contactsExported is the JSON of an export to a file.
type contactsExported struct {
	Path     string `json:"path"`
	Contacts int    `json:"contacts"`
}

func newContactsExportCmd(app *App, runF func(*contactsExportOptions) error) *cobra.Command {
	o := &contactsExportOptions{}
	cmd := &cobra.Command{
		Use:   "export [FILE]",
		Short: "Export the contacts as JSON, to FILE (mode 0600) or stdout",
		Long: `Export the address book as JSON (the format "akw contacts import" reads),
to stdout or to FILE. An existing FILE is not replaced unless --overwrite
is given.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			if len(args) == 1 && args[0] != "-" {
				o.File = args[0]
			}
			if o.Overwrite && o.File == "" {
				return output.UsageError("--overwrite without a FILE", "give the FILE to replace, or leave --overwrite out to write to stdout")
			}
			if runF != nil {
				return runF(o)
			}
			return runContactsExport(app, o)
		},
	}
	cmd.Flags().BoolVar(&o.Overwrite, "overwrite", false, "replace FILE if it exists")
	return cmd
}

func runContactsExport(app *App, o *contactsExportOptions) error {
	b, err := openBook(app)
	if err != nil {
		return err
	}
	if o.File == "" {
		// The export is JSON in either output format: it is the answer.
		return contactsError(b.Export(app.IO.Out))
	}
	cs, err := b.List()
	if err != nil {
		return contactsError(err)
	}
	if err := writeExport(o.File, contacts.Format(cs), o.Overwrite); err != nil {
		return err
	}
	return app.Printer.Result(contactsExported{Path: o.File, Contacts: len(cs)}, func(w io.Writer) error {
		fmt.Fprintf(w, "exported %d contacts to %s\n", len(cs), o.File)
		return nil
	})
}

// writeExport writes an export to path with mode 0600: a new file
// (writeNewFile: an existing one is refused), or with overwrite a
// replacement through a temporary file and a rename.
func writeExport(path string, data []byte, overwrite bool) error {
	if !overwrite {
		if _, err := os.Lstat(path); err == nil {
			return output.UsageError(path+" already exists", "choose another FILE, or pass --overwrite to replace it")
		}
		return writeNewFile(path, data)
	}
	if err := atomicfile.Write(path, data, 0o600); err != nil {
		return output.Wrap(output.Failure, err, "cannot write "+path+": "+err.Error(), "check that the directory exists and is writable")
	}
	return nil
}
