// Package trustedtest makes synthetic CometBFT chains for tests and
// benchmarks of the light client: validator keys, headers signed at every
// height, validator-set changes at a chosen rate, forks signed by the same
// validators, and a JSON-RPC server on 127.0.0.1 that answers /commit,
// /validators, /status and /broadcast_evidence as a CometBFT node does.
//
// It exists because a real chain cannot be made to fork honestly in a test,
// and because a 10,000-block, 100-validator chain is needed to measure
// catch-up. cometbft's own generator (light/helpers_test.go) lives in a
// _test file and cannot be imported.
package trustedtest

import (
	"crypto/sha256"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cometbft/cometbft/crypto"
	"github.com/cometbft/cometbft/crypto/ed25519"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	cmtversion "github.com/cometbft/cometbft/proto/tendermint/version"
	"github.com/cometbft/cometbft/types"
	"github.com/cometbft/cometbft/version"
)

// ChainConfig describes a synthetic chain.
type ChainConfig struct {
	ChainID string
	// Validators in every validator set (equal voting power).
	Validators int
	// Blocks is the number of heights generated (1..Blocks).
	Blocks int64
	// ChangesPerBlock is the average number of validators replaced per
	// block: 0.1 replaces one validator every ten blocks.
	ChangesPerBlock float64
	// Interval between block times; 6 s when zero.
	Interval time.Duration
	// End is the time of the last block; time.Now() when zero.
	End time.Time
}

// keyring holds every validator key ever used. Validators are replaced
// first-in first-out, so the set at any height is a window of this list.
type keyring struct {
	keys   []crypto.PrivKey
	byAddr map[string]crypto.PrivKey
}

// Chain is a synthetic chain. It is safe for concurrent use.
type Chain struct {
	cfg     ChainConfig
	ring    *keyring
	start   []int // start[h] is the index of height h's first validator in ring.keys
	headers []*types.Header

	tip atomic.Int64 // highest height served

	mu      sync.Mutex
	commits map[int64]*types.Commit
	valsets map[int]*types.ValidatorSet // by window start
	salt    string
}

// NewChain generates the headers of a chain (commits are signed on first
// use, or all at once with SignAll).
func NewChain(cfg ChainConfig) *Chain {
	if cfg.Interval == 0 {
		cfg.Interval = 6 * time.Second
	}
	if cfg.End.IsZero() {
		cfg.End = time.Now()
	}
	if cfg.Validators <= 0 {
		cfg.Validators = 4
	}
	ring := &keyring{byAddr: map[string]crypto.PrivKey{}}
	c := &Chain{cfg: cfg, ring: ring, commits: map[int64]*types.Commit{}, valsets: map[int]*types.ValidatorSet{}}
	for i := 0; i < cfg.Validators; i++ {
		ring.add()
	}
	// start has an entry for Blocks+1: header Blocks names the next set.
	c.start = make([]int, cfg.Blocks+2)
	acc := 0.0
	for h := int64(2); h <= cfg.Blocks+1; h++ {
		acc += cfg.ChangesPerBlock
		n := int(acc)
		acc -= float64(n)
		c.start[h] = c.start[h-1] + n
		for len(ring.keys) < c.start[h]+cfg.Validators {
			ring.add()
		}
	}
	c.start[1] = 0
	c.headers = make([]*types.Header, cfg.Blocks+1)
	c.generate(1, "")
	c.tip.Store(cfg.Blocks)
	return c
}

func (r *keyring) add() {
	k := ed25519.GenPrivKey()
	r.keys = append(r.keys, k)
	r.byAddr[string(k.PubKey().Address())] = k
}

func digest(parts ...any) []byte {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprint(h, p, "|")
	}
	return h.Sum(nil)
}

// generate builds headers from height `from` on; salt makes a fork's
// application state (and so its hashes) differ from the original's.
func (c *Chain) generate(from int64, salt string) {
	for h := from; h <= c.cfg.Blocks; h++ {
		vals := c.ValidatorSet(h)
		next := c.ValidatorSet(h + 1)
		var last types.BlockID
		if h > 1 {
			prev := c.headers[h-1]
			last = types.BlockID{Hash: prev.Hash(), PartSetHeader: types.PartSetHeader{Total: 1, Hash: digest("parts", h-1, salt)}}
		}
		c.headers[h] = &types.Header{
			Version:            cmtversion.Consensus{Block: version.BlockProtocol, App: 1},
			ChainID:            c.cfg.ChainID,
			Height:             h,
			Time:               c.cfg.End.Add(-time.Duration(c.cfg.Blocks-h) * c.cfg.Interval).UTC().Round(0),
			LastBlockID:        last,
			LastCommitHash:     digest("last_commit", h, salt),
			DataHash:           digest("data", h, salt),
			ValidatorsHash:     vals.Hash(),
			NextValidatorsHash: next.Hash(),
			ConsensusHash:      digest("consensus"),
			AppHash:            digest("app", h, salt),
			LastResultsHash:    digest("results", h, salt),
			EvidenceHash:       digest("evidence", h, salt),
			ProposerAddress:    vals.Validators[int(h)%vals.Size()].Address,
		}
	}
}

