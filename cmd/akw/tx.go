package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/internal/config"
	"github.com/akash-wallet/akw/internal/output"
	"github.com/akash-wallet/akw/keys"
	"github.com/akash-wallet/akw/tx"
	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/amount"
	"github.com/akash-wallet/akw/tx/fee"
	"github.com/akash-wallet/akw/tx/flow"
	"github.com/akash-wallet/akw/tx/ops"
	"github.com/akash-wallet/akw/tx/sign"
	"github.com/akash-wallet/akw/wallet"
)

// txOptions are the flags every `akw tx` command shares.
type txOptions struct {
	keyring keyringOptions

	Fees          string
	GasPrices     string
	Gas           string
	GasAdjustment float64
	Memo          string

	GenerateOnly bool
	Offline      bool
	DryRun       bool
	Out          string
	Overwrite    bool

	AccountNumber uint64
	Sequence      uint64

	Unordered       bool
	TimeoutDuration time.Duration

	AllowInactive bool
	WaitTimeout   time.Duration
	Timeout       time.Duration

	// FeeGranter and FeePayer are --fee-granter and --fee-payer as
	// typed: account addresses or key names.
	FeeGranter string
	FeePayer   string

	// Given holds the flags of givenFlags that were given: for them,
	// being given matters, not only the value (--sequence 0).
	Given map[string]bool
}

// givenFlags are the shared flags whose presence changes what a command
// does: --gas given with --offline, an explicit --gas-adjustment, an
// account number and sequence given rather than read from proven state.
var givenFlags = []string{"gas", "gas-adjustment", "account-number", "sequence"}

// fileVerbs are the tx verbs that take a transaction already built (a file
// or a hash); buildFlags shape a transaction as it is built. Given to a
// file verb they would change nothing, so they are refused rather than
// silently ignored: the user meant a memo or a fee granter to count.
var (
	fileVerbs  = map[string]bool{"sign": true, "multisign": true, "broadcast": true, "decode": true, "status": true}
	buildFlags = []string{"memo", "fee-granter", "fee-payer"}
)

// refuseBuildFlags is the usage error for a build flag given to a file verb.
func refuseBuildFlags(c *cobra.Command) error {
	if !fileVerbs[c.Name()] {
		return nil
	}
	for _, name := range buildFlags {
		if c.Flags().Changed(name) {
			return output.UsageError(fmt.Sprintf("--%s does not apply to tx %s: the transaction is signed as it was built", name, c.Name()),
				fmt.Sprintf("give --%s when the transaction is built (akw tx send ... --generate-only --%s ...), and sign that file", name, name))
		}
	}
	return nil
}

// setGiven records which of givenFlags c's command line gave.
func (o *txOptions) setGiven(c *cobra.Command) {
	o.Given = nil
	for _, name := range givenFlags {
		if c.Flags().Changed(name) {
			if o.Given == nil {
				o.Given = map[string]bool{}
			}
			o.Given[name] = true
		}
	}
}

func (o *txOptions) changed(name string) bool { return o.Given[name] }

