package main

import (
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/internal/output"
	"github.com/akash-wallet/akw/keys"
)

// keysVerb builds `akw keys` over one verb.
func keysVerb(leaf func(app *App, ko *keyringOptions, got func(any)) *cobra.Command) flagsBuild {
	return func(app *App, got func(any)) *cobra.Command {
		return newKeysCmd(app, func(ko *keyringOptions) []*cobra.Command { return []*cobra.Command{leaf(app, ko, got)} })
	}
}

func TestFlagsKeys(t *testing.T) {
	kr := &keyringOptions{Timeout: keys.DefaultTimeout}
	t.Run("add", func(t *testing.T) {
		runFlagsCases(t, keysVerb(func(app *App, ko *keyringOptions, got func(any)) *cobra.Command {
			return newKeysAddCmd(app, ko, capture[keysAddOptions](got))
		}), []flagsCase{
			{name: "new", args: "keys add alice", want: &keysAddOptions{Keyring: kr, Name: "alice"}},
			{name: "recover at a path", args: "keys add alice --recover --account 2 --index 5 --overwrite",
				want: &keysAddOptions{Keyring: kr, Name: "alice", Path: keys.HDPath{Account: 2, Index: 5}, Recover: true, Account: 2, Index: 5, Overwrite: true}},
			{name: "ledger", args: "keys add hw --ledger", want: &keysAddOptions{Keyring: kr, Name: "hw", Ledger: true}},
			{name: "show mnemonic", args: "keys add alice --show-mnemonic -o json", want: &keysAddOptions{Keyring: kr, Name: "alice", ShowMnemonic: true}},
			{name: "keyring flags", args: "keys add alice --keyring-passphrase-file pw.txt --keyring-collection login --keyring-timeout 2s",
				want: &keysAddOptions{Keyring: &keyringOptions{PassphraseFile: "pw.txt", Collection: "login", Timeout: 2 * time.Second,
					Given: map[string]bool{"keyring-passphrase-file": true, "keyring-collection": true, "keyring-timeout": true}}, Name: "alice"}},
			{name: "recover and ledger", args: "keys add alice --recover --ledger", code: output.Usage, msg: "--recover and --ledger cannot be combined"},
			{name: "show mnemonic of a recovered key", args: "keys add alice --recover --show-mnemonic", code: output.Usage, msg: "--show-mnemonic is for new keys only"},
			{name: "negative account", args: "keys add alice --account -1", code: output.Usage, msg: "account -1 is out of range"},
			{name: "index too large", args: "keys add alice --index 2147483648", code: output.Usage, msg: "out of range"},
			{name: "bad name", args: "keys add al/ice", code: output.Usage, msg: "may only contain"},
			{name: "no name", args: "keys add", code: output.Usage, msg: "accepts 1 arg"},
			{name: "bad keyring timeout", args: "keys add alice --keyring-timeout soon", code: output.Usage, msg: "--keyring-timeout"},
			{name: "multisig", args: "keys add treasury --multisig hw,desk,spare --multisig-threshold 2",
				want: &keysAddOptions{Keyring: kr, Name: "treasury", MultisigArgs: []string{"hw,desk,spare"}, Multisig: []string{"hw", "desk", "spare"}, MultisigThreshold: 2}},
			{name: "multisig repeated, a public key's JSON", args: `keys add treasury --multisig hw --multisig {"@type":"/cosmos.crypto.secp256k1.PubKey","key":"A9DL"},desk --multisig-threshold 3 --overwrite`,
				want: &keysAddOptions{Keyring: kr, Name: "treasury", MultisigArgs: []string{"hw", `{"@type":"/cosmos.crypto.secp256k1.PubKey","key":"A9DL"},desk`},
					Multisig: []string{"hw", `{"@type":"/cosmos.crypto.secp256k1.PubKey","key":"A9DL"}`, "desk"}, MultisigThreshold: 3, Overwrite: true}},
			{name: "multisig threshold above members", args: "keys add t --multisig a,b,c --multisig-threshold 4", code: output.Usage, msg: "--multisig-threshold 4 with 3 members"},
			{name: "multisig threshold zero", args: "keys add t --multisig a,b,c --multisig-threshold 0", code: output.Usage, msg: "must be from 1 to 3"},
			{name: "multisig without threshold", args: "keys add t --multisig a,b,c", code: output.Usage, msg: "--multisig needs --multisig-threshold"},
			{name: "threshold without multisig", args: "keys add t --multisig-threshold 2", code: output.Usage, msg: "--multisig-threshold without --multisig"},
			{name: "multisig duplicate member", args: "keys add t --multisig a,b,a --multisig-threshold 2", code: output.Usage, msg: `member "a" is given twice`},
			{name: "multisig empty member", args: "keys add t --multisig a,,b --multisig-threshold 2", code: output.Usage, msg: "empty member"},
			{name: "multisig of one", args: "keys add t --multisig a --multisig-threshold 1", code: output.Usage, msg: "from 2 to 7"},
			{name: "multisig of eight", args: "keys add t --multisig a,b,c,d,e,f,g,h --multisig-threshold 2", code: output.Usage, msg: "from 2 to 7"},
			{name: "multisig and ledger", args: "keys add t --multisig a,b --multisig-threshold 1 --ledger", code: output.Usage, msg: "cannot be combined"},
			{name: "multisig and index", args: "keys add t --multisig a,b --multisig-threshold 1 --index 2", code: output.Usage, msg: "no HD path"},
			{name: "multisig bad threshold", args: "keys add t --multisig a,b --multisig-threshold two", code: output.Usage, msg: "invalid argument"},
		})
	})
	t.Run("list", func(t *testing.T) {
		runFlagsCases(t, keysVerb(func(app *App, ko *keyringOptions, got func(any)) *cobra.Command {
			return newKeysListCmd(app, ko, capture[keysListOptions](got))
		}), []flagsCase{
			{name: "plain", args: "keys list --keyring-backend test", want: &keysListOptions{Keyring: kr}},
			{name: "keyring app", args: "keys list --keyring-app akash", want: &keysListOptions{Keyring: &keyringOptions{App: "akash", Timeout: keys.DefaultTimeout, Given: map[string]bool{"keyring-app": true}}}},
			{name: "an argument", args: "keys list alice", code: output.Usage, msg: "unknown command"},
			{name: "bad backend", args: "keys list --keyring-backend vault", code: output.Usage, msg: "unknown keyring backend"},
		})
	})
	t.Run("show", func(t *testing.T) {
		runFlagsCases(t, keysVerb(func(app *App, ko *keyringOptions, got func(any)) *cobra.Command {
			return newKeysShowCmd(app, ko, capture[keysShowOptions](got))
		}), []flagsCase{
			{name: "plain", args: "keys show alice", want: &keysShowOptions{Keyring: kr, Name: "alice"}},
			{name: "address device", args: "keys show hw --address --device", want: &keysShowOptions{Keyring: kr, Name: "hw", AddressOnly: true, Device: true}},
			{name: "no name", args: "keys show", code: output.Usage, msg: "accepts 1 arg"},
			{name: "bool with a value", args: "keys show hw --device=maybe", code: output.Usage, msg: "invalid argument"},
		})
	})
	t.Run("delete", func(t *testing.T) {
		runFlagsCases(t, keysVerb(func(app *App, ko *keyringOptions, got func(any)) *cobra.Command {
			return newKeysDeleteCmd(app, ko, capture[keysDeleteOptions](got))
		}), []flagsCase{
			{name: "plain", args: "keys delete alice -y", want: &keysDeleteOptions{Keyring: kr, Name: "alice"}},
			{name: "two names", args: "keys delete alice bob", code: output.Usage, msg: "accepts 1 arg"},
		})
	})
	t.Run("rename", func(t *testing.T) {
		runFlagsCases(t, keysVerb(func(app *App, ko *keyringOptions, got func(any)) *cobra.Command {
			return newKeysRenameCmd(app, ko, capture[keysRenameOptions](got))
		}), []flagsCase{
			{name: "plain", args: "keys rename alice alicia", want: &keysRenameOptions{Keyring: kr, Old: "alice", New: "alicia"}},
			{name: "bad new name", args: "keys rename alice .hidden", code: output.Usage, msg: "must not start with"},
			{name: "one name", args: "keys rename alice", code: output.Usage, msg: "accepts 2 arg"},
		})
	})
	t.Run("export", func(t *testing.T) {
		runFlagsCases(t, keysVerb(func(app *App, ko *keyringOptions, got func(any)) *cobra.Command {
			return newKeysExportCmd(app, ko, capture[keysExportOptions](got))
		}), []flagsCase{
			{name: "stdout", args: "keys export alice", want: &keysExportOptions{Keyring: kr, Name: "alice"}},
			{name: "file", args: "keys export alice --out alice.armor --passphrase-file pw", want: &keysExportOptions{Keyring: kr, Name: "alice", Out: "alice.armor", PassphraseFile: "pw"}},
			{name: "no name", args: "keys export", code: output.Usage, msg: "accepts 1 arg"},
		})
	})
	t.Run("import", func(t *testing.T) {
		runFlagsCases(t, keysVerb(func(app *App, ko *keyringOptions, got func(any)) *cobra.Command {
			return newKeysImportCmd(app, ko, capture[keysImportOptions](got))
		}), []flagsCase{
			{name: "file", args: "keys import alice alice.armor", want: &keysImportOptions{Keyring: kr, Name: "alice", File: "alice.armor"}},
			{name: "stdin overwrite", args: "keys import alice - --overwrite --passphrase-file pw", want: &keysImportOptions{Keyring: kr, Name: "alice", File: "-", Overwrite: true, PassphraseFile: "pw"}},
			{name: "bad name", args: "keys import a:b alice.armor", code: output.Usage, msg: "may only contain"},
			{name: "no file", args: "keys import alice", code: output.Usage, msg: "accepts 2 arg"},
		})
	})
}
