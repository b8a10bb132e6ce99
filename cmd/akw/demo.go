package main

import (
	"context"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/internal/output"
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
		Long: `Start a throwaway Akash devnet (validators on 127.0.0.1, funded accounts
in a test keyring, a delegation and a governance proposal to vote on),
initialise the light client on it, and open the terminal UI, all in the
program akw-devnet, which akw runs (found next to akw, on PATH, or built
from the source akw runs in).

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
	cmd.Flags().IntVar(&o.Validators, "validators", devnetDefaultValidators, "number of validators (at least 2, so the light client has a witness)")
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

// runDemo runs the demo (chain, seeding, emulated Ledger, light client
// and terminal UI) in akw-devnet (devnet_exec.go) on akw's terminal.
func runDemo(ctx context.Context, app *App, o *demoOptions) error {
	args := []string{"demo", "--validators", strconv.Itoa(o.Validators), "--voting-period", o.VotingPeriod.String(),
		"--ledger=" + strconv.FormatBool(o.Ledger)}
	if o.Keep {
		args = append(args, "--keep")
	}
	return runDevnetProgram(ctx, app, args)
}
