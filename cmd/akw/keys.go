package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/akash-wallet/akw/internal/output"
	"github.com/akash-wallet/akw/keys"
)

// keyringOptions are the keyring settings beyond the global
// --keyring-backend and --keyring-dir. Each flag has an AKW_* variable,
// so commands that sign (tx) get the same settings from the environment
// when they do not register the flags themselves (addKeyringFlags).
type keyringOptions struct {
	PassphraseFile string        // --keyring-passphrase-file, AKW_KEYRING_PASSPHRASE_FILE
	App            string        // --keyring-app, AKW_KEYRING_APP
	Collection     string        // --keyring-collection, AKW_KEYRING_COLLECTION
	Timeout        time.Duration // --keyring-timeout, AKW_KEYRING_TIMEOUT
	// Given holds the keyring flags that were given (setGiven): a flag
	// given wins over its AKW_* variable, even when empty.
	Given map[string]bool
}

// keyringFlags are the flags addKeyringFlags registers.
var keyringFlags = []string{"keyring-passphrase-file", "keyring-app", "keyring-collection", "keyring-timeout"}

// addKeyringFlags registers the keyring flags on fs.
func addKeyringFlags(fs *pflag.FlagSet, o *keyringOptions) {
	fs.StringVar(&o.PassphraseFile, "keyring-passphrase-file", "", "read the file keyring's passphrase from the first line of FILE (env AKW_KEYRING_PASSPHRASE_FILE; or the passphrase itself in AKW_KEYRING_PASSPHRASE)")
	fs.StringVar(&o.App, "keyring-app", "", "app name of the keyring: \"akash\" opens the Akash CLI's keys (default: akash when --keyring-dir ends in .akash, else akw; env AKW_KEYRING_APP)")
	fs.StringVar(&o.Collection, "keyring-collection", "", "secret-service collection for the os backend (default: the app name; env AKW_KEYRING_COLLECTION)")
	fs.DurationVar(&o.Timeout, "keyring-timeout", keys.DefaultTimeout, "give up on a keyring backend that does not answer within this time (env AKW_KEYRING_TIMEOUT)")
}

// setGiven records which keyring flags fs (a command's parsed flags) gave.
func (o *keyringOptions) setGiven(fs *pflag.FlagSet) {
	o.Given = nil
	for _, name := range keyringFlags {
		if fs.Changed(name) {
			if o.Given == nil {
				o.Given = map[string]bool{}
			}
			o.Given[name] = true
		}
	}
}

func (o *keyringOptions) changed(name string) bool { return o.Given[name] }

// preRunKeyring is the pre-run of a group with keyring flags: it records
// which were given, then runs the root's pre-run (cobra runs only the
// nearest).
func preRunKeyring(o *keyringOptions) func(*cobra.Command, []string) error {
	return func(c *cobra.Command, args []string) error {
		o.setGiven(c.Flags())
		if p := c.Root(); p.PersistentPreRunE != nil {
			return p.PersistentPreRunE(c, args)
		}
		return nil
	}
}

// resolve fills unset options from the environment.
func (o *keyringOptions) resolve() error {
	if !o.changed("keyring-passphrase-file") {
		o.PassphraseFile = os.Getenv("AKW_KEYRING_PASSPHRASE_FILE")
	}
	if !o.changed("keyring-app") {
		o.App = os.Getenv("AKW_KEYRING_APP")
	}
	if !o.changed("keyring-collection") {
		o.Collection = os.Getenv("AKW_KEYRING_COLLECTION")
	}
	if !o.changed("keyring-timeout") {
		if o.Timeout == 0 {
			o.Timeout = keys.DefaultTimeout
		}
		if v := os.Getenv("AKW_KEYRING_TIMEOUT"); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return output.UsageError(fmt.Sprintf("AKW_KEYRING_TIMEOUT=%q is not a positive duration", v), "write it as 5s, 30s or 2m")
			}
			o.Timeout = d
		}
	}
	if o.Timeout <= 0 {
		return output.UsageError("--keyring-timeout must be positive", "write it as 5s, 30s or 2m")
	}
	return nil
}

