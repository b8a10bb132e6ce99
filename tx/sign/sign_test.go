package sign

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"
	txtypes "github.com/cosmos/cosmos-sdk/types/tx"
	signingtypes "github.com/cosmos/cosmos-sdk/types/tx/signing"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/keys/signdoc"
	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/amount"
	"github.com/akash-wallet/akw/tx/encoding"
	"github.com/akash-wallet/akw/tx/ops"
	"github.com/akash-wallet/akw/tx/vote"
)

const testMnemonic = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"

var prefixes = address.For("akash")

func setup(t testing.TB) (*encoding.Config, keyring.Keyring, sdk.AccAddress) {
	t.Helper()
	cfg, err := encoding.New("akash")
	if err != nil {
		t.Fatal(err)
	}
	kr := keyring.NewInMemory(cfg.Codec)
	rec, err := kr.NewAccount("alice", testMnemonic, "", hd.CreateHDPath(118, 0, 0).String(), hd.Secp256k1)
	if err != nil {
		t.Fatal(err)
	}
	a, err := rec.GetAddress()
	if err != nil {
		t.Fatal(err)
	}
	return cfg, kr, a
}

func valAddr(b byte) sdk.ValAddress { return sdk.ValAddress(bytes.Repeat([]byte{b}, 20)) }
func accAddr(b byte) sdk.AccAddress { return sdk.AccAddress(bytes.Repeat([]byte{b}, 20)) }

// allOps is one of every operation akw signs, from signer.
func allOps(signer sdk.AccAddress) map[string]ops.Op {
	amt := sdk.NewCoin("uakt", sdkmath.NewInt(1_500_000))
	weighted, _, _ := vote.Parse("yes=0.6,no=0.4")
	plain, _, _ := vote.Parse("no_with_veto")
	m := map[string]ops.Op{
		"send":          &ops.Send{From: signer, To: accAddr(2), Amount: amt},
		"delegate":      &ops.Delegate{Delegator: signer, Validator: valAddr(3), Amount: amt},
		"redelegate":    &ops.Redelegate{Delegator: signer, Src: valAddr(3), Dst: valAddr(4), Amount: amt},
		"undelegate":    &ops.Undelegate{Delegator: signer, Validator: valAddr(3), Amount: amt},
		"withdraw":      &ops.WithdrawRewards{Delegator: signer, Validators: []sdk.ValAddress{valAddr(3), valAddr(4)}, Commission: true},
		"vote":          &ops.Vote{Voter: signer, ProposalID: 7, Options: plain},
		"vote-weighted": &ops.Vote{Voter: signer, ProposalID: 7, Options: weighted, Weighted: true},
	}
	for name, op := range grantOps(signer) {
		m[name] = op
	}
	return m
}

func unsigned(t testing.TB, cfg *encoding.Config, op ops.Op, body Body) *builderT {
	t.Helper()
	msgs, err := op.Msgs(prefixes)
	if err != nil {
		t.Fatal(err)
	}
	if body.GasLimit == 0 {
		body.GasLimit = 200000
		body.Fee = sdk.NewCoins(sdk.NewInt64Coin("uakt", 5000))
	}
	b, err := Unsigned(cfg, msgs, body)
	if err != nil {
		t.Fatal(err)
	}
	return &builderT{b}
}

