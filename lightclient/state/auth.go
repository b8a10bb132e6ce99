package state

import (
	"context"
	"encoding/base64"
	"errors"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// Account is the proven on-chain account: what signing needs (number and
// sequence) and what a holder wants to see (key, vesting).
type Account struct {
	Proven
	Address       string   `json:"address"`
	Type          string   `json:"type"` // proto message name, e.g. cosmos.auth.v1beta1.BaseAccount
	AccountNumber uint64   `json:"account_number"`
	Sequence      uint64   `json:"sequence"`
	PubKey        *PubKey  `json:"pub_key,omitempty"` // nil until the account has signed
	Vesting       *Vesting `json:"vesting,omitempty"`

	// schedule is the vesting account's schedule as stored (periods
	// included): what LockedCoins evaluates.
	schedule *VestingSchedule
}

// LockedCoins is what the account cannot spend at t (x/auth/vesting's
// LockedCoins of its kind); nothing for an account that does not vest.
// An Account not read by View.Account (built or decoded elsewhere) has no
// schedule: a vesting one then answers what was locked at its verified
// header's time, which is never less than later (locked coins only
// decrease), rather than nothing.
func (a *Account) LockedCoins(t time.Time) sdk.Coins {
	if a.schedule == nil {
		if a.Vesting != nil {
			return a.Vesting.Locked
		}
		return sdk.Coins{}
	}
	return a.schedule.LockedCoins(t)
}

// PubKey is an account's public key.
type PubKey struct {
	Type string `json:"type"` // proto message name
	Key  string `json:"key"`  // base64
}

// Vesting describes a vesting account's schedule as stored.
type Vesting struct {
	OriginalVesting  sdk.Coins `json:"original_vesting"`
	DelegatedFree    sdk.Coins `json:"delegated_free"`
	DelegatedVesting sdk.Coins `json:"delegated_vesting"`
	// EndTime is the stored end: the Unix epoch for a permanently
	// locked account, which has none (Kind says so).
	EndTime   time.Time  `json:"end_time"`
	StartTime *time.Time `json:"start_time,omitempty"`
	// Kind is continuous, delayed, periodic or permanent.
	Kind string `json:"kind"`
	// Periods are a periodic account's, each with the time it ends.
	Periods []VestingPeriodEnd `json:"periods,omitempty"`
	// Locked is what vesting locks at the verified header's time
	// (x/auth/vesting's LockedCoins: still vesting and not delegated).
	Locked sdk.Coins `json:"locked"`
}

// VestingPeriodEnd is one period of a periodic vesting account: what
// unlocks when it ends.
type VestingPeriodEnd struct {
	EndTime time.Time `json:"end_time"`
	Amount  sdk.Coins `json:"amount"`
}

// Account proves the account at addr. A proven absence is ErrNotFound: the
// address has never received funds (or was pruned from state).
func (v *View) Account(ctx context.Context, addr sdk.AccAddress) (out *Account, err error) {
	defer guard(&out, &err, "account "+addr.String())
	p, err := v.get(ctx, storeAuth, accountKey(addr))
	if err != nil {
		return nil, err
	}
	if !p.Exists {
		return nil, &ErrNotFound{What: "account " + addr.String(), Height: v.height}
	}
	rec, err := DecodeAccount(v.q.cdc, p.Value)
	if err != nil {
		return nil, &ErrDecode{What: "account " + addr.String(), Err: err}
	}
	acc := rec.Account
	// An Any with an empty type URL unmarshals to nil without an error
	// (found by FuzzProvenState with the record "00").
	if acc == nil {
		return nil, &ErrDecode{What: "account " + addr.String(), Err: errors.New("no account type in the stored record")}
	}
	if !acc.GetAddress().Equals(addr) {
		return nil, &ErrInconsistent{Reason: "account stored under " + addr.String() + " is for " + acc.GetAddress().String()}
	}
	out = &Account{
		Proven:        v.proven(),
		Address:       addr.String(),
		Type:          rec.Record.TypeUrl[1:],
		AccountNumber: acc.GetAccountNumber(),
		Sequence:      acc.GetSequence(),
	}
	if pk := acc.GetPubKey(); pk != nil {
		out.PubKey = &PubKey{Type: sdk.MsgTypeURL(pk)[1:], Key: base64.StdEncoding.EncodeToString(pk.Bytes())}
	}
	if va := rec.Vesting; va != nil {
		out.Vesting = va.Describe(v.Header().Time)
		out.schedule = va
	}
	return out, nil
}

// Account proves the account at addr on the newest verified state: the
// call the transaction builder uses for account number and sequence.
func (q *Querier) Account(ctx context.Context, addr sdk.AccAddress) (*Account, error) {
	v, err := q.Latest(ctx)
	if err != nil {
		return nil, err
	}
	return v.Account(ctx, addr)
}

// Describe is the schedule as Account shows it, with what it locks at t.
func (s *VestingSchedule) Describe(t time.Time) *Vesting {
	vs := &Vesting{
		OriginalVesting:  s.OriginalVesting,
		DelegatedFree:    s.DelegatedFree,
		DelegatedVesting: s.DelegatedVesting,
		EndTime:          time.Unix(s.EndTime, 0).UTC(),
		Kind:             s.Kind(),
		Locked:           s.LockedCoins(t),
	}
	if s.StartTime != 0 {
		st := time.Unix(s.StartTime, 0).UTC()
		vs.StartTime = &st
	}
	end := s.StartTime
	for _, p := range s.Periods {
		end += p.Length
		vs.Periods = append(vs.Periods, VestingPeriodEnd{EndTime: time.Unix(end, 0).UTC(), Amount: p.Amount})
	}
	return vs
}
