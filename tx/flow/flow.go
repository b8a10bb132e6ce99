// Package flow is the whole path of a transaction, shared by the command
// line and the TUI: prepare (checks against proven state, gas, fee,
// balance before and after), sign, broadcast and confirm, with the time
// each step took.
package flow

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	sdkmath "cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	signingtypes "github.com/cosmos/cosmos-sdk/types/tx/signing"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/tx"
	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/amount"
	"github.com/akash-wallet/akw/tx/broadcast"
	"github.com/akash-wallet/akw/tx/encoding"
	"github.com/akash-wallet/akw/tx/fee"
	"github.com/akash-wallet/akw/tx/ops"
	"github.com/akash-wallet/akw/tx/sign"
)

// Env is the network and the sources a transaction is built against.
// The chain-facing fields are nil when akw runs offline.
type Env struct {
	Enc           *encoding.Config
	Denoms        amount.Denoms
	Prefixes      address.Prefixes
	ChainID       string
	GasPrice      sdk.DecCoin       // the network's default price
	GasAdjustment sdkmath.LegacyDec // the network's default adjustment

	Keyring   keyring.Keyring      // nil when no key is needed
	Ledger    sign.LedgerSigner    // signs with Ledger keys (keys.SignLedgerAminoJSON)
	Accounts  tx.AccountSource     // verified account number and sequence
	State     tx.StateSource       // proven state for the checks
	Simulator fee.Simulator        // node-reported gas
	Confirmer *broadcast.Confirmer // broadcast and proven inclusion

	// Now is the clock for unordered timeouts (default time.Now).
	Now func() time.Time
	// Notice receives remarks for the user (what was not checked, what
	// is node-reported).
	Notice func(msg string)
}

func (e *Env) now() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

func (e *Env) notice(format string, args ...any) {
	if e.Notice != nil {
		e.Notice(fmt.Sprintf(format, args...))
	}
}

// Online reports whether the env can reach the chain.
func (e *Env) Online() bool { return e.Accounts != nil }

// Options are the user's choices common to every transaction.
type Options struct {
	Fees          sdk.Coins    // --fees; nil when not given
	GasPrice      *sdk.DecCoin // --gas-prices; nil for the network default
	Gas           fee.Gas      // --gas
	GasAdjustment *sdkmath.LegacyDec
	Memo          string

	Unordered       bool
	TimeoutDuration time.Duration // for --unordered

	AccountNumber *uint64 // --account-number
	Sequence      *uint64 // --sequence

	AllowInactive   bool
	ConfirmInactive func(question string) error

	// Unsigned is set for --generate-only and --dry-run: nothing will be
	// signed, so offline the account number and sequence are not needed.
	Unsigned bool

	// FeeGranter (--fee-granter) pays the fee through the fee allowance
	// it gave the fee payer; checked against the proven allowance.
	FeeGranter sdk.AccAddress
	// FeePayer (--fee-payer) is charged the fee instead of the signer,
	// and must sign too (see feeparty.go).
	FeePayer sdk.AccAddress
}

// Key is who signs: a keyring record, or only an address when the
// transaction is generated for signing elsewhere.
type Key struct {
	Name    string          // empty for an address-only signer
	Record  *keyring.Record // nil for an address-only signer
	Address sdk.AccAddress
}

// PubKey returns the key's public key, if known.
func (k Key) PubKey() cryptotypes.PubKey {
	if k.Record == nil {
		return nil
	}
	pk, err := k.Record.GetPubKey()
	if err != nil {
		return nil
	}
	return pk
}

// Timings are how long each step took.
type Timings struct {
	Build     time.Duration `json:"build"` // checks, account, simulation, fee
	Sign      time.Duration `json:"sign"`
	Broadcast time.Duration `json:"broadcast"`
	Wait      time.Duration `json:"wait"` // until inclusion was proven
}

// Gas sources, for saying where a limit came from.
const (
	GasSimulated = "simulated by the node (node-reported) × adjustment"
	GasGiven     = "given"
	GasDefault   = "default"
)

