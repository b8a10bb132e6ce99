package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-wallet/akw/internal/config"
	"github.com/akash-wallet/akw/internal/output"
)

// globalFlags are the flags every command takes (README, command-line
// contract). Each can also come from AKW_<FLAG> or the config file.
type globalFlags struct {
	Home           string
	Network        string
	Node           string
	ChainID        string
	Witnesses      []string
	Output         string
	KeyringBackend string
	KeyringDir     string
	Yes            bool
	StaleAfter     string
}

// App is what every command gets: the resolved settings and the streams.
// It is filled in by the root command's PersistentPreRunE, after flags are
// parsed, so commands never read flags, environment or file themselves.
type App struct {
	IO      *IOStreams
	Printer *output.Printer

	flags globalFlags

	Paths       config.Paths
	Config      *config.File // the config file as read (empty if none)
	NetworkName string
	Network     config.Network // preset + file + overrides: chain-id, node, witnesses
	Output      output.Format

	KeyringBackend string
	KeyringDir     string
	Yes            bool

	// Sources says where each setting came from (flag, env, config, preset,
	// default), for `akw config show`.
	Sources map[string]string

	// ctx is the command's context (cancelled by SIGINT/SIGTERM), kept
	// here so that a command's run function takes its options alone
	// (newXCmd(app, runF)), as flag tests call it.
	ctx context.Context

	changed func(string) bool
	netDone bool
	netErr  error
}

// Context is the running command's context; context.Background before
// the root's pre-run has set it.
func (a *App) Context() context.Context {
	if a.ctx == nil {
		return context.Background()
	}
	return a.ctx
}

