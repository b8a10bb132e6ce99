// Package proven feeds the transaction code from akw's light client: the
// account number and sequence, balances, validators, delegations,
// redelegations and proposals come from lightclient/state (every value
// proven against a verified header), and inclusion from
// lightclient/txproof. It adapts their types and typed errors to the
// interfaces of package tx.
package proven

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/bech32"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/akash-wallet/akw/lightclient"
	"github.com/akash-wallet/akw/lightclient/state"
	"github.com/akash-wallet/akw/lightclient/txproof"
	"github.com/akash-wallet/akw/tx"
)

func wrap(err error) error {
	if err == nil {
		return nil
	}
	var nf *state.ErrNotFound
	if errors.As(err, &nf) {
		return fmt.Errorf("%w: %s", tx.ErrNotFound, nf.Error())
	}
	// lightclient's errors carry their kind and hint (errkind) as they are.
	return err
}

// Source answers from one verified view of the state, pinned at the first
// question, so that every check of one transaction sees the same height.
type Source struct {
	q    *state.Querier
	mu   sync.Mutex
	view *state.View
}

// New returns a Source over a Querier.
func New(q *state.Querier) *Source { return &Source{q: q} }

// View pins (once) and returns the verified view the answers come from.
func (s *Source) View(ctx context.Context) (*state.View, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.view != nil {
		return s.view, nil
	}
	v, err := s.q.Latest(ctx)
	if err != nil {
		return nil, wrap(err)
	}
	s.view = v
	return v, nil
}

// Refresh drops the pinned view; the next question pins the newest.
func (s *Source) Refresh() {
	s.mu.Lock()
	s.view = nil
	s.mu.Unlock()
}

// Time is the block time of the verified header the view rests on.
func (s *Source) Time(ctx context.Context) (time.Time, error) {
	v, err := s.View(ctx)
	if err != nil {
		return time.Time{}, err
	}
	return v.Header().Time, nil
}

// Account implements tx.AccountSource.
func (s *Source) Account(ctx context.Context, addr sdk.AccAddress) (*tx.Account, error) {
	v, err := s.View(ctx)
	if err != nil {
		return nil, err
	}
	a, err := v.Account(ctx, addr)
	if err != nil {
		return nil, wrap(err)
	}
	out := &tx.Account{Address: addr, Number: a.AccountNumber, Sequence: a.Sequence, Height: a.Height, Verified: a.Verified,
		Fresh: tx.Freshness{HeaderTime: a.HeaderTime, Age: a.Age, Stale: a.Stale, Note: a.Note(a.Height)}}
	if a.PubKey != nil {
		pk, err := decodePubKey(a.PubKey)
		if err != nil {
			return nil, err
		}
		out.PubKey = pk
	}
	return out, nil
}

func decodePubKey(p *state.PubKey) (cryptotypes.PubKey, error) {
	bz, err := base64.StdEncoding.DecodeString(p.Key)
	if err != nil {
		return nil, err
	}
	switch p.Type {
	case "cosmos.crypto.secp256k1.PubKey":
		return &secp256k1.PubKey{Key: bz}, nil
	}
	// Other key types (multisig, ed25519) sign nothing akw builds; gas
	// simulation falls back to a secp256k1 placeholder.
	return nil, nil
}

// Balance implements tx.StateSource: lightclient/state's Spendable, x/bank's
// rule over the proven balance and the account's vesting schedule.
func (s *Source) Balance(ctx context.Context, addr sdk.AccAddress, denom string) (*tx.Balance, error) {
	v, err := s.View(ctx)
	if err != nil {
		return nil, err
	}
	b, err := v.Spendable(ctx, addr, denom)
	if err != nil {
		return nil, wrap(err)
	}
	return &tx.Balance{Denom: denom, Total: b.Total.Amount, Spendable: b.Spendable, Height: b.Height, Verified: b.Verified}, nil
}

// Validator implements tx.StateSource.
func (s *Source) Validator(ctx context.Context, val sdk.ValAddress) (*tx.Validator, error) {
	v, err := s.View(ctx)
	if err != nil {
		return nil, err
	}
	a, err := v.Validator(ctx, val)
	if err != nil {
		return nil, wrap(err)
	}
	return &tx.Validator{
		Operator:        val,
		Moniker:         a.Validator.Moniker,
		Status:          stakingtypes.BondStatus(stakingtypes.BondStatus_value[a.Validator.Status]),
		Jailed:          a.Validator.Jailed,
		Tokens:          a.Validator.Tokens,
		DelegatorShares: a.Validator.DelegatorShares,
	}, nil
}

func decodeBech(s string) ([]byte, error) {
	_, bz, err := bech32.DecodeAndConvert(s)
	if err != nil {
		return nil, fmt.Errorf("proven state holds a malformed address %q: %w", s, err)
	}
	return bz, nil
}

// Delegations implements tx.StateSource.
func (s *Source) Delegations(ctx context.Context, del sdk.AccAddress) ([]tx.Delegation, error) {
	v, err := s.View(ctx)
	if err != nil {
		return nil, err
	}
	ds, err := v.Delegations(ctx, del)
	if err != nil {
		return nil, wrap(err)
	}
	out := make([]tx.Delegation, 0, len(ds.Delegations))
	for _, d := range ds.Delegations {
		bz, err := decodeBech(d.ValidatorAddress)
		if err != nil {
			return nil, err
		}
		out = append(out, tx.Delegation{Validator: sdk.ValAddress(bz), Shares: d.Shares})
	}
	return out, nil
}

