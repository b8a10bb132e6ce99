package fuzz

import (
	"context"
	"encoding/json"
	"errors"
	"hash/crc32"
	"reflect"
	"strings"
	"testing"
	"time"

	"cosmossdk.io/log"
	"cosmossdk.io/store/metrics"
	"cosmossdk.io/store/rootmulti"
	storetypes "cosmossdk.io/store/types"
	abci "github.com/cometbft/cometbft/abci/types"
	cmtbytes "github.com/cometbft/cometbft/libs/bytes"
	cmtcrypto "github.com/cometbft/cometbft/proto/tendermint/crypto"
	rpcclient "github.com/cometbft/cometbft/rpc/client"
	ctypes "github.com/cometbft/cometbft/rpc/core/types"
	cmttypes "github.com/cometbft/cometbft/types"
	dbm "github.com/cosmos/cosmos-db"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	vestingtypes "github.com/cosmos/cosmos-sdk/x/auth/vesting/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/akash-wallet/akw/lightclient"
	"github.com/akash-wallet/akw/lightclient/proof"
	"github.com/akash-wallet/akw/lightclient/proof/prooftest"
	"github.com/akash-wallet/akw/lightclient/state"
)

// A real multistore (IAVL, as on chain) committing the state the fuzzer
// writes, and a node serving its proofs that the fuzzer may tamper with.
type stateChain struct {
	rs      *rootmulti.Store
	keys    map[string]*storetypes.KVStoreKey
	height  int64
	appHash []byte
}

func newStateChain(writes map[string]map[string][]byte) (*stateChain, error) {
	rs := rootmulti.NewStore(dbm.NewMemDB(), log.NewNopLogger(), metrics.NewNoOpMetrics())
	c := &stateChain{rs: rs, keys: map[string]*storetypes.KVStoreKey{}}
	for _, s := range []string{"acc", "bank"} {
		k := storetypes.NewKVStoreKey(s)
		c.keys[s] = k
		rs.MountStoreWithDB(k, storetypes.StoreTypeIAVL, nil)
	}
	if err := rs.LoadLatestVersion(); err != nil {
		return nil, err
	}
	// Proofs need state height 2 or more (header 3).
	for range 2 {
		rs.Commit()
	}
	for store, kvs := range writes {
		kv := rs.GetKVStore(c.keys[store])
		for k, v := range kvs {
			kv.Set([]byte(k), v)
		}
	}
	id := rs.Commit()
	c.height, c.appHash = id.Version, id.Hash
	return c, nil
}

func (c *stateChain) lightBlock() *cmttypes.LightBlock {
	return &cmttypes.LightBlock{SignedHeader: &cmttypes.SignedHeader{Header: &cmttypes.Header{
		ChainID: "fuzz-1", Height: c.height + 1, Time: time.Now(), AppHash: c.appHash,
	}}}
}

// fixedHeaders is a light client that has verified one header.
type fixedHeaders struct{ lb *cmttypes.LightBlock }

func (h fixedHeaders) ChainID() string { return "fuzz-1" }
func (h fixedHeaders) VerifiedAt(context.Context, int64) (*cmttypes.LightBlock, error) {
	return h.lb, nil
}
func (h fixedHeaders) Latest(context.Context) (*cmttypes.LightBlock, error) { return h.lb, nil }

// tamper says how the node lies about the proofs of the keys it selects.
type tamper struct {
	selector uint8  // a key is tampered with when crc32(key)%4 == selector%4
	mode     uint8  // see answer
	bytes    []byte // the lie
}

// stateNode answers abci_query from the multistore. Only
// ABCIQueryWithOptions is served (all the state package asks); the
// embedded nil interface makes anything else fail loudly.
type stateNode struct {
	lightclient.Node
	c *stateChain
	t tamper
}

func (n *stateNode) ABCIQueryWithOptions(_ context.Context, path string, data cmtbytes.HexBytes, opts rpcclient.ABCIQueryOptions) (*ctypes.ResultABCIQuery, error) {
	if !opts.Prove {
		// gRPC hints: unproven, so the node may say anything.
		return &ctypes.ResultABCIQuery{Response: abci.ResponseQuery{Value: n.t.bytes, Height: opts.Height}}, nil
	}
	key := data
	lie := n.t.mode%7 != 0 && crc32.ChecksumIEEE(data)%4 == uint32(n.t.selector%4)
	if lie && n.t.mode%7 == 5 {
		key = append(append([]byte(nil), data...), n.t.bytes...) // a proof for another key
	}
	// baseapp routes "/store/<name>/key" to the multistore as "/<name>/key".
	r, err := n.c.rs.Query(&storetypes.RequestQuery{Path: strings.TrimPrefix(path, "/store"), Data: key, Height: opts.Height, Prove: true})
	if err != nil {
		return nil, err
	}
	resp := abci.ResponseQuery{Code: r.Code, Key: r.Key, Value: r.Value, Height: r.Height, ProofOps: r.ProofOps}
	if lie {
		switch n.t.mode % 7 {
		case 1:
			resp.Value = n.t.bytes
		case 2:
			resp.Key = n.t.bytes
		case 3:
			if resp.ProofOps != nil && len(resp.ProofOps.Ops) > 0 {
				ops := append([]cmtcrypto.ProofOp(nil), resp.ProofOps.Ops...)
				ops[0].Data = n.t.bytes
				resp.ProofOps = &cmtcrypto.ProofOps{Ops: ops}
			}
		case 4:
			resp.Height++
		case 6:
			resp.ProofOps = nil
		}
	}
	return &ctypes.ResultABCIQuery{Response: resp}, nil
}

