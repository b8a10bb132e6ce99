package integration_test

import (
	"context"
	"testing"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-wallet/akw/internal/config"
	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/devnet/devnettest"
	"github.com/akash-wallet/akw/internal/testctx"
	"github.com/akash-wallet/akw/keys"
	"github.com/akash-wallet/akw/lightclient/state"
	"github.com/akash-wallet/akw/lightclient/trusted"
	"github.com/akash-wallet/akw/tx/amount"
	"github.com/akash-wallet/akw/tx/encoding"
	"github.com/akash-wallet/akw/tx/fee"
	"github.com/akash-wallet/akw/tx/flow"
	"github.com/akash-wallet/akw/tx/ops"
	"github.com/akash-wallet/akw/wallet"
)

func TestMain(m *testing.M) { devnettest.Main(m, devnettest.WithVotingPeriod(30*time.Second)) }

// fixture is a wallet session, as the faces open it, on the shared devnet
// (validator 0 primary, validator 1 witness) with a keyring of the
// devnet's accounts and the keys a test makes; and proven state over the
// same light client, for the test's own look at the effects.
type fixture struct {
	n   *devnet.Network
	w   *wallet.Session
	lc  *trusted.Client
	q   *state.Querier
	kk  *keys.Keyring
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
	kk, err := keys.Open(keys.Config{Backend: keys.BackendTest, Dir: t.TempDir(), AppName: devnet.KeyringAppName})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range n.Accounts() {
		if _, err := kk.Recover(a.Name, a.Mnemonic, keys.HDOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	net := config.Presets()[config.Devnet]
	net.ChainID, net.RPC, net.Witnesses = n.ChainID(), rpc[0], rpc[1:2]
	w, err := wallet.Open(ctx, wallet.Config{Name: config.Devnet, Network: net, Light: lc, Keyring: kk})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Close)
	enc, err := encoding.New(devnet.Bech32Prefix)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{n: n, w: w, lc: lc, q: state.New(lc, nil), kk: kk, enc: enc, ctx: ctx}
}

var denoms = amount.Denoms{Base: devnet.Denom, Display: "akt", Exponent: 6}

func (f *fixture) key(t *testing.T, name string) flow.Key {
	t.Helper()
	k, err := f.w.Signer(f.ctx, name, false)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// newKey makes a key nobody else uses and funds it from alice (through
// the library too), so that a test's sequences and balances are its own.
func (f *fixture) newKey(t *testing.T, name string, fund int64) flow.Key {
	t.Helper()
	if _, _, err := f.kk.Create(name, keys.HDOptions{}); err != nil {
		t.Fatal(err)
	}
	k := f.key(t, name)
	if fund > 0 {
		alice := f.key(t, "alice")
		f.do(t, alice, &ops.Send{From: alice.Address, To: k.Address, Amount: sdk.NewInt64Coin(devnet.Denom, fund)}, flow.Options{Gas: fee.Gas{Auto: true}})
	}
	return k
}

// prepare checks and builds op as a face does (wallet.PrepareOp).
func (f *fixture) prepare(key flow.Key, op ops.Op, opts flow.Options) (*wallet.Plan, error) {
	return f.w.PrepareOp(f.ctx, func() (ops.Op, error) { return op, nil }, key, opts)
}

// do prepares, signs and broadcasts op through the session, fails the
// test unless the chain ran it, and waits until the state after it can be
// proven (its block's next header exists).
func (f *fixture) do(t *testing.T, key flow.Key, op ops.Op, opts flow.Options) *flow.Result {
	t.Helper()
	p, err := f.prepare(key, op, opts)
	if err != nil {
		t.Fatalf("%s: prepare: %v", op.Name(), err)
	}
	return f.send(t, p)
}

// send signs and broadcasts a prepared plan, as do.
func (f *fixture) send(t *testing.T, p *wallet.Plan) *flow.Result {
	t.Helper()
	op := p.Op
	res, err := f.w.Send(f.ctx, p, nil)
	if err != nil {
		t.Fatalf("%s: send: %v", op.Name(), err)
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
