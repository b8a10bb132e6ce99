package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/internal/config"
	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/ledgeremu"
	"github.com/akash-wallet/akw/internal/output"
	"github.com/akash-wallet/akw/keys"
	"github.com/akash-wallet/akw/lightclient/trusted"
	"github.com/akash-wallet/akw/tui"
	"github.com/akash-wallet/akw/tui/backend"
)

// demoOptions are `akw demo`'s flags, checked by akw before it ran this
// program.
type demoOptions struct {
	Validators   int
	Keep         bool
	VotingPeriod time.Duration
	Ledger       bool
}

func newDemoCmd(a *app) *cobra.Command {
	o := &demoOptions{}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "A throwaway devnet with the terminal UI on it (see `akw demo --help`)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDemo(cmd.Context(), a, o)
		},
	}
	cmd.Flags().IntVar(&o.Validators, "validators", devnet.DefaultValidators, "number of validators")
	cmd.Flags().BoolVar(&o.Keep, "keep", false, "keep the devnet's directory after quitting")
	cmd.Flags().DurationVar(&o.VotingPeriod, "voting-period", 30*time.Minute, "governance voting period of the demo chain")
	cmd.Flags().BoolVar(&o.Ledger, "ledger", true, "add a funded key on an emulated Ledger")
	return cmd
}

func runDemo(ctx context.Context, app *app, o *demoOptions) error {
	dir, err := os.MkdirTemp("", "akw-demo-")
	if err != nil {
		return output.Wrap(output.Failure, err, "cannot create the demo's directory", "")
	}
	if o.Keep {
		defer fmt.Fprintf(app.printer.Err, "The demo chain's files are in %s\n", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	say := func(format string, args ...any) { fmt.Fprintf(app.printer.Err, format+"\n", args...) }
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
		return libraryError(err, "the light client could not be initialised on the demo chain")
	}
	defer lc.Close()
	kr, err := keys.Open(keys.Config{Backend: keys.BackendTest, Dir: info.KeyringDir, AppName: devnet.KeyringAppName})
	if err != nil {
		return libraryError(err, "")
	}
	if o.Ledger {
		if err := demoLedger(ctx, n, kr, say); err != nil {
			return err
		}
	}
	be, err := backend.Open(backend.Parts{Name: config.Devnet, Network: net, Light: lc, Keyring: kr, Demo: true, Home: dir})
	if err != nil {
		return libraryError(err, "")
	}
	err = tui.Run(ctx, tui.Options{Backend: be}, app.in, app.printer.Out)
	if err == nil || errors.Is(err, context.Canceled) {
		return nil // quitting is no error
	}
	return libraryError(err, "the terminal UI failed")
}

// libraryError gives an error of akw's libraries its kind's exit code
// and hint; akw itself words them per flag and command, which a demo
// on a chain of its own does not need.
func libraryError(err error, message string) error {
	return output.Wrap(output.CodeOf(errkind.KindOf(err)), err, message, errkind.HintOf(err).String())
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
		return libraryError(err, "")
	}
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if _, err := n.Send(ctx, accs[0].Name, lk.Address, sdk.NewCoins(sdk.NewCoin("uakt", sdkmath.NewInt(250_000_000)))); err != nil {
		return output.Wrap(output.Failure, err, "could not fund the emulated Ledger key", "")
	}
	return nil
}