// The amino JSON sign document of every message akw signs is what the
// Ledger Cosmos app accepts (sorted keys, compact, required root fields),
// and each message carries its registered legacy amino name: the app and
// old tooling know messages only by those names.
func TestAminoJSONEveryMessage(t *testing.T) {
	cfg, kr, signer := setup(t)
	rec, _ := kr.Key("alice")
	pub, _ := rec.GetPubKey()
	wantNames := map[string][]string{
		"send":          {"cosmos-sdk/MsgSend"},
		"delegate":      {"cosmos-sdk/MsgDelegate"},
		"redelegate":    {"cosmos-sdk/MsgBeginRedelegate"},
		"undelegate":    {"cosmos-sdk/MsgUndelegate"},
		"withdraw":      {"cosmos-sdk/MsgWithdrawValCommission", "cosmos-sdk/MsgWithdrawDelegationReward", "cosmos-sdk/MsgWithdrawDelegationReward"},
		"vote":          {"cosmos-sdk/v1/MsgVote"},
		"vote-weighted": {"cosmos-sdk/v1/MsgVoteWeighted"},
	}
	for name, names := range grantMsgNames {
		wantNames[name] = names
	}
	for name, op := range allOps(signer) {
		t.Run(name, func(t *testing.T) {
			b := unsigned(t, cfg, op, Body{Memo: "akw test"})
			doc, err := SignBytes(context.Background(), cfg, b.b, signingtypes.SignMode_SIGN_MODE_LEGACY_AMINO_JSON, pub, SignerData{ChainID: "akash-devnet-1", AccountNumber: 12, Sequence: 3})
			if err != nil {
				t.Fatal(err)
			}
			if err := signdoc.CheckCanonical(doc); err != nil {
				t.Fatalf("the Ledger app would refuse this sign doc: %v\n%s", err, doc)
			}
			if _, err := signdoc.Validate(doc, signdoc.Options{}); err != nil {
				t.Fatalf("the Ledger app (Nano S token limit) would refuse this sign doc: %v\n%s", err, doc)
			}
			if !isCanonical(t, doc) {
				t.Fatalf("not canonical (sorted, compact):\n%s", doc)
			}
			var parsed struct {
				AccountNumber string `json:"account_number"`
				ChainID       string `json:"chain_id"`
				Sequence      string `json:"sequence"`
				Msgs          []struct {
					Type string `json:"type"`
				} `json:"msgs"`
			}
			if err := json.Unmarshal(doc, &parsed); err != nil {
				t.Fatal(err)
			}
			if parsed.AccountNumber != "12" || parsed.ChainID != "akash-devnet-1" || parsed.Sequence != "3" {
				t.Fatalf("signer data not in the doc: %s", doc)
			}
			msgs, _ := op.Msgs(prefixes)
			if len(parsed.Msgs) != len(wantNames[name]) {
				t.Fatalf("got %d msgs", len(parsed.Msgs))
			}
			for i, m := range parsed.Msgs {
				if m.Type != wantNames[name][i] {
					t.Errorf("msg %d: amino name %q, want %q", i, m.Type, wantNames[name][i])
				}
				// The legacy amino registry knows the same name.
				bz, err := cfg.Amino.MarshalJSON(msgs[i])
				if err != nil {
					t.Fatalf("msg %d has no legacy amino registration: %v", i, err)
				}
				if !bytes.Contains(bz, []byte(`"type":"`+m.Type+`"`)) {
					t.Errorf("legacy amino codec names msg %d differently: %s", i, bz)
				}
			}
		})
	}
}

// isCanonical re-encodes doc with sorted keys and no whitespace and
// compares.
func isCanonical(t testing.TB, doc []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return bytes.Equal(bytes.TrimSuffix(out.Bytes(), []byte("\n")), doc)
}

func TestDirectSignDoc(t *testing.T) {
	cfg, kr, signer := setup(t)
	rec, _ := kr.Key("alice")
	pub, _ := rec.GetPubKey()
	b := unsigned(t, cfg, allOps(signer)["send"], Body{})
	bz, err := SignBytes(context.Background(), cfg, b.b, signingtypes.SignMode_SIGN_MODE_DIRECT, pub, SignerData{ChainID: "akash-devnet-1", AccountNumber: 12, Sequence: 3})
	if err != nil {
		t.Fatal(err)
	}
	var doc txtypes.SignDoc
	if err := doc.Unmarshal(bz); err != nil {
		t.Fatal(err)
	}
	if doc.ChainId != "akash-devnet-1" || doc.AccountNumber != 12 {
		t.Fatalf("sign doc %+v", doc)
	}
	var ai txtypes.AuthInfo
	if err := ai.Unmarshal(doc.AuthInfoBytes); err != nil {
		t.Fatal(err)
	}
	if len(ai.SignerInfos) != 1 || ai.SignerInfos[0].Sequence != 3 || ai.SignerInfos[0].ModeInfo.GetSingle().Mode != signingtypes.SignMode_SIGN_MODE_DIRECT {
		t.Fatalf("signer info %+v", ai.SignerInfos)
	}
}

