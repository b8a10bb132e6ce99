package main

import (
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/output"
	"github.com/akash-wallet/akw/keys"
)

// topVerb builds a top-level command (no group).
func topVerb(leaf func(app *App, got func(any)) *cobra.Command) flagsBuild { return flagsBuild(leaf) }

func TestFlagsOther(t *testing.T) {
	t.Run("version", func(t *testing.T) {
		runFlagsCases(t, topVerb(func(app *App, got func(any)) *cobra.Command {
			return newVersionCmd(app, capture[versionOptions](got))
		}), []flagsCase{
			{name: "plain", args: "version -o json", want: &versionOptions{}},
			{name: "an argument", args: "version all", code: output.Usage, msg: "unknown command"},
		})
	})
	t.Run("status", func(t *testing.T) {
		runFlagsCases(t, topVerb(func(app *App, got func(any)) *cobra.Command {
			return newStatusCmd(app, capture[statusOptions](got))
		}), []flagsCase{
			{name: "plain", args: "status", want: &statusOptions{Timeout: 10 * time.Second}},
			{name: "timeout", args: "status --timeout 3s --node http://127.0.0.1:1", want: &statusOptions{Timeout: 3 * time.Second}},
			{name: "bad node", args: "status --node 127.0.0.1:26657", code: output.Usage},
			{name: "bad timeout", args: "status --timeout 3", code: output.Usage, msg: "--timeout"},
		})
	})
	t.Run("tui", func(t *testing.T) {
		runFlagsCases(t, topVerb(func(app *App, got func(any)) *cobra.Command {
			return newTuiCmd(app, capture[tuiOptions](got))
		}), []flagsCase{
			{name: "plain", args: "tui", want: &tuiOptions{Keyring: keyringOptions{Timeout: keys.DefaultTimeout}}},
			{name: "key and keyring", args: "tui --key bob --keyring-app akash",
				want: &tuiOptions{Key: "bob", Keyring: keyringOptions{App: "akash", Timeout: keys.DefaultTimeout, Given: map[string]bool{"keyring-app": true}}}},
			{name: "an argument", args: "tui bob", code: output.Usage, msg: "unknown command"},
		})
	})
	t.Run("demo", func(t *testing.T) {
		runFlagsCases(t, topVerb(func(app *App, got func(any)) *cobra.Command {
			return newDemoCmd(app, capture[demoOptions](got))
		}), []flagsCase{
			{name: "plain", args: "demo", tty: true, want: &demoOptions{Validators: devnet.DefaultValidators, VotingPeriod: 30 * time.Minute, Ledger: true}},
			{name: "flags", args: "demo --validators 3 --keep --voting-period 1m --ledger=false", tty: true,
				want: &demoOptions{Validators: 3, Keep: true, VotingPeriod: time.Minute}},
			{name: "one validator", args: "demo --validators 1", tty: true, code: output.Usage, msg: "--validators must be at least 2"},
			{name: "no terminal", args: "demo", code: output.Usage, msg: "needs a terminal"},
		})
	})
	t.Run("devnet", func(t *testing.T) {
		def := func(change func(*devnetOptions)) *devnetOptions {
			o := &devnetOptions{Validators: devnet.DefaultValidators, BlockTime: devnet.DefaultBlockTime, VotingPeriod: devnet.DefaultVotingPeriod,
				MinGasPrices: devnet.DefaultMinGasPrices, LogLevel: "error"}
			if change != nil {
				change(o)
			}
			return o
		}
		runFlagsCases(t, topVerb(func(app *App, got func(any)) *cobra.Command {
			return newDevnetCmd(app, capture[devnetOptions](got))
		}), []flagsCase{
			{name: "plain", args: "devnet", want: def(nil)},
			{name: "flags", args: "devnet --validators 4 --reset --block-time 200ms --voting-period 1m --min-gas-prices 0uakt --log-level info --genesis chain.json",
				want: def(func(o *devnetOptions) {
					o.Validators, o.Reset, o.BlockTime, o.VotingPeriod, o.MinGasPrices, o.LogLevel, o.Genesis = 4, true, 200*time.Millisecond, time.Minute, "0uakt", "info", "chain.json"
				})},
			{name: "no validator", args: "devnet --validators 0", code: output.Usage, msg: "at least one validator"},
			{name: "too many validators", args: "devnet --validators 1000", code: output.Usage, msg: "at most"},
		})
	})
	t.Run("proxy", func(t *testing.T) {
		def := func(change func(*proxyOptions)) *proxyOptions {
			o := &proxyOptions{Listen: "127.0.0.1:26658", MaxAge: 2 * time.Second, Timeout: 30 * time.Second, MaxBody: 1_000_000, MaxBatch: 10, MaxInFlight: 256}
			if change != nil {
				change(o)
			}
			return o
		}
		runFlagsCases(t, topVerb(func(app *App, got func(any)) *cobra.Command {
			return newProxyCmd(app, capture[proxyOptions](got))
		}), []flagsCase{
			{name: "plain", args: "proxy", want: def(nil)},
			{name: "flags", args: "proxy --listen 0.0.0.0:9000 --public --allow-unverified --max-age 0s --timeout 5s --max-body 4096 --max-batch 2 --max-in-flight 8",
				want: def(func(o *proxyOptions) {
					o.Listen, o.Public, o.AllowUnverified, o.MaxAge, o.Timeout, o.MaxBody, o.MaxBatch, o.MaxInFlight = "0.0.0.0:9000", true, true, 0, 5*time.Second, 4096, 2, 8
				})},
			{name: "small body", args: "proxy --max-body 10", code: output.Usage, msg: "--max-body must be at least 1024"},
			{name: "no batch", args: "proxy --max-batch 0", code: output.Usage, msg: "--max-batch"},
			{name: "negative max-age", args: "proxy --max-age -1s", code: output.Usage, msg: "--max-age not negative"},
			{name: "bad witness", args: "proxy --witness nowhere", code: output.Usage},
		})
	})
}
