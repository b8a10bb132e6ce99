package state

import (
	"context"
	"encoding/binary"
	"fmt"
	"strings"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
)

// More of the gov store (x/gov/types/keys.go, collections):
//
//	0x10 BE-u64 id lp(depositor) -> v1.Deposit
//	0x30                        -> v1.Params
var (
	govDepositPrefix = []byte{0x10}
	govParamsKey     = []byte{0x30}
)

func depositsPrefix(id uint64) []byte { return cat(govDepositPrefix, be64(id)) }
func depositKey(id uint64, depositor []byte) []byte {
	return cat(depositsPrefix(id), lp(depositor))
}

// ProposalStatuses are the names ParseProposalStatus accepts, in the
// order a person asks for them.
var ProposalStatuses = []string{"deposit", "voting", "passed", "rejected", "failed", "all"}

// ParseProposalStatus reads a status filter: deposit, voting, passed,
// rejected, failed, or all (StatusNil). The SDK's own names
// (PROPOSAL_STATUS_VOTING_PERIOD) are accepted too.
func ParseProposalStatus(s string) (govv1.ProposalStatus, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "all", "":
		return govv1.StatusNil, nil
	case "deposit", "deposit_period", "proposal_status_deposit_period":
		return govv1.StatusDepositPeriod, nil
	case "voting", "voting_period", "proposal_status_voting_period":
		return govv1.StatusVotingPeriod, nil
	case "passed", "proposal_status_passed":
		return govv1.StatusPassed, nil
	case "rejected", "proposal_status_rejected":
		return govv1.StatusRejected, nil
	case "failed", "proposal_status_failed":
		return govv1.StatusFailed, nil
	}
	return govv1.StatusNil, fmt.Errorf("unknown proposal status %q: give one of %s", s, strings.Join(ProposalStatuses, ", "))
}

// ProposalsByStatus are the proposals with one status (or all), proven
// complete.
type ProposalsByStatus struct {
	Proven
	// Status is the filter; PROPOSAL_STATUS_UNSPECIFIED means all.
	Status    govv1.ProposalStatus `json:"status"`
	Proposals []*govv1.Proposal    `json:"proposals"`
}

// ProposalsWithStatus proves every proposal the chain holds (the gov
// 0x00 range, walked complete) and keeps those with status (StatusNil:
// all). Unlike VotingProposals it needs no index, so it answers every
// status the same way; it costs one proof per proposal ever kept.
func (v *View) ProposalsWithStatus(ctx context.Context, status govv1.ProposalStatus) (out *ProposalsByStatus, err error) {
	defer guard(&out, &err, "proposals")
	hint := func(ctx context.Context) ([][]byte, error) {
		var res govv1.QueryProposalsResponse
		if err := v.grpcHint(ctx, "/cosmos.gov.v1.Query/Proposals", &govv1.QueryProposalsRequest{ProposalStatus: status}, &res); err != nil {
			return nil, err
		}
		keys := make([][]byte, 0, len(res.Proposals))
		for _, p := range res.Proposals {
			if p != nil {
				keys = append(keys, proposalKey(p.Id))
			}
		}
		return keys, nil
	}
	entries, err := v.walkPrefix(ctx, storeGov, govProposalPrefix, nil, hint)
	if err != nil {
		return nil, err
	}
	out = &ProposalsByStatus{Proven: v.proven(), Status: status, Proposals: []*govv1.Proposal{}}
	for _, e := range entries {
		if len(e.Key) != 9 {
			return nil, &ErrDecode{What: "proposal key", Err: errBadLength}
		}
		id := binary.BigEndian.Uint64(e.Key[1:])
		p, err := v.decodeProposal(id, e.Value)
		if err != nil {
			return nil, err
		}
		if status == govv1.StatusNil || p.Status == status {
			out.Proposals = append(out.Proposals, p)
		}
	}
	return out, nil
}

// Deposits are the deposits on one proposal, proven complete. They are
// kept while the proposal is in its deposit or voting period; the chain
// deletes them (refunded or burnt) when it ends.
type Deposits struct {
	Proven
	ProposalID uint64           `json:"proposal_id"`
	Deposits   []*govv1.Deposit `json:"deposits"`
	Total      sdk.Coins        `json:"total"`
}

