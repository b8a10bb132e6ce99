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
	"github.com/akash-wallet/akw/tx/flow"
	"github.com/akash-wallet/akw/tx/ops"
	"github.com/akash-wallet/akw/tx/sign"
)

// runOp is the path every operation command takes: parse the request
// (tx/ops.Parse, the parser the TUI uses too), resolve the signer, prepare
// (checks against proven state, gas, fee), then dry-run, generate-only,
// sign offline, or sign, broadcast and confirm.
func runOp(cmd *cobra.Command, app *App, o *txOptions, from string, req ops.Request) error {
	start := time.Now()
	if err := o.checkModes(); err != nil {
		return err
	}
	offline := o.Offline
	needKey := !o.GenerateOnly && !o.DryRun
	ctx := cmd.Context()

	// Parse what can be parsed before opening anything: the network's
	// denoms and prefix need no node.
	n, err := txNetwork(app, true)
	if err != nil {
		return err
	}
	fo, err := o.flowOptions(app, denomsOf(n))
	if err != nil {
		return err
	}
	// Check the arguments (addresses, amounts) before opening a keyring
	// or a connection: bad input fails fast and touches nothing.
	if _, err := ops.Parse(req, sdk.AccAddress(make([]byte, 20)), denomsOf(n), address.For(n.Bech32Prefix)); err != nil {
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
	key, err := resolveFrom(s, from, o.GenerateOnly || o.DryRun)
	if err != nil {
		return err
	}
	prepare := func() (*flow.Plan, error) {
		op, err := ops.Parse(req, key.Address, s.env.Denoms, s.env.Prefixes)
		if err != nil {
			return nil, txError(err)
		}
		plan, err := flow.Prepare(pctx, s.env, op, key, fo)
		if err != nil {
			return nil, txError(err)
		}
		return plan, nil
	}
	plan, err := prepare()
	if err != nil && s.client != nil && output.ExitCode(err) == output.Network && pctx.Err() == nil && len(app.Network.Witnesses) > 0 {
		// As for queries: the light client falls over to a witness only
		// when its own requests fail, and a primary that dies between
		// the header and the proofs fails the checks alone. Nothing is
		// signed before the checks pass, so they are run once more
		// through a new light client, which finds the primary gone and
		// takes a witness (and says so). Same --timeout for both.
		app.Printer.Notice("%v; checking again through the witnesses (nothing was signed)", err)
		s.client.Close()
		s.client = nil
		if err = s.connect(pctx, app, o); err == nil {
			plan, err = prepare()
		}
	}
	if err != nil {
		return err
	}
	// "build" is everything before signing, from the command's start:
	// opening the keyring and the light client, the verified account,
	// the checks and the simulation.
	plan.Timings.Build = time.Since(start)

	switch {
	case o.DryRun:
		return app.Printer.Result(toPlanJSON(s, plan), func(w io.Writer) error {
			fmt.Fprintln(w, "dry run: nothing was signed")
			writeFields(w, planFields(s, plan))
			if !plan.Checked {
				fmt.Fprintln(w, "not checked against chain state (offline)")
			}
			return nil
		})
	case o.GenerateOnly:
		bz, err := sign.EncodeJSON(s.env.Enc, plan.Builder)
		if err != nil {
			return err
		}
		return writeTx(app, o, bz)
	}

	// Show what is about to be signed, then ask.
	fmt.Fprintln(app.IO.Err, "about to sign:")
	writeFields(app.IO.Err, planFields(s, plan))
	question := "Sign and broadcast this transaction?"
	if offline {
		question = "Sign this transaction?"
	}
	if err := app.Confirm(question); err != nil {
		return err
	}
	txBytes, err := flow.Sign(ctx, s.env, plan)
	if err != nil {
		return txError(err)
	}
	if offline {
		bz, err := sign.EncodeJSON(s.env.Enc, plan.Builder)
		if err != nil {
			return err
		}
		return writeTx(app, o, bz)
	}
	res, err := flow.Broadcast(ctx, s.env, txBytes, &plan.Timings)
	if res != nil {
		res.Fee = plan.Fee
	}
	if err != nil {
		if res != nil && res.TxHash != "" {
			// The chain's refusal after inclusion, or an outcome akw
			// could not settle: print what is known first.
			_ = printResult(app, res, start, toCheckedState(plan), plan.Warnings)
		}
		return txError(err)
	}
	return printResult(app, res, start, toCheckedState(plan), plan.Warnings)
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
