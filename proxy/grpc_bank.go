package proxy

import (
	"errors"
	"sync"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/address"
	"github.com/cosmos/cosmos-sdk/types/query"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/akash-wallet/akw/lightclient/state"
)

// The bank and auth query servers (cosmos-sdk v0.53 x/bank/keeper,
// x/auth/keeper), over proven stores. The collections are the keepers'
// own definitions: same prefixes, same key and value codecs.

var (
	bankSchema   = collections.NewSchemaBuilder(storeService("bank"))
	bankBalances = collections.NewMap(bankSchema, banktypes.BalancesPrefix, "balances", collections.PairKeyCodec(sdk.AccAddressKey, collections.StringKey), banktypes.BalanceValueCodec)
	// Lazy: state.Codec() builds the interface registry, which every
	// akw command would otherwise pay for at start (akw version too).
	bankDenomMeta = sync.OnceValue(func() collections.Map[string, banktypes.Metadata] {
		return collections.NewMap(bankSchema, banktypes.DenomMetadataPrefix, "denom_metadata", collections.StringKey, codec.CollValue[banktypes.Metadata](state.Codec()))
	})

	authSchema   = collections.NewSchemaBuilder(storeService("acc"))
	authAccounts = sync.OnceValue(func() collections.Map[sdk.AccAddress, *state.StoredAccount] {
		return collections.NewMap(authSchema, authtypes.AddressStoreKeyPrefix, "accounts", sdk.AccAddressKey, accountValue{state.Codec()})
	})
)

// accountValue is the keeper's CollInterfaceValue[sdk.AccountI] read
// through state.DecodeAccount, which reads the vesting kinds without the
// SDK's x/auth/vesting/types (not linked into akw: see state/vesting.go).
type accountValue struct{ cdc codec.Codec }

func (v accountValue) Encode(a *state.StoredAccount) ([]byte, error) { return v.cdc.Marshal(a.Record) }
func (v accountValue) Decode(b []byte) (*state.StoredAccount, error) {
	return state.DecodeAccount(v.cdc, b)
}
func (v accountValue) EncodeJSON(a *state.StoredAccount) ([]byte, error) {
	return v.cdc.MarshalJSON(a.Record)
}
func (v accountValue) DecodeJSON([]byte) (*state.StoredAccount, error) {
	return nil, errors.New("accounts are not read from JSON")
}
func (v accountValue) Stringify(a *state.StoredAccount) string { return a.Record.String() }
func (v accountValue) ValueType() string                       { return "sdk.AccountI" }

var bankMethods = []grpcMethod{
	rpc("/cosmos.bank.v1beta1.Query/Balance", bankBalance),
	rpc("/cosmos.bank.v1beta1.Query/AllBalances", bankAllBalances),
	rpc("/cosmos.bank.v1beta1.Query/SpendableBalances", bankSpendableBalances),
}

var authMethods = []grpcMethod{
	rpc("/cosmos.auth.v1beta1.Query/Account", authAccount),
	rpc("/cosmos.auth.v1beta1.Query/AccountInfo", authAccountInfo),
}

// balanceKey is bank's store key of one balance; balancesPrefix of all
// of an address's.
func balancesPrefix(addr []byte) []byte {
	return append(append([]byte{}, banktypes.BalancesPrefix...), address.MustLengthPrefix(addr)...)
}
func balanceKey(addr []byte, denom string) []byte {
	return append(balancesPrefix(addr), denom...)
}
func accountKey(addr []byte) []byte {
	return append(append([]byte{}, authtypes.AddressStoreKeyPrefix...), addr...)
}

func bankBalance(q *provenQuery, req *banktypes.QueryBalanceRequest) (*banktypes.QueryBalanceResponse, error) {
	if err := sdk.ValidateDenom(req.Denom); err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	addr, err := q.s.codecs.acc.StringToBytes(req.Address)
	if err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "invalid address: %s", err.Error())
	}
	q.prove("bank", balanceKey(addr, req.Denom))
	balance := getBalance(q, addr, req.Denom)
	return &banktypes.QueryBalanceResponse{Balance: &balance}, nil
}

func getBalance(q *provenQuery, addr sdk.AccAddress, denom string) sdk.Coin {
	amt, err := bankBalances.Get(q.ctx, collections.Join(addr, denom))
	if err != nil {
		return sdk.NewCoin(denom, math.ZeroInt())
	}
	return sdk.NewCoin(denom, amt)
}

// proveBalances proves every balance of addr, with the node's own list
// as the hint and the successor of uakt as a guess (one round trip for
// the usual account).
func proveBalances(q *provenQuery, addr sdk.AccAddress, bech string) {
	q.provePrefix("bank", balancesPrefix(addr), [][]byte{append(balanceKey(addr, "uakt"), 0)},
		hint(q, "/cosmos.bank.v1beta1.Query/AllBalances",
			&banktypes.QueryAllBalancesRequest{Address: bech, Pagination: &query.PageRequest{Limit: 1000}},
			func(r *banktypes.QueryAllBalancesResponse) [][]byte {
				keys := make([][]byte, 0, len(r.Balances))
				for _, c := range r.Balances {
					keys = append(keys, balanceKey(addr, c.Denom))
				}
				return keys
			}))
}

