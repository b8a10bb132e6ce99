package proxy_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"cosmossdk.io/x/feegrant"
	rpcclient "github.com/cometbft/cometbft/rpc/client"
	ctypes "github.com/cometbft/cometbft/rpc/core/types"
	"github.com/cosmos/cosmos-sdk/types/address"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	"github.com/cosmos/cosmos-sdk/x/authz"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/rpcproxy"
	"github.com/akash-wallet/akw/internal/testctx"
	"github.com/akash-wallet/akw/lightclient/proof/prooftest"
	"github.com/akash-wallet/akw/proxy"
)

// Behind the proxy, a node that lies (the primary of its light client, in
// front of validator 0; the witness is validator 1, honest). Each lie of
// akw's fault tests in turn; every client call that would carry the lie
// gets a JSON-RPC error instead (CodeVerification), never the lie, and
// the same proxy answers honestly again once the node stops lying.

// liar is a proxy whose light client and queries go through a lying node.
type liar struct {
	*harness
	lie *rpcproxy.Proxy
	c   *chain
}

func startLiar(t *testing.T) *liar {
	t.Helper()
	c := chainState(t)
	n := devnettestGet(t)
	lie, err := rpcproxy.New(n.RPC()[0])
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = lie.Close() })
	// No answer cache: each call must ask the lying node afresh.
	h := startProxy(t, withPrimary(lie.URL()), withConfig(func(cfg *proxy.Config) { cfg.AnswerBytes = -1 }))
	return &liar{harness: h, lie: lie, c: c}
}

// refused requires err to be the proxy's verification failure.
func refused(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: the lie was passed on", what)
	}
	if !strings.Contains(err.Error(), fmt.Sprint(proxy.CodeVerification)) {
		t.Fatalf("%s: want a verification failure (%d), got %v", what, proxy.CodeVerification, err)
	}
}

type abciParams struct {
	Path   string          `json:"path"`
	Hex    string          `json:"data"`
	Height json.RawMessage `json:"height"`
}

func (p abciParams) height() int64 {
	var s string
	if json.Unmarshal(p.Height, &s) != nil {
		s = string(p.Height)
	}
	h, _ := strconv.ParseInt(s, 10, 64)
	return h
}

// storeLie rewrites the node's answers to /store queries (the proofs the
// proxy checks), leaving its gRPC answers (hints) alone.
func (l *liar) storeLie(t *testing.T, f func(p abciParams, data []byte, r *ctypes.ResultABCIQuery) *ctypes.ResultABCIQuery) {
	l.lie.Handle("abci_query", func(call rpcproxy.Call, resp *rpcproxy.Response) {
		var p abciParams
		if json.Unmarshal(call.Params, &p) != nil || resp.Error != nil || !strings.HasPrefix(p.Path, "/store/") {
			return
		}
		data, err := hex.DecodeString(p.Hex)
		if err != nil {
			t.Error(err)
			return
		}
		var r ctypes.ResultABCIQuery
		if err := resp.DecodeResult(&r); err != nil {
			t.Error(err)
			return
		}
		if err := resp.EncodeResult(f(p, data, &r)); err != nil {
			t.Error(err)
		}
	})
}

