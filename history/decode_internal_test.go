package history

import (
	"testing"

	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	txtypes "github.com/cosmos/cosmos-sdk/types/tx"
)

// withMessages replaces the messages of an encoded transaction with raw
// Anys (of types the codec may not know).
func withMessages(t *testing.T, bz []byte, msgs ...*codectypes.Any) []byte {
	t.Helper()
	var raw txtypes.TxRaw
	if err := raw.Unmarshal(bz); err != nil {
		t.Fatal(err)
	}
	var body txtypes.TxBody
	if err := body.Unmarshal(raw.BodyBytes); err != nil {
		t.Fatal(err)
	}
	body.Messages = msgs
	var err error
	if raw.BodyBytes, err = body.Marshal(); err != nil {
		t.Fatal(err)
	}
	out, err := raw.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// withGranter sets the fee granter of an encoded transaction.
func withGranter(t *testing.T, bz []byte, granter string) []byte {
	t.Helper()
	var raw txtypes.TxRaw
	if err := raw.Unmarshal(bz); err != nil {
		t.Fatal(err)
	}
	var ai txtypes.AuthInfo
	if err := ai.Unmarshal(raw.AuthInfoBytes); err != nil {
		t.Fatal(err)
	}
	ai.Fee.Granter = granter
	var err error
	if raw.AuthInfoBytes, err = ai.Marshal(); err != nil {
		t.Fatal(err)
	}
	out, err := raw.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return out
}
