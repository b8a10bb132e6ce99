package main

import (
	"context"
	"fmt"
	"os"
	"time"

	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/internal/config"
	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/ledgeremu"
	"github.com/akash-wallet/akw/internal/output"
	"github.com/akash-wallet/akw/keys"
	"github.com/akash-wallet/akw/lightclient/trusted"
	"github.com/akash-wallet/akw/tui"
)

// demoOptions are what `akw demo` was asked.
type demoOptions struct {
	Validators   int
	Keep         bool
	VotingPeriod time.Duration
	Ledger       bool
}

// newDemoCmd is `akw demo`: a throwaway local chain with funded keys and
// the TUI on it, so that a newcomer sees the whole wallet in one command.
func newDemoCmd(app *App, runF func(*demoOptions) error) *cobra.Command {
	o := &demoOptions{}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Start a local devnet with funded keys and open the terminal UI on it",
		Long: `Start a throwaway Akash devnet in this process (validators on 127.0.0.1,
funded accounts in a test keyring, a delegation and a governance proposal
to vote on), initialise the light client on it, and open the terminal UI.

Everything is real: the headers are verified by the light client, the
balances are proven, the transactions are signed and broadcast. Only the
chain is local and its keys are for play. The chain is deleted when the
UI quits, unless --keep is given.`,
		Args: cobra.NoArgs,
		RunE: func(_ *cobra.Command, _ []string) error {
			if err := o.validate(app); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return runDemo(app.Context(), app, o)
		},
	}
	cmd.Flags().IntVar(&o.Validators, "validators", devnet.DefaultValidators, "number of validators (at least 2, so the light client has a witness)")
	cmd.Flags().BoolVar(&o.Keep, "keep", false, "keep the devnet's directory after quitting (it is printed)")
	cmd.Flags().DurationVar(&o.VotingPeriod, "voting-period", 30*time.Minute, "governance voting period of the demo chain")
	cmd.Flags().BoolVar(&o.Ledger, "ledger", true, "add a funded key on an emulated Ledger (it approves each review after a few seconds), to show the Ledger screens")
	return cmd
}

// validate checks what needs no chain: a terminal for the UI, and a
// witness for the light client.
func (o *demoOptions) validate(app *App) error {
	if !app.IO.CanPrompt() {
		return output.UsageError("akw demo opens the terminal UI and needs a terminal", "use `akw devnet` for a chain without the UI")
	}
	if o.Validators < 2 {
		return output.UsageError("--validators must be at least 2", "the light client needs a witness besides the primary")
	}
	return nil
}

