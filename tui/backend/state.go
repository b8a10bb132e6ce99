package backend

import (
	"context"
	"errors"
	"sort"
	"strings"

	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
	"golang.org/x/sync/errgroup"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/lightclient/state"
	"github.com/akash-wallet/akw/tui"
	"github.com/akash-wallet/akw/tx/vote"
	"github.com/akash-wallet/akw/wallet"
)

// The dashboard's, the pickers' and the proposals' proven state, each
// read on one verified view through the wallet (its failover included).

// view is the verified state the screens read: a header verified up to
// MaxStateAge ago is reused, so that a refresh costs proofs, not headers.
func (b *Backend) view() wallet.View { return wallet.View{MaxAge: b.cfg.MaxStateAge} }

// Portfolio proves everything the dashboard shows on one view (one
// verified header), in parallel.
func (b *Backend) Portfolio(ctx context.Context, addr string) (*tui.Portfolio, error) {
	acc, err := b.accAddr(addr)
	if err != nil {
		return nil, err
	}
	var pf *tui.Portfolio
	err = b.s.Query(ctx, b.view(), func(ctx context.Context, v *state.View) (err error) {
		pf, err = b.portfolio(ctx, v, addr, acc)
		return err
	})
	return pf, err
}

func (b *Backend) portfolio(ctx context.Context, v *state.View, addr string, acc sdk.AccAddress) (*tui.Portfolio, error) {
	var (
		bal   *wallet.Holdings
		dels  *state.Delegations
		unbs  *state.Unbondings
		rews  *state.Rewards
		props []tui.Proposal
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { bal, err = wallet.ProveHoldings(gctx, v, acc); return })
	g.Go(func() (err error) { dels, err = v.Delegations(gctx, acc); return })
	g.Go(func() (err error) { unbs, err = v.Unbondings(gctx, acc); return })
	g.Go(func() (err error) { rews, err = v.Rewards(gctx, acc); return })
	g.Go(func() (err error) { props, err = b.votingProposals(gctx, v, acc); return })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for _, p := range []state.Proven{bal.Proven, dels.Proven, unbs.Proven, rews.Proven} {
		if !p.Verified {
			return nil, &notProven{p.Reason}
		}
	}
	b.keepTokens(bal.Tokens)
	pf := &tui.Portfolio{Address: addr, Height: v.Height(), HeaderTime: bal.HeaderTime, Balances: bal.Coins, Rewards: rews.Total, Proposals: props,
		Tokens: b.s.DenomsWith(bal.Tokens).Tokens}
	rewardOf := map[string]sdk.DecCoins{}
	for _, r := range rews.Rewards {
		rewardOf[r.ValidatorAddress] = r.Reward
	}
	monikers := map[string]string{}
	for _, d := range dels.Delegations {
		monikers[d.ValidatorAddress] = d.Moniker
		pf.Delegations = append(pf.Delegations, tui.Delegation{Validator: d.ValidatorAddress, Moniker: d.Moniker,
			Amount: d.Balance, Rewards: rewardOf[d.ValidatorAddress]})
	}
	sort.SliceStable(pf.Delegations, func(i, j int) bool {
		return pf.Delegations[i].Amount.Amount.GT(pf.Delegations[j].Amount.Amount)
	})
	for _, u := range unbs.Unbondings {
		for _, e := range u.Entries {
			pf.Unbonding = append(pf.Unbonding, tui.Unbonding{Validator: u.ValidatorAddress, Moniker: monikers[u.ValidatorAddress],
				Amount: sdk.NewCoin(b.s.Denoms().Base, e.Balance), CompletionTime: e.CompletionTime})
		}
	}
	sort.SliceStable(pf.Unbonding, func(i, j int) bool { return pf.Unbonding[i].CompletionTime.Before(pf.Unbonding[j].CompletionTime) })
	return pf, nil
}

// notProven is an answer the state package returned without full proof
// (a list too long to walk complete): the TUI shows nothing rather than
// a partial number.
type notProven struct{ reason string }

func (e *notProven) Error() string { return "the node's answer could not be proven: " + e.reason }

// Category makes an unproven answer a verification failure: nothing shown.
func (e *notProven) Kind() errkind.Kind { return errkind.Verification }

