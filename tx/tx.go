// Package tx builds, checks, signs, broadcasts and confirms akw's
// transactions: send, delegate, redelegate, undelegate, withdraw rewards and
// vote.
//
// The package root holds the interfaces the transaction code needs from
// the rest of akw and the typed errors it returns; the work is done in
// subpackages:
//
//	tx/amount     amounts as people write them ("1.5akt", "1500000uakt")
//	tx/address    bech32 checks: checksum, chain, account vs validator
//	tx/vote       vote options, weighted votes
//	tx/encoding   the SDK tx config (direct and amino JSON sign modes)
//	tx/ops        the operations, their messages and their pre-sign checks
//	tx/fee        fees, gas prices and gas simulation
//	tx/sign       unsigned txs, signing through the keyring, tx files
//	tx/broadcast  sync broadcast, wait for inclusion, proof of inclusion
//	tx/flow       the whole path from an operation to a verified result
//
// Everything this package reads from the chain before signing (account
// number and sequence, balances, validators, proposals) comes through the
// interfaces below, which akw implements with proven state from the light
// client. Gas simulation and broadcast results are node-reported and are
// labelled so; inclusion is reported as verified only when proven.
package tx

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	sdkmath "cosmossdk.io/math"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
)

// ErrNotFound is returned (wrapped) by a source when the thing asked for
// provably does not exist: no account, no validator, no proposal.
var ErrNotFound = errors.New("not found")

// ErrNotIncluded is returned (wrapped) by an InclusionProver when no
// block holds the transaction (yet).
var ErrNotIncluded = errors.New("transaction not included")

// Account is what signing needs from the chain.
type Account struct {
	Address  sdk.AccAddress
	Number   uint64
	Sequence uint64
	PubKey   cryptotypes.PubKey // nil until the account's first transaction
	Height   int64              // the verified height it was read at
	Verified bool
	// Fresh says how old the verified state the account was read from
	// is; the other checks of one transaction rest on the same state.
	Fresh Freshness
}

// Freshness is the age of the verified state the checks rest on: the
// verified header's time against the local clock. Stale state is still
// proven; it is shown with Note, in words, before anything is signed.
type Freshness struct {
	HeaderTime time.Time
	Age        time.Duration
	Stale      bool
	Note       string // what to tell the user when Stale
}

// AccountSource gives the verified account number and sequence.
type AccountSource interface {
	// Account returns ErrNotFound (wrapped) when the address has no
	// account on chain (it never received funds).
	Account(ctx context.Context, addr sdk.AccAddress) (*Account, error)
}

// Balance is an address's holding of one denom.
type Balance struct {
	Denom     string
	Total     sdkmath.Int
	Spendable sdkmath.Int // Total minus coins locked by vesting
	Height    int64
	Verified  bool
}

// Validator is the part of a validator's record the checks need.
type Validator struct {
	Operator        sdk.ValAddress
	Moniker         string
	Status          stakingtypes.BondStatus
	Jailed          bool
	Tokens          sdkmath.Int
	DelegatorShares sdkmath.LegacyDec
}

// Active reports whether the validator is bonded and not jailed, that is,
// earning rewards for its delegators.
func (v *Validator) Active() bool {
	return v.Status == stakingtypes.Bonded && !v.Jailed
}

// TokensFromShares converts delegation shares to tokens the way x/staking
// does (rounded down).
func (v *Validator) TokensFromShares(shares sdkmath.LegacyDec) sdkmath.Int {
	if v.DelegatorShares.IsNil() || v.DelegatorShares.IsZero() {
		return sdkmath.ZeroInt()
	}
	return shares.MulInt(v.Tokens).Quo(v.DelegatorShares).TruncateInt()
}

// Delegation is one of a delegator's delegations.
type Delegation struct {
	Validator sdk.ValAddress
	Shares    sdkmath.LegacyDec
}

// Redelegation is a delegator's redelegation record from Src to Dst; it
// exists while at least one entry is maturing.
type Redelegation struct {
	Src, Dst    sdk.ValAddress
	Completions []time.Time // one per entry
}

// Proposal is the part of a governance proposal a vote check needs.
type Proposal struct {
	ID        uint64
	Title     string
	Status    govv1.ProposalStatus
	VotingEnd time.Time
}

