package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/internal/output"
)

// The devnet's defaults and limits (internal/devnet's, which akw does not
// link: the flag tests check that they agree).
const (
	devnetDefaultValidators   = 2
	devnetMaxValidators       = 30
	devnetDefaultBlockTime    = time.Second
	devnetDefaultVotingPeriod = 20 * time.Second
	devnetDefaultMinGasPrices = "0.0025uakt"
)

type devnetOptions struct {
	Validators   int
	Reset        bool
	BlockTime    time.Duration
	VotingPeriod time.Duration
	MinGasPrices string
	LogLevel     string
	Genesis      string
}

func newDevnetCmd(app *App, runF func(*devnetOptions) error) *cobra.Command {
	o := &devnetOptions{}
	cmd := &cobra.Command{
		Use:   "devnet --home DIR",
		Short: "Run a local Akash chain on 127.0.0.1 for trying akw and for tests",
		Long: `Run a local chain (chain-id akash-devnet-1, prefix akash, denom uakt) in
the program akw-devnet, which akw runs (found next to akw, on PATH, or
built from the source akw runs in): --validators full nodes, each with its own RPC, all listening
on 127.0.0.1 only, a block about every second, and funded accounts alice,
bob and carol.

When the chain is ready, akw devnet writes DIR/devnet.json (chain-id, RPC
URLs, accounts with their mnemonics), puts the accounts in a test keyring
under DIR, and sets DIR's config so that "akw --home DIR ..." talks to this
chain (the first validator as primary, the others as witnesses) and uses
that keyring. It then runs until interrupted (Ctrl-C, SIGTERM) and stops
cleanly; devnet.json is removed on stop.

The chain is kept in DIR/devnet: the next "akw devnet --home DIR" resumes
it. --reset throws it away and starts a new chain (new keys, new accounts)
and, since the old chain's headers are then meaningless, deletes DIR's
light-client store of akash-devnet-1. Other files in DIR are never touched.

--genesis FILE starts a chain from another devnet's DIR/devnet/chain.json:
the same genesis, validator keys and accounts, but a chain of its own that
forks from the other at once. Both are validly signed by the same
validators: a light-client attack, for testing fork detection.

The keys of a devnet are for play: they are stored unencrypted.`,
		Args: cobra.NoArgs,
		RunE: func(_ *cobra.Command, _ []string) error {
			if err := o.validate(app); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return runDevnet(app.Context(), app, o)
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.Validators, "validators", devnetDefaultValidators, fmt.Sprintf("number of validators, 1 to %d (at least 2, so the light client has a witness)", devnetMaxValidators))
	f.BoolVar(&o.Reset, "reset", false, "discard the chain in DIR/devnet and start a new one")
	f.DurationVar(&o.BlockTime, "block-time", devnetDefaultBlockTime, "pause between blocks")
	f.DurationVar(&o.VotingPeriod, "voting-period", devnetDefaultVotingPeriod, "governance voting period (new chains only)")
	f.StringVar(&o.MinGasPrices, "min-gas-prices", devnetDefaultMinGasPrices, "validators' minimum gas price")
	f.StringVar(&o.LogLevel, "log-level", "error", "node log level on stderr: error, warn, info or debug")
	f.StringVar(&o.Genesis, "genesis", "", "start from another devnet's chain (its DIR/devnet/chain.json): same genesis and validator keys, a fork of it")
	return cmd
}

// validate checks the home and the number of validators before anything
// is started or written.
func (o *devnetOptions) validate(app *App) error {
	home := app.Paths.DataDir
	// Only with --home (or AKW_HOME) are the config file and the data the
	// same directory; without it the devnet would rewrite the user's own
	// config to point at a local chain.
	if filepath.Dir(app.Paths.ConfigFile) != home {
		return output.UsageError("akw devnet needs a home of its own", "pass --home DIR (or set AKW_HOME): the devnet writes DIR's config")
	}
	if o.Validators < 1 {
		return output.UsageError(fmt.Sprintf("--validators %d: a chain needs at least one validator", o.Validators), "use --validators 2 (the default) or more")
	}
	if o.Validators > devnetMaxValidators {
		return output.UsageError(fmt.Sprintf("--validators %d: a devnet has at most %d validators", o.Validators, devnetMaxValidators),
			fmt.Sprintf("use --validators %d or fewer; every validator is a full node in this process", devnetMaxValidators))
	}
	return nil
}

// runDevnet runs the chain in akw-devnet (devnet_exec.go) with the
// checked flags; --validators only when given, as the devnet resumes a
// chain with the validators it has otherwise.
func runDevnet(ctx context.Context, app *App, o *devnetOptions) error {
	if o.Validators == 1 {
		app.Printer.Warn("with one validator the light client has no witness to cross-check; akw needs --witness or a second validator")
	}
	args := []string{"devnet", "--home", app.Paths.DataDir, "-o", string(app.Printer.Format),
		"--block-time", o.BlockTime.String(), "--voting-period", o.VotingPeriod.String(),
		"--min-gas-prices", o.MinGasPrices, "--log-level", o.LogLevel}
	if changedFlag(app, "validators") {
		args = append(args, "--validators", strconv.Itoa(o.Validators))
	}
	if o.Reset {
		args = append(args, "--reset")
	}
	if o.Genesis != "" {
		args = append(args, "--genesis", o.Genesis)
	}
	return runDevnetProgram(ctx, app, args)
}

func changedFlag(app *App, name string) bool {
	return app.changed != nil && app.changed(name)
}

// shellQuote quotes a path for the copy-and-paste line, if it needs it.
func shellQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n'\"\\$`!*?[]{}()<>|&;#~") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
