package proxy

import (
	"cosmossdk.io/store/prefix"
	sdk "github.com/cosmos/cosmos-sdk/types"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// The distribution query server's reward queries (cosmos-sdk v0.53
// x/distribution/keeper grpc_query.go). The node increments the
// validator's period in a scratch copy of its state and runs
// CalculateDelegationRewards; lightclient/state rebuilds the same
// computation from proven distribution state (View.DelegationRewards),
// and the checks around it follow the query server's order.

var distributionMethods = []grpcMethod{
	rpc("/cosmos.distribution.v1beta1.Query/DelegationRewards", distrDelegationRewards),
	rpc("/cosmos.distribution.v1beta1.Query/DelegationTotalRewards", distrDelegationTotalRewards),
}

func distrDelegationRewards(q *provenQuery, req *distrtypes.QueryDelegationRewardsRequest) (*distrtypes.QueryDelegationRewardsResponse, error) {
	if req.DelegatorAddress == "" {
		return nil, status.Error(codes.InvalidArgument, "empty delegator address")
	}
	if req.ValidatorAddress == "" {
		return nil, status.Error(codes.InvalidArgument, "empty validator address")
	}
	valAddr, err := q.s.codecs.val.StringToBytes(req.ValidatorAddress)
	if err != nil {
		return nil, err
	}
	// Both records in one round when both addresses are good (the checks
	// below still run in the query server's order).
	keys := [][]byte{stakingtypes.GetValidatorKey(valAddr)}
	if del, err := q.s.codecs.acc.StringToBytes(req.DelegatorAddress); err == nil {
		keys = append(keys, stakingtypes.GetDelegationKey(del, valAddr))
	}
	q.prove(storeStaking, keys...)
	val, err := getValidator(q, valAddr)
	if err != nil {
		return nil, err
	}
	delAddr, err := q.s.codecs.acc.StringToBytes(req.DelegatorAddress)
	if err != nil {
		return nil, err
	}
	bz := q.staking().Get(stakingtypes.GetDelegationKey(delAddr, valAddr))
	if bz == nil {
		return nil, stakingtypes.ErrNoDelegation
	}
	del, err := stakingtypes.UnmarshalDelegation(q.s.codecs.cdc, bz)
	if err != nil {
		return nil, err
	}
	if q.failed() {
		return nil, nil
	}
	rewards, err := q.view.DelegationRewards(q.ctx, delAddr, val, del.Shares)
	if err != nil {
		q.fail(err)
		return nil, nil
	}
	return &distrtypes.QueryDelegationRewardsResponse{Rewards: rewards}, nil
}

func distrDelegationTotalRewards(q *provenQuery, req *distrtypes.QueryDelegationTotalRewardsRequest) (*distrtypes.QueryDelegationTotalRewardsResponse, error) {
	if req.DelegatorAddress == "" {
		return nil, status.Error(codes.InvalidArgument, "empty delegator address")
	}
	delAddr, err := q.s.codecs.acc.StringToBytes(req.DelegatorAddress)
	if err != nil {
		return nil, err
	}
	provePrefixDelegations(q, delAddr, req.DelegatorAddress)
	var dels []stakingtypes.Delegation
	it := prefix.NewStore(q.staking(), stakingtypes.GetDelegationsKey(delAddr)).Iterator(nil, nil)
	for ; it.Valid(); it.Next() {
		d, err := stakingtypes.UnmarshalDelegation(q.s.codecs.cdc, it.Value())
		if err != nil {
			it.Close()
			return nil, err
		}
		dels = append(dels, d)
	}
	it.Close()
	vals := make([]string, len(dels))
	for i, d := range dels {
		vals[i] = d.ValidatorAddress
	}
	proveValidators(q, vals)
	records := make([]stakingtypes.Validator, len(dels))
	for i, d := range dels {
		op, err := q.s.codecs.val.StringToBytes(d.GetValidatorAddr())
		if err != nil {
			return nil, err
		}
		if records[i], err = getValidator(q, op); err != nil {
			return nil, err
		}
	}
	if q.failed() {
		return nil, nil
	}
	// Each delegation's rewards from proven distribution state, a few at
	// a time; the list keeps the delegations' (store) order.
	rewards := make([]sdk.DecCoins, len(dels))
	g, gctx := errgroup.WithContext(q.ctx)
	g.SetLimit(8)
	for i := range dels {
		g.Go(func() error {
			r, err := q.view.DelegationRewards(gctx, delAddr, records[i], dels[i].Shares)
			rewards[i] = r
			return err
		})
	}
	if err := g.Wait(); err != nil {
		q.fail(err)
		return nil, nil
	}
	total := sdk.DecCoins{}
	var delRewards []distrtypes.DelegationDelegatorReward
	for i, d := range dels {
		delRewards = append(delRewards, distrtypes.NewDelegationDelegatorReward(d.GetValidatorAddr(), rewards[i]))
		total = total.Add(rewards[i]...)
	}
	return &distrtypes.QueryDelegationTotalRewardsResponse{Rewards: delRewards, Total: total}, nil
}

// provePrefixDelegations proves every delegation of a delegator, with
// the node's list as the hint.
func provePrefixDelegations(q *provenQuery, del sdk.AccAddress, bech string) {
	q.provePrefix(storeStaking, stakingtypes.GetDelegationsKey(del), nil,
		hint(q, "/cosmos.staking.v1beta1.Query/DelegatorDelegations",
			&stakingtypes.QueryDelegatorDelegationsRequest{DelegatorAddr: bech},
			func(r *stakingtypes.QueryDelegatorDelegationsResponse) [][]byte {
				var keys [][]byte
				for _, d := range r.DelegationResponses {
					if val, err := q.s.codecs.val.StringToBytes(d.Delegation.ValidatorAddress); err == nil {
						keys = append(keys, stakingtypes.GetDelegationKey(del, val))
					}
				}
				return keys
			}))
}
