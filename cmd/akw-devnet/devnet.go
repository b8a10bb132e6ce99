package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/output"
	"github.com/akash-wallet/akw/lightclient/trusted"
)

// devnetOptions are `akw devnet`'s flags; akw checked them before it ran
// this program, and devnet.Start checks them again.
type devnetOptions struct {
	Validators   int
	Reset        bool
	BlockTime    time.Duration
	VotingPeriod time.Duration
	MinGasPrices string
	LogLevel     string
	Genesis      string
}

// devnetResult is what `akw devnet` prints once the chain is up. The
// mnemonics are not in it: they are in devnet.json and the keyring, and
// stdout may end up in a log.
type devnetResult struct {
	ChainID        string                 `json:"chain_id"`
	Resumed        bool                   `json:"resumed"`
	RPC            []string               `json:"rpc"`
	GRPC           []string               `json:"grpc"`
	API            []string               `json:"api"`
	Validators     []devnet.ValidatorInfo `json:"validators"`
	Accounts       []devnetAccount        `json:"accounts"`
	Home           string                 `json:"home"`
	InfoFile       string                 `json:"info_file"`
	ConfigFile     string                 `json:"config_file"`
	KeyringBackend string                 `json:"keyring_backend"`
	KeyringDir     string                 `json:"keyring_dir"`
	PID            int                    `json:"pid"`
}

type devnetAccount struct {
	Name    string `json:"name"`
	Address string `json:"address"`
}

func newDevnetCmd(a *app) *cobra.Command {
	o := &devnetOptions{}
	cmd := &cobra.Command{
		Use:   "devnet --home DIR",
		Short: "Run a local Akash chain on 127.0.0.1 (see `akw devnet --help`)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if a.home == "" {
				return output.UsageError("akw-devnet devnet needs --home DIR", "run it as `akw devnet --home DIR`")
			}
			return runDevnet(cmd.Context(), a, o)
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.Validators, "validators", devnet.DefaultValidators, "number of validators")
	f.BoolVar(&o.Reset, "reset", false, "discard the chain in DIR/devnet and start a new one")
	f.DurationVar(&o.BlockTime, "block-time", devnet.DefaultBlockTime, "pause between blocks")
	f.DurationVar(&o.VotingPeriod, "voting-period", devnet.DefaultVotingPeriod, "governance voting period (new chains only)")
	f.StringVar(&o.MinGasPrices, "min-gas-prices", devnet.DefaultMinGasPrices, "validators' minimum gas price")
	f.StringVar(&o.LogLevel, "log-level", "error", "node log level on stderr: error, warn, info or debug")
	f.StringVar(&o.Genesis, "genesis", "", "start from another devnet's chain (its DIR/devnet/chain.json)")
	return cmd
}

func runDevnet(ctx context.Context, app *app, o *devnetOptions) error {
	home := app.home
	if o.Validators == 1 {
		app.printer.Warn("with one validator the light client has no witness to cross-check; akw needs --witness or a second validator")
	}
	validators := o.Validators
	if !o.Reset && !app.changed("validators") {
		validators = 0 // resume whatever DIR holds; a new chain gets the default
	}

	// A closed terminal ends the devnet too. (CometBFT catches SIGHUP
	// for its own log files, which would otherwise leave the process
	// running with nobody to stop it.)
	ctx, stopHup := signal.NotifyContext(ctx, syscall.SIGHUP)
	defer stopHup()

	var genesis *devnet.Genesis
	if o.Genesis != "" {
		g, err := devnet.ReadGenesis(o.Genesis)
		if err != nil {
			return output.Wrap(output.Usage, err, fmt.Sprintf("cannot use %s as a devnet genesis: %v", o.Genesis, err), "give the chain.json of another devnet's DIR/devnet")
		}
		genesis = g
		if !app.changed("validators") {
			validators = 0
		}
	}

	cfg := devnet.Config{
		Genesis:      genesis,
		Dir:          home,
		Validators:   validators,
		BlockTime:    o.BlockTime,
		VotingPeriod: o.VotingPeriod,
		MinGasPrices: o.MinGasPrices,
		Reset:        o.Reset,
		Log:          app.printer.Err,
		LogLevel:     o.LogLevel,
		Logf:         app.printer.Notice,
	}
	began := time.Now()
	n, err := devnet.Start(ctx, cfg)
	if err != nil {
		return devnetError(ctx, err, home)
	}
	stopped := false
	defer func() {
		if !stopped {
			_ = n.Stop()
		}
	}()
	info := n.Info()

	if !n.Resumed() && trusted.Exists(home, info.ChainID) {
		// The store trusts headers of a chain that no longer runs; the
		// light client would report the new one as an attack.
		if err := trusted.Reset(home, info.ChainID); err != nil {
			return output.Wrap(output.Failure, err, "cannot remove the light-client store of the previous devnet chain", "run `akw --home "+home+" light reset`")
		}
		app.printer.Notice("removed the light-client store of the previous %s chain (%s)", info.ChainID, trusted.StoreDir(home, info.ChainID))
	}
	configFile, err := devnet.ConfigureHome(home, &info, home)
	if err != nil {
		return output.Wrap(output.Failure, err, "cannot write the devnet's config", "")
	}

	res := devnetResult{
		ChainID: info.ChainID, Resumed: n.Resumed(),
		RPC: info.RPC, GRPC: info.GRPC, API: info.API, Validators: info.Validators,
		Home: home, InfoFile: n.InfoPath(), ConfigFile: configFile,
		KeyringBackend: info.KeyringBackend, KeyringDir: info.KeyringDir, PID: info.PID,
	}
	for _, a := range info.Accounts {
		res.Accounts = append(res.Accounts, devnetAccount{Name: a.Name, Address: a.Address})
	}
	if err := app.printer.Result(res, func(w io.Writer) error { return printDevnet(w, res, o, time.Since(began)) }); err != nil {
		return err
	}

	select {
	case <-ctx.Done():
		app.printer.Notice("stopping the devnet …")
	case <-n.Done():
	}
	stopped = true
	if err := n.Stop(); err != nil {
		return output.Wrap(output.Failure, err, "the devnet did not stop cleanly", "")
	}
	app.printer.Notice("devnet stopped; the chain is kept in %s (resume with `akw devnet --home %s`)", filepath.Join(home, devnet.ChainDir), home)
	return nil
}

