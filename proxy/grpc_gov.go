package proxy

import (
	"encoding/json"
	"fmt"

	"cosmossdk.io/collections"
	collcodec "cosmossdk.io/collections/codec"
	"cosmossdk.io/errors"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	gogoproto "github.com/cosmos/gogoproto/proto"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// The gov v1 query server (cosmos-sdk v0.53 x/gov/keeper grpc_query.go)
// over the proven gov store, with the keeper's collections.
//
// A proposal's messages are Any values of whatever message types the
// chain knows; they are kept as the bytes they are (never unpacked), so
// an answer re-encodes them unchanged without akw knowing every type.

var (
	govSchema    = collections.NewSchemaBuilder(storeService("gov"))
	govProposals = collections.NewMap(govSchema, govtypes.ProposalsKeyPrefix, "proposals", collections.Uint64Key, rawValue[govv1.Proposal]())
	govVotes     = collections.NewMap(govSchema, govtypes.VotesKeyPrefix, "votes", collections.PairKeyCodec(collections.Uint64Key, sdk.LengthPrefixedAddressKey(sdk.AccAddressKey)), rawValue[govv1.Vote]())          //nolint:staticcheck // the keeper's own key codec
	govDeposits  = collections.NewMap(govSchema, govtypes.DepositsKeyPrefix, "deposits", collections.PairKeyCodec(collections.Uint64Key, sdk.LengthPrefixedAddressKey(sdk.AccAddressKey)), rawValue[govv1.Deposit]()) //nolint:staticcheck // the keeper's own key codec
	govParams    = collections.NewItem(govSchema, govtypes.ParamsKey, "params", rawValue[govv1.Params]())
)

var govMethods = []grpcMethod{
	rpc("/cosmos.gov.v1.Query/Proposal", govProposal),
	rpc("/cosmos.gov.v1.Query/Proposals", govProposalsQuery),
	rpc("/cosmos.gov.v1.Query/Vote", govVote),
	rpc("/cosmos.gov.v1.Query/Params", govParamsQuery),
}

const storeGov = "gov"

// key encodes a collection key with its prefix, for proving it first.
func key[K any](prefix collections.Prefix, kc collcodec.KeyCodec[K], k K) []byte {
	bz, err := collections.EncodeKeyWithPrefix(prefix.Bytes(), kc, k)
	if err != nil {
		panic(err)
	}
	return bz
}

func govProposal(q *provenQuery, req *govv1.QueryProposalRequest) (*govv1.QueryProposalResponse, error) {
	if req.ProposalId == 0 {
		return nil, status.Error(codes.InvalidArgument, "proposal id can not be 0")
	}
	q.prove(storeGov, key(govtypes.ProposalsKeyPrefix, collections.Uint64Key, req.ProposalId))
	proposal, err := govProposals.Get(q.ctx, req.ProposalId)
	if err != nil {
		if errors.IsOf(err, collections.ErrNotFound) {
			return nil, status.Errorf(codes.NotFound, "proposal %d doesn't exist", req.ProposalId)
		}
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &govv1.QueryProposalResponse{Proposal: &proposal}, nil
}

func govProposalsQuery(q *provenQuery, req *govv1.QueryProposalsRequest) (*govv1.QueryProposalsResponse, error) {
	// Every proposal, proven complete (the node's list is the hint), then
	// the votes or deposits the filters look up, in one round.
	q.provePrefix(storeGov, govtypes.ProposalsKeyPrefix.Bytes(), nil,
		hint(q, "/cosmos.gov.v1.Query/Proposals", &govv1.QueryProposalsRequest{Pagination: &query.PageRequest{Limit: 1000}},
			func(r *govv1.QueryProposalsResponse) [][]byte {
				keys := make([][]byte, 0, len(r.Proposals))
				for _, p := range r.Proposals {
					keys = append(keys, key(govtypes.ProposalsKeyPrefix, collections.Uint64Key, p.Id))
				}
				return keys
			}))
	voter, errV := q.s.codecs.acc.StringToBytes(req.Voter)
	depositor, errD := q.s.codecs.acc.StringToBytes(req.Depositor)
	if (req.Voter != "" && errV == nil) || (req.Depositor != "" && errD == nil) {
		var votes, deposits [][]byte
		err := govProposals.Walk(q.ctx, nil, func(id uint64, _ govv1.Proposal) (bool, error) {
			if req.Voter != "" && errV == nil {
				votes = append(votes, key(govtypes.VotesKeyPrefix, govVotes.KeyCodec(), collections.Join(id, sdk.AccAddress(voter))))
			}
			if req.Depositor != "" && errD == nil {
				deposits = append(deposits, key(govtypes.DepositsKeyPrefix, govDeposits.KeyCodec(), collections.Join(id, sdk.AccAddress(depositor))))
			}
			return false, nil
		})
		if err != nil {
			return nil, status.Error(codes.Internal, err.Error())
		}
		q.prove(storeGov, append(votes, deposits...)...)
	}
	filtered, pageRes, err := query.CollectionFilteredPaginate(q.ctx, govProposals, req.Pagination, func(_ uint64, p govv1.Proposal) (bool, error) {
		matchVoter, matchDepositor, matchStatus := true, true, true
		if govv1.ValidProposalStatus(req.ProposalStatus) {
			matchStatus = p.Status == req.ProposalStatus
		}
		if len(req.Voter) > 0 {
			v, err := q.s.codecs.acc.StringToBytes(req.Voter)
			if err != nil {
				return false, err
			}
			has, err := govVotes.Has(q.ctx, collections.Join(p.Id, sdk.AccAddress(v)))
			matchVoter = err == nil && has
		}
		if len(req.Depositor) > 0 {
			d, err := q.s.codecs.acc.StringToBytes(req.Depositor)
			if err != nil {
				return false, err
			}
			has, err := govDeposits.Has(q.ctx, collections.Join(p.Id, sdk.AccAddress(d)))
			matchDepositor = err == nil && has
		}
		return matchVoter && matchDepositor && matchStatus, nil
	}, func(_ uint64, value govv1.Proposal) (*govv1.Proposal, error) {
		return &value, nil
	})
	if err != nil && !errors.IsOf(err, collections.ErrInvalidIterator) {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &govv1.QueryProposalsResponse{Proposals: filtered, Pagination: pageRes}, nil
}

func govVote(q *provenQuery, req *govv1.QueryVoteRequest) (*govv1.QueryVoteResponse, error) {
	if req.ProposalId == 0 {
		return nil, status.Error(codes.InvalidArgument, "proposal id can not be 0")
	}
	if req.Voter == "" {
		return nil, status.Error(codes.InvalidArgument, "empty voter address")
	}
	voter, err := q.s.codecs.acc.StringToBytes(req.Voter)
	if err != nil {
		return nil, err
	}
	k := collections.Join(req.ProposalId, sdk.AccAddress(voter))
	q.prove(storeGov, key(govtypes.VotesKeyPrefix, govVotes.KeyCodec(), k))
	vote, err := govVotes.Get(q.ctx, k)
	if err != nil {
		if errors.IsOf(err, collections.ErrNotFound) {
			return nil, status.Errorf(codes.InvalidArgument, "voter: %v not found for proposal: %v", req.Voter, req.ProposalId)
		}
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &govv1.QueryVoteResponse{Vote: &vote}, nil
}

func govParamsQuery(q *provenQuery, req *govv1.QueryParamsRequest) (*govv1.QueryParamsResponse, error) {
	q.prove(storeGov, govtypes.ParamsKey.Bytes())
	params, err := govParams.Get(q.ctx)
	if err != nil {
		return nil, err
	}
	response := &govv1.QueryParamsResponse{}
	//nolint:staticcheck // the legacy parameter kinds, as the query server answers them
	switch req.ParamsType {
	case govv1.ParamDeposit:
		dp := govv1.NewDepositParams(params.MinDeposit, params.MaxDepositPeriod)
		response.DepositParams = &dp
	case govv1.ParamVoting:
		vp := govv1.NewVotingParams(params.VotingPeriod)
		response.VotingParams = &vp
	case govv1.ParamTallying:
		tp := govv1.NewTallyParams(params.Quorum, params.Threshold, params.VetoThreshold)
		response.TallyParams = &tp
	default:
		if len(req.ParamsType) > 0 {
			return nil, status.Errorf(codes.InvalidArgument, "unknown params type: %s", req.ParamsType)
		}
	}
	response.Params = &params
	return response, nil
}

// rawValue is a collections value codec for a protobuf message decoded
// without unpacking its Any fields (codec.CollValue unpacks them, which
// needs every type the chain knows registered).
func rawValue[T any, PT interface {
	*T
	gogoproto.Message
}]() collcodec.ValueCodec[T] {
	return rawCodec[T, PT]{}
}

type rawCodec[T any, PT interface {
	*T
	gogoproto.Message
}] struct{}

func (rawCodec[T, PT]) Encode(v T) ([]byte, error) { return gogoproto.Marshal(PT(&v)) }
func (rawCodec[T, PT]) Decode(b []byte) (T, error) {
	var v T
	err := gogoproto.Unmarshal(b, PT(&v))
	return v, err
}
func (rawCodec[T, PT]) EncodeJSON(v T) ([]byte, error) { return json.Marshal(v) }
func (rawCodec[T, PT]) DecodeJSON(b []byte) (T, error) {
	var v T
	err := json.Unmarshal(b, &v)
	return v, err
}
func (rawCodec[T, PT]) Stringify(v T) string { return fmt.Sprint(PT(&v)) }
func (rawCodec[T, PT]) ValueType() string {
	var v T
	return "gogoproto/" + gogoproto.MessageName(PT(&v))
}