var (
	alice = sdk.AccAddress([]byte("alice_______________"))
	bob   = sdk.AccAddress([]byte("bob_________________"))
)

func balKey(addr sdk.AccAddress, denom string) string {
	return string(append(append([]byte{0x02, byte(len(addr))}, addr...), denom...))
}

// FuzzProvenState runs the proven queries (all balances, one balance,
// the account, one balance with its denom's metadata) over chain state the fuzzer writes (alice's balance and
// account records: a hostile or unexpected chain) through a node that may
// lie about the proofs of some keys (wrong value, wrong key, broken proof,
// wrong height, a proof for another key, no proof). Whatever the bytes: no
// panic, not even one a library guard recovers; and whatever the lying
// node does, an answer is either an error or exactly the honest node's
// answer over the same state.
func FuzzProvenState(f *testing.F) {
	cdc := state.Codec()
	uaktMetadata, err := (&banktypes.Metadata{Base: "uakt", Display: "akt", DenomUnits: []*banktypes.DenomUnit{{Denom: "uakt"}, {Denom: "akt", Exponent: 6}}}).Marshal()
	if err != nil {
		f.Fatal(err)
	}
	pub := secp256k1.GenPrivKeyFromSecret([]byte("alice")).PubKey()
	base := authtypes.NewBaseAccount(alice, pub, 7, 3)
	plain, _ := cdc.MarshalInterface(base)
	bva, err := vestingtypes.NewContinuousVestingAccount(authtypes.NewBaseAccount(alice, nil, 8, 0), sdk.NewCoins(sdk.NewInt64Coin("uakt", 100)), 1, 1000)
	if err != nil {
		f.Fatal(err)
	}
	// As an Any by hand: state.Codec()'s registry does not know the
	// vesting kinds (state.DecodeAccount reads them without it).
	vestingAny, err := codectypes.NewAnyWithValue(bva)
	if err != nil {
		f.Fatal(err)
	}
	vesting, err := cdc.Marshal(vestingAny)
	if err != nil {
		f.Fatal(err)
	}
	other, _ := cdc.MarshalInterface(authtypes.NewBaseAccount(bob, nil, 9, 0))
	for _, s := range []struct {
		bal, acc []byte
		t        tamper
	}{
		{[]byte("1000"), plain, tamper{}},
		{[]byte("0"), vesting, tamper{}},
		{[]byte("-5"), other, tamper{}},
		{[]byte("12x"), []byte{0x0a, 0x01}, tamper{}},
		{[]byte("1000"), plain, tamper{selector: 0, mode: 1, bytes: []byte("999999")}},
		{[]byte("1000"), plain, tamper{selector: 1, mode: 2, bytes: []byte("\x02\x14bob_________________uakt")}},
		{[]byte("1000"), plain, tamper{selector: 2, mode: 3, bytes: []byte{0x0a, 0x00}}},
		{[]byte("1000"), plain, tamper{selector: 3, mode: 4}},
		{[]byte("1000"), plain, tamper{selector: 0, mode: 5, bytes: []byte("z")}},
		{[]byte("1000"), plain, tamper{selector: 1, mode: 6}},
	} {
		f.Add(s.bal, s.acc, s.t.selector, s.t.mode, s.t.bytes)
	}
	// Issue 11's crafted absence proof (made-up neighbours over a made-up
	// root, steps that are neither child) in place of the proofs of each
	// quarter of the keys: the walks' absent keys reach it.
	crafted, err := prooftest.CraftedAbsence([]byte{0x02})
	if err != nil {
		f.Fatal(err)
	}
	for sel := uint8(0); sel < 4; sel++ {
		f.Add([]byte("1000"), plain, sel, uint8(3), crafted.Data)
	}
	f.Fuzz(func(t *testing.T, balValue, accValue []byte, selector, mode uint8, lie []byte) {
		if len(balValue) == 0 {
			balValue = []byte{0} // a store cannot hold an empty value
		}
		if len(accValue) == 0 {
			accValue = []byte{0}
		}
		c, err := newStateChain(map[string]map[string][]byte{
			"bank": {
				balKey(alice, "uakt"): balValue, balKey(alice, "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2"): []byte("5"),
				balKey(bob, "uakt"): []byte("77"),
				"\x01uakt":          uaktMetadata,
			},
			"acc": {string(append([]byte{0x01}, alice...)): accValue, string(append([]byte{0x01}, bob...)): other},
		})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		// One header and a stopped clock for both nodes: the answers'
		// ages must compare equal too.
		lb := c.lightBlock()
		stopped := state.WithClock(func() time.Time { return lb.Time })
		query := func(tm tamper) (any, any, any, any, [4]error) {
			q := state.New(fixedHeaders{lb}, &stateNode{c: c, t: tm}, stopped)
			v, err := q.Latest(ctx)
			if err != nil {
				t.Fatalf("pin: %v", err)
			}
			var errs [4]error
			all, e0 := v.Balances(ctx, alice)
			one, e1 := v.Balance(ctx, alice, "uakt")
			acc, e2 := v.Account(ctx, alice)
			tok, e3 := v.TokenBalance(ctx, alice, "uakt")
			errs[0], errs[1], errs[2], errs[3] = e0, e1, e2, e3
			return all, one, acc, tok, errs
		}
		hAll, hOne, hAcc, hTok, hErrs := query(tamper{})
		lAll, lOne, lAcc, lTok, lErrs := query(tamper{selector: selector, mode: mode, bytes: lie})
		for i, pair := range [][2]any{{hAll, lAll}, {hOne, lOne}, {hAcc, lAcc}, {hTok, lTok}} {
			for _, err := range []error{hErrs[i], lErrs[i]} {
				// A guard kept akw alive, but the input reached code that
				// panicked: that needs a check of its own.
				if errors.As(err, new(*state.ErrPanic)) || errors.As(err, new(proof.ErrMalformedProof)) {
					t.Fatalf("query %d: a recovered panic: %v", i, err)
				}
			}
			if lErrs[i] != nil {
				continue // refusing is always allowed
			}
			if hErrs[i] != nil {
				t.Fatalf("query %d: the lying node got an answer where the honest one got %v", i, hErrs[i])
			}
			if !reflect.DeepEqual(pair[0], pair[1]) {
				h, _ := json.Marshal(pair[0])
				l, _ := json.Marshal(pair[1])
				t.Fatalf("query %d: a lie was accepted:\nhonest %s\nlying  %s", i, h, l)
			}
		}
	})
}