// StateSource answers the questions the pre-sign checks ask. Each answer
// is proven against a verified header; a source that cannot prove an
// answer returns an error rather than an unproven value.
type StateSource interface {
	Balance(ctx context.Context, addr sdk.AccAddress, denom string) (*Balance, error)
	// Validator returns ErrNotFound (wrapped) for an unknown operator.
	Validator(ctx context.Context, val sdk.ValAddress) (*Validator, error)
	// Delegations lists every delegation of del (proven complete).
	Delegations(ctx context.Context, del sdk.AccAddress) ([]Delegation, error)
	// Redelegations lists every redelegation record of del.
	Redelegations(ctx context.Context, del sdk.AccAddress) ([]Redelegation, error)
	// Proposal returns ErrNotFound (wrapped) for an unknown id.
	Proposal(ctx context.Context, id uint64) (*Proposal, error)
}

// StakingParams are the proven staking parameters the staking checks
// and summaries need.
type StakingParams struct {
	UnbondingTime time.Duration
	// MaxEntries bounds the unbonding entries per (delegator, validator)
	// and the redelegation entries per (delegator, src, dst).
	MaxEntries uint32
	BondDenom  string
	Height     int64 // the state height they were proven at
}

// StakingParamsSource is the optional part of a StateSource that proves
// the staking parameters. Optional so that a source without it still
// serves the other checks; callers then say the period is not proven.
type StakingParamsSource interface {
	StakingParams(ctx context.Context) (*StakingParams, error)
}

// Unbonding is one proven unbonding entry set of a (delegator, validator) pair.
type Unbonding struct {
	Validator sdk.ValAddress
	Entries   int
}

// UnbondingSource is the optional part of a StateSource that lists a
// delegator's unbonding delegations (proven complete).
type UnbondingSource interface {
	Unbondings(ctx context.Context, del sdk.AccAddress) ([]Unbonding, error)
}

// Reward is the pending reward of one delegation.
type Reward struct {
	Validator sdk.ValAddress
	Amount    sdk.DecCoins
}

// RewardsSource is the optional part of a StateSource that proves the
// pending rewards of a delegator's delegations (all of them, at one
// height), so that a claim can be weighed against its fee.
type RewardsSource interface {
	Rewards(ctx context.Context, del sdk.AccAddress) (rewards []Reward, height int64, err error)
}

// Inclusion is where and how a transaction landed.
type Inclusion struct {
	Hash      []byte
	Height    int64
	Code      uint32 // proven against LastResultsHash of Height+1 when Verified
	Codespace string
	GasWanted int64 // proven with Code
	GasUsed   int64 // proven with Code
	// Log is the node's text about the result. CometBFT does not hash it
	// into LastResultsHash, so it is always node-reported.
	Log string
	// Verified is true when the transaction's presence in block Height
	// was proven against the verified header's DataHash and its result
	// against the next header's LastResultsHash.
	Verified bool
	// Index is the position in the block of the copy whose result this
	// is. A block may list the same transaction more than once (CometBFT
	// does not refuse it); the copy that counts is the first that
	// succeeded, else the first.
	Index uint32
	// Duplicates are the block's other copies of the transaction, with
	// their proven codes; nil when it is listed once.
	Duplicates []Copy
}

// DuplicateNote explains, for people, a block that lists the transaction
// more than once; "" when it is listed once.
func (inc *Inclusion) DuplicateNote() string {
	if len(inc.Duplicates) == 0 {
		return ""
	}
	others := make([]string, len(inc.Duplicates))
	for i, d := range inc.Duplicates {
		others[i] = fmt.Sprintf("index %d: code %d", d.Index, d.Code)
	}
	which := "the one that executed"
	if inc.Code != 0 {
		which = "the first; no copy succeeded"
	}
	return fmt.Sprintf("block %d lists this transaction %d times; the result shown is the copy at index %d, %s (other copies, proven: %s). "+
		"A node or explorer may show another copy's result: the copy at index %d is the one that counts",
		inc.Height, len(inc.Duplicates)+1, inc.Index, which, strings.Join(others, ", "), inc.Index)
}

// Copy is another copy of a transaction in the block that holds it. It
// did not execute as the transaction: it ran against the state the copy
// that counts left (or before it, and failed without effect).
type Copy struct {
	Index uint32 `json:"index"`
	Code  uint32 `json:"code"` // proven (LastResultsHash)
}

// InclusionProver finds a transaction by hash and proves where it landed
// and with which result code.
type InclusionProver interface {
	// ProveTx returns ErrNotIncluded (wrapped) when the node knows no
	// block holding the transaction, and a verification error when the
	// node's answer does not check out.
	ProveTx(ctx context.Context, hash []byte) (*Inclusion, error)
}

// ErrNotYetProvable is returned (wrapped) by an InclusionProver when the
// transaction is in a block whose successor, which commits its result,
// does not exist yet: asking again shortly will settle it.
var ErrNotYetProvable = errors.New("the block after the transaction's block is not committed yet")
