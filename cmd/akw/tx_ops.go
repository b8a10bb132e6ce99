package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/internal/output"
	"github.com/akash-wallet/akw/tx"
	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/amount"
	"github.com/akash-wallet/akw/tx/flow"
	"github.com/akash-wallet/akw/tx/ops"
	"github.com/akash-wallet/akw/tx/sign"
	"github.com/akash-wallet/akw/tx/vote"
)

// opBuilder makes the operation once the signer and network are known.
type opBuilder func(s *txSession, signer sdk.AccAddress) (ops.Op, error)

// runOp is the path every operation command takes: resolve the signer,
// prepare (checks against proven state, gas, fee), then dry-run,
// generate-only, sign offline, or sign, broadcast and confirm.
func runOp(cmd *cobra.Command, app *App, o *txOptions, from string, build opBuilder) error {
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
	pre := &txSession{net: n, env: &flow.Env{Denoms: denomsOf(n), Prefixes: address.For(n.Bech32Prefix)}}
	if _, err := build(pre, sdk.AccAddress(make([]byte, 20))); err != nil {
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
		op, err := build(s, key.Address)
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
			_ = printResult(app, res, start, toCheckedState(plan))
		}
		return txError(err)
	}
	return printResult(app, res, start, toCheckedState(plan))
}

func amountArg(s *txSession, arg string) (sdk.Coin, error) {
	c, err := amount.Parse(arg, s.env.Denoms)
	if err != nil {
		return sdk.Coin{}, tx.Input(err, "")
	}
	return c, nil
}

func accountArg(s *txSession, arg string) (sdk.AccAddress, error) {
	a, err := address.Account(arg, s.env.Prefixes)
	if err != nil {
		return nil, tx.Input(err, "")
	}
	return a, nil
}

func validatorArg(s *txSession, arg string) (sdk.ValAddress, error) {
	v, err := address.Validator(arg, s.env.Prefixes)
	if err != nil {
		return nil, tx.Input(err, "")
	}
	return v, nil
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
			return runOp(cmd, app, o, args[0], func(s *txSession, signer sdk.AccAddress) (ops.Op, error) {
				to, err := accountArg(s, args[1])
				if err != nil {
					return nil, err
				}
				amt, err := amountArg(s, args[2])
				if err != nil {
					return nil, err
				}
				return &ops.Send{From: signer, To: to, Amount: amt}, nil
			})
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
			return runOp(cmd, app, o, args[0], func(s *txSession, signer sdk.AccAddress) (ops.Op, error) {
				v, err := validatorArg(s, args[1])
				if err != nil {
					return nil, err
				}
				amt, err := amountArg(s, args[2])
				if err != nil {
					return nil, err
				}
				return &ops.Delegate{Delegator: signer, Validator: v, Amount: amt}, nil
			})
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
			return runOp(cmd, app, o, args[0], func(s *txSession, signer sdk.AccAddress) (ops.Op, error) {
				src, err := validatorArg(s, args[1])
				if err != nil {
					return nil, err
				}
				dst, err := validatorArg(s, args[2])
				if err != nil {
					return nil, err
				}
				if src.Equals(dst) {
					return nil, tx.Inputf("give two different validators", "cannot redelegate from %s to itself", args[1])
				}
				amt, err := amountArg(s, args[3])
				if err != nil {
					return nil, err
				}
				return &ops.Redelegate{Delegator: signer, Src: src, Dst: dst, Amount: amt}, nil
			})
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
			return runOp(cmd, app, o, args[0], func(s *txSession, signer sdk.AccAddress) (ops.Op, error) {
				v, err := validatorArg(s, args[1])
				if err != nil {
					return nil, err
				}
				amt, err := amountArg(s, args[2])
				if err != nil {
					return nil, err
				}
				return &ops.Undelegate{Delegator: signer, Validator: v, Amount: amt}, nil
			})
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
			return runOp(cmd, app, o, args[0], func(s *txSession, signer sdk.AccAddress) (ops.Op, error) {
				op := &ops.WithdrawRewards{Delegator: signer, All: all, Commission: commission}
				for _, a := range args[1:] {
					v, err := validatorArg(s, a)
					if err != nil {
						return nil, err
					}
					op.Validators = append(op.Validators, v)
				}
				return op, nil
			})
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
			id, err := strconv.ParseUint(args[1], 10, 64)
			if err != nil || id == 0 {
				return output.UsageError(fmt.Sprintf("invalid proposal id %q", args[1]), "give the proposal's number; `akw query proposals` lists those in their voting period")
			}
			opts, weighted, err := vote.Parse(args[2])
			if err != nil {
				return txError(tx.Input(err, ""))
			}
			return runOp(cmd, app, o, args[0], func(s *txSession, signer sdk.AccAddress) (ops.Op, error) {
				return &ops.Vote{Voter: signer, ProposalID: id, Options: opts, Weighted: weighted}, nil
			})
		},
	}
}

func contextWithTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if d <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, d)
}
