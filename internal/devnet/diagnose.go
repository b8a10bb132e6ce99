package devnet

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
)

// Diagnose describes, for a test that waited in vain, what each node is
// doing: its stored and applied heights, its consensus height, round and
// step, and its peers, as the node's RPC tells them. A test prints it
// when a wait for a height fails: "the chain stalled" and "one node
// answers from an old state" look alike from a single number.
func (n *Network) Diagnose(ctx context.Context) string {
	type node struct {
		name string
		cl   *rpchttp.HTTP
		p2p  string
	}
	var nodes []node
	n.nodesMu.Lock()
	for i, v := range n.vals {
		nodes = append(nodes, node{v.name, n.rpc[i], v.p2pAddr})
	}
	for i, v := range n.full {
		nodes = append(nodes, node{v.name, n.fullRPC[i], v.p2pAddr})
	}
	n.nodesMu.Unlock()

	var b strings.Builder
	for _, nd := range nodes {
		fmt.Fprintf(&b, "%s (p2p %s):", nd.name, nd.p2p)
		for _, q := range nodeQuestions {
			// Bounded each: the test is past its deadline already, and
			// a node that hangs must not hang the report.
			c, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			s, err := q.ask(c, nd.cl)
			cancel()
			if err != nil {
				s = fmt.Sprintf("%s: %v", q.name, err)
			}
			fmt.Fprintf(&b, " %s;", s)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// nodeQuestions are what Diagnose asks each node.
var nodeQuestions = []struct {
	name string
	ask  func(context.Context, *rpchttp.HTTP) (string, error)
}{
	{"status", func(c context.Context, cl *rpchttp.HTTP) (string, error) {
		st, err := cl.Status(c)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("block %d", st.SyncInfo.LatestBlockHeight), nil
	}},
	{"abci_info", func(c context.Context, cl *rpchttp.HTTP) (string, error) {
		info, err := cl.ABCIInfo(c)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("app %d", info.Response.LastBlockHeight), nil
	}},
	{"consensus_state", func(c context.Context, cl *rpchttp.HTTP) (string, error) {
		cs, err := cl.ConsensusState(c)
		if err != nil {
			return "", err
		}
		var rs struct {
			HRS string `json:"height/round/step"`
		}
		if err := json.Unmarshal(cs.RoundState, &rs); err != nil {
			return "", err
		}
		return "consensus " + rs.HRS, nil
	}},
	{"net_info", func(c context.Context, cl *rpchttp.HTTP) (string, error) {
		ni, err := cl.NetInfo(c)
		if err != nil {
			return "", err
		}
		var peers []string
		for _, p := range ni.Peers {
			dir := "in"
			if p.IsOutbound {
				dir = "out"
			}
			peers = append(peers, fmt.Sprintf("%s %s", p.NodeInfo.Moniker, dir))
		}
		return fmt.Sprintf("listening %v, %d peers [%s]", ni.Listening, ni.NPeers, strings.Join(peers, ", ")), nil
	}},
}
