package main

import (
	"fmt"
	"strings"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/internal/output"
	"github.com/akash-wallet/akw/tx/flow"
	"github.com/akash-wallet/akw/tx/ops"
)

// txGrantOptions are what `akw tx grant` was asked.
type txGrantOptions struct {
	Tx      *txOptions
	From    string
	Grantee string
	// Request is the grant as typed; its Kind is --type, or what the
	// flags given imply (--msg-type: generic, --spend-limit: send).
	Request ops.GrantRequest
	Flow    flow.Options
}

func (o *txGrantOptions) build(e *opEnv, signer sdk.AccAddress) (ops.Op, error) {
	g, err := ops.ParseGrant(o.Request, signer, o.Grantee, e.Denoms, e.Prefixes, e.Enc.Registry, e.Now)
	if err != nil {
		return nil, err
	}
	return g, nil
}

// grantKinds are the kinds of --type, and the flags each takes besides
// --expiration.
var grantKinds = map[string][]string{
	"generic":    {"msg-type"},
	"send":       {"spend-limit", "allow-list"},
	"delegate":   {"allow-validators", "deny-validators", "max-tokens"},
	"undelegate": {"allow-validators", "deny-validators", "max-tokens"},
	"redelegate": {"allow-validators", "deny-validators", "max-tokens"},
}

// grantKind is the kind of grant the flags ask for: --type, or what the
// flags imply; a flag that does not apply to the kind is refused rather
// than dropped (a spend limit silently left out of a generic grant would
// give away more than the user meant).
func grantKind(typ string, changed func(string) bool) (string, error) {
	typ = strings.ToLower(strings.TrimSpace(typ))
	if typ == "" {
		switch {
		case changed("msg-type"):
			typ = "generic"
		case changed("spend-limit") || changed("allow-list"):
			typ = "send"
		case changed("allow-validators") || changed("deny-validators") || changed("max-tokens"):
			return "", output.UsageError("a staking grant needs --type", "say which message the grantee may send: --type delegate, --type undelegate or --type redelegate")
		default:
			return "", output.UsageError("nothing to grant", "give --msg-type TYPE (any message of a type), --spend-limit AMOUNT (sending), or --type delegate|undelegate|redelegate with --allow-validators or --deny-validators")
		}
	}
	own, ok := grantKinds[typ]
	if !ok {
		return "", output.UsageError(fmt.Sprintf("unknown --type %q", typ), "give generic, send, delegate, undelegate or redelegate")
	}
	for _, flags := range grantKinds {
		for _, f := range flags {
			if changed(f) && !contains(own, f) {
				return "", output.UsageError(fmt.Sprintf("--%s does not apply to a %s grant", f, typ), grantKindHint(typ))
			}
		}
	}
	return typ, nil
}

func grantKindHint(typ string) string {
	flags := []string{}
	for _, f := range grantKinds[typ] {
		flags = append(flags, "--"+f)
	}
	return "a " + typ + " grant takes " + strings.Join(flags, ", ") + " and --expiration"
}

const txGrantExamples = `  akw tx grant alice akash1bot... --msg-type /cosmos.gov.v1.MsgVote --expiration 90d
  akw tx grant alice akash1bob... --spend-limit 10akt --expiration 2027-01-31
  akw tx grant alice akash1bot... --type delegate --allow-validators akashvaloper1... --max-tokens 100akt --expiration 1y`

func newTxGrantCmd(app *App, to *txOptions, runF func(*txGrantOptions) error) *cobra.Command {
	o := &txGrantOptions{Tx: to}
	var typ string
	cmd := &cobra.Command{
		Use:   "grant FROM GRANTEE",
		Short: "Let another account send messages for FROM (authz): generic, send with a spend limit, or staking",
		Long: `Grant GRANTEE the right to send messages for FROM (x/authz), until
--expiration (a duration such as 30d or 1y, a date, or a time; without it
the grant holds until revoked). One of:

  generic      --msg-type TYPE: any message of the type, without limit
  send         --spend-limit AMOUNT[,AMOUNT...] in total, --allow-list ADDR,...
               to name the only recipients
  delegate, undelegate, redelegate (--type): --allow-validators or
               --deny-validators VALOPER,..., --max-tokens AMOUNT in total

The review before signing says in words what the grantee will be able to
do, with what limit, until when, and which existing grant it replaces.
Refused before signing: an unknown message type, an expiration not in the
future (the chain's time), a spend limit in a token FROM does not hold, a
grant to FROM itself. For auto-compounding see "akw tx restake".`,
		Example: txGrantExamples,
		Args:    cobra.ExactArgs(2),
		RunE: func(c *cobra.Command, args []string) error {
			o.From, o.Grantee = args[0], args[1]
			kind, err := grantKind(typ, func(name string) bool { return c.Flags().Changed(name) })
			if err != nil {
				return err
			}
			o.Request.Kind = kind
			return runOpCmd(app, to, o, o.From, &o.Flow, runF)
		},
	}
	f := cmd.Flags()
	f.StringVar(&typ, "type", "", "kind of grant: generic, send, delegate, undelegate, redelegate (default: what the other flags imply)")
	f.StringVar(&o.Request.MsgType, "msg-type", "", "generic grant: the message type, e.g. /cosmos.gov.v1.MsgVote, or its last name when unique (MsgWithdrawDelegatorReward)")
	f.StringVar(&o.Request.SpendLimit, "spend-limit", "", "send grant: the most the grantee may send in total, e.g. 10akt (several: comma-separated)")
	f.StringSliceVar(&o.Request.AllowList, "allow-list", nil, "send grant: the only accounts the grantee may send to (comma-separated)")
	f.StringSliceVar(&o.Request.AllowValidators, "allow-validators", nil, "staking grant: the only validators the grantee may use (comma-separated)")
	f.StringSliceVar(&o.Request.DenyValidators, "deny-validators", nil, "staking grant: validators the grantee may not use (comma-separated)")
	f.StringVar(&o.Request.MaxTokens, "max-tokens", "", "staking grant: the most the grantee may stake (or unstake, or move) in total, e.g. 100akt")
	f.StringVar(&o.Request.Expiration, "expiration", "", "when the grant ends: 30d, 12h, 1y, 2027-01-31, an RFC 3339 time or Unix seconds (default: never)")
	return cmd
}