// newTxCmd is `akw tx` over its verbs; leaves, when not nil, builds the
// verbs instead (flag tests: one verb with a capturing run function).
func newTxCmd(app *App, leaves func(*txOptions) []*cobra.Command) *cobra.Command {
	o := &txOptions{}
	cmd := &cobra.Command{
		Use:   "tx",
		Short: "Send, stake, claim, vote, deposit and propose; authz grants and fee allowances; sign, multisign and broadcast files",
		Long: `Build, check, sign, broadcast and confirm transactions.

Before anything is signed, akw checks the transaction against chain state
proven by the light client: the account number and sequence, the spendable
balance (amount plus fee), the validator's status, maturing redelegations,
the proposal's voting or deposit period and the deposit denoms, the grant an
exec relies on, the fee allowance a --fee-granter gives, the grant or
allowance a revoke removes. A check that fails names the fix; nothing is
signed. Gas simulation is the node's word and is labelled node-reported.

After a broadcast, akw waits until the transaction's inclusion is proven
against a verified header (DataHash) and its result code against the next
(LastResultsHash). If the outcome is unknown (a timeout, a dropped
connection) akw looks the transaction up by its hash; it never signs or
broadcasts again on its own.

Local keys sign in SIGN_MODE_DIRECT, Ledger keys in LEGACY_AMINO_JSON.

Offline: --generate-only writes the unsigned transaction (FROM may be an
address); "akw tx sign FILE --from KEY --offline --account-number N
--sequence N --chain-id ID" signs without any network; "akw tx broadcast
FILE" broadcasts and confirms.

Multisig: "akw tx send MULTISIG ... --generate-only" (a multisig key made by
"akw keys add NAME --multisig a,b,c --multisig-threshold K"); each member
"akw tx sign FILE --multisig MULTISIG --from MEMBER"; "akw tx multisign FILE
MULTISIG SIG..." combines; "akw tx broadcast" sends.

Amounts: 1.5akt or 1500000uakt.`,
	}
	pf := cmd.PersistentFlags()
	addKeyringFlags(pf, &o.keyring)
	pf.StringVar(&o.Fees, "fees", "", "fee to pay, e.g. 5000uakt (instead of --gas-prices × gas)")
	pf.StringVar(&o.GasPrices, "gas-prices", "", "price per unit of gas, e.g. 0.025uakt (default: the network's)")
	pf.StringVar(&o.Gas, "gas", "auto", "gas limit: auto (simulate; node-reported) or a number")
	pf.Float64Var(&o.GasAdjustment, "gas-adjustment", 0, "multiply simulated gas by this (default: the network's, 1.5 for Akash)")
	pf.StringVar(&o.Memo, "memo", "", "memo (public; at most 256 characters)")
	pf.BoolVar(&o.GenerateOnly, "generate-only", false, "write the unsigned transaction (SDK JSON) and stop; FROM may be an address")
	pf.BoolVar(&o.Offline, "offline", false, "touch no network: needs --account-number and --sequence (and --gas, else 200000)")
	pf.BoolVar(&o.DryRun, "dry-run", false, "check and simulate, print what would be signed, sign nothing")
	pf.StringVar(&o.Out, "out", "", "write the transaction (generate-only, sign, offline) to FILE instead of stdout")
	pf.BoolVar(&o.Overwrite, "overwrite", false, "let --out replace an existing file")
	pf.Uint64Var(&o.AccountNumber, "account-number", 0, "account number (offline signing; otherwise read from verified state)")
	pf.Uint64Var(&o.Sequence, "sequence", 0, "sequence (offline signing; otherwise read from verified state)")
	pf.BoolVar(&o.Unordered, "unordered", false, "unordered transaction: no sequence, valid until --timeout-duration (many transactions from one key at once)")
	pf.DurationVar(&o.TimeoutDuration, "timeout-duration", 0, "lifetime of an --unordered transaction, at most 10m (e.g. 5m)")
	pf.DurationVar(&o.WaitTimeout, "wait-timeout", 2*time.Minute, "how long to wait for proven inclusion after broadcast")
	pf.DurationVar(&o.Timeout, "timeout", 60*time.Second, "bound on the checks before signing (light client, proofs, simulation)")
	pf.StringVar(&o.FeeGranter, "fee-granter", "", "account (address or key name) whose fee allowance (feegrant) pays the fee; checked against the proven allowance before signing")
	pf.StringVar(&o.FeePayer, "fee-payer", "", "account (address or key name) charged the fee instead of the signer (it must sign too: use with --generate-only)")
	cmd.PersistentPreRunE = func(c *cobra.Command, args []string) error {
		if err := refuseBuildFlags(c); err != nil {
			return err
		}
		o.setGiven(c)
		o.keyring.setGiven(c.Flags())
		// Run the root's pre-run too (cobra runs only the nearest).
		if p := c.Root(); p.PersistentPreRunE != nil {
			return p.PersistentPreRunE(c, args)
		}
		return nil
	}
	if leaves == nil {
		leaves = func(o *txOptions) []*cobra.Command {
			return []*cobra.Command{
				newTxSendCmd(app, o, nil),
				newTxDelegateCmd(app, o, nil),
				newTxRedelegateCmd(app, o, nil),
				newTxUndelegateCmd(app, o, nil),
				newTxWithdrawRewardsCmd(app, o, nil),
				newTxVoteCmd(app, o, nil),
				newTxGrantCmd(app, o, nil),
				newTxRestakeCmd(app, o, nil),
				newTxRevokeCmd(app, o, nil),
				newTxExecCmd(app, o, nil),
				newTxFeegrantCmd(app, o, nil),
				newTxRevokeFeegrantCmd(app, o, nil),
				newTxDepositCmd(app, o, nil),
				newTxSubmitProposalCmd(app, o, nil),
				newTxSignCmd(app, o, nil),
				newTxMultisignCmd(app, o, nil),
				newTxBroadcastCmd(app, o, nil),
				newTxDecodeCmd(app, o, nil),
				newTxStatusCmd(app, o, nil),
			}
		}
	}
	cmd.AddCommand(leaves(o)...)
	return cmd
}

