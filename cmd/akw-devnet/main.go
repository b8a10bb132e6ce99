// Command akw-devnet runs akw's in-process Akash devnet: `akw-devnet
// devnet` (a local chain for scripts and tests) and `akw-devnet demo` (a
// throwaway chain with the terminal UI on it). `akw devnet` and `akw demo`
// run this program; it is a binary of its own so that the wallet does not
// link, and initialise at every start, a whole chain's server stack, the
// Ledger emulator and their test libraries, which only these two commands
// need.
//
// Its command line is akw's for these two commands (`--home`, `-o`, the
// commands' own flags); `akw devnet --help` documents it.
package main

import (
	"context"
	"errors"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/internal/debugserver"
	"github.com/akash-wallet/akw/internal/output"
)

func main() {
	// AKW_DEBUG_ADDR, as in akw: the soak run counts this process's
	// goroutines too (akw devnet strips it from this program's
	// environment, so that only one of the two listens there).
	stopDebug, err := debugserver.Start(os.Getenv)
	if err != nil {
		(&output.Printer{Format: output.Text, Out: os.Stdout, Err: os.Stderr}).PrintError(err)
		os.Exit(int(output.ExitCode(err)))
	}
	code := run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stopDebug()
	os.Exit(code)
}

// app is what both commands get: the home, the printer, the streams.
type app struct {
	home    string
	output  string
	in      io.Reader
	printer *output.Printer
	changed func(string) bool
}

func run(args []string, in io.Reader, out, errw io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a := &app{in: in, printer: &output.Printer{Format: output.Text, Out: out, Err: errw}}
	root := &cobra.Command{
		Use:           "akw-devnet",
		Short:         "akw's local devnet (run by `akw devnet` and `akw demo`)",
		SilenceErrors: true,
		SilenceUsage:  true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			f, err := output.ParseFormat(a.output)
			if err != nil {
				return err
			}
			a.printer.Format = f
			a.changed = func(name string) bool {
				fl := cmd.Flags().Lookup(name)
				return fl != nil && fl.Changed
			}
			return nil
		},
	}
	root.PersistentFlags().StringVar(&a.home, "home", "", "directory of the devnet (its config, chain and keyring)")
	root.PersistentFlags().StringVarP(&a.output, "output", "o", "text", "output format: text or json")
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return output.Wrap(output.Usage, err, "", "see `"+cmd.CommandPath()+" --help`")
	})
	root.AddCommand(newDevnetCmd(a), newDemoCmd(a))
	root.SetArgs(args)
	root.SetIn(in)
	root.SetOut(out)
	root.SetErr(errw)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return int(output.OK)
	}
	var oe *output.Error
	if !errors.As(err, &oe) {
		code := output.Failure
		for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand", "accepts ", "invalid argument", "flag needs an argument"} {
			if strings.Contains(err.Error(), p) {
				code = output.Usage
			}
		}
		err = output.Wrap(code, err, "", "")
	}
	if ctx.Err() != nil && output.ExitCode(err) != output.Usage {
		err = output.Wrap(output.Cancelled, err, "cancelled: "+err.Error(), output.HintOf(err))
	}
	a.printer.PrintError(err)
	return int(output.ExitCode(err))
}