func TestLyingNodeStateProofs(t *testing.T) {
	l := startLiar(t)
	ctx := testCtx(t)
	direct := l.node
	bobKey := append(append([]byte{0x02}, address.MustLengthPrefix(l.c.bob)...), devnet.Denom...)
	lies := map[string]func(p abciParams, data []byte, r *ctypes.ResultABCIQuery) *ctypes.ResultABCIQuery{
		"flipped value byte": func(_ abciParams, _ []byte, r *ctypes.ResultABCIQuery) *ctypes.ResultABCIQuery {
			if len(r.Response.Value) > 0 {
				r.Response.Value[len(r.Response.Value)-1] ^= 1
			}
			return r
		},
		"proof dropped": func(_ abciParams, _ []byte, r *ctypes.ResultABCIQuery) *ctypes.ResultABCIQuery {
			r.Response.ProofOps = nil
			return r
		},
		"proof of another key": func(p abciParams, _ []byte, r *ctypes.ResultABCIQuery) *ctypes.ResultABCIQuery {
			o, err := direct.ABCIQueryWithOptions(context.Background(), "/store/bank/key", bobKey, rpcclient.ABCIQueryOptions{Height: p.height(), Prove: true})
			if err != nil {
				t.Error(err)
				return r
			}
			o.Response.Key = r.Response.Key
			return o
		},
		"proof from another height": func(p abciParams, data []byte, r *ctypes.ResultABCIQuery) *ctypes.ResultABCIQuery {
			o, err := direct.ABCIQueryWithOptions(context.Background(), p.Path, data, rpcclient.ABCIQueryOptions{Height: 3, Prove: true})
			if err != nil {
				t.Error(err)
				return r
			}
			o.Response.Height = r.Response.Height
			return o
		},
		"crafted absence proof": func(_ abciParams, data []byte, r *ctypes.ResultABCIQuery) *ctypes.ResultABCIQuery {
			if r.Response.ProofOps == nil || len(r.Response.ProofOps.Ops) != 2 {
				return r
			}
			op, err := prooftest.CraftedAbsence(data)
			if err != nil {
				t.Error(err)
				return r
			}
			r.Response.Value = nil
			r.Response.ProofOps.Ops[0] = op
			return r
		},
	}
	alice, bob := l.c.alice.String(), l.c.bob.String()
	queries := map[string]struct {
		path string
		req  interface{ Marshal() ([]byte, error) }
	}{
		"balance":      {"/cosmos.bank.v1beta1.Query/Balance", &banktypes.QueryBalanceRequest{Address: alice, Denom: devnet.Denom}},
		"all balances": {"/cosmos.bank.v1beta1.Query/AllBalances", &banktypes.QueryAllBalancesRequest{Address: alice}},
		"account":      {"/cosmos.auth.v1beta1.Query/Account", &authtypes.QueryAccountRequest{Address: alice}},
		"delegations":  {"/cosmos.staking.v1beta1.Query/DelegatorDelegations", &stakingtypes.QueryDelegatorDelegationsRequest{DelegatorAddr: alice}},
		"grant":        {"/cosmos.authz.v1beta1.Query/Grants", &authz.QueryGrantsRequest{Granter: alice, Grantee: bob, MsgTypeUrl: msgVote}},
		"grants":       {"/cosmos.authz.v1beta1.Query/GranterGrants", &authz.QueryGranterGrantsRequest{Granter: alice}},
		"allowance":    {"/cosmos.feegrant.v1beta1.Query/Allowance", &feegrant.QueryAllowanceRequest{Granter: alice, Grantee: bob}},
		"allowances":   {"/cosmos.feegrant.v1beta1.Query/AllowancesByGranter", &feegrant.QueryAllowancesByGranterRequest{Granter: l.c.carol.String()}},
	}
	aliceKey := append(append([]byte{0x02}, address.MustLengthPrefix(l.c.alice)...), devnet.Denom...)
	for name, lie := range lies {
		t.Run(name, func(t *testing.T) {
			l.storeLie(t, lie)
			defer l.lie.Handle("abci_query", nil)
			for qname, q := range queries {
				if name == "flipped value byte" && (qname == "all balances" || qname == "delegations" || qname == "grants" || qname == "allowances") {
					// A list's values are the proofs' own neighbours, which
					// a flipped response value does not touch.
					continue
				}
				data, _ := q.req.Marshal()
				res, err := l.rpc.ABCIQueryWithOptions(ctx, q.path, data, rpcclient.ABCIQueryOptions{})
				if err == nil {
					t.Fatalf("%s: the proxy answered %+v", qname, res.Response)
				}
				refused(t, qname, err)
			}
			_, err := l.rpc.ABCIQueryWithOptions(ctx, "/store/bank/key", aliceKey, rpcclient.ABCIQueryOptions{Prove: true})
			refused(t, "store query", err)
		})
	}
	// Honest again.
	data, _ := (&banktypes.QueryBalanceRequest{Address: alice, Denom: devnet.Denom}).Marshal()
	if _, err := l.rpc.ABCIQueryWithOptions(ctx, "/cosmos.bank.v1beta1.Query/Balance", data, rpcclient.ABCIQueryOptions{}); err != nil {
		t.Fatalf("honest again: %v", err)
	}
	if !strings.Contains(l.log.String(), "verification-failed") {
		t.Fatalf("the log does not say the answers failed verification:\n%s", l.log.String())
	}
}