// txNetwork is the network for transactions. Online it is the fully
// resolved network; offline it is the network's chain-id, denoms and
// prefix only: no node is needed, and none is contacted.
func txNetwork(app *App, offline bool) (config.Network, error) {
	if !offline {
		if err := app.RequireNetwork(); err != nil {
			return config.Network{}, err
		}
		return app.Network, nil
	}
	name, _ := pick(app.changed("network"), app.flags.Network, envName("network"), app.Config.Network, config.Mainnet, "default")
	n, err := app.Config.LookupNetwork(name)
	if err != nil {
		return config.Network{}, output.Wrap(output.Usage, err, "", "choose one with --network")
	}
	n.ChainID, _ = pick(app.changed("chain-id"), app.flags.ChainID, envName("chain-id"), app.Config.ChainID, n.ChainID, "")
	n.RPC, n.Witnesses = "", nil
	setBech32(n.Bech32Prefix)
	return n, nil
}

// openTx opens the wallet session a tx command works in: the keyring
// when needKey, and, unless offline, the light client with proven state,
// the simulator and the broadcaster (wallet.Open). Its remarks are notes
// on stderr.
func openTx(ctx context.Context, app *App, o *txOptions, needKey, offline bool) (*wallet.Session, error) {
	n, err := txNetwork(app, offline)
	if err != nil {
		return nil, err
	}
	var kr *keys.Keyring
	if needKey {
		if kr, err = openKeyring(app, &o.keyring); err != nil {
			return nil, err
		}
	}
	s, err := wallet.Open(ctx, wallet.Config{
		Name: app.NetworkName, Network: n, Home: app.Paths.DataDir, Keyring: kr, Offline: offline,
		Notify: func(m string) { app.Printer.Notice("%s", m) }, WaitTimeout: o.WaitTimeout,
	})
	if err != nil {
		return nil, lightError(err)
	}
	// The network's gas settings are checked now, before anything else.
	if _, err := s.Env(); err != nil {
		s.Close()
		return nil, txError(err)
	}
	return s, nil
}

