package main

import (
	"context"
	"fmt"
	"io"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/internal/output"
	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/ops"
	"github.com/akash-wallet/akw/tx/sign"
	"github.com/akash-wallet/akw/wallet"
)

// runOp is the path every operation command takes: parse the request
// (tx/ops.Parse, the parser the TUI uses too), open the wallet session,
// resolve the signer, prepare (checks against proven state, gas, fee,
// with the wallet's failover), then dry-run, generate-only, sign offline,
// or sign, broadcast and confirm (wallet.Send, its stages as notes).
func runOp(cmd *cobra.Command, app *App, o *txOptions, from string, req ops.Request) error {
	start := time.Now()
	if err := o.checkModes(); err != nil {
		return err
	}
	offline := o.Offline
	needKey := !o.GenerateOnly && !o.DryRun
	ctx := cmd.Context()

	// Parse what can be parsed before opening anything: the network's
	// denoms and prefix need no node. Bad input fails fast and touches
	// no keyring and no connection.
	n, err := txNetwork(app, true)
	if err != nil {
		return err
	}
	fo, err := o.flowOptions(app, wallet.Denoms(n))
	if err != nil {
		return err
	}
	if _, err := ops.Parse(req, sdk.AccAddress(make([]byte, 20)), wallet.Denoms(n), address.For(n.Bech32Prefix)); err != nil {
		return txError(err)
	}

	// Keys: needed to sign, and to turn a key name into an address.
	if !needKey {
		if _, aerr := address.Account(from, address.For(n.Bech32Prefix)); aerr != nil {
			needKey = true
		}
	}
	pctx, cancel := contextWithTimeout(ctx, o.Timeout)
	defer cancel()
	s, err := openTx(pctx, app, o, needKey, offline)
	if err != nil {
		return err
	}
	defer s.Close()
	key, err := s.Signer(pctx, from, o.GenerateOnly || o.DryRun)
	if err != nil {
		return txError(err)
	}
	plan, err := s.Prepare(pctx, req, key, fo)
	if err != nil {
		return txError(err)
	}
	// "build" is everything before signing, from the command's start:
	// opening the keyring and the light client, the verified account,
	// the checks and the simulation.
	plan.Timings.Build = time.Since(start)

	switch {
	case o.DryRun:
		return app.Printer.Result(toPlanJSON(s, plan.Plan), func(w io.Writer) error {
			fmt.Fprintln(w, "dry run: nothing was signed")
			writeFields(w, planFields(s, plan.Plan))
			if !plan.Checked {
				fmt.Fprintln(w, "not checked against chain state (offline)")
			}
			return nil
		})
	case o.GenerateOnly:
		return writePlanTx(app, o, s, plan)
	}

	// Show what is about to be signed, then ask.
	fmt.Fprintln(app.IO.Err, "about to sign:")
	writeFields(app.IO.Err, planFields(s, plan.Plan))
	question := "Sign and broadcast this transaction?"
	if offline {
		question = "Sign this transaction?"
	}
	if err := app.Confirm(question); err != nil {
		return err
	}
	if offline {
		if _, err := s.Sign(ctx, plan, nil); err != nil {
			return txError(err)
		}
		return writePlanTx(app, o, s, plan)
	}
	res, err := s.Send(ctx, plan, progressNotes(app))
	if err != nil {
		if res != nil && res.TxHash != "" {
			// The chain's refusal after inclusion, or an outcome akw
			// could not settle: print what is known first.
			_ = printResult(app, res, start, toCheckedState(plan.Plan), plan.Warnings)
		}
		return txError(err)
	}
	return printResult(app, res, start, toCheckedState(plan.Plan), plan.Warnings)
}

// progressNotes renders the stages of a broadcast as notes on stderr:
// the hash as soon as the node has the transaction, so that an
// interrupted wait still says how to find it.
func progressNotes(app *App) func(wallet.Event) {
	return func(ev wallet.Event) {
		if ev.Stage == wallet.StageSent {
			app.Printer.Notice("sent transaction %s; waiting until its inclusion is proven", ev.TxHash)
		}
	}
}

