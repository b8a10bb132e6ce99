package main

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/internal/config"
	"github.com/akash-wallet/akw/internal/output"
	"github.com/akash-wallet/akw/lightclient/trusted"
)

// newConfigCmd is `akw config` over its verbs; leaves, when not nil, are
// the verbs instead (flag tests: one verb with a capturing run function).
func newConfigCmd(app *App, leaves ...*cobra.Command) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Show or change akw's settings",
	}
	if leaves == nil {
		leaves = []*cobra.Command{newConfigShowCmd(app, nil), newConfigSetCmd(app, nil)}
	}
	cmd.AddCommand(leaves...)
	return cmd
}

type configShowResult struct {
	ConfigFile     string            `json:"config_file"`
	DataDir        string            `json:"data_dir"`
	Network        string            `json:"network"`
	ChainID        string            `json:"chain_id,omitempty"`
	Node           string            `json:"node,omitempty"`
	Witnesses      []string          `json:"witnesses"`
	NetworkError   string            `json:"network_error,omitempty"`
	Output         string            `json:"output"`
	KeyringBackend string            `json:"keyring_backend"`
	KeyringDir     string            `json:"keyring_dir"`
	Params         *config.Network   `json:"params,omitempty"`
	Sources        map[string]string `json:"sources"`
	Networks       []string          `json:"networks"`
}

// configShowOptions are what `akw config show` was asked: it has no
// flags of its own; it shows the global ones as resolved (App).
type configShowOptions struct{}

func newConfigShowCmd(app *App, runF func(*configShowOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   "show",
		Short: "Show the settings in effect and where each comes from",
		Args:  cobra.NoArgs,
		RunE: func(_ *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(&configShowOptions{})
			}
			return runConfigShow(app)
		},
	}
}

func runConfigShow(app *App) error {
	res := configShowResult{
		ConfigFile:     app.Paths.ConfigFile,
		DataDir:        app.Paths.DataDir,
		Output:         string(app.Output),
		KeyringBackend: app.KeyringBackend,
		KeyringDir:     app.KeyringDir,
		Sources:        app.Sources,
		Networks:       app.Config.NetworkNames(),
	}
	// A bad network setting is shown, not fatal: this is the
	// command that helps to find it.
	if err := app.RequireNetwork(); err != nil {
		res.NetworkError = err.Error()
	} else {
		n := app.Network
		res.Network, res.ChainID, res.Node, res.Witnesses, res.Params = app.NetworkName, n.ChainID, n.RPC, n.Witnesses, &n
	}
	if res.Network == "" {
		res.Network = app.NetworkName
	}
	return app.Printer.Result(res, func(w io.Writer) error {
		src := func(k string) string {
			if s := app.Sources[k]; s != "" {
				return "  (" + s + ")"
			}
			return ""
		}
		fmt.Fprintf(w, "config file      %s\n", res.ConfigFile)
		fmt.Fprintf(w, "data dir         %s\n", res.DataDir)
		if res.NetworkError != "" {
			fmt.Fprintf(w, "network          error: %s\n", res.NetworkError)
		} else {
			fmt.Fprintf(w, "network          %s%s\n", res.Network, src("network"))
			fmt.Fprintf(w, "chain-id         %s%s\n", res.ChainID, src("chain-id"))
			fmt.Fprintf(w, "node             %s%s\n", res.Node, src("node"))
			fmt.Fprintf(w, "witnesses        %s%s\n", strings.Join(res.Witnesses, ", "), src("witness"))
			fmt.Fprintf(w, "denom            %s (1 %s = 10^%d %s)\n", res.Params.Denom, res.Params.DisplayDenom, res.Params.Exponent, res.Params.Denom)
			fmt.Fprintf(w, "gas price        %s, adjustment %g\n", res.Params.GasPrice, res.Params.GasAdjustment)
			fmt.Fprintf(w, "trusting period  %s\n", time.Duration(res.Params.TrustingPeriod))
			fmt.Fprintf(w, "stale after      %s%s\n", staleAfterText(res.Params.StaleAfter), src("stale-after"))
			fmt.Fprintf(w, "request timeout  %s\n", requestTimeoutText(res.Params.RequestTimeout))
		}
		fmt.Fprintf(w, "output           %s%s\n", res.Output, src("output"))
		fmt.Fprintf(w, "keyring backend  %s%s\n", res.KeyringBackend, src("keyring-backend"))
		fmt.Fprintf(w, "keyring dir      %s%s\n", res.KeyringDir, src("keyring-dir"))
		fmt.Fprintf(w, "networks known   %s\n", strings.Join(res.Networks, ", "))
		return nil
	})
}

