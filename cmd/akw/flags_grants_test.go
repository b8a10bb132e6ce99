package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/internal/output"
	"github.com/akash-wallet/akw/lightclient/state"
	"github.com/akash-wallet/akw/tx/encoding"
	"github.com/akash-wallet/akw/tx/fee"
	"github.com/akash-wallet/akw/tx/flow"
	"github.com/akash-wallet/akw/tx/ops"
	"github.com/akash-wallet/akw/tx/sign"
)

// The flags of the grant, fee allowance and governance commands: what
// each command line parses to, and that bad input is exit 2 before any
// keyring or node is opened.

func TestFlagsTxGrants(t *testing.T) {
	aliceBz, alice := testAddr(t, 1)
	_, bob := testAddr(t, 2)
	carolBz, carol := testAddr(t, 3)
	_, val := testValoper(t, 4)
	_, val2 := testValoper(t, 5)
	auto := flow.Options{Gas: fee.Gas{Auto: true}}
	grant := func(r ops.GrantRequest, to *txOptions, fo flow.Options) *txGrantOptions {
		return &txGrantOptions{Tx: to, From: "alice", Grantee: bob, Request: r, Flow: fo}
	}

	t.Run("grant", func(t *testing.T) {
		runFlagsCases(t, txVerb(func(app *App, to *txOptions, got func(any)) *cobra.Command {
			return newTxGrantCmd(app, to, capture[txGrantOptions](got))
		}), []flagsCase{
			{name: "generic", args: "tx grant alice " + bob + " --msg-type MsgWithdrawDelegatorReward --expiration 30d",
				want: grant(ops.GrantRequest{Kind: "generic", MsgType: "MsgWithdrawDelegatorReward", Expiration: "30d"}, txDefaults(nil), auto)},
			{name: "generic by --type", args: "tx grant alice " + bob + " --type generic --msg-type /cosmos.gov.v1.MsgVote",
				want: grant(ops.GrantRequest{Kind: "generic", MsgType: "/cosmos.gov.v1.MsgVote"}, txDefaults(nil), auto)},
			{name: "send", args: "tx grant alice " + bob + " --spend-limit 10akt --allow-list " + carol + " --expiration 2099-01-31",
				want: grant(ops.GrantRequest{Kind: "send", SpendLimit: "10akt", AllowList: []string{carol}, Expiration: "2099-01-31"}, txDefaults(nil), auto)},
			{name: "delegate", args: "tx grant alice " + bob + " --type delegate --allow-validators " + val + "," + val2 + " --max-tokens 100akt",
				want: grant(ops.GrantRequest{Kind: "delegate", AllowValidators: []string{val, val2}, MaxTokens: "100akt"}, txDefaults(nil), auto)},
			{name: "redelegate deny", args: "tx grant alice " + bob + " --type Redelegate --deny-validators " + val,
				want: grant(ops.GrantRequest{Kind: "redelegate", DenyValidators: []string{val}}, txDefaults(nil), auto)},
			{name: "fee granter and generate only", args: "tx grant " + alice + " " + bob + " --msg-type MsgWithdrawDelegatorReward --fee-granter " + carol + " --fee-payer " + alice + " --generate-only",
				want: &txGrantOptions{Tx: txDefaults(func(o *txOptions) { o.FeeGranter, o.FeePayer, o.GenerateOnly = carol, alice, true }), From: alice, Grantee: bob,
					Request: ops.GrantRequest{Kind: "generic", MsgType: "MsgWithdrawDelegatorReward"},
					Flow:    flow.Options{Gas: fee.Gas{Auto: true}, Unsigned: true, FeeGranter: sdk.AccAddress(carolBz), FeePayer: sdk.AccAddress(aliceBz)}}},
			{name: "unknown message type", args: "tx grant alice " + bob + " --msg-type MsgNope", code: output.Usage, msg: "unknown message type"},
			{name: "ambiguous message type", args: "tx grant alice " + bob + " --msg-type MsgSubmitProposal", code: output.Usage, msg: "ambiguous"},
			{name: "expiry in the past", args: "tx grant alice " + bob + " --msg-type MsgWithdrawDelegatorReward --expiration 2020-01-01", code: output.Usage, msg: "2020-01-01"},
			{name: "bad expiry", args: "tx grant alice " + bob + " --msg-type MsgWithdrawDelegatorReward --expiration soon", code: output.Usage, msg: "invalid expiration"},
			{name: "grant to oneself", args: "tx grant " + alice + " " + alice + " --msg-type MsgWithdrawDelegatorReward --generate-only", code: output.Usage, msg: "over itself"},
			{name: "nothing to grant", args: "tx grant alice " + bob, code: output.Usage, msg: "nothing to grant"},
			{name: "staking without --type", args: "tx grant alice " + bob + " --allow-validators " + val, code: output.Usage, msg: "needs --type"},
			{name: "unknown type", args: "tx grant alice " + bob + " --type vote --msg-type MsgWithdrawDelegatorReward", code: output.Usage, msg: `unknown --type "vote"`},
			{name: "spend limit on a staking grant", args: "tx grant alice " + bob + " --type delegate --allow-validators " + val + " --spend-limit 1akt", code: output.Usage, msg: "--spend-limit does not apply to a delegate grant"},
			{name: "message type on a send grant", args: "tx grant alice " + bob + " --spend-limit 1akt --msg-type MsgWithdrawDelegatorReward", code: output.Usage, msg: "--spend-limit does not apply to a generic grant"},
			{name: "allow and deny", args: "tx grant alice " + bob + " --type delegate --allow-validators " + val + " --deny-validators " + val2, code: output.Usage, msg: "both allowed and denied"},
			{name: "staking without validators", args: "tx grant alice " + bob + " --type undelegate --max-tokens 1akt", code: output.Usage, msg: "needs allowed or denied validators"},
			{name: "account as validator", args: "tx grant alice " + bob + " --type delegate --allow-validators " + carol, code: output.Usage},
			{name: "bad spend limit", args: "tx grant alice " + bob + " --spend-limit lots", code: output.Usage, msg: "lots"},
			{name: "zero spend limit", args: "tx grant alice " + bob + " --spend-limit 0akt", code: output.Usage},
			{name: "bad max tokens", args: "tx grant alice " + bob + " --type delegate --allow-validators " + val + " --max-tokens 1atom", code: output.Usage, msg: "unknown denom"},
			{name: "validator as grantee", args: "tx grant alice " + val + " --msg-type MsgWithdrawDelegatorReward", code: output.Usage},
			{name: "fee granter by key name", args: "tx grant alice " + bob + " --msg-type MsgWithdrawDelegatorReward --fee-granter carol",
				want: grant(ops.GrantRequest{Kind: "generic", MsgType: "MsgWithdrawDelegatorReward"}, txDefaults(func(o *txOptions) { o.FeeGranter = "carol" }), auto)},
			{name: "mistyped fee granter", args: "tx grant alice " + bob + " --msg-type MsgWithdrawDelegatorReward --fee-granter " + carol[:len(carol)-1] + "q", code: output.Usage, msg: "--fee-granter"},
			{name: "validator as fee payer", args: "tx grant alice " + bob + " --msg-type MsgWithdrawDelegatorReward --fee-payer " + val, code: output.Usage, msg: "--fee-payer"},
			{name: "one argument", args: "tx grant alice --msg-type MsgWithdrawDelegatorReward", code: output.Usage, msg: "accepts 2 arg"},
		})
	})
	t.Run("restake", func(t *testing.T) {
		runFlagsCases(t, txVerb(func(app *App, to *txOptions, got func(any)) *cobra.Command {
			return newTxRestakeCmd(app, to, capture[txRestakeOptions](got))
		}), []flagsCase{
			{name: "preset", args: "tx restake alice " + bob + " " + val + " --expiration 1y",
				want: &txRestakeOptions{Tx: txDefaults(nil), From: "alice", Bot: bob, Validator: val, Expiration: "1y", Flow: auto}},
			{name: "alias", args: "tx auto-compound alice " + bob + " " + val + " --expiration 2099-12-31 --dry-run",
				want: &txRestakeOptions{Tx: txDefaults(func(o *txOptions) { o.DryRun = true }), From: "alice", Bot: bob, Validator: val, Expiration: "2099-12-31",
					Flow: flow.Options{Gas: fee.Gas{Auto: true}, Unsigned: true}}},
			{name: "no expiration", args: "tx restake alice " + bob + " " + val, code: output.Usage, msg: "needs an expiration"},
			{name: "expiry in the past", args: "tx restake alice " + bob + " " + val + " --expiration 2001-01-01", code: output.Usage},
			{name: "account as validator", args: "tx restake alice " + bob + " " + carol + " --expiration 1y", code: output.Usage},
			{name: "bot is the granter", args: "tx restake " + alice + " " + alice + " " + val + " --expiration 1y --generate-only", code: output.Usage, msg: "over itself"},
			{name: "no validator", args: "tx restake alice " + bob + " --expiration 1y", code: output.Usage, msg: "accepts 3 arg"},
		})
	})
	t.Run("revoke", func(t *testing.T) {
		runFlagsCases(t, txVerb(func(app *App, to *txOptions, got func(any)) *cobra.Command {
			return newTxRevokeCmd(app, to, capture[txRevokeOptions](got))
		}), []flagsCase{
			{name: "plain", args: "tx revoke alice " + bob + " /cosmos.staking.v1beta1.MsgDelegate",
				want: &txRevokeOptions{Tx: txDefaults(nil), From: "alice", Grantee: bob, MsgType: "/cosmos.staking.v1beta1.MsgDelegate", Flow: auto}},
			{name: "unknown message type", args: "tx revoke alice " + bob + " MsgNope", code: output.Usage, msg: "unknown message type"},
			{name: "to oneself", args: "tx revoke " + alice + " " + alice + " MsgWithdrawDelegatorReward --generate-only", code: output.Usage, msg: "itself"},
			{name: "no message type", args: "tx revoke alice " + bob, code: output.Usage, msg: "accepts 3 arg"},
		})
	})
	t.Run("exec", func(t *testing.T) {
		dir := t.TempDir()
		file := writeTxFile(t, dir, alice, val)
		bad := filepath.Join(dir, "bad.json")
		if err := os.WriteFile(bad, []byte("{not json"), 0o600); err != nil {
			t.Fatal(err)
		}
		runFlagsCases(t, txVerb(func(app *App, to *txOptions, got func(any)) *cobra.Command {
			return newTxExecCmd(app, to, capture[txExecOptions](got))
		}), []flagsCase{
			{name: "file", args: "tx exec bot " + file, want: &txExecOptions{Tx: txDefaults(nil), From: "bot", File: file, Flow: auto}},
			{name: "stdin", args: "tx exec bot - --fees 5000uakt",
				want: &txExecOptions{Tx: txDefaults(func(o *txOptions) { o.Fees = "5000uakt" }), From: "bot", File: "-", Flow: flow.Options{Fees: sdk.NewCoins(sdk.NewInt64Coin("uakt", 5000)), Gas: fee.Gas{Auto: true}}}},
			{name: "missing file", args: "tx exec bot " + filepath.Join(dir, "none.json"), code: output.Usage, msg: "cannot read"},
			{name: "not a transaction", args: "tx exec bot " + bad, code: output.Usage, msg: "not a transaction"},
			{name: "no file", args: "tx exec bot", code: output.Usage, msg: "accepts 2 arg"},
		})
	})
}

