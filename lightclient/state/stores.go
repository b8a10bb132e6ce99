package state

import (
	"context"
	"errors"
	"slices"

	rpcclient "github.com/cometbft/cometbft/rpc/client"
	cmttypes "github.com/cometbft/cometbft/types"
	"golang.org/x/sync/errgroup"

	"github.com/akash-wallet/akw/lightclient"
	"github.com/akash-wallet/akw/lightclient/proof"
)

// A chain's store set changes at upgrades (Akash's v1.0.0 removed astaking
// and agov; v2.0.0 removed take and added epochs, oracle, bme, wasm and
// awasm), so a historical query can name a store the multistore at that
// height does not have. The node then refuses the query ("version does not
// exist", or "proof is unexpectedly empty" with a proof asked for), the
// very answer it gives for a height it pruned. akw tells the two apart
// with a proof: the stores on either side of the missing one, at the same
// height, adjacent in the multistore (proof.VerifyStoreAbsence). Their
// names must be known, since the multistore's tree commits only hashes:
// the Querier's store names (WithStoreNames) are the candidates. Only a
// query that every node refused (ErrUnavailable, held.go) is looked at.

// KnownStores are the store names akw looks among for the neighbours of a
// store missing at a height: Akash mainnet's 26 stores at v2.x and those
// its upgrades removed (astaking and agov at v1.0.0, take at v2.0.0). Any
// name may be wrong for a chain; a wrong one costs a query, never a false
// answer, since adjacency is proven.
var KnownStores = []string{
	"acc", "agov", "astaking", "audit", "authz", "awasm", "bank", "bme",
	"cert", "consensus", "deployment", "distribution", "epochs", "escrow",
	"evidence", "feegrant", "gov", "ibc", "market", "mint", "oracle",
	"params", "provider", "slashing", "staking", "take", "transfer",
	"upgrade", "wasm",
}

// WithStoreNames adds the names of stores the chain has or had to
// KnownStores (a devnet's, another chain's).
func WithStoreNames(names ...string) Option {
	return func(q *Querier) { q.storeNames = append(q.storeNames, names...) }
}

// neighbourTries bounds the candidates asked on each side of a missing
// store: a neighbour missing too (stores an upgrade added side by side)
// is skipped for the next one.
const neighbourTries = 3

// storeAbsent is called when no node would answer q (unavailable, from
// ask: each refused, as a node that pruned the height does, and as every
// node does for a store missing at that height). If the multistore at
// q.Height is proven to have no store q.Store, it returns ErrStoreAbsent;
// if a node lies about the neighbours, that failed verification; in every
// other case unavailable, unchanged.
//
// The nodes are tried in ask's order, each only as far as it holds the
// height: a node that refuses both nearest neighbours does not (pruned),
// and costs two queries.
func (v *View) storeAbsent(ctx context.Context, q proof.Query, unavailable *ErrUnavailable) error {
	lb, err := v.header(ctx)
	if err != nil {
		return err
	}
	nodes, err := v.q.nodesNow()
	if err != nil {
		return unavailable
	}
	below, above := v.q.neighbourCandidates(q.Store)
	for _, node := range nodes {
		answers, err := v.neighbours(ctx, node, q, [2][]string{below, above}, lb)
		if errors.Is(err, errNodeUnreachable) {
			continue
		}
		if err != nil {
			return err
		}
		if answers[0] == nil && answers[1] == nil {
			continue // this node does not hold the height either
		}
		// A side without an answer is taken as the edge of the
		// multistore; VerifyStoreAbsence proves that it is, or refuses.
		err = proof.VerifyStoreAbsence(q.Store, answers[0], answers[1], lb.Header.AppHash)
		var notProven proof.ErrStoreNotProvenAbsent
		switch {
		case err == nil:
			return &ErrStoreAbsent{Store: q.Store, Height: q.Height, Left: storeName(answers[0]), Right: storeName(answers[1])}
		case errors.As(err, &notProven):
			return unavailable
		default:
			return &ErrProof{Node: nodeURL(node), Query: q, Err: err}
		}
	}
	return unavailable
}

// neighbours asks node for the stores around q.Store at q.Height: the
// nearest candidate on each side at once, then, if the node answered one
// of them (it holds the height), further candidates on a side whose
// nearest it refused (missing at that height too).
func (v *View) neighbours(ctx context.Context, node lightclient.Node, q proof.Query, sides [2][]string, lb *cmttypes.LightBlock) ([2]*proof.StoreAnswer, error) {
	var answers [2]*proof.StoreAnswer
	round := func(first, last int) error {
		g, gctx := errgroup.WithContext(ctx)
		for i := range sides {
			if answers[i] != nil || len(sides[i]) <= first {
				continue
			}
			cands := sides[i][first:min(last, len(sides[i]))]
			goGuarded(g, "the stores around "+q.Store, func() (err error) {
				answers[i], err = v.neighbour(gctx, node, q, cands, lb)
				return err
			})
		}
		return g.Wait()
	}
	if err := round(0, 1); err != nil || (answers[0] == nil && answers[1] == nil) {
		return answers, err
	}
	err := round(1, neighbourTries)
	return answers, err
}

// errNodeUnreachable: the node did not answer at all; another may.
var errNodeUnreachable = errors.New("node unreachable")

// neighbour asks node, at q.Height, for q.Key in each candidate store in
// turn until one answers with a proof that verifies against lb; nil if the
// node refuses them all. The answer is verified here so that a lie is
// reported as one; VerifyStoreAbsence checks it again, bound to the same
// app hash.
func (v *View) neighbour(ctx context.Context, node lightclient.Node, q proof.Query, candidates []string, lb *cmttypes.LightBlock) (*proof.StoreAnswer, error) {
	for _, name := range candidates {
		nq := proof.Query{Store: name, Key: q.Key, Height: q.Height}
		res, err := node.ABCIQueryWithOptions(ctx, nq.Path(), nq.Key, rpcclient.ABCIQueryOptions{Height: nq.Height, Prove: true})
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, errNodeUnreachable
		}
		if res == nil {
			return nil, errNodeUnreachable
		}
		if res.Response.Code != 0 {
			continue // missing at that height too, or not held: the next
		}
		resp := res.Response
		if _, err := verify(nodeURL(node), nq, &resp, lb); err != nil {
			return nil, err
		}
		return &proof.StoreAnswer{Query: nq, Resp: &resp}, nil
	}
	return nil, nil
}

// neighbourCandidates are the known store names below store and above
// it, nearest first.
func (q *Querier) neighbourCandidates(store string) (below, above []string) {
	names := append(slices.Clone(KnownStores), q.storeNames...)
	slices.Sort(names)
	for _, n := range slices.Compact(names) {
		switch {
		case n < store:
			below = append(below, n)
		case n > store:
			above = append(above, n)
		}
	}
	slices.Reverse(below)
	return below, above
}

func storeName(a *proof.StoreAnswer) string {
	if a == nil {
		return ""
	}
	return a.Query.Store
}