func TestSignAndVerify(t *testing.T) {
	cfg, kr, signer := setup(t)
	ctx := context.Background()
	sd := SignerData{ChainID: "akash-devnet-1", AccountNumber: 12, Sequence: 3}
	for name, op := range allOps(signer) {
		b := unsigned(t, cfg, op, Body{})
		mode, err := Sign(ctx, cfg, kr, nil, "alice", b.b, sd)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if mode != signingtypes.SignMode_SIGN_MODE_DIRECT {
			t.Fatalf("local key signed in %v", mode)
		}
		if err := Verify(ctx, cfg, b.b, sd); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// The signature binds chain-id and account number.
		if err := Verify(ctx, cfg, b.b, SignerData{ChainID: "akashnet-2", AccountNumber: 12}); err == nil {
			t.Fatalf("%s: verified for another chain", name)
		}
		if err := Verify(ctx, cfg, b.b, SignerData{ChainID: "akash-devnet-1", AccountNumber: 13}); err == nil {
			t.Fatalf("%s: verified for another account number", name)
		}
	}
}

// A signature in amino JSON mode made by hand (what a Ledger returns)
// verifies through the same path the chain uses.
func TestAminoSignatureVerifies(t *testing.T) {
	cfg, kr, signer := setup(t)
	ctx := context.Background()
	rec, _ := kr.Key("alice")
	pub, _ := rec.GetPubKey()
	sd := SignerData{ChainID: "akash-devnet-1", AccountNumber: 5, Sequence: 9}
	b := unsigned(t, cfg, allOps(signer)["vote-weighted"], Body{})
	mode := signingtypes.SignMode_SIGN_MODE_LEGACY_AMINO_JSON
	doc, err := SignBytes(ctx, cfg, b.b, mode, pub, sd)
	if err != nil {
		t.Fatal(err)
	}
	sig, _, err := kr.Sign("alice", doc, mode)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.b.SetSignatures(signingtypes.SignatureV2{PubKey: pub, Data: &signingtypes.SingleSignatureData{SignMode: mode, Signature: sig}, Sequence: 9}); err != nil {
		t.Fatal(err)
	}
	if err := Verify(ctx, cfg, b.b, sd); err != nil {
		t.Fatal(err)
	}
	sd.Sequence = 10
	if err := b.b.SetSignatures(signingtypes.SignatureV2{PubKey: pub, Data: &signingtypes.SingleSignatureData{SignMode: mode, Signature: sig}, Sequence: 10}); err != nil {
		t.Fatal(err)
	}
	if err := Verify(ctx, cfg, b.b, sd); err == nil {
		t.Fatal("amino signature verified for another sequence")
	}
}

func TestSignRefusesOtherKey(t *testing.T) {
	cfg, kr, _ := setup(t)
	b := unsigned(t, cfg, allOps(accAddr(9))["send"], Body{})
	_, err := Sign(context.Background(), cfg, kr, nil, "alice", b.b, SignerData{ChainID: "c", AccountNumber: 1})
	if errkind.KindOf(err) != errkind.Key || !strings.Contains(err.Error(), "not the transaction's signer") {
		t.Fatalf("got %v", err)
	}
	_, err = Sign(context.Background(), cfg, kr, nil, "bob", b.b, SignerData{ChainID: "c"})
	if errkind.KindOf(err) != errkind.Key {
		t.Fatalf("unknown key: %v", err)
	}
}

func TestLedgerKeyUsesAminoJSON(t *testing.T) {
	_, kr, signer := setup(t)
	rec, _ := kr.Key("alice")
	pub, _ := rec.GetPubKey()
	// A Ledger record as the keyring stores it: public key and path.
	ledgerRec, err := keyring.NewLedgerRecord("ledger", pub, hd.NewFundraiserParams(0, 118, 0))
	if err != nil {
		t.Fatal(err)
	}
	mode, err := ModeFor(ledgerRec)
	if err != nil || mode != signingtypes.SignMode_SIGN_MODE_LEGACY_AMINO_JSON {
		t.Fatalf("ledger mode %v %v", mode, err)
	}
	mode, err = ModeFor(rec)
	if err != nil || mode != signingtypes.SignMode_SIGN_MODE_DIRECT {
		t.Fatalf("local mode %v %v", mode, err)
	}
	offline, _ := keyring.NewOfflineRecord("watch", pub)
	if _, err := ModeFor(offline); errkind.KindOf(err) != errkind.Key {
		t.Fatalf("offline key: %v", err)
	}
	_ = signer
}

