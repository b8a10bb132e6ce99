// Package tui is akw's terminal UI: a Bubble Tea program with a root model,
// one model per screen, and shared styles and key bindings.
//
// The TUI is a face, not a wallet: every number it shows and every
// transaction it sends goes through a Backend, which the command line
// implements over the same library calls its own commands use (lightclient,
// keys, tx). The TUI itself holds no chain logic: it never parses an
// amount, builds a message or decides what is verified. It only decides
// what to draw, and it never draws a value that the Backend did not hand
// over as verified.
//
// Structure (after soft-serve and gh-dash): Model is the root — a stack of
// screens over the dashboard, a header with the path and the chosen key, a
// footer with the screen's keys, and the light client's status bar. Each
// screen is one type (dashboard, flow + form, picker, confirm, progress,
// proposals, grants, history, keys, light, task) sharing a *common
// (Backend, styles, size, keys, the latest LightStatus, the context every
// operation derives from).
// All I/O runs in tea.Cmds with a context per operation; leaving a screen
// cancels its work, quitting cancels everything. Navigation is queued on
// common and carried out by the root before the next message, so keys
// typed right after one that opens a screen reach that screen.
//
// The real Backend is tui/backend; tests drive the screens with an
// in-memory fake (test files only), teatest golden files at 80×24 and
// 120×40, and the real Backend against a devnet.
package tui

import (
	"context"
	"slices"
	"time"

	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-wallet/akw/tx/amount"
)

// Backend is everything the screens need. Every method may block on the
// network or a device; the TUI only ever calls them from a tea.Cmd, with a
// context that is cancelled when the user leaves the screen or quits.
//
// Errors should carry the library's typed errors (lightclient.Categorized,
// keys sentinels, ...): the TUI uses them to tell a verification failure
// (alarm, values cleared) from a network failure or a bad input.
type Backend interface {
	// Chain describes the network: chain-id, denominations, prefix.
	Chain() ChainInfo

	// Keys lists the keys in the keyring.
	Keys(ctx context.Context) ([]Key, error)

	// Status brings the light client up to the newest header and reports
	// it: verified height, header time, witnesses. A failed verification
	// is returned as an error, never as a status.
	Status(ctx context.Context) (LightStatus, error)

	// Portfolio returns the proven state of one account: balances,
	// delegations with pending rewards, unbonding entries and the
	// proposals in voting period with the account's vote.
	Portfolio(ctx context.Context, address string) (*Portfolio, error)

	// Validators returns the proven bonded validator set, with the given
	// delegator's current delegation to each (delegator may be empty).
	Validators(ctx context.Context, delegator string) (*ValidatorSet, error)

	// Proposals returns the proven proposals in voting period with the
	// voter's vote on each (voter may be empty).
	Proposals(ctx context.Context, voter string) ([]Proposal, error)

	// DepositProposals returns the proven proposals in their deposit
	// period, with what has been deposited and what the chain requires.
	DepositProposals(ctx context.Context) ([]Proposal, error)

	// Grants returns the authz grants the address gave and received,
	// each list proven complete, with each authorization in words.
	Grants(ctx context.Context, address string) (*GrantSet, error)

	// History returns one page of the address's transactions, newest
	// first: the list node-reported, each row proven or refused. cursor
	// is "" for the newest page, else a page's Next.
	History(ctx context.Context, address, cursor string) (*HistoryPage, error)

	// Contacts lists the address book. It reads a local file only.
	Contacts(ctx context.Context) ([]Contact, error)

	// CheckField runs the command line's own check of one form field as
	// the user types: amount syntax and denom, address prefix and
	// checksum, vote options, memo length. It must not block on I/O.
	CheckField(field Field, value string) error

	// Plan builds the transaction for req, checks it against the proven
	// state (balance, delegation, proposal status), estimates gas and fee,
	// and returns what the confirmation screen shows. Nothing is signed.
	Plan(ctx context.Context, req TxRequest) (*TxPlan, error)

	// Execute signs, broadcasts and waits until the transaction's
	// inclusion and result are proven, sending each stage to events as it
	// happens (the TUI shows them; "awaiting device" shows the Ledger
	// prompt). Execute must not close events. Cancelling ctx abandons the
	// wait; a transaction already broadcast is reported with its hash so
	// that the user can look it up.
	Execute(ctx context.Context, plan *TxPlan, events chan<- TxEvent) (*TxResult, error)

	// CreateKey makes a new key and returns its mnemonic, shown once.
	CreateKey(ctx context.Context, name string) (Key, string, error)
	// RecoverKey stores a key from its mnemonic.
	RecoverKey(ctx context.Context, name, mnemonic string) (Key, error)
	// AddLedgerKey stores a reference to a Ledger key (account, index of
	// the HD path); the device shows the address to confirm.
	AddLedgerKey(ctx context.Context, name string, account, index uint32) (Key, error)
	// ShowOnDevice asks the Ledger to display the key's address and waits
	// until the user confirms or rejects it there.
	ShowOnDevice(ctx context.Context, name string) error
}

