// Package integration holds the tests of package history against a real
// chain: an in-process akash devnet (internal/devnet) of three validators,
// the third with its transaction index turned off, and internal/rpcproxy
// in front of a node to count its requests, take it down, or make it lie
// in its index. It is a separate package so that the unit tests of
// history do not start a devnet.
package integration
