package main

import (
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/tx/flow"
	"github.com/akash-wallet/akw/tx/ops"
)

// txFeegrantOptions are what `akw tx feegrant` was asked.
type txFeegrantOptions struct {
	Tx      *txOptions
	From    string
	Grantee string
	Request ops.AllowanceRequest
	Flow    flow.Options
}

func (o *txFeegrantOptions) build(e *opEnv, signer sdk.AccAddress) (ops.Op, error) {
	a, err := ops.ParseAllowance(o.Request, signer, o.Grantee, e.Denoms, e.Prefixes, e.Enc.Registry, e.Now)
	if err != nil {
		return nil, err
	}
	return a, nil
}

func newTxFeegrantCmd(app *App, to *txOptions, runF func(*txFeegrantOptions) error) *cobra.Command {
	o := &txFeegrantOptions{Tx: to}
	cmd := &cobra.Command{
		Use:   "feegrant FROM GRANTEE",
		Short: "Pay GRANTEE's transaction fees from FROM's balance (fee allowance)",
		Long: `Let GRANTEE's transactions take their fees from FROM's balance (x/feegrant),
when GRANTEE names FROM with --fee-granter. A basic allowance pays up to
--spend-limit in total (without it: no limit); with --period and
--period-limit it is periodic: also at most the period limit each period.
--allowed-messages limits it to some message types; --expiration ends it.
The review before signing says what the grantee will be able to spend,
on what, until when. "akw query allowances" shows it, proven.`,
		Example: `  akw tx feegrant alice akash1bob... --spend-limit 5akt --expiration 30d
  akw tx feegrant alice akash1bob... --period 24h --period-limit 0.5akt --allowed-messages MsgDelegate,MsgVote`,
		Args: cobra.ExactArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			o.From, o.Grantee = args[0], args[1]
			return runOpCmd(app, to, o, o.From, &o.Flow, runF)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Request.SpendLimit, "spend-limit", "", "the most the grantee's fees may take in total, e.g. 5akt (default: no limit)")
	f.StringVar(&o.Request.Period, "period", "", "periodic allowance: the length of a period, e.g. 24h, 7d")
	f.StringVar(&o.Request.PeriodLimit, "period-limit", "", "periodic allowance: the most each period, e.g. 0.5akt")
	f.StringVar(&o.Request.Expiration, "expiration", "", "when the allowance ends: 30d, 1y, 2027-01-31, an RFC 3339 time or Unix seconds (default: never)")
	f.StringSliceVar(&o.Request.AllowedMsgs, "allowed-messages", nil, "the only message types whose fees it pays, comma-separated (default: any)")
	return cmd
}

// txRevokeFeegrantOptions are what `akw tx revoke-feegrant` was asked.
type txRevokeFeegrantOptions struct {
	Tx      *txOptions
	From    string
	Grantee string
	Flow    flow.Options
}

func (o *txRevokeFeegrantOptions) build(e *opEnv, signer sdk.AccAddress) (ops.Op, error) {
	r, err := ops.ParseRevokeAllowance(signer, o.Grantee, e.Prefixes)
	if err != nil {
		return nil, err
	}
	return r, nil
}

func newTxRevokeFeegrantCmd(app *App, to *txOptions, runF func(*txRevokeFeegrantOptions) error) *cobra.Command {
	o := &txRevokeFeegrantOptions{Tx: to}
	return &cobra.Command{
		Use:   "revoke-feegrant FROM GRANTEE",
		Short: "Stop paying GRANTEE's fees (revoke the fee allowance FROM gave)",
		Long: `Withdraw the fee allowance FROM gave GRANTEE. The allowance is proven to
exist before anything is signed; the review says what it let the grantee
spend.`,
		Args: cobra.ExactArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			o.From, o.Grantee = args[0], args[1]
			return runOpCmd(app, to, o, o.From, &o.Flow, runF)
		},
	}
}
