package tx

import (
	"context"
	"time"

	"cosmossdk.io/x/feegrant"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/x/authz"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
)

// Grant is an authz grant as the checks need it: what granter lets grantee
// do, and until when.
type Grant struct {
	Granter, Grantee sdk.AccAddress
	MsgTypeURL       string
	// Authorization is nil for an authorization type akw does not know
	// (the chain's own, such as Akash's deployment deposits).
	Authorization authz.Authorization
	Expiration    *time.Time // nil: no end
	Height        int64      // the state height it was proven at
}

// Allowance is a fee allowance as the checks need it.
type Allowance struct {
	Granter, Grantee sdk.AccAddress
	// Allowance is nil for an allowance type akw does not know.
	Allowance feegrant.FeeAllowanceI
	Height    int64
}

// GovParams are the proven governance parameters the deposit and
// proposal checks need.
type GovParams struct {
	MinDeposit             sdk.Coins
	ExpeditedMinDeposit    sdk.Coins
	MinInitialDepositRatio string // a decimal, "0.4"
	MinDepositRatio        string // each deposit's least part of MinDeposit
	MaxDepositPeriod       time.Duration
	VotingPeriod           time.Duration
	ExpeditedVotingPeriod  time.Duration
	Height                 int64
}

// ProposalDetail is a proposal with what a deposit check needs beyond
// tx.Proposal.
type ProposalDetail struct {
	Proposal
	Expedited    bool
	DepositEnd   time.Time
	TotalDeposit sdk.Coins
	Proposer     string
}

// GrantSource is the optional part of a StateSource that proves authz
// grants. The grant, revoke and exec checks need it; without it they
// refuse rather than sign unchecked.
type GrantSource interface {
	// Grants lists every grant from granter to grantee (proven complete).
	Grants(ctx context.Context, granter, grantee sdk.AccAddress) ([]Grant, error)
}

// AllowanceSource is the optional part of a StateSource that proves fee
// allowances.
type AllowanceSource interface {
	// Allowance returns ErrNotFound (wrapped) when granter gives grantee
	// no fee allowance.
	Allowance(ctx context.Context, granter, grantee sdk.AccAddress) (*Allowance, error)
}

// GovSource is the optional part of a StateSource that proves the
// governance parameters and a proposal's deposit state.
type GovSource interface {
	GovParams(ctx context.Context) (*GovParams, error)
	// ProposalDetail returns ErrNotFound (wrapped) for an unknown id.
	ProposalDetail(ctx context.Context, id uint64) (*ProposalDetail, error)
}

// Clock is the optional part of a StateSource that gives the block time
// of the verified header its answers rest on: expirations are compared
// with the chain's time, which is what the chain compares them with, not
// with the local clock.
type Clock interface {
	Time(ctx context.Context) (time.Time, error)
}

// ProposalOpen reports whether a proposal still takes deposits.
func ProposalOpen(s govv1.ProposalStatus) bool {
	return s == govv1.StatusDepositPeriod || s == govv1.StatusVotingPeriod
}