func TestUnordered(t *testing.T) {
	cfg, kr, signer := setup(t)
	ctx := context.Background()
	timeout := time.Date(2026, 11, 24, 6, 0, 0, 0, time.UTC)
	b := unsigned(t, cfg, allOps(signer)["send"], Body{Unordered: true, TimeoutTimestamp: timeout})
	if _, err := Sign(ctx, cfg, kr, nil, "alice", b.b, SignerData{ChainID: "c", AccountNumber: 1, Sequence: 4}); errkind.KindOf(err) != errkind.Usage {
		t.Fatalf("unordered with a sequence: %v", err)
	}
	if _, err := Sign(ctx, cfg, kr, nil, "alice", b.b, SignerData{ChainID: "c", AccountNumber: 1}); err != nil {
		t.Fatal(err)
	}
	js, err := EncodeJSON(cfg, b.b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(js, []byte(`"unordered": true`)) || !bytes.Contains(js, []byte(`"timeout_timestamp": "2026-11-24T06:00:00Z"`)) {
		t.Fatalf("unordered fields missing:\n%s", js)
	}
	if _, err := Unsigned(cfg, nil, Body{Unordered: true}); errkind.KindOf(err) != errkind.Usage {
		t.Fatalf("unordered without timeout: %v", err)
	}
}

func TestMemo(t *testing.T) {
	if err := CheckMemo(testMnemonic); errkind.KindOf(err) != errkind.Usage {
		t.Fatalf("mnemonic memo: %v", err)
	}
	if strings.Contains(CheckMemo(testMnemonic).Error(), "abandon") {
		t.Fatal("the error repeats the mnemonic")
	}
	if err := CheckMemo(strings.Repeat("x", 257)); err == nil {
		t.Fatal("long memo accepted")
	}
	if err := CheckMemo("invoice 42"); err != nil {
		t.Fatal(err)
	}
}

// A transaction survives the file round trip byte for byte, signed or not,
// and a signed one still verifies after it.
func TestFileRoundTrip(t *testing.T) {
	cfg, kr, signer := setup(t)
	ctx := context.Background()
	dir := t.TempDir()
	for name, op := range allOps(signer) {
		b := unsigned(t, cfg, op, Body{Memo: "round trip"})
		js, err := EncodeJSON(cfg, b.b)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, name+".json")
		if err := WriteFile(path, js, false); err != nil {
			t.Fatal(err)
		}
		if err := WriteFile(path, js, false); errkind.KindOf(err) != errkind.Usage {
			t.Fatalf("overwrote %s: %v", path, err)
		}
		back, err := ReadFile(cfg, path, nil)
		if err != nil {
			t.Fatal(err)
		}
		js2, _ := EncodeJSON(cfg, back)
		if !bytes.Equal(js, js2) {
			t.Fatalf("%s: round trip changed the tx:\n%s\n%s", name, js, js2)
		}
		sd := SignerData{ChainID: "akash-devnet-1", AccountNumber: 1, Sequence: 2}
		if _, err := Sign(ctx, cfg, kr, nil, "alice", back, sd); err != nil {
			t.Fatal(err)
		}
		signed, _ := EncodeJSON(cfg, back)
		again, err := DecodeJSON(cfg, signed)
		if err != nil {
			t.Fatal(err)
		}
		if err := Verify(ctx, cfg, again, sd); err != nil {
			t.Fatalf("%s: signature lost in the file: %v", name, err)
		}
		d := Describe(cfg, again, amount.Akash)
		if !d.Signed || len(d.Messages) == 0 || !d.Messages[0].Known || d.Fee != "0.005 AKT" || d.Memo != "round trip" {
			t.Fatalf("%s: describe %+v", name, d)
		}
	}
}

