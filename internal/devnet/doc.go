// Package devnet runs a local Akash-like chain in-process, for demos and
// for tests that need a real chain: CometBFT v0.38 validators with cosmos-sdk
// v0.53 apps (auth with unordered transactions, bank, staking,
// distribution, gov v1, mint, authz, feegrant, consensus, vesting, and
// x/upgrade's keeper), chain-id akash-devnet-1, bech32 prefix akash. As on
// Akash mainnet, transactions may be signed in SIGN_MODE_DIRECT,
// DIRECT_AUX or LEGACY_AMINO_JSON, not TEXTUAL, and unordered transactions
// are enabled; validators ask 0.0025uakt per gas.
//
// The chain looks like mainnet wherever a wallet can tell: the staking and
// fee denom uakt and ACT (ActDenom, send-disabled, mainnet's metadata),
// an IBC voucher without metadata (IBCDenom), mainnet's governance
// parameters with amounts and periods scaled down (see govParams), and
// mainnet's 26-store multistore (MainnetStores; the stores of modules the
// devnet does not run are stand-ins holding one key). Optional: up to
// MaxValidators validators, non-validator full nodes that lag
// (Network.HoldBehind) or prune (FullNode.KeepRecent), and an upgrade that
// adds a store at a height (UpgradeAddsStore).
//
// Start(ctx, Config{Dir: DIR}) brings up Config.Validators validators (two
// by default), each a full node with its own RPC, P2P, gRPC and REST
// listener on 127.0.0.1 and nothing else; blocks come about every
// Config.BlockTime; validators keep every version of the state (proofs at
// any past height) and index transactions (/tx?hash=). A node stopped
// (Stop, or its restart at an upgrade) answers nothing more, not even on
// a connection kept alive from before (rpcserver.go). Start returns once
// every node has committed block 2, and has then written:
//
//	DIR/devnet.json      Info: chain-id, RPC URLs, accounts with mnemonics (removed on Stop)
//	DIR/keyring-test/    the accounts, in a cosmos-sdk keyring (app "akw", backend test)
//	DIR/devnet/          the chain: chain.json (its Genesis) and one directory per node
//
// Nothing else in DIR is touched. A second Start on the same DIR resumes
// the chain in DIR/devnet (new ports, same state); Config.Reset discards it
// for a new one. A running devnet holds a lock on DIR/devnet.
//
// The funded accounts (alice, bob, carol by default; AKT and ACT) and the
// validator operators (AKT) have fresh 24-word mnemonics at
// m/44'/118'/0'/0/0. Network's
// Send, Delegate, SubmitProposal, Vote and Exec sign with those keys and
// wait until every validator has committed the transaction, so tests can
// change the state and query any validator afterwards.
//
// Several devnets can run in one process, in different directories. A
// Genesis (NewGenesis, or Network.Genesis of a running devnet) given to
// Config.Genesis of a second devnet gives a second chain with the same
// genesis and validator keys, which forks from the first at once: the
// light-client attack scenario, with valid signatures on both sides.
//
// The package sets the process-wide cosmos-sdk bech32 configuration to
// akash's (SetSDKConfig) and does not seal it. Node logs go to Config.Log
// at Config.LogLevel ("error" by default).
package devnet
