package state

import (
	"errors"
	"fmt"
	"time"

	"cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/akash-wallet/akw/internal/wire"
)

// The SDK's vesting accounts (x/auth/vesting, cosmos-sdk v0.53) are read
// here from their protobuf encoding rather than through the SDK's
// x/auth/vesting/types: that package links the SDK's test fixtures
// (testutil/testdata, and pgregory.net/rapid under it) into every binary
// that imports it, which cost every akw command about 5 ms of start-up
// and 1.5 MB of heap before main. The messages are five small ones
// whose field numbers are fixed by the chain's wire format; the rules
// (LockedCoins) are the SDK's, line for line, and vesting_test.go holds
// both against the SDK's own types.

// Type URLs of the vesting accounts (cosmos.vesting.v1beta1).
const (
	continuousVestingURL = "/cosmos.vesting.v1beta1.ContinuousVestingAccount"
	delayedVestingURL    = "/cosmos.vesting.v1beta1.DelayedVestingAccount"
	periodicVestingURL   = "/cosmos.vesting.v1beta1.PeriodicVestingAccount"
	permanentLockedURL   = "/cosmos.vesting.v1beta1.PermanentLockedAccount"
)

// StoredAccount is one record of x/auth's account store, decoded.
type StoredAccount struct {
	// Record is the Any as stored: what the node's auth Account query
	// answers (it re-encodes the same decoded message: the same bytes).
	Record *codectypes.Any
	// Account is the account (base, module); for a vesting account, the
	// BaseAccount it wraps: address, number, sequence and key.
	Account sdk.AccountI
	// Vesting is nil but for the vesting kinds.
	Vesting *VestingSchedule
}

// VestingSchedule is a vesting account's schedule as stored, with the
// start and end times its SDK type reports (GetStartTime, GetEndTime:
// zero where the kind has none).
type VestingSchedule struct {
	TypeURL          string
	OriginalVesting  sdk.Coins
	DelegatedFree    sdk.Coins
	DelegatedVesting sdk.Coins
	StartTime        int64
	EndTime          int64
	Periods          []VestingPeriod // periodic accounts only
}

// The kinds of vesting account, as Vesting.Kind names them.
const (
	VestingContinuous = "continuous"
	VestingDelayed    = "delayed"
	VestingPeriodic   = "periodic"
	VestingPermanent  = "permanent"
)

// Kind is the schedule's kind: continuous, delayed, periodic or
// permanent (a permanently locked account, which has no end).
func (s *VestingSchedule) Kind() string {
	switch s.TypeURL {
	case continuousVestingURL:
		return VestingContinuous
	case delayedVestingURL:
		return VestingDelayed
	case periodicVestingURL:
		return VestingPeriodic
	}
	return VestingPermanent
}

// VestingPeriod is one period of a periodic vesting account.
type VestingPeriod struct {
	Length int64
	Amount sdk.Coins
}

// DecodeAccount decodes a record of x/auth's account store (an Any of
// sdk.AccountI) with the registry of cdc for all but the vesting kinds.
// An Any with an empty type URL decodes to a nil Account, as the SDK's
// codec does.
func DecodeAccount(cdc codec.Codec, bz []byte) (*StoredAccount, error) {
	var rec codectypes.Any
	if err := cdc.Unmarshal(bz, &rec); err != nil {
		return nil, err
	}
	switch rec.TypeUrl {
	case continuousVestingURL, delayedVestingURL, periodicVestingURL, permanentLockedURL:
		base, vs, err := decodeVesting(rec.TypeUrl, rec.Value)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", rec.TypeUrl[1:], err)
		}
		if err := codectypes.UnpackInterfaces(base, cdc.InterfaceRegistry()); err != nil {
			return nil, err
		}
		return &StoredAccount{Record: &rec, Account: base, Vesting: vs}, nil
	}
	var acc sdk.AccountI
	if err := cdc.UnpackAny(&rec, &acc); err != nil {
		return nil, err
	}
	return &StoredAccount{Record: &rec, Account: acc}, nil
}

