package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/internal/output"
	"github.com/akash-wallet/akw/keys"
)

// keysExportOptions are what `akw keys export` was asked.
type keysExportOptions struct {
	Keyring        *keyringOptions
	Name           string
	Out            string
	PassphraseFile string
}

func newKeysExportCmd(app *App, ko *keyringOptions, runF func(*keysExportOptions) error) *cobra.Command {
	o := &keysExportOptions{Keyring: ko}
	cmd := &cobra.Command{
		Use:   "export NAME",
		Short: "Export a local key, encrypted with a passphrase (armored)",
		Long: `Export the private key of a local key as an armored text, encrypted with a
new passphrase (argon2id and chacha20-poly1305, the format of the cosmos-sdk:
` + "`akash keys import`" + ` reads it). The passphrase comes from the terminal (asked
twice), --passphrase-file or AKW_ARMOR_PASSPHRASE.

The armor goes to stdout, or to --out FILE (created 0600; an existing file is
not overwritten).`,
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			o.Name = args[0]
			if runF != nil {
				return runF(o)
			}
			return runKeysExport(app, o)
		},
	}
	cmd.Flags().StringVar(&o.Out, "out", "", "write the armor to FILE instead of stdout")
	cmd.Flags().StringVar(&o.PassphraseFile, "passphrase-file", "", "read the export passphrase from the first line of FILE (env AKW_ARMOR_PASSPHRASE)")
	return cmd
}

func runKeysExport(app *App, o *keysExportOptions) error {
	args := []string{o.Name}
	src, err := armorPassphrase(app, o.PassphraseFile)
	if err != nil {
		return err
	}
	kr, err := openKeyring(app, o.Keyring)
	if err != nil {
		return err
	}
	armor, err := kr.ExportArmor(args[0], src)
	if err != nil {
		return keysError(err)
	}
	res := struct {
		Name  string `json:"name"`
		Armor string `json:"armor,omitempty"`
		File  string `json:"file,omitempty"`
	}{Name: args[0]}
	if o.Out != "" {
		if err := writeNewFile(o.Out, []byte(armor+"\n")); err != nil {
			return err
		}
		res.File = o.Out
	} else {
		res.Armor = armor
	}
	return app.Printer.Result(res, func(w io.Writer) error {
		if o.Out != "" {
			fmt.Fprintf(w, "Exported %q to %s (encrypted).\n", args[0], o.Out)
			return nil
		}
		_, err := fmt.Fprintln(w, armor)
		return err
	})
}

// writeNewFile writes data to path with mode 0600, refusing to replace an
// existing file; a temporary name and a hard link make it all or nothing.
func writeNewFile(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return output.Wrap(output.Failure, err, "", "")
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if _, err := f.Write(data); err != nil {
		f.Close()
		return output.Wrap(output.Failure, err, "", "")
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return output.Wrap(output.Failure, err, "", "")
	}
	if err := f.Close(); err != nil {
		return output.Wrap(output.Failure, err, "", "")
	}
	// CreateTemp made it 0600. Link fails if path exists: never clobber.
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return output.UsageError(fmt.Sprintf("%s already exists", path), "choose another --out file, or remove it first")
		}
		return output.Wrap(output.Failure, err, "", "")
	}
	return nil
}

// keysImportOptions are what `akw keys import` was asked.
type keysImportOptions struct {
	Keyring        *keyringOptions
	Name           string
	File           string
	Overwrite      bool
	PassphraseFile string
}

func newKeysImportCmd(app *App, ko *keyringOptions, runF func(*keysImportOptions) error) *cobra.Command {
	o := &keysImportOptions{Keyring: ko}
	cmd := &cobra.Command{
		Use:   "import NAME FILE",
		Short: "Import an armored private key (from akw or akash keys export)",
		Long: `Import the armored, passphrase-protected private key in FILE ("-" for stdin)
under NAME. The passphrase comes from the terminal, --passphrase-file or
AKW_ARMOR_PASSPHRASE. A key whose name or address is already in the keyring
is refused unless --overwrite is given.`,
		Args: cobra.ExactArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			o.Name, o.File = args[0], args[1]
			if err := keys.CheckName(o.Name); err != nil {
				return keysError(err)
			}
			if runF != nil {
				return runF(o)
			}
			return runKeysImport(app, o)
		},
	}
	cmd.Flags().BoolVar(&o.Overwrite, "overwrite", false, "replace a key with the same name or the same address")
	cmd.Flags().StringVar(&o.PassphraseFile, "passphrase-file", "", "read the armor's passphrase from the first line of FILE (env AKW_ARMOR_PASSPHRASE)")
	return cmd
}

func runKeysImport(app *App, o *keysImportOptions) error {
	name, file := o.Name, o.File
	var armor []byte
	var err error
	if file == "-" {
		armor, err = io.ReadAll(io.LimitReader(app.IO.In, 1<<16))
	} else {
		armor, err = os.ReadFile(file)
	}
	if err != nil {
		return output.Wrap(output.Usage, err, "", "give the file written by `akw keys export`")
	}
	src, err := armorPassphrase(app, o.PassphraseFile)
	if err != nil {
		return err
	}
	kr, err := openKeyring(app, o.Keyring)
	if err != nil {
		return err
	}
	k, err := kr.ImportArmor(name, string(armor), src, o.Overwrite)
	if err != nil {
		return keysError(err)
	}
	res := struct {
		Key     keyJSON `json:"key"`
		Backend string  `json:"backend"`
	}{toKeyJSON(k), kr.Backend()}
	return app.Printer.Result(res, func(w io.Writer) error {
		fmt.Fprintf(w, "Imported key %q to the %s keyring.\n", k.Name, kr.Backend())
		writeKeyText(w, k)
		return nil
	})
}
