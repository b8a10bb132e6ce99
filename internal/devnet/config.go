package devnet

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"
)

// Fixed identity of the devnet chain. They match Akash mainnet wherever a
// wallet could notice (prefix, denom, coin type) so that the wallet's code
// paths are the mainnet ones.
const (
	ChainID      = "akash-devnet-1"
	Bech32Prefix = "akash"
	Denom        = "uakt"
	CoinType     = 118
	// HDPath is the derivation path of every devnet account key.
	HDPath = "m/44'/118'/0'/0/0"
	// KeyringAppName is the cosmos-sdk keyring service name akw uses; the
	// devnet's test keyring lives at DIR/keyring-test under it.
	KeyringAppName = "akw"
)

// MaxValidators bounds Config.Validators: enough for commits signed by a
// realistic number of validators and for the light client's bisection,
// few enough that every validator, a full node with its own app, runs in
// one process (see BenchmarkStart for what a start costs).
const MaxValidators = 30

// Defaults for the zero values of Config.
const (
	DefaultValidators   = 2
	DefaultBlockTime    = time.Second
	DefaultVotingPeriod = 20 * time.Second
	// DefaultMinGasPrices is the mainnet nodes' default minimum gas price, so
	// that fee handling is exercised as it will be on mainnet.
	DefaultMinGasPrices = "0.0025" + Denom
	// DefaultUnbondingTime is mainnet's: the light client's trusting period
	// is derived from it, so a devnet with a tiny unbonding period would
	// make the wallet's defaults nonsensical.
	DefaultUnbondingTime = 21 * 24 * time.Hour
)

// DefaultAccounts are the names of the funded accounts of a new devnet.
var DefaultAccounts = []string{"alice", "bob", "carol"}

// Config describes a devnet to start. The zero value (with Dir set) is a
// two-validator chain with alice, bob and carol funded.
type Config struct {
	// Dir is the devnet's home. Start writes DIR/devnet.json, the test
	// keyring DIR/keyring-test and the nodes' data under DIR/devnet; it
	// touches nothing else in DIR.
	Dir string

	// ChainID of a new chain; "" means ChainID (akash-devnet-1).
	ChainID string

	// Validators is the number of validators, each a full node with its
	// own RPC. 0 means DefaultValidators (or, on resume, what DIR holds).
	Validators int
	// Accounts names the funded accounts. nil means DefaultAccounts.
	Accounts []string

	// FullNodes are non-validator full nodes to run beside the
	// validators, up to MaxFullNodes: public nodes as a wallet meets
	// them, one that lags (Network.HoldBehind) or prunes (KeepRecent).
	// They are not in devnet.json's RPC list nor witnesses of a home
	// ConfigureHome writes.
	FullNodes []FullNode

	// BlockTime is the pause between blocks (CometBFT timeout_commit).
	BlockTime time.Duration
	// TimeoutPropose is how long validators wait for a round's proposal
	// before moving to the next round (CometBFT timeout_propose); 0 means
	// 2 s. A round change gives the block another proposer, so two chains
	// started from one Genesis share block 1 only if both commit it in
	// round 0: tests that fork a chain raise it, so that a busy machine
	// starting the validators slowly cannot make the chains differ at
	// block 1 already. Never raise it where a test stops a validator: its
	// turns to propose would each stall the chain that long.
	TimeoutPropose time.Duration
	// VotingPeriod is gov's voting period; the expedited one is half of it.
	VotingPeriod time.Duration
	// UnbondingTime is staking's unbonding period.
	UnbondingTime time.Duration
	// MinGasPrices is every validator's minimum gas price ("0uakt" for free
	// transactions).
	MinGasPrices string

	// UpgradeAddsStore, if set, schedules in a new chain's genesis an
	// upgrade that adds a store at a height (see UpgradeAddsStore). It is
	// part of the chain (kept in chain.json), so a resumed chain keeps it.
	UpgradeAddsStore *UpgradeAddsStore

	// Genesis, when set, starts the chain from this genesis document,
	// validator keys and accounts instead of generating new ones. Two
	// devnets started from one Genesis share block 1 and then fork.
	Genesis *Genesis

	// Reset wipes DIR/devnet first, so that a new chain is created even if
	// DIR already holds one. Without it, an existing devnet in DIR is
	// resumed.
	Reset bool

	// StartTimeout bounds the wait for the first blocks. 0 means the
	// deadline of Start's context if it has one (a test waits as long as
	// its binary may run: a busy machine is slow, not broken), else 60s.
	StartTimeout time.Duration

	// Log receives the nodes' logs; nil discards them.
	Log io.Writer
	// LogLevel is "error" (the default), "warn", "info" or "debug".
	LogLevel string

	// Logf, if set, receives one line per step of the start-up ("creating
	// chain", "started validator0", ...), for a CLI's progress output.
	Logf func(format string, args ...any)

	// RewriteProposal, when set, rewrites the transaction list of every
	// block a validator proposes, after the SDK's own selection: a
	// misbehaving proposer, for tests of what a light client must survive.
	// CometBFT and the SDK accept whatever list fits the block's size
	// limits — the same transaction twice, for one: the first copy
	// executes, the second fails (its sequence is used up). Nothing keeps
	// it across a resume: a resumed devnet proposes honestly unless it is
	// set again.
	RewriteProposal func(txs [][]byte) [][]byte

	// TxIndexOff lists validators (0-based) whose transaction index is
	// turned off ([tx_index] indexer = "null"), as on many public nodes:
	// their tx_search and tx answer "transaction indexing is disabled".
	// The helpers' transactions wait on validator 0's index: keep it on.
	TxIndexOff []int
}

