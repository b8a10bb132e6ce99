package integration_test

import (
	"context"
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/devnet/devnettest"
	"github.com/akash-wallet/akw/internal/testctx"
	"github.com/akash-wallet/akw/lightclient/state"
	"github.com/akash-wallet/akw/lightclient/trusted"
	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/amount"
	"github.com/akash-wallet/akw/tx/broadcast"
	"github.com/akash-wallet/akw/tx/encoding"
	"github.com/akash-wallet/akw/tx/fee"
	"github.com/akash-wallet/akw/tx/flow"
	"github.com/akash-wallet/akw/tx/ops"
	"github.com/akash-wallet/akw/tx/proven"
)

func TestMain(m *testing.M) { devnettest.Main(m, devnettest.WithVotingPeriod(30*time.Second)) }

// fixture is a light client on the shared devnet (validator 0 primary,
// validator 1 witness), proven state over it, and an in-memory keyring
// with the devnet's accounts and the keys a test makes.
type fixture struct {
	n   *devnet.Network
	lc  *trusted.Client
	q   *state.Querier
	kr  keyring.Keyring
	enc *encoding.Config
	ctx context.Context
}

func open(t *testing.T) *fixture {
	t.Helper()
	n := devnettest.Get(t)
	ctx := testctx.New(t)
	if err := n.WaitForHeight(ctx, 3); err != nil {
		t.Fatal(err)
	}
	rpc := n.RPC()
	lc, err := trusted.Init(ctx, trusted.Config{ChainID: n.ChainID(), Primary: rpc[0], Witnesses: rpc[1:2], Home: t.TempDir()},
		trusted.TrustRoot{Latest: true}, trusted.InitOptions{Confirm: func(trusted.Candidate) (bool, error) { return true, nil }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = lc.Close() })
	enc, err := encoding.New(devnet.Bech32Prefix)
	if err != nil {
		t.Fatal(err)
	}
	kr := keyring.NewInMemory(enc.Codec)
	for _, a := range n.Accounts() {
		if _, err := kr.NewAccount(a.Name, a.Mnemonic, "", devnet.HDPath, hd.Secp256k1); err != nil {
			t.Fatal(err)
		}
	}
	return &fixture{n: n, lc: lc, q: state.New(lc, nil), kr: kr, enc: enc, ctx: ctx}
}

var denoms = amount.Denoms{Base: devnet.Denom, Display: "akt", Exponent: 6}

// env is a transaction environment as akw's faces build it, with a
// proven.Source of its own (one pinned view per transaction).
func (f *fixture) env() *flow.Env {
	price := sdk.NewDecCoinFromDec(devnet.Denom, sdkmath.LegacyMustNewDecFromStr("0.0025"))
	adj, _ := fee.ParseAdjustment(1.5)
	src := proven.New(f.q)
	return &flow.Env{Enc: f.enc, Denoms: denoms, Prefixes: address.For(devnet.Bech32Prefix), ChainID: f.n.ChainID(),
		GasPrice: price, GasAdjustment: adj, Keyring: f.kr,
		Accounts: src, State: src, Simulator: proven.Simulator{Light: f.lc},
		Confirmer: &broadcast.Confirmer{Node: proven.Broadcaster{Light: f.lc},
			Prover: &proven.Prover{Headers: f.lc, Node: f.lc.Primary}, Poll: 200 * time.Millisecond}}
}

func (f *fixture) key(t *testing.T, name string) flow.Key {
	t.Helper()
	rec, err := f.kr.Key(name)
	if err != nil {
		t.Fatal(err)
	}
	a, err := rec.GetAddress()
	if err != nil {
		t.Fatal(err)
	}
	return flow.Key{Name: name, Record: rec, Address: a}
}

// newKey makes a key nobody else uses and funds it from alice (through
// the library too), so that a test's sequences and balances are its own.
func (f *fixture) newKey(t *testing.T, name string, fund int64) flow.Key {
	t.Helper()
	if _, _, err := f.kr.NewMnemonic(name, keyring.English, devnet.HDPath, "", hd.Secp256k1); err != nil {
		t.Fatal(err)
	}
	k := f.key(t, name)
	if fund > 0 {
		alice := f.key(t, "alice")
		f.do(t, alice, &ops.Send{From: alice.Address, To: k.Address, Amount: sdk.NewInt64Coin(devnet.Denom, fund)}, flow.Options{Gas: fee.Gas{Auto: true}})
	}
	return k
}

// prepare checks and builds op against the newest proven state.
func (f *fixture) prepare(key flow.Key, op ops.Op, opts flow.Options) (*flow.Plan, *flow.Env, error) {
	env := f.env()
	p, err := flow.Prepare(f.ctx, env, op, key, opts)
	return p, env, err
}

// do prepares, signs and broadcasts op, fails the test unless the chain
// ran it, and waits until the state after it can be proven (its block's
// next header exists).
func (f *fixture) do(t *testing.T, key flow.Key, op ops.Op, opts flow.Options) *flow.Result {
	t.Helper()
	p, env, err := f.prepare(key, op, opts)
	if err != nil {
		t.Fatalf("%s: prepare: %v", op.Name(), err)
	}
	bz, err := flow.Sign(f.ctx, env, p)
	if err != nil {
		t.Fatalf("%s: sign: %v", op.Name(), err)
	}
	res, err := flow.Broadcast(f.ctx, env, bz, nil, nil)
	if err != nil {
		t.Fatalf("%s: broadcast: %v", op.Name(), err)
	}
	if res.Code != 0 || !res.Verified {
		t.Fatalf("%s: code %d verified %v: %s", op.Name(), res.Code, res.Verified, res.Log)
	}
	if err := f.n.WaitForHeight(f.ctx, res.Height+1); err != nil {
		t.Fatal(err)
	}
	return res
}

// view is proven state at least as new as height h.
func (f *fixture) view(t *testing.T, h int64) *state.View {
	t.Helper()
	for {
		v, err := f.q.Latest(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if v.Height() >= h {
			return v
		}
		if _, err := f.n.WaitForNextBlock(f.ctx); err != nil {
			t.Fatal(err)
		}
	}
}

func uakt(n int64) sdk.Coins { return sdk.NewCoins(sdk.NewInt64Coin(devnet.Denom, n)) }