// Field names a form field the Backend can check.
type Field int

const (
	FieldAddress    Field = iota // recipient account address
	FieldValidator               // validator operator address
	FieldAmount                  // amount with denom: 1.5akt, 1500000uakt
	FieldMemo                    // transaction memo
	FieldVote                    // yes|no|abstain|no_with_veto or weighted yes=0.6,no=0.4
	FieldKeyName                 // name of a new key
	FieldMnemonic                // BIP-39 mnemonic to recover
	FieldHDIndex                 // Ledger account or address index
	FieldExpiration              // a grant's end: 1y, 30d, 2027-01-31
)

// ChainInfo describes the network the Backend talks to.
type ChainInfo struct {
	Network      string // akashnet-2, devnet, ...
	ChainID      string
	Denom        string // base denom, uakt
	DisplayDenom string // akt
	Exponent     int    // 6
	Bech32Prefix string // akash
	Primary      string // RPC URL of the primary node
	Demo         bool   // a throwaway devnet (akw demo)
	// StaleAfter: state whose verified header is older than this is
	// labelled stale (the chain may have halted, or the nodes withhold
	// new blocks); 0 never.
	StaleAfter time.Duration
	// Tokens are the other denoms whose display unit the chain's proven
	// metadata states (ACT as act), as the portfolios loaded so far
	// showed them; any other denom is shown as it is.
	Tokens []amount.Denoms
}

// Denoms is the chain's token as tx/amount formats and parses it, with
// the tokens whose units the chain's proven metadata states, for
// showing amounts.
func (c ChainInfo) Denoms() amount.Denoms {
	return amount.Denoms{Base: c.Denom, Display: c.DisplayDenom, Exponent: c.Exponent, Tokens: c.Tokens}
}

// addTokens adds ts to the tokens c knows, a later token of a base
// replacing an earlier one: the metadata is the chain's, whichever
// account's portfolio brought it.
func (c *ChainInfo) addTokens(ts []amount.Denoms) {
	for _, t := range ts {
		i := slices.IndexFunc(c.Tokens, func(x amount.Denoms) bool { return x.Base == t.Base })
		if i < 0 {
			c.Tokens = append(c.Tokens, t)
		} else {
			c.Tokens[i] = t
		}
	}
}

// Key is one keyring entry.
type Key struct {
	Name    string
	Address string
	// Type is "local", "ledger", "offline" or "multi".
	Type string
	// Path is the HD path for Ledger keys (m/44'/118'/0'/0/0).
	Path string
}

// Ledger reports whether signing with this key needs the device.
func (k Key) Ledger() bool { return k.Type == "ledger" }

// WitnessStatus is one witness node and whether it agreed with the primary.
type WitnessStatus struct {
	URL    string
	Agrees bool
	Reason string // why not, when it does not
}

// LightStatus is the light client's view of the chain.
type LightStatus struct {
	ChainID    string
	Height     int64     // newest verified height
	HeaderTime time.Time // its block time
	Primary    string
	Witnesses  []WitnessStatus
	// Notices are things the user should know that are not failures, e.g.
	// the primary was replaced by a witness.
	Notices []string
}

// Agreeing counts the witnesses that agreed with the primary.
func (s LightStatus) Agreeing() int {
	n := 0
	for _, w := range s.Witnesses {
		if w.Agrees {
			n++
		}
	}
	return n
}

// Portfolio is an account's proven state at one verified height.
type Portfolio struct {
	Address string
	Height  int64 // the verified height every value below is proven at
	// HeaderTime is the block time of the verified header at Height+1,
	// for the age of what is shown.
	HeaderTime time.Time
	Balances   sdk.Coins
	// Tokens are the display units of the held denoms other than the
	// chain's token, from their proven metadata at Height (none for a
	// denom without metadata: it is shown as it is).
	Tokens      []amount.Denoms
	Delegations []Delegation
	Unbonding   []Unbonding
	// Rewards is the total pending reward over all delegations.
	Rewards   sdk.DecCoins
	Proposals []Proposal // in voting period, with the account's vote
}

// Delegation is one delegation with its pending reward.
type Delegation struct {
	Validator string // operator address
	Moniker   string
	Amount    sdk.Coin
	Rewards   sdk.DecCoins
	Jailed    bool
	Status    string // bonded, unbonding, unbonded
}

// Unbonding is one unbonding entry.
type Unbonding struct {
	Validator      string
	Moniker        string
	Amount         sdk.Coin
	CompletionTime time.Time
}

// Validator is one validator of the proven set.
type Validator struct {
	Operator    string
	Moniker     string
	Commission  sdkmath.LegacyDec // rate, 0.05 = 5%
	Tokens      sdkmath.Int       // bonded tokens (voting power in base denom)
	PowerShare  float64           // share of the bonded set's power, 0..1
	Status      string            // bonded, unbonding, unbonded
	Jailed      bool
	Delegation  sdk.Coin // the user's current delegation; zero if none
	Description string
}

// ValidatorSet is the proven validator set at one height.
type ValidatorSet struct {
	Height          int64
	Validators      []Validator
	UnbondingPeriod time.Duration
}

