package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/keys"
)

// keysListOptions are what `akw keys list` was asked.
type keysListOptions struct {
	Keyring *keyringOptions
}

func newKeysListCmd(app *App, ko *keyringOptions, runF func(*keysListOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the keys in the keyring",
		Args:  cobra.NoArgs,
		RunE: func(_ *cobra.Command, _ []string) error {
			o := &keysListOptions{Keyring: ko}
			if runF != nil {
				return runF(o)
			}
			return runKeysList(app, o)
		},
	}
}

func runKeysList(app *App, o *keysListOptions) error {
	kr, err := openKeyring(app, o.Keyring)
	if err != nil {
		return err
	}
	ks, err := kr.List()
	if err != nil {
		return keysError(err)
	}
	res := struct {
		Backend  string    `json:"backend"`
		Location string    `json:"location"`
		Keys     []keyJSON `json:"keys"`
	}{Backend: kr.Backend(), Location: kr.Location(), Keys: []keyJSON{}}
	names := map[string]string{}
	for _, k := range ks {
		names[k.Address] = k.Name
	}
	for _, k := range ks {
		j := toKeyJSON(k)
		nameMembersFrom(names, &j)
		res.Keys = append(res.Keys, j)
	}
	return app.Printer.Result(res, func(w io.Writer) error {
		fmt.Fprintf(w, "Keyring: %s (%s)\n", kr.Backend(), kr.Location())
		if len(ks) == 0 {
			fmt.Fprintln(w, "No keys. Add one with `akw keys add NAME`.")
			return nil
		}
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tTYPE\tADDRESS\tPATH")
		for i, k := range ks {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", k.Name, listType(res.Keys[i]), k.Address, k.Path)
		}
		return tw.Flush()
	})
}

// keysShowOptions are what `akw keys show` was asked.
type keysShowOptions struct {
	Keyring     *keyringOptions
	Name        string
	AddressOnly bool
	Device      bool
}

func newKeysShowCmd(app *App, ko *keyringOptions, runF func(*keysShowOptions) error) *cobra.Command {
	o := &keysShowOptions{Keyring: ko}
	cmd := &cobra.Command{
		Use:   "show NAME",
		Short: "Show a key: address, public key, type and path",
		Long: `Show a key: address, public key, type (local, ledger, offline) and HD path.

--device (Ledger keys) makes the Ledger display the address too, for you to
compare with the one printed here. Cosmos app v2.38.12 and later refuse to
display akash1... addresses; the device then shows the cosmos1... form of the
same key, and akw says so.`,
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			o.Name = args[0]
			if runF != nil {
				return runF(o)
			}
			return runKeysShow(app, o)
		},
	}
	cmd.Flags().BoolVar(&o.AddressOnly, "address", false, "print only the address")
	cmd.Flags().BoolVar(&o.Device, "device", false, "also show the address on the Ledger (Ledger keys)")
	return cmd
}

func runKeysShow(app *App, o *keysShowOptions) error {
	kr, err := openKeyring(app, o.Keyring)
	if err != nil {
		return err
	}
	k, err := kr.Key(o.Name)
	if err != nil {
		return keysError(err)
	}
	res := struct {
		keyJSON
		Device *deviceJSON `json:"device,omitempty"`
	}{keyJSON: toKeyJSON(k)}
	nameMembers(kr, &res.keyJSON)
	if o.Device {
		if k.Type != keys.TypeLedger {
			return keysError(fmt.Errorf("%w: %q is a %s key", keys.ErrNotLedgerKey, k.Name, k.Type))
		}
		fmt.Fprintf(app.IO.Err, "The Ledger will show the address of %q. Compare it with %s and approve.\n", k.Name, k.Address)
		shown, err := kr.ShowOnDevice(k.Name)
		if err != nil {
			return keysError(err)
		}
		res.Device = &deviceJSON{Shown: shown.Address, HRP: shown.HRP, Fallback: shown.Fallback, Explanation: shown.Explanation()}
	}
	return app.Printer.Result(res, func(w io.Writer) error {
		if o.AddressOnly {
			fmt.Fprintln(w, k.Address)
		} else {
			writeKeyText(w, k)
			writeMultisigText(w, res.Multisig)
		}
		if res.Device != nil {
			fmt.Fprintf(w, "device showed: %s (approved)\n", res.Device.Shown)
			if res.Device.Explanation != "" {
				fmt.Fprintln(w, res.Device.Explanation)
			}
		}
		return nil
	})
}

// keysDeleteOptions are what `akw keys delete` was asked.
type keysDeleteOptions struct {
	Keyring *keyringOptions
	Name    string
}

func newKeysDeleteCmd(app *App, ko *keyringOptions, runF func(*keysDeleteOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   "delete NAME",
		Short: "Delete a key (asks first, or -y)",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			o := &keysDeleteOptions{Keyring: ko, Name: args[0]}
			if runF != nil {
				return runF(o)
			}
			return runKeysDelete(app, o)
		},
	}
}

func runKeysDelete(app *App, o *keysDeleteOptions) error {
	kr, err := openKeyring(app, o.Keyring)
	if err != nil {
		return err
	}
	k, err := kr.Key(o.Name)
	if err != nil {
		return keysError(err)
	}
	q := fmt.Sprintf("Delete key %q (%s)? Without its mnemonic or an export it cannot be recovered.", k.Name, k.Address)
	if k.Type != keys.TypeLocal {
		q = fmt.Sprintf("Delete key %q (%s, %s)?", k.Name, k.Address, k.Type)
	}
	if err := app.Confirm(q); err != nil {
		return err
	}
	if err := kr.Delete(k.Name); err != nil {
		return keysError(err)
	}
	res := struct {
		Deleted string `json:"deleted"`
		Address string `json:"address"`
	}{k.Name, k.Address}
	return app.Printer.Result(res, func(w io.Writer) error {
		_, err := fmt.Fprintf(w, "Deleted key %q (%s).\n", k.Name, k.Address)
		return err
	})
}

// keysRenameOptions are what `akw keys rename` was asked.
type keysRenameOptions struct {
	Keyring *keyringOptions
	Old     string
	New     string
}

func newKeysRenameCmd(app *App, ko *keyringOptions, runF func(*keysRenameOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   "rename OLD NEW",
		Short: "Rename a key",
		Args:  cobra.ExactArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			o := &keysRenameOptions{Keyring: ko, Old: args[0], New: args[1]}
			if err := keys.CheckName(o.New); err != nil {
				return keysError(err)
			}
			if runF != nil {
				return runF(o)
			}
			return runKeysRename(app, o)
		},
	}
}

func runKeysRename(app *App, o *keysRenameOptions) error {
	args := []string{o.Old, o.New}
	kr, err := openKeyring(app, o.Keyring)
	if err != nil {
		return err
	}
	if err := kr.Rename(args[0], args[1]); err != nil {
		return keysError(err)
	}
	k, err := kr.Key(args[1])
	if err != nil {
		return keysError(err)
	}
	res := struct {
		From string  `json:"from"`
		Key  keyJSON `json:"key"`
	}{args[0], toKeyJSON(k)}
	return app.Printer.Result(res, func(w io.Writer) error {
		_, err := fmt.Fprintf(w, "Renamed %q to %q (%s).\n", args[0], k.Name, k.Address)
		return err
	})
}
