// Package integration holds the tests of lightclient/trusted against real
// CometBFT nodes: an in-process akash devnet (internal/devnet) with three
// validators, a second devnet forked from the same genesis and validator
// keys, and internal/rpcproxy in front of nodes to kill them, delay them or
// make them look pruned. It is a separate package so that the unit tests of
// lightclient/trusted do not link the Cosmos SDK application.
package integration
