package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/internal/output"
	"github.com/akash-wallet/akw/lightclient/trusted"
)

// lightVerb builds `akw light` over one verb.
func lightVerb(leaf func(app *App, got func(any)) *cobra.Command) flagsBuild {
	return func(app *App, got func(any)) *cobra.Command { return newLightCmd(app, leaf(app, got)) }
}

func TestFlagsLight(t *testing.T) {
	hash := bytes.Repeat([]byte{0xAB}, 32)
	hexHash := strings.Repeat("ab", 32)
	t.Run("init", func(t *testing.T) {
		runFlagsCases(t, lightVerb(func(app *App, got func(any)) *cobra.Command {
			return newLightInitCmd(app, capture[lightInitOptions](got))
		}), []flagsCase{
			{name: "latest", args: "light init --trust-latest -y", want: &lightInitOptions{TrustLatest: true, Root: trusted.TrustRoot{Latest: true}}},
			{name: "height and hash", args: "light init --trust-height 100 --trust-hash " + hexHash + " --force -y",
				want: &lightInitOptions{TrustHeight: 100, TrustHash: hexHash, Force: true, Root: trusted.TrustRoot{Height: 100, Hash: hash}}},
			{name: "0x hash", args: "light init --trust-height 100 --trust-hash 0x" + strings.ToUpper(hexHash) + " -y",
				want: &lightInitOptions{TrustHeight: 100, TrustHash: "0x" + strings.ToUpper(hexHash), Root: trusted.TrustRoot{Height: 100, Hash: hash}}},
			{name: "nothing", args: "light init -y", code: output.Usage, msg: "no trust root given"},
			{name: "both", args: "light init --trust-latest --trust-height 5 -y", code: output.Usage, msg: "--trust-latest cannot be combined"},
			{name: "height without hash", args: "light init --trust-height 5 -y", code: output.Usage, msg: "--trust-height needs --trust-hash"},
			{name: "negative height", args: "light init --trust-height -5 --trust-hash " + hexHash + " -y", code: output.Usage, msg: "positive height"},
			{name: "short hash", args: "light init --trust-height 5 --trust-hash abcd -y", code: output.Usage, msg: "not a 32-byte hex hash"},
			{name: "no one to confirm", args: "light init --trust-latest", code: output.Usage, msg: "confirmation required"},
			{name: "bad witness", args: "light init --trust-latest -y --witness localhost:26657", code: output.Usage},
			{name: "an argument", args: "light init latest", code: output.Usage, msg: "unknown command"},
		})
	})
	t.Run("status", func(t *testing.T) {
		runFlagsCases(t, lightVerb(func(app *App, got func(any)) *cobra.Command {
			return newLightStatusCmd(app, capture[lightStatusOptions](got))
		}), []flagsCase{
			{name: "plain", args: "light status", want: &lightStatusOptions{}},
			{name: "no probe", args: "light status --no-probe", want: &lightStatusOptions{NoProbe: true}},
			{name: "unknown network", args: "light status --network nosuchnet", code: output.Usage, msg: "nosuchnet"},
		})
	})
	t.Run("update", func(t *testing.T) {
		runFlagsCases(t, lightVerb(func(app *App, got func(any)) *cobra.Command {
			return newLightUpdateCmd(app, capture[lightUpdateOptions](got))
		}), []flagsCase{
			{name: "plain", args: "light update", want: &lightUpdateOptions{}},
			{name: "bad stale-after", args: "light update --stale-after soon", code: output.Usage, msg: "--stale-after"},
			{name: "an argument", args: "light update now", code: output.Usage, msg: "unknown command"},
		})
	})
	t.Run("reset", func(t *testing.T) {
		runFlagsCases(t, lightVerb(func(app *App, got func(any)) *cobra.Command {
			return newLightResetCmd(app, capture[lightResetOptions](got))
		}), []flagsCase{
			{name: "plain", args: "light reset -y", want: &lightResetOptions{}},
			{name: "bad node", args: "light reset --node 127.0.0.1", code: output.Usage},
		})
	})
}