// flowOptions turns the shared flags into flow.Options.
func (o *txOptions) flowOptions(app *App, d amount.Denoms) (flow.Options, error) {
	var fo flow.Options
	if o.Fees != "" {
		c, err := amount.ParseFee(o.Fees, d)
		if err != nil {
			return fo, txError(tx.Input(err, ""))
		}
		fo.Fees = sdk.NewCoins(c)
		if fo.Fees == nil {
			fo.Fees = sdk.Coins{}
		}
	}
	if o.GasPrices != "" {
		p, err := amount.ParseGasPrice(o.GasPrices, d)
		if err != nil {
			return fo, txError(tx.Input(err, ""))
		}
		fo.GasPrice = &p
	}
	g, err := fee.ParseGas(o.Gas)
	if err != nil {
		return fo, txError(err)
	}
	fo.Gas = g
	if o.Offline && g.Auto && o.changed("gas") {
		return fo, output.UsageError("--gas auto needs a node to simulate, and --offline touches none", "pass --gas N (200000 covers a send or a delegation)")
	}
	if o.changed("gas-adjustment") {
		adj, err := fee.ParseAdjustment(o.GasAdjustment)
		if err != nil {
			return fo, txError(err)
		}
		fo.GasAdjustment = &adj
	}
	if err := sign.CheckMemo(o.Memo); err != nil {
		return fo, txError(err)
	}
	fo.Memo = o.Memo
	fo.Unordered, fo.TimeoutDuration = o.Unordered, o.TimeoutDuration
	if o.changed("account-number") {
		v := o.AccountNumber
		fo.AccountNumber = &v
	}
	if o.changed("sequence") {
		v := o.Sequence
		fo.Sequence = &v
	}
	fo.AllowInactive = o.AllowInactive
	fo.Unsigned = o.GenerateOnly || o.DryRun
	if fo.FeeGranter, err = feePartyFlag(app, "--fee-granter", o.FeeGranter); err != nil {
		return fo, err
	}
	if fo.FeePayer, err = feePartyFlag(app, "--fee-payer", o.FeePayer); err != nil {
		return fo, err
	}
	if app.IO.CanPrompt() {
		fo.ConfirmInactive = func(q string) error {
			// Asked even with -y: -y confirms the broadcast, not a
			// delegation that earns nothing.
			saved := app.Yes
			app.Yes = false
			defer func() { app.Yes = saved }()
			return app.Confirm(q)
		}
	}
	return fo, nil
}

// feePartyFlag reads --fee-granter or --fee-payer: an account address of
// the network, or a key name ("" for none). A key name is nil here: the
// flags are read before any keyring is opened, and the run resolves it
// (feePartyKey). As for every address akw reads, a mistyped address is
// refused as such, never looked up as a key name.
func feePartyFlag(app *App, flag, s string) (sdk.AccAddress, error) {
	if s == "" {
		return nil, nil
	}
	p := app.prefixes()
	a, err := address.Account(s, p)
	if err == nil {
		return a, nil
	}
	if notBech32(err) && !strings.HasPrefix(s, p.Account+"1") {
		return nil, nil // a key name
	}
	return nil, output.Wrap(output.Usage, err, fmt.Sprintf("%s: %v", flag, err),
		"give an account address (akash1...) or the name of a key in the keyring")
}

// feePartyKey is the address of the key named by --fee-granter or
// --fee-payer, from the session's keyring.
func feePartyKey(s *wallet.Session, flag, name string) (sdk.AccAddress, error) {
	kr := s.Keyring()
	if kr == nil {
		return nil, output.UsageError(fmt.Sprintf("%s %s: no keyring to look the key up in", flag, name), "give an account address (akash1...)")
	}
	k, err := kr.Key(name)
	if err != nil {
		return nil, output.Wrap(output.Key, err, fmt.Sprintf("%s %s: %v", flag, name, err), "give an account address, or a key of `akw keys list`")
	}
	return address.Account(k.Address, s.Prefixes())
}

func (o *txOptions) checkModes() error {
	if o.GenerateOnly && o.DryRun {
		return output.UsageError("--generate-only and --dry-run both given", "give one: --dry-run checks and simulates, --generate-only writes the unsigned transaction")
	}
	return nil
}

// txError words an error of a transaction for the command line.
func txError(err error) error { return txErrors.wrap(err) }

// ---- text rendering

func writeFields(w io.Writer, fields []ops.Field) {
	width := 0
	for _, f := range fields {
		if len(f.Label) > width {
			width = len(f.Label)
		}
	}
	for _, f := range fields {
		fmt.Fprintf(w, "  %-*s  %s\n", width, f.Label, f.Value)
	}
}