// TestLyingHintsCostNothing: a node whose gRPC answers (the lists the
// proxy uses only to fetch proofs in parallel) are false cannot change
// an answer: the proxy's answer is still the honest node's, byte for
// byte.
func TestLyingHintsCostNothing(t *testing.T) {
	l := startLiar(t)
	ctx := testCtx(t)
	l.lie.Handle("abci_query", func(call rpcproxy.Call, resp *rpcproxy.Response) {
		var p abciParams
		if json.Unmarshal(call.Params, &p) != nil || strings.HasPrefix(p.Path, "/store/") {
			return
		}
		var r ctypes.ResultABCIQuery
		if resp.DecodeResult(&r) == nil {
			// An empty list, and a garbage one.
			r.Response.Value = bytes.Repeat([]byte{0x0a, 0x02, 0x0a, 0x00}, 3)
			_ = resp.EncodeResult(&r)
		}
	})
	for _, q := range []struct {
		path string
		req  interface{ Marshal() ([]byte, error) }
	}{
		{"/cosmos.staking.v1beta1.Query/DelegatorDelegations", &stakingtypes.QueryDelegatorDelegationsRequest{DelegatorAddr: l.c.alice.String()}},
		{"/cosmos.staking.v1beta1.Query/Validators", &stakingtypes.QueryValidatorsRequest{}},
		{"/cosmos.bank.v1beta1.Query/AllBalances", &banktypes.QueryAllBalancesRequest{Address: l.c.alice.String()}},
		{"/cosmos.authz.v1beta1.Query/GranteeGrants", &authz.QueryGranteeGrantsRequest{Grantee: l.c.bob.String()}},
		{"/cosmos.authz.v1beta1.Query/Grants", &authz.QueryGrantsRequest{Granter: l.c.alice.String(), Grantee: l.c.bob.String()}},
		{"/cosmos.feegrant.v1beta1.Query/AllowancesByGranter", &feegrant.QueryAllowancesByGranterRequest{Granter: l.c.carol.String()}},
		{"/cosmos.feegrant.v1beta1.Query/Allowances", &feegrant.QueryAllowancesRequest{Grantee: l.c.bob.String()}},
	} {
		data, _ := q.req.Marshal()
		got, err := l.rpc.ABCIQueryWithOptions(ctx, q.path, data, rpcclient.ABCIQueryOptions{})
		if err != nil {
			t.Fatalf("%s: %v", q.path, err)
		}
		want, err := l.node.ABCIQueryWithOptions(ctx, q.path, data, rpcclient.ABCIQueryOptions{Height: got.Response.Height})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Response.Value, want.Response.Value) {
			t.Fatalf("%s with a lying hint: the answer differs from the honest node's", q.path)
		}
	}
}