func TestDescribe(t *testing.T) {
	cfg, _, signer := setup(t)
	b := unsigned(t, cfg, allOps(signer)["send"], Body{})
	d := Describe(cfg, b.b, amount.Akash)
	want := map[string]string{"action": "send", "to": address.Bech32("akash", accAddr(2)), "amount": "1.5 AKT"}
	for _, f := range d.Messages[0].Fields {
		if w, ok := want[f.Label]; ok && w != f.Value {
			t.Errorf("%s = %q, want %q", f.Label, f.Value, w)
		}
	}
	if d.Signed || len(d.Signers) != 1 || d.Signers[0] != address.Bech32("akash", signer) {
		t.Fatalf("%+v", d)
	}
	wb := unsigned(t, cfg, allOps(signer)["vote-weighted"], Body{})
	if f := Describe(cfg, wb.b, amount.Akash).Messages[0].Fields; f[len(f)-1].Value != "yes=0.6, no=0.4" {
		t.Fatalf("%+v", f)
	}
	_ = govv1.OptionYes
}

func TestDecodeJSONRefuses(t *testing.T) {
	cfg, _, _ := setup(t)
	for name, in := range map[string]string{
		"empty":         ``,
		"not json":      `hello`,
		"no messages":   `{"body":{"messages":[]},"auth_info":{},"signatures":[]}`,
		"unknown msg":   `{"body":{"messages":[{"@type":"/akash.evil.MsgDrain","to":"x"}]},"auth_info":{},"signatures":[]}`,
		"unknown field": `{"body":{"messages":[],"evil":1},"auth_info":{},"signatures":[]}`,
	} {
		if _, err := DecodeJSON(cfg, []byte(in)); errkind.KindOf(err) != errkind.Usage {
			t.Errorf("%s: %v", name, err)
		}
	}
	big := make([]byte, MaxFileSize+1)
	if _, err := DecodeJSON(cfg, big); errkind.KindOf(err) != errkind.Usage {
		t.Errorf("big: %v", err)
	}
	if _, err := ReadFile(cfg, filepath.Join(t.TempDir(), "missing.json"), nil); errkind.KindOf(err) != errkind.Usage || errors.Is(err, os.ErrNotExist) == false {
		t.Errorf("missing: %v", err)
	}
}

func FuzzDecodeJSON(f *testing.F) {
	cfg, kr, signer := setup(f)
	for _, op := range allOps(signer) {
		b := unsigned(f, cfg, op, Body{Memo: "seed"})
		js, _ := EncodeJSON(cfg, b.b)
		f.Add(js)
		if _, err := Sign(context.Background(), cfg, kr, nil, "alice", b.b, SignerData{ChainID: "c", AccountNumber: 1}); err == nil {
			js, _ = EncodeJSON(cfg, b.b)
			f.Add(js)
		}
	}
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, bz []byte) {
		b, err := DecodeJSON(cfg, bz)
		if err != nil {
			if errkind.KindOf(err) != errkind.Usage {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		// Whatever decodes can be described and re-encoded.
		_ = Describe(cfg, b, amount.Akash)
		if _, err := EncodeJSON(cfg, b); err != nil {
			t.Fatalf("decoded but cannot re-encode: %v", err)
		}
	})
}

type builderT struct{ b client.TxBuilder }

// An unordered transaction's amino JSON sign document (what a Ledger
// signs) still passes the app's rules, and binds the timeout.
func TestUnorderedAminoJSON(t *testing.T) {
	cfg, kr, signer := setup(t)
	rec, _ := kr.Key("alice")
	pub, _ := rec.GetPubKey()
	timeout := time.Date(2026, 11, 24, 6, 0, 0, 0, time.UTC)
	b := unsigned(t, cfg, allOps(signer)["delegate"], Body{Unordered: true, TimeoutTimestamp: timeout})
	doc, err := SignBytes(context.Background(), cfg, b.b, signingtypes.SignMode_SIGN_MODE_LEGACY_AMINO_JSON, pub, SignerData{ChainID: "akash-devnet-1", AccountNumber: 3})
	if err != nil {
		t.Fatal(err)
	}
	if err := signdoc.CheckCanonical(doc); err != nil {
		t.Fatalf("the Ledger app would refuse: %v\n%s", err, doc)
	}
	if !bytes.Contains(doc, []byte(`"timeout_timestamp":"2026-11-24T06:00:00Z"`)) || !bytes.Contains(doc, []byte(`"unordered":true`)) {
		t.Fatalf("the sign doc does not bind the unordered fields:\n%s", doc)
	}
}
