package state_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	cryptocodec "github.com/cosmos/cosmos-sdk/crypto/codec"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	vestingexported "github.com/cosmos/cosmos-sdk/x/auth/vesting/exported"
	vestingtypes "github.com/cosmos/cosmos-sdk/x/auth/vesting/types"

	"github.com/akash-wallet/akw/lightclient/state"
)

// sdkCodec is the SDK's own decoder of account records, vesting kinds
// included: the reference DecodeAccount is held to (the test binary may
// link x/auth/vesting/types; akw may not, see vesting.go).
func sdkCodec() codec.Codec {
	reg := codectypes.NewInterfaceRegistry()
	cryptocodec.RegisterInterfaces(reg)
	authtypes.RegisterInterfaces(reg)
	vestingtypes.RegisterInterfaces(reg)
	return codec.NewProtoCodec(reg)
}

// vestingAccounts are one of each kind, built raw: the constructors
// validate addresses against the process's global bech32 prefix, which
// other tests of this package set.
func vestingAccounts(testing.TB) []sdk.AccountI {
	pk := secp256k1.GenPrivKeyFromSecret([]byte("vesting")).PubKey()
	pkAny, err := codectypes.NewAnyWithValue(pk)
	if err != nil {
		panic(err)
	}
	coins := sdk.NewCoins(sdk.NewInt64Coin("uakt", 9_000_001), sdk.NewInt64Coin("uact", 77))
	bva := func(end int64) *vestingtypes.BaseVestingAccount {
		return &vestingtypes.BaseVestingAccount{
			BaseAccount:     &authtypes.BaseAccount{Address: "akash1vesting", PubKey: pkAny, AccountNumber: 12, Sequence: 34},
			OriginalVesting: coins,
			EndTime:         end,
		}
	}
	// Delegated vesting and free coins, and no public key yet.
	delegated := bva(5_000)
	delegated.BaseAccount.PubKey = nil
	delegated.DelegatedVesting = sdk.NewCoins(sdk.NewInt64Coin("uakt", 4_000_000))
	delegated.DelegatedFree = sdk.NewCoins(sdk.NewInt64Coin("uakt", 10))
	return []sdk.AccountI{
		vestingtypes.NewContinuousVestingAccountRaw(bva(5_000), 1_000),
		vestingtypes.NewDelayedVestingAccountRaw(bva(3_000)),
		&vestingtypes.PermanentLockedAccount{BaseVestingAccount: bva(0)},
		vestingtypes.NewPeriodicVestingAccountRaw(bva(3_500), 1_000, vestingtypes.Periods{
			{Length: 500, Amount: sdk.NewCoins(sdk.NewInt64Coin("uakt", 1))},
			{Length: 0, Amount: sdk.NewCoins(sdk.NewInt64Coin("uact", 7))},
			{Length: 2_000, Amount: sdk.NewCoins(sdk.NewInt64Coin("uakt", 9_000_000), sdk.NewInt64Coin("uact", 70))},
		}),
		vestingtypes.NewContinuousVestingAccountRaw(delegated, 1_000),
	}
}

// TestDecodeAccountMatchesSDK: each vesting kind decodes to the SDK's
// fields, and LockedCoins is the SDK's at every second of interest
// (before, at and after start, each period's edge, end).
func TestDecodeAccountMatchesSDK(t *testing.T) {
	ref, cdc := sdkCodec(), state.Codec()
	for _, acc := range vestingAccounts(t) {
		t.Run(fmt.Sprintf("%T", acc), func(t *testing.T) {
			bz, err := ref.MarshalInterface(acc)
			if err != nil {
				t.Fatal(err)
			}
			got, err := state.DecodeAccount(cdc, bz)
			if err != nil {
				t.Fatal(err)
			}
			compareAccount(t, ref, bz, acc, got)
			compareDescribe(t, acc, got)
		})
	}
}