// Rewards implements tx.RewardsSource: the pending rewards rebuilt from
// proven distribution state (lightclient/state).
func (s *Source) Rewards(ctx context.Context, del sdk.AccAddress) ([]tx.Reward, int64, error) {
	v, err := s.View(ctx)
	if err != nil {
		return nil, 0, err
	}
	rs, err := v.Rewards(ctx, del)
	if err != nil {
		return nil, 0, wrap(err)
	}
	out := make([]tx.Reward, 0, len(rs.Rewards))
	for _, r := range rs.Rewards {
		bz, err := decodeBech(r.ValidatorAddress)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, tx.Reward{Validator: sdk.ValAddress(bz), Amount: r.Reward})
	}
	return out, rs.Height, nil
}

// Redelegations implements tx.StateSource.
func (s *Source) Redelegations(ctx context.Context, del sdk.AccAddress) ([]tx.Redelegation, error) {
	v, err := s.View(ctx)
	if err != nil {
		return nil, err
	}
	rs, err := v.Redelegations(ctx, del)
	if err != nil {
		return nil, wrap(err)
	}
	out := make([]tx.Redelegation, 0, len(rs.Redelegations))
	for _, r := range rs.Redelegations {
		src, err := decodeBech(r.ValidatorSrcAddress)
		if err != nil {
			return nil, err
		}
		dst, err := decodeBech(r.ValidatorDstAddress)
		if err != nil {
			return nil, err
		}
		red := tx.Redelegation{Src: src, Dst: dst}
		for _, e := range r.Entries {
			red.Completions = append(red.Completions, e.CompletionTime)
		}
		out = append(out, red)
	}
	return out, nil
}

// Proposal implements tx.StateSource.
func (s *Source) Proposal(ctx context.Context, id uint64) (*tx.Proposal, error) {
	v, err := s.View(ctx)
	if err != nil {
		return nil, err
	}
	p, err := v.Proposal(ctx, id)
	if err != nil {
		return nil, wrap(err)
	}
	out := &tx.Proposal{ID: id, Title: p.Proposal.Title, Status: p.Proposal.Status}
	if p.Proposal.VotingEndTime != nil {
		out.VotingEnd = *p.Proposal.VotingEndTime
	}
	return out, nil
}

// Prover implements tx.InclusionProver with lightclient/txproof.
type Prover struct {
	Headers lightclient.Headers
	// Node returns the node to ask (the light client's current primary).
	Node func() lightclient.Node
	// PerTry bounds one attempt, including txproof's wait for the next
	// block (default 20 s).
	PerTry time.Duration
}

// ProveTx implements tx.InclusionProver.
func (p *Prover) ProveTx(ctx context.Context, hash []byte) (*tx.Inclusion, error) {
	per := p.PerTry
	if per <= 0 {
		per = 20 * time.Second
	}
	tctx, cancel := context.WithTimeout(ctx, per)
	defer cancel()
	r, err := txproof.Verify(tctx, p.Headers, p.Node(), hash)
	if err != nil {
		var nf *txproof.ErrNotFound
		var tooHigh *lightclient.ErrHeightTooHigh
		switch {
		case errors.As(err, &nf):
			return nil, fmt.Errorf("%w: %v", tx.ErrNotIncluded, err)
		case errors.As(err, &tooHigh):
			return nil, fmt.Errorf("%w: %v", tx.ErrNotYetProvable, err)
		case ctx.Err() == nil && tctx.Err() != nil:
			// The attempt's own deadline: txproof was waiting for the
			// block after the transaction's.
			return nil, fmt.Errorf("%w: %v", tx.ErrNotYetProvable, err)
		}
		return nil, err
	}
	inc := &tx.Inclusion{
		Hash: hash, Height: r.Height, Code: r.Code, Codespace: r.Codespace,
		GasWanted: r.GasWanted, GasUsed: r.GasUsed, Log: r.Log, Verified: r.Verified, Index: r.Index,
	}
	for _, d := range r.Duplicates {
		inc.Duplicates = append(inc.Duplicates, tx.Copy{Index: d.Index, Code: d.Code})
	}
	return inc, nil
}

// StakingParams implements tx.StakingParamsSource.
func (s *Source) StakingParams(ctx context.Context) (*tx.StakingParams, error) {
	v, err := s.View(ctx)
	if err != nil {
		return nil, err
	}
	p, err := v.StakingParams(ctx)
	if err != nil {
		return nil, wrap(err)
	}
	return &tx.StakingParams{UnbondingTime: p.UnbondingTime, MaxEntries: p.MaxEntries, BondDenom: p.BondDenom, Height: p.Height}, nil
}

// Unbondings implements tx.UnbondingSource.
func (s *Source) Unbondings(ctx context.Context, del sdk.AccAddress) ([]tx.Unbonding, error) {
	v, err := s.View(ctx)
	if err != nil {
		return nil, err
	}
	us, err := v.Unbondings(ctx, del)
	if err != nil {
		return nil, wrap(err)
	}
	out := make([]tx.Unbonding, 0, len(us.Unbondings))
	for _, u := range us.Unbondings {
		bz, err := decodeBech(u.ValidatorAddress)
		if err != nil {
			return nil, err
		}
		out = append(out, tx.Unbonding{Validator: sdk.ValAddress(bz), Entries: len(u.Entries)})
	}
	return out, nil
}
