package keys_test

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/cosmos/cosmos-sdk/crypto/keys/multisig"
	"github.com/cosmos/cosmos-sdk/types/bech32"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/keys"
)

// A multisig key is stored from members given by name or by public key,
// in the SDK's record (so the Akash CLI reads it), and its address does
// not depend on the order the members are given in (sorted, as the
// SDK's `keys add --multisig` does).
func TestSaveMultisig(t *testing.T) {
	kr := mustOpen(t, keys.Config{Backend: keys.BackendMemory, Dir: t.TempDir()})
	a, _, err := kr.Create("a", keys.HDOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := kr.Create("b", keys.HDOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := kr.Create("c", keys.HDOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cJSON := fmt.Sprintf(`{"@type":"/cosmos.crypto.secp256k1.PubKey","key":%q}`, base64.StdEncoding.EncodeToString(c.PubKey.Bytes()))
	m1, err := kr.SaveMultisig("treasury", []string{"a", "b", cJSON}, 2, false)
	if err != nil {
		t.Fatal(err)
	}
	if m1.Type != keys.TypeMulti {
		t.Fatalf("type %s", m1.Type)
	}
	pub, err := kr.Multisig("treasury")
	if err != nil {
		t.Fatal(err)
	}
	if pub.Threshold != 2 || len(pub.PubKeys) != 3 {
		t.Fatalf("%d of %d", pub.Threshold, len(pub.PubKeys))
	}
	// Another order, the members by other spellings: the same address.
	bBech, err := bech32.ConvertAndEncode("akashpub", append([]byte{0xeb, 0x5a, 0xe9, 0x87, 0x21}, b.PubKey.Bytes()...))
	if err != nil {
		t.Fatal(err)
	}
	m2, err := kr.SaveMultisig("treasury2", []string{"c", bBech, base64.StdEncoding.EncodeToString(a.PubKey.Bytes())}, 2, false)
	var ce *keys.ConflictError
	if !errors.As(err, &ce) || !errors.Is(err, keys.ErrAddressExists) || m2.Address != "" {
		t.Fatalf("the same multisig under another name: %v", err)
	}
	// The key shows as the SDK's LegacyAminoPubKey would give it.
	want := multisig.NewLegacyAminoPubKey(2, pub.GetPubKeys())
	wantAddr, _ := bech32.ConvertAndEncode("akash", want.Address())
	if m1.Address != wantAddr {
		t.Fatalf("address %s, want %s", m1.Address, wantAddr)
	}
	// Signing with it is refused: its members sign.
	if _, _, err := kr.Sign("treasury", []byte("x"), 0); !errors.Is(err, keys.ErrOfflineKey) {
		t.Fatalf("sign with a multisig: %v", err)
	}

	for _, tc := range []struct {
		members   []string
		threshold int
		why       string
	}{
		{[]string{"a", "b"}, 3, "threshold 3 with 2 members"},
		{[]string{"a", "b"}, 0, "threshold 0"},
		{[]string{"a"}, 1, "at least 2"},
		{[]string{"a", "a"}, 1, "the same key"},
		{[]string{"a", cJSON, "c"}, 2, "the same key"},
		{[]string{"a", "nobody"}, 1, `"nobody" is neither`},
		{[]string{"a", "treasury"}, 1, "itself a multisig"},
		{[]string{"a", `{"@type":"/cosmos.crypto.ed25519.PubKey","key":"AAAA"}`}, 1, "ed25519"},
		{[]string{"a", "b", "c", "d", "e", "f", "g", "h"}, 2, "at most 7"},
	} {
		_, err := kr.SaveMultisig("bad", tc.members, tc.threshold, false)
		var me *keys.MultisigError
		if !errors.As(err, &me) || !errors.Is(err, keys.ErrInvalidMultisig) || errkind.KindOf(err) != errkind.Usage {
			t.Fatalf("%v/%d: want a multisig usage error, got %v (%v)", tc.members, tc.threshold, err, errkind.KindOf(err))
		}
		if !strings.Contains(err.Error(), tc.why) {
			t.Fatalf("%v/%d: %q does not say %q", tc.members, tc.threshold, err, tc.why)
		}
	}
	if _, err := kr.Key("bad"); !errors.Is(err, keys.ErrNotFound) {
		t.Fatalf("a refused multisig was stored: %v", err)
	}
}
