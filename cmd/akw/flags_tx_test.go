package main

import (
	"testing"
	"time"

	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/internal/output"
	"github.com/akash-wallet/akw/keys"
	"github.com/akash-wallet/akw/tx/fee"
	"github.com/akash-wallet/akw/tx/flow"
	"github.com/akash-wallet/akw/tx/ops"
)

// txVerb builds `akw tx` over one verb.
func txVerb(leaf func(app *App, to *txOptions, got func(any)) *cobra.Command) flagsBuild {
	return func(app *App, got func(any)) *cobra.Command {
		return newTxCmd(app, func(to *txOptions) []*cobra.Command { return []*cobra.Command{leaf(app, to, got)} })
	}
}

// txDefaults are the shared tx options when no flag is given; change
// edits a copy.
func txDefaults(change func(*txOptions)) *txOptions {
	o := &txOptions{keyring: keyringOptions{Timeout: keys.DefaultTimeout}, Gas: "auto", WaitTimeout: 2 * time.Minute, Timeout: 60 * time.Second}
	if change != nil {
		change(o)
	}
	return o
}

func TestFlagsTxOps(t *testing.T) {
	_, bob := testAddr(t, 2)
	_, val := testValoper(t, 3)
	_, val2 := testValoper(t, 4)
	auto := flow.Options{Gas: fee.Gas{Auto: true}}
	op := func(req ops.Request, to *txOptions, fo flow.Options) *txOpOptions {
		return &txOpOptions{Tx: to, From: "alice", Request: req, Flow: fo}
	}
	u64 := func(v uint64) *uint64 { return &v }
	adj := math.LegacyMustNewDecFromStr("1.3")
	price := sdk.NewDecCoinFromDec("uakt", math.LegacyMustNewDecFromStr("0.025"))
	send := ops.Request{Kind: ops.KindSend, To: bob, Amount: "1.5akt"}

	t.Run("send", func(t *testing.T) {
		runFlagsCases(t, txVerb(func(app *App, to *txOptions, got func(any)) *cobra.Command {
			return newTxSendCmd(app, to, capture[txOpOptions](got))
		}), []flagsCase{
			{name: "plain", args: "tx send alice " + bob + " 1.5akt", want: op(send, txDefaults(nil), auto)},
			{name: "fee memo gas", args: "tx send alice " + bob + " 1.5akt --fees 5000uakt --memo hi --gas 90000 --gas-adjustment 1.3 --wait-timeout 1m --timeout 5s",
				want: op(send, txDefaults(func(o *txOptions) {
					o.Fees, o.Memo, o.Gas, o.GasAdjustment, o.WaitTimeout, o.Timeout = "5000uakt", "hi", "90000", 1.3, time.Minute, 5*time.Second
					o.Given = map[string]bool{"gas": true, "gas-adjustment": true}
				}), flow.Options{Fees: sdk.NewCoins(sdk.NewInt64Coin("uakt", 5000)), Gas: fee.Gas{Limit: 90000}, GasAdjustment: &adj, Memo: "hi"})},
			{name: "gas prices", args: "tx send alice " + bob + " 1.5akt --gas-prices 0.025uakt",
				want: op(send, txDefaults(func(o *txOptions) { o.GasPrices = "0.025uakt" }), flow.Options{GasPrice: &price, Gas: fee.Gas{Auto: true}})},
			{name: "offline signing", args: "tx send alice " + bob + " 1.5akt --offline --gas 100000 --account-number 7 --sequence 0 --out tx.json --overwrite",
				want: op(send, txDefaults(func(o *txOptions) {
					o.Offline, o.Gas, o.AccountNumber, o.Out, o.Overwrite = true, "100000", 7, "tx.json", true
					o.Given = map[string]bool{"gas": true, "account-number": true, "sequence": true}
				}), flow.Options{Gas: fee.Gas{Limit: 100000}, AccountNumber: u64(7), Sequence: u64(0)})},
			{name: "generate only", args: "tx send " + bob + " " + bob + " 1uakt --generate-only",
				want: &txOpOptions{Tx: txDefaults(func(o *txOptions) { o.GenerateOnly = true }), From: bob,
					Request: ops.Request{Kind: ops.KindSend, To: bob, Amount: "1uakt"}, Flow: flow.Options{Gas: fee.Gas{Auto: true}, Unsigned: true}}},
			{name: "unordered", args: "tx send alice " + bob + " 1.5akt --unordered --timeout-duration 5m --dry-run",
				want: op(send, txDefaults(func(o *txOptions) { o.Unordered, o.TimeoutDuration, o.DryRun = true, 5*time.Minute, true }),
					flow.Options{Gas: fee.Gas{Auto: true}, Unordered: true, TimeoutDuration: 5 * time.Minute, Unsigned: true})},
			{name: "keyring flags", args: "tx send alice " + bob + " 1.5akt --keyring-app akash --keyring-timeout 3s",
				want: op(send, txDefaults(func(o *txOptions) {
					o.keyring = keyringOptions{App: "akash", Timeout: 3 * time.Second, Given: map[string]bool{"keyring-app": true, "keyring-timeout": true}}
				}), auto)},
			{name: "bad amount", args: "tx send alice " + bob + " lots", code: output.Usage, msg: "lots"},
			// Another token's unit is read against the chain's proven
			// metadata at run time; the rest is checked now.
			{name: "other token", args: "tx send alice " + bob + " 1.5act",
				want: op(ops.Request{Kind: ops.KindSend, To: bob, Amount: "1.5act"}, txDefaults(nil), auto)},
			{name: "other token bad recipient", args: "tx send alice " + val + " 1.5act", code: output.Usage},
			{name: "other token malformed", args: "tx send alice " + bob + " 1,5act", code: output.Usage, msg: "1,5act"},
			{name: "bad recipient", args: "tx send alice " + val + " 1akt", code: output.Usage},
			{name: "bad fee", args: "tx send alice " + bob + " 1akt --fees five", code: output.Usage, msg: "five"},
			{name: "bad gas", args: "tx send alice " + bob + " 1akt --gas lots", code: output.Usage, msg: "--gas"},
			{name: "gas adjustment below 1", args: "tx send alice " + bob + " 1akt --gas-adjustment 0.5", code: output.Usage},
			{name: "offline gas auto", args: "tx send alice " + bob + " 1akt --offline --gas auto", code: output.Usage, msg: "--gas auto needs a node"},
			{name: "dry run and generate only", args: "tx send alice " + bob + " 1akt --dry-run --generate-only", code: output.Usage, msg: "--generate-only and --dry-run both given"},
			{name: "long memo", args: "tx send alice " + bob + " 1akt --memo " + longWord(300), code: output.Usage},
			{name: "bad sequence", args: "tx send alice " + bob + " 1akt --sequence -1", code: output.Usage, msg: "--sequence"},
			{name: "two arguments", args: "tx send alice " + bob, code: output.Usage, msg: "accepts 3 arg"},
			{name: "unknown network", args: "tx send alice " + bob + " 1akt --network nosuchnet", code: output.Usage, msg: "nosuchnet"},
		})
	})
	t.Run("delegate", func(t *testing.T) {
		req := ops.Request{Kind: ops.KindDelegate, To: val, Amount: "10akt"}
		runFlagsCases(t, txVerb(func(app *App, to *txOptions, got func(any)) *cobra.Command {
			return newTxDelegateCmd(app, to, capture[txOpOptions](got))
		}), []flagsCase{
			{name: "plain", args: "tx delegate alice " + val + " 10akt", want: op(req, txDefaults(nil), auto)},
			{name: "allow inactive", args: "tx delegate alice " + val + " 10akt --allow-inactive",
				want: op(req, txDefaults(func(o *txOptions) { o.AllowInactive = true }), flow.Options{Gas: fee.Gas{Auto: true}, AllowInactive: true})},
			{name: "account address", args: "tx delegate alice " + bob + " 10akt", code: output.Usage},
			{name: "no amount", args: "tx delegate alice " + val, code: output.Usage, msg: "accepts 3 arg"},
			{name: "another token", args: "tx delegate alice " + val + " 1act", code: output.Usage, msg: "1act"},
		})
	})
	t.Run("redelegate", func(t *testing.T) {
		req := ops.Request{Kind: ops.KindRedelegate, Src: val, To: val2, Amount: "1akt"}
		runFlagsCases(t, txVerb(func(app *App, to *txOptions, got func(any)) *cobra.Command {
			return newTxRedelegateCmd(app, to, capture[txOpOptions](got))
		}), []flagsCase{
			{name: "plain", args: "tx redelegate alice " + val + " " + val2 + " 1akt", want: op(req, txDefaults(nil), auto)},
			{name: "allow inactive", args: "tx redelegate alice " + val + " " + val2 + " 1akt --allow-inactive",
				want: op(req, txDefaults(func(o *txOptions) { o.AllowInactive = true }), flow.Options{Gas: fee.Gas{Auto: true}, AllowInactive: true})},
			{name: "bad source", args: "tx redelegate alice x " + val2 + " 1akt", code: output.Usage},
			{name: "three arguments", args: "tx redelegate alice " + val + " 1akt", code: output.Usage, msg: "accepts 4 arg"},
		})
	})
	t.Run("undelegate", func(t *testing.T) {
		req := ops.Request{Kind: ops.KindUndelegate, To: val, Amount: "2000000uakt"}
		runFlagsCases(t, txVerb(func(app *App, to *txOptions, got func(any)) *cobra.Command {
			return newTxUndelegateCmd(app, to, capture[txOpOptions](got))
		}), []flagsCase{
			{name: "plain", args: "tx undelegate alice " + val + " 2000000uakt -y", want: op(req, txDefaults(nil), auto)},
			{name: "allow inactive is not its flag", args: "tx undelegate alice " + val + " 1akt --allow-inactive", code: output.Usage, msg: "unknown flag"},
			{name: "zero", args: "tx undelegate alice " + val + " 0akt", code: output.Usage},
		})
	})
	t.Run("withdraw-rewards", func(t *testing.T) {
		w := func(vals []string, all, commission bool) ops.Request {
			return ops.Request{Kind: ops.KindWithdrawRewards, Validators: vals, All: all, Commission: commission}
		}
		runFlagsCases(t, txVerb(func(app *App, to *txOptions, got func(any)) *cobra.Command {
			return newTxWithdrawRewardsCmd(app, to, capture[txOpOptions](got))
		}), []flagsCase{
			{name: "validators", args: "tx withdraw-rewards alice " + val + " " + val2, want: op(w([]string{val, val2}, false, false), txDefaults(nil), auto)},
			{name: "all", args: "tx withdraw-rewards alice --all", want: op(w([]string{}, true, false), txDefaults(nil), auto)},
			{name: "commission", args: "tx withdraw-rewards alice --commission", want: op(w([]string{}, false, true), txDefaults(nil), auto)},
			{name: "all and a validator", args: "tx withdraw-rewards alice " + val + " --all", code: output.Usage, msg: "--all and a validator both given"},
			{name: "nothing to claim", args: "tx withdraw-rewards alice", code: output.Usage, msg: "no validator to claim rewards from"},
			{name: "no signer", args: "tx withdraw-rewards", code: output.Usage, msg: "requires at least 1 arg"},
			{name: "bad validator", args: "tx withdraw-rewards alice " + bob, code: output.Usage},
		})
	})
	t.Run("vote", func(t *testing.T) {
		runFlagsCases(t, txVerb(func(app *App, to *txOptions, got func(any)) *cobra.Command {
			return newTxVoteCmd(app, to, capture[txOpOptions](got))
		}), []flagsCase{
			{name: "yes", args: "tx vote alice 7 yes", want: op(ops.Request{Kind: ops.KindVote, ProposalID: "7", Option: "yes"}, txDefaults(nil), auto)},
			{name: "weighted", args: "tx vote alice 7 yes=0.6,no=0.4", want: op(ops.Request{Kind: ops.KindVote, ProposalID: "7", Option: "yes=0.6,no=0.4"}, txDefaults(nil), auto)},
			{name: "bad option", args: "tx vote alice 7 maybe", code: output.Usage, msg: "maybe"},
			{name: "bad id", args: "tx vote alice seven yes", code: output.Usage, msg: "seven"},
		})
	})
}