// envName is the environment variable that overrides a flag.
func envName(flag string) string {
	return "AKW_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// pick returns the first non-empty of flag, env, file, fallback, and its
// source.
func pick(flagSet bool, flagVal, env, fileVal, fallback, fallbackSrc string) (string, string) {
	if flagSet {
		return flagVal, "flag"
	}
	if v, ok := os.LookupEnv(env); ok && v != "" {
		return v, "env " + env
	}
	if fileVal != "" {
		return fileVal, "config"
	}
	return fallback, fallbackSrc
}

var keyringBackends = []string{"os", "file", "pass", "kwallet", "keyctl", "test", "memory"}

// resolve fills App from flags (changed reports whether a flag was given),
// the environment and the config file.
func (a *App) resolve(changed func(string) bool) error {
	a.Sources = map[string]string{}

	// Output first, so that every later error is printed in the right form.
	out, src := pick(changed("output"), a.flags.Output, envName("output"), "", "text", "default")
	f, err := output.ParseFormat(out)
	if err != nil {
		return err
	}
	a.Output, a.Printer.Format = f, f
	a.Sources["output"] = src

	home, _ := pick(changed("home"), a.flags.Home, envName("home"), "", "", "")
	paths, err := config.DefaultPaths(home)
	if err != nil {
		return output.Wrap(output.Failure, err, "cannot find a home directory for akw's state", "pass --home DIR")
	}
	a.Paths = paths
	cfg, err := config.Load(paths.ConfigFile)
	if err != nil {
		return output.Wrap(output.Usage, err, "", "fix the file, or move it away and run `akw config set` to write a new one")
	}
	a.Config = cfg
	if cfg.Output != "" && !changed("output") && os.Getenv(envName("output")) == "" {
		if f, err = output.ParseFormat(cfg.Output); err != nil {
			return output.UsageError(fmt.Sprintf("config file %s: output = %q is not text or json", paths.ConfigFile, cfg.Output), "set it with `akw config set output json`")
		}
		a.Output, a.Printer.Format = f, f
		a.Sources["output"] = "config"
	}

	kb, src := pick(changed("keyring-backend"), a.flags.KeyringBackend, envName("keyring-backend"), cfg.KeyringBackend, "os", "default")
	if !contains(keyringBackends, kb) {
		return output.UsageError(fmt.Sprintf("unknown keyring backend %q", kb),
			"use one of: "+strings.Join(keyringBackends, ", "))
	}
	a.KeyringBackend, a.Sources["keyring-backend"] = kb, src
	kd, src := pick(changed("keyring-dir"), a.flags.KeyringDir, envName("keyring-dir"), cfg.KeyringDir, paths.DataDir, "default")
	a.KeyringDir, a.Sources["keyring-dir"] = kd, src

	a.Yes = a.flags.Yes
	if !changed("yes") {
		if v := os.Getenv(envName("yes")); v == "1" || strings.EqualFold(v, "true") {
			a.Yes = true
		}
	}

	a.changed = changed
	return nil
}

// RequireNetwork resolves the network, node, chain-id and witnesses
// (flag over AKW_* over config file over preset) and checks them. Commands
// that talk to a chain call it first; others (version, config) never fail
// on a bad network setting, so that the user can fix it with akw itself.
func (a *App) RequireNetwork() error {
	if a.netDone {
		return a.netErr
	}
	a.netDone = true
	a.netErr = a.resolveNetwork(a.changed)
	return a.netErr
}

func (a *App) resolveNetwork(changed func(string) bool) error {
	cfg, paths := a.Config, a.Paths
	name, src := pick(changed("network"), a.flags.Network, envName("network"), cfg.Network, config.Mainnet, "default")
	a.NetworkName, a.Sources["network"] = name, src
	n, err := cfg.LookupNetwork(name)
	if err != nil {
		return output.Wrap(output.Usage, err, "", "choose one with --network, or define it under [networks."+name+"] in "+paths.ConfigFile)
	}

	node, src := pick(changed("node"), a.flags.Node, envName("node"), cfg.Node, n.RPC, "network "+name)
	if node == "" {
		return output.UsageError(fmt.Sprintf("no node configured for network %q", name),
			"pass --node URL, or set networks."+name+".rpc with `akw config set`")
	}
	if err := config.CheckEndpoint(node); err != nil {
		return output.Wrap(output.Usage, err, "", "give the node's RPC address as http://host:port or https://host[:port][/path]")
	}
	n.RPC, a.Sources["node"] = node, src

	chainID, src := pick(changed("chain-id"), a.flags.ChainID, envName("chain-id"), cfg.ChainID, n.ChainID, "network "+name)
	n.ChainID, a.Sources["chain-id"] = chainID, src

	witnesses := n.Witnesses
	a.Sources["witness"] = "network " + name
	switch {
	case changed("witness"):
		witnesses, a.Sources["witness"] = a.flags.Witnesses, "flag"
	case os.Getenv(envName("witness")) != "":
		witnesses, a.Sources["witness"] = splitList(os.Getenv(envName("witness"))), "env "+envName("witness")
	case len(cfg.Witnesses) > 0:
		witnesses, a.Sources["witness"] = cfg.Witnesses, "config"
	}
	for _, w := range witnesses {
		if err := config.CheckEndpoint(w); err != nil {
			return output.Wrap(output.Usage, err, "", "give each witness as http://host:port or https://host[:port][/path]")
		}
	}
	n.Witnesses = witnesses

	a.Sources["stale-after"] = "network " + name
	if v, src := pick(changed("stale-after"), a.flags.StaleAfter, envName("stale-after"), "", "", ""); src != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return output.UsageError(fmt.Sprintf("--stale-after %q is not a duration", v),
				"write it like 5m or 90s; 0 never labels state stale")
		}
		n.StaleAfter, a.Sources["stale-after"] = config.Duration(d), src
	}
	a.Network = n
	setBech32(n.Bech32Prefix)
	return nil
}

// setBech32 points the SDK's global address config at the network's
// prefix. The SDK reads it when printing addresses; every network akw
// ships uses "akash", and the config is set before anything prints one.
func setBech32(prefix string) {
	if prefix == "" {
		return
	}
	c := sdk.GetConfig()
	if c.GetBech32AccountAddrPrefix() == prefix {
		return
	}
	c.SetBech32PrefixForAccount(prefix, prefix+"pub")
	c.SetBech32PrefixForValidator(prefix+"valoper", prefix+"valoperpub")
	c.SetBech32PrefixForConsensusNode(prefix+"valcons", prefix+"valconspub")
}

// Confirm asks a yes/no question. With -y it answers yes without asking;
// when akw may not prompt, it is a usage error that names -y.
func (a *App) Confirm(question string) error {
	if a.Yes {
		return nil
	}
	if !a.IO.CanPrompt() {
		return output.UsageError("confirmation required, and akw is not running interactively",
			"pass -y/--yes to confirm, after checking what will be done")
	}
	fmt.Fprintf(a.IO.Err, "%s [y/N]: ", question)
	line, err := bufio.NewReader(a.IO.In).ReadString('\n')
	if err != nil && line == "" {
		return output.New(output.Cancelled, "cancelled: no answer", "")
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return nil
	}
	return output.New(output.Cancelled, "cancelled", "")
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
