package state

import (
	"context"
	"fmt"

	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
	"golang.org/x/sync/errgroup"
)

// ValidatorRewards are a delegator's pending rewards from one validator.
type ValidatorRewards struct {
	ValidatorAddress string       `json:"validator_address"`
	Moniker          string       `json:"moniker"`
	Reward           sdk.DecCoins `json:"reward"`
}

// Rewards are a delegator's pending rewards, rebuilt from proven
// x/distribution state exactly as the chain computes them for a withdrawal
// at this height (the DelegationRewards query).
type Rewards struct {
	Proven
	Delegator string             `json:"delegator_address"`
	Rewards   []ValidatorRewards `json:"rewards"`
	Total     sdk.DecCoins       `json:"total"`
}

// Rewards proves the pending rewards of every delegation of del.
func (v *View) Rewards(ctx context.Context, del sdk.AccAddress) (out *Rewards, err error) {
	defer guard(&out, &err, "rewards of "+del.String())
	dels, err := v.Delegations(ctx, del)
	if err != nil {
		return nil, err
	}
	out = &Rewards{Proven: v.proven(), Delegator: del.String(), Rewards: make([]ValidatorRewards, len(dels.Delegations)), Total: sdk.DecCoins{}}
	g, gctx := errgroup.WithContext(ctx)
	for i, d := range dels.Delegations {
		goGuarded(g, "rewards from "+d.ValidatorAddress, func() error {
			r, err := v.delegationRewards(gctx, del, d)
			if err != nil {
				return err
			}
			out.Rewards[i] = ValidatorRewards{ValidatorAddress: d.ValidatorAddress, Moniker: d.Moniker, Reward: r}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for _, r := range out.Rewards {
		out.Total = out.Total.Add(r.Reward...)
	}
	return out, nil
}

// distState is the proven distribution state one delegation's rewards
// depend on.
type distState struct {
	starting   distrtypes.DelegatorStartingInfo
	current    distrtypes.ValidatorCurrentRewards
	historical map[uint64]distrtypes.ValidatorHistoricalRewards
	slashes    []distrtypes.ValidatorSlashEvent // heights in [starting.Height, H], key order
}

// delegationRewards mirrors x/distribution's DelegationRewards query at the
// view's height: IncrementValidatorPeriod on a scratch copy (ending ratio =
// historical ratio of period-1 plus current rewards over the validator's
// tokens), then CalculateDelegationRewards (rewards between periods, split
// at every slash event, stake capped at the current stake). See
// x/distribution/keeper/delegation.go and validator.go in SDK v0.53.
func (v *View) delegationRewards(ctx context.Context, del sdk.AccAddress, d Delegation) (sdk.DecCoins, error) {
	_, valBz, err := bech32Decode(d.ValidatorAddress)
	if err != nil {
		return nil, &ErrDecode{What: "validator address", Err: err}
	}
	st, err := v.distState(ctx, valBz, del)
	if err != nil {
		return nil, err
	}
	return computeRewards(st, d.validator, d.shares, uint64(v.height))
}

func (v *View) distState(ctx context.Context, val []byte, del sdk.AccAddress) (*distState, error) {
	st := &distState{historical: map[uint64]distrtypes.ValidatorHistoricalRewards{}}

	// Round 1: starting info and current rewards, in parallel.
	ps, err := v.getMany(ctx, storeDistribution, [][]byte{startingInfoKey(val, del), currentRewardsKey(val)})
	if err != nil {
		return nil, err
	}
	if !ps[0].Exists || !ps[1].Exists {
		return nil, &ErrInconsistent{Reason: fmt.Sprintf("no distribution record for the delegation to %s", sdk.ValAddress(val))}
	}
	if err := v.q.cdc.Unmarshal(ps[0].Value, &st.starting); err != nil {
		return nil, &ErrDecode{What: "delegator starting info", Err: err}
	}
	if err := v.q.cdc.Unmarshal(ps[1].Value, &st.current); err != nil {
		return nil, &ErrDecode{What: "validator current rewards", Err: err}
	}
	if st.current.Period == 0 {
		return nil, &ErrInconsistent{Reason: "validator current rewards at period 0"}
	}

	// Round 2: slash events since the delegation started, walked complete
	// (heights starting.Height..H inclusive, like the keeper's iterator).
	var slashEntries [][]byte
	height := uint64(v.height)
	if height > st.starting.Height {
		entries, err := v.walk(ctx, storeDistribution, slashEventsFrom(val, st.starting.Height), slashEventsFrom(val, height+1), nil, nil)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			slashEntries = append(slashEntries, e.Value)
		}
	}
	periods := map[uint64]bool{st.starting.PreviousPeriod: true, st.current.Period - 1: true}
	for _, bz := range slashEntries {
		var ev distrtypes.ValidatorSlashEvent
		if err := v.q.cdc.Unmarshal(bz, &ev); err != nil {
			return nil, &ErrDecode{What: "slash event", Err: err}
		}
		st.slashes = append(st.slashes, ev)
		periods[ev.ValidatorPeriod] = true
	}

	// Round 3: every historical ratio the computation reads, in parallel.
	var list []uint64
	var keys [][]byte
	for p := range periods {
		list = append(list, p)
		keys = append(keys, historicalKey(val, p))
	}
	hs, err := v.getMany(ctx, storeDistribution, keys)
	if err != nil {
		return nil, err
	}
	for i, p := range hs {
		if !p.Exists {
			// The keeper reads these strictly (no record is an error there too).
			return nil, &ErrInconsistent{Reason: fmt.Sprintf("no historical rewards for %s period %d", sdk.ValAddress(val), list[i])}
		}
		var h distrtypes.ValidatorHistoricalRewards
		if err := v.q.cdc.Unmarshal(p.Value, &h); err != nil {
			return nil, &ErrDecode{What: "validator historical rewards", Err: err}
		}
		st.historical[list[i]] = h
	}
	return st, nil
}

// computeRewards is the pure part: CalculateDelegationRewards with the
// ending period produced by IncrementValidatorPeriod.
func computeRewards(st *distState, val stakingtypes.Validator, shares math.LegacyDec, height uint64) (sdk.DecCoins, error) {
	if st.starting.Height == height {
		return sdk.DecCoins{}, nil // started at this height: no rewards yet
	}
	// IncrementValidatorPeriod: for a validator with no tokens the current
	// rewards go to the community pool and the ratio does not move.
	current := sdk.DecCoins{}
	if !val.GetTokens().IsZero() {
		current = st.current.Rewards.QuoDecTruncate(math.LegacyNewDecFromInt(val.GetTokens()))
	}
	ending := st.historical[st.current.Period-1].CumulativeRewardRatio.Add(current...)

	between := func(startPeriod uint64, endRatio sdk.DecCoins, stake math.LegacyDec) (sdk.DecCoins, error) {
		starting := st.historical[startPeriod].CumulativeRewardRatio
		diff, neg := endRatio.SafeSub(starting)
		if neg {
			return nil, &ErrInconsistent{Reason: "negative rewards between periods"}
		}
		if stake.IsNegative() {
			return nil, &ErrInconsistent{Reason: "negative stake"}
		}
		return diff.MulDecTruncate(stake), nil
	}

	rewards := sdk.DecCoins{}
	startingPeriod := st.starting.PreviousPeriod
	stake := st.starting.Stake
	for _, ev := range st.slashes {
		if ev.ValidatorPeriod > startingPeriod {
			r, err := between(startingPeriod, st.historical[ev.ValidatorPeriod].CumulativeRewardRatio, stake)
			if err != nil {
				return nil, err
			}
			rewards = rewards.Add(r...)
			stake = stake.MulTruncate(math.LegacyOneDec().Sub(ev.Fraction))
			startingPeriod = ev.ValidatorPeriod
		}
	}

	currentStake := val.TokensFromShares(shares)
	if stake.GT(currentStake) {
		// Rounding across slash periods may leave stake a few units of the
		// last decimal above the single-step figure; the keeper tolerates
		// three and panics beyond that.
		if stake.LTE(currentStake.Add(math.LegacySmallestDec().MulInt64(3))) {
			stake = currentStake
		} else {
			return nil, &ErrInconsistent{Reason: fmt.Sprintf("rebuilt stake %s exceeds current stake %s", stake, currentStake)}
		}
	}
	r, err := between(startingPeriod, ending, stake)
	if err != nil {
		return nil, err
	}
	return rewards.Add(r...), nil
}