// TestProvenStateHonest: the fuzz target's chain and node give the right
// answers when nobody lies, so its comparisons compare something.
func TestProvenStateHonest(t *testing.T) {
	cdc := state.Codec()
	acc, err := cdc.MarshalInterface(authtypes.NewBaseAccount(alice, nil, 7, 3))
	if err != nil {
		t.Fatal(err)
	}
	c, err := newStateChain(map[string]map[string][]byte{
		"bank": {balKey(alice, "uakt"): []byte("1000"), balKey(alice, "zzz"): []byte("5"), balKey(bob, "uakt"): []byte("77")},
		"acc":  {string(append([]byte{0x01}, alice...)): acc},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	v, err := state.New(fixedHeaders{c.lightBlock()}, &stateNode{c: c}).Latest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	all, err := v.Balances(ctx, alice)
	if err != nil || all.Coins.String() != "1000uakt,5zzz" || !all.Verified {
		t.Fatalf("balances %v %v", all, err)
	}
	tok, err := v.TokenBalance(ctx, alice, "zzz")
	if err != nil || tok.Coin.String() != "5zzz" || tok.Denom.Denom != "zzz" || tok.Denom.Metadata != nil || !tok.Verified {
		t.Fatalf("token balance %+v %v", tok, err)
	}
	a, err := v.Account(ctx, alice)
	if err != nil || a.AccountNumber != 7 || a.Sequence != 3 {
		t.Fatalf("account %+v %v", a, err)
	}
	// And a lie about alice's uakt balance is refused.
	sel := uint8(crc32.ChecksumIEEE([]byte(balKey(alice, "uakt"))) % 4)
	v, _ = state.New(fixedHeaders{c.lightBlock()}, &stateNode{c: c, t: tamper{selector: sel, mode: 1, bytes: []byte("999999")}}).Latest(ctx)
	if b, err := v.Balance(ctx, alice, "uakt"); err == nil {
		t.Fatalf("a false balance was accepted: %v", b)
	}
}