// Plan is a prepared transaction: everything the confirmation shows and
// the unsigned transaction itself.
type Plan struct {
	Op      ops.Op
	Summary []ops.Field
	Key     Key
	Mode    signingtypes.SignMode

	AccountNumber uint64
	Sequence      uint64 // 0 for unordered
	// AccountVerified says the account number and sequence were read from
	// proven state (false: given on the command line).
	AccountVerified bool
	AccountHeight   int64
	// Fresh is how old the verified state the checks rest on is (zero
	// offline). Stale state is signed on after a warning, not refused:
	// see Prepare.
	Fresh tx.Freshness

	Gas          uint64
	GasSimulated uint64 // the node's figure before adjustment; 0 if not simulated
	GasSource    string
	Fee          sdk.Coins
	// FeeGranter and FeePayer are the options' (nil: the signer pays).
	FeeGranter, FeePayer sdk.AccAddress

	// Checked says the operation was checked against proven state.
	Checked bool
	// Warnings are what the operation's checks found worth knowing before
	// signing (a fee above the rewards claimed, a delegation to an
	// inactive validator allowed, a send to oneself): every face shows
	// them in its review.
	Warnings []string
	// Balance is the verified balance before (Spendable: what the review
	// shows); After is what remains spendable after the spend and the fee
	// (a delegation takes locked coins first: checkBalance). Nil offline.
	Balance *tx.Balance
	After   *sdkmath.Int

	Builder client.TxBuilder
	Timings Timings
}

// Refresher is implemented by sources that pin one verified height and
// can move to the newest (tx/proven.Source).
type Refresher interface{ Refresh() }

// Prepare checks the operation against proven state and builds the
// unsigned transaction with its gas and fee. Nothing is signed.
//
// Proven state at height H needs the verified header H+1, so right after
// a block that holds a transaction of this account, the newest provable
// state can still show the old sequence; the node's simulation then
// reports a sequence mismatch. Prepare then waits (a few blocks at most)
// until verified state shows the sequence the node expects, and starts
// over. The node's figure is only a reason to wait: the sequence signed
// with always comes from verified state.
func Prepare(ctx context.Context, env *Env, op ops.Op, key Key, opts Options) (*Plan, error) {
	start := time.Now()
	p, err := prepare(ctx, env, op, key, opts)
	want, stale := staleSequence(err)
	r, refreshable := env.Accounts.(Refresher)
	if !stale || !refreshable || opts.Sequence != nil || opts.Unordered {
		return p, err
	}
	for i := 0; i < 20; i++ {
		select {
		case <-ctx.Done():
			return p, err
		case <-time.After(500 * time.Millisecond):
		}
		r.Refresh()
		if sr, ok := env.State.(Refresher); ok {
			sr.Refresh()
		}
		a, aerr := env.Accounts.Account(ctx, key.Address)
		if aerr != nil {
			return nil, aerr
		}
		if a.Sequence >= want {
			env.notice("the newest verified state was a block behind this account's last transaction; waited for it (sequence %d)", a.Sequence)
			p, err = prepare(ctx, env, op, key, opts)
			if err == nil {
				p.Timings.Build = time.Since(start)
			}
			return p, err
		}
	}
	return p, err
}

// staleSequence recognises the node's "account sequence mismatch,
// expected N, got M" with N > M: our verified state is behind.
func staleSequence(err error) (uint64, bool) {
	var re *tx.RejectedError
	if !errors.As(err, &re) || re.Stage != tx.StageSimulate {
		return 0, false
	}
	i := strings.Index(re.Log, "account sequence mismatch, expected ")
	if i < 0 {
		return 0, false
	}
	var want, got uint64
	if _, serr := fmt.Sscanf(re.Log[i:], "account sequence mismatch, expected %d, got %d", &want, &got); serr != nil || want <= got {
		return 0, false
	}
	return want, true
}

