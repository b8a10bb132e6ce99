package proxy

import (
	"strings"

	"cosmossdk.io/store/prefix"
	storetypes "cosmossdk.io/store/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// The staking query server (cosmos-sdk v0.53 x/staking/keeper
// grpc_query.go), over the proven staking store. x/staking reads its
// store directly (no collections): the keys are the SDK's own key
// functions.

var stakingMethods = []grpcMethod{
	rpc("/cosmos.staking.v1beta1.Query/Validators", stakingValidators),
	rpc("/cosmos.staking.v1beta1.Query/Validator", stakingValidator),
	rpc("/cosmos.staking.v1beta1.Query/Delegation", stakingDelegation),
	rpc("/cosmos.staking.v1beta1.Query/DelegatorDelegations", stakingDelegatorDelegations),
	rpc("/cosmos.staking.v1beta1.Query/UnbondingDelegation", stakingUnbondingDelegation),
	rpc("/cosmos.staking.v1beta1.Query/DelegatorUnbondingDelegations", stakingDelegatorUnbondingDelegations),
	rpc("/cosmos.staking.v1beta1.Query/Redelegations", stakingRedelegations),
	rpc("/cosmos.staking.v1beta1.Query/Params", stakingParams),
}

const storeStaking = "staking"

func (q *provenQuery) staking() storetypes.KVStore { return q.store(storeStaking) }

func stakingValidators(q *provenQuery, req *stakingtypes.QueryValidatorsRequest) (*stakingtypes.QueryValidatorsResponse, error) {
	if req.Status != "" && (req.Status != stakingtypes.Bonded.String() && req.Status != stakingtypes.Unbonded.String() && req.Status != stakingtypes.Unbonding.String()) {
		return nil, status.Errorf(codes.InvalidArgument, "invalid validator status %s", req.Status)
	}
	// Every validator record, proven complete; the node's list of all of
	// them is the hint.
	q.provePrefix(storeStaking, stakingtypes.ValidatorsKey, nil,
		hint(q, "/cosmos.staking.v1beta1.Query/Validators",
			&stakingtypes.QueryValidatorsRequest{Pagination: &query.PageRequest{Limit: 1000}},
			func(r *stakingtypes.QueryValidatorsResponse) [][]byte {
				keys := make([][]byte, 0, len(r.Validators))
				for _, v := range r.Validators {
					if op, err := q.s.codecs.val.StringToBytes(v.OperatorAddress); err == nil {
						keys = append(keys, stakingtypes.GetValidatorKey(op))
					}
				}
				return keys
			}))
	valStore := prefix.NewStore(q.staking(), stakingtypes.ValidatorsKey)
	validators, pageRes, err := query.GenericFilteredPaginate(q.s.codecs.cdc, valStore, req.Pagination, func(_ []byte, val *stakingtypes.Validator) (*stakingtypes.Validator, error) {
		if req.Status != "" && !strings.EqualFold(val.GetStatus().String(), req.Status) {
			return nil, nil
		}
		return val, nil
	}, func() *stakingtypes.Validator { return &stakingtypes.Validator{} })
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	vals := stakingtypes.Validators{}
	for _, v := range validators {
		vals.Validators = append(vals.Validators, *v)
	}
	return &stakingtypes.QueryValidatorsResponse{Validators: vals.Validators, Pagination: pageRes}, nil
}

func stakingValidator(q *provenQuery, req *stakingtypes.QueryValidatorRequest) (*stakingtypes.QueryValidatorResponse, error) {
	if req.ValidatorAddr == "" {
		return nil, status.Error(codes.InvalidArgument, "validator address cannot be empty")
	}
	valAddr, err := q.s.codecs.val.StringToBytes(req.ValidatorAddr)
	if err != nil {
		return nil, err
	}
	validator, err := getValidator(q, valAddr)
	if err != nil {
		return nil, status.Errorf(codes.NotFound, "validator %s not found", req.ValidatorAddr)
	}
	return &stakingtypes.QueryValidatorResponse{Validator: validator}, nil
}

// getValidator is Keeper.GetValidator.
func getValidator(q *provenQuery, addr sdk.ValAddress) (stakingtypes.Validator, error) {
	value := q.staking().Get(stakingtypes.GetValidatorKey(addr))
	if value == nil {
		return stakingtypes.Validator{}, stakingtypes.ErrNoValidatorFound
	}
	return stakingtypes.UnmarshalValidator(q.s.codecs.cdc, value)
}

// getParams is Keeper.GetParams.
func getStakingParams(q *provenQuery) (stakingtypes.Params, error) {
	var params stakingtypes.Params
	bz := q.staking().Get(stakingtypes.ParamsKey)
	if bz == nil {
		return params, nil
	}
	err := q.s.codecs.cdc.Unmarshal(bz, &params)
	return params, err
}

func stakingDelegation(q *provenQuery, req *stakingtypes.QueryDelegationRequest) (*stakingtypes.QueryDelegationResponse, error) {
	if req.DelegatorAddr == "" {
		return nil, status.Error(codes.InvalidArgument, "delegator address cannot be empty")
	}
	if req.ValidatorAddr == "" {
		return nil, status.Error(codes.InvalidArgument, "validator address cannot be empty")
	}
	delAddr, err := q.s.codecs.acc.StringToBytes(req.DelegatorAddr)
	if err != nil {
		return nil, err
	}
	valAddr, err := q.s.codecs.val.StringToBytes(req.ValidatorAddr)
	if err != nil {
		return nil, err
	}
	// What the answer reads, in one round.
	q.prove(storeStaking, stakingtypes.GetDelegationKey(delAddr, valAddr), stakingtypes.GetValidatorKey(valAddr), stakingtypes.ParamsKey)
	bz := q.staking().Get(stakingtypes.GetDelegationKey(delAddr, valAddr))
	if bz == nil {
		return nil, status.Errorf(codes.NotFound, "delegation with delegator %s not found for validator %s", req.DelegatorAddr, req.ValidatorAddr)
	}
	delegation, err := stakingtypes.UnmarshalDelegation(q.s.codecs.cdc, bz)
	if err != nil {
		return nil, status.Errorf(codes.NotFound, "delegation with delegator %s not found for validator %s", req.DelegatorAddr, req.ValidatorAddr)
	}
	resp, err := delegationResponse(q, delegation)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &stakingtypes.QueryDelegationResponse{DelegationResponse: &resp}, nil
}

// delegationResponse is delegationToDelegationResponse.
func delegationResponse(q *provenQuery, del stakingtypes.Delegation) (stakingtypes.DelegationResponse, error) {
	valAddr, err := q.s.codecs.val.StringToBytes(del.GetValidatorAddr())
	if err != nil {
		return stakingtypes.DelegationResponse{}, err
	}
	val, err := getValidator(q, valAddr)
	if err != nil {
		return stakingtypes.DelegationResponse{}, err
	}
	if _, err := q.s.codecs.acc.StringToBytes(del.DelegatorAddress); err != nil {
		return stakingtypes.DelegationResponse{}, err
	}
	params, err := getStakingParams(q)
	if err != nil {
		return stakingtypes.DelegationResponse{}, err
	}
	return stakingtypes.NewDelegationResp(del.DelegatorAddress, del.GetValidatorAddr(), del.Shares,
		sdk.NewCoin(params.BondDenom, val.TokensFromShares(del.Shares).TruncateInt())), nil
}

// proveValidators proves, in one round, the records a list of answers
// will read.
func proveValidators(q *provenQuery, bech32s []string) {
	keys := make([][]byte, 0, len(bech32s))
	for _, b := range bech32s {
		if op, err := q.s.codecs.val.StringToBytes(b); err == nil {
			keys = append(keys, stakingtypes.GetValidatorKey(op))
		}
	}
	q.prove(storeStaking, keys...)
}

func stakingDelegatorDelegations(q *provenQuery, req *stakingtypes.QueryDelegatorDelegationsRequest) (*stakingtypes.QueryDelegatorDelegationsResponse, error) {
	if req.DelegatorAddr == "" {
		return nil, status.Error(codes.InvalidArgument, "delegator address cannot be empty")
	}
	delAddr, err := q.s.codecs.acc.StringToBytes(req.DelegatorAddr)
	if err != nil {
		return nil, err
	}
	q.provePrefix(storeStaking, stakingtypes.GetDelegationsKey(delAddr), nil,
		hint(q, "/cosmos.staking.v1beta1.Query/DelegatorDelegations",
			&stakingtypes.QueryDelegatorDelegationsRequest{DelegatorAddr: req.DelegatorAddr, Pagination: &query.PageRequest{Limit: 1000}},
			func(r *stakingtypes.QueryDelegatorDelegationsResponse) [][]byte {
				var keys [][]byte
				for _, d := range r.DelegationResponses {
					if val, err := q.s.codecs.val.StringToBytes(d.Delegation.ValidatorAddress); err == nil {
						keys = append(keys, stakingtypes.GetDelegationKey(delAddr, val))
					}
				}
				return keys
			}))
	var delegations stakingtypes.Delegations
	delStore := prefix.NewStore(q.staking(), stakingtypes.GetDelegationsKey(delAddr))
	pageRes, err := query.Paginate(delStore, req.Pagination, func(_, value []byte) error {
		delegation, err := stakingtypes.UnmarshalDelegation(q.s.codecs.cdc, value)
		if err != nil {
			return err
		}
		delegations = append(delegations, delegation)
		return nil
	})
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	vals := make([]string, len(delegations))
	for i, d := range delegations {
		vals[i] = d.ValidatorAddress
	}
	proveValidators(q, vals)
	q.prove(storeStaking, stakingtypes.ParamsKey)
	resps := make(stakingtypes.DelegationResponses, len(delegations))
	for i, d := range delegations {
		if resps[i], err = delegationResponse(q, d); err != nil {
			return nil, status.Error(codes.Internal, err.Error())
		}
	}
	return &stakingtypes.QueryDelegatorDelegationsResponse{DelegationResponses: resps, Pagination: pageRes}, nil
}

func stakingUnbondingDelegation(q *provenQuery, req *stakingtypes.QueryUnbondingDelegationRequest) (*stakingtypes.QueryUnbondingDelegationResponse, error) {
	if req.DelegatorAddr == "" {
		return nil, status.Errorf(codes.InvalidArgument, "delegator address cannot be empty")
	}
	if req.ValidatorAddr == "" {
		return nil, status.Errorf(codes.InvalidArgument, "validator address cannot be empty")
	}
	delAddr, err := q.s.codecs.acc.StringToBytes(req.DelegatorAddr)
	if err != nil {
		return nil, err
	}
	valAddr, err := q.s.codecs.val.StringToBytes(req.ValidatorAddr)
	if err != nil {
		return nil, err
	}
	bz := q.staking().Get(stakingtypes.GetUBDKey(delAddr, valAddr))
	var unbond stakingtypes.UnbondingDelegation
	if bz != nil {
		unbond, err = stakingtypes.UnmarshalUBD(q.s.codecs.cdc, bz)
	}
	if bz == nil || err != nil {
		return nil, status.Errorf(codes.NotFound, "unbonding delegation with delegator %s not found for validator %s", req.DelegatorAddr, req.ValidatorAddr)
	}
	return &stakingtypes.QueryUnbondingDelegationResponse{Unbond: unbond}, nil
}

func stakingDelegatorUnbondingDelegations(q *provenQuery, req *stakingtypes.QueryDelegatorUnbondingDelegationsRequest) (*stakingtypes.QueryDelegatorUnbondingDelegationsResponse, error) {
	if req.DelegatorAddr == "" {
		return nil, status.Error(codes.InvalidArgument, "delegator address cannot be empty")
	}
	delAddr, err := q.s.codecs.acc.StringToBytes(req.DelegatorAddr)
	if err != nil {
		return nil, err
	}
	q.provePrefix(storeStaking, stakingtypes.GetUBDsKey(delAddr), nil,
		hint(q, "/cosmos.staking.v1beta1.Query/DelegatorUnbondingDelegations",
			&stakingtypes.QueryDelegatorUnbondingDelegationsRequest{DelegatorAddr: req.DelegatorAddr, Pagination: &query.PageRequest{Limit: 1000}},
			func(r *stakingtypes.QueryDelegatorUnbondingDelegationsResponse) [][]byte {
				var keys [][]byte
				for _, u := range r.UnbondingResponses {
					if val, err := q.s.codecs.val.StringToBytes(u.ValidatorAddress); err == nil {
						keys = append(keys, stakingtypes.GetUBDKey(delAddr, val))
					}
				}
				return keys
			}))
	var ubds stakingtypes.UnbondingDelegations
	unbStore := prefix.NewStore(q.staking(), stakingtypes.GetUBDsKey(delAddr))
	pageRes, err := query.Paginate(unbStore, req.Pagination, func(_, value []byte) error {
		unbond, err := stakingtypes.UnmarshalUBD(q.s.codecs.cdc, value)
		if err != nil {
			return err
		}
		ubds = append(ubds, unbond)
		return nil
	})
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &stakingtypes.QueryDelegatorUnbondingDelegationsResponse{UnbondingResponses: ubds, Pagination: pageRes}, nil
}

func stakingParams(q *provenQuery, _ *stakingtypes.QueryParamsRequest) (*stakingtypes.QueryParamsResponse, error) {
	params, err := getStakingParams(q)
	if err != nil {
		return nil, err
	}
	return &stakingtypes.QueryParamsResponse{Params: params}, nil
}
