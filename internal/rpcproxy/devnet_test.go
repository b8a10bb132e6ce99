package rpcproxy_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	rpcclient "github.com/cometbft/cometbft/rpc/client"
	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	"github.com/stretchr/testify/require"

	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/devnet/devnettest"
	"github.com/akash-wallet/akw/internal/rpcproxy"
	"github.com/akash-wallet/akw/internal/testctx"
)

// The shared devnet has two validators and two full nodes: fullnode0,
// which the tests hold behind, and fullnode1, which prunes all but its
// last keepRecent heights.
const (
	heldNode   = 0
	prunedNode = 1
	keepRecent = 5
)

func TestMain(m *testing.M) {
	devnettest.Main(m, devnettest.WithConfig(func(c *devnet.Config) {
		c.FullNodes = []devnet.FullNode{{}, {KeepRecent: keepRecent}}
	}))
}

func ctxFor(t *testing.T) context.Context {
	ctx := testctx.New(t)
	return ctx
}

func client(t *testing.T, url string) *rpchttp.HTTP {
	t.Helper()
	c, err := rpchttp.NewWithTimeout(url, "/websocket", 10)
	require.NoError(t, err)
	return c
}

// waitFor polls cond until it holds: a state of the chain, not a time.
func waitFor(ctx context.Context, t *testing.T, what string, cond func() bool) {
	t.Helper()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("waiting for %s: %v", what, ctx.Err())
		case <-tick.C:
		}
	}
}

// TestRoundRobinOverALaggingNode: a balancer over a current validator and
// a full node held 5 blocks behind, as a public endpoint behind Akash's
// proxy. Consecutive requests alternate between them: a newer block on
// one, an older on the next, and the lagging node refuses a height the
// other just served.
func TestRoundRobinOverALaggingNode(t *testing.T) {
	ctx := ctxFor(t)
	n := devnettest.Get(t)
	require.NoError(t, n.HoldBehind(heldNode, 5))
	t.Cleanup(func() { _ = n.HoldBehind(heldNode, 0) })
	held := n.FullNodes()[heldNode]
	waitFor(ctx, t, "the held node 5 blocks behind", func() bool {
		v, err1 := n.LatestHeight(ctx, 0)
		st, err2 := n.FullNodeClient(heldNode).Status(ctx)
		return err1 == nil && err2 == nil && v-st.SyncInfo.LatestBlockHeight >= 5
	})

	lb, err := rpcproxy.NewRoundRobin(n.RPC()[0], held.RPC)
	require.NoError(t, err)
	t.Cleanup(func() { lb.Close() })
	c := client(t, lb.URL())

	var ids []string
	var heights []int64
	for range 4 {
		st, err := c.Status(ctx)
		require.NoError(t, err)
		ids = append(ids, string(st.NodeInfo.ID()))
		heights = append(heights, st.SyncInfo.LatestBlockHeight)
	}
	v0 := n.Validators()[0].NodeID
	require.Equal(t, []string{v0, held.NodeID, v0, held.NodeID}, ids, "no stickiness: every request to the next node")
	require.GreaterOrEqual(t, heights[0]-heights[1], int64(4), "heights %v", heights)
	require.GreaterOrEqual(t, heights[2]-heights[3], int64(4), "heights %v", heights)
	require.Equal(t, []int64{2, 2}, lb.TargetCounts())

	// The validator's latest commit, then the same height from the
	// lagging node: its real refusal.
	cm, err := c.Commit(ctx, nil)
	require.NoError(t, err)
	h := cm.Height
	_, err = c.Commit(ctx, &h)
	require.ErrorContains(t, err, "must be less than or equal to the current blockchain height")

	// Queries at the latest height answer from two states.
	q1, err := c.ABCIQueryWithOptions(ctx, "/store/bank/key", []byte{5}, rpcclient.ABCIQueryOptions{})
	require.NoError(t, err)
	q2, err := c.ABCIQueryWithOptions(ctx, "/store/bank/key", []byte{5}, rpcclient.ABCIQueryOptions{})
	require.NoError(t, err)
	require.GreaterOrEqual(t, q1.Response.Height-q2.Response.Height, int64(4))

	// Let go, the node catches up.
	require.NoError(t, n.HoldBehind(heldNode, 0))
	target, err := n.LatestHeight(ctx, 0)
	require.NoError(t, err)
	require.NoError(t, n.WaitForFullNodeHeight(ctx, heldNode, target))
}

