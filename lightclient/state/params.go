package state

import (
	"context"
	"time"
)

// StakingParams are the staking module's parameters, proven from the
// staking store (collections prefix 0x51). Wallets show UnbondingTime
// before an undelegation rather than a remembered constant: a devnet or a
// governance change makes any constant wrong, and the user locks funds
// for exactly this period.
type StakingParams struct {
	Proven
	UnbondingTime time.Duration `json:"unbonding_time"`
	// MaxEntries bounds the unbonding entries per (delegator, validator)
	// pair and the redelegation entries per (delegator, src, dst) triple;
	// the chain rejects a message that would exceed it.
	MaxEntries        uint32 `json:"max_entries"`
	MaxValidators     uint32 `json:"max_validators"`
	HistoricalEntries uint32 `json:"historical_entries"`
	BondDenom         string `json:"bond_denom"`
	MinCommissionRate string `json:"min_commission_rate"`
}

// StakingParams proves the staking module's parameters.
func (v *View) StakingParams(ctx context.Context) (out *StakingParams, err error) {
	defer guard(&out, &err, "staking params")
	p, err := v.stakingParams(ctx)
	if err != nil {
		return nil, err
	}
	return &StakingParams{
		Proven:            v.proven(),
		UnbondingTime:     p.UnbondingTime,
		MaxEntries:        p.MaxEntries,
		MaxValidators:     p.MaxValidators,
		HistoricalEntries: p.HistoricalEntries,
		BondDenom:         p.BondDenom,
		MinCommissionRate: p.MinCommissionRate.String(),
	}, nil
}
