package state_test

import (
	"fmt"
	"testing"
	"time"

	"cosmossdk.io/log"
	"cosmossdk.io/math"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	addresscodec "github.com/cosmos/cosmos-sdk/codec/address"
	"github.com/cosmos/cosmos-sdk/runtime"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authkeeper "github.com/cosmos/cosmos-sdk/x/auth/keeper"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	vestingtypes "github.com/cosmos/cosmos-sdk/x/auth/vesting/types"
	bankkeeper "github.com/cosmos/cosmos-sdk/x/bank/keeper"
	banktestutil "github.com/cosmos/cosmos-sdk/x/bank/testutil"
	minttypes "github.com/cosmos/cosmos-sdk/x/mint/types"

	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/testctx"
)

// sdkBank is the SDK's own account and bank keepers over a memChain's
// stores: what writes the accounts and balances View.Spendable proves,
// and the reference it is held to.
type sdkBank struct {
	ak   authkeeper.AccountKeeper
	bank bankkeeper.BaseKeeper
	c    *memChain
}

func newSDKBank(t *testing.T) *sdkBank {
	t.Helper()
	if err := devnet.SetSDKConfig(); err != nil { // the accounts' bech32 prefix
		t.Fatal(err)
	}
	c := newMemChain(t, authtypes.StoreKey, "bank")
	ac := addresscodec.NewBech32Codec("akash")
	authority := authtypes.NewModuleAddress("gov").String()
	ak := authkeeper.NewAccountKeeper(sdkCodec(), runtime.NewKVStoreService(c.keys[authtypes.StoreKey]), authtypes.ProtoBaseAccount,
		map[string][]string{minttypes.ModuleName: {authtypes.Minter}}, ac, "akash", authority)
	bk := bankkeeper.NewBaseKeeper(sdkCodec(), runtime.NewKVStoreService(c.keys["bank"]), ak, nil, authority, log.NewNopLogger())
	return &sdkBank{ak: ak, bank: bk, c: c}
}

func (b *sdkBank) ctx(at time.Time) sdk.Context {
	return sdk.NewContext(b.c.ms, cmtproto.Header{Time: at}, false, log.NewNopLogger())
}

