package proxy

import (
	"cosmossdk.io/store/prefix"
	"github.com/cosmos/cosmos-sdk/types/query"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/akash-wallet/akw/lightclient/proof"
)

// Redelegations is x/staking's query of the same name, in its three
// forms: one (delegator, source, destination) triple; every redelegation
// out of a source validator (through the index by source); every
// redelegation of a delegator.
func stakingRedelegations(q *provenQuery, req *stakingtypes.QueryRedelegationsRequest) (*stakingtypes.QueryRedelegationsResponse, error) {
	var (
		redels  stakingtypes.Redelegations
		pageRes *query.PageResponse
		err     error
	)
	switch {
	case req.DelegatorAddr != "" && req.SrcValidatorAddr != "" && req.DstValidatorAddr != "":
		redels, err = oneRedelegation(q, req)
	case req.DelegatorAddr == "" && req.SrcValidatorAddr != "" && req.DstValidatorAddr == "":
		redels, pageRes, err = redelegationsFromSrc(q, req)
	default:
		redels, pageRes, err = allRedelegations(q, req)
	}
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	dsts := make([]string, len(redels))
	for i, r := range redels {
		dsts[i] = r.ValidatorDstAddress
	}
	proveValidators(q, dsts)
	resps, err := redelegationResponses(q, redels)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &stakingtypes.QueryRedelegationsResponse{RedelegationResponses: resps, Pagination: pageRes}, nil
}

func oneRedelegation(q *provenQuery, req *stakingtypes.QueryRedelegationsRequest) (stakingtypes.Redelegations, error) {
	del, err := q.s.codecs.acc.StringToBytes(req.DelegatorAddr)
	if err != nil {
		return nil, err
	}
	src, err := q.s.codecs.val.StringToBytes(req.SrcValidatorAddr)
	if err != nil {
		return nil, err
	}
	dst, err := q.s.codecs.val.StringToBytes(req.DstValidatorAddr)
	if err != nil {
		return nil, err
	}
	q.prove(storeStaking, stakingtypes.GetREDKey(del, src, dst), stakingtypes.GetValidatorKey(dst))
	bz := q.staking().Get(stakingtypes.GetREDKey(del, src, dst))
	var red stakingtypes.Redelegation
	if bz != nil {
		red, err = stakingtypes.UnmarshalRED(q.s.codecs.cdc, bz)
	}
	if bz == nil || err != nil {
		return nil, status.Errorf(codes.NotFound, "redelegation not found for delegator address %s from validator address %s",
			req.DelegatorAddr, req.SrcValidatorAddr)
	}
	return stakingtypes.Redelegations{red}, nil
}

func redelegationsFromSrc(q *provenQuery, req *stakingtypes.QueryRedelegationsRequest) (stakingtypes.Redelegations, *query.PageResponse, error) {
	src, err := q.s.codecs.val.StringToBytes(req.SrcValidatorAddr)
	if err != nil {
		return nil, nil, err
	}
	srcPrefix := stakingtypes.GetREDsFromValSrcIndexKey(src)
	q.provePrefix(storeStaking, srcPrefix, nil,
		hint(q, "/cosmos.staking.v1beta1.Query/Redelegations",
			&stakingtypes.QueryRedelegationsRequest{SrcValidatorAddr: req.SrcValidatorAddr, Pagination: &query.PageRequest{Limit: 1000}},
			func(r *stakingtypes.QueryRedelegationsResponse) [][]byte {
				var keys [][]byte
				for _, rr := range r.RedelegationResponses {
					del, err1 := q.s.codecs.acc.StringToBytes(rr.Redelegation.DelegatorAddress)
					dst, err2 := q.s.codecs.val.StringToBytes(rr.Redelegation.ValidatorDstAddress)
					if err1 == nil && err2 == nil {
						keys = append(keys, stakingtypes.GetREDByValSrcIndexKey(del, src, dst))
					}
				}
				return keys
			}))
	// The records the index points to, in one round.
	var recs [][]byte
	it := q.staking().Iterator(srcPrefix, proof.PrefixEnd(srcPrefix))
	for ; it.Valid(); it.Next() {
		recs = append(recs, stakingtypes.GetREDKeyFromValSrcIndexKey(it.Key()))
	}
	it.Close()
	q.prove(storeStaking, recs...)

	var redels stakingtypes.Redelegations
	redStore := prefix.NewStore(q.staking(), srcPrefix)
	res, err := query.Paginate(redStore, req.Pagination, func(key, _ []byte) error {
		storeKey := stakingtypes.GetREDKeyFromValSrcIndexKey(append(append([]byte{}, srcPrefix...), key...))
		red, err := stakingtypes.UnmarshalRED(q.s.codecs.cdc, q.staking().Get(storeKey))
		if err != nil {
			return err
		}
		redels = append(redels, red)
		return nil
	})
	return redels, res, err
}