// keyringPassphrase is where the file keyring's passphrase comes from:
// --keyring-passphrase-file, then AKW_KEYRING_PASSPHRASE, then the
// terminal when akw may prompt. Never a flag value: argv is visible to
// every user of the machine.
func keyringPassphrase(app *App, o *keyringOptions) (keys.PassphraseSource, error) {
	if o.PassphraseFile != "" {
		src, err := keys.PassphraseFromFile(o.PassphraseFile)
		if err != nil {
			return nil, output.Wrap(output.Usage, err, "", "give --keyring-passphrase-file a readable file whose first line is the passphrase")
		}
		return src, nil
	}
	if p, ok := os.LookupEnv("AKW_KEYRING_PASSPHRASE"); ok && p != "" {
		return keys.FixedPassphrase(p), nil
	}
	if tp := newTermPassphrase(app); tp != nil {
		return tp, nil
	}
	return keys.NoPassphrase, nil
}

// armorPassphrase is the source of the passphrase protecting an exported
// key: --passphrase-file, AKW_ARMOR_PASSPHRASE, or the terminal.
func armorPassphrase(app *App, file string) (keys.PassphraseSource, error) {
	if file != "" {
		src, err := keys.PassphraseFromFile(file)
		if err != nil {
			return nil, output.Wrap(output.Usage, err, "", "give --passphrase-file a readable file whose first line is the passphrase")
		}
		return src, nil
	}
	if p, ok := os.LookupEnv("AKW_ARMOR_PASSPHRASE"); ok && p != "" {
		return keys.FixedPassphrase(p), nil
	}
	if tp := newTermPassphrase(app); tp != nil {
		return tp, nil
	}
	return keys.NoPassphrase, nil
}

// termPassphrase reads passphrases from the terminal without echo; the
// prompts go to stderr so stdout keeps only the answer.
type termPassphrase struct {
	fd  int
	err io.Writer
}

func newTermPassphrase(app *App) *termPassphrase {
	if !app.IO.CanPrompt() {
		return nil
	}
	f, ok := app.IO.In.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return &termPassphrase{fd: int(f.Fd()), err: app.IO.Err}
}

func (t *termPassphrase) Interactive() bool { return true }

func (t *termPassphrase) Passphrase(req keys.PassphraseRequest) (string, error) {
	var prompt string
	switch {
	case req.Confirm:
		prompt = "Enter it again: "
	case req.Purpose == "keyring" && req.New:
		prompt = fmt.Sprintf("New passphrase for the file keyring in %s (at least %d characters): ", req.Dir, keys.MinPassphraseLength)
	case req.Purpose == "keyring":
		prompt = fmt.Sprintf("Passphrase of the file keyring in %s", req.Dir)
	case req.Purpose == "export":
		prompt = fmt.Sprintf("Passphrase to encrypt the exported key (at least %d characters): ", keys.MinPassphraseLength)
	default:
		prompt = "Passphrase of the armored key"
	}
	if !req.New && !req.Confirm {
		if req.MaxAttempts > 1 {
			prompt += fmt.Sprintf(" (attempt %d/%d)", req.Attempt, req.MaxAttempts)
		}
		prompt += ": "
	}
	b, err := readSecret(t.fd, t.err, prompt)
	fmt.Fprintln(t.err)
	if err != nil {
		return "", fmt.Errorf("%w: cannot read from the terminal: %v", keys.ErrNoPassphrase, err)
	}
	return string(b), nil
}

// openKeyring opens the keyring the global settings and o select, and
// warns when it is for development only. tx and other commands that sign
// call it too.
func openKeyring(app *App, o *keyringOptions) (*keys.Keyring, error) {
	if err := o.resolve(); err != nil {
		return nil, err
	}
	src, err := keyringPassphrase(app, o)
	if err != nil {
		return nil, err
	}
	kr, err := keys.Open(keys.Config{
		Backend:    app.KeyringBackend,
		Dir:        app.KeyringDir,
		AppName:    o.App,
		Passphrase: src,
		Timeout:    o.Timeout,
		Collection: o.Collection,
	})
	if err != nil {
		return nil, keysError(err)
	}
	kr.OnWarning(func(s string) { app.Printer.Warn("%s", s) })
	switch kr.Backend() {
	case keys.BackendTest:
		app.Printer.Warn("the test keyring backend stores keys unencrypted (its passphrase is \"test\"): for development only")
	case keys.BackendMemory:
		app.Printer.Warn("the memory keyring backend keeps keys only until akw exits: for development only")
	}
	return kr, nil
}

