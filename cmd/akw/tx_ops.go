package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/contacts"
	"github.com/akash-wallet/akw/internal/output"
	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/amount"
	"github.com/akash-wallet/akw/tx/flow"
	"github.com/akash-wallet/akw/tx/ops"
	"github.com/akash-wallet/akw/tx/sign"
	"github.com/akash-wallet/akw/wallet"
)

// txOpOptions are what an operation command (send, delegate, redelegate,
// undelegate, withdraw-rewards, vote) was asked: the shared tx flags, the
// signer, the request as typed, and the flags parsed into flow.Options.
type txOpOptions struct {
	Tx      *txOptions
	From    string
	Request ops.Request
	Flow    flow.Options
	// Recipient is the contact a send's @NAME named (nil: an address was
	// typed); MemoFromContact: its memo is the transaction's.
	Recipient       *contacts.Resolved
	MemoFromContact bool
}

// newTxOpCmd is an operation command: request turns the arguments into
// the request (FROM is the first), and everything that needs no keyring
// and no node is checked before runF (or runOp) is called.
func newTxOpCmd(app *App, to *txOptions, cmd *cobra.Command, runF func(*txOpOptions) error, request func(args []string) (ops.Request, error)) *cobra.Command {
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		req, err := request(args)
		if err != nil {
			return err
		}
		o := &txOpOptions{Tx: to, From: args[0], Request: req}
		if err := o.validate(app); err != nil {
			return err
		}
		if runF != nil {
			return runF(o)
		}
		return runOp(app, o)
	}
	return cmd
}

// validate parses what can be parsed before opening anything: the
// network's denoms and prefix need no node. Bad input fails fast and
// touches no keyring and no connection.
func (o *txOpOptions) validate(app *App) error {
	if err := o.Tx.checkModes(); err != nil {
		return err
	}
	n, err := txNetwork(app, true)
	if err != nil {
		return err
	}
	if o.Flow, err = o.Tx.flowOptions(app, wallet.Denoms(n)); err != nil {
		return err
	}
	_, err = ops.Parse(o.Request, sdk.AccAddress(make([]byte, 20)), wallet.Denoms(n), address.For(n.Bech32Prefix))
	if o.Request.Kind == ops.KindSend && errors.Is(err, amount.ErrUnknownDenom) {
		// A send's unit other than the network's token's ("1.5act",
		// "250ibc/…") is read once the chain's proven metadata of the
		// sender's tokens is known (wallet.Session.Prepare); the recipient,
		// parsed before the amount, has been checked.
		err = nil
	}
	if err != nil {
		return txError(err)
	}
	return nil
}

// runOp is the path every operation command takes once its options are
// checked (the request parsed by tx/ops.Parse, the parser the TUI uses
// too): open the wallet session, resolve the signer, prepare (checks
// against proven state, gas, fee, with the wallet's failover), then
// dry-run, generate-only, sign offline, or sign, broadcast and confirm
// (wallet.Send, its stages as notes).
func runOp(app *App, oo *txOpOptions) error {
	req := oo.Request
	return runPrepare(app, oo.Tx, oo.From, oo.Flow, func(ctx context.Context, s *wallet.Session, key flow.Key, fo flow.Options) (*wallet.Plan, error) {
		plan, err := s.Prepare(ctx, req, key, fo)
		if err == nil {
			// A send to @NAME: the review names the contact beside its address.
			plan.Summary = withContact(plan.Summary, oo.Recipient, oo.MemoFromContact)
		}
		return plan, err
	})
}