// settableKeys documents what `akw config set` accepts.
var settableKeys = []string{
	"network", "node", "chain-id", "witnesses", "output", "keyring-backend", "keyring-dir",
	"networks.NAME.chain-id", "networks.NAME.rpc", "networks.NAME.witnesses", "networks.NAME.denom",
	"networks.NAME.display-denom", "networks.NAME.exponent", "networks.NAME.bech32-prefix",
	"networks.NAME.coin-type", "networks.NAME.gas-price", "networks.NAME.gas-adjustment",
	"networks.NAME.trusting-period", "networks.NAME.stale-after", "networks.NAME.request-timeout",
}

// configSetOptions are what `akw config set` was asked.
type configSetOptions struct {
	Key   string
	Value string
}

func newConfigSetCmd(app *App, runF func(*configSetOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   "set KEY VALUE",
		Short: "Set a value in the config file",
		Long: "Set a value in the config file (written atomically). Keys:\n  " + strings.Join(settableKeys, "\n  ") +
			"\nAn empty VALUE removes the setting. Lists are comma-separated.",
		Args: cobra.ExactArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			o := &configSetOptions{Key: args[0], Value: args[1]}
			// The key and value are checked by setting them in the file
			// as read; nothing is written before the run.
			if err := setConfigValue(app.Config, o.Key, o.Value); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return runConfigSet(app, o)
		},
	}
}

// runConfigSet writes the config file with o's value set (by the command's
// check, setConfigValue on app.Config).
func runConfigSet(app *App, o *configSetOptions) error {
	args := []string{o.Key, o.Value}
	f := app.Config
	if err := f.Save(app.Paths.ConfigFile); err != nil {
		return output.Wrap(output.Failure, err, "cannot write "+app.Paths.ConfigFile, "check the directory's permissions")
	}
	return app.Printer.Result(map[string]string{"key": args[0], "value": args[1], "config_file": app.Paths.ConfigFile}, func(w io.Writer) error {
		_, err := fmt.Fprintf(w, "%s = %q written to %s\n", args[0], args[1], app.Paths.ConfigFile)
		return err
	})
}

func badValue(key, val, why, hint string) error {
	return output.UsageError(fmt.Sprintf("invalid value %q for %s: %s", val, key, why), hint)
}

// setDuration sets *dst to a positive duration, or to zero (the preset's)
// for an empty value.
func setDuration(dst *config.Duration, key, val, hint string) error {
	var d config.Duration
	if val != "" {
		if err := d.UnmarshalText([]byte(val)); err != nil || d <= 0 {
			return badValue(key, val, "not a positive duration", hint)
		}
	}
	*dst = d
	return nil
}