// TestSpendableMatchesSDK: for each vesting kind, with and without coins
// delegated from vesting, and a balance below what is locked, the proven
// Spendable of each denom at the header's time is what the SDK's bank
// keeper lets the account send at that block time — the amount goes,
// one more does not — and its locked amount and SpendableCoins agree.
func TestSpendableMatchesSDK(t *testing.T) {
	b := newSDKBank(t)
	setup := b.ctx(time.Unix(0, 0))
	ov := sdk.NewCoins(sdk.NewInt64Coin("uakt", 9_000_001), sdk.NewInt64Coin("uact", 77))
	extra := sdk.NewCoins(sdk.NewInt64Coin("uakt", 5), sdk.NewInt64Coin("uother", 3))
	type account struct {
		name    string
		acc     sdk.AccountI
		balance sdk.Coins
	}
	var accounts []account
	add := func(name string, balance sdk.Coins, mk func(*vestingtypes.BaseVestingAccount) sdk.AccountI, end int64, delegated sdk.Coins) {
		addr := sdk.AccAddress(fmt.Appendf(nil, "vesting-%-12s", name)[:20])
		bva := &vestingtypes.BaseVestingAccount{
			BaseAccount:      &authtypes.BaseAccount{Address: addr.String(), AccountNumber: uint64(100 + len(accounts))},
			OriginalVesting:  ov,
			DelegatedVesting: delegated,
			EndTime:          end,
		}
		accounts = append(accounts, account{name, mk(bva), balance})
	}
	periods := vestingtypes.Periods{
		{Length: 500, Amount: sdk.NewCoins(sdk.NewInt64Coin("uakt", 1))},
		{Length: 0, Amount: sdk.NewCoins(sdk.NewInt64Coin("uact", 7))},
		{Length: 2_000, Amount: sdk.NewCoins(sdk.NewInt64Coin("uakt", 9_000_000), sdk.NewInt64Coin("uact", 70))},
	}
	continuous := func(bva *vestingtypes.BaseVestingAccount) sdk.AccountI {
		return vestingtypes.NewContinuousVestingAccountRaw(bva, 1_000)
	}
	delayed := func(bva *vestingtypes.BaseVestingAccount) sdk.AccountI {
		return vestingtypes.NewDelayedVestingAccountRaw(bva)
	}
	periodic := func(bva *vestingtypes.BaseVestingAccount) sdk.AccountI {
		return vestingtypes.NewPeriodicVestingAccountRaw(bva, 1_000, periods)
	}
	permanent := func(bva *vestingtypes.BaseVestingAccount) sdk.AccountI {
		return &vestingtypes.PermanentLockedAccount{BaseVestingAccount: bva}
	}
	full := ov.Add(extra...)
	// 4 AKT delegated from vesting: they left the balance.
	delegated := sdk.NewCoins(sdk.NewInt64Coin("uakt", 4_000_000))
	afterDelegation := full.Sub(delegated...)
	add("continuous", full, continuous, 5_000, nil)
	add("delayed", full, delayed, 3_000, nil)
	add("periodic", full, periodic, 3_500, nil)
	add("permanent", full, permanent, 0, nil)
	add("cont-deleg", afterDelegation, continuous, 5_000, delegated)
	add("period-deleg", afterDelegation, periodic, 3_500, delegated)
	add("perm-deleg", afterDelegation, permanent, 0, delegated)
	// Less held than locked (coins delegated from the free part, then
	// slashed, or any other way): nothing of the denom is spendable.
	add("short", sdk.NewCoins(sdk.NewInt64Coin("uakt", 1_000)), delayed, 3_000, nil)
	for _, a := range accounts {
		b.ak.SetAccount(setup, a.acc)
		if err := banktestutil.FundAccount(setup, b.bank, a.acc.GetAddress(), a.balance); err != nil {
			t.Fatal(err)
		}
	}
	b.c.commit()

	ctx := testctx.New(t)
	sink := sdk.AccAddress("spendable-test-sink-")
	checked := 0
	for _, at := range []int64{0, 999, 1_000, 1_001, 1_499, 1_500, 1_501, 2_000, 2_999, 3_000, 3_001, 3_499, 3_500, 4_321, 5_000, 1 << 33} {
		bt := time.Unix(at, 0).UTC()
		v := b.c.view(t, bt)
		sctx := b.ctx(bt)
		for _, a := range accounts {
			addr := a.acc.GetAddress()
			all := b.bank.SpendableCoins(sctx, addr)
			_, anyNeg := b.bank.GetAllBalances(sctx, addr).SafeSub(b.bank.LockedCoins(sctx, addr)...)
			for _, denom := range []string{"uakt", "uact", "uother", "unone"} {
				got, err := v.Spendable(ctx, addr, denom)
				if err != nil {
					t.Fatalf("%s at %d, %s: %v", a.name, at, denom, err)
				}
				where := fmt.Sprintf("%s at %d, %s (total %s, locked %s, spendable %s)", a.name, at, denom, got.Total, got.Locked, got.Spendable)
				if !got.At.Equal(bt) || !got.Verified || got.Total.Amount.String() != b.bank.GetBalance(sctx, addr, denom).Amount.String() {
					t.Fatalf("%s: at %s, verified %v, balance %s", where, got.At, got.Verified, b.bank.GetBalance(sctx, addr, denom))
				}
				if want := b.bank.LockedCoins(sctx, addr).AmountOf(denom); !got.Locked.Equal(want) {
					t.Fatalf("%s: the SDK locks %s", where, want)
				}
				if !anyNeg && !got.Spendable.Equal(all.AmountOf(denom)) {
					t.Fatalf("%s: the SDK's SpendableCoins are %s", where, all)
				}
				// What the send keeper lets go: the amount, not one more.
				if got.Spendable.IsPositive() {
					cc, _ := sctx.CacheContext()
					if err := b.bank.SendCoins(cc, addr, sink, sdk.NewCoins(sdk.NewCoin(denom, got.Spendable))); err != nil {
						t.Fatalf("%s: the SDK refuses to send it: %v", where, err)
					}
				}
				cc, _ := sctx.CacheContext()
				if err := b.bank.SendCoins(cc, addr, sink, sdk.NewCoins(sdk.NewCoin(denom, got.Spendable.Add(math.OneInt())))); err == nil {
					t.Fatalf("%s: the SDK sends one more", where)
				}
				checked++
			}
		}
	}
	t.Logf("%d (account, time, denom) cases agree with the SDK's bank keeper", checked)
}