// txRestakeOptions are what `akw tx restake` was asked.
type txRestakeOptions struct {
	Tx         *txOptions
	From       string
	Bot        string
	Validator  string
	Expiration string
	Flow       flow.Options
}

func (o *txRestakeOptions) build(e *opEnv, signer sdk.AccAddress) (ops.Op, error) {
	g, err := ops.ParseAutoCompound(signer, o.Bot, o.Validator, o.Expiration, e.Prefixes, e.Now)
	if err != nil {
		return nil, err
	}
	return g, nil
}

func newTxRestakeCmd(app *App, to *txOptions, runF func(*txRestakeOptions) error) *cobra.Command {
	o := &txRestakeOptions{Tx: to}
	cmd := &cobra.Command{
		Use:     "restake FROM BOT VALOPER --expiration WHEN",
		Aliases: []string{"auto-compound"},
		Short:   "Grant a REStake bot auto-compounding: claim FROM's rewards and delegate them to one validator",
		Long: `The auto-compounding preset REStake bots use, in one transaction: BOT may
delegate FROM's tokens to VALOPER only (a delegate grant with that one
validator allowed) and withdraw FROM's staking rewards (a generic grant of
MsgWithdrawDelegatorReward), until --expiration, which is required. The
bot pays the fees of what it does; nothing else is granted. The review
names the preset. See and revoke what you granted with "akw query grants"
and "akw tx revoke".`,
		Example: "  akw tx restake alice akash1bot... akashvaloper1... --expiration 1y",
		Args:    cobra.ExactArgs(3),
		RunE: func(_ *cobra.Command, args []string) error {
			o.From, o.Bot, o.Validator = args[0], args[1], args[2]
			return runOpCmd(app, to, o, o.From, &o.Flow, runF)
		},
	}
	cmd.Flags().StringVar(&o.Expiration, "expiration", "", "when the grant ends (required): 30d, 1y, 2027-01-31, an RFC 3339 time or Unix seconds")
	return cmd
}

// txRevokeOptions are what `akw tx revoke` was asked.
type txRevokeOptions struct {
	Tx      *txOptions
	From    string
	Grantee string
	MsgType string
	Flow    flow.Options
}

func (o *txRevokeOptions) build(e *opEnv, signer sdk.AccAddress) (ops.Op, error) {
	r, err := ops.ParseRevoke(signer, o.Grantee, o.MsgType, e.Prefixes, e.Enc.Registry)
	if err != nil {
		return nil, err
	}
	return r, nil
}

func newTxRevokeCmd(app *App, to *txOptions, runF func(*txRevokeOptions) error) *cobra.Command {
	o := &txRevokeOptions{Tx: to}
	return &cobra.Command{
		Use:   "revoke FROM GRANTEE MSG_TYPE",
		Short: "Withdraw the grant FROM gave GRANTEE for a message type (authz)",
		Long: `Withdraw the grant FROM gave GRANTEE for MSG_TYPE (a type URL such as
/cosmos.staking.v1beta1.MsgDelegate, or its last name when unique). The
grant is proven to exist before anything is signed; the review says what
the grantee will no longer be able to do. "akw query grants FROM" lists
what FROM granted.`,
		Example: "  akw tx revoke alice akash1bot... /cosmos.staking.v1beta1.MsgDelegate",
		Args:    cobra.ExactArgs(3),
		RunE: func(_ *cobra.Command, args []string) error {
			o.From, o.Grantee, o.MsgType = args[0], args[1], args[2]
			return runOpCmd(app, to, o, o.From, &o.Flow, runF)
		},
	}
}

// txExecOptions are what `akw tx exec` was asked.
type txExecOptions struct {
	Tx   *txOptions
	From string
	File string
	Flow flow.Options
}

func (o *txExecOptions) build(e *opEnv, signer sdk.AccAddress) (ops.Op, error) {
	msgs, ok, err := e.readTxMsgs(o.File)
	if err != nil || !ok {
		return nil, err
	}
	x, err := ops.NewExec(e.Enc.Codec, signer, msgs)
	if err != nil {
		return nil, err
	}
	return x, nil
}

func newTxExecCmd(app *App, to *txOptions, runF func(*txExecOptions) error) *cobra.Command {
	o := &txExecOptions{Tx: to}
	return &cobra.Command{
		Use:   "exec FROM FILE",
		Short: "Send, as grantee FROM, the messages of a granter's transaction file (authz)",
		Long: `FROM, a grantee, sends the messages of FILE for the accounts that granted
it the right (MsgExec). FILE ("-" for stdin) is a transaction in JSON whose
messages are signed by the granter: what "akw tx ... GRANTER --generate-only"
writes, or the SDK's CLI. Before signing, each message is run through the
chain's own rules for the proven grant from its signer (limits decrease
message by message, an allow list is enforced); a message no grant allows
is refused. FROM pays the fee.`,
		Example: `  akw tx delegate akash1granter... akashvaloper1... 5akt --generate-only > delegate.json
  akw tx exec bot delegate.json`,
		Args: cobra.ExactArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			o.From, o.File = args[0], args[1]
			return runOpCmd(app, to, o, o.From, &o.Flow, runF)
		},
	}
}
