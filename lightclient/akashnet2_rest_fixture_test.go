package lightclient_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	cmttypes "github.com/cometbft/cometbft/types"
	gogoproto "github.com/cosmos/gogoproto/proto"

	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	cryptocodec "github.com/cosmos/cosmos-sdk/crypto/codec"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	"github.com/cosmos/cosmos-sdk/types/bech32"
)

// The same chain seen through the SDK's REST gateway
// (cosmos/base/tendermint/v1beta1): protobuf JSON, hashes in base64,
// consensus addresses in bech32. akw does not read this API; the files
// are kept because they add a third real header and tie the bech32
// consensus addresses Akash's tools show to the raw ones the light client
// checks.

// restFields decodes the named fields of a REST answer kept under
// testdata/akashnet-2 with the SDK's protobuf JSON codec. Only the fields
// asked for are decoded: the published transactions are cut short with
// "..." and are no longer base64.
func restFields(t *testing.T, name string, fields map[string]gogoproto.Message) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "akashnet-2", name))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	cdc := codec.NewProtoCodec(codectypes.NewInterfaceRegistry())
	for path, msg := range fields {
		sub, ok := jsonPath(doc, path)
		if !ok {
			t.Fatalf("%s: no %s", name, path)
		}
		if err := cdc.UnmarshalJSON(sub, msg); err != nil {
			t.Fatalf("%s: %s: %v", name, path, err)
		}
	}
}

// jsonPath walks dot-separated object keys.
func jsonPath(doc map[string]json.RawMessage, path string) (json.RawMessage, bool) {
	cur := doc
	var last json.RawMessage
	for _, k := range strings.Split(path, ".") {
		if cur == nil {
			return nil, false
		}
		v, ok := cur[k]
		if !ok {
			return nil, false
		}
		last = v
		cur = nil
		_ = json.Unmarshal(v, &cur) // a leaf is not an object; that is fine
	}
	return last, true
}

func TestAkashnet2RESTBlock28742381(t *testing.T) {
	var (
		pbID     cmtproto.BlockID
		pbHeader cmtproto.Header
		pbCommit cmtproto.Commit
	)
	restFields(t, "rest-blocks-latest-28742381.json", map[string]gogoproto.Message{
		"block_id":          &pbID,
		"block.header":      &pbHeader,
		"block.last_commit": &pbCommit,
	})
	h, err := cmttypes.HeaderFromProto(&pbHeader)
	if err != nil {
		t.Fatal(err)
	}
	id, err := cmttypes.BlockIDFromProto(&pbID)
	if err != nil {
		t.Fatal(err)
	}
	if h.ChainID != akashChainID || h.Height != 28742381 {
		t.Fatalf("chain %q height %d", h.ChainID, h.Height)
	}
	if err := h.ValidateBasic(); err != nil {
		t.Fatal(err)
	}
	if got := h.Hash(); !bytes.Equal(got, id.Hash) ||
		got.String() != "98118FC2A514A565D4E88E58A4638CE00DC7BDD1C90B1A5FCA76EE23B7A93373" {
		t.Fatalf("header hashes to %X, block ID %X", got, id.Hash)
	}

	lc, err := cmttypes.CommitFromProto(&pbCommit)
	if err != nil {
		t.Fatal(err)
	}
	if lc.Height != h.Height-1 || !lc.BlockID.Equals(h.LastBlockID) {
		t.Fatalf("last commit at %d for %v does not sign the header's previous block %v", lc.Height, lc.BlockID, h.LastBlockID)
	}
	key := excerptKey(t)
	if lc.Signatures[0].ValidatorAddress.String() != excerptValidator || !verifySig(lc, 0, key) {
		t.Fatal("the validator's signature of block 28,742,380 does not verify")
	}

	// The SDK's own view of the block names the proposer in bech32: the
	// same 20 bytes.
	var sdkHeader struct {
		ProposerAddress string `json:"proposer_address"`
	}
	raw, _ := os.ReadFile(filepath.Join("testdata", "akashnet-2", "rest-blocks-latest-28742381.json"))
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	sub, ok := jsonPath(doc, "sdk_block.header")
	if !ok || json.Unmarshal(sub, &sdkHeader) != nil {
		t.Fatal("no sdk_block.header")
	}
	hrp, addr, err := bech32.DecodeAndConvert(sdkHeader.ProposerAddress)
	if err != nil || hrp != "akashvalcons" || !bytes.Equal(addr, h.ProposerAddress) {
		t.Fatalf("sdk_block proposer %s (%s %X, %v), header proposer %X", sdkHeader.ProposerAddress, hrp, addr, err, h.ProposerAddress)
	}

	// Each check can fail.
	h.LastResultsHash = bytes.Clone(h.LastResultsHash)
	h.LastResultsHash[31] ^= 1
	if bytes.Equal(h.Hash(), id.Hash) {
		t.Fatal("hash did not change with the results hash")
	}
	lc.Signatures[0].Signature = bytes.Clone(lc.Signatures[0].Signature)
	lc.Signatures[0].Signature[63] ^= 0x80
	if verifySig(lc, 0, key) {
		t.Fatal("a changed signature verified")
	}
}

func TestAkashnet2RESTValidatorSet28742382(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "akashnet-2", "rest-validatorsets-latest-28742382.json"))
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		BlockHeight string `json:"block_height"`
		Validators  []struct {
			Address     string          `json:"address"`
			PubKey      json.RawMessage `json:"pub_key"`
			VotingPower string          `json:"voting_power"`
		} `json:"validators"`
		Pagination struct {
			Total string `json:"total"`
		} `json:"pagination"`
	}
	if err := json.Unmarshal(raw, &res); err != nil {
		t.Fatal(err)
	}
	if res.BlockHeight != "28742382" || res.Pagination.Total != "83" || len(res.Validators) != 1 {
		t.Fatalf("height %s, total %s, %d listed", res.BlockHeight, res.Pagination.Total, len(res.Validators))
	}
	v := res.Validators[0]

	reg := codectypes.NewInterfaceRegistry()
	cryptocodec.RegisterInterfaces(reg)
	cdc := codec.NewProtoCodec(reg)
	var pk cryptotypes.PubKey
	if err := cdc.UnmarshalInterfaceJSON(v.PubKey, &pk); err != nil {
		t.Fatal(err)
	}
	hrp, addr, err := bech32.DecodeAndConvert(v.Address)
	if err != nil || hrp != "akashvalcons" {
		t.Fatalf("address %s: %s %v", v.Address, hrp, err)
	}
	// The bech32 consensus address is the key's hash, and the key is the
	// one /validators published for the same validator 100 blocks earlier.
	if !bytes.Equal(pk.Address(), addr) || cmttypes.Address(addr).String() != excerptValidator {
		t.Fatalf("key hashes to %X, address %X", pk.Address(), addr)
	}
	if !bytes.Equal(pk.Bytes(), excerptKey(t).Bytes()) {
		t.Fatal("REST and RPC publish different keys for the same validator")
	}

	// A mistyped address fails its checksum.
	bad := []byte(v.Address)
	bad[len(bad)-1] ^= 1
	if _, _, err := bech32.DecodeAndConvert(string(bad)); err == nil {
		t.Fatal("a changed bech32 address decoded")
	}
}
