package backend

import (
	"context"
	"sort"
	"strconv"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"

	"github.com/akash-wallet/akw/lightclient/state"
	"github.com/akash-wallet/akw/tui"
	"github.com/akash-wallet/akw/tx/ops"
)

// Grants proves every grant addr gave and received (both lists proven
// complete, on one view) and says what each allows in the words the
// review of a grant uses (tx/ops).
func (b *Backend) Grants(ctx context.Context, addr string) (*tui.GrantSet, error) {
	acc, err := b.accAddr(addr)
	if err != nil {
		return nil, err
	}
	var out *tui.GrantSet
	err = b.s.Query(ctx, b.view(), func(ctx context.Context, v *state.View) error {
		gs, err := v.Grants(ctx, acc)
		if err != nil {
			return err
		}
		if !gs.Verified {
			return &notProven{gs.Reason}
		}
		out = &tui.GrantSet{Address: addr, Height: gs.Height, HeaderTime: gs.HeaderTime, ReceivedBy: gs.ReceivedBy,
			Given: b.grants(gs.Granted), Received: b.grants(gs.Received)}
		return nil
	})
	return out, err
}

func (b *Backend) grants(gs []state.Grant) []tui.Grant {
	out := make([]tui.Grant, 0, len(gs))
	for _, g := range gs {
		out = append(out, tui.Grant{Granter: g.Granter, Grantee: g.Grantee, MsgType: g.Authorization.MsgTypeURL,
			Allows:     ops.DescribeAuthorization(g.Authorization.Value, g.Authorization.MsgTypeURL, b.s.Denoms(), b.s.Prefixes()),
			Expiration: g.Expiration, Expired: g.Expired})
	}
	return out
}

// DepositProposals proves every proposal in its deposit period (the gov
// store walked complete) and the minimum deposit that starts a vote.
func (b *Backend) DepositProposals(ctx context.Context) ([]tui.Proposal, error) {
	var out []tui.Proposal
	err := b.s.Query(ctx, b.view(), func(ctx context.Context, v *state.View) error {
		ps, err := v.ProposalsWithStatus(ctx, govv1.StatusDepositPeriod)
		if err != nil {
			return err
		}
		if !ps.Verified {
			return &notProven{ps.Reason}
		}
		var params *state.GovParams
		if len(ps.Proposals) > 0 {
			if params, err = v.GovParams(ctx); err != nil {
				return err
			}
		}
		out = make([]tui.Proposal, 0, len(ps.Proposals))
		for _, p := range ps.Proposals {
			tp := tui.Proposal{ID: p.Id, Title: p.Title, Summary: p.Summary, Status: p.Status.String(), Height: v.Height(),
				TotalDeposit: sdk.NewCoins(p.TotalDeposit...), MinDeposit: params.MinDeposit}
			if p.Expedited {
				tp.MinDeposit = params.ExpeditedMinDeposit
			}
			if p.DepositEndTime != nil {
				tp.DepositEnd = *p.DepositEndTime
			}
			out = append(out, tp)
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, err
}

// opBuilder parses the operations that need more than an ops.Request
// carries (a codec, the clock) with their own parsers, as the command
// line does; nil for those ops.Parse reads.
func (b *Backend) opBuilder(req tui.TxRequest, signer sdk.AccAddress) (func() (ops.Op, error), error) {
	switch req.Kind {
	case tui.TxRevoke:
		env, err := b.s.Env()
		if err != nil {
			return nil, err
		}
		return func() (ops.Op, error) {
			o, err := ops.ParseRevoke(signer, req.Grantee, req.MsgType, b.s.Prefixes(), env.Enc.Registry)
			if err != nil {
				return nil, err
			}
			return o, nil
		}, nil
	case tui.TxAutoCompound:
		// One clock for every attempt: a retry must not move the expiry.
		now := time.Now()
		return func() (ops.Op, error) {
			o, err := ops.ParseAutoCompound(signer, req.Grantee, req.To, req.Expiration, b.s.Prefixes(), now)
			if err != nil {
				return nil, err
			}
			return o, nil
		}, nil
	case tui.TxDeposit:
		return func() (ops.Op, error) {
			o, err := ops.ParseDeposit(signer, strconv.FormatUint(req.ProposalID, 10), req.Amount, b.s.Denoms())
			if err != nil {
				return nil, err
			}
			return o, nil
		}, nil
	}
	return nil, nil
}
