package main

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/akash-wallet/akw/internal/output"
	"github.com/akash-wallet/akw/internal/startup"
	"github.com/akash-wallet/akw/lightclient/trusted"
)

// run is main without os.Exit, so tests can call it in-process.
func run(args []string, io *IOStreams) int {
	startup.Done() // the collector back on before any command runs
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	app := &App{IO: io, Printer: &output.Printer{Format: output.Text, Out: io.Out, Err: io.Err}}
	// JSON errors must be JSON even when flag parsing fails before
	// PersistentPreRun, so peek at -o now.
	if f, err := output.ParseFormat(peekOutput(args)); err == nil {
		app.Printer.Format = f
	}
	root := newRootCmd(app)
	root.SetArgs(args)
	root.SetIn(io.In)
	root.SetOut(io.Out)
	root.SetErr(io.Err)

	err := root.ExecuteContext(ctx)
	if err == nil {
		return int(output.OK)
	}
	var child *childExitError
	if errors.As(err, &child) {
		return child.code // akw-devnet has said what went wrong
	}
	// Every error the command line prints is worded for it: an error of a
	// library that reached this far unworded gets its kind's exit code and
	// its hint in the command line's words.
	err = commandError(err)
	if ctx.Err() != nil {
		// Interrupted: exit 130 whatever failed as a consequence, but keep
		// what the command said (a sent transaction's hash, a hint on how
		// to find out what became of it).
		switch code := output.ExitCode(err); code {
		case output.Cancelled, output.Usage:
		default:
			err = output.Wrap(output.Cancelled, err, "cancelled: "+err.Error(), output.HintOf(err))
		}
	}
	app.Printer.PrintError(err)
	return int(output.ExitCode(err))
}

func newRootCmd(app *App) *cobra.Command {
	return newRootCmdWith(app,
		newVersionCmd(app, nil),
		newStatusCmd(app, nil),
		newConfigCmd(app),
		newQueryCmd(app, nil),
		newLightCmd(app),
		newKeysCmd(app, nil),
		newTxCmd(app, nil),
		newTuiCmd(app, nil),
		newDemoCmd(app, nil),
		newDevnetCmd(app, nil),
		newProxyCmd(app, nil),
		newContactsCmd(app, contactsRunners{}),
		newHistoryCmd(app, nil),
	)
}

// newRootCmdWith is akw's root command, its global flags and pre-run,
// over cmds: all of akw's commands, or (flag tests) one command built with
// a run function that captures its options.
func newRootCmdWith(app *App, cmds ...*cobra.Command) *cobra.Command {
	root := &cobra.Command{
		Use:   "akw",
		Short: "A light-client wallet for AKT that verifies everything it shows",
		Long: `akw is a wallet for AKT holders on the Akash Network that trusts no server.
It verifies every block header with the CometBFT light client and every piece
of chain state with a Merkle proof; what cannot be proven is labelled.`,
		SilenceErrors: true,
		SilenceUsage:  true,
		// akw alone opens the TUI on a terminal and prints help otherwise;
		// NoArgs keeps a mistyped command an error (exit 2), not a TUI.
		Args: cobra.NoArgs,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			app.ctx = cmd.Context()
			// Named beside the light-client store's lock while this
			// process holds it, for another akw's wait message.
			trusted.SetProcessCommand(cmd.CommandPath())
			return app.resolve(func(name string) bool {
				f := cmd.Flags().Lookup(name)
				return f != nil && f.Changed
			})
		},
	}
	root.RunE = rootRun(app)
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return output.Wrap(output.Usage, err, "", "see `"+cmd.CommandPath()+" --help`")
	})

	pf := root.PersistentFlags()
	pf.StringVar(&app.flags.Home, "home", "", "directory for all state: config, light store, default keyring dir (env AKW_HOME)")
	pf.StringVar(&app.flags.Network, "network", "", "network: akashnet-2, devnet, or one from the config file (env AKW_NETWORK)")
	pf.StringVar(&app.flags.Node, "node", "", "RPC URL of the primary node (env AKW_NODE)")
	pf.StringVar(&app.flags.ChainID, "chain-id", "", "chain-id, overriding the network's (env AKW_CHAIN_ID)")
	pf.StringArrayVar(&app.flags.Witnesses, "witness", nil, "RPC URL of a witness node; repeat for more (env AKW_WITNESS, comma-separated)")
	pf.StringVarP(&app.flags.Output, "output", "o", "text", "output format: text or json (env AKW_OUTPUT)")
	pf.StringVar(&app.flags.KeyringBackend, "keyring-backend", "os", "keyring backend: "+strings.Join(keyringBackends, ", ")+" (env AKW_KEYRING_BACKEND)")
	pf.StringVar(&app.flags.KeyringDir, "keyring-dir", "", "directory of file and test keyrings (env AKW_KEYRING_DIR; default: the data dir)")
	pf.StringVar(&app.flags.StaleAfter, "stale-after", "", "label the newest verified state stale when its header is older than this, e.g. 5m; 0 never (env AKW_STALE_AFTER; default: the network's stale-after, 5m on akashnet-2)")
	pf.BoolVarP(&app.flags.Yes, "yes", "y", false, "answer yes to confirmations; required to broadcast when not interactive (env AKW_YES)")

	root.AddCommand(cmds...)
	requireVerbs(root)
	return root
}

// peekOutput finds -o/--output in args before cobra parses them.
func peekOutput(args []string) string {
	fs := pflag.NewFlagSet("peek", pflag.ContinueOnError)
	fs.ParseErrorsWhitelist.UnknownFlags = true
	fs.Usage = func() {}
	fs.SetOutput(discard{})
	var o string
	fs.StringVarP(&o, "output", "o", "", "")
	_ = fs.Parse(args)
	if o == "" {
		o = os.Getenv(envName("output"))
	}
	return o
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// commandError is err as the command line reports it: cobra's own errors
// get the usage exit code, and an error of a library that reached this
// far unworded gets its kind's exit code and its hint in the command
// line's words.
func commandError(err error) error { return anyErrors.wrap(classifyCobraError(err)) }

// classifyCobraError gives cobra's own errors (unknown command, wrong
// number of arguments) the usage exit code.
func classifyCobraError(err error) error {
	var oe *output.Error
	if errors.As(err, &oe) {
		return err
	}
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand", "accepts ", "requires at least", "requires at most", "received ", "invalid argument", "flag needs an argument", "required flag"} {
		if strings.Contains(msg, p) {
			return output.Wrap(output.Usage, err, "", "see `akw --help`")
		}
	}
	return err
}
