package lightclient_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cometbft/cometbft/crypto"
	cmtjson "github.com/cometbft/cometbft/libs/json"
	ctypes "github.com/cometbft/cometbft/rpc/core/types"
	cmttypes "github.com/cometbft/cometbft/types"
)

// Real akashnet-2 answers, as published in public documentation (see
// testdata/akashnet-2/SOURCES.md). They are excerpts: the publisher cut
// each list to its first entry (one of 83 commit signatures, one of 83
// validators, one of 4 transactions). What an excerpt still proves is
// checked below with the cometbft v0.38 code akw verifies with; what it
// cannot prove is asserted to fail, so that nobody mistakes an excerpt
// for a complete light block.

const (
	akashChainID = "akashnet-2"
	// Block ID of akashnet-2 block 28,742,282 (the repository's first real
	// artefact, testdata/akashnet-2-header-28742282.json).
	block28742282 = "8F57F092FDEEFA889F07F20182E74627F64CAD8EE2AA43D39CFE36C40FC46FB8"
	// The validator whose signature every excerpt kept: its consensus
	// address and its ed25519 key.
	excerptValidator = "B1852D17FA66B5382A8F770725CC5B228B357750"
)

// loadAkashnet2 decodes the "result" of a JSON-RPC answer kept under
// testdata/akashnet-2 the way cometbft's RPC client does (cmtjson).
func loadAkashnet2(t *testing.T, name string, v any) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "akashnet-2", name))
	if err != nil {
		t.Fatal(err)
	}
	var env struct {
		Result json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(env.Result) == 0 {
		t.Fatalf("%s: no result", name)
	}
	if err := cmtjson.Unmarshal(env.Result, v); err != nil {
		t.Fatalf("%s: decode: %v", name, err)
	}
}

// rpcBlock is a /block (or block_search) result. The published
// transactions are cut short with "..." and are no longer base64, so the
// block's data is not decoded: the header, block ID and last commit are.
type rpcBlock struct {
	BlockID cmttypes.BlockID `json:"block_id"`
	Block   struct {
		Header     cmttypes.Header  `json:"header"`
		LastCommit *cmttypes.Commit `json:"last_commit"`
	} `json:"block"`
}

// excerptKey is the public key of excerptValidator, from the /validators
// excerpt at 28,742,282, checked to hash to the validator's address.
func excerptKey(t *testing.T) crypto.PubKey {
	t.Helper()
	var vals ctypes.ResultValidators
	loadAkashnet2(t, "validators-28742282.json", &vals)
	if len(vals.Validators) != 1 {
		t.Fatalf("%d validators in the excerpt, want 1", len(vals.Validators))
	}
	v := vals.Validators[0]
	if v.Address.String() != excerptValidator {
		t.Fatalf("validator %s, want %s", v.Address, excerptValidator)
	}
	// The address is the first 20 bytes of SHA-256 of the key: the key
	// published is the one the chain knows under this address.
	if !bytes.Equal(v.PubKey.Address(), v.Address) {
		t.Fatalf("key hashes to %s, not to the published address %s", v.PubKey.Address(), v.Address)
	}
	return v.PubKey
}

// verifySig checks signature idx of a commit with key, using the sign
// bytes cometbft's VerifyCommitLight builds (a vote's sign bytes do not
// depend on its position in the commit, so an excerpt's signature is
// checked exactly as the full commit's would be).
func verifySig(c *cmttypes.Commit, idx int32, key crypto.PubKey) bool {
	sig := c.Signatures[idx]
	return key.VerifySignature(c.VoteSignBytes(akashChainID, idx), sig.Signature)
}

