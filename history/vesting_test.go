package history

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	vestingtypes "github.com/cosmos/cosmos-sdk/x/auth/vesting/types"
	"github.com/cosmos/cosmos-sdk/x/authz"
	"github.com/cosmos/gogoproto/proto"
)

// The SDK's own vesting messages (the test may link x/auth/vesting/types;
// akw may not): each is read as a send out of the creator's balance and
// a receipt into the new account's, with its schedule, directly and
// inside a MsgExec; the CSV labels both lines "vesting".
func TestEffectsVestingAccounts(t *testing.T) {
	d := testDecoder(t)
	creator, account, other := testAddr(1), testAddr(2), testAddr(3)
	end := time.Date(2027, 1, 2, 3, 4, 5, 0, time.UTC).Unix()
	two := sdk.NewCoins(sdk.NewInt64Coin("uakt", 9_000_000), sdk.NewInt64Coin("uact", 5))
	// Literals: the constructors write addresses with the process's
	// global bech32 prefix.
	periodic := &vestingtypes.MsgCreatePeriodicVestingAccount{FromAddress: creator, ToAddress: account, StartTime: 1_000, VestingPeriods: vestingtypes.Periods{
		{Length: 100, Amount: uakt(1_000_000)},
		{Length: 200, Amount: sdk.NewCoins(sdk.NewInt64Coin("uakt", 2_000_000), sdk.NewInt64Coin("uact", 3))},
	}}
	// What the SDK makes of the periods: the account's end.
	pva, err := vestingtypes.NewPeriodicVestingAccount(&authtypes.BaseAccount{}, vestingtypes.Periods(periodic.VestingPeriods).TotalAmount(), periodic.StartTime, periodic.VestingPeriods)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		msg    sdk.Msg
		coins  sdk.Coins
		sched  Vesting
		detail string
	}{
		{&vestingtypes.MsgCreateVestingAccount{FromAddress: creator, ToAddress: account, Amount: two, EndTime: end}, two,
			Vesting{Kind: VestingContinuous, End: end}, "continuous vesting account (vesting from its creation until 2027-01-02 03:04 UTC)"},
		{&vestingtypes.MsgCreateVestingAccount{FromAddress: creator, ToAddress: account, Amount: uakt(7), EndTime: end, Delayed: true}, uakt(7),
			Vesting{Kind: VestingDelayed, End: end}, "delayed vesting account (locked until 2027-01-02 03:04 UTC)"},
		{&vestingtypes.MsgCreatePermanentLockedAccount{FromAddress: creator, ToAddress: account, Amount: uakt(8)}, uakt(8),
			Vesting{Kind: VestingPermanent}, "permanently locked account"},
		{periodic, sdk.NewCoins(sdk.NewInt64Coin("uakt", 3_000_000), sdk.NewInt64Coin("uact", 3)),
			Vesting{Kind: VestingPeriodic, Start: 1_000, End: pva.EndTime, Periods: 2}, "periodic vesting account (2 periods from 1970-01-01 00:16 UTC to 1970-01-01 00:21 UTC"},
	}
	for _, c := range cases {
		name := sdk.MsgTypeURL(c.msg)
		if c.sched.Kind == VestingDelayed {
			name += "/delayed"
		}
		t.Run(name, func(t *testing.T) {
			inner, err := codectypes.NewAnyWithValue(c.msg)
			if err != nil {
				t.Fatal(err)
			}
			exec := &authz.MsgExec{Grantee: other, Msgs: []*codectypes.Any{inner}}
			for _, bz := range [][]byte{buildTx(t, d, uakt(5000), "", "", c.msg), buildTx(t, d, uakt(5000), "", "", exec)} {
				for _, who := range []struct {
					addr, kind, dir, party string
				}{{creator, "send", "out", account}, {account, "receive", "in", creator}} {
					e := d.Effects(bz, who.addr, true, nil)
					var mv *Movement
					for i := range e.Movements {
						if e.Movements[i].Kind != KindFee {
							if mv != nil {
								t.Fatalf("%s: movements %+v", who.kind, e.Movements)
							}
							mv = &e.Movements[i]
						}
					}
					if mv == nil || string(mv.Kind) != who.kind || string(mv.Direction) != who.dir || !mv.Coins.Equal(c.coins) ||
						mv.Counterparty != who.party || !mv.Verified || mv.Vesting == nil || *mv.Vesting != c.sched || !strings.Contains(mv.Detail, c.detail) {
						t.Fatalf("%s: %+v, want %s of %s, schedule %+v, detail %q", who.kind, e, who.kind, c.coins, c.sched, c.detail)
					}
					if !e.Messages[0].Known || strings.Contains(e.Messages[0].Summary, "not decoded") || !strings.Contains(e.Messages[0].Summary, "create a ") {
						t.Fatalf("message %+v", e.Messages[0])
					}
					// The CSV: the movement's line is labelled vesting.
					var buf bytes.Buffer
					if _, err := WriteCSV(&buf, []Row{{Hash: "H", Status: Proven, Success: true, Time: time.Unix(end, 0), Effects: e}}, defaultDenoms); err != nil {
						t.Fatal(err)
					}
					lines, err := csv.NewReader(&buf).ReadAll()
					if err != nil {
						t.Fatal(err)
					}
					if lines[1][9] != LabelVesting || !strings.Contains(lines[1][10], c.detail) {
						t.Fatalf("csv line %q", lines[1])
					}
				}
				// Someone else's creation moves nothing of theirs.
				if e := d.Effects(bz, other, true, nil); len(e.Movements) != 0 && e.Movements[0].Kind != KindFee {
					t.Fatalf("third party: %+v", e.Movements)
				}
			}
		})
	}
}

