package history

import (
	"bytes"
	"strings"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	"github.com/cosmos/cosmos-sdk/x/authz"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/amount"
)

func testAddr(seed byte) string { return address.Bech32("akash", bytes.Repeat([]byte{seed}, 20)) }
func testValoper(seed byte) string {
	return address.Bech32("akashvaloper", bytes.Repeat([]byte{seed}, 20))
}

// acc reads an akash address without the SDK's global bech32 config.
func acc(s string) sdk.AccAddress {
	a, err := address.Account(s, address.For("akash"))
	if err != nil {
		panic(err)
	}
	return a
}

func uakt(n int64) sdk.Coins { return sdk.NewCoins(sdk.NewInt64Coin("uakt", n)) }

// buildTx encodes an unsigned transaction: decoding needs no signature.
func buildTx(t *testing.T, d *Decoder, fee sdk.Coins, memo string, granter string, msgs ...sdk.Msg) []byte {
	t.Helper()
	b := d.cfg.TxConfig.NewTxBuilder()
	if err := b.SetMsgs(msgs...); err != nil {
		t.Fatal(err)
	}
	b.SetFeeAmount(fee)
	b.SetGasLimit(200_000)
	b.SetMemo(memo)
	bz, err := d.cfg.TxConfig.TxEncoder()(b.GetTx())
	if err != nil {
		t.Fatal(err)
	}
	if granter != "" {
		// The builder would write the granter with the SDK's global
		// bech32 prefix; a chain's transaction carries its own.
		bz = withGranter(t, bz, granter)
	}
	return bz
}

var defaultDenoms = amount.Akash

