package proven

import (
	"context"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-wallet/akw/tx"
)

// Grants implements tx.GrantSource.
func (s *Source) Grants(ctx context.Context, granter, grantee sdk.AccAddress) ([]tx.Grant, error) {
	v, err := s.View(ctx)
	if err != nil {
		return nil, err
	}
	l, err := v.GrantsBetween(ctx, granter, grantee)
	if err != nil {
		return nil, wrap(err)
	}
	out := make([]tx.Grant, 0, len(l.Grants))
	for _, g := range l.Grants {
		out = append(out, tx.Grant{Granter: granter, Grantee: grantee, MsgTypeURL: g.Authorization.MsgTypeURL,
			Authorization: g.Authorization.Value, Expiration: g.Expiration, Height: l.Height})
	}
	return out, nil
}

// Allowance implements tx.AllowanceSource.
func (s *Source) Allowance(ctx context.Context, granter, grantee sdk.AccAddress) (*tx.Allowance, error) {
	v, err := s.View(ctx)
	if err != nil {
		return nil, err
	}
	a, err := v.Allowance(ctx, granter, grantee)
	if err != nil {
		return nil, wrap(err)
	}
	return &tx.Allowance{Granter: granter, Grantee: grantee, Allowance: a.Allowance.Value, Height: a.Height}, nil
}

// GovParams implements tx.GovSource.
func (s *Source) GovParams(ctx context.Context) (*tx.GovParams, error) {
	v, err := s.View(ctx)
	if err != nil {
		return nil, err
	}
	p, err := v.GovParams(ctx)
	if err != nil {
		return nil, wrap(err)
	}
	return &tx.GovParams{MinDeposit: p.MinDeposit, ExpeditedMinDeposit: p.ExpeditedMinDeposit,
		MinInitialDepositRatio: p.MinInitialDepositRatio, MinDepositRatio: p.MinDepositRatio,
		MaxDepositPeriod: p.MaxDepositPeriod, VotingPeriod: p.VotingPeriod, ExpeditedVotingPeriod: p.ExpeditedVotingPeriod,
		Height: p.Height}, nil
}

// ProposalDetail implements tx.GovSource.
func (s *Source) ProposalDetail(ctx context.Context, id uint64) (*tx.ProposalDetail, error) {
	v, err := s.View(ctx)
	if err != nil {
		return nil, err
	}
	p, err := v.Proposal(ctx, id)
	if err != nil {
		return nil, wrap(err)
	}
	pp := p.Proposal
	out := &tx.ProposalDetail{Proposal: tx.Proposal{ID: id, Title: pp.Title, Status: pp.Status},
		Expedited: pp.Expedited, TotalDeposit: pp.TotalDeposit, Proposer: pp.Proposer}
	if pp.VotingEndTime != nil {
		out.VotingEnd = *pp.VotingEndTime
	}
	if pp.DepositEndTime != nil {
		out.DepositEnd = *pp.DepositEndTime
	}
	return out, nil
}