// A vesting message whose bytes are not one is named, with why, and
// moves nothing the history would show as proven.
func TestEffectsVestingUnreadable(t *testing.T) {
	d := testDecoder(t)
	bz := buildTx(t, d, uakt(1), "", "", &vestingtypes.MsgCreatePermanentLockedAccount{FromAddress: testAddr(1), ToAddress: testAddr(2), Amount: uakt(3)})
	// The amount's coin is made an invalid denom, same length.
	bz = bytes.Replace(bz, []byte("uakt\x12\x013"), []byte("9akt\x12\x013"), 1)
	e := d.Effects(bz, testAddr(1), true, nil)
	if e.Messages[0].Known || !strings.Contains(e.Messages[0].Summary, "could not be read") || len(e.Movements) != 1 || e.Movements[0].Kind != KindOther {
		t.Fatalf("effects %+v", e)
	}
}

// FuzzDecodeVestingMsg: no bytes crash the decoder; whatever the SDK's
// own types decode with valid coins, it decodes to the same addresses,
// amount and schedule (but for malformed unknown fields, which it
// refuses), and
// what the SDK refuses it refuses too.
func FuzzDecodeVestingMsg(f *testing.F) {
	for _, m := range []proto.Message{
		vestingtypes.NewMsgCreateVestingAccount(acc(testAddr(1)), acc(testAddr(2)), uakt(9), 1<<40, true),
		vestingtypes.NewMsgCreatePermanentLockedAccount(acc(testAddr(1)), acc(testAddr(2)), uakt(8)),
		vestingtypes.NewMsgCreatePeriodicVestingAccount(acc(testAddr(1)), acc(testAddr(2)), 5, vestingtypes.Periods{{Length: 3, Amount: uakt(1)}, {Length: 4, Amount: uakt(2)}}),
	} {
		bz, err := proto.Marshal(m)
		if err != nil {
			f.Fatal(err)
		}
		for kind := range 3 {
			f.Add(kind, bz)
		}
	}
	f.Fuzz(func(t *testing.T, kind int, bz []byte) {
		var ref interface {
			proto.Message
			Unmarshal([]byte) error
		}
		switch kind % 3 {
		case 0:
			ref = &vestingtypes.MsgCreateVestingAccount{}
		case 1:
			ref = &vestingtypes.MsgCreatePermanentLockedAccount{}
		default:
			ref = &vestingtypes.MsgCreatePeriodicVestingAccount{}
		}
		url := sdk.MsgTypeURL(ref)
		got, ok, err := decodeVestingMsg(url, bz)
		if !ok {
			t.Fatalf("%s not taken as a vesting message", url)
		}
		refErr := ref.Unmarshal(bz)
		if refErr != nil {
			if err == nil {
				t.Fatalf("the SDK refuses %x (%v); decoded %+v", bz, refErr, got)
			}
			return
		}
		var from, to string
		var coins sdk.Coins
		want := Vesting{}
		switch m := ref.(type) {
		case *vestingtypes.MsgCreateVestingAccount:
			from, to, coins, want = m.FromAddress, m.ToAddress, m.Amount, Vesting{Kind: VestingContinuous, End: m.EndTime}
			if m.Delayed {
				want.Kind = VestingDelayed
			}
		case *vestingtypes.MsgCreatePermanentLockedAccount:
			from, to, coins, want = m.FromAddress, m.ToAddress, m.Amount, Vesting{Kind: VestingPermanent}
		case *vestingtypes.MsgCreatePeriodicVestingAccount:
			from, to, want = m.FromAddress, m.ToAddress, Vesting{Kind: VestingPeriodic, Start: m.StartTime, End: m.StartTime, Periods: len(m.VestingPeriods)}
			for _, p := range m.VestingPeriods {
				want.End += p.Length
				coins = append(coins, p.Amount...)
			}
		}
		if !validCoins(coins) {
			if err == nil {
				t.Fatalf("coins %v the chain would refuse decoded as %v", coins, got.amount)
			}
			return
		}
		if err != nil {
			// The SDK's generated decoder skips unknown fields it
			// should not (a group with no matching end, a field number
			// out of range); protowire refuses them ("proto:" errors). Such
			// a message is named "could not be read", never misread: no
			// chain's client writes them.
			if !strings.Contains(err.Error(), "proto:") {
				t.Fatalf("the SDK reads %x as %v; %v", bz, ref, err)
			}
			return
		}
		if got.from != from || got.to != to || got.schedule != want || !got.amount.Equal(sum(coins)) {
			t.Fatalf("decoded %+v, the SDK %v (want schedule %+v)", got, ref, want)
		}
	})
}

// validCoins: each coin valid on its own (a sum of them is then valid).
func validCoins(cs sdk.Coins) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	for _, c := range cs {
		if c.Validate() != nil {
			return false
		}
	}
	return sum(cs).Validate() == nil
}

// sum adds coins one by one (Coins.Add wants its arguments sorted).
func sum(cs sdk.Coins) sdk.Coins {
	out := sdk.NewCoins()
	for _, c := range cs {
		out = out.Add(c)
	}
	return out
}