// TestPruneBelowIsAPrunedNode: a proxy with PruneBelow in front of a
// validator that keeps everything answers exactly what the devnet's
// pruning full node answers, for every kind of call a wallet makes below
// the pruned height.
func TestPruneBelowIsAPrunedNode(t *testing.T) {
	ctx := ctxFor(t)
	n := devnettest.Get(t)
	pruned := n.FullNodes()[prunedNode]
	const old = 3
	// State: the pruned node has dropped block 3 and state version 3.
	waitFor(ctx, t, "the full node to prune height 3", func() bool {
		st, err := n.FullNodeClient(prunedNode).Status(ctx)
		if err != nil || st.SyncInfo.EarliestBlockHeight <= old {
			return false
		}
		res, err := n.FullNodeClient(prunedNode).ABCIQueryWithOptions(ctx, "/store/bank/key", []byte{5}, rpcclient.ABCIQueryOptions{Height: old})
		return err == nil && res.Response.Log == "version does not exist"
	})
	st, err := n.FullNodeClient(prunedNode).Status(ctx)
	require.NoError(t, err)

	p, err := rpcproxy.New(n.RPC()[0])
	require.NoError(t, err)
	t.Cleanup(func() { p.Close() })
	p.PruneBelow(st.SyncInfo.EarliestBlockHeight)
	var hooked atomic.Int64
	p.Handle("commit", func(rpcproxy.Call, *rpcproxy.Response) { hooked.Add(1) })

	calls := []string{
		`{"jsonrpc":"2.0","id":1,"method":"commit","params":{"height":"3"}}`,
		`{"jsonrpc":"2.0","id":2,"method":"validators","params":{"height":"3"}}`,
		`{"jsonrpc":"2.0","id":3,"method":"block","params":{"height":"3"}}`,
		`{"jsonrpc":"2.0","id":4,"method":"header","params":{"height":"3"}}`,
		`{"jsonrpc":"2.0","id":5,"method":"abci_query","params":{"path":"/store/bank/key","data":"05","height":"3","prove":true}}`,
		`{"jsonrpc":"2.0","id":6,"method":"abci_query","params":{"path":"/store/bank/key","data":"05","height":"3","prove":false}}`,
		`{"jsonrpc":"2.0","id":7,"method":"abci_query","params":{"path":"/cosmos.bank.v1beta1.Query/Params","data":"","height":"3","prove":false}}`,
	}
	// The numbers that differ between the two nodes: their lowest and
	// latest heights.
	heights := regexp.MustCompile(`(lowest height is|latest height:) \d+`)
	for _, call := range calls {
		want := post(t, pruned.RPC, call)
		got := post(t, p.URL(), call)
		require.Equal(t, heights.ReplaceAllString(want, "$1 N"), heights.ReplaceAllString(got, "$1 N"), call)
		require.NotContains(t, got, `"result":{"block_id"`, "a pruned height served")
	}
	require.Equal(t, int64(len(calls)), p.Pruned())
	require.Zero(t, hooked.Load(), "a pruned answer is not a node's to rewrite")

	// Heights from the floor up, and the latest, go through.
	c := client(t, p.URL())
	floor := st.SyncInfo.EarliestBlockHeight
	_, err = c.Commit(ctx, &floor)
	require.NoError(t, err)
	res, err := c.ABCIQueryWithOptions(ctx, "/store/bank/key", []byte{5}, rpcclient.ABCIQueryOptions{Height: floor, Prove: true})
	require.NoError(t, err)
	require.Zero(t, res.Response.Code, res.Response.Log)
	require.NotNil(t, res.Response.ProofOps)
	_, err = c.Validators(ctx, nil, nil, nil)
	require.NoError(t, err)
	require.Equal(t, int64(1), hooked.Load())

	p.PruneBelow(0)
	old3 := int64(old)
	_, err = c.Commit(ctx, &old3)
	require.NoError(t, err, "PruneBelow(0) turns it off")
}

// TestRateLimit: HTTP 429 for the next requests, with Retry-After, then
// answers again; or every request until lifted.
func TestRateLimit(t *testing.T) {
	ctx := ctxFor(t)
	n := devnettest.Get(t)
	p, err := rpcproxy.New(n.RPC()[0])
	require.NoError(t, err)
	t.Cleanup(func() { p.Close() })
	c := client(t, p.URL())

	p.RateLimit(2, 1500*time.Millisecond)
	resp, err := http.Post(p.URL(), "application/json", strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"status","params":{}}`))
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	require.Equal(t, "2", resp.Header.Get("Retry-After"), "1.5 s rounds up")
	require.Equal(t, "429 Too Many Requests\n", string(body))
	_, err = c.Status(ctx)
	require.ErrorContains(t, err, "429")
	_, err = c.Status(ctx)
	require.NoError(t, err, "two requests refused, then answers")
	require.Equal(t, int64(2), p.RateLimited())
	require.Zero(t, p.Count("status")-1, "refused requests are not forwarded")

	p.RateLimit(-1, 0)
	for range 3 {
		resp, err := http.Get(p.URL() + "/status")
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
		require.Empty(t, resp.Header.Get("Retry-After"))
	}
	p.RateLimit(0, 0)
	_, err = c.Status(ctx)
	require.NoError(t, err)
}

// post sends a JSON-RPC body and returns the answer, compacted.
func post(t *testing.T, url, body string) string {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	bz, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(bz))
	var v any
	require.NoError(t, json.Unmarshal(bz, &v), string(bz))
	out, err := json.Marshal(v)
	require.NoError(t, err)
	return string(out)
}
