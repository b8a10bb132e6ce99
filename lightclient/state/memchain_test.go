package state_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"cosmossdk.io/log"
	"cosmossdk.io/store/metrics"
	"cosmossdk.io/store/rootmulti"
	storetypes "cosmossdk.io/store/types"
	abci "github.com/cometbft/cometbft/abci/types"
	cmtbytes "github.com/cometbft/cometbft/libs/bytes"
	rpcclient "github.com/cometbft/cometbft/rpc/client"
	ctypes "github.com/cometbft/cometbft/rpc/core/types"
	cmttypes "github.com/cometbft/cometbft/types"
	dbm "github.com/cosmos/cosmos-db"

	"github.com/akash-wallet/akw/lightclient"
	"github.com/akash-wallet/akw/lightclient/state"
)

// memChain is a multistore in memory, committed like a chain's, and a
// node that answers abci_query from it with the SDK's own proofs. It lets
// tests prove state layouts the devnet does not have (Akash's authz
// indexes) without a chain: the proofs are real IAVL and multistore
// proofs against the commit hash, which the test's header carries as its
// AppHash.
type memChain struct {
	ms     *rootmulti.Store
	keys   map[string]*storetypes.KVStoreKey
	height int64
	appH   []byte
}

func newMemChain(t *testing.T, stores ...string) *memChain {
	t.Helper()
	ms := rootmulti.NewStore(dbm.NewMemDB(), log.NewNopLogger(), metrics.NewNoOpMetrics())
	c := &memChain{ms: ms, keys: map[string]*storetypes.KVStoreKey{}}
	for _, s := range stores {
		k := storetypes.NewKVStoreKey(s)
		ms.MountStoreWithDB(k, storetypes.StoreTypeIAVL, nil)
		c.keys[s] = k
	}
	if err := ms.LoadLatestVersion(); err != nil {
		t.Fatal(err)
	}
	return c
}

// set writes key=value into store; commit makes them provable.
func (c *memChain) set(store string, key, value []byte) {
	c.ms.GetKVStore(c.keys[store]).Set(key, value)
}

// commit commits a block (twice at first: proven state starts at height 2).
func (c *memChain) commit() {
	for {
		id := c.ms.Commit()
		c.height, c.appH = id.Version, id.Hash
		if c.height >= 2 {
			return
		}
	}
}

// view pins a Querier to the newest commit, through a header at the next
// height that commits its hash at blockTime.
func (c *memChain) view(t *testing.T, blockTime time.Time) *state.View {
	t.Helper()
	lb := &cmttypes.LightBlock{SignedHeader: &cmttypes.SignedHeader{
		Header: &cmttypes.Header{ChainID: "mem-1", Height: c.height + 1, Time: blockTime, AppHash: c.appH},
		Commit: &cmttypes.Commit{Height: c.height + 1},
	}}
	q := state.New(memHeaders{lb}, &memNode{c: c})
	v, err := q.Pin(lb)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

type memHeaders struct{ lb *cmttypes.LightBlock }

func (h memHeaders) ChainID() string { return "mem-1" }
func (h memHeaders) VerifiedAt(_ context.Context, height int64) (*cmttypes.LightBlock, error) {
	if height != h.lb.Height {
		return nil, fmt.Errorf("memchain: no header %d", height)
	}
	return h.lb, nil
}
func (h memHeaders) Latest(context.Context) (*cmttypes.LightBlock, error) { return h.lb, nil }

// memNode answers /store/<name>/key queries with proofs; anything else
// (the gRPC hints) fails, which costs a walk only speed.
type memNode struct {
	lightclient.Node // nil: any other call panics, and none is made
	c                *memChain
}

func (n *memNode) ABCIQueryWithOptions(_ context.Context, path string, data cmtbytes.HexBytes, o rpcclient.ABCIQueryOptions) (*ctypes.ResultABCIQuery, error) {
	if !strings.HasPrefix(path, "/store/") {
		return &ctypes.ResultABCIQuery{Response: abci.ResponseQuery{Code: 6, Log: "memchain: no gRPC"}}, nil
	}
	res, err := n.c.ms.Query(&storetypes.RequestQuery{Path: strings.TrimPrefix(path, "/store"), Data: data, Height: o.Height, Prove: o.Prove})
	if err != nil {
		return &ctypes.ResultABCIQuery{Response: abci.ResponseQuery{Code: 1, Log: err.Error()}}, nil
	}
	return &ctypes.ResultABCIQuery{Response: abci.ResponseQuery{
		Code: res.Code, Key: res.Key, Value: res.Value, ProofOps: res.ProofOps, Height: res.Height,
	}}, nil
}