// Fork returns a chain that shares this chain's headers below height
// `from` and has different, equally well-signed headers from `from` on:
// the same validators signed both branches (a light-client attack).
func (c *Chain) Fork(from int64, salt string) *Chain {
	if from < 2 || from > c.cfg.Blocks {
		panic("fork height out of range")
	}
	f := &Chain{cfg: c.cfg, ring: c.ring, start: c.start, commits: map[int64]*types.Commit{},
		valsets: map[int]*types.ValidatorSet{}, salt: salt}
	f.headers = make([]*types.Header, len(c.headers))
	copy(f.headers, c.headers[:from])
	c.mu.Lock()
	for h, cm := range c.commits {
		if h < from {
			f.commits[h] = cm
		}
	}
	c.mu.Unlock()
	f.generate(from, salt)
	f.tip.Store(c.tip.Load())
	return f
}

// ChainID of the chain.
func (c *Chain) ChainID() string { return c.cfg.ChainID }

// Blocks is the number of generated heights.
func (c *Chain) Blocks() int64 { return c.cfg.Blocks }

// Tip is the highest height the chain serves.
func (c *Chain) Tip() int64 { return c.tip.Load() }

// SetTip makes the chain serve heights up to h only, as if the later ones
// were not produced yet; raising it again makes the chain "grow".
func (c *Chain) SetTip(h int64) {
	if h < 1 || h > c.cfg.Blocks {
		panic("tip out of range")
	}
	c.tip.Store(h)
}

// Header returns the header at h (1..Blocks).
func (c *Chain) Header(h int64) *types.Header { return c.headers[h] }

// ValidatorSet returns the validator set at h (1..Blocks+1).
func (c *Chain) ValidatorSet(h int64) *types.ValidatorSet {
	s := c.start[h]
	c.mu.Lock()
	defer c.mu.Unlock()
	if vs, ok := c.valsets[s]; ok {
		return vs
	}
	vals := make([]*types.Validator, c.cfg.Validators)
	for i := range vals {
		vals[i] = types.NewValidator(c.ring.keys[s+i].PubKey(), 10)
	}
	vs := types.NewValidatorSet(vals)
	// Only a few sets are live at a time (queries move forward); keep
	// memory bounded on long chains with many changes.
	if len(c.valsets) > 256 {
		for k := range c.valsets {
			delete(c.valsets, k)
			break
		}
	}
	c.valsets[s] = vs
	return vs
}

// LightBlock returns the signed header and validator set at h.
func (c *Chain) LightBlock(h int64) *types.LightBlock {
	return &types.LightBlock{
		SignedHeader: &types.SignedHeader{Header: c.headers[h], Commit: c.Commit(h)},
		ValidatorSet: c.ValidatorSet(h),
	}
}

// Commit returns the commit of height h, signed by every validator of h.
func (c *Chain) Commit(h int64) *types.Commit {
	c.mu.Lock()
	cm, ok := c.commits[h]
	c.mu.Unlock()
	if ok {
		return cm
	}
	cm = c.sign(h)
	c.mu.Lock()
	c.commits[h] = cm
	c.mu.Unlock()
	return cm
}

func (c *Chain) sign(h int64) *types.Commit {
	header := c.headers[h]
	vals := c.ValidatorSet(h)
	blockID := types.BlockID{Hash: header.Hash(), PartSetHeader: types.PartSetHeader{Total: 1, Hash: digest("parts", h, c.salt)}}
	sigs := make([]types.CommitSig, vals.Size())
	for i, v := range vals.Validators {
		ts := header.Time.Add(time.Duration(i+1) * time.Millisecond)
		vote := &cmtproto.Vote{
			Type:             cmtproto.PrecommitType,
			Height:           h,
			Round:            0,
			BlockID:          blockID.ToProto(),
			Timestamp:        ts,
			ValidatorAddress: v.Address,
			ValidatorIndex:   int32(i),
		}
		sig, err := c.ring.byAddr[string(v.Address)].Sign(types.VoteSignBytes(c.cfg.ChainID, vote))
		if err != nil {
			panic(err)
		}
		sigs[i] = types.CommitSig{BlockIDFlag: types.BlockIDFlagCommit, ValidatorAddress: v.Address, Timestamp: ts, Signature: sig}
	}
	return &types.Commit{Height: h, Round: 0, BlockID: blockID, Signatures: sigs}
}

// SignAll signs every height's commit using all CPUs, so that a benchmark
// does not time the signing.
func (c *Chain) SignAll() {
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < runtime.NumCPU(); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				h := next.Add(1)
				if h > c.cfg.Blocks {
					return
				}
				c.Commit(h)
			}
		}()
	}
	wg.Wait()
}
