package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/akash-wallet/akw/internal/output"
	"github.com/akash-wallet/akw/keys"
)

// keysAddOptions are what `akw keys add` was asked: Path is the HD path
// --account and --index make.
type keysAddOptions struct {
	Keyring      *keyringOptions
	Name         string
	Path         keys.HDPath
	Recover      bool
	Ledger       bool
	Account      int64
	Index        int64
	Overwrite    bool
	ShowMnemonic bool
	// MultisigArgs are the --multisig values as typed; Multisig the
	// members they name (keys_multisig.go).
	MultisigArgs      []string
	Multisig          []string
	MultisigThreshold int
}

func newKeysAddCmd(app *App, ko *keyringOptions, runF func(*keysAddOptions) error) *cobra.Command {
	o := &keysAddOptions{Keyring: ko}
	cmd := &cobra.Command{
		Use:   "add NAME",
		Short: "Add a key: new, recovered from a mnemonic, on a Ledger, or a multisig of other keys",
		Long: `Add a key to the keyring.

Without flags a new key is made from a new 24-word mnemonic, shown once: write
it down, akw will not show it again. In JSON mode it is shown only with
--show-mnemonic.

--recover reads an existing mnemonic from stdin (or asks on the terminal,
without echo). --ledger stores the public key of a Ledger key; the device
shows the address for you to approve. --account and --index choose the HD path
m/44'/118'/account'/0/index.

--multisig a,b,c --multisig-threshold K stores the public key of a multisig
account: K of the members a, b, c (key names in this keyring, or public keys
as ` + "`akw keys show`" + ` prints them) must sign its transactions.

A key whose name or address is already in the keyring is refused unless
--overwrite is given.`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			o.Name = args[0]
			if err := o.validate(); err != nil {
				return err
			}
			if err := o.validateMultisig(c.Flags().Changed("multisig-threshold")); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			if o.Multisig != nil {
				return runKeysAddMultisig(app, o)
			}
			return runKeysAdd(app, o)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.Recover, "recover", false, "recover the key from a mnemonic read from stdin or the terminal")
	f.BoolVar(&o.Ledger, "ledger", false, "store a Ledger key (public key and path; the secret stays on the device)")
	f.Int64Var(&o.Account, "account", 0, "HD account: m/44'/118'/ACCOUNT'/0/index")
	f.Int64Var(&o.Index, "index", 0, "HD address index: m/44'/118'/account'/0/INDEX")
	f.BoolVar(&o.Overwrite, "overwrite", false, "replace a key with the same name or the same address")
	f.BoolVar(&o.ShowMnemonic, "show-mnemonic", false, "with -o json, include the new mnemonic in the JSON answer")
	addMultisigFlags(f, o)
	return cmd
}

type addResult struct {
	Key      keyJSON     `json:"key"`
	Backend  string      `json:"backend"`
	Mnemonic string      `json:"mnemonic,omitempty"`
	Device   *deviceJSON `json:"device,omitempty"`
}

type deviceJSON struct {
	Shown       string `json:"shown"`
	HRP         string `json:"hrp"`
	Fallback    bool   `json:"fallback"`
	Explanation string `json:"explanation,omitempty"`
}

// validate checks the flags and the name, before any keyring is opened
// or any mnemonic read.
func (o *keysAddOptions) validate() error {
	if o.Recover && o.Ledger {
		return output.UsageError("--recover and --ledger cannot be combined", "a Ledger key is recovered on the device itself")
	}
	if o.ShowMnemonic && (o.Recover || o.Ledger) {
		return output.UsageError("--show-mnemonic is for new keys only", "")
	}
	path, err := keys.NewHDPath(o.Account, o.Index)
	if err != nil {
		return keysError(err)
	}
	o.Path = path
	if err := keys.CheckName(o.Name); err != nil {
		return keysError(err)
	}
	return nil
}