// Deposits proves every deposit on proposal id (the 0x10 id range).
func (v *View) Deposits(ctx context.Context, id uint64) (out *Deposits, err error) {
	defer guard(&out, &err, fmt.Sprintf("deposits on proposal %d", id))
	prefix := depositsPrefix(id)
	hint := func(ctx context.Context) ([][]byte, error) {
		var res govv1.QueryDepositsResponse
		if err := v.grpcHint(ctx, "/cosmos.gov.v1.Query/Deposits", &govv1.QueryDepositsRequest{ProposalId: id}, &res); err != nil {
			return nil, err
		}
		var keys [][]byte
		for _, d := range res.Deposits {
			if d == nil {
				continue
			}
			if _, a, err := bech32Decode(d.Depositor); err == nil {
				keys = append(keys, depositKey(id, a))
			}
		}
		return keys, nil
	}
	entries, err := v.walkPrefix(ctx, storeGov, prefix, nil, hint)
	if err != nil {
		return nil, err
	}
	out = &Deposits{Proven: v.proven(), ProposalID: id, Deposits: []*govv1.Deposit{}, Total: sdk.NewCoins()}
	for _, e := range entries {
		depositor, err := lengthPrefixed(e.Key[len(prefix):])
		if err != nil {
			return nil, &ErrDecode{What: "deposit key", Err: err}
		}
		var d govv1.Deposit
		if err := v.q.cdc.Unmarshal(e.Value, &d); err != nil {
			return nil, &ErrDecode{What: "deposit", Err: err}
		}
		if d.ProposalId != id || !sameAddr(d.Depositor, depositor) {
			return nil, &ErrInconsistent{Reason: "deposit record does not match its key"}
		}
		amt := sdk.Coins(d.Amount)
		if !amt.IsValid() {
			return nil, &ErrInconsistent{Reason: fmt.Sprintf("deposit of %s on proposal %d holds an invalid amount", d.Depositor, id)}
		}
		out.Deposits = append(out.Deposits, &d)
		out.Total = out.Total.Add(amt...)
	}
	return out, nil
}

// GovParams are the governance module's parameters, proven from the gov
// store (collections prefix 0x30). The deposits a proposal needs (normal
// and expedited, and the part of it due at submission) and the periods
// come from here rather than from remembered constants: governance
// changes them.
type GovParams struct {
	Proven
	MinDeposit             sdk.Coins     `json:"min_deposit"`
	ExpeditedMinDeposit    sdk.Coins     `json:"expedited_min_deposit"`
	MinInitialDepositRatio string        `json:"min_initial_deposit_ratio"`
	MinDepositRatio        string        `json:"min_deposit_ratio"`
	MaxDepositPeriod       time.Duration `json:"max_deposit_period"`
	VotingPeriod           time.Duration `json:"voting_period"`
	ExpeditedVotingPeriod  time.Duration `json:"expedited_voting_period"`
	Params                 govv1.Params  `json:"-"`
}

// GovParams proves the governance parameters.
func (v *View) GovParams(ctx context.Context) (out *GovParams, err error) {
	defer guard(&out, &err, "gov params")
	p, err := v.get(ctx, storeGov, govParamsKey)
	if err != nil {
		return nil, err
	}
	if !p.Exists {
		return nil, &ErrInconsistent{Reason: "gov params are absent"}
	}
	var params govv1.Params
	if err := v.q.cdc.Unmarshal(p.Value, &params); err != nil {
		return nil, &ErrDecode{What: "gov params", Err: err}
	}
	dur := func(d *time.Duration) time.Duration {
		if d == nil {
			return 0
		}
		return *d
	}
	return &GovParams{
		Proven:                 v.proven(),
		MinDeposit:             params.MinDeposit,
		ExpeditedMinDeposit:    params.ExpeditedMinDeposit,
		MinInitialDepositRatio: params.MinInitialDepositRatio,
		MinDepositRatio:        params.MinDepositRatio,
		MaxDepositPeriod:       dur(params.MaxDepositPeriod),
		VotingPeriod:           dur(params.VotingPeriod),
		ExpeditedVotingPeriod:  dur(params.ExpeditedVotingPeriod),
		Params:                 params,
	}, nil
}