func setConfigValue(f *config.File, key, val string) error {
	checkURL := func(u string) error {
		if err := config.CheckEndpoint(u); err != nil {
			return badValue(key, u, err.Error(), "give an RPC address as http://host:port or https://host[:port][/path]")
		}
		return nil
	}
	checkURLs := func(list []string) error {
		for _, u := range list {
			if err := checkURL(u); err != nil {
				return err
			}
		}
		return nil
	}
	switch key {
	case "network":
		if val != "" {
			if _, err := f.LookupNetwork(val); err != nil {
				return badValue(key, val, err.Error(), "define it first with `akw config set networks."+val+".rpc URL`")
			}
		}
		f.Network = val
	case "node":
		if val != "" {
			if err := checkURL(val); err != nil {
				return err
			}
		}
		f.Node = val
	case "chain-id":
		f.ChainID = val
	case "witnesses":
		list := splitList(val)
		if err := checkURLs(list); err != nil {
			return err
		}
		f.Witnesses = list
	case "output":
		if _, err := output.ParseFormat(val); err != nil {
			return badValue(key, val, "not text or json", "use text or json")
		}
		f.Output = val
	case "keyring-backend":
		if val != "" && !contains(keyringBackends, val) {
			return badValue(key, val, "unknown backend", "use one of: "+strings.Join(keyringBackends, ", "))
		}
		f.KeyringBackend = val
	case "keyring-dir":
		f.KeyringDir = val
	default:
		parts := strings.SplitN(key, ".", 3)
		if len(parts) != 3 || parts[0] != "networks" || parts[1] == "" {
			return output.UsageError(fmt.Sprintf("unknown config key %q", key), "keys: "+strings.Join(settableKeys, ", "))
		}
		if f.Networks == nil {
			f.Networks = map[string]config.Network{}
		}
		n := f.Networks[parts[1]]
		if err := setNetworkField(&n, key, parts[2], val); err != nil {
			return err
		}
		f.Networks[parts[1]] = n
	}
	return nil
}

func setNetworkField(n *config.Network, key, field, val string) error {
	var err error
	switch field {
	case "chain-id":
		n.ChainID = val
	case "rpc":
		if val != "" {
			if e := config.CheckEndpoint(val); e != nil {
				return badValue(key, val, e.Error(), "give an RPC address as http://host:port")
			}
		}
		n.RPC = val
	case "witnesses":
		list := splitList(val)
		for _, u := range list {
			if e := config.CheckEndpoint(u); e != nil {
				return badValue(key, u, e.Error(), "give each witness as http://host:port")
			}
		}
		n.Witnesses = list
	case "denom":
		n.Denom = val
	case "display-denom":
		n.DisplayDenom = val
	case "bech32-prefix":
		n.Bech32Prefix = val
	case "gas-price":
		n.GasPrice = val
	case "exponent":
		var v int
		if v, err = strconv.Atoi(val); err != nil || v < 0 || v > 18 {
			return badValue(key, val, "not a whole number from 0 to 18", "for AKT it is 6")
		}
		n.Exponent = v
	case "coin-type":
		var v uint64
		if v, err = strconv.ParseUint(val, 10, 31); err != nil {
			return badValue(key, val, "not a BIP44 coin type", "for Akash it is 118")
		}
		n.CoinType = uint32(v)
	case "gas-adjustment":
		var v float64
		if v, err = strconv.ParseFloat(val, 64); err != nil || v < 1 || v > 10 {
			return badValue(key, val, "not a number from 1 to 10", "1.5 is common")
		}
		n.GasAdjustment = v
	case "trusting-period":
		var d config.Duration
		if err = d.UnmarshalText([]byte(val)); err != nil || d <= 0 {
			return badValue(key, val, "not a positive duration", "write it like 336h (14 days)")
		}
		n.TrustingPeriod = d
	case "stale-after":
		return setDuration(&n.StaleAfter, key, val, "write it like 5m (state older than that is labelled stale)")
	case "request-timeout":
		return setDuration(&n.RequestTimeout, key, val, "write it like 30s (each request to a node may take that long)")
	default:
		fields := []string{}
		for _, k := range settableKeys {
			if strings.HasPrefix(k, "networks.NAME.") {
				fields = append(fields, strings.TrimPrefix(k, "networks.NAME."))
			}
		}
		sort.Strings(fields)
		return output.UsageError(fmt.Sprintf("unknown network field %q", field), "fields: "+strings.Join(fields, ", "))
	}
	return nil
}

// requestTimeoutText shows the bound on one request to a node; zero is
// the light client's default.
func requestTimeoutText(d config.Duration) string {
	if d <= 0 {
		return trusted.DefaultTimeout.String() + " (default)"
	}
	return time.Duration(d).String()
}

// staleAfterText shows a stale bound; zero never labels state stale.
func staleAfterText(d config.Duration) string {
	if d <= 0 {
		return "never"
	}
	return time.Duration(d).String()
}