func TestAkashnet2Block28742282(t *testing.T) {
	var res rpcBlock
	loadAkashnet2(t, "block-28742282.json", &res)
	h := res.Block.Header
	if h.ChainID != akashChainID || h.Height != 28742282 {
		t.Fatalf("chain %q height %d", h.ChainID, h.Height)
	}
	if err := h.ValidateBasic(); err != nil {
		t.Fatal(err)
	}
	if got := h.Hash(); !strings.EqualFold(got.String(), block28742282) || !bytes.Equal(got, res.BlockID.Hash) {
		t.Fatalf("header hashes to %X, block ID %X", got, res.BlockID.Hash)
	}

	// The last commit signs the previous block, the one the header names.
	lc := res.Block.LastCommit
	if lc == nil || lc.Height != h.Height-1 || !lc.BlockID.Equals(h.LastBlockID) {
		t.Fatalf("last commit %+v does not sign the header's previous block %v", lc, h.LastBlockID)
	}
	if err := lc.ValidateBasic(); err != nil {
		t.Fatal(err)
	}
	if got := lc.Signatures[0].ValidatorAddress.String(); got != excerptValidator {
		t.Fatalf("signature by %s", got)
	}
	key := excerptKey(t)
	if !verifySig(lc, 0, key) {
		t.Fatal("the validator's signature of block 28,742,281 does not verify")
	}
	// The excerpt keeps one of the commit's signatures; the header's
	// LastCommitHash covers all of them.
	if bytes.Equal(lc.Hash(), h.LastCommitHash) {
		t.Fatal("a one-signature excerpt hashes to the full commit's hash")
	}

	// Each check can fail.
	h.Time = h.Time.Add(1)
	if bytes.Equal(h.Hash(), res.BlockID.Hash) {
		t.Fatal("hash did not change with the time")
	}
	lc.Signatures[0].Signature[10] ^= 1
	if verifySig(lc, 0, key) {
		t.Fatal("a changed signature verified")
	}
}

func TestAkashnet2Commit28742282(t *testing.T) {
	var res ctypes.ResultCommit
	loadAkashnet2(t, "commit-28742282.json", &res)
	sh := res.SignedHeader
	if !res.CanonicalCommit {
		t.Fatal("commit not canonical")
	}
	// The light client's structural check: header and commit agree (same
	// height, the commit signs this header's hash) and both are well formed.
	if err := sh.ValidateBasic(akashChainID); err != nil {
		t.Fatal(err)
	}
	if !strings.EqualFold(sh.Commit.BlockID.Hash.String(), block28742282) {
		t.Fatalf("commit signs %v", sh.Commit.BlockID.Hash)
	}
	key := excerptKey(t)
	if !verifySig(sh.Commit, 0, key) {
		t.Fatal("the validator's signature of block 28,742,282 does not verify")
	}

	// What the excerpt cannot prove: the published validator set holds
	// one of 83 validators, so it is not the set the header commits to,
	// and the light block assembled from the two is refused, as akw's
	// provider refuses it (LightBlock.ValidateBasic).
	var vals ctypes.ResultValidators
	loadAkashnet2(t, "validators-28742282.json", &vals)
	if vals.Total != 83 || vals.Count != 83 || len(vals.Validators) != 1 {
		t.Fatalf("validators: count %d total %d, %d listed", vals.Count, vals.Total, len(vals.Validators))
	}
	set, err := cmttypes.ValidatorSetFromExistingValidators(vals.Validators)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(set.Hash(), sh.ValidatorsHash) {
		t.Fatal("a one-validator excerpt hashes to the header's validators hash")
	}
	lb := &cmttypes.LightBlock{SignedHeader: &sh, ValidatorSet: set}
	if err := lb.ValidateBasic(akashChainID); err == nil || !strings.Contains(err.Error(), "validator") {
		t.Fatalf("light block from an excerpt: %v, want a validator set mismatch", err)
	}

	// Each check can fail.
	sh.Commit.Signatures[0].Timestamp = sh.Commit.Signatures[0].Timestamp.Add(1)
	if verifySig(sh.Commit, 0, key) {
		t.Fatal("a signature verified for another timestamp")
	}
	sh.Header.AppHash = bytes.Clone(sh.Header.AppHash)
	sh.Header.AppHash[0] ^= 1
	if err := sh.ValidateBasic(akashChainID); err == nil {
		t.Fatal("a changed header still matched its commit")
	}
}