func TestFlagsTxFeegrantAndGov(t *testing.T) {
	_, alice := testAddr(t, 1)
	_, bob := testAddr(t, 2)
	_, val := testValoper(t, 4)
	auto := flow.Options{Gas: fee.Gas{Auto: true}}

	t.Run("feegrant", func(t *testing.T) {
		fg := func(r ops.AllowanceRequest) *txFeegrantOptions {
			return &txFeegrantOptions{Tx: txDefaults(nil), From: "alice", Grantee: bob, Request: r, Flow: auto}
		}
		runFlagsCases(t, txVerb(func(app *App, to *txOptions, got func(any)) *cobra.Command {
			return newTxFeegrantCmd(app, to, capture[txFeegrantOptions](got))
		}), []flagsCase{
			{name: "no limit", args: "tx feegrant alice " + bob, want: fg(ops.AllowanceRequest{})},
			{name: "basic", args: "tx feegrant alice " + bob + " --spend-limit 5akt --expiration 30d", want: fg(ops.AllowanceRequest{SpendLimit: "5akt", Expiration: "30d"})},
			{name: "periodic", args: "tx feegrant alice " + bob + " --period 24h --period-limit 0.5akt --allowed-messages MsgDelegate,/cosmos.gov.v1.MsgVote",
				want: fg(ops.AllowanceRequest{Period: "24h", PeriodLimit: "0.5akt", AllowedMsgs: []string{"MsgDelegate", "/cosmos.gov.v1.MsgVote"}})},
			{name: "period without limit", args: "tx feegrant alice " + bob + " --period 24h", code: output.Usage, msg: "needs a period limit"},
			{name: "limit without period", args: "tx feegrant alice " + bob + " --period-limit 1akt", code: output.Usage, msg: "needs a period"},
			{name: "period limit above spend limit", args: "tx feegrant alice " + bob + " --spend-limit 1akt --period 1d --period-limit 2akt", code: output.Usage, msg: "above the spend limit"},
			{name: "bad period", args: "tx feegrant alice " + bob + " --period often --period-limit 1akt", code: output.Usage, msg: "invalid period"},
			{name: "unknown message", args: "tx feegrant alice " + bob + " --allowed-messages MsgNope", code: output.Usage, msg: "unknown message type"},
			{name: "expiry in the past", args: "tx feegrant alice " + bob + " --expiration 2020-01-01", code: output.Usage},
			{name: "to oneself", args: "tx feegrant " + alice + " " + alice + " --generate-only", code: output.Usage, msg: "its own fees"},
			{name: "bad spend limit", args: "tx feegrant alice " + bob + " --spend-limit five", code: output.Usage, msg: "five"},
			{name: "validator as grantee", args: "tx feegrant alice " + val, code: output.Usage},
		})
	})
	t.Run("revoke-feegrant", func(t *testing.T) {
		runFlagsCases(t, txVerb(func(app *App, to *txOptions, got func(any)) *cobra.Command {
			return newTxRevokeFeegrantCmd(app, to, capture[txRevokeFeegrantOptions](got))
		}), []flagsCase{
			{name: "plain", args: "tx revoke-feegrant alice " + bob + " -y", want: &txRevokeFeegrantOptions{Tx: txDefaults(nil), From: "alice", Grantee: bob, Flow: auto}},
			{name: "to oneself", args: "tx revoke-feegrant " + alice + " " + alice + " --generate-only", code: output.Usage, msg: "itself"},
			{name: "bad grantee", args: "tx revoke-feegrant alice bob", code: output.Usage},
		})
	})
	t.Run("deposit", func(t *testing.T) {
		runFlagsCases(t, txVerb(func(app *App, to *txOptions, got func(any)) *cobra.Command {
			return newTxDepositCmd(app, to, capture[txDepositOptions](got))
		}), []flagsCase{
			{name: "plain", args: "tx deposit alice 7 100akt", want: &txDepositOptions{Tx: txDefaults(nil), From: "alice", ProposalID: "7", Amount: "100akt", Flow: auto}},
			{name: "bad id", args: "tx deposit alice seven 1akt", code: output.Usage, msg: "invalid proposal id"},
			{name: "id zero", args: "tx deposit alice 0 1akt", code: output.Usage, msg: "invalid proposal id"},
			{name: "zero amount", args: "tx deposit alice 7 0akt", code: output.Usage},
			{name: "bad amount", args: "tx deposit alice 7 lots", code: output.Usage, msg: "lots"},
			{name: "no amount", args: "tx deposit alice 7", code: output.Usage, msg: "accepts 3 arg"},
		})
	})
	t.Run("submit-proposal", func(t *testing.T) {
		dir := t.TempDir()
		write := func(name, body string) string {
			p := filepath.Join(dir, name)
			if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
			return p
		}
		text := write("text.json", `{"metadata": "ipfs://CID", "deposit": "10akt", "title": "Text", "summary": "A text proposal.", "expedited": true}`)
		untitled := write("untitled.json", `{"metadata": "ipfs://CID", "deposit": "10akt", "summary": "no title"}`)
		unknown := write("unknown.json", `{"title": "t", "summary": "s", "metadata": "m", "colour": "red"}`)
		badMsg := write("badmsg.json", `{"title": "t", "summary": "s", "messages": [{"@type": "/nope.MsgNope"}]}`)
		runFlagsCases(t, txVerb(func(app *App, to *txOptions, got func(any)) *cobra.Command {
			return newTxSubmitProposalCmd(app, to, capture[txSubmitProposalOptions](got))
		}), []flagsCase{
			{name: "text expedited", args: "tx submit-proposal alice " + text, want: &txSubmitProposalOptions{Tx: txDefaults(nil), From: "alice", File: text, Flow: auto}},
			{name: "deposit", args: "tx submit-proposal alice " + text + " --deposit 100akt",
				want: &txSubmitProposalOptions{Tx: txDefaults(nil), From: "alice", File: text, Deposit: "100akt", Flow: auto}},
			{name: "stdin", args: "tx submit-proposal alice -", want: &txSubmitProposalOptions{Tx: txDefaults(nil), From: "alice", File: "-", Flow: auto}},
			{name: "no title", args: "tx submit-proposal alice " + untitled, code: output.Usage, msg: "no title"},
			{name: "unknown field", args: "tx submit-proposal alice " + unknown, code: output.Usage, msg: "colour"},
			{name: "unknown message", args: "tx submit-proposal alice " + badMsg, code: output.Usage, msg: "message 1"},
			{name: "bad deposit", args: "tx submit-proposal alice " + text + " --deposit lots", code: output.Usage, msg: "lots"},
			{name: "missing file", args: "tx submit-proposal alice " + filepath.Join(dir, "none.json"), code: output.Usage, msg: "cannot read"},
		})
	})
}

