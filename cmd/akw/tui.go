package main

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/internal/config"
	"github.com/akash-wallet/akw/internal/output"
	"github.com/akash-wallet/akw/keys"
	"github.com/akash-wallet/akw/lightclient/trusted"
	"github.com/akash-wallet/akw/tui"
	"github.com/akash-wallet/akw/tui/backend"
)

// tuiOptions are what `akw tui` was asked.
type tuiOptions struct {
	Key     string
	Keyring keyringOptions
}

// newTuiCmd is `akw tui`: the terminal UI over the configured network and
// keyring.
func newTuiCmd(app *App, runF func(*tuiOptions) error) *cobra.Command {
	o := &tuiOptions{}
	cmd := &cobra.Command{
		Use:   "tui",
		Short: "Open the terminal UI: dashboard, send, stake, claim, vote, deposit, grants, history, keys",
		Long: `Open the terminal UI on the configured network and keyring.

Every balance, delegation, reward and vote on screen is proven against a
header the light client verified; when verification fails the UI says so
and shows no value. Transactions go through the same checks as akw tx.
Running akw with no arguments on a terminal opens it too.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.Keyring.setGiven(cmd.Flags())
			if runF != nil {
				return runF(o)
			}
			return runTUI(app.Context(), app, o)
		},
	}
	cmd.Flags().StringVar(&o.Key, "key", "", "open the dashboard on this key (default: the first key)")
	addKeyringFlags(cmd.Flags(), &o.Keyring)
	return cmd
}

// rootRun is the root command's RunE: akw alone on a terminal opens the
// TUI; anywhere else (a pipe, a script) it prints the help, so that a
// script never hangs on a full-screen program.
func rootRun(app *App) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		if !app.IO.CanPrompt() {
			return cmd.Help()
		}
		return runTUI(cmd.Context(), app, &tuiOptions{})
	}
}

func runTUI(ctx context.Context, app *App, o *tuiOptions) error {
	if !app.IO.CanPrompt() {
		return output.UsageError("the terminal UI needs a terminal on stdin and stdout", "use the akw query and akw tx commands in scripts")
	}
	if err := app.RequireNetwork(); err != nil {
		return err
	}
	// The TUI owns the screen: the light client's notices go to the
	// status bar, not to stderr.
	tc := trustedConfig(app)
	tc.OnNotice = nil
	// The TUI runs for hours: leave the store free between operations so
	// that akw commands in another terminal can use it meanwhile.
	tc.ShareStore = true
	lc, err := trusted.Open(ctx, tc)
	if err != nil {
		return lightError(err)
	}
	defer lc.Close()
	kr, err := openKeyring(app, &o.Keyring)
	if err != nil {
		return err
	}
	if kr.Backend() == keys.BackendFile {
		// The file keyring asks its passphrase on first use; once the
		// UI owns the terminal it could not. Listing the keys asks now.
		if _, err := kr.List(); err != nil {
			return keysError(err)
		}
	}
	be, err := newTUIBackend(lc, kr, app.NetworkName, app.Network, false, app.Paths.DataDir)
	if err != nil {
		return err
	}
	return tuiError(tui.Run(ctx, tui.Options{Backend: be, Key: o.Key}, app.IO.In, app.IO.Out))
}

// newTUIBackend wires the TUI to the light client, proven state, the
// keyring and the transaction flow.
func newTUIBackend(lc *trusted.Client, kr *keys.Keyring, name string, n config.Network, demo bool, home string) (*backend.Backend, error) {
	be, err := backend.Open(backend.Parts{Name: name, Network: n, Light: lc, Keyring: kr, Demo: demo, Home: home})
	if err != nil {
		return nil, output.Wrap(output.Usage, err, "", "check the network's settings with `akw config show`")
	}
	return be, nil
}

// tuiError maps what the program returns: quitting is not an error.
func tuiError(err error) error {
	if err == nil || err == context.Canceled {
		return nil
	}
	var inflight *tui.InFlightError
	if errors.As(err, &inflight) {
		return output.Wrap(output.Failure, err, "", cliHint(inflight))
	}
	return output.Wrap(output.Failure, err, "the terminal UI failed", "")
}