func TestFlagsTxFiles(t *testing.T) {
	_, bob := testAddr(t, 2)
	t.Run("sign", func(t *testing.T) {
		runFlagsCases(t, txVerb(func(app *App, to *txOptions, got func(any)) *cobra.Command {
			return newTxSignCmd(app, to, capture[txSignOptions](got))
		}), []flagsCase{
			{name: "online", args: "tx sign tx.json --from alice", want: &txSignOptions{Tx: txDefaults(nil), File: "tx.json", From: "alice"}},
			{name: "offline", args: "tx sign - --from alice --offline --account-number 3 --sequence 9 --out signed.json",
				want: &txSignOptions{Tx: txDefaults(func(o *txOptions) {
					o.Offline, o.AccountNumber, o.Sequence, o.Out = true, 3, 9, "signed.json"
					o.Given = map[string]bool{"account-number": true, "sequence": true}
				}), File: "-", From: "alice"}},
			{name: "no from", args: "tx sign tx.json", code: output.Usage, msg: "--from is required"},
			{name: "memo refused", args: "tx sign tx.json --from alice --memo hi", code: output.Usage, msg: "--memo does not apply to tx sign"},
			{name: "fee granter refused", args: "tx sign tx.json --from alice --fee-granter " + bob, code: output.Usage, msg: "--fee-granter does not apply to tx sign"},
			{name: "fee payer refused", args: "tx sign tx.json --from alice --fee-payer " + bob, code: output.Usage, msg: "--fee-payer does not apply to tx sign"},
			{name: "multisig member", args: "tx sign tx.json --multisig treasury --from hw --out hw.sig",
				want: &txSignOptions{Tx: txDefaults(func(o *txOptions) { o.Out = "hw.sig" }), File: "tx.json", From: "hw", Multisig: "treasury"}},
			{name: "multisig member offline", args: "tx sign tx.json --multisig treasury --from hw --offline --account-number 3 --sequence 0",
				want: &txSignOptions{Tx: txDefaults(func(o *txOptions) {
					o.Offline, o.AccountNumber = true, 3
					o.Given = map[string]bool{"account-number": true, "sequence": true}
				}), File: "tx.json", From: "hw", Multisig: "treasury"}},
			{name: "multisig without from", args: "tx sign tx.json --multisig treasury", code: output.Usage, msg: "--from is required"},
			{name: "multisig without a value", args: "tx sign tx.json --from hw --multisig", code: output.Usage, msg: "needs an argument"},
			{name: "no file", args: "tx sign --from alice", code: output.Usage, msg: "accepts 1 arg"},
		})
	})
	t.Run("multisign", func(t *testing.T) {
		runFlagsCases(t, txVerb(func(app *App, to *txOptions, got func(any)) *cobra.Command {
			return newTxMultisignCmd(app, to, capture[txMultisignOptions](got))
		}), []flagsCase{
			{name: "two signatures", args: "tx multisign tx.json treasury hw.sig desk.sig --out signed.json",
				want: &txMultisignOptions{Tx: txDefaults(func(o *txOptions) { o.Out = "signed.json" }), File: "tx.json", Multisig: "treasury", Signatures: []string{"hw.sig", "desk.sig"}}},
			{name: "offline", args: "tx multisign - treasury hw.sig --offline --account-number 3 --sequence 4",
				want: &txMultisignOptions{Tx: txDefaults(func(o *txOptions) {
					o.Offline, o.AccountNumber, o.Sequence = true, 3, 4
					o.Given = map[string]bool{"account-number": true, "sequence": true}
				}), File: "-", Multisig: "treasury", Signatures: []string{"hw.sig"}}},
			{name: "no signature", args: "tx multisign tx.json treasury", code: output.Usage, msg: "requires at least 3 arg"},
			{name: "signature from stdin", args: "tx multisign tx.json treasury -", code: output.Usage, msg: "cannot be stdin"},
		})
	})
	t.Run("broadcast", func(t *testing.T) {
		runFlagsCases(t, txVerb(func(app *App, to *txOptions, got func(any)) *cobra.Command {
			return newTxBroadcastCmd(app, to, capture[txBroadcastOptions](got))
		}), []flagsCase{
			{name: "file", args: "tx broadcast signed.json --wait-timeout 30s", want: &txBroadcastOptions{Tx: txDefaults(func(o *txOptions) { o.WaitTimeout = 30 * time.Second }), File: "signed.json"}},
			{name: "offline", args: "tx broadcast signed.json --offline", code: output.Usage, msg: "cannot broadcast with --offline"},
			{name: "two files", args: "tx broadcast a.json b.json", code: output.Usage, msg: "accepts 1 arg"},
		})
	})
	t.Run("decode", func(t *testing.T) {
		runFlagsCases(t, txVerb(func(app *App, to *txOptions, got func(any)) *cobra.Command {
			return newTxDecodeCmd(app, to, capture[txDecodeOptions](got))
		}), []flagsCase{
			{name: "file", args: "tx decode tx.json", want: &txDecodeOptions{Tx: txDefaults(nil), File: "tx.json"}},
			{name: "no file", args: "tx decode", code: output.Usage, msg: "accepts 1 arg"},
		})
	})
	t.Run("status", func(t *testing.T) {
		hash := make([]byte, 32)
		hash[0], hash[31] = 0xAB, 0x01
		hex := "AB" + longZeros(60) + "01"
		runFlagsCases(t, txVerb(func(app *App, to *txOptions, got func(any)) *cobra.Command {
			return newTxStatusCmd(app, to, capture[txStatusOptions](got))
		}), []flagsCase{
			{name: "hash", args: "tx status " + hex, want: &txStatusOptions{Tx: txDefaults(nil), Hash: hash}},
			{name: "0x hash", args: "tx status 0x" + hex + " --timeout 10s", want: &txStatusOptions{Tx: txDefaults(func(o *txOptions) { o.Timeout = 10 * time.Second }), Hash: hash}},
			{name: "short hash", args: "tx status ABCD", code: output.Usage, msg: `"ABCD" is not a transaction hash`},
			{name: "not hex", args: "tx status " + longWord(64), code: output.Usage, msg: "is not a transaction hash"},
		})
	})
}

func longWord(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = 'x'
	}
	return string(b)
}

func longZeros(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = '0'
	}
	return string(b)
}
