// Package proxy is a verifying CometBFT JSON-RPC endpoint: `akw proxy`.
// Wallets, scripts and the chain's own CLI point at it as they would at a
// node, and every answer they get is one akw has proven against headers
// its light client verified, or one marked as the node's word, or a
// refusal that says why. A lying node can make a client fail through the
// proxy, never make it believe something false.
//
// It speaks the HTTP JSON-RPC of a CometBFT v0.38 node (POST with single
// calls and batches, and the GET URI form; no websocket):
//
//	status, abci_info        from the newest verified header; the node's own identity is dropped
//	header, commit,          from light blocks the light client verified
//	validators
//	header_by_hash           the node names the height, the verified header must have the hash
//	block, block_by_hash     checked whole against the verified header (header, txs, last
//	                         commit, evidence, block id)
//	blockchain               headers and block ids checked; block_size and num_txs node-reported
//	abci_query /store/<s>/key  the node's proof checked against the verified app hash
//	abci_query gRPC paths    answered from proven state as the node's query service answers
//	                         (GRPCPaths): bank, auth, staking, distribution rewards, gov,
//	                         authz (upstream store layout only), feegrant
//	tx, tx_search            each transaction's inclusion and result proven (txproof);
//	                         log and events node-reported; a search's list node-reported
//	broadcast_tx_sync/async  forwarded (the mempool's answer is the node's)
//	broadcast_tx_commit      answered once inclusion and result are proven
//	simulation, check_tx     forwarded, marked
//	health                   the proxy's own
//	anything else            refused (CodeRefused), or forwarded and marked with AllowUnverified
//
// Every HTTP answer carries X-Akw-Outcome (what was done with each call:
// verified, verified+node-reported, forwarded, refused, ...), and
// X-Akw-Unverified when any part of it is not verified; the log line of
// each call says the same.
//
// The proxy takes what it needs through the interfaces of proxy.go: the
// light client's verified headers (Headers), proven state pinned to a
// header (Views) and the node to ask (Upstream); cmd/akw wires them to
// lightclient/trusted and lightclient/state.
package proxy