// TestLyingNodeHeadersBlocksTxs: forged header fields, blocks, block
// metas, transactions and their results.
func TestLyingNodeHeadersBlocksTxs(t *testing.T) {
	l := startLiar(t)
	ctx := testCtx(t)
	tx := devnetSend(t, "carol", "bob", "777uakt")
	tx2 := devnetSend(t, "carol", "bob", "778uakt")
	// Past the transactions' blocks, so that their results are provable.
	waitHeight(t, tx2.Height+2)

	lies := []struct {
		name, method string
		hook         rpcproxy.Hook
		call         func() error
	}{
		{"block: a transaction changed", "block", func(_ rpcproxy.Call, r *rpcproxy.Response) {
			var b ctypes.ResultBlock
			if r.DecodeResult(&b) == nil && b.Block != nil && len(b.Block.Data.Txs) > 0 {
				b.Block.Data.Txs[0][len(b.Block.Data.Txs[0])-1] ^= 1
				_ = r.EncodeResult(&b)
			}
		}, func() error { _, err := l.rpc.Block(ctx, &tx.Height); return err }},
		{"block: a signature of its last commit changed", "block", func(_ rpcproxy.Call, r *rpcproxy.Response) {
			var b ctypes.ResultBlock
			if r.DecodeResult(&b) == nil && b.Block != nil && b.Block.LastCommit != nil && len(b.Block.LastCommit.Signatures) > 0 {
				b.Block.LastCommit.Signatures[0].Signature[0] ^= 1
				_ = r.EncodeResult(&b)
			}
		}, func() error { _, err := l.rpc.Block(ctx, &tx.Height); return err }},
		{"blockchain: a header's time changed", "blockchain", func(_ rpcproxy.Call, r *rpcproxy.Response) {
			var b ctypes.ResultBlockchainInfo
			if r.DecodeResult(&b) == nil && len(b.BlockMetas) > 1 {
				b.BlockMetas[1].Header.Time = b.BlockMetas[1].Header.Time.Add(time.Second)
				_ = r.EncodeResult(&b)
			}
		}, func() error { _, err := l.rpc.BlockchainInfo(ctx, tx.Height-3, tx.Height); return err }},
		{"header_by_hash: the hash placed at another height", "header_by_hash", func(_ rpcproxy.Call, r *rpcproxy.Response) {
			var h ctypes.ResultHeader
			if r.DecodeResult(&h) == nil && h.Header != nil {
				h.Header.Height--
				_ = r.EncodeResult(&h)
			}
		}, func() error {
			b, err := l.node.Block(ctx, &tx.Height)
			if err != nil {
				return nil
			}
			_, err = l.rpc.HeaderByHash(ctx, b.BlockID.Hash)
			return err
		}},
		{"tx: success claimed for another result", "tx", func(_ rpcproxy.Call, r *rpcproxy.Response) {
			var res ctypes.ResultTx
			if r.DecodeResult(&res) == nil {
				res.TxResult.GasUsed++
				_ = r.EncodeResult(&res)
			}
		}, func() error { _, err := l.rpc.Tx(ctx, tx.Hash, false); return err }},
		{"tx_search: the transaction's bytes changed", "tx_search", func(_ rpcproxy.Call, r *rpcproxy.Response) {
			var res ctypes.ResultTxSearch
			if r.DecodeResult(&res) == nil && len(res.Txs) > 0 {
				res.Txs[0].Tx[0] ^= 1
				_ = r.EncodeResult(&res)
			}
		}, func() error {
			_, err := l.rpc.TxSearch(ctx, fmt.Sprintf("tx.hash='%X'", tx.Hash), false, nil, nil, "")
			return err
		}},
		{"block_results: a result's code changed", "block_results", func(_ rpcproxy.Call, r *rpcproxy.Response) {
			var res ctypes.ResultBlockResults
			if r.DecodeResult(&res) == nil && len(res.TxsResults) > 0 {
				res.TxsResults[0].Code = 5
				_ = r.EncodeResult(&res)
			}
		}, func() error {
			// A block the proxy has not proven results of yet (it never
			// asks again for what it has proven).
			_, err := l.rpc.Tx(ctx, tx2.Hash, false)
			return err
		}},
	}
	for _, lie := range lies {
		t.Run(lie.name, func(t *testing.T) {
			l.lie.Handle(lie.method, lie.hook)
			err := lie.call()
			l.lie.Handle(lie.method, nil)
			refused(t, lie.name, err)
			// The proxy keeps nothing from a lie: the same call, honest.
			if err := lie.call(); err != nil {
				t.Fatalf("honest again: %v", err)
			}
		})
	}
}