// keysError words an error of the keyring for the command line; an error
// that says no kind of its own is a key error (exit 6). Messages come from
// the keys package, which never puts a secret in one.
func keysError(err error) error { return keysErrors.wrap(err) }

// newKeysCmd is `akw keys` over its verbs; leaves, when not nil, builds
// the verbs instead (flag tests: one verb with a capturing run function).
func newKeysCmd(app *App, leaves func(*keyringOptions) []*cobra.Command) *cobra.Command {
	o := &keyringOptions{}
	cmd := &cobra.Command{
		Use:   "keys",
		Short: "Manage keys: OS keyring, encrypted file, Ledger, multisig",
		Long: `Manage the keys akw signs with: local keys, Ledger keys (the public key
only; the device signs), and multisig keys (the members' public keys and
the threshold; "akw keys add NAME --multisig a,b,c --multisig-threshold K").

Backends (--keyring-backend): os (the secret service, KWallet or pass on
Linux; Keychain on macOS; Credential Manager on Windows), file (encrypted
under --keyring-dir), pass, kwallet, keyctl (Linux kernel user keyring: lost
at reboot), test (unencrypted, development only), memory (lost at exit).
akw reports which store really answered.

Keys made by the Akash CLI are used as they are: pass --keyring-dir ~/.akash
(the app name "akash" follows from the directory), or --keyring-app akash for
the os, pass, kwallet and keyctl backends.

Secrets never go on the command line: the file keyring's passphrase comes
from the terminal, --keyring-passphrase-file or AKW_KEYRING_PASSPHRASE; an
export's from the terminal, --passphrase-file or AKW_ARMOR_PASSPHRASE; a
mnemonic to recover from stdin or the terminal.`,
	}
	addKeyringFlags(cmd.PersistentFlags(), o)
	cmd.PersistentPreRunE = preRunKeyring(o)
	if leaves == nil {
		leaves = func(o *keyringOptions) []*cobra.Command {
			return []*cobra.Command{
				newKeysAddCmd(app, o, nil),
				newKeysListCmd(app, o, nil),
				newKeysShowCmd(app, o, nil),
				newKeysDeleteCmd(app, o, nil),
				newKeysRenameCmd(app, o, nil),
				newKeysExportCmd(app, o, nil),
				newKeysImportCmd(app, o, nil),
			}
		}
	}
	cmd.AddCommand(leaves(o)...)
	return cmd
}

// keyJSON is a key in JSON output.
type keyJSON struct {
	Name    string      `json:"name"`
	Type    string      `json:"type"`
	Address string      `json:"address"`
	PubKey  *pubKeyJSON `json:"pubkey,omitempty"`
	Path    string      `json:"path,omitempty"`
	// Multisig: a multisig key's threshold and members.
	Multisig *multisigKeyJSON `json:"multisig,omitempty"`
}

type pubKeyJSON struct {
	Type string `json:"@type"`
	Key  string `json:"key"`
}

func toKeyJSON(k keys.Key) keyJSON {
	j := keyJSON{Name: k.Name, Type: string(k.Type), Address: k.Address, Path: k.Path, Multisig: toMultisigJSON(k)}
	if k.PubKey != nil {
		j.PubKey = &pubKeyJSON{Type: k.PubKeyTypeURL(), Key: k.PubKeyBase64()}
	}
	return j
}

func writeKeyText(w io.Writer, k keys.Key) {
	fmt.Fprintf(w, "name:    %s\n", k.Name)
	fmt.Fprintf(w, "type:    %s\n", k.Type)
	fmt.Fprintf(w, "address: %s\n", k.Address)
	if k.PubKey != nil {
		fmt.Fprintf(w, "pubkey:  %s\n", k.PubKeyBase64())
	}
	path := k.Path
	if path == "" {
		path = "(not recorded)"
	}
	fmt.Fprintf(w, "path:    %s\n", path)
}