func TestFlagsQueryGrantsGov(t *testing.T) {
	alice, aliceStr := testAddr(t, 1)
	_, valStr := testValoper(t, 2)
	def := &queryOptions{Timeout: 30 * time.Second}
	t.Run("allowances", func(t *testing.T) {
		runFlagsCases(t, queryVerb(func(app *App, qo *queryOptions, got func(any)) *cobra.Command {
			return newQueryAllowancesCmd(app, qo, capture[queryAddrOptions](got))
		}), []flagsCase{
			{name: "address", args: "query allowances " + aliceStr, want: &queryAddrOptions{Query: def, Address: sdk.AccAddress(alice)}},
			{name: "height", args: "q allowances " + aliceStr + " --height 9", want: &queryAddrOptions{Query: &queryOptions{Height: 9, Timeout: 30 * time.Second}, Address: sdk.AccAddress(alice)}},
			{name: "validator address", args: "query allowances " + valStr, code: output.Usage},
			{name: "unknown key", args: "query allowances bob --keyring-backend test", code: output.Key, msg: "bob"},
			{name: "no address", args: "query allowances", code: output.Usage, msg: "accepts 1 arg"},
		})
	})
	t.Run("deposits", func(t *testing.T) {
		runFlagsCases(t, queryVerb(func(app *App, qo *queryOptions, got func(any)) *cobra.Command {
			return newQueryDepositsCmd(app, qo, capture[queryDepositsOptions](got))
		}), []flagsCase{
			{name: "id", args: "query deposits 7", want: &queryDepositsOptions{Query: def, ProposalID: 7}},
			{name: "bad id", args: "query deposits seven", code: output.Usage, msg: "not a proposal id"},
			{name: "no id", args: "query deposits", code: output.Usage, msg: "accepts 1 arg"},
		})
	})
	t.Run("proposals status", func(t *testing.T) {
		runFlagsCases(t, queryVerb(func(app *App, qo *queryOptions, got func(any)) *cobra.Command {
			return newQueryProposalsCmd(app, qo, capture[queryProposalsOptions](got))
		}), []flagsCase{
			{name: "voting by default", args: "query proposals", want: &queryProposalsOptions{Query: def, Status: govv1.StatusVotingPeriod}},
			{name: "deposit", args: "query proposals --status deposit", want: &queryProposalsOptions{Query: def, Status: govv1.StatusDepositPeriod}},
			{name: "passed", args: "query proposals --status passed", want: &queryProposalsOptions{Query: def, Status: govv1.StatusPassed}},
			{name: "rejected", args: "query proposals --status REJECTED", want: &queryProposalsOptions{Query: def, Status: govv1.StatusRejected}},
			{name: "all", args: "query proposals --status all", want: &queryProposalsOptions{Query: def, Status: govv1.StatusNil}},
			{name: "unknown", args: "query proposals --status open", code: output.Usage, msg: `unknown proposal status "open"`},
		})
	})
	// The statuses the help lists are those the parser takes.
	for _, s := range state.ProposalStatuses {
		if _, err := state.ParseProposalStatus(s); err != nil {
			t.Errorf("status %q: %v", s, err)
		}
	}
}

// writeTxFile writes an unsigned transaction of granter delegating to val,
// as --generate-only writes it, and returns its path.
func writeTxFile(t *testing.T, dir, granter, val string) string {
	t.Helper()
	enc, err := encoding.New("akash")
	if err != nil {
		t.Fatal(err)
	}
	b := enc.TxConfig.NewTxBuilder()
	if err := b.SetMsgs(&stakingtypes.MsgDelegate{DelegatorAddress: granter, ValidatorAddress: val, Amount: sdk.NewCoin("uakt", math.NewInt(1000))}); err != nil {
		t.Fatal(err)
	}
	bz, err := sign.EncodeJSON(enc, b)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "delegate.json")
	if err := os.WriteFile(p, bz, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