// runPrepare is runOp over any way of preparing the plan: ops.Parse's
// requests (runOp), or the operations with parsers of their own (grants,
// fee allowances, deposits, proposals: runOpX). fo is the options as
// the flags gave them; a fee granter or payer given by key name is
// resolved here, in the keyring, before prepare is called with them.
func runPrepare(app *App, o *txOptions, from string, fo flow.Options, prepare func(context.Context, *wallet.Session, flow.Key, flow.Options) (*wallet.Plan, error)) error {
	start := time.Now()
	offline := o.Offline
	needKey := !o.GenerateOnly && !o.DryRun
	ctx := app.Context()
	n, err := txNetwork(app, true)
	if err != nil {
		return err
	}

	// Keys: needed to sign, and to turn a key name into an address.
	if !needKey {
		if _, aerr := address.Account(from, address.For(n.Bech32Prefix)); aerr != nil {
			needKey = true
		}
	}
	namedGranter, namedPayer := o.FeeGranter != "" && fo.FeeGranter == nil, o.FeePayer != "" && fo.FeePayer == nil
	needKey = needKey || namedGranter || namedPayer
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
	if namedGranter {
		if fo.FeeGranter, err = feePartyKey(s, "--fee-granter", o.FeeGranter); err != nil {
			return err
		}
	}
	if namedPayer {
		if fo.FeePayer, err = feePartyKey(s, "--fee-payer", o.FeePayer); err != nil {
			return err
		}
	}
	plan, err := prepare(pctx, s, key, fo)
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

func newTxSendCmd(app *App, o *txOptions, runF func(*txOpOptions) error) *cobra.Command {
	var (
		cmd       *cobra.Command
		recipient *contacts.Resolved
	)
	cmd = newTxOpCmd(app, o, &cobra.Command{
		Use:   "send FROM TO|@NAME AMOUNT",
		Short: "Send AKT (or another token the sender holds) to an account or a contact (@NAME)",
		Long: `Send AKT to an account. TO is an account address, or @NAME for a contact of
the address book ("akw contacts"): its address, and its memo as the memo
unless --memo is given. The review shows the contact's name beside the full
address. A TO without @ is always an address, never looked up.`,
		Example: txExamples + "\n  akw tx send alice @kraken 10akt",
		Args:    cobra.ExactArgs(3),
	}, func(oo *txOpOptions) error {
		// The contact's memo is the default: an explicit --memo (even
		// an empty one) wins.
		oo.Recipient = recipient
		if recipient != nil && recipient.Memo != "" && !cmd.Flags().Changed("memo") {
			oo.Flow.Memo, oo.MemoFromContact = recipient.Memo, true
		}
		if runF != nil {
			return runF(oo)
		}
		return runOp(app, oo)
	}, func(args []string) (ops.Request, error) {
		to, r, err := resolveRecipient(app, args[1])
		if err != nil {
			return ops.Request{}, err
		}
		recipient = r
		return ops.Request{Kind: ops.KindSend, To: to, Amount: args[2]}, nil
	})
	return cmd
}

func newTxDelegateCmd(app *App, o *txOptions, runF func(*txOpOptions) error) *cobra.Command {
	cmd := newTxOpCmd(app, o, &cobra.Command{
		Use:   "delegate FROM VALOPER AMOUNT",
		Short: "Stake AKT with a validator",
		Long: `Stake AKT with a validator. A validator that is jailed or not bonded earns
its delegators nothing: akw warns, asks when interactive, and refuses in
scripts unless --allow-inactive is given.`,
		Args: cobra.ExactArgs(3),
	}, runF, func(args []string) (ops.Request, error) {
		return ops.Request{Kind: ops.KindDelegate, To: args[1], Amount: args[2]}, nil
	})
	cmd.Flags().BoolVar(&o.AllowInactive, "allow-inactive", false, "delegate even to a jailed or unbonded validator")
	return cmd
}

func newTxRedelegateCmd(app *App, o *txOptions, runF func(*txOpOptions) error) *cobra.Command {
	cmd := newTxOpCmd(app, o, &cobra.Command{
		Use:   "redelegate FROM SRC-VALOPER DST-VALOPER AMOUNT",
		Short: "Move staked AKT from one validator to another without unbonding",
		Long: `Move staked AKT from one validator to another without unbonding. The chain
refuses to move stake that arrived by a redelegation still maturing (for the
chain's unbonding period, 21 days on Akash mainnet); akw checks that first.`,
		Args: cobra.ExactArgs(4),
	}, runF, func(args []string) (ops.Request, error) {
		return ops.Request{Kind: ops.KindRedelegate, Src: args[1], To: args[2], Amount: args[3]}, nil
	})
	cmd.Flags().BoolVar(&o.AllowInactive, "allow-inactive", false, "redelegate even to a jailed or unbonded validator")
	return cmd
}

func newTxUndelegateCmd(app *App, o *txOptions, runF func(*txOpOptions) error) *cobra.Command {
	return newTxOpCmd(app, o, &cobra.Command{
		Use:   "undelegate FROM VALOPER AMOUNT",
		Short: "Unbond staked AKT (spendable after the chain's unbonding period, 21 days on Akash mainnet)",
		Args:  cobra.ExactArgs(3),
	}, runF, func(args []string) (ops.Request, error) {
		return ops.Request{Kind: ops.KindUndelegate, To: args[1], Amount: args[2]}, nil
	})
}

func newTxWithdrawRewardsCmd(app *App, o *txOptions, runF func(*txOpOptions) error) *cobra.Command {
	var all, commission bool
	cmd := newTxOpCmd(app, o, &cobra.Command{
		Use:   "withdraw-rewards FROM [VALOPER...] [--all] [--commission]",
		Short: "Claim staking rewards from one, several or all validators in one transaction",
		Long: `Claim staking rewards. --all claims from every validator the account has a
delegation with (read from proven state). --commission also claims the
validator commission when FROM is a validator's operator key.`,
		Args: cobra.MinimumNArgs(1),
	}, runF, func(args []string) (ops.Request, error) {
		if all && len(args) > 1 {
			return ops.Request{}, output.UsageError("--all and a validator both given", "give one: --all, or the validators to claim from")
		}
		if !all && len(args) == 1 && !commission {
			return ops.Request{}, output.UsageError("no validator to claim rewards from", "name a validator (akashvaloper1...), or pass --all")
		}
		return ops.Request{Kind: ops.KindWithdrawRewards, Validators: args[1:], All: all, Commission: commission}, nil
	})
	cmd.Flags().BoolVar(&all, "all", false, "claim from every validator with a delegation")
	cmd.Flags().BoolVar(&commission, "commission", false, "also claim the commission of FROM's own validator")
	return cmd
}

func newTxVoteCmd(app *App, o *txOptions, runF func(*txOpOptions) error) *cobra.Command {
	return newTxOpCmd(app, o, &cobra.Command{
		Use:   "vote FROM PROPOSAL-ID OPTION",
		Short: "Vote on a governance proposal: yes, no, abstain, no_with_veto, or weighted yes=0.6,no=0.4",
		Args:  cobra.ExactArgs(3),
	}, runF, func(args []string) (ops.Request, error) {
		return ops.Request{Kind: ops.KindVote, ProposalID: args[1], Option: args[2]}, nil
	})
}

func contextWithTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if d <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, d)
}