func (c Config) withDefaults() Config {
	if c.BlockTime == 0 {
		c.BlockTime = DefaultBlockTime
	}
	if c.VotingPeriod == 0 {
		c.VotingPeriod = DefaultVotingPeriod
	}
	if c.UnbondingTime == 0 {
		c.UnbondingTime = DefaultUnbondingTime
	}
	if c.MinGasPrices == "" {
		c.MinGasPrices = DefaultMinGasPrices
	}
	if c.Accounts == nil {
		c.Accounts = DefaultAccounts
	}
	if c.LogLevel == "" {
		c.LogLevel = "error"
	}
	if c.Log == nil {
		c.Log = io.Discard
	}
	if c.Logf == nil {
		c.Logf = func(string, ...any) {}
	}
	return c
}

// startContext bounds the wait for the first blocks (StartTimeout).
func (c Config) startContext(ctx context.Context) (context.Context, context.CancelFunc) {
	if c.StartTimeout > 0 {
		return context.WithTimeout(ctx, c.StartTimeout)
	}
	if _, ok := ctx.Deadline(); ok {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, 60*time.Second)
}

func (c Config) validate() error {
	if c.Dir == "" {
		return &ConfigError{Field: "Dir", Reason: "is empty"}
	}
	if c.Validators < 0 || c.Validators > MaxValidators {
		return &ConfigError{Field: "Validators", Reason: fmt.Sprintf("%d is not between 1 and %d", c.Validators, MaxValidators)}
	}
	if c.BlockTime < 100*time.Millisecond {
		return &ConfigError{Field: "BlockTime", Reason: fmt.Sprintf("%s is below 100ms", c.BlockTime)}
	}
	if c.VotingPeriod < 2*time.Second {
		return &ConfigError{Field: "VotingPeriod", Reason: fmt.Sprintf("%s is below 2s", c.VotingPeriod)}
	}
	if len(c.FullNodes) > MaxFullNodes {
		return &ConfigError{Field: "FullNodes", Reason: fmt.Sprintf("%d is more than %d", len(c.FullNodes), MaxFullNodes)}
	}
	for i, fn := range c.FullNodes {
		if fn.KeepRecent < 0 || fn.KeepRecent == 1 {
			return &ConfigError{Field: "FullNodes", Reason: fmt.Sprintf("full node %d: KeepRecent %d is neither 0 (keep all) nor at least 2", i, fn.KeepRecent)}
		}
	}
	if c.UpgradeAddsStore != nil {
		if err := c.UpgradeAddsStore.validate(); err != nil {
			return err
		}
	}
	seen := map[string]bool{}
	for _, name := range c.Accounts {
		switch {
		case name == "" || strings.ContainsAny(name, " \t\n/\\"):
			return &ConfigError{Field: "Accounts", Reason: fmt.Sprintf("%q is not a usable key name", name)}
		case seen[name]:
			return &ConfigError{Field: "Accounts", Reason: fmt.Sprintf("%q appears twice", name)}
		case strings.HasPrefix(name, validatorNamePrefix):
			return &ConfigError{Field: "Accounts", Reason: fmt.Sprintf("%q is reserved for validator operators", name)}
		}
		seen[name] = true
	}
	switch c.LogLevel {
	case "error", "warn", "info", "debug":
	default:
		return &ConfigError{Field: "LogLevel", Reason: fmt.Sprintf("%q is not error, warn, info or debug", c.LogLevel)}
	}
	return nil
}

// validatorNamePrefix names validator operators: validator0, validator1, ...
const validatorNamePrefix = "validator"
