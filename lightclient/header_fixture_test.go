package lightclient_test

import (
	"encoding/hex"
	"os"
	"strings"
	"testing"

	cmtjson "github.com/cometbft/cometbft/libs/json"
	cmttypes "github.com/cometbft/cometbft/types"
)

// A real akashnet-2 header, as a public RPC node served it (block
// 28,742,282, block protocol 11): the cometbft v0.38 types akw verifies
// with must decode it and hash it to the block ID the chain committed.
// If Akash's fork ever changed the header encoding, this would catch it.
func TestAkashnet2HeaderHash(t *testing.T) {
	raw, err := os.ReadFile("testdata/akashnet-2-header-28742282.json")
	if err != nil {
		t.Fatal(err)
	}
	var resp struct {
		Result struct {
			BlockID cmttypes.BlockID `json:"block_id"`
			Block   struct {
				Header cmttypes.Header `json:"header"`
			} `json:"block"`
		} `json:"result"`
	}
	if err := cmtjson.Unmarshal(raw, &resp); err != nil {
		t.Fatalf("decode: %v", err)
	}
	h := resp.Result.Block.Header
	if h.ChainID != "akashnet-2" || h.Height != 28742282 || h.Version.Block != 11 {
		t.Fatalf("unexpected header: chain %q height %d block protocol %d", h.ChainID, h.Height, h.Version.Block)
	}
	if err := h.ValidateBasic(); err != nil {
		t.Fatalf("ValidateBasic: %v", err)
	}
	got := h.Hash()
	want := resp.Result.BlockID.Hash
	if !strings.EqualFold(hex.EncodeToString(got), "8F57F092FDEEFA889F07F20182E74627F64CAD8EE2AA43D39CFE36C40FC46FB8") || got.String() != want.String() {
		t.Fatalf("header hash %X, block ID %X", got, want)
	}

	// One changed field must change the hash: the test can fail.
	h.AppHash[0] ^= 1
	if h.Hash().String() == want.String() {
		t.Fatal("hash did not change with the app hash")
	}
}
