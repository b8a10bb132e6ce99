package proxy_test

import (
	"encoding/json"
	"strings"
	"sync/atomic"
	"testing"

	rpcclient "github.com/cometbft/cometbft/rpc/client"
	ctypes "github.com/cometbft/cometbft/rpc/core/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/rpcproxy"
	"github.com/akash-wallet/akw/proxy"
)

// TestLyingPrimaryDemoted: the proxy's primary lies about every store
// proof for as long as the test runs; its witness is honest. The client
// call that meets the lie gets a verification failure, the wallet
// session's policy demotes the liar, and every call after that is proven
// through the witness: the honest value, never the lie, and the liar is
// asked for no proof again.
func TestLyingPrimaryDemoted(t *testing.T) {
	c := chainState(t)
	n := devnettestGet(t)
	lie, err := rpcproxy.New(n.RPC()[0])
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = lie.Close() })
	// No answer cache: each call is proven afresh, from whichever node
	// the light client uses.
	h := startProxy(t, withPrimary(lie.URL()), withWitnesses(n.RPC()[1]), withSession(),
		withConfig(func(cfg *proxy.Config) { cfg.AnswerBytes = -1 }))
	var asked atomic.Int64 // store proofs the liar was asked for
	lie.Handle("abci_query", func(call rpcproxy.Call, resp *rpcproxy.Response) {
		var p abciParams
		if json.Unmarshal(call.Params, &p) != nil || resp.Error != nil || !strings.HasPrefix(p.Path, "/store/") {
			return
		}
		asked.Add(1)
		var r ctypes.ResultABCIQuery
		if err := resp.DecodeResult(&r); err != nil {
			t.Error(err)
			return
		}
		if len(r.Response.Value) > 0 {
			r.Response.Value[len(r.Response.Value)-1] ^= 1
		}
		if err := resp.EncodeResult(&r); err != nil {
			t.Error(err)
		}
	})
	ctx := testCtx(t)
	const path = "/cosmos.bank.v1beta1.Query/Balance"
	data, _ := (&banktypes.QueryBalanceRequest{Address: c.alice.String(), Denom: devnet.Denom}).Marshal()

	_, err = h.rpc.ABCIQueryWithOptions(ctx, path, data, rpcclient.ABCIQueryOptions{})
	refused(t, "the call that met the lie", err)
	if asked.Load() == 0 {
		t.Fatal("the liar was asked for no proof: the lie was not tested")
	}
	if got := h.client.PrimaryURL(); got != n.RPC()[1] {
		t.Fatalf("after a lie the proxy's primary is %s, want the witness %s", got, n.RPC()[1])
	}
	before := asked.Load()
	for i := range 5 {
		res, err := h.rpc.ABCIQueryWithOptions(ctx, path, data, rpcclient.ABCIQueryOptions{})
		if err != nil || res.Response.Code != 0 {
			t.Fatalf("call %d after the switch: %v %+v", i, err, res)
		}
		// The honest node's own answer at the height the proxy proved.
		want, err := h.node.ABCIQueryWithOptions(ctx, path, data, rpcclient.ABCIQueryOptions{Height: res.Response.Height})
		if err != nil {
			t.Fatal(err)
		}
		var got, honest banktypes.QueryBalanceResponse
		if err := got.Unmarshal(res.Response.Value); err != nil {
			t.Fatal(err)
		}
		if err := honest.Unmarshal(want.Response.Value); err != nil {
			t.Fatal(err)
		}
		if !got.Balance.Equal(*honest.Balance) {
			t.Fatalf("call %d at height %d: %s, the node has %s", i, res.Response.Height, got.Balance, honest.Balance)
		}
	}
	if a := asked.Load(); a != before {
		t.Fatalf("the demoted liar was asked for %d more proofs", a-before)
	}
}