func TestAkashnet2ConsensusParams28742282(t *testing.T) {
	var hdr rpcBlock
	loadAkashnet2(t, "block-28742282.json", &hdr)
	var res ctypes.ResultConsensusParams
	loadAkashnet2(t, "consensus_params-28742282.json", &res)
	if res.BlockHeight != 28742282 {
		t.Fatalf("params at %d", res.BlockHeight)
	}
	p := res.ConsensusParams
	if err := p.ValidateBasic(); err != nil {
		t.Fatal(err)
	}
	// The header's ConsensusHash commits to the block size and gas limits.
	want := hdr.Block.Header.ConsensusHash
	if !bytes.Equal(p.Hash(), want) {
		t.Fatalf("params hash to %X, header says %X", p.Hash(), want)
	}
	p.Block.MaxGas = 100_000_000
	if bytes.Equal(p.Hash(), want) {
		t.Fatal("hash did not change with max gas")
	}
}

func TestAkashnet2ValidatorAddress(t *testing.T) {
	key := excerptKey(t)
	if key.Type() != "ed25519" || len(key.Bytes()) != 32 {
		t.Fatalf("key type %s, %d bytes", key.Type(), len(key.Bytes()))
	}
	// A changed key no longer hashes to the address.
	var vals ctypes.ResultValidators
	loadAkashnet2(t, "validators-28742282.json", &vals)
	raw := bytes.Clone(vals.Validators[0].PubKey.Bytes())
	raw[0] ^= 1
	if bytes.Equal(crypto.AddressHash(raw), vals.Validators[0].Address) {
		t.Fatal("a changed key hashed to the same address")
	}
}

// block_search at 28,742,443: another header, 161 blocks later, signed
// by the same validator under the same key, with another validator set.
func TestAkashnet2BlockSearch28742443(t *testing.T) {
	var res struct {
		Blocks     []rpcBlock `json:"blocks"`
		TotalCount int        `json:"total_count"`
	}
	loadAkashnet2(t, "block_search-28742443.json", &res)
	if len(res.Blocks) != 1 {
		t.Fatalf("%d blocks", len(res.Blocks))
	}
	b := res.Blocks[0]
	h := b.Block.Header
	if h.ChainID != akashChainID || h.Height != 28742443 {
		t.Fatalf("chain %q height %d", h.ChainID, h.Height)
	}
	if err := h.ValidateBasic(); err != nil {
		t.Fatal(err)
	}
	if got := h.Hash(); !bytes.Equal(got, b.BlockID.Hash) ||
		got.String() != "0C5667C867E028A1049B9C76934EC79DB70FA3971ED4DF2F8E036930F8079747" {
		t.Fatalf("header hashes to %X, block ID %X", got, b.BlockID.Hash)
	}
	// Same consensus parameters as at 28,742,282; another validator set
	// (voting power moves every block that changes a delegation).
	var first rpcBlock
	loadAkashnet2(t, "block-28742282.json", &first)
	if !bytes.Equal(h.ConsensusHash, first.Block.Header.ConsensusHash) {
		t.Fatalf("consensus hash %X, at 28,742,282 %X", h.ConsensusHash, first.Block.Header.ConsensusHash)
	}
	if bytes.Equal(h.ValidatorsHash, first.Block.Header.ValidatorsHash) {
		t.Fatal("validators hash unchanged; the fixture is not what SOURCES.md describes")
	}

	lc := b.Block.LastCommit
	if lc == nil || lc.Height != h.Height-1 || !lc.BlockID.Equals(h.LastBlockID) {
		t.Fatalf("last commit %+v does not sign the header's previous block", lc)
	}
	if err := lc.ValidateBasic(); err != nil {
		t.Fatal(err)
	}
	key := excerptKey(t)
	if lc.Signatures[0].ValidatorAddress.String() != excerptValidator || !verifySig(lc, 0, key) {
		t.Fatal("the validator's signature of block 28,742,442 does not verify")
	}

	// Each check can fail.
	h.ProposerAddress = bytes.Clone(h.ProposerAddress)
	h.ProposerAddress[0] ^= 1
	if bytes.Equal(h.Hash(), b.BlockID.Hash) {
		t.Fatal("hash did not change with the proposer")
	}
	lc.BlockID.Hash = bytes.Clone(lc.BlockID.Hash)
	lc.BlockID.Hash[0] ^= 1
	if verifySig(lc, 0, key) {
		t.Fatal("a signature verified for another block")
	}
}