// planFields is the confirmation summary: what, to whom, amount, fee, the
// verified balance before and after.
func planFields(s *wallet.Session, p *flow.Plan) []ops.Field {
	d := s.Denoms()
	f := append([]ops.Field{}, p.Summary...)
	gas := fmt.Sprintf("%d (%s)", p.Gas, p.GasSource)
	if p.GasSimulated > 0 {
		gas = fmt.Sprintf("%d = %d simulated by the node (node-reported) × adjustment", p.Gas, p.GasSimulated)
	}
	f = append(f,
		ops.Field{Label: "fee", Value: amount.FormatCoins(p.Fee, d)},
		ops.Field{Label: "gas", Value: gas},
	)
	if p.Builder != nil && p.Builder.GetTx().GetMemo() != "" {
		f = append(f, ops.Field{Label: "memo", Value: p.Builder.GetTx().GetMemo()})
	}
	f = append(f, ops.Field{Label: "chain-id", Value: s.Network().ChainID})
	if p.Balance != nil && p.After != nil {
		f = append(f,
			ops.Field{Label: "balance", Value: fmt.Sprintf("%s spendable (verified at height %d)", amount.Format(p.Balance.Spendable, d), p.Balance.Height)},
			ops.Field{Label: "after", Value: amount.Format(*p.After, d) + afterNote(p)},
		)
	}
	signer := "sign with " + p.Key.Name
	if p.Key.Record == nil {
		signer = "unsigned (to be signed elsewhere)"
	} else if p.Key.Record.GetLedger() != nil {
		signer += " (Ledger, amino JSON: confirm on the device)"
	}
	seq := fmt.Sprintf("account %d, sequence %d", p.AccountNumber, p.Sequence)
	if p.Builder != nil && p.Builder.GetTx().GetUnordered() {
		seq = fmt.Sprintf("account %d, unordered (no sequence), valid until %s", p.AccountNumber, p.Builder.GetTx().GetTimeoutTimeStamp().UTC().Format(time.RFC3339))
	}
	if p.AccountVerified {
		seq += " (verified)"
	} else {
		seq += " (given)"
	}
	f = append(f, ops.Field{Label: "signer", Value: signer}, ops.Field{Label: "account", Value: seq})
	for _, w := range p.Warnings {
		f = append(f, ops.Field{Label: "warning", Value: w})
	}
	if p.Fresh.Stale {
		f = append(f, ops.Field{Label: "state", Value: fmt.Sprintf("WARNING: %s (height %d); the checks above rest on it", p.Fresh.Note, p.AccountHeight)})
	}
	return f
}

// planJSON is a plan in JSON (dry run).
type planJSON struct {
	DryRun        bool        `json:"dry_run"`
	Summary       []ops.Field `json:"summary"`
	Messages      []any       `json:"messages"`
	Fee           sdk.Coins   `json:"fee"`
	Gas           uint64      `json:"gas"`
	GasSimulated  uint64      `json:"gas_simulated,omitempty"`
	GasVerified   bool        `json:"gas_verified"`
	ChainID       string      `json:"chain_id"`
	AccountNumber uint64      `json:"account_number"`
	Sequence      uint64      `json:"sequence"`
	Checked       bool        `json:"checked"`
	Balance       *string     `json:"balance_spendable,omitempty"`
	After         *string     `json:"balance_after,omitempty"`
	Height        int64       `json:"height,omitempty"`
	Verified      bool        `json:"verified"`
	// Warnings: what the checks found worth knowing before signing.
	Warnings []string `json:"warnings,omitempty"`
	// CheckedState: the verified state the checks rest on, and its age.
	CheckedState *checkedStateJSON `json:"checked_state,omitempty"`
}

func toPlanJSON(s *wallet.Session, p *flow.Plan) planJSON {
	j := planJSON{DryRun: true, Summary: p.Summary, Fee: p.Fee, Gas: p.Gas, GasSimulated: p.GasSimulated,
		ChainID: s.Network().ChainID, AccountNumber: p.AccountNumber, Sequence: p.Sequence, Checked: p.Checked,
		Verified: p.Checked && p.AccountVerified, CheckedState: toCheckedState(p), Warnings: p.Warnings}
	for _, m := range p.Builder.GetTx().GetMsgs() {
		j.Messages = append(j.Messages, m)
	}
	if p.Balance != nil && p.After != nil {
		b, a := p.Balance.Spendable.String(), p.After.String()
		j.Balance, j.After, j.Height = &b, &a, p.Balance.Height
	}
	return j
}

