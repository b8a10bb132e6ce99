package state

import (
	"bytes"
	"testing"

	"cosmossdk.io/collections"
	"github.com/cosmos/cosmos-sdk/codec"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
)

// TestBankDenomKeysMatchSDK derives the metadata, SendEnabled and params
// keys from the SDK's own encoders, and checks the encoding of the
// SendEnabled flags that SendEnabled decodes.
func TestBankDenomKeysMatchSDK(t *testing.T) {
	for _, denom := range []string{"uakt", "uact", "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2"} {
		md, err := collections.EncodeKeyWithPrefix(banktypes.DenomMetadataPrefix.Bytes(), collections.StringKey, denom)
		if err != nil {
			t.Fatal(err)
		}
		se, err := collections.EncodeKeyWithPrefix(banktypes.SendEnabledPrefix.Bytes(), collections.StringKey, denom)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(denomMetadataKey(denom), md) || !bytes.Equal(sendEnabledKey(denom), se) {
			t.Errorf("%s: metadata key ours %X, SDK %X; SendEnabled ours %X, SDK %X", denom, denomMetadataKey(denom), md, sendEnabledKey(denom), se)
		}
	}
	if !bytes.Equal(bankParamsKey, banktypes.ParamsKey.Bytes()) {
		t.Errorf("bank params key ours %X, SDK %X", bankParamsKey, banktypes.ParamsKey.Bytes())
	}

	// The keeper's codec: false is stored as an empty value (which is why
	// proof/empty.go exists), true as a BoolValue with field 1 set.
	f, err := codec.BoolValue.Encode(false)
	if err != nil || len(f) != 0 {
		t.Fatalf("false encodes as %X (%v), want empty", f, err)
	}
	tr, err := codec.BoolValue.Encode(true)
	if err != nil || !bytes.Equal(tr, []byte{0x08, 0x01}) {
		t.Fatalf("true encodes as %X (%v)", tr, err)
	}
	for _, c := range []struct {
		in   []byte
		want bool
	}{{nil, false}, {[]byte{}, false}, {[]byte{0x08, 0x00}, false}, {[]byte{0x08, 0x01}, true}, {[]byte{0x08, 0x02}, true}} {
		got, err := codec.BoolValue.Decode(c.in)
		if err != nil || got != c.want {
			t.Errorf("decode %X: %v (%v), want %v", c.in, got, err, c.want)
		}
	}
	if _, err := codec.BoolValue.Decode([]byte{0x08}); err == nil {
		t.Error("a truncated BoolValue decodes")
	}
}
