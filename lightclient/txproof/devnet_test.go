package txproof_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"testing"

	cmtbytes "github.com/cometbft/cometbft/libs/bytes"
	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	coretypes "github.com/cometbft/cometbft/rpc/core/types"
	cmttypes "github.com/cometbft/cometbft/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/devnet/devnettest"
	"github.com/akash-wallet/akw/internal/rpcproxy"
	"github.com/akash-wallet/akw/internal/testctx"
	"github.com/akash-wallet/akw/lightclient/trusted"
	"github.com/akash-wallet/akw/lightclient/txproof"
)

// twiceMarker marks, in a transaction's memo, the transactions the
// devnet's proposers list twice.
const twiceMarker = "akw-test: list me twice"

// listTwice is a misbehaving proposer: every transaction carrying
// twiceMarker appears twice in its block, its copy right after it.
func listTwice(txs [][]byte) [][]byte {
	out := make([][]byte, 0, len(txs)+1)
	for _, tx := range txs {
		out = append(out, tx)
		if bytes.Contains(tx, []byte(twiceMarker)) {
			out = append(out, tx)
		}
	}
	return out
}

// Issue 11 (3), on a real chain: a send listed twice in its block. The
// first copy executes, the second fails (sequence mismatch). The proof
// names the first copy, with its result, whichever copy the node names:
// the honest node itself names the second (CometBFT's indexer keeps the
// last copy under the hash), and a proxy that names either, or serves the
// block without the first copy, changes nothing or is refused. Every
// check is against headers the light client verified from the real nodes.
func TestDuplicateInBlockOnDevnet(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a devnet")
	}
	n := devnettest.Start(t, devnettest.WithConfig(func(c *devnet.Config) { c.RewriteProposal = listTwice }))
	ctx := testctx.New(t)
	bob, err := n.Account("bob")
	if err != nil {
		t.Fatal(err)
	}
	before := balance(ctx, t, n, bob.Address)

	// The devnet's helper reads the node's /tx answer, unverified.
	sent, err := n.Send(ctx, "alice", bob.Address, sdk.NewCoins(sdk.NewInt64Coin(devnet.Denom, 1234)), devnet.WithMemo(twiceMarker))
	var txErr *devnet.TxError
	if sent == nil || (err != nil && !errors.As(err, &txErr)) {
		t.Fatalf("send: %v", err)
	}
	t.Logf("the node's own /tx answer for %s: height %d, code %d (%s)", sent.Hash, sent.Height, sent.Code, sent.Log)
	if got := balance(ctx, t, n, bob.Address); got != before+1234 {
		t.Fatalf("bob's balance %d -> %d: the send did not execute exactly once", before, got)
	}
	hash, err := hex.DecodeString(sent.Hash)
	if err != nil {
		t.Fatal(err)
	}
	blk, err := n.Client(0).Block(ctx, &sent.Height)
	if err != nil {
		t.Fatal(err)
	}
	var copies []int
	for i, tx := range blk.Block.Data.Txs {
		if bytes.Equal(tx.Hash(), hash) {
			copies = append(copies, i)
		}
	}
	if len(copies) != 2 {
		t.Fatalf("the block lists the send at %v, want twice: the devnet did not misbehave", copies)
	}

	rpc := n.RPC()
	c, err := trusted.Init(ctx, trusted.Config{ChainID: n.ChainID(), Primary: rpc[0], Witnesses: rpc[1:], Home: t.TempDir()},
		trusted.TrustRoot{Latest: true}, trusted.InitOptions{Confirm: func(trusted.Candidate) (bool, error) { return true, nil }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })

	check := func(what string, r *txproof.Result, err error, named int) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if !r.Verified || r.Code != 0 || int(r.Index) != copies[0] || int(r.NodeIndex) != named || r.Height != sent.Height {
			t.Fatalf("%s: proven code %d at index %d of height %d (node named %d), want the first copy (index %d, code 0)",
				what, r.Code, r.Index, r.Height, r.NodeIndex, copies[0])
		}
		if len(r.Duplicates) != 1 || int(r.Duplicates[0].Index) != copies[1] || r.Duplicates[0].Code == 0 {
			t.Fatalf("%s: duplicates %+v, want the failed copy at %d", what, r.Duplicates, copies[1])
		}
		t.Logf("%s: code %d at index %d; the node named %d; duplicates %+v", what, r.Code, r.Index, r.NodeIndex, r.Duplicates)
	}

	// The honest node.
	r, err := txproof.Verify(ctx, c, c.Primary(), hash)
	check("honest node", r, err, int(r.NodeIndex))
	if int(r.NodeIndex) != copies[1] {
		t.Logf("note: the node named copy %d, not the last; the proxies below name both anyway", r.NodeIndex)
	}

	// A node that names each copy in turn: /tx rewritten from the real
	// block and results, with a real proof.
	p, err := rpcproxy.New(rpc[0])
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	results, err := n.Client(0).BlockResults(ctx, &sent.Height)
	if err != nil {
		t.Fatal(err)
	}
	viaProxy, err := rpchttp.New(p.URL(), "/websocket")
	if err != nil {
		t.Fatal(err)
	}
	for _, named := range copies {
		p.Handle("tx", func(_ rpcproxy.Call, resp *rpcproxy.Response) {
			txs := blk.Block.Data.Txs
			if err := resp.EncodeResult(&coretypes.ResultTx{
				Hash: cmtbytes.HexBytes(hash), Height: sent.Height, Index: uint32(named),
				TxResult: *results.TxsResults[named], Tx: txs[named], Proof: txs.Proof(named),
			}); err != nil {
				t.Error(err)
			}
		})
		r, err := txproof.Verify(ctx, c, viaProxy, hash)
		check(fmt.Sprintf("a node that names copy %d", named), r, err, named)
	}

	// A node that serves the block without the first copy, to pass the
	// second off as the only one: the list no longer hashes to the
	// verified header's DataHash.
	p.Handle("block", func(_ rpcproxy.Call, resp *rpcproxy.Response) {
		var b coretypes.ResultBlock
		if err := resp.DecodeResult(&b); err != nil {
			t.Error(err)
			return
		}
		txs := b.Block.Data.Txs
		b.Block.Data.Txs = append(append(cmttypes.Txs{}, txs[:copies[0]]...), txs[copies[0]+1:]...)
		if err := resp.EncodeResult(&b); err != nil {
			t.Error(err)
		}
	})
	_, err = txproof.Verify(ctx, c, viaProxy, hash)
	var inv *txproof.ErrInvalid
	if !errors.As(err, &inv) {
		t.Fatalf("a block without the first copy: got %v, want a verification error", err)
	}
	t.Logf("a block without the first copy: %v", err)
}

// balance is addr's uakt as the node says (unproven: it checks the
// devnet, not akw).
func balance(ctx context.Context, t *testing.T, n *devnet.Network, addr string) int64 {
	t.Helper()
	res, err := banktypes.NewQueryClient(n.ClientContext(0)).Balance(ctx, &banktypes.QueryBalanceRequest{Address: addr, Denom: devnet.Denom})
	if err != nil {
		t.Fatal(err)
	}
	return res.Balance.Amount.Int64()
}