func compareAccount(t testing.TB, ref codec.Codec, bz []byte, acc sdk.AccountI, got *state.StoredAccount) {
	t.Helper()
	va := acc.(vestingexported.VestingAccount)
	if got.Vesting == nil {
		t.Fatalf("%T decoded without its vesting schedule", acc)
	}
	if got.Record.TypeUrl != sdk.MsgTypeURL(acc) {
		t.Fatalf("type %s, want %s", got.Record.TypeUrl, sdk.MsgTypeURL(acc))
	}
	rec, err := ref.Marshal(got.Record)
	if err != nil || !bytes.Equal(rec, bz) {
		t.Fatalf("record re-encodes to %x (%v), stored %x", rec, err, bz)
	}
	a, v := got.Account, got.Vesting
	if a.(*authtypes.BaseAccount).Address != baseVesting(va).BaseAccount.Address || a.GetAccountNumber() != acc.GetAccountNumber() || a.GetSequence() != acc.GetSequence() {
		t.Fatalf("account %v, want %v", a, acc)
	}
	if (a.GetPubKey() == nil) != (acc.GetPubKey() == nil) || (a.GetPubKey() != nil && !a.GetPubKey().Equals(acc.GetPubKey())) {
		t.Fatalf("key %v, want %v", a.GetPubKey(), acc.GetPubKey())
	}
	// As text: fuzzed coins may have no amount, which Coins.Equal panics on.
	same := func(a, b sdk.Coins) bool { return fmt.Sprint([]sdk.Coin(a)) == fmt.Sprint([]sdk.Coin(b)) }
	if !same(v.OriginalVesting, va.GetOriginalVesting()) || !same(v.DelegatedFree, va.GetDelegatedFree()) ||
		!same(v.DelegatedVesting, va.GetDelegatedVesting()) || v.StartTime != va.GetStartTime() || v.EndTime != va.GetEndTime() {
		t.Fatalf("schedule %+v, want %v", v, va)
	}
	times := []int64{0, 1, -1, 1 << 40}
	for _, at := range []int64{va.GetStartTime(), va.GetEndTime(), 1_000, 1_500, 3_000, 3_500, 5_000} {
		times = append(times, at-1, at, at+1)
	}
	for _, at := range times {
		bt := time.Unix(at, 0)
		want, ok := lockedOrPanic(va, bt)
		if !ok {
			continue // the SDK panics on this record; DecodeAccount's callers recover
		}
		if l := v.LockedCoins(bt); !same(l, want) || (l == nil) != (want == nil) {
			t.Fatalf("locked at %d: %v, the SDK says %v", at, l, want)
		}
	}
}

func lockedOrPanic(va vestingexported.VestingAccount, t time.Time) (c sdk.Coins, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return va.LockedCoins(t), true
}

// FuzzDecodeAccount: no record crashes DecodeAccount; whatever the SDK's
// codec decodes as a vesting account, DecodeAccount decodes to the same
// fields and locked coins, and what the SDK refuses it does not take as
// a vesting account either.
func FuzzDecodeAccount(f *testing.F) {
	ref := sdkCodec()
	for _, acc := range vestingAccounts(f) {
		bz, err := ref.MarshalInterface(acc)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(bz)
	}
	base, _ := ref.MarshalInterface(authtypes.NewBaseAccount(sdk.AccAddress(bytes.Repeat([]byte{1}, 20)), nil, 1, 2))
	f.Add(base)
	f.Add([]byte{})
	cdc := state.Codec()
	f.Fuzz(func(t *testing.T, bz []byte) {
		got, err := state.DecodeAccount(cdc, bz)
		acc, refErr, refPanicked := sdkDecode(ref, bz)
		va, isVesting := acc.(vestingexported.VestingAccount)
		switch {
		case refPanicked:
			// The SDK's decoder panics on a vesting kind without its
			// BaseVestingAccount (the seed in testdata); DecodeAccount
			// refuses it.
			if err == nil {
				t.Fatalf("decoded a record the SDK's decoder panics on: %+v", got)
			}
		case refErr != nil || !isVesting:
			if err == nil && got.Vesting != nil {
				t.Fatalf("decoded a vesting account the SDK does not (%v, %T)", refErr, acc)
			}
		case noBaseAccount(va):
			// The SDK's getters panic on it; DecodeAccount refuses it.
			if err == nil {
				t.Fatalf("decoded %T without a base account", va)
			}
		case err != nil && strings.Contains(err.Error(), "group"):
			// Stricter than gogoproto about deprecated groups (which
			// gogoproto skips without matching their ends): no chain
			// writes one into an account.
		case err != nil:
			t.Fatalf("the SDK decodes %T, DecodeAccount: %v", va, err)
		default:
			compareAccount(t, ref, mustRemarshal(t, ref, bz), acc, got)
		}
	})
}