func runDemo(ctx context.Context, app *App, o *demoOptions) error {
	dir, err := os.MkdirTemp("", "akw-demo-")
	if err != nil {
		return output.Wrap(output.Failure, err, "cannot create the demo's directory", "")
	}
	if o.Keep {
		defer fmt.Fprintf(app.IO.Err, "The demo chain's files are in %s\n", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	say := func(format string, args ...any) { fmt.Fprintf(app.IO.Err, format+"\n", args...) }
	say("Starting a local devnet with %d validators in %s …", o.Validators, dir)
	n, err := devnet.Start(ctx, devnet.Config{Dir: dir, Validators: o.Validators, VotingPeriod: o.VotingPeriod,
		Logf: func(format string, args ...any) { say("  "+format, args...) }})
	if err != nil {
		return output.Wrap(output.Failure, err, "the devnet did not start", "")
	}
	defer n.Stop()
	if err := seedDemo(ctx, n, say); err != nil {
		return err
	}

	info := n.Info()
	net := config.Presets()[config.Devnet]
	net.ChainID, net.RPC, net.Witnesses = info.ChainID, info.RPC[0], info.RPC[1:]
	tc := trusted.Config{ChainID: net.ChainID, Primary: net.RPC, Witnesses: net.Witnesses, Home: dir,
		TrustingPeriod: time.Duration(net.TrustingPeriod), ShareStore: true}
	say("Initialising the light client (trusting the newest header of this local chain, cross-checked by %d witness(es)) …", len(net.Witnesses))
	// A demo chain started a moment ago by this very process is the
	// trust root; on a real network `akw light init` asks the user.
	lc, err := trusted.Init(ctx, tc, trusted.TrustRoot{Latest: true},
		trusted.InitOptions{Confirm: func(trusted.Candidate) (bool, error) { return true, nil }})
	if err != nil {
		return lightError(err)
	}
	defer lc.Close()
	kr, err := keys.Open(keys.Config{Backend: keys.BackendTest, Dir: info.KeyringDir, AppName: devnet.KeyringAppName})
	if err != nil {
		return keysError(err)
	}
	if o.Ledger {
		if err := demoLedger(ctx, n, kr, say); err != nil {
			return err
		}
	}
	be, err := newTUIBackend(lc, kr, config.Devnet, net, true, dir)
	if err != nil {
		return err
	}
	return tuiError(tui.Run(ctx, tui.Options{Backend: be}, app.IO.In, app.IO.Out))
}

// seedDemo gives the dashboard something to show: the first account
// delegates to the first validator, the second proposes a text proposal
// that is in its voting period at once.
func seedDemo(ctx context.Context, n *devnet.Network, say func(string, ...any)) error {
	accs, vals := n.Accounts(), n.Validators()
	if len(accs) < 2 || len(vals) < 1 {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	say("Delegating 100 AKT from %s to %s, and proposing something to vote on …", accs[0].Name, vals[0].Name)
	if _, err := n.Delegate(ctx, accs[0].Name, vals[0].OperatorAddress, sdk.NewCoin("uakt", sdkmath.NewInt(100_000_000))); err != nil {
		return output.Wrap(output.Failure, err, "could not seed the demo chain", "")
	}
	deposit := sdk.NewCoins(sdk.NewCoin("uakt", devnet.MinDeposit.MulRaw(10)))
	if _, _, err := n.SubmitProposal(ctx, accs[1].Name, "Fund a public RPC for the demo",
		"A text proposal made by akw demo so that there is something to vote on. Vote yes, no, abstain or no with veto, or split your vote.",
		deposit); err != nil {
		return output.Wrap(output.Failure, err, "could not seed the demo chain", "")
	}
	return nil
}

// demoLedgerName is the demo's emulated Ledger key.
const demoLedgerName = "emulated-ledger"

// demoLedger plugs in an emulated Ledger (the Cosmos app at the APDU level,
// under the real ledger-cosmos-go client) whose user approves every review
// after a pause, adds its key at m/44'/118'/0'/0/1 of the first account's
// seed, and funds it, so that the demo shows the "confirm on your Ledger"
// screens. Only the demo does this; akw never emulates a device otherwise.
func demoLedger(ctx context.Context, n *devnet.Network, kr *keys.Keyring, say func(string, ...any)) error {
	accs := n.Accounts()
	if len(accs) == 0 {
		return nil
	}
	dev, err := ledgeremu.New(ledgeremu.Config{Mnemonic: accs[0].Mnemonic,
		User: ledgeremu.UserFunc(func(r ledgeremu.Review) ledgeremu.Decision {
			if r.Kind == ledgeremu.ReviewTransaction {
				time.Sleep(3 * time.Second) // a person reading the device's screens
			}
			return ledgeremu.Approve
		})})
	if err != nil {
		return output.Wrap(output.Failure, err, "could not start the emulated Ledger", "")
	}
	keys.SetLedgerConnector(dev.Connect)
	say("Adding %q: a key on an emulated Ledger (it approves each transaction after 3 s) …", demoLedgerName)
	lk, err := kr.AddLedger(demoLedgerName, keys.HDPath{Account: 0, Index: 1}, false)
	if err != nil {
		return keysError(err)
	}
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if _, err := n.Send(ctx, accs[0].Name, lk.Address, sdk.NewCoins(sdk.NewCoin("uakt", sdkmath.NewInt(250_000_000)))); err != nil {
		return output.Wrap(output.Failure, err, "could not fund the emulated Ledger key", "")
	}
	return nil
}
