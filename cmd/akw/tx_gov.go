package main

import (
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/tx/flow"
	"github.com/akash-wallet/akw/tx/ops"
)

// txDepositOptions are what `akw tx deposit` was asked.
type txDepositOptions struct {
	Tx         *txOptions
	From       string
	ProposalID string
	Amount     string
	Flow       flow.Options
}

func (o *txDepositOptions) build(e *opEnv, signer sdk.AccAddress) (ops.Op, error) {
	d, err := ops.ParseDeposit(signer, o.ProposalID, o.Amount, e.Denoms)
	if err != nil {
		return nil, err
	}
	return d, nil
}

func newTxDepositCmd(app *App, to *txOptions, runF func(*txDepositOptions) error) *cobra.Command {
	o := &txDepositOptions{Tx: to}
	return &cobra.Command{
		Use:   "deposit FROM PROPOSAL-ID AMOUNT",
		Short: "Add to a governance proposal's deposit",
		Long: `Add AMOUNT to the deposit of a proposal in its deposit (or voting) period.
The proposal's status and the deposit denoms are checked against proven
state before signing; the review says whether the deposit reaches the
minimum that starts the vote. Deposits are returned when the vote ends,
except when the chain's rules burn them; either happens in no transaction,
so "akw history" and its CSV show the deposit, not its return.`,
		Example: "  akw tx deposit alice 7 100akt",
		Args:    cobra.ExactArgs(3),
		RunE: func(_ *cobra.Command, args []string) error {
			o.From, o.ProposalID, o.Amount = args[0], args[1], args[2]
			return runOpCmd(app, to, o, o.From, &o.Flow, runF)
		},
	}
}

// txSubmitProposalOptions are what `akw tx submit-proposal` was asked.
type txSubmitProposalOptions struct {
	Tx   *txOptions
	From string
	File string
	// Deposit replaces the file's "deposit" when given.
	Deposit string
	Flow    flow.Options
}

func (o *txSubmitProposalOptions) build(e *opEnv, signer sdk.AccAddress) (ops.Op, error) {
	bz, ok, err := e.readFile(o.File, ops.MaxProposalFile)
	if err != nil || !ok {
		return nil, err
	}
	p, err := ops.ParseProposalFile(e.Enc.Codec, e.Enc.Codec, bz, signer, o.Deposit, e.Denoms)
	if err != nil {
		return nil, err
	}
	return p, nil
}

const proposalFileExample = `  akw tx submit-proposal alice proposal.json --deposit 1000akt

  proposal.json, as the SDK's "tx gov submit-proposal" takes it (a text
  proposal has no messages; "expedited": true asks for a shorter vote):
  {"messages": [], "metadata": "ipfs://...", "deposit": "1000000uakt",
   "title": "...", "summary": "...", "expedited": false}`

func newTxSubmitProposalCmd(app *App, to *txOptions, runF func(*txSubmitProposalOptions) error) *cobra.Command {
	o := &txSubmitProposalOptions{Tx: to}
	cmd := &cobra.Command{
		Use:   "submit-proposal FROM FILE",
		Short: "Submit a governance proposal from the JSON file the SDK's CLI takes",
		Long: `Submit the governance proposal in FILE ("-" for stdin): the JSON of the
SDK's "tx gov submit-proposal" (messages, metadata, deposit, title, summary,
expedited). Each message must be one akw knows and act as the gov module.
--deposit replaces the file's deposit. Refused before signing: an initial
deposit below the chain's minimum ratio (proven parameters), a deposit
denom the chain does not take, a file that does not read.`,
		Example: proposalFileExample,
		Args:    cobra.ExactArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			o.From, o.File = args[0], args[1]
			return runOpCmd(app, to, o, o.From, &o.Flow, runF)
		},
	}
	cmd.Flags().StringVar(&o.Deposit, "deposit", "", "initial deposit, e.g. 1000akt (replaces the file's \"deposit\")")
	return cmd
}