func testDecoder(t *testing.T) *Decoder {
	t.Helper()
	d, err := NewDecoder("akash", amount.Akash)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func event(typ string, kv ...string) abci.Event {
	ev := abci.Event{Type: typ}
	for i := 0; i+1 < len(kv); i += 2 {
		ev.Attributes = append(ev.Attributes, abci.EventAttribute{Key: kv[i], Value: kv[i+1], Index: true})
	}
	return ev
}

func kinds(ms []Movement) string {
	var parts []string
	for _, m := range ms {
		s := string(m.Kind) + ":" + string(m.Direction) + ":" + m.Coins.String()
		if !m.Verified {
			s += ":reported"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func TestEffects(t *testing.T) {
	d := testDecoder(t)
	a, b, g := testAddr(1), testAddr(2), testAddr(3)
	val := testValoper(9)
	distr := address.Bech32("akash", authtypes.NewModuleAddress(distrtypes.ModuleName))
	feeEvent := event("tx", "fee", "5000uakt", "fee_payer", a)
	reward := event("transfer", "recipient", a, "sender", distr, "amount", "1234uakt")
	otherTransfer := event("transfer", "recipient", a, "sender", b, "amount", "99uakt")

	unknown := &codectypes.Any{TypeUrl: "/akash.deployment.v1beta4.MsgCreateDeployment", Value: []byte{1, 2, 3}}
	delegate := stakingtypes.NewMsgDelegate(a, val, sdk.NewInt64Coin("uakt", 700))
	exec := authz.NewMsgExec(acc(g), []sdk.Msg{delegate})
	exec.Grantee = g

	cases := []struct {
		name    string
		tx      []byte
		addr    string
		success bool
		events  []abci.Event
		want    string
		memo    string
	}{
		{"send, sender", buildTx(t, d, uakt(5000), "hello", "", &banktypes.MsgSend{FromAddress: a, ToAddress: b, Amount: uakt(10)}),
			a, true, nil, "send:out:10uakt fee:out:5000uakt", "hello"},
		{"send, recipient", buildTx(t, d, uakt(5000), "", "", &banktypes.MsgSend{FromAddress: a, ToAddress: b, Amount: uakt(10)}),
			b, true, nil, "receive:in:10uakt", ""},
		{"failed send, fee charged", buildTx(t, d, uakt(5000), "", "", &banktypes.MsgSend{FromAddress: a, ToAddress: b, Amount: uakt(10)}),
			a, false, []abci.Event{feeEvent}, "fee:out:5000uakt:reported", ""},
		{"failed in the ante handler, no fee", buildTx(t, d, uakt(5000), "", "", &banktypes.MsgSend{FromAddress: a, ToAddress: b, Amount: uakt(10)}),
			a, false, nil, "", ""},
		{"claim", buildTx(t, d, uakt(5000), "", "", distrtypes.NewMsgWithdrawDelegatorReward(a, val)),
			a, true, []abci.Event{feeEvent, reward, otherTransfer}, "reward:in:1234uakt:reported fee:out:5000uakt", ""},
		{"a failed claim pays nothing out", buildTx(t, d, uakt(5000), "", "", distrtypes.NewMsgWithdrawDelegatorReward(a, val)),
			a, false, []abci.Event{feeEvent, reward}, "fee:out:5000uakt:reported", ""},
		{"delegate with auto-claim", buildTx(t, d, uakt(5000), "", "", delegate),
			a, true, []abci.Event{reward}, "delegate:out:700uakt reward:in:1234uakt:reported fee:out:5000uakt", ""},
		{"undelegate", buildTx(t, d, uakt(5000), "", "", stakingtypes.NewMsgUndelegate(a, val, sdk.NewInt64Coin("uakt", 300))),
			a, true, nil, "undelegate::300uakt fee:out:5000uakt", ""},
		{"vote", buildTx(t, d, uakt(5000), "", "", &govv1.MsgVote{Voter: a, ProposalId: 7, Option: govv1.OptionNoWithVeto}),
			a, true, nil, "vote:: fee:out:5000uakt", ""},
		{"authz exec: the granter's delegation, the grantee's fee", buildTx(t, d, uakt(5000), "", "", &exec),
			a, true, nil, "delegate:out:700uakt", ""},
		{"authz exec, seen by the grantee", buildTx(t, d, uakt(5000), "", "", &exec),
			g, true, nil, "fee:out:5000uakt", ""},
		{"fee granted: the granter pays", buildTx(t, d, uakt(5000), "", b, &banktypes.MsgSend{FromAddress: a, ToAddress: g, Amount: uakt(10)}),
			a, true, nil, "send:out:10uakt", ""},
		{"fee granted, seen by the granter", buildTx(t, d, uakt(5000), "", b, &banktypes.MsgSend{FromAddress: a, ToAddress: g, Amount: uakt(10)}),
			b, true, nil, "fee:out:5000uakt", ""},
		{"self-send", buildTx(t, d, nil, "", "", &banktypes.MsgSend{FromAddress: a, ToAddress: a, Amount: uakt(10)}),
			a, true, nil, "send:out:10uakt receive:in:10uakt", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := d.Effects(tc.tx, tc.addr, tc.success, tc.events)
			if e.Undecoded != "" {
				t.Fatal(e.Undecoded)
			}
			if got := kinds(e.Movements); got != tc.want {
				t.Fatalf("movements %q, want %q", got, tc.want)
			}
			if e.Memo != tc.memo {
				t.Fatalf("memo %q", e.Memo)
			}
			for _, m := range e.Messages {
				if !m.Known || m.Summary == "" {
					t.Fatalf("message %+v", m)
				}
			}
		})
	}

	// An unknown message type is shown as such, with the rest of the
	// transaction still read.
	b1 := d.cfg.TxConfig.NewTxBuilder()
	b1.SetFeeAmount(uakt(5000))
	bz, err := d.cfg.TxConfig.TxEncoder()(b1.GetTx())
	if err != nil {
		t.Fatal(err)
	}
	var raw = withMessages(t, bz, unknown)
	e := d.Effects(raw, a, true, nil)
	if e.Undecoded != "" || len(e.Messages) != 1 || e.Messages[0].Known || kinds(e.Movements) != "other:::reported" {
		t.Fatalf("unknown message: %+v", e)
	}

	// Bytes that are no transaction are proven all the same; they say so.
	for _, junk := range [][]byte{nil, {0xff}, []byte("not a tx")} {
		if e := d.Effects(junk, a, false, nil); e.Undecoded == "" {
			t.Fatalf("%q decoded: %+v", junk, e)
		}
	}
}
