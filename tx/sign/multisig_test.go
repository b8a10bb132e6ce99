package sign

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	kmultisig "github.com/cosmos/cosmos-sdk/crypto/keys/multisig"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	signingtypes "github.com/cosmos/cosmos-sdk/types/tx/signing"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/keys/signdoc"
	"github.com/akash-wallet/akw/tx/amount"
	"github.com/akash-wallet/akw/tx/encoding"
	"github.com/akash-wallet/akw/tx/ops"
)

// multisigSetup makes three member keys and their 2-of-3 multisig, and a
// transaction from the multisig's address.
func multisigSetup(t testing.TB) (*encoding.Config, keyring.Keyring, *kmultisig.LegacyAminoPubKey, *builderT) {
	t.Helper()
	cfg, kr, _ := setup(t)
	var pks []cryptotypes.PubKey
	for _, name := range []string{"m1", "m2", "m3", "outsider"} {
		rec, _, err := kr.NewMnemonic(name, keyring.English, hd.CreateHDPath(118, 0, 0).String(), "", hd.Secp256k1)
		if err != nil {
			t.Fatal(err)
		}
		pk, _ := rec.GetPubKey()
		if name != "outsider" {
			pks = append(pks, pk)
		}
	}
	multi := kmultisig.NewLegacyAminoPubKey(2, pks)
	from := sdk.AccAddress(multi.Address())
	b := unsigned(t, cfg, &ops.Send{From: from, To: accAddr(2), Amount: sdk.NewInt64Coin("uakt", 1000)}, Body{Memo: "treasury"})
	return cfg, kr, multi, b
}

var msd = SignerData{ChainID: "akash-devnet-1", AccountNumber: 31, Sequence: 4}