// mustRemarshal is the record as the SDK would write it: a record it
// reads, re-encoded (fuzzed bytes need not be canonical).
func mustRemarshal(t *testing.T, ref codec.Codec, bz []byte) []byte {
	var a codectypes.Any
	if err := ref.Unmarshal(bz, &a); err != nil {
		t.Fatal(err)
	}
	out, err := ref.Marshal(&a)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func noBaseAccount(va vestingexported.VestingAccount) bool {
	bva := baseVesting(va)
	return bva == nil || bva.BaseAccount == nil
}

func baseVesting(va vestingexported.VestingAccount) (bva *vestingtypes.BaseVestingAccount) {
	switch a := va.(type) {
	case *vestingtypes.ContinuousVestingAccount:
		bva = a.BaseVestingAccount
	case *vestingtypes.DelayedVestingAccount:
		bva = a.BaseVestingAccount
	case *vestingtypes.PeriodicVestingAccount:
		bva = a.BaseVestingAccount
	case *vestingtypes.PermanentLockedAccount:
		bva = a.BaseVestingAccount
	}
	return bva
}

func sdkDecode(ref codec.Codec, bz []byte) (acc sdk.AccountI, err error, panicked bool) {
	defer func() {
		if recover() != nil {
			acc, err, panicked = nil, nil, true
		}
	}()
	err = ref.UnmarshalInterface(bz, &acc)
	return acc, err, false
}

// compareDescribe: Describe names each kind, gives a permanently locked
// account no end of its own (its stored end is 0), each period of a
// periodic account the time it ends, and locks what the SDK's LockedCoins
// locks.
func compareDescribe(t *testing.T, acc sdk.AccountI, got *state.StoredAccount) {
	t.Helper()
	unix := func(s int64) time.Time { return time.Unix(s, 0).UTC() }
	at := unix(2_000)
	d := got.Vesting.Describe(at)
	va := acc.(vestingexported.VestingAccount)
	if want := va.LockedCoins(at); !d.Locked.Equal(want) {
		t.Errorf("%T: locked %s, the SDK says %s", acc, d.Locked, want)
	}
	kind := map[string]string{
		"/cosmos.vesting.v1beta1.ContinuousVestingAccount": state.VestingContinuous,
		"/cosmos.vesting.v1beta1.DelayedVestingAccount":    state.VestingDelayed,
		"/cosmos.vesting.v1beta1.PermanentLockedAccount":   state.VestingPermanent,
		"/cosmos.vesting.v1beta1.PeriodicVestingAccount":   state.VestingPeriodic,
	}[sdk.MsgTypeURL(acc)]
	var periods []state.VestingPeriodEnd
	if pa, ok := acc.(*vestingtypes.PeriodicVestingAccount); ok {
		for _, p := range pa.VestingPeriods {
			periods = append(periods, state.VestingPeriodEnd{Amount: p.Amount})
		}
		periods[0].EndTime, periods[1].EndTime, periods[2].EndTime = unix(1_500), unix(1_500), unix(3_500)
	}
	if d.Kind != kind || fmt.Sprint(d.Periods) != fmt.Sprint(periods) || !d.EndTime.Equal(unix(va.GetEndTime())) {
		t.Errorf("%T: kind %q, periods %v, end %s; want %q, %v", acc, d.Kind, d.Periods, d.EndTime, kind, periods)
	}
	if (d.StartTime == nil) != (va.GetStartTime() == 0) || (d.StartTime != nil && !d.StartTime.Equal(unix(va.GetStartTime()))) {
		t.Errorf("%T: start %v, want %d", acc, d.StartTime, va.GetStartTime())
	}
}

// An Account decoded from JSON (or built by hand) has no schedule: its
// LockedCoins fails closed, with what was locked at its header's time,
// not open with nothing.
func TestLockedCoinsWithoutSchedule(t *testing.T) {
	var a state.Account
	if err := json.Unmarshal([]byte(`{"vesting":{"kind":"continuous","locked":[{"denom":"uakt","amount":"500"}]}}`), &a); err != nil {
		t.Fatal(err)
	}
	if got := a.LockedCoins(time.Now()); !got.Equal(sdk.NewCoins(sdk.NewInt64Coin("uakt", 500))) {
		t.Fatalf("locked %s, want the 500uakt locked at the header", got)
	}
	if got := (&state.Account{}).LockedCoins(time.Now()); !got.IsZero() {
		t.Fatalf("an account that does not vest: locked %s", got)
	}
}