// decodeVesting reads the four vesting kinds: each wraps a
// BaseVestingAccount (field 1); continuous and periodic accounts add
// start_time (2), periodic ones vesting_periods (3). Unknown fields are
// skipped and a message field given twice is merged, as the SDK's
// decoder does. Coins are taken as the SDK's decoder gives them, not
// validated: LockedCoins must come out as the node's does.
func decodeVesting(typeURL string, bz []byte) (*authtypes.BaseAccount, *VestingSchedule, error) {
	var bva []byte
	hasBVA, hasBase := false, false
	vs := &VestingSchedule{TypeURL: typeURL}
	var start uint64
	err := wire.Each(bz, func(f wire.Field) (err error) {
		switch {
		case f.Num == 1:
			bva, err = f.Merge(bva)
			hasBVA = true
		case f.Num == 2 && (typeURL == continuousVestingURL || typeURL == periodicVestingURL):
			start, err = f.Uint()
		case f.Num == 3 && typeURL == periodicVestingURL:
			b, err := f.Bytes()
			if err != nil {
				return err
			}
			p, err := decodePeriod(b)
			if err != nil {
				return fmt.Errorf("vesting period: %w", err)
			}
			vs.Periods = append(vs.Periods, p)
		}
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	if !hasBVA {
		return nil, nil, errors.New("no base vesting account")
	}
	var base []byte
	var end uint64
	err = wire.Each(bva, func(f wire.Field) (err error) {
		switch f.Num {
		case 1:
			base, err = f.Merge(base)
			hasBase = true
		case 2:
			err = appendCoin(f, &vs.OriginalVesting)
		case 3:
			err = appendCoin(f, &vs.DelegatedFree)
		case 4:
			err = appendCoin(f, &vs.DelegatedVesting)
		case 5:
			end, err = f.Uint()
		}
		return err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("base vesting account: %w", err)
	}
	if !hasBase {
		// The SDK's getters would dereference a nil BaseAccount.
		return nil, nil, errors.New("no base account")
	}
	var ba authtypes.BaseAccount
	if err := ba.Unmarshal(base); err != nil {
		return nil, nil, fmt.Errorf("base account: %w", err)
	}
	switch typeURL {
	case continuousVestingURL, periodicVestingURL:
		vs.StartTime = int64(start)
	}
	if typeURL != permanentLockedURL { // PermanentLockedAccount.GetEndTime is 0
		vs.EndTime = int64(end)
	}
	return &ba, vs, nil
}

func decodePeriod(bz []byte) (VestingPeriod, error) {
	var p VestingPeriod
	err := wire.Each(bz, func(f wire.Field) error {
		switch f.Num {
		case 1:
			n, err := f.Uint()
			p.Length = int64(n)
			return err
		case 2:
			return appendCoin(f, &p.Amount)
		}
		return nil
	})
	return p, err
}

// appendCoin decodes one element of a repeated Coin field onto dst, as
// the SDK's decoder does for the stored account: no validation.
func appendCoin(f wire.Field, dst *sdk.Coins) error {
	c, err := f.Coin()
	if err != nil {
		return err
	}
	*dst = append(*dst, c)
	return nil
}

// LockedCoins is what the account cannot spend at t: the coins still
// vesting less those delegated from vesting (the SDK's LockedCoins of
// each kind).
func (s *VestingSchedule) LockedCoins(t time.Time) sdk.Coins {
	var vesting sdk.Coins
	switch s.TypeURL {
	case permanentLockedURL:
		vesting = s.OriginalVesting
	default:
		vesting = s.OriginalVesting.Sub(s.vestedCoins(t)...)
	}
	// BaseVestingAccount.LockedCoinsFromVesting
	locked := vesting.Sub(vesting.Min(s.DelegatedVesting)...)
	if locked == nil {
		return sdk.Coins{}
	}
	return locked
}

// vestedCoins is GetVestedCoins of the continuous, periodic and delayed
// kinds.
func (s *VestingSchedule) vestedCoins(t time.Time) sdk.Coins {
	now := t.Unix()
	if s.TypeURL == delayedVestingURL {
		if now >= s.EndTime {
			return s.OriginalVesting
		}
		return nil
	}
	// Continuous and periodic: nothing before the start (which may be
	// in the future), everything from the end.
	var vested sdk.Coins
	if now <= s.StartTime {
		return vested
	} else if now >= s.EndTime {
		return s.OriginalVesting
	}
	switch s.TypeURL {
	case continuousVestingURL:
		x := math.LegacyNewDec(now - s.StartTime).Quo(math.LegacyNewDec(s.EndTime - s.StartTime))
		for _, c := range s.OriginalVesting {
			vested = append(vested, sdk.NewCoin(c.Denom, math.LegacyNewDecFromInt(c.Amount).Mul(x).RoundInt()))
		}
	case periodicVestingURL:
		periodStart := s.StartTime
		for _, p := range s.Periods {
			if now-periodStart < p.Length {
				break
			}
			vested = vested.Add(p.Amount...)
			periodStart += p.Length
		}
	}
	return vested
}
