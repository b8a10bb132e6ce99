// Package fuzz holds fuzz targets that drive the light client and the
// proven queries from outside, through their public APIs, with a node
// whose answers the fuzzer writes: what akw decodes from the network
// (light blocks, abci_query responses) and what it must never accept.
// It has no code of its own besides its tests.
package fuzz
