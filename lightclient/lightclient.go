// Package lightclient is akw's trust layer: block headers verified by the
// CometBFT light client (with witnesses and fork detection) and chain state
// proven by Merkle proofs against those headers.
//
// The package root holds the interfaces the rest of akw programs against;
// implementations live in subpackages:
//
//	lightclient/trusted  verified headers: light.Client, store, witnesses, failover
//	lightclient/proof    pure functions that check ICS23 proofs of abci_query answers
//	lightclient/state    typed, proven queries (bank, auth, staking, gov, distribution)
//	lightclient/txproof  proven inclusion and result of a transaction
package lightclient

import (
	"context"

	rpcclient "github.com/cometbft/cometbft/rpc/client"
	cmttypes "github.com/cometbft/cometbft/types"
)

// Headers hands out light blocks that the light client has verified.
// Everything akw shows as chain state is proven against a header from here.
type Headers interface {
	// ChainID is the chain the trusted store belongs to.
	ChainID() string

	// VerifiedAt returns the light block at height, verified from the
	// trusted store (bisecting and cross-checking witnesses as needed).
	// A height a few blocks above the primary's latest is waited for
	// briefly (the next block, whose header commits a state just queried);
	// one further above is an error at once.
	VerifiedAt(ctx context.Context, height int64) (*cmttypes.LightBlock, error)

	// Latest brings the trusted state up to the primary's newest header,
	// verified and cross-checked against the witnesses, and returns it.
	Latest(ctx context.Context) (*cmttypes.LightBlock, error)
}

// Node is the untrusted full node that answers queries. Answers from it
// are only ever shown after they are checked against Headers, or labelled
// node-reported.
type Node interface {
	rpcclient.ABCIClient
	rpcclient.SignClient
	rpcclient.StatusClient
}
