// Package integration holds devnet tests of the transaction library
// (tx/flow, tx/ops over tx/proven): each operation is prepared, checked
// against proven state, signed, broadcast and proven included on a real
// in-process chain, and its effect is confirmed through akw's own proven
// queries (lightclient/state), never through the node's word.
package integration