// TestLyingNodeHeaders: the primary forges fields of the headers the
// light client verifies (an app hash, a voting power, the chain-id). The
// call that meets the forged header fails verification; the light client
// then drops the primary for the honest witness, and what follows is
// proven through it: never the forged header, nor state it would commit.
func TestLyingNodeHeaders(t *testing.T) {
	forged := []struct {
		name, method string
		hook         func(h0 int64) rpcproxy.Hook
	}{
		{"app hash", "commit", func(h0 int64) rpcproxy.Hook {
			return func(_ rpcproxy.Call, r *rpcproxy.Response) {
				var rc ctypes.ResultCommit
				if r.DecodeResult(&rc) == nil && rc.Header != nil && rc.Height > h0 {
					rc.Header.AppHash[0] ^= 1
					_ = r.EncodeResult(&rc)
				}
			}
		}},
		{"voting power", "validators", func(h0 int64) rpcproxy.Hook {
			return func(_ rpcproxy.Call, r *rpcproxy.Response) {
				var rv ctypes.ResultValidators
				if r.DecodeResult(&rv) == nil && rv.BlockHeight > h0 && len(rv.Validators) > 0 {
					rv.Validators[0].VotingPower += 1000
					_ = r.EncodeResult(&rv)
				}
			}
		}},
		{"chain-id", "commit", func(h0 int64) rpcproxy.Hook {
			return func(_ rpcproxy.Call, r *rpcproxy.Response) {
				var rc ctypes.ResultCommit
				if r.DecodeResult(&rc) == nil && rc.Header != nil && rc.Height > h0 {
					rc.Header.ChainID = "akashnet-2"
					_ = r.EncodeResult(&rc)
				}
			}
		}},
	}
	for _, f := range forged {
		t.Run(f.name, func(t *testing.T) {
			l := startLiar(t) // a light client whose primary still lies
			ctx := testCtx(t)
			st, err := l.rpc.Status(ctx)
			if err != nil {
				t.Fatal(err)
			}
			h0 := st.SyncInfo.LatestBlockHeight
			waitHeight(t, h0+2)
			l.lie.Handle(f.method, f.hook(h0))
			defer l.lie.Handle(f.method, nil)
			target := h0 + 2
			_, err = l.rpc.Header(ctx, &target)
			refused(t, "header", err)
			// Later calls: honest, through the witness, or refused.
			hdr, err := l.rpc.Header(ctx, &target)
			if err == nil {
				want, werr := l.node.Header(ctx, &target)
				if werr != nil || !bytes.Equal(hdr.Header.Hash(), want.Header.Hash()) {
					t.Fatalf("header %d after the lie: %X, the honest node's %X", target, hdr.Header.Hash(), want.Header.Hash())
				}
			} else {
				refused(t, "header again", err)
			}
			data, _ := (&banktypes.QueryBalanceRequest{Address: l.c.alice.String(), Denom: devnet.Denom}).Marshal()
			got, err := l.rpc.ABCIQueryWithOptions(ctx, "/cosmos.bank.v1beta1.Query/Balance", data, rpcclient.ABCIQueryOptions{Height: h0 + 1})
			if err == nil {
				want, werr := l.node.ABCIQueryWithOptions(ctx, "/cosmos.bank.v1beta1.Query/Balance", data, rpcclient.ABCIQueryOptions{Height: h0 + 1})
				if werr != nil || !bytes.Equal(got.Response.Value, want.Response.Value) {
					t.Fatalf("balance at %d after the lie differs from the honest node's", h0+1)
				}
			} else {
				refused(t, "balance", err)
			}
			t.Logf("after the forged %s: %s", f.name, strings.TrimSpace(lastLines(l.log.String(), 3)))
		})
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func waitHeight(t testing.TB, h int64) {
	t.Helper()
	if err := devnettestGet(t).WaitForHeight(testctx.New(t), h); err != nil {
		t.Fatal(err)
	}
}
