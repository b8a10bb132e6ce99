package main

import (
	"testing"

	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/internal/output"
)

func TestFlagsConfig(t *testing.T) {
	configVerb := func(leaf func(app *App, got func(any)) *cobra.Command) flagsBuild {
		return func(app *App, got func(any)) *cobra.Command { return newConfigCmd(app, leaf(app, got)) }
	}
	t.Run("show", func(t *testing.T) {
		runFlagsCases(t, configVerb(func(app *App, got func(any)) *cobra.Command {
			return newConfigShowCmd(app, capture[configShowOptions](got))
		}), []flagsCase{
			{name: "plain", args: "config show", want: &configShowOptions{}},
			// config show must work with a bad network setting: it is how
			// the user finds it.
			{name: "bad node is shown, not fatal", args: "config show --node ftp://x", want: &configShowOptions{}},
			{name: "an argument", args: "config show all", code: output.Usage, msg: "unknown command"},
			{name: "bad output", args: "config show -o yaml", code: output.Usage, msg: "yaml"},
		})
	})
	t.Run("set", func(t *testing.T) {
		runFlagsCases(t, configVerb(func(app *App, got func(any)) *cobra.Command {
			return newConfigSetCmd(app, capture[configSetOptions](got))
		}), []flagsCase{
			{name: "node", args: "config set node http://127.0.0.1:26657", want: &configSetOptions{Key: "node", Value: "http://127.0.0.1:26657"}},
			{name: "witnesses", args: "config set witnesses http://a:1,http://b:2", want: &configSetOptions{Key: "witnesses", Value: "http://a:1,http://b:2"}},
			{name: "network param", args: "config set networks.local.rpc http://127.0.0.1:26657", want: &configSetOptions{Key: "networks.local.rpc", Value: "http://127.0.0.1:26657"}},
			{name: "bad node", args: "config set node ftp://x", code: output.Usage, msg: `invalid value "ftp://x" for node`},
			{name: "unknown network", args: "config set network nosuchnet", code: output.Usage, msg: "nosuchnet"},
			{name: "unknown key", args: "config set colour blue", code: output.Usage, msg: "colour"},
			{name: "no value", args: "config set node", code: output.Usage, msg: "accepts 2 arg"},
		})
	})
}