// writePlanTx writes the plan's transaction (unsigned, or signed
// offline) as JSON to --out or stdout.
func writePlanTx(app *App, o *txOptions, s *wallet.Session, plan *wallet.Plan) error {
	env, err := s.Env()
	if err != nil {
		return txError(err)
	}
	bz, err := sign.EncodeJSON(env.Enc, plan.Builder)
	if err != nil {
		return err
	}
	return writeTx(app, o, bz)
}

const txExamples = `  akw tx send alice akash1... 1.5akt
  akw tx send alice akash1... 1500000uakt --memo "invoice 42" -y -o json`

func newTxSendCmd(app *App, o *txOptions) *cobra.Command {
	return &cobra.Command{
		Use:     "send FROM TO AMOUNT",
		Short:   "Send AKT to an account",
		Example: txExamples,
		Args:    cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runOp(cmd, app, o, args[0], ops.Request{Kind: ops.KindSend, To: args[1], Amount: args[2]})
		},
	}
}

func newTxDelegateCmd(app *App, o *txOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "delegate FROM VALOPER AMOUNT",
		Short: "Stake AKT with a validator",
		Long: `Stake AKT with a validator. A validator that is jailed or not bonded earns
its delegators nothing: akw warns, asks when interactive, and refuses in
scripts unless --allow-inactive is given.`,
		Args: cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runOp(cmd, app, o, args[0], ops.Request{Kind: ops.KindDelegate, To: args[1], Amount: args[2]})
		},
	}
	cmd.Flags().BoolVar(&o.AllowInactive, "allow-inactive", false, "delegate even to a jailed or unbonded validator")
	return cmd
}

func newTxRedelegateCmd(app *App, o *txOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "redelegate FROM SRC-VALOPER DST-VALOPER AMOUNT",
		Short: "Move staked AKT from one validator to another without unbonding",
		Long: `Move staked AKT from one validator to another without unbonding. The chain
refuses to move stake that arrived by a redelegation still maturing (for the
chain's unbonding period, 21 days on Akash mainnet); akw checks that first.`,
		Args: cobra.ExactArgs(4),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runOp(cmd, app, o, args[0], ops.Request{Kind: ops.KindRedelegate, Src: args[1], To: args[2], Amount: args[3]})
		},
	}
	cmd.Flags().BoolVar(&o.AllowInactive, "allow-inactive", false, "redelegate even to a jailed or unbonded validator")
	return cmd
}

func newTxUndelegateCmd(app *App, o *txOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "undelegate FROM VALOPER AMOUNT",
		Short: "Unbond staked AKT (spendable after the chain's unbonding period, 21 days on Akash mainnet)",
		Args:  cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runOp(cmd, app, o, args[0], ops.Request{Kind: ops.KindUndelegate, To: args[1], Amount: args[2]})
		},
	}
}

func newTxWithdrawRewardsCmd(app *App, o *txOptions) *cobra.Command {
	var all, commission bool
	cmd := &cobra.Command{
		Use:   "withdraw-rewards FROM [VALOPER...] [--all] [--commission]",
		Short: "Claim staking rewards from one, several or all validators in one transaction",
		Long: `Claim staking rewards. --all claims from every validator the account has a
delegation with (read from proven state). --commission also claims the
validator commission when FROM is a validator's operator key.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if all && len(args) > 1 {
				return output.UsageError("--all and a validator both given", "give one: --all, or the validators to claim from")
			}
			if !all && len(args) == 1 && !commission {
				return output.UsageError("no validator to claim rewards from", "name a validator (akashvaloper1...), or pass --all")
			}
			return runOp(cmd, app, o, args[0], ops.Request{Kind: ops.KindWithdrawRewards, Validators: args[1:], All: all, Commission: commission})
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "claim from every validator with a delegation")
	cmd.Flags().BoolVar(&commission, "commission", false, "also claim the commission of FROM's own validator")
	return cmd
}

func newTxVoteCmd(app *App, o *txOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "vote FROM PROPOSAL-ID OPTION",
		Short: "Vote on a governance proposal: yes, no, abstain, no_with_veto, or weighted yes=0.6,no=0.4",
		Args:  cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runOp(cmd, app, o, args[0], ops.Request{Kind: ops.KindVote, ProposalID: args[1], Option: args[2]})
		},
	}
}

func contextWithTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if d <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, d)
}
