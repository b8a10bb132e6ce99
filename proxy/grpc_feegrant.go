package proxy

import (
	"bytes"
	"errors"

	"cosmossdk.io/store/prefix"
	"cosmossdk.io/x/feegrant"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	"github.com/cosmos/cosmos-sdk/types/query"
	gogoproto "github.com/cosmos/gogoproto/proto"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// The feegrant query server (cosmossdk.io/x/feegrant v0.2.0 keeper
// grpc_query.go) over the proven feegrant store, with the module's own
// key functions:
//
//	0x00 lp(grantee) lp(granter) -> feegrant.Grant
//
// Keyed by grantee: the allowances an address received are one range.
// There is no index by granter, so AllowancesByGranter walks every
// allowance on the chain, as the query server does. Expired allowances
// the chain still stores are answered as the node answers them: the
// queries do not filter them (the chain prunes them when a block ends).

var feegrantMethods = []grpcMethod{
	rpc("/cosmos.feegrant.v1beta1.Query/Allowance", feegrantAllowance),
	rpc("/cosmos.feegrant.v1beta1.Query/Allowances", feegrantAllowances),
	rpc("/cosmos.feegrant.v1beta1.Query/AllowancesByGranter", feegrantAllowancesByGranter),
}

const storeFeegrant = "feegrant"

// feegrantHint turns a node's (unproven) allowances into store keys.
func feegrantHint(q *provenQuery, grants []*feegrant.Grant) [][]byte {
	keys := make([][]byte, 0, len(grants))
	for _, g := range grants {
		granter, err1 := q.s.codecs.acc.StringToBytes(g.Granter)
		grantee, err2 := q.s.codecs.acc.StringToBytes(g.Grantee)
		if err1 == nil && err2 == nil {
			keys = append(keys, feegrant.FeeAllowanceKey(granter, grantee))
		}
	}
	return keys
}

// internal is the query server's wrapping of an error as gRPC Internal;
// a value akw cannot decode stays a refusal.
func internal(err error) error {
	var unsup *errUnsupported
	if errors.As(err, &unsup) {
		return err
	}
	return status.Error(codes.Internal, err.Error())
}

func feegrantAllowance(q *provenQuery, req *feegrant.QueryAllowanceRequest) (*feegrant.QueryAllowanceResponse, error) {
	granterAddr, err := q.s.codecs.acc.StringToBytes(req.Granter)
	if err != nil {
		return nil, err
	}
	granteeAddr, err := q.s.codecs.acc.StringToBytes(req.Grantee)
	if err != nil {
		return nil, err
	}
	// Keeper.GetAllowance: the grant, then its allowance unpacked.
	key := feegrant.FeeAllowanceKey(granterAddr, granteeAddr)
	q.prove(storeFeegrant, key)
	bz := q.store(storeFeegrant).Get(key)
	if len(bz) == 0 {
		return nil, internal(sdkerrors.ErrNotFound.Wrap("fee-grant not found"))
	}
	var grant feegrant.Grant
	if err := (knownTypes{q.s.codecs.cdc}).Unmarshal(bz, &grant); err != nil {
		return nil, internal(err)
	}
	feeAllowance, err := grant.GetGrant()
	if err != nil {
		return nil, internal(err)
	}
	msg, ok := feeAllowance.(gogoproto.Message)
	if !ok {
		return nil, status.Errorf(codes.Internal, "can't proto marshal %T", msg)
	}
	feeAllowanceAny, err := codectypes.NewAnyWithValue(msg)
	if err != nil {
		return nil, internal(err)
	}
	return &feegrant.QueryAllowanceResponse{
		Allowance: &feegrant.Grant{Granter: req.Granter, Grantee: req.Grantee, Allowance: feeAllowanceAny},
	}, nil
}

func feegrantAllowances(q *provenQuery, req *feegrant.QueryAllowancesRequest) (*feegrant.QueryAllowancesResponse, error) {
	granteeAddr, err := q.s.codecs.acc.StringToBytes(req.Grantee)
	if err != nil {
		return nil, err
	}
	pfx := feegrant.FeeAllowancePrefixByGrantee(granteeAddr)
	q.provePrefix(storeFeegrant, pfx, nil,
		hint(q, "/cosmos.feegrant.v1beta1.Query/Allowances",
			&feegrant.QueryAllowancesRequest{Grantee: req.Grantee, Pagination: &query.PageRequest{Limit: 1000}},
			func(r *feegrant.QueryAllowancesResponse) [][]byte { return feegrantHint(q, r.Allowances) }))
	cdc := knownTypes{q.s.codecs.cdc}
	var grants []*feegrant.Grant
	pageRes, err := query.Paginate(prefix.NewStore(q.store(storeFeegrant), pfx), req.Pagination, func(_, value []byte) error {
		var grant feegrant.Grant
		if err := cdc.Unmarshal(value, &grant); err != nil {
			return err
		}
		grants = append(grants, &grant)
		return nil
	})
	if err != nil {
		return nil, internal(err)
	}
	return &feegrant.QueryAllowancesResponse{Allowances: grants, Pagination: pageRes}, nil
}

// feegrantAllowancesByGranter walks every allowance on the chain (the
// store has no index by granter); the node's list of the granter's
// allowances is the hint, the walk proves the rest.
func feegrantAllowancesByGranter(q *provenQuery, req *feegrant.QueryAllowancesByGranterRequest) (*feegrant.QueryAllowancesByGranterResponse, error) {
	granterAddr, err := q.s.codecs.acc.StringToBytes(req.Granter)
	if err != nil {
		return nil, err
	}
	q.provePrefix(storeFeegrant, feegrant.FeeAllowanceKeyPrefix, nil,
		hint(q, "/cosmos.feegrant.v1beta1.Query/AllowancesByGranter",
			&feegrant.QueryAllowancesByGranterRequest{Granter: req.Granter, Pagination: &query.PageRequest{Limit: 1000}},
			func(r *feegrant.QueryAllowancesByGranterResponse) [][]byte { return feegrantHint(q, r.Allowances) }))
	prefixStore := prefix.NewStore(q.store(storeFeegrant), feegrant.FeeAllowanceKeyPrefix)
	grants, pageRes, err := query.GenericFilteredPaginate(knownTypes{q.s.codecs.cdc}, prefixStore, req.Pagination, func(key []byte, grant *feegrant.Grant) (*feegrant.Grant, error) {
		granter, _ := feegrant.ParseAddressesFromFeeAllowanceKey(append(bytes.Clone(feegrant.FeeAllowanceKeyPrefix), key...))
		if !bytes.Equal(granter, granterAddr) {
			return nil, nil
		}
		return grant, nil
	}, func() *feegrant.Grant { return &feegrant.Grant{} })
	if err != nil {
		return nil, internal(err)
	}
	return &feegrant.QueryAllowancesByGranterResponse{Allowances: grants, Pagination: pageRes}, nil
}