func (b *Backend) votingProposals(ctx context.Context, v *state.View, voter sdk.AccAddress) ([]tui.Proposal, error) {
	ps, err := v.VotingProposals(ctx)
	if err != nil {
		return nil, err
	}
	if !ps.Verified {
		return nil, &notProven{ps.Reason}
	}
	out := make([]tui.Proposal, len(ps.Proposals))
	g, gctx := errgroup.WithContext(ctx)
	for i, p := range ps.Proposals {
		tp := tui.Proposal{ID: p.Id, Title: p.Title, Summary: p.Summary, Status: p.Status.String(), Height: v.Height()}
		if p.VotingEndTime != nil {
			tp.VotingEnd = *p.VotingEndTime
		}
		out[i] = tp
		if voter.Empty() {
			continue
		}
		g.Go(func() error {
			va, err := v.Vote(gctx, p.Id, voter)
			var nf *state.ErrNotFound
			if errors.As(err, &nf) {
				return nil // proven: not voted
			}
			if err != nil {
				return err
			}
			for _, o := range va.Vote.Options {
				w, err := sdkmath.LegacyNewDecFromStr(o.Weight)
				if err != nil {
					return err
				}
				out[i].Vote = append(out[i].Vote, tui.VoteOption{Option: vote.Name(o.Option), Weight: w})
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func (b *Backend) Proposals(ctx context.Context, voter string) ([]tui.Proposal, error) {
	var acc sdk.AccAddress
	if voter != "" {
		a, err := b.accAddr(voter)
		if err != nil {
			return nil, err
		}
		acc = a
	}
	var out []tui.Proposal
	err := b.s.Query(ctx, b.view(), func(ctx context.Context, v *state.View) (err error) {
		out, err = b.votingProposals(ctx, v, acc)
		return err
	})
	return out, err
}

func (b *Backend) Validators(ctx context.Context, delegator string) (*tui.ValidatorSet, error) {
	var acc sdk.AccAddress
	if delegator != "" {
		a, err := b.accAddr(delegator)
		if err != nil {
			return nil, err
		}
		acc = a
	}
	var out *tui.ValidatorSet
	err := b.s.Query(ctx, b.view(), func(ctx context.Context, v *state.View) (err error) {
		out, err = b.validators(ctx, v, acc)
		return err
	})
	return out, err
}

func (b *Backend) validators(ctx context.Context, v *state.View, acc sdk.AccAddress) (*tui.ValidatorSet, error) {
	var (
		set    *state.ValidatorSet
		dels   *state.Delegations
		params *state.StakingParams
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { set, err = v.Validators(gctx); return })
	// The unbonding period the picker shows is the chain's proven value
	// at the same height, never a remembered constant.
	g.Go(func() (err error) { params, err = v.StakingParams(gctx); return })
	if !acc.Empty() {
		g.Go(func() (err error) { dels, err = v.Delegations(gctx, acc); return })
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if !set.Verified {
		return nil, &notProven{set.Reason}
	}
	mine := map[string]sdk.Coin{}
	if dels != nil {
		for _, d := range dels.Delegations {
			mine[d.ValidatorAddress] = d.Balance
		}
	}
	out := &tui.ValidatorSet{Height: v.Height()}
	if params.Verified {
		out.UnbondingPeriod = params.UnbondingTime
	}
	for _, val := range set.Validators {
		share := 0.0
		if set.TotalVotingPower > 0 {
			share = float64(val.VotingPower) / float64(set.TotalVotingPower)
		}
		d, ok := mine[val.OperatorAddress]
		if !ok {
			d = sdk.NewCoin(b.s.Denoms().Base, sdkmath.ZeroInt())
		}
		out.Validators = append(out.Validators, tui.Validator{Operator: val.OperatorAddress, Moniker: val.Moniker,
			Commission: val.CommissionRate, Tokens: val.Tokens, PowerShare: share, Status: bondStatus(val.Status),
			Jailed: val.Jailed, Delegation: d, Description: val.Details})
	}
	return out, nil
}

func bondStatus(s string) string {
	switch s {
	case stakingtypes.Bonded.String():
		return "bonded"
	case stakingtypes.Unbonding.String():
		return "unbonding"
	case stakingtypes.Unbonded.String():
		return "unbonded"
	}
	return strings.ToLower(strings.TrimPrefix(s, "BOND_STATUS_"))
}
