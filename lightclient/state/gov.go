package state

import (
	"context"
	"encoding/binary"
	"fmt"

	sdk "github.com/cosmos/cosmos-sdk/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
)

// ProposalAnswer is one proven governance proposal. Its tally is the one
// stored with the proposal (final once voting ends); the live tally of a
// proposal in its voting period is not stored anywhere provable, so it is
// not shown as verified.
type ProposalAnswer struct {
	Proven
	Proposal *govv1.Proposal `json:"proposal"`
}

// Proposals are the proposals in their voting period, proven complete.
type Proposals struct {
	Proven
	Proposals []*govv1.Proposal `json:"proposals"`
}

// VoteAnswer is a voter's proven vote.
type VoteAnswer struct {
	Proven
	Vote *govv1.Vote `json:"vote"`
}

func (v *View) decodeProposal(id uint64, value []byte) (*govv1.Proposal, error) {
	// Plain protobuf, not the codec: the codec would unpack the
	// proposal's messages, and fail on any message type it does not know
	// (a software upgrade, a parameter change of Akash's modules: every
	// real proposal but text ones). The messages stay Any; a face shows
	// their type URLs.
	var p govv1.Proposal
	if err := p.Unmarshal(value); err != nil {
		return nil, &ErrDecode{What: fmt.Sprintf("proposal %d", id), Err: err}
	}
	if p.Id != id {
		return nil, &ErrInconsistent{Reason: fmt.Sprintf("proposal stored under id %d has id %d", id, p.Id)}
	}
	return &p, nil
}

// Proposal proves proposal id.
func (v *View) Proposal(ctx context.Context, id uint64) (out *ProposalAnswer, err error) {
	defer guard(&out, &err, fmt.Sprintf("proposal %d", id))
	p, err := v.get(ctx, storeGov, proposalKey(id))
	if err != nil {
		return nil, err
	}
	if !p.Exists {
		return nil, &ErrNotFound{What: fmt.Sprintf("proposal %d", id), Height: v.height}
	}
	prop, err := v.decodeProposal(id, p.Value)
	if err != nil {
		return nil, err
	}
	return &ProposalAnswer{Proven: v.proven(), Proposal: prop}, nil
}

// VotingProposals proves the list of proposals in their voting period (the
// gov 0x04 index, walked complete) and each proposal's record.
func (v *View) VotingProposals(ctx context.Context) (out *Proposals, err error) {
	defer guard(&out, &err, "proposals in voting period")
	hint := func(ctx context.Context) ([][]byte, error) {
		var res govv1.QueryProposalsResponse
		if err := v.grpcHint(ctx, "/cosmos.gov.v1.Query/Proposals", &govv1.QueryProposalsRequest{ProposalStatus: govv1.StatusVotingPeriod}, &res); err != nil {
			return nil, err
		}
		keys := make([][]byte, 0, len(res.Proposals))
		for _, p := range res.Proposals {
			keys = append(keys, votingPeriodKey(p.Id))
		}
		return keys, nil
	}
	entries, err := v.walkPrefix(ctx, storeGov, govVotingPeriodPrefix, nil, hint)
	if err != nil {
		return nil, err
	}
	ids := make([]uint64, len(entries))
	keys := make([][]byte, len(entries))
	for i, e := range entries {
		if len(e.Key) != 9 {
			return nil, &ErrDecode{What: "voting-period index key", Err: errBadLength}
		}
		ids[i] = binary.BigEndian.Uint64(e.Key[1:])
		keys[i] = proposalKey(ids[i])
	}
	ps, err := v.getMany(ctx, storeGov, keys)
	if err != nil {
		return nil, err
	}
	out = &Proposals{Proven: v.proven(), Proposals: []*govv1.Proposal{}}
	for i, p := range ps {
		if !p.Exists {
			return nil, &ErrInconsistent{Reason: fmt.Sprintf("proposal %d is indexed as in voting period but absent", ids[i])}
		}
		prop, err := v.decodeProposal(ids[i], p.Value)
		if err != nil {
			return nil, err
		}
		if prop.Status != govv1.StatusVotingPeriod {
			return nil, &ErrInconsistent{Reason: fmt.Sprintf("proposal %d is indexed as in voting period but has status %s", ids[i], prop.Status)}
		}
		out.Proposals = append(out.Proposals, prop)
	}
	return out, nil
}

// Vote proves voter's vote on proposal id (ErrNotFound: proven not voted).
func (v *View) Vote(ctx context.Context, id uint64, voter sdk.AccAddress) (out *VoteAnswer, err error) {
	defer guard(&out, &err, fmt.Sprintf("vote of %s on proposal %d", voter, id))
	p, err := v.get(ctx, storeGov, voteKey(id, voter))
	if err != nil {
		return nil, err
	}
	if !p.Exists {
		return nil, &ErrNotFound{What: fmt.Sprintf("a vote by %s on proposal %d", voter, id), Height: v.height}
	}
	var vote govv1.Vote
	if err := v.q.cdc.Unmarshal(p.Value, &vote); err != nil {
		return nil, &ErrDecode{What: "vote", Err: err}
	}
	if vote.ProposalId != id || !sameAddr(vote.Voter, voter) {
		return nil, &ErrInconsistent{Reason: "vote record does not match its key"}
	}
	return &VoteAnswer{Proven: v.proven(), Vote: &vote}, nil
}
