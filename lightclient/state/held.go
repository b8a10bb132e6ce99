package state

import (
	"context"
	"fmt"
	"strings"

	abci "github.com/cometbft/cometbft/abci/types"
	rpcclient "github.com/cometbft/cometbft/rpc/client"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/lightclient"
	"github.com/akash-wallet/akw/lightclient/proof"
)

// A node that does not hold the state asked for answers abci_query with a
// non-zero code and no proof. The Cosmos SDK (v0.53, store/rootmulti and
// store/iavl) gives the same answer for a height it pruned and for one
// above its newest block — a backend behind a load balancer that lags the
// verified header: code 7, codespace "store", "proof is unexpectedly
// empty; ensure height has not been pruned: invalid request" (checked on
// the devnet against a full node held blocks behind and one that prunes).
//
// Such an answer proves nothing either way: there is nothing to verify,
// so it is no verification failure (exit 3 stays for answers that do not
// check out). It is asked again of the same node — behind a per-request
// load balancer, as Akash's public RPC, the next request may reach a
// backend that has the state — then of the witnesses: which node answers
// is no matter of trust, since every answer is checked against the same
// verified header, only of getting one. If none answers, the query fails
// with ErrUnavailable (errkind.Unproven: exit 3, "could not be proven",
// never worded as a failed verification), naming the height and the nodes.

// Tries per node for state it says it does not hold: the primary (often a
// load balancer) three times, each witness twice.
const (
	primaryTries = 3
	witnessTries = 2
)

// queryNoder is what lightclient/trusted.Client offers beyond Headers:
// every node that may answer queries, the current one first.
type queryNoder interface {
	QueryNodes() []lightclient.Node
}

// nodesNow lists the nodes to ask for a proof, in order: the node given to
// New, or the light client's current one then the others.
func (q *Querier) nodesNow() ([]lightclient.Node, error) {
	if q.node == nil {
		if p, ok := q.headers.(queryNoder); ok {
			if ns := p.QueryNodes(); len(ns) > 0 {
				return ns, nil
			}
		}
	}
	n, err := q.nodeNow()
	if err != nil {
		return nil, err
	}
	return []lightclient.Node{n}, nil
}

// ask gets an answer to q with a proof from the first node that holds the
// state, and says which node gave it. The answer is not checked here: the
// caller verifies it, and an answer that does not verify is that node's
// failure (ErrProof), not a reason to ask another.
//
// A node that cannot be reached fails the query if it is the first asked
// (ErrNode: the session's failover brings the light client up to date and
// retries); a witness asked only because the first lacked the state is
// passed over.
func (v *View) ask(ctx context.Context, q proof.Query) (string, *abci.ResponseQuery, error) {
	nodes, err := v.q.nodesNow()
	if err != nil {
		return "", nil, err
	}
	var refused []Refusal
	for i, node := range nodes {
		tries := witnessTries
		if i == 0 {
			tries = primaryTries
		}
		for range tries {
			res, err := node.ABCIQueryWithOptions(ctx, q.Path(), q.Key, rpcclient.ABCIQueryOptions{Height: q.Height, Prove: true})
			if err != nil {
				if ctx.Err() != nil {
					return "", nil, ctx.Err()
				}
				if i == 0 {
					if aerr := v.aboveTip(ctx); aerr != nil {
						return "", nil, aerr
					}
					return "", nil, &ErrNode{Op: "abci_query " + q.Path(), Err: err}
				}
				refused = append(refused, Refusal{Node: nodeURL(node), Reason: err.Error()})
				break
			}
			if res == nil {
				// Nothing to verify is still an answer that does not
				// check out: proof.Verify refuses it (ErrNoProof).
				return nodeURL(node), nil, nil
			}
			if res.Response.Code == 0 {
				return nodeURL(node), &res.Response, nil
			}
			if i == 0 {
				// A guessed height above the chain: the state below it
				// is refused for that, not missing (newest.go).
				if err := v.aboveTip(ctx); err != nil {
					return "", nil, err
				}
			}
			refused = append(refused, Refusal{Node: nodeURL(node), Code: res.Response.Code,
				Codespace: res.Response.Codespace, Reason: res.Response.Log})
		}
	}
	return "", nil, &ErrUnavailable{Query: q, Historical: v.historical, Refusals: refused}
}

// Refusal is one node's answer that it could not give a proven answer.
type Refusal struct {
	Node      string `json:"node"`
	Code      uint32 `json:"code,omitempty"`
	Codespace string `json:"codespace,omitempty"`
	Reason    string `json:"reason"`
}

func (r Refusal) String() string {
	who := r.Node
	if who == "" {
		who = "the node"
	}
	if r.Code != 0 {
		return fmt.Sprintf("%s: code %d %s: %s", who, r.Code, r.Codespace, r.Reason)
	}
	return who + ": " + r.Reason
}

// ErrUnavailable means no node answered a query at the view's height with
// a proof: each said it does not hold that state (pruned, or not there
// yet) or could not be reached. Nothing was proven or disproven, and
// nothing is shown. Its kind is errkind.Unproven (exit 3, "could not be
// proven"), never Verification: no answer failed to check out.
type ErrUnavailable struct {
	Query proof.Query
	// Historical: the height was the caller's choice (a --height query),
	// not the newest verified state.
	Historical bool
	// Refusals: each node's answers, in the order asked.
	Refusals []Refusal
}

func (e *ErrUnavailable) Error() string {
	var parts []string
	seen := map[string]int{}
	for _, r := range e.Refusals {
		s := r.String()
		if seen[s]++; seen[s] == 1 {
			parts = append(parts, s)
		}
	}
	for i, p := range parts {
		if n := seen[p]; n > 1 {
			parts[i] = fmt.Sprintf("%s (%d times)", p, n)
		}
	}
	return fmt.Sprintf("no node holds the state at height %d (abci_query %s): %s",
		e.Query.Height, e.Query.Path(), strings.Join(parts, "; "))
}

// Kind: unproven (exit 3, "could not be proven"), not a verification
// failure: no answer failed to check out; and not the network: the nodes
// answered, they do not hold the state.
func (e *ErrUnavailable) Kind() errkind.Kind { return errkind.Unproven }

// Hint: for a height the user chose, a more recent one or a node that
// keeps every height; for the newest state, the nodes are behind the
// verified header (or out of sync), which a retry may outlast.
func (e *ErrUnavailable) Hint() string {
	if e.Historical {
		return "the nodes have pruned that height (public nodes keep only recent ones)"
	}
	return "the nodes are behind the verified header or out of sync; retry in a few seconds"
}

func (e *ErrUnavailable) Remedy() errkind.Remedy {
	if e.Historical {
		return errkind.Remedy{Do: errkind.RecentHeight}
	}
	return errkind.Remedy{Do: errkind.CheckNodes}
}