func part(t *testing.T, cfg *encoding.Config, kr keyring.Keyring, member string, b *builderT, multi *kmultisig.LegacyAminoPubKey, sd SignerData) signingtypes.SignatureV2 {
	t.Helper()
	s, err := SignPart(context.Background(), cfg, kr, nil, member, b.b, multi, sd)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Two members sign apart, in amino JSON (what the Ledger app accepts),
// their signatures travel as the SDK's signature JSON, and combine into a
// multisignature the chain's verification accepts; Describe counts them.
func TestMultisigSignAndCombine(t *testing.T) {
	cfg, kr, multi, b := multisigSetup(t)
	ctx := context.Background()
	doc, err := multisigBytes(ctx, cfg, b.b, multi, msd)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := signdoc.Validate(doc, signdoc.Options{}); err != nil {
		t.Fatalf("the Ledger app would refuse a member's sign doc: %v\n%s", err, doc)
	}
	d := Describe(cfg, b.b, amount.Akash)
	if d.Signed {
		t.Fatal("unsigned transaction described as signed")
	}
	s1, s3 := part(t, cfg, kr, "m1", b, multi, msd), part(t, cfg, kr, "m3", b, multi, msd)
	file, err := EncodeSignatures(cfg, s1)
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeSignatures(cfg, file)
	if err != nil || len(back) != 1 {
		t.Fatalf("%v %v", back, err)
	}
	if err := Combine(ctx, cfg, b.b, multi, []signingtypes.SignatureV2{back[0], s3}, msd); err != nil {
		t.Fatal(err)
	}
	if err := Verify(ctx, cfg, b.b, msd); err != nil {
		t.Fatal(err)
	}
	d = Describe(cfg, b.b, amount.Akash)
	var members, signedBy []string
	for _, pk := range multi.GetPubKeys() {
		a := cfg.Bech32(sdk.AccAddress(pk.Address()))
		members = append(members, a)
		if pk.Equals(back[0].PubKey) || pk.Equals(s3.PubKey) {
			signedBy = append(signedBy, a)
		}
	}
	want := MultisigView{Collected: 2, Threshold: 2, Members: 3, MemberAddresses: members, SignedBy: signedBy}
	if len(d.Sigs) != 1 || d.Sigs[0].Multisig == nil || !reflect.DeepEqual(*d.Sigs[0].Multisig, want) || !d.Signed {
		t.Fatalf("described %+v, want %+v", d.Sigs[0].Multisig, want)
	}
	if _, err := Encode(cfg, b.b); err != nil {
		t.Fatal(err)
	}
}

// Each bad part is refused before anything is set on the transaction,
// as the user's input (exit 2), saying which signature and why.
func TestMultisigCombineRefuses(t *testing.T) {
	cfg, kr, multi, b := multisigSetup(t)
	ctx := context.Background()
	s1, s2 := part(t, cfg, kr, "m1", b, multi, msd), part(t, cfg, kr, "m2", b, multi, msd)
	// The outsider's signature: SignPart refuses to make it; made by hand
	// it is refused when combined.
	if _, err := SignPart(ctx, cfg, kr, nil, "outsider", b.b, multi, msd); errkind.KindOf(err) != errkind.Key {
		t.Fatalf("outsider signing: %v", err)
	}
	orec, _ := kr.Key("outsider")
	opk, _ := orec.GetPubKey()
	doc, _ := multisigBytes(ctx, cfg, b.b, multi, msd)
	osig, _, _ := kr.Sign("outsider", doc, MultisigMode)
	outsider := signingtypes.SignatureV2{PubKey: opk, Data: &signingtypes.SingleSignatureData{SignMode: MultisigMode, Signature: osig}, Sequence: msd.Sequence}
	// A member's signature over another transaction (another memo).
	other := unsigned(t, cfg, &ops.Send{From: sdk.AccAddress(multi.Address()), To: accAddr(2), Amount: sdk.NewInt64Coin("uakt", 1000)}, Body{Memo: "other"})
	overOther := part(t, cfg, kr, "m2", other, multi, msd)
	// For another account number: the same bytes but for another account.
	otherAcct := msd
	otherAcct.AccountNumber = 32
	wrongAcct := part(t, cfg, kr, "m2", b, multi, otherAcct)
	laterSeq := msd
	laterSeq.Sequence = 5
	wrongSeq := part(t, cfg, kr, "m2", b, multi, laterSeq)
	direct := s2
	direct.Data = &signingtypes.SingleSignatureData{SignMode: signingtypes.SignMode_SIGN_MODE_DIRECT, Signature: s2.Data.(*signingtypes.SingleSignatureData).Signature}

	for name, tc := range map[string]struct {
		parts []signingtypes.SignatureV2
		want  string
	}{
		"wrong member":      {[]signingtypes.SignatureV2{s1, outsider}, "which is not a member of the multisig"},
		"other bytes":       {[]signingtypes.SignatureV2{s1, overOther}, "it was made over other bytes"},
		"other account":     {[]signingtypes.SignatureV2{s1, wrongAcct}, "it was made over other bytes"},
		"other sequence":    {[]signingtypes.SignatureV2{s1, wrongSeq}, "was made for sequence 5"},
		"too few":           {[]signingtypes.SignatureV2{s1}, "1 valid signature(s) of the 2"},
		"same member twice": {[]signingtypes.SignatureV2{s1, s1}, "second signature by member"},
		"not amino JSON":    {[]signingtypes.SignatureV2{s1, direct}, "not a single amino-JSON signature"},
		"none":              {nil, "0 valid signature(s) of the 2"},
	} {
		t.Run(name, func(t *testing.T) {
			err := Combine(ctx, cfg, b.b, multi, tc.parts, msd)
			if errkind.KindOf(err) != errkind.Usage || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want a usage error with %q", err, tc.want)
			}
			if sigs, _ := b.b.GetTx().GetSignaturesV2(); len(sigs) != 0 {
				t.Fatal("a refused combination left signatures on the transaction")
			}
		})
	}
	// A transaction from another address is not the multisig's.
	alice := unsigned(t, cfg, &ops.Send{From: accAddr(9), To: accAddr(2), Amount: sdk.NewInt64Coin("uakt", 1)}, Body{})
	if err := Combine(ctx, cfg, alice.b, multi, []signingtypes.SignatureV2{s1, s2}, msd); errkind.KindOf(err) != errkind.Usage {
		t.Fatalf("other signer: %v", err)
	}
}

func FuzzDecodeSignatures(f *testing.F) {
	cfg, kr, multi, b := multisigSetup(f)
	s, err := SignPart(context.Background(), cfg, kr, nil, "m1", b.b, multi, msd)
	if err == nil {
		if bz, err := EncodeSignatures(cfg, s); err == nil {
			f.Add(bz)
		}
	}
	f.Add([]byte(`{"signatures":[{"public_key":{"@type":"/cosmos.crypto.multisig.LegacyAminoPubKey","threshold":9,"public_keys":[]},"data":{"multi":{"bitarray":{"extra_bits_stored":9,"elems":"AA=="},"signatures":[]}},"sequence":"1"}]}`))
	f.Add([]byte(`{"signatures":[{"data":null}]}`))
	f.Fuzz(func(t *testing.T, bz []byte) {
		sigs, err := DecodeSignatures(cfg, bz)
		if err != nil {
			return
		}
		// What decodes must not crash a combination.
		_ = Combine(context.Background(), cfg, b.b, multi, sigs, msd)
		_ = b.b.SetSignatures()
	})
}