func prepare(ctx context.Context, env *Env, op ops.Op, key Key, opts Options) (*Plan, error) {
	start := time.Now()
	p := &Plan{Op: op, Key: key, Mode: signingtypes.SignMode_SIGN_MODE_DIRECT, FeeGranter: opts.FeeGranter, FeePayer: opts.FeePayer}
	if err := checkOptions(env, opts); err != nil {
		return nil, err
	}
	if err := checkFeeParties(env, key, opts); err != nil {
		return nil, err
	}
	if !op.Signer().Equals(key.Address) {
		return nil, tx.Inputf("", "the operation's signer %s is not the key's address %s", address.Bech32(env.Prefixes.Account, op.Signer()), address.Bech32(env.Prefixes.Account, key.Address))
	}
	switch {
	case key.Record != nil && key.Record.GetType() == keyring.TypeMulti:
		// Its members sign, one by one (sign.SignPart, sign.Combine).
		if !opts.Unsigned {
			return nil, tx.Inputf("generate the transaction unsigned, have the members sign it apart, then combine their signatures",
				"%s is a multisig key: its members sign, not akw with it", key.Name)
		}
		p.Mode = sign.MultisigMode
	case key.Record != nil:
		m, err := sign.ModeFor(key.Record)
		if err != nil {
			return nil, err
		}
		p.Mode = m
	}

	// Account number and sequence: verified state, unless given.
	var acct *tx.Account
	if env.Online() {
		a, err := env.Accounts.Account(ctx, key.Address)
		if errors.Is(err, tx.ErrNotFound) {
			return nil, &tx.CheckError{Check: "account", Reason: fmt.Sprintf("account %s does not exist on chain yet (it has never received funds)", address.Bech32(env.Prefixes.Account, key.Address)),
				Fix: "send some AKT to this address first"}
		}
		if err != nil {
			return nil, err
		}
		acct = a
		p.AccountNumber, p.Sequence, p.AccountVerified, p.AccountHeight = a.Number, a.Sequence, a.Verified, a.Height
		p.Fresh = a.Fresh
		if a.Fresh.Stale {
			// Warn, do not refuse: the proven state was true at its
			// header, and the chain checks the sequence and balance again
			// when it executes the transaction, so old state can make it
			// fail (a rejected sequence costs nothing, a failed spend its
			// fee) but never spend what the user did not ask to. If the
			// chain halted, nothing is included until it resumes; if the
			// nodes withhold blocks, they may withhold the transaction
			// too. The user decides, seeing this first.
			env.notice("%s; the checks before signing rest on the state at height %d", a.Fresh.Note, a.Height)
		}
	}
	if opts.AccountNumber != nil {
		if acct != nil && *opts.AccountNumber != acct.Number {
			return nil, tx.Inputf("drop --account-number to use the verified one", "--account-number %d differs from the verified account number %d", *opts.AccountNumber, acct.Number)
		}
		p.AccountNumber = *opts.AccountNumber
	}
	if opts.Sequence != nil {
		if acct != nil && *opts.Sequence != acct.Sequence {
			env.notice("signing with --sequence %d; the verified sequence is %d, so this transaction is valid only after %d more", *opts.Sequence, acct.Sequence, int64(*opts.Sequence)-int64(acct.Sequence))
			p.AccountVerified = false
		}
		p.Sequence = *opts.Sequence
	}
	if opts.Unordered {
		p.Sequence = 0
	}

	// Checks against proven state.
	var c *ops.Checker
	if env.State != nil {
		c = &ops.Checker{State: env.State, Denoms: env.Denoms, Prefixes: env.Prefixes,
			AllowInactive: opts.AllowInactive, ConfirmInactive: opts.ConfirmInactive,
			Warn: func(m string) { p.Warnings = append(p.Warnings, m) }}
		if err := op.Check(ctx, c); err != nil {
			return nil, err
		}
		// The amount alone first, so that an impossible spend is named
		// as such rather than as a failed simulation.
		if spend := op.Spend(); !spend.IsZero() {
			p.Fee = nil
			if err := checkBalance(ctx, env, p); err != nil {
				return nil, err
			}
		}
		p.Checked = true
	} else {
		env.notice("offline: the %s was not checked against chain state (balance, validators, proposals)", op.Name())
	}
	msgs, err := op.Msgs(env.Prefixes)
	if err != nil {
		return nil, err
	}
	if err := checkFeeGrantTerms(ctx, c, p, msgs); err != nil {
		return nil, err
	}

	body := sign.Body{Memo: opts.Memo, Unordered: opts.Unordered}
	if opts.Unordered {
		body.TimeoutTimestamp = env.now().Add(opts.TimeoutDuration)
	}
	b, err := sign.Unsigned(env.Enc, msgs, body)
	if err != nil {
		return nil, err
	}
	if err := sign.SetFeeParties(env.Enc, b, opts.FeeGranter, opts.FeePayer); err != nil {
		return nil, err
	}

	// Gas.
	switch {
	case opts.Gas.Auto && env.Simulator != nil:
		pub := key.PubKey()
		if pub == nil && acct != nil {
			pub = acct.PubKey
		}
		// Simulate with a fee: a zero fee skips the fee transfer's store
		// writes, and the estimate would come out ~10k gas short.
		simFee := opts.Fees
		if simFee.IsZero() {
			simFee = sdk.NewCoins(sdk.NewInt64Coin(env.Denoms.Base, 1))
		}
		b.SetFeeAmount(simFee)
		extra, err := simulationExtra(ctx, env, key, opts)
		if err != nil {
			return nil, err
		}
		bz, err := sign.SimulationBytes(env.Enc, b, pub, p.Mode, p.Sequence, extra...)
		if err != nil {
			return nil, err
		}
		used, err := env.Simulator.Simulate(ctx, bz)
		if err != nil {
			return nil, err
		}
		adj := env.GasAdjustment
		if opts.GasAdjustment != nil {
			adj = *opts.GasAdjustment
		}
		p.GasSimulated, p.Gas, p.GasSource = used, fee.Adjust(used, adj), GasSimulated
		if opts.Unordered {
			// Simulation skips the unordered-nonce store write that
			// delivery performs (x/auth ante verifyUnorderedNonce).
			p.Gas += fee.UnorderedNonceGas
		}
	case opts.Gas.Auto:
		p.Gas, p.GasSource = fee.DefaultGas, GasDefault
		env.notice("offline: gas cannot be simulated; using %d (pass --gas N to choose)", fee.DefaultGas)
	default:
		p.Gas, p.GasSource = opts.Gas.Limit, GasGiven
	}

	// Fee.
	if opts.Fees != nil {
		p.Fee = opts.Fees
	} else {
		price := env.GasPrice
		if opts.GasPrice != nil {
			price = *opts.GasPrice
		}
		p.Fee = sdk.NewCoins(fee.FeeFor(p.Gas, price))
	}
	b.SetGasLimit(p.Gas)
	b.SetFeeAmount(p.Fee)
	p.Builder = b

	// Balance: spend plus fee within the verified balance (the spendable
	// balance, or for a delegation the whole balance with the fee still
	// spendable: balance.go); a fee paid by someone else within what they
	// can pay; the checks that weigh the operation against its fee.
	if c != nil {
		if err := checkBalance(ctx, env, p); err != nil {
			return nil, err
		}
		if err := checkFeeSource(ctx, env, c, p, msgs); err != nil {
			return nil, err
		}
		if fc, ok := op.(ops.FeeChecker); ok {
			if err := fc.CheckFee(ctx, c, p.Fee); err != nil {
				return nil, err
			}
		}
	} else if p.FeeGranter != nil {
		env.notice("offline: the fee allowance from %s was not checked", address.Bech32(env.Prefixes.Account, p.FeeGranter))
	}
	p.Summary = append(op.Summary(env.Denoms, env.Prefixes), p.feeFields(env)...)
	p.Timings.Build = time.Since(start)
	return p, nil
}