// resultJSON is a broadcast's result: {"txhash","height","code","verified"}
// and more.
type resultJSON struct {
	*flow.Result
	// Status is "included" (code 0), "failed" (included with a failing
	// code) or "unknown" (sent, but not found included: see the error).
	Status string `json:"status"`
	Proof  string `json:"proof,omitempty"`
	// Note explains a block that lists the transaction more than once.
	Note    string       `json:"note,omitempty"`
	Timings *timingsJSON `json:"timings,omitempty"`
	// CheckedState: the verified state the checks before signing rested
	// on (a stale one is warned about here too).
	CheckedState *checkedStateJSON `json:"checked_state,omitempty"`
	// Warnings: what the checks before signing warned about.
	Warnings []string `json:"warnings,omitempty"`
}

type timingsJSON struct {
	BuildMS     int64 `json:"build_ms"`
	SignMS      int64 `json:"sign_ms"`
	BroadcastMS int64 `json:"broadcast_ms"`
	WaitMS      int64 `json:"wait_ms"`
	TotalMS     int64 `json:"total_ms"`
}

func toTimings(t *flow.Timings, start time.Time) *timingsJSON {
	if t == nil {
		return nil
	}
	return &timingsJSON{BuildMS: t.Build.Milliseconds(), SignMS: t.Sign.Milliseconds(), BroadcastMS: t.Broadcast.Milliseconds(),
		WaitMS: t.Wait.Milliseconds(), TotalMS: time.Since(start).Milliseconds()}
}

func printResult(app *App, res *flow.Result, start time.Time, checked *checkedStateJSON, warnings []string) error {
	j := resultJSON{Result: res, Timings: toTimings(res.Timings, start), Status: "included", CheckedState: checked, Warnings: warnings}
	res.Timings = nil
	switch {
	case res.Height == 0:
		j.Status = "unknown"
	case res.Code != 0:
		j.Status = "failed"
	}
	if res.Verified {
		j.Proof = fmt.Sprintf("inclusion proven against the DataHash of verified header %d; result code against the LastResultsHash of verified header %d; log is node-reported", res.Height, res.Height+1)
	}
	j.Note = res.DuplicateNote()
	return app.Printer.Result(j, func(w io.Writer) error {
		fmt.Fprintf(w, "txhash: %s\n", res.TxHash)
		if res.Height == 0 {
			fmt.Fprintln(w, "sent, but not (yet) found included: the outcome is unknown; look it up with `akw tx status "+res.TxHash+"`")
			return nil
		}
		if res.Verified {
			fmt.Fprintf(w, "included in block %d with code %d: verified (%s)\n", res.Height, res.Code, j.Proof)
		} else {
			fmt.Fprintf(w, "included in block %d with code %d: NOT verified\n", res.Height, res.Code)
		}
		fmt.Fprintf(w, "gas used %d of %d\n", res.GasUsed, res.GasWanted)
		if j.Note != "" {
			fmt.Fprintf(w, "note: %s\n", j.Note)
		}
		if t := j.Timings; t != nil {
			fmt.Fprintf(w, "time: build %dms, sign %dms, broadcast %dms, wait %dms, total %dms\n", t.BuildMS, t.SignMS, t.BroadcastMS, t.WaitMS, t.TotalMS)
		}
		return nil
	})
}

// writeTx writes a transaction JSON to --out or stdout.
func writeTx(app *App, o *txOptions, bz []byte) error {
	if o.Out != "" {
		if err := sign.WriteFile(o.Out, bz, o.Overwrite); err != nil {
			return txError(err)
		}
		app.Printer.Notice("transaction written to %s", o.Out)
		return nil
	}
	_, err := app.IO.Out.Write(bz)
	return err
}

func afterNote(p *flow.Plan) string {
	if p.Op.Spend().IsZero() {
		return " (after the fee)"
	}
	if ops.SpendsLocked(p.Op) && p.Balance.Total.GT(p.Balance.Spendable) {
		// Else a holder reads the spendable balance barely moving and
		// wonders where the amount came from.
		return " (after the amount and the fee; the amount takes the coins vesting locks first)"
	}
	return " (after the amount and the fee)"
}