func runKeysAdd(app *App, o *keysAddOptions) error {
	ko, name, path := o.Keyring, o.Name, o.Path
	var (
		mnemonic string
		err      error
	)
	if o.Recover {
		// Read the mnemonic before opening the keyring, so a bad one fails
		// before any passphrase is asked.
		if mnemonic, err = readMnemonic(app); err != nil {
			return err
		}
		if _, err := keys.NormalizeMnemonic(mnemonic); err != nil {
			return keysError(err)
		}
	}
	kr, err := openKeyring(app, ko)
	if err != nil {
		return err
	}
	res := addResult{Backend: kr.Backend()}
	var k keys.Key
	switch {
	case o.Ledger:
		if keys.LedgerPathNeedsExpertMode(path.Account, path.Index) {
			app.Printer.Warn("account or index above %d: the Cosmos app accepts it only in expert mode", keys.LedgerExpertModeLimit)
		}
		fmt.Fprintf(app.IO.Err, "Check the address on your Ledger and approve it (path %s).\n", path)
		lk, err := kr.AddLedger(name, path, o.Overwrite)
		if err != nil {
			return keysError(err)
		}
		if k, err = kr.Key(name); err != nil {
			return keysError(err)
		}
		res.Device = &deviceJSON{Shown: lk.Shown.Address, HRP: lk.Shown.HRP, Fallback: lk.Shown.Fallback, Explanation: lk.Shown.Explanation()}
	case o.Recover:
		if k, err = kr.Recover(name, mnemonic, keys.HDOptions{Path: path, Overwrite: o.Overwrite}); err != nil {
			return keysError(err)
		}
	default:
		if k, mnemonic, err = kr.Create(name, keys.HDOptions{Path: path, Overwrite: o.Overwrite}); err != nil {
			return keysError(err)
		}
		if app.Output == output.JSON {
			if o.ShowMnemonic {
				res.Mnemonic = mnemonic
				app.Printer.Warn("the JSON answer holds the mnemonic: anyone who reads it controls the account")
			} else {
				app.Printer.Warn("the new key's mnemonic was not shown (JSON mode without --show-mnemonic); back the key up with `akw keys export %s`", name)
			}
		}
	}
	res.Key = toKeyJSON(k)
	return app.Printer.Result(res, func(w io.Writer) error {
		fmt.Fprintf(w, "Added key %q to the %s keyring.\n", k.Name, kr.Backend())
		writeKeyText(w, k)
		if res.Device != nil {
			fmt.Fprintf(w, "device showed: %s\n", res.Device.Shown)
			if res.Device.Explanation != "" {
				fmt.Fprintln(w, res.Device.Explanation)
			}
		}
		if mnemonic != "" && !o.Recover {
			fmt.Fprintln(app.IO.Err, "\nWrite down this mnemonic and keep it offline. It is the only way to recover the key, and akw will not show it again. Anyone who has it controls the account.")
			fmt.Fprintf(w, "\n%s\n", mnemonic)
		}
		return nil
	})
}

// readMnemonic reads a mnemonic from the terminal (no echo) or from stdin
// (a pipe or file). It is never taken from argv.
func readMnemonic(app *App) (string, error) {
	if f, ok := app.IO.In.(*os.File); ok && app.IO.CanPrompt() && term.IsTerminal(int(f.Fd())) {
		b, err := readSecret(int(f.Fd()), app.IO.Err, "Enter the mnemonic (input hidden): ")
		fmt.Fprintln(app.IO.Err)
		if err != nil {
			return "", output.Wrap(output.Failure, err, "cannot read the mnemonic from the terminal", "")
		}
		return string(b), nil
	}
	if app.IO.StdinTTY {
		return "", output.UsageError("--recover needs the mnemonic on stdin, and akw is not running interactively",
			"pipe it in: akw keys add NAME --recover < mnemonic.txt")
	}
	// Bounded: a mnemonic is at most 24 words of at most 8 letters.
	b, err := io.ReadAll(io.LimitReader(bufio.NewReader(app.IO.In), 4096))
	if err != nil {
		return "", output.Wrap(output.Failure, err, "cannot read the mnemonic from stdin", "")
	}
	if strings.TrimSpace(string(b)) == "" {
		return "", output.UsageError("--recover read no mnemonic from stdin",
			"pipe it in: akw keys add NAME --recover < mnemonic.txt")
	}
	return string(b), nil
}