func printDevnet(w io.Writer, r devnetResult, o *devnetOptions, took time.Duration) error {
	state := "new chain"
	if r.Resumed {
		state = "resumed"
	}
	fmt.Fprintf(w, "%s is running (%s, %d validator(s), a block every ~%s; ready in %s)\n\n",
		r.ChainID, state, len(r.Validators), o.BlockTime, took.Round(100*time.Millisecond))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for i, v := range r.Validators {
		role := "witness"
		if i == 0 {
			role = "primary"
		}
		label := ""
		if i == 0 {
			label = "rpc"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s, %s\n", label, v.RPC, v.Name, role)
	}
	for i, a := range r.Accounts {
		label := ""
		if i == 0 {
			label = "accounts"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", label, a.Name, a.Address)
	}
	fmt.Fprintf(tw, "  info\t%s\t(RPC URLs, accounts and their mnemonics)\n", r.InfoFile)
	fmt.Fprintf(tw, "  config\t%s\t(network devnet, keyring %s in %s)\n", r.ConfigFile, r.KeyringBackend, r.KeyringDir)
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nIn another terminal:  akw --home %s status\n", shellQuote(r.Home))
	fmt.Fprintf(w, "Stop with Ctrl-C.\n")
	return nil
}

// devnetError maps the devnet's typed errors to exit codes and hints.
func devnetError(ctx context.Context, err error, home string) error {
	var (
		ce *devnet.ConfigError
		ec *devnet.ExistingChainError
		kc *devnet.KeyConflictError
		nr *devnet.NotReadyError
	)
	switch {
	case ctx.Err() != nil:
		return output.Wrap(output.Cancelled, err, "devnet start cancelled", "")
	case errors.As(err, &ce):
		return output.Wrap(output.Usage, err, "", "see `akw devnet --help`")
	case errors.As(err, &ec):
		return output.Wrap(output.Usage, err, "", "start it as it is (drop the changed flags), or add --reset to discard it and start a new chain")
	case errors.Is(err, devnet.ErrInUse):
		return output.Wrap(output.Failure, err, fmt.Sprintf("a devnet is already running in %s", home), "stop it first, or use another --home")
	case errors.As(err, &kc):
		return output.Wrap(output.Key, err, "", "use another --home, delete that key, or add --reset to replace the devnet's own keys")
	case errors.As(err, &nr):
		return output.Wrap(output.Failure, err, "", "run with --log-level info to see the nodes' logs")
	case errors.Is(err, devnet.ErrSDKConfigSealed):
		return output.Wrap(output.Failure, err, "", "")
	}
	return output.Wrap(output.Failure, err, "the devnet did not start", "")
}

// shellQuote quotes a path for the copy-and-paste line, if it needs it.
func shellQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n'\"\\$`!*?[]{}()<>|&;#~") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
