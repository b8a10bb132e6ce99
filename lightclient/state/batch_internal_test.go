package state

import (
	"bytes"
	"path/filepath"
	"testing"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/testctx"
	"github.com/akash-wallet/akw/lightclient/trusted"
)

// TestBatchedProofsEqualSingle proves 27 keys (present and absent, more
// than two batches) through the batching path and one by one, against a
// devnet, and requires the same answers in the same order.
func TestBatchedProofsEqualSingle(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a devnet")
	}
	if err := devnet.SetSDKConfig(); err != nil {
		t.Fatal(err)
	}
	ctx := testctx.New(t)
	dir := t.TempDir()
	n, err := devnet.Start(ctx, devnet.Config{Dir: filepath.Join(dir, "net")})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Stop()
	if err := n.WaitForHeight(ctx, 4); err != nil {
		t.Fatal(err)
	}
	rpc := n.RPC()
	c, err := trusted.Init(ctx, trusted.Config{ChainID: n.ChainID(), Primary: rpc[0], Witnesses: rpc[1:], Home: filepath.Join(dir, "home")},
		trusted.TrustRoot{Latest: true}, trusted.InitOptions{Confirm: func(trusted.Candidate) (bool, error) { return true, nil }})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	node, err := rpchttp.New(rpc[0], "/websocket")
	if err != nil {
		t.Fatal(err)
	}
	v, err := New(c, node).Latest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var keys [][]byte
	for _, a := range n.Accounts() {
		addr, err := a.AccAddress()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, balanceKey(addr, devnet.Denom), accountKey(addr))
	}
	for i := 0; len(keys) < 27; i++ {
		keys = append(keys, balanceKey(sdk.AccAddress(bytes.Repeat([]byte{byte(i)}, 20)), devnet.Denom))
	}
	// Account keys, asked in the bank store, are proven absent there.
	bankKeys := keys
	batched, err := v.getMany(ctx, storeBank, bankKeys)
	if err != nil {
		t.Fatal(err)
	}
	present := 0
	for i, k := range bankKeys {
		single, err := v.get(ctx, storeBank, k)
		if err != nil {
			t.Fatal(err)
		}
		b := batched[i]
		if !bytes.Equal(b.Key, k) || b.Exists != single.Exists || !bytes.Equal(b.Value, single.Value) {
			t.Fatalf("key %X: batched %+v, single %+v", k, b, single)
		}
		if b.Exists {
			present++
		}
	}
	if present != len(n.Accounts()) || len(bankKeys) <= 2*maxBatch {
		t.Fatalf("%d present of %d keys", present, len(bankKeys))
	}
}