func allRedelegations(q *provenQuery, req *stakingtypes.QueryRedelegationsRequest) (stakingtypes.Redelegations, *query.PageResponse, error) {
	del, err := q.s.codecs.acc.StringToBytes(req.DelegatorAddr)
	if err != nil {
		return nil, nil, err
	}
	q.provePrefix(storeStaking, stakingtypes.GetREDsKey(del), nil,
		hint(q, "/cosmos.staking.v1beta1.Query/Redelegations",
			&stakingtypes.QueryRedelegationsRequest{DelegatorAddr: req.DelegatorAddr, Pagination: &query.PageRequest{Limit: 1000}},
			func(r *stakingtypes.QueryRedelegationsResponse) [][]byte {
				var keys [][]byte
				for _, rr := range r.RedelegationResponses {
					src, err1 := q.s.codecs.val.StringToBytes(rr.Redelegation.ValidatorSrcAddress)
					dst, err2 := q.s.codecs.val.StringToBytes(rr.Redelegation.ValidatorDstAddress)
					if err1 == nil && err2 == nil {
						keys = append(keys, stakingtypes.GetREDKey(del, src, dst))
					}
				}
				return keys
			}))
	var redels stakingtypes.Redelegations
	redStore := prefix.NewStore(q.staking(), stakingtypes.GetREDsKey(del))
	res, err := query.Paginate(redStore, req.Pagination, func(_, value []byte) error {
		red, err := stakingtypes.UnmarshalRED(q.s.codecs.cdc, value)
		if err != nil {
			return err
		}
		redels = append(redels, red)
		return nil
	})
	return redels, res, err
}

// redelegationResponses is redelegationsToRedelegationResponses.
func redelegationResponses(q *provenQuery, redels stakingtypes.Redelegations) (stakingtypes.RedelegationResponses, error) {
	resp := make(stakingtypes.RedelegationResponses, len(redels))
	for i, redel := range redels {
		if _, err := q.s.codecs.val.StringToBytes(redel.ValidatorSrcAddress); err != nil {
			return nil, err
		}
		dst, err := q.s.codecs.val.StringToBytes(redel.ValidatorDstAddress)
		if err != nil {
			return nil, err
		}
		if _, err := q.s.codecs.acc.StringToBytes(redel.DelegatorAddress); err != nil {
			return nil, err
		}
		val, err := getValidator(q, dst)
		if err != nil {
			return nil, err
		}
		entries := make([]stakingtypes.RedelegationEntryResponse, len(redel.Entries))
		for j, e := range redel.Entries {
			entries[j] = stakingtypes.NewRedelegationEntryResponse(e.CreationHeight, e.CompletionTime, e.SharesDst,
				e.InitialBalance, val.TokensFromShares(e.SharesDst).TruncateInt(), e.UnbondingId)
		}
		resp[i] = stakingtypes.NewRedelegationResponse(redel.DelegatorAddress, redel.ValidatorSrcAddress, redel.ValidatorDstAddress, entries)
	}
	return resp, nil
}
