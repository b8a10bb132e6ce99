package proxy

import (
	"bytes"
	"fmt"

	"cosmossdk.io/errors"
	"cosmossdk.io/store/prefix"
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/address"
	"github.com/cosmos/cosmos-sdk/types/query"
	"github.com/cosmos/cosmos-sdk/x/authz"
	gogoproto "github.com/cosmos/gogoproto/proto"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// The authz query server (cosmos-sdk v0.53 x/authz/keeper grpc_query.go)
// over the proven authz store. x/authz reads its store directly (no
// collections); its key functions are unexported, so grantStoreKey and
// parseGrantStoreKey below are the keeper's, byte for byte:
//
//	0x01 lp(granter) lp(grantee) msgTypeURL -> authz.Grant
//
// The queries do not filter expired grants: a grant the chain still
// stores is answered whatever its expiration (the node prunes expired
// grants when a block begins), so neither does the proxy.
//
// Akash's SDK fork keeps reverse indexes by grantee (0x03, 0x04) and
// answers these queries with its own code: other keys for a message type,
// other paging defaults, another walk for GranteeGrants, and its versions
// differ. On such a chain the proxy refuses them rather than answer what
// an upstream node would (`akw query grants` proves the grants on either
// layout).

var authzMethods = []grpcMethod{
	rpc("/cosmos.authz.v1beta1.Query/Grants", authzGrants),
	rpc("/cosmos.authz.v1beta1.Query/GranterGrants", authzGranterGrants),
	rpc("/cosmos.authz.v1beta1.Query/GranteeGrants", authzGranteeGrants),
}

const storeAuthz = "authz"

var (
	authzGrantKey          = []byte{0x01}
	authzGranteeIndexStart = []byte{0x03} // Akash's fork: 0x03 lp(grantee) ...
	authzGranteeIndexEnd   = []byte{0x04}
)

// grantStoreKey is the keeper's: 0x01 lp(granter) lp(grantee) msgType,
// with an empty address leaving its part out (a prefix).
func grantStoreKey(grantee, granter sdk.AccAddress, msgType string) []byte {
	return sdk.AppendLengthPrefixedBytes(authzGrantKey, address.MustLengthPrefix(granter), address.MustLengthPrefix(grantee), []byte(msgType))
}

// parseGrantStoreKey is the keeper's; it panics on a key too short, as
// the keeper does (the query's guard turns that into a refusal).
func parseGrantStoreKey(key []byte) (granterAddr, granteeAddr sdk.AccAddress, msgType string) {
	granterAddrLen, granterAddrLenEndIndex := sdk.ParseLengthPrefixedBytes(key, 1, 1)
	granterAddr, granterAddrEndIndex := sdk.ParseLengthPrefixedBytes(key, granterAddrLenEndIndex+1, int(granterAddrLen[0]))
	granteeAddrLen, granteeAddrLenEndIndex := sdk.ParseLengthPrefixedBytes(key, granterAddrEndIndex+1, 1)
	granteeAddr, granteeAddrEndIndex := sdk.ParseLengthPrefixedBytes(key, granteeAddrLenEndIndex+1, int(granteeAddrLen[0]))
	if len(key) < granteeAddrEndIndex+1 {
		panic(fmt.Sprintf("proxy: grant key %X has no message type", key))
	}
	return granterAddr, granteeAddr, string(key[granteeAddrEndIndex+1:])
}

// upstreamAuthz proves whether the authz store is upstream's: the proof
// of the key 0x03 (no key is one byte long, so it is absent on either
// layout) names its right neighbour, and a chain with Akash's grantee
// index has an entry under 0x03. It decides as state.View.GranteeIndexed
// does, but through the query's proven store, so that keys are proven in
// the same round. On the fork's layout the query is refused
// (errUnsupported).
func upstreamAuthz(q *provenQuery, keys ...[]byte) error {
	q.prove(storeAuthz, append([][]byte{authzGranteeIndexStart}, keys...)...)
	if q.failed() {
		return nil // the refusal is q.err
	}
	indexed, err := hasGranteeIndex(q.store(storeAuthz))
	if err != nil {
		return err
	}
	if indexed {
		return &errUnsupported{reason: "this chain's authz store keeps Akash's grantee index (authz 0x03): its node answers the authz queries with the Akash SDK fork's own code, which akw does not reproduce; `akw query grants` proves grants on this chain"}
	}
	return nil
}

// hasGranteeIndex reports whether the proven entries of the authz store,
// once the key 0x03 is proven (with its neighbours), hold any under 0x03.
func hasGranteeIndex(st *provenStore) (bool, error) {
	it, err := st.DB.Iterator(authzGranteeIndexStart, authzGranteeIndexEnd)
	if err != nil {
		return false, err
	}
	defer it.Close()
	return it.Valid(), nil
}

// knownTypes decodes stored values whose Any fields the node unpacks
// through its registry. A value that parses but holds a type akw's
// registry does not know (a chain's own authorization or allowance) makes
// the answer a refusal: the node, which knows the type, would answer it,
// and an error in its place would be an answer the node never gives.
type knownTypes struct{ codec.Codec }

func (c knownTypes) Unmarshal(bz []byte, ptr gogoproto.Message) error {
	err := c.Codec.Unmarshal(bz, ptr)
	if err != nil && gogoproto.Unmarshal(bz, ptr) == nil {
		return &errUnsupported{reason: fmt.Sprintf("a %s in the answer holds a type akw cannot decode (%v); the node re-encodes it through its own registry", gogoproto.MessageName(ptr), err)}
	}
	return err
}

// authorizationAny is the grant's authorization re-encoded as the query
// server encodes it (GetAuthorization, then NewAnyWithValue).
func authorizationAny(g *authz.Grant) (*codectypes.Any, error) {
	a, err := g.GetAuthorization()
	if err != nil {
		return nil, err
	}
	out, err := codectypes.NewAnyWithValue(a)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return out, nil
}

// authzHint turns a node's (unproven) grants into store keys.
func authzHint(q *provenQuery, grants []*authz.GrantAuthorization) [][]byte {
	keys := make([][]byte, 0, len(grants))
	for _, g := range grants {
		granter, err1 := q.s.codecs.acc.StringToBytes(g.Granter)
		grantee, err2 := q.s.codecs.acc.StringToBytes(g.Grantee)
		if err1 != nil || err2 != nil || g.Authorization == nil {
			continue
		}
		if a, ok := g.Authorization.GetCachedValue().(authz.Authorization); ok {
			keys = append(keys, grantStoreKey(grantee, granter, a.MsgTypeURL()))
		}
	}
	return keys
}

func authzGrants(q *provenQuery, req *authz.QueryGrantsRequest) (*authz.QueryGrantsResponse, error) {
	granter, err := q.s.codecs.acc.StringToBytes(req.Granter)
	if err != nil {
		return nil, err
	}
	grantee, err := q.s.codecs.acc.StringToBytes(req.Grantee)
	if err != nil {
		return nil, err
	}
	cdc := knownTypes{q.s.codecs.cdc}

	if req.MsgTypeUrl != "" {
		skey := grantStoreKey(grantee, granter, req.MsgTypeUrl)
		if err := upstreamAuthz(q, skey); err != nil {
			return nil, err
		}
		bz := q.store(storeAuthz).Get(skey)
		if bz == nil {
			return nil, errors.Wrapf(authz.ErrNoAuthorizationFound, "authorization not found for %s type", req.MsgTypeUrl)
		}
		var grant authz.Grant
		if err := cdc.Unmarshal(bz, &grant); err != nil {
			return nil, err
		}
		a, err := authorizationAny(&grant)
		if err != nil {
			return nil, err
		}
		return &authz.QueryGrantsResponse{
			Grants: []*authz.Grant{{Authorization: a, Expiration: grant.Expiration}},
		}, nil
	}

	if err := upstreamAuthz(q); err != nil {
		return nil, err
	}
	key := grantStoreKey(grantee, granter, "")
	q.provePrefix(storeAuthz, key, nil,
		hint(q, "/cosmos.authz.v1beta1.Query/Grants",
			&authz.QueryGrantsRequest{Granter: req.Granter, Grantee: req.Grantee, Pagination: &query.PageRequest{Limit: 1000}},
			func(r *authz.QueryGrantsResponse) [][]byte {
				keys := make([][]byte, 0, len(r.Grants))
				for _, g := range r.Grants {
					if a, err := g.GetAuthorization(); err == nil {
						keys = append(keys, grantStoreKey(grantee, granter, a.MsgTypeURL()))
					}
				}
				return keys
			}))
	grantsStore := prefix.NewStore(q.store(storeAuthz), key)
	authorizations, pageRes, err := query.GenericFilteredPaginate(cdc, grantsStore, req.Pagination, func(_ []byte, auth *authz.Grant) (*authz.Grant, error) {
		a, err := authorizationAny(auth)
		if err != nil {
			return nil, err
		}
		return &authz.Grant{Authorization: a, Expiration: auth.Expiration}, nil
	}, func() *authz.Grant { return &authz.Grant{} })
	if err != nil {
		return nil, err
	}
	return &authz.QueryGrantsResponse{Grants: authorizations, Pagination: pageRes}, nil
}

func authzGranterGrants(q *provenQuery, req *authz.QueryGranterGrantsRequest) (*authz.QueryGranterGrantsResponse, error) {
	granter, err := q.s.codecs.acc.StringToBytes(req.Granter)
	if err != nil {
		return nil, err
	}
	if err := upstreamAuthz(q); err != nil {
		return nil, err
	}
	key := grantStoreKey(nil, granter, "")
	q.provePrefix(storeAuthz, key, nil,
		hint(q, "/cosmos.authz.v1beta1.Query/GranterGrants",
			&authz.QueryGranterGrantsRequest{Granter: req.Granter, Pagination: &query.PageRequest{Limit: 1000}},
			func(r *authz.QueryGranterGrantsResponse) [][]byte { return authzHint(q, r.Grants) }))
	authzStore := prefix.NewStore(q.store(storeAuthz), key)
	grants, pageRes, err := query.GenericFilteredPaginate(knownTypes{q.s.codecs.cdc}, authzStore, req.Pagination, func(key []byte, auth *authz.Grant) (*authz.GrantAuthorization, error) {
		a, err := authorizationAny(auth)
		if err != nil {
			return nil, err
		}
		// firstAddressFromGrantStoreKey: the key starts at lp(grantee).
		grantee := sdk.AccAddress(key[1 : 1+key[0]])
		return &authz.GrantAuthorization{
			Granter:       req.Granter,
			Grantee:       q.s.codecs.accString(grantee),
			Authorization: a,
			Expiration:    auth.Expiration,
		}, nil
	}, func() *authz.Grant { return &authz.Grant{} })
	if err != nil {
		return nil, err
	}
	return &authz.QueryGranterGrantsResponse{Grants: grants, Pagination: pageRes}, nil
}

// authzGranteeGrants walks every grant on the chain, as the query server
// does: upstream's store has no index by grantee. The node's list of the
// grantee's grants is the hint; the walk proves the rest.
func authzGranteeGrants(q *provenQuery, req *authz.QueryGranteeGrantsRequest) (*authz.QueryGranteeGrantsResponse, error) {
	grantee, err := q.s.codecs.acc.StringToBytes(req.Grantee)
	if err != nil {
		return nil, err
	}
	if err := upstreamAuthz(q); err != nil {
		return nil, err
	}
	q.provePrefix(storeAuthz, authzGrantKey, nil,
		hint(q, "/cosmos.authz.v1beta1.Query/GranteeGrants",
			&authz.QueryGranteeGrantsRequest{Grantee: req.Grantee, Pagination: &query.PageRequest{Limit: 1000}},
			func(r *authz.QueryGranteeGrantsResponse) [][]byte { return authzHint(q, r.Grants) }))
	store := prefix.NewStore(q.store(storeAuthz), authzGrantKey)
	authorizations, pageRes, err := query.GenericFilteredPaginate(knownTypes{q.s.codecs.cdc}, store, req.Pagination, func(key []byte, auth *authz.Grant) (*authz.GrantAuthorization, error) {
		// The query server unpacks the authorization before it filters.
		if _, err := auth.GetAuthorization(); err != nil {
			return nil, err
		}
		granter, g, _ := parseGrantStoreKey(append(bytes.Clone(authzGrantKey), key...))
		if !bytes.Equal(g, grantee) {
			return nil, nil
		}
		a, err := authorizationAny(auth)
		if err != nil {
			return nil, err
		}
		return &authz.GrantAuthorization{
			Authorization: a,
			Expiration:    auth.Expiration,
			Granter:       q.s.codecs.accString(granter),
			Grantee:       req.Grantee,
		}, nil
	}, func() *authz.Grant { return &authz.Grant{} })
	if err != nil {
		return nil, err
	}
	return &authz.QueryGranteeGrantsResponse{Grants: authorizations, Pagination: pageRes}, nil
}
