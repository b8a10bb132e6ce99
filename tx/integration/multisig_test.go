package integration_test

import (
	"strings"
	"testing"

	kmultisig "github.com/cosmos/cosmos-sdk/crypto/keys/multisig"
	sdk "github.com/cosmos/cosmos-sdk/types"
	signingtypes "github.com/cosmos/cosmos-sdk/types/tx/signing"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/ledgeremu"
	"github.com/akash-wallet/akw/keys"
	"github.com/akash-wallet/akw/tx/fee"
	"github.com/akash-wallet/akw/tx/flow"
	"github.com/akash-wallet/akw/tx/ops"
	"github.com/akash-wallet/akw/tx/sign"
)

// ledgerMnemonic is the emulated device's seed: nobody else's key.
const ledgerMnemonic = "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong"

// A 2-of-3 multisig with one member on a Ledger (the emulator under the
// real ledger-cosmos-go client) and two in a keyring: the transaction is
// generated from the multisig address (simulated with an empty
// multisignature), each member signs apart in amino JSON (the device
// reviews it), too few signatures and a signature over other bytes are
// refused before broadcast, and the combined transaction moves the funds
// as proven afterwards.
func TestMultisigLedgerAndKeyringMembers(t *testing.T) {
	f := open(t)
	dev, err := ledgeremu.New(ledgeremu.Config{Mnemonic: ledgerMnemonic})
	if err != nil {
		t.Fatal(err)
	}
	keys.SetLedgerConnector(dev.Connect)
	t.Cleanup(func() { keys.SetLedgerConnector(nil) })
	kk := f.kk
	if _, err := kk.AddLedger("hw", keys.HDPath{Index: 7}, false); err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"desk", "spare"} {
		if _, _, err := kk.Create(m, keys.HDOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	// A threshold above the members is refused, nothing stored.
	if _, err := kk.SaveMultisig("treasury", []string{"hw", "desk", "spare"}, 4, false); err == nil {
		t.Fatal("a 4-of-3 multisig was stored")
	}
	mk, err := kk.SaveMultisig("treasury", []string{"hw", "desk", "spare"}, 2, false)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := kk.SDK().Key("treasury")
	if err != nil {
		t.Fatal(err)
	}
	pk, err := rec.GetPubKey()
	if err != nil {
		t.Fatal(err)
	}
	multi := pk.(*kmultisig.LegacyAminoPubKey)
	from := sdk.AccAddress(multi.Address())
	if f.enc.Bech32(from) != mk.Address {
		t.Fatalf("keys shows %s, the multisig key's address is %s", mk.Address, f.enc.Bech32(from))
	}
	alice := f.key(t, "alice")
	f.do(t, alice, &ops.Send{From: alice.Address, To: from, Amount: sdk.NewInt64Coin(devnet.Denom, 5_000_000)}, auto)

	// Generate only, from the multisig key, with gas simulated.
	key := f.key(t, "treasury")
	bob := f.key(t, "bob")
	send := &ops.Send{From: from, To: bob.Address, Amount: sdk.NewInt64Coin(devnet.Denom, 1_234_567)}
	if _, err := f.prepare(key, send, auto); errkind.KindOf(err) != errkind.Usage {
		t.Fatalf("signing with the multisig key itself: %v", err)
	}
	p, err := f.prepare(key, send, flow.Options{Gas: fee.Gas{Auto: true}, Unsigned: true})
	if err != nil {
		t.Fatal(err)
	}
	if d := sign.Describe(f.enc, p.Builder, denoms); d.Signed {
		t.Fatal("generated transaction described as signed")
	}
	sd := sign.SignerData{ChainID: f.n.ChainID(), AccountNumber: p.AccountNumber, Sequence: p.Sequence}
	onDevice, err := sign.SignPart(f.ctx, f.enc, kk.SDK(), keys.SignLedgerAminoJSON, "hw", p.Builder, multi, sd)
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := dev.LastReview(); !ok || r.Kind != ledgeremu.ReviewTransaction || r.Decision != ledgeremu.Approve {
		t.Fatalf("the device's last review: %+v", r)
	}
	desk, err := sign.SignPart(f.ctx, f.enc, kk.SDK(), nil, "desk", p.Builder, multi, sd)
	if err != nil {
		t.Fatal(err)
	}
	// The parts travel as the SDK's signature JSON.
	file, err := sign.EncodeSignatures(f.enc, onDevice)
	if err != nil {
		t.Fatal(err)
	}
	parts, err := sign.DecodeSignatures(f.enc, file)
	if err != nil {
		t.Fatal(err)
	}
	// Refused before broadcast: too few, and a member's signature over
	// other bytes (the same send with another memo).
	if err := sign.Combine(f.ctx, f.enc, p.Builder, multi, parts, sd); errkind.KindOf(err) != errkind.Usage || !strings.Contains(err.Error(), "of the 2") {
		t.Fatalf("one signature: %v", err)
	}
	o, err := f.prepare(key, send, flow.Options{Gas: fee.Gas{Limit: p.Gas}, Unsigned: true, Memo: "other"})
	if err != nil {
		t.Fatal(err)
	}
	overOther, err := sign.SignPart(f.ctx, f.enc, kk.SDK(), nil, "spare", o.Builder, multi, sd)
	if err != nil {
		t.Fatal(err)
	}
	if err := sign.Combine(f.ctx, f.enc, p.Builder, multi, append(parts, overOther), sd); errkind.KindOf(err) != errkind.Usage || !strings.Contains(err.Error(), "other bytes") {
		t.Fatalf("over other bytes: %v", err)
	}

	if err := sign.Combine(f.ctx, f.enc, p.Builder, multi, []signingtypes.SignatureV2{parts[0], desk}, sd); err != nil {
		t.Fatal(err)
	}
	if d := sign.Describe(f.enc, p.Builder, denoms); !d.Signed || d.Sigs[0].Multisig == nil || d.Sigs[0].Multisig.Collected != 2 || d.Sigs[0].Multisig.Threshold != 2 {
		t.Fatalf("described %+v", d.Sigs)
	}
	bz, err := sign.Encode(f.enc, p.Builder)
	if err != nil {
		t.Fatal(err)
	}
	v := f.view(t, 0)
	before, err := v.Balance(f.ctx, bob.Address, devnet.Denom)
	if err != nil {
		t.Fatal(err)
	}
	res, err := f.w.Broadcast(f.ctx, bz, p.Fee, nil)
	if err != nil || res.Code != 0 || !res.Verified {
		t.Fatalf("broadcast: %+v %v", res, err)
	}
	if err := f.n.WaitForHeight(f.ctx, res.Height+1); err != nil {
		t.Fatal(err)
	}
	v = f.view(t, res.Height)
	got, err := v.Balance(f.ctx, from, devnet.Denom)
	if err != nil {
		t.Fatal(err)
	}
	if want := int64(5_000_000-1_234_567) - p.Fee.AmountOf(devnet.Denom).Int64(); got.Coin.Amount.Int64() != want {
		t.Fatalf("multisig's proven balance %s, want %duakt", got.Coin, want)
	}
	after, err := v.Balance(f.ctx, bob.Address, devnet.Denom)
	if err != nil {
		t.Fatal(err)
	}
	if d := after.Coin.Amount.Sub(before.Coin.Amount); d.Int64() != 1_234_567 {
		t.Fatalf("bob's proven balance grew by %s", d)
	}
}
