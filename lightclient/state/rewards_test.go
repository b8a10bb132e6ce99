package state

import (
	"testing"

	"cosmossdk.io/math"
	storetypes "cosmossdk.io/store/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	"github.com/cosmos/cosmos-sdk/codec/address"
	"github.com/cosmos/cosmos-sdk/crypto/keys/ed25519"
	"github.com/cosmos/cosmos-sdk/runtime"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	"github.com/cosmos/cosmos-sdk/x/distribution"
	"github.com/cosmos/cosmos-sdk/x/distribution/keeper"
	distrtestutil "github.com/cosmos/cosmos-sdk/x/distribution/testutil"
	disttypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
	"go.uber.org/mock/gomock"
)

// TestRewardsMatchKeeper runs the real x/distribution keeper through
// rewards, two slashes and a delegation that starts between them, then
// checks computeRewards against the keeper's own DelegationRewards logic
// (IncrementValidatorPeriod on a scratch context, CalculateDelegationRewards)
// at several heights. The devnet has no slashing, so this is where slash
// events are exercised.
func TestRewardsMatchKeeper(t *testing.T) {
	ctrl := gomock.NewController(t)
	key := storetypes.NewKVStoreKey(disttypes.StoreKey)
	testCtx := testutil.DefaultContextWithDB(t, key, storetypes.NewTransientStoreKey("transient_test"))
	enc := moduletestutil.MakeTestEncodingConfig(distribution.AppModuleBasic{})
	ctx := testCtx.Ctx.WithBlockHeader(cmtproto.Header{Height: 1})

	bank := distrtestutil.NewMockBankKeeper(ctrl)
	sk := distrtestutil.NewMockStakingKeeper(ctrl)
	ak := distrtestutil.NewMockAccountKeeper(ctrl)
	ak.EXPECT().GetModuleAddress("distribution").Return(authtypes.NewModuleAddress("distribution")).AnyTimes()
	// Address strings go through the SDK's global config (and its string
	// cache), which the devnet tests in this binary set to akash: use
	// whatever it is now, and never cache a module address under it.
	cfg := sdk.GetConfig()
	accCodec := address.NewBech32Codec(cfg.GetBech32AccountAddrPrefix())
	sk.EXPECT().ValidatorAddressCodec().Return(address.NewBech32Codec(cfg.GetBech32ValidatorAddrPrefix())).AnyTimes()
	ak.EXPECT().AddressCodec().Return(accCodec).AnyTimes()
	authority, err := accCodec.BytesToString(authtypes.NewModuleAddress("gov"))
	if err != nil {
		t.Fatal(err)
	}
	bank.EXPECT().BlockedAddr(gomock.Any()).Return(false).AnyTimes()

	k := keeper.NewKeeper(enc.Codec, runtime.NewKVStoreService(key), ak, bank, sk, "fee_collector", authority)
	if err := k.FeePool.Set(ctx, disttypes.InitialFeePool()); err != nil {
		t.Fatal(err)
	}
	if err := k.Params.Set(ctx, disttypes.DefaultParams()); err != nil {
		t.Fatal(err)
	}

	pk := ed25519.GenPrivKey().PubKey()
	val, err := distrtestutil.CreateValidator(pk, sdk.TokensFromConsensusPower(100, sdk.DefaultPowerReduction))
	if err != nil {
		t.Fatal(err)
	}
	val.Commission = stakingtypes.NewCommission(math.LegacyNewDecWithPrec(1, 1), math.LegacyNewDecWithPrec(5, 1), math.LegacyZeroDec())
	valAddr := sdk.ValAddress(sdk.GetConsAddress(pk))
	self := sdk.AccAddress(valAddr)
	other := sdk.AccAddress(ed25519.GenPrivKey().PubKey().Address())
	dels := map[string]stakingtypes.Delegation{
		self.String(): stakingtypes.NewDelegation(self.String(), valAddr.String(), val.DelegatorShares),
	}
	sk.EXPECT().Validator(gomock.Any(), valAddr).DoAndReturn(func(any, sdk.ValAddress) (stakingtypes.ValidatorI, error) { return val, nil }).AnyTimes()
	sk.EXPECT().Delegation(gomock.Any(), gomock.Any(), valAddr).DoAndReturn(func(_ any, d sdk.AccAddress, _ sdk.ValAddress) (stakingtypes.DelegationI, error) {
		del := dels[d.String()]
		return del, nil
	}).AnyTimes()
	if err := distrtestutil.CallCreateValidatorHooks(ctx, k, self, valAddr); err != nil {
		t.Fatal(err)
	}

	reward := func(n int64) {
		tokens := sdk.DecCoins{sdk.NewDecCoinFromDec(sdk.DefaultBondDenom, math.LegacyNewDec(n).QuoInt64(7))}
		if err := k.AllocateTokensToValidator(ctx, val, tokens); err != nil {
			t.Fatal(err)
		}
	}
	check := func(who sdk.AccAddress) {
		t.Helper()
		del := dels[who.String()]
		cache, _ := ctx.CacheContext()
		end, err := k.IncrementValidatorPeriod(cache, val)
		if err != nil {
			t.Fatal(err)
		}
		want, err := k.CalculateDelegationRewards(cache, val, del, end)
		if err != nil {
			t.Fatal(err)
		}
		st := readDistState(t, ctx, k, valAddr, who)
		got, err := computeRewards(st, val, del.Shares, uint64(ctx.BlockHeight()))
		if err != nil {
			t.Fatal(err)
		}
		if !got.Equal(want) {
			t.Fatalf("height %d, %s: rebuilt %s, keeper %s", ctx.BlockHeight(), who, got, want)
		}
		t.Logf("height %d: %s (%d slash events seen)", ctx.BlockHeight(), got, len(st.slashes))
	}
	next := func(n int64) { ctx = ctx.WithBlockHeight(ctx.BlockHeight() + n) }

	next(1)
	reward(1_000_003)
	check(self)
	next(2)
	distrtestutil.SlashValidator(ctx, sdk.GetConsAddress(pk), ctx.BlockHeight(), 100, math.LegacyNewDecWithPrec(5, 1), &val, &k, sk)
	next(1)
	reward(2_000_000)
	check(self)

	// A second delegator joins between the slashes.
	_, d, err := distrtestutil.Delegate(ctx, k, other, &val, sdk.TokensFromConsensusPower(30, sdk.DefaultPowerReduction), nil, sk)
	if err != nil {
		t.Fatal(err)
	}
	dels[other.String()] = d
	if err := k.Hooks().AfterDelegationModified(ctx, other, valAddr); err != nil {
		t.Fatal(err)
	}
	check(other) // started this height: nothing yet
	next(2)
	reward(3_333_333)
	distrtestutil.SlashValidator(ctx, sdk.GetConsAddress(pk), ctx.BlockHeight(), 70, math.LegacyNewDecWithPrec(5, 1), &val, &k, sk)
	next(3)
	reward(777_777)
	check(self)
	check(other)
}

// readDistState reads from the keeper's store what View.distState proves
// from the node.
func readDistState(t *testing.T, ctx sdk.Context, k keeper.Keeper, val sdk.ValAddress, del sdk.AccAddress) *distState {
	t.Helper()
	st := &distState{historical: map[uint64]disttypes.ValidatorHistoricalRewards{}}
	var err error
	if st.starting, err = k.GetDelegatorStartingInfo(ctx, val, del); err != nil {
		t.Fatal(err)
	}
	if st.current, err = k.GetValidatorCurrentRewards(ctx, val); err != nil {
		t.Fatal(err)
	}
	k.IterateValidatorSlashEventsBetween(ctx, val, st.starting.Height, uint64(ctx.BlockHeight()), func(_ uint64, ev disttypes.ValidatorSlashEvent) bool {
		st.slashes = append(st.slashes, ev)
		return false
	})
	k.IterateValidatorHistoricalRewards(ctx, func(v sdk.ValAddress, period uint64, h disttypes.ValidatorHistoricalRewards) bool {
		if v.Equals(val) {
			st.historical[period] = h
		}
		return false
	})
	return st
}