func checkOptions(env *Env, opts Options) error {
	if opts.Fees != nil && opts.GasPrice != nil {
		return tx.Inputf("give one of them", "--fees and --gas-prices both given")
	}
	if opts.Unordered {
		if opts.TimeoutDuration <= 0 {
			return tx.Inputf("pass --timeout-duration, e.g. 5m", "--unordered needs --timeout-duration")
		}
		if opts.TimeoutDuration > sign.MaxTimeout {
			return tx.Inputf(fmt.Sprintf("give at most %s", sign.MaxTimeout), "--timeout-duration %s is longer than the chain allows for unordered transactions", opts.TimeoutDuration)
		}
		if opts.Sequence != nil && *opts.Sequence != 0 {
			return tx.Inputf("drop --sequence", "an unordered transaction carries no sequence")
		}
	} else if opts.TimeoutDuration > 0 {
		return tx.Inputf("add --unordered, or drop --timeout-duration", "--timeout-duration applies to --unordered transactions")
	}
	if opts.Unsigned {
		return nil
	}
	if !env.Online() && !opts.Unordered && (opts.AccountNumber == nil || opts.Sequence == nil) {
		return tx.Inputf("pass --account-number N --sequence N (from `akw query account` on a connected machine)", "signing offline needs the account number and sequence")
	}
	if !env.Online() && opts.Unordered && opts.AccountNumber == nil {
		return tx.Inputf("pass --account-number N (from `akw query account` on a connected machine)", "signing offline needs the account number")
	}
	return nil
}