func bankAllBalances(q *provenQuery, req *banktypes.QueryAllBalancesRequest) (*banktypes.QueryAllBalancesResponse, error) {
	addr, err := q.s.codecs.acc.StringToBytes(req.Address)
	if err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "invalid address: %s", err.Error())
	}
	proveBalances(q, addr, req.Address)
	balances, pageRes, err := query.CollectionPaginate(q.ctx, bankBalances, req.Pagination,
		func(key collections.Pair[sdk.AccAddress, string], value math.Int) (sdk.Coin, error) {
			if req.ResolveDenom {
				if md, err := bankDenomMeta().Get(q.ctx, key.K2()); err == nil {
					return sdk.NewCoin(md.Display, value), nil
				}
			}
			return sdk.NewCoin(key.K2(), value), nil
		},
		query.WithCollectionPaginationPairPrefix[sdk.AccAddress, string](addr),
	)
	if err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "paginate: %v", err)
	}
	return &banktypes.QueryAllBalancesResponse{Balances: balances, Pagination: pageRes}, nil
}

func bankSpendableBalances(q *provenQuery, req *banktypes.QuerySpendableBalancesRequest) (*banktypes.QuerySpendableBalancesResponse, error) {
	addr, err := q.s.codecs.acc.StringToBytes(req.Address)
	if err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "invalid address: %s", err.Error())
	}
	q.prove("acc", accountKey(addr))
	proveBalances(q, addr, req.Address)
	zero := math.ZeroInt()
	balances, pageRes, err := query.CollectionPaginate(q.ctx, bankBalances, req.Pagination,
		func(key collections.Pair[sdk.AccAddress, string], _ math.Int) (sdk.Coin, error) {
			return sdk.NewCoin(key.K2(), zero), nil
		},
		query.WithCollectionPaginationPairPrefix[sdk.AccAddress, string](addr),
	)
	if err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "paginate: %v", err)
	}
	result := sdk.NewCoins()
	spendable := spendableCoins(q, addr)
	for _, c := range balances {
		result = append(result, sdk.NewCoin(c.Denom, spendable.AmountOf(c.Denom)))
	}
	return &banktypes.QuerySpendableBalancesResponse{Balances: result, Pagination: pageRes}, nil
}

// spendableCoins is BaseViewKeeper.SpendableCoins: all balances less
// what a vesting account still has locked at the block's time (the
// schedule's rule is lightclient/state's). It is the gRPC query's answer,
// which the proxy must give as the node would: nothing at all when any
// one denom's locked coins exceed its balance. What akw itself checks
// before signing is x/bank's send rule, denom by denom (View.Spendable).
func spendableCoins(q *provenQuery, addr sdk.AccAddress) sdk.Coins {
	total := sdk.NewCoins()
	err := bankBalances.Walk(q.ctx, collections.NewPrefixedPairRange[sdk.AccAddress, string](addr),
		func(key collections.Pair[sdk.AccAddress, string], value math.Int) (bool, error) {
			total = total.Add(sdk.NewCoin(key.K2(), value))
			return false, nil
		})
	if err != nil {
		panic(err)
	}
	total = total.Sort()
	locked := sdk.NewCoins()
	if acc := getAccount(q, addr); acc != nil && acc.Vesting != nil {
		locked = acc.Vesting.LockedCoins(q.blockTime())
	}
	spendable, hasNeg := total.SafeSub(locked...)
	if hasNeg {
		return sdk.NewCoins()
	}
	return spendable
}

// getAccount is AccountKeeper.GetAccount: nil when there is none (or
// the record's Any has no type, which the SDK's codec decodes to nil).
func getAccount(q *provenQuery, addr sdk.AccAddress) *state.StoredAccount {
	acc, err := authAccounts().Get(q.ctx, addr)
	if err != nil && !errors.Is(err, collections.ErrNotFound) {
		panic(err)
	}
	if acc == nil || acc.Account == nil {
		return nil
	}
	return acc
}

func authAccount(q *provenQuery, req *authtypes.QueryAccountRequest) (*authtypes.QueryAccountResponse, error) {
	if req.Address == "" {
		return nil, status.Error(codes.InvalidArgument, "Address cannot be empty")
	}
	addr, err := q.s.codecs.acc.StringToBytes(req.Address)
	if err != nil {
		return nil, err
	}
	q.prove("acc", accountKey(addr))
	account := getAccount(q, addr)
	if account == nil {
		return nil, status.Errorf(codes.NotFound, "account %s not found", req.Address)
	}
	// The node answers NewAnyWithValue of the account it decoded: the
	// record as the keeper wrote it.
	return &authtypes.QueryAccountResponse{Account: account.Record}, nil
}

func authAccountInfo(q *provenQuery, req *authtypes.QueryAccountInfoRequest) (*authtypes.QueryAccountInfoResponse, error) {
	if req.Address == "" {
		return nil, status.Error(codes.InvalidArgument, "address cannot be empty")
	}
	addr, err := q.s.codecs.acc.StringToBytes(req.Address)
	if err != nil {
		return nil, err
	}
	q.prove("acc", accountKey(addr))
	account := getAccount(q, addr)
	if account == nil {
		return nil, status.Errorf(codes.NotFound, "account %s not found", req.Address)
	}
	info := &authtypes.BaseAccount{Address: req.Address, AccountNumber: account.Account.GetAccountNumber(), Sequence: account.Account.GetSequence()}
	if pk := account.Account.GetPubKey(); pk != nil {
		a, err := codectypes.NewAnyWithValue(pk)
		if err != nil {
			return nil, status.Errorf(codes.Internal, "%s", err.Error())
		}
		info.PubKey = a
	}
	return &authtypes.QueryAccountInfoResponse{Info: info}, nil
}