// VoteOption is one (weighted) vote option.
type VoteOption struct {
	Option string // yes, no, abstain, no_with_veto
	Weight sdkmath.LegacyDec
}

// Proposal is a governance proposal.
type Proposal struct {
	ID        uint64
	Title     string
	Summary   string
	Status    string
	VotingEnd time.Time
	// Vote is the voter's vote, nil when the voter has not voted.
	Vote []VoteOption
	// Height is the verified height the proposal (and vote) is proven at.
	Height int64
	// For a proposal in its deposit period: when it ends, what has been
	// deposited, and the minimum deposit that starts the vote.
	DepositEnd   time.Time
	TotalDeposit sdk.Coins
	MinDeposit   sdk.Coins
}

// TxKind is what a flow does.
type TxKind int

const (
	TxSend TxKind = iota
	TxDelegate
	TxRedelegate
	TxUndelegate
	TxClaim
	TxVote
	TxRevoke       // revoke an authz grant the key gave
	TxAutoCompound // the REStake preset: a bot may delegate to one validator and claim
	TxDeposit      // a deposit on a proposal in its deposit period
)

func (k TxKind) String() string {
	switch k {
	case TxSend:
		return "Send"
	case TxDelegate:
		return "Delegate"
	case TxRedelegate:
		return "Redelegate"
	case TxUndelegate:
		return "Undelegate"
	case TxClaim:
		return "Claim rewards"
	case TxVote:
		return "Vote"
	case TxRevoke:
		return "Revoke grant"
	case TxAutoCompound:
		return "Auto-compound"
	case TxDeposit:
		return "Deposit"
	}
	return "?"
}

// TxRequest is what the user asked for, as typed: the Backend parses it
// with the command line's own parsers.
type TxRequest struct {
	Kind TxKind
	From Key
	// To is the recipient (send), the validator (delegate, undelegate) or
	// the destination validator (redelegate).
	To string
	// Src is the source validator of a redelegation.
	Src string
	// Amount as typed: 1.5akt or 1500000uakt.
	Amount string
	Memo   string
	// ProposalID and Option for a vote; Option as typed (yes, or
	// yes=0.6,no=0.4).
	ProposalID uint64
	Option     string
	// ToName and SrcName are the validators' monikers as the picker showed
	// them (or the contact's "@name" a send goes to), for the summary only:
	// the addresses are what is signed.
	ToName, SrcName string
	// Grantee of a revoke (with MsgType, the grant's message type URL) or
	// the bot of an auto-compound grant (with Expiration as typed; To is
	// its validator). A deposit uses ProposalID and Amount.
	Grantee    string
	MsgType    string
	Expiration string
}

// PlanLine is one labelled line of a confirmation screen.
type PlanLine struct {
	Label string
	Value string
}

// TxPlan is a built, checked, unsigned transaction and what to show about
// it before the user says yes.
type TxPlan struct {
	Request TxRequest
	// Summary says what the transaction does, in one sentence.
	Summary string
	// Lines are the details: to whom, amount, validator, proposal.
	Lines []PlanLine
	// Fee is what the chain charges; Gas the limit. GasEstimated is true
	// when the limit comes from a node's simulation (node-reported).
	Fee          sdk.Coins
	Gas          uint64
	GasEstimated bool
	// BalanceBefore and BalanceAfter are the spendable balance of the fee
	// denom, proven at Height, and what remains after amount and fee.
	BalanceBefore sdk.Coin
	BalanceAfter  sdk.Coin
	Height        int64
	// Warnings the user should read before confirming (e.g. the unbonding
	// period, a jailed validator).
	Warnings []string
	// DeviceShows is what a Ledger will display for review, screen by
	// screen, when From is a Ledger key.
	DeviceShows []PlanLine
	// Opaque is the Backend's own state (the unsigned tx); the TUI never
	// looks inside.
	Opaque any
}

// TxStage is a step of Execute.
type TxStage int

const (
	StageSigning TxStage = iota
	StageAwaitingDevice
	StageBroadcasting
	StageBroadcast // accepted by the node's mempool; TxHash is known
	StageIncluded  // found in a block (node-reported)
	StageVerified  // inclusion and result proven against a verified header
)

func (s TxStage) String() string {
	switch s {
	case StageSigning:
		return "sign"
	case StageAwaitingDevice:
		return "confirm on Ledger"
	case StageBroadcasting:
		return "broadcast"
	case StageBroadcast:
		return "in mempool"
	case StageIncluded:
		return "included"
	case StageVerified:
		return "verified"
	}
	return "?"
}

// TxEvent reports progress of Execute.
type TxEvent struct {
	Stage  TxStage
	TxHash string
	Height int64
	Detail string
}

// TxResult is the proven outcome of a transaction.
type TxResult struct {
	TxHash   string
	Height   int64
	Code     uint32
	Log      string // the chain's message when Code != 0
	Verified bool
	// Note explains a block that lists the transaction more than once
	// (tx.Inclusion.DuplicateNote); "" otherwise.
	Note string
}