// SignBytes are the bytes the plan's key will sign, as the key will sign
// them: for a Ledger key the amino-JSON document the device shows and
// checks (keys.LedgerReview computes its pages from them). The plan's
// transaction is left unsigned.
func (p *Plan) SignBytes(ctx context.Context, env *Env) ([]byte, error) {
	pub := p.Key.PubKey()
	if pub == nil {
		return nil, tx.NewKeyError(p.Key.Name, errors.New("no public key"), "give a key name, not an address, to sign")
	}
	defer func() { _ = p.Builder.SetSignatures() }()
	return sign.SignBytes(ctx, env.Enc, p.Builder, p.Mode, pub, sign.SignerData{ChainID: env.ChainID, AccountNumber: p.AccountNumber, Sequence: p.Sequence})
}

// Sign signs the plan's transaction with its key and returns the bytes to
// broadcast.
func Sign(ctx context.Context, env *Env, p *Plan) ([]byte, error) {
	start := time.Now()
	if p.Key.Record == nil || env.Keyring == nil {
		return nil, tx.NewKeyError("", errors.New("no signing key"), "give a key name, not an address, to sign")
	}
	mode, err := sign.Sign(ctx, env.Enc, env.Keyring, env.Ledger, p.Key.Name, p.Builder, sign.SignerData{ChainID: env.ChainID, AccountNumber: p.AccountNumber, Sequence: p.Sequence})
	if err != nil {
		return nil, err
	}
	p.Mode = mode
	bz, err := sign.Encode(env.Enc, p.Builder)
	p.Timings.Sign = time.Since(start)
	return bz, err
}

// Result is a broadcast's outcome.
type Result struct {
	TxHash    string    `json:"txhash"`
	Height    int64     `json:"height"`
	Code      uint32    `json:"code"`
	Codespace string    `json:"codespace,omitempty"`
	Verified  bool      `json:"verified"`
	GasWanted int64     `json:"gas_wanted"`
	GasUsed   int64     `json:"gas_used"`
	Fee       sdk.Coins `json:"fee,omitempty"`
	Log       string    `json:"log,omitempty"` // node-reported
	// Index is the transaction's position in block Height: the copy that
	// counts when the block lists it more than once (Duplicates).
	Index      uint32    `json:"index"`
	Duplicates []tx.Copy `json:"duplicates,omitempty"`
	Timings    *Timings  `json:"timings,omitempty"`
	Known      bool      `json:"already_in_mempool,omitempty"`
	At         time.Time `json:"-"`
}

// Include sets what inc proved: where the transaction landed and its
// result.
func (r *Result) Include(inc *tx.Inclusion) {
	r.Height, r.Code, r.Codespace, r.Verified = inc.Height, inc.Code, inc.Codespace, inc.Verified
	r.GasWanted, r.GasUsed, r.Log = inc.GasWanted, inc.GasUsed, inc.Log
	r.Index, r.Duplicates = inc.Index, inc.Duplicates
}

// DuplicateNote explains, for people, a block that lists the transaction
// more than once; "" when it is listed once.
func (r *Result) DuplicateNote() string {
	inc := tx.Inclusion{Height: r.Height, Code: r.Code, Index: r.Index, Duplicates: r.Duplicates}
	return inc.DuplicateNote()
}

// Broadcast sends signed bytes and waits for proven inclusion. A failing
// result code comes back as *tx.RejectedError along with the Result.
// sent, when given, hears the transaction's hash as soon as the node has
// taken it: if the wait is interrupted, the hash is how the user finds
// the transaction (akw tx status).
func Broadcast(ctx context.Context, env *Env, txBytes []byte, t *Timings, sent func(hash string)) (*Result, error) {
	if env.Confirmer == nil {
		return nil, tx.InputThen(errkind.Remedy{Do: errkind.BroadcastOnline}, "", "cannot broadcast offline")
	}
	start := time.Now()
	s, err := env.Confirmer.Broadcast(ctx, txBytes)
	if t != nil {
		t.Broadcast = time.Since(start)
	}
	if err != nil {
		return nil, err
	}
	res := &Result{TxHash: broadcast.HashString(s.Hash), Known: s.AlreadyKnown, Timings: t}
	if sent != nil {
		sent(res.TxHash)
	}
	start = time.Now()
	inc, err := env.Confirmer.Follow(ctx, s)
	if t != nil {
		t.Wait = time.Since(start)
	}
	if inc != nil {
		res.Include(inc)
		if err == nil && inc.Code != 0 {
			err = &tx.RejectedError{Stage: tx.StageDeliver, Hash: res.TxHash, Height: inc.Height, Code: inc.Code, Codespace: inc.Codespace, Log: inc.Log, Verified: inc.Verified}
		}
	}
	return res, err
}
