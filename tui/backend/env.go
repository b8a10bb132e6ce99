package backend

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	sdkmath "cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/akash-wallet/akw/internal/config"
	"github.com/akash-wallet/akw/keys"
	"github.com/akash-wallet/akw/lightclient"
	"github.com/akash-wallet/akw/lightclient/state"
	"github.com/akash-wallet/akw/lightclient/trusted"
	"github.com/akash-wallet/akw/lightclient/txproof"
	"github.com/akash-wallet/akw/tui"
	"github.com/akash-wallet/akw/tx"
	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/amount"
	"github.com/akash-wallet/akw/tx/broadcast"
	"github.com/akash-wallet/akw/tx/encoding"
	"github.com/akash-wallet/akw/tx/fee"
	"github.com/akash-wallet/akw/tx/flow"
)

// EnvConfig is what a transaction environment is made of.
type EnvConfig struct {
	ChainID       string
	Denoms        amount.Denoms
	Prefix        string // bech32 account prefix
	GasPrice      sdk.DecCoin
	GasAdjustment sdkmath.LegacyDec
	Headers       lightclient.Headers
	// Node answers proofs of inclusion and simulations; Broadcaster takes
	// the signed transaction (both usually the light client's primary).
	Node        lightclient.Node
	Broadcaster broadcast.Node
	State       *state.Querier
	Keyring     *keys.Keyring
}

// NewEnv builds the tx/flow environment over proven state: account number
// and sequence, balances, validators, delegations and proposals come from
// the state package's proofs, inclusion from txproof. Only gas simulation
// and the broadcast itself are the node's word.
func NewEnv(c EnvConfig) (*flow.Env, error) {
	enc, err := encoding.New(c.Prefix)
	if err != nil {
		return nil, err
	}
	src := &stateSource{q: c.State, prefixes: address.For(c.Prefix), denom: c.Denoms.Base}
	return &flow.Env{
		Enc:           enc,
		Denoms:        c.Denoms,
		Prefixes:      address.For(c.Prefix),
		ChainID:       c.ChainID,
		GasPrice:      c.GasPrice,
		GasAdjustment: c.GasAdjustment,
		Keyring:       c.Keyring.SDK(),
		Ledger:        keys.SignLedgerAminoJSON,
		Accounts:      src,
		State:         src,
		Simulator:     &fee.NodeSimulator{Node: c.Node},
		Confirmer:     &broadcast.Confirmer{Node: c.Broadcaster, Prover: &prover{headers: c.Headers, node: c.Node}},
	}, nil
}

// stateSource answers the tx package's questions with proven state.
type stateSource struct {
	q        *state.Querier
	prefixes address.Prefixes
	denom    string
}

// notFound maps the state package's proven absence to tx.ErrNotFound.
func notFound(err error) error {
	var nf *state.ErrNotFound
	if errors.As(err, &nf) {
		return fmt.Errorf("%w: %v", tx.ErrNotFound, err)
	}
	return err
}

func (s *stateSource) Account(ctx context.Context, addr sdk.AccAddress) (*tx.Account, error) {
	a, err := s.q.Account(ctx, addr)
	if err != nil {
		return nil, notFound(err)
	}
	out := &tx.Account{Address: addr, Number: a.AccountNumber, Sequence: a.Sequence, Height: a.Height, Verified: a.Verified}
	if a.PubKey != nil && a.PubKey.Type == "/cosmos.crypto.secp256k1.PubKey" {
		if bz, err := base64.StdEncoding.DecodeString(a.PubKey.Key); err == nil && len(bz) == secp256k1.PubKeySize {
			out.PubKey = cryptotypes.PubKey(&secp256k1.PubKey{Key: bz})
		}
	}
	return out, nil
}

func (s *stateSource) view(ctx context.Context) (*state.View, error) { return s.q.Latest(ctx) }

func (s *stateSource) Balance(ctx context.Context, addr sdk.AccAddress, denom string) (*tx.Balance, error) {
	v, err := s.view(ctx)
	if err != nil {
		return nil, err
	}
	b, err := v.Balance(ctx, addr, denom)
	if err != nil {
		return nil, err
	}
	spendable := b.Coin.Amount
	// Vesting accounts: what is still locked cannot be spent.
	if a, err := v.Account(ctx, addr); err == nil && a.Vesting != nil {
		locked := a.Vesting.OriginalVesting.AmountOf(denom).Sub(a.Vesting.DelegatedVesting.AmountOf(denom))
		if locked.IsPositive() {
			spendable = sdkmath.MaxInt(sdkmath.ZeroInt(), spendable.Sub(locked))
		}
	}
	return &tx.Balance{Denom: denom, Total: b.Coin.Amount, Spendable: spendable, Height: b.Height, Verified: b.Verified}, nil
}

func (s *stateSource) Validator(ctx context.Context, val sdk.ValAddress) (*tx.Validator, error) {
	v, err := s.view(ctx)
	if err != nil {
		return nil, err
	}
	a, err := v.Validator(ctx, val)
	if err != nil {
		return nil, notFound(err)
	}
	r := a.Validator
	return &tx.Validator{Operator: val, Moniker: r.Moniker, Status: stakingtypes.BondStatus(stakingtypes.BondStatus_value[r.Status]),
		Jailed: r.Jailed, Tokens: r.Tokens, DelegatorShares: r.DelegatorShares}, nil
}

func (s *stateSource) Delegations(ctx context.Context, del sdk.AccAddress) ([]tx.Delegation, error) {
	v, err := s.view(ctx)
	if err != nil {
		return nil, err
	}
	ds, err := v.Delegations(ctx, del)
	if err != nil {
		return nil, err
	}
	if !ds.Verified {
		return nil, &notProven{ds.Reason}
	}
	out := make([]tx.Delegation, 0, len(ds.Delegations))
	for _, d := range ds.Delegations {
		val, err := address.Validator(d.ValidatorAddress, s.prefixes)
		if err != nil {
			return nil, err
		}
		out = append(out, tx.Delegation{Validator: val, Shares: d.Shares})
	}
	return out, nil
}

func (s *stateSource) Redelegations(ctx context.Context, del sdk.AccAddress) ([]tx.Redelegation, error) {
	v, err := s.view(ctx)
	if err != nil {
		return nil, err
	}
	rs, err := v.Redelegations(ctx, del)
	if err != nil {
		return nil, err
	}
	if !rs.Verified {
		return nil, &notProven{rs.Reason}
	}
	out := make([]tx.Redelegation, 0, len(rs.Redelegations))
	for _, r := range rs.Redelegations {
		src, err := address.Validator(r.ValidatorSrcAddress, s.prefixes)
		if err != nil {
			return nil, err
		}
		dst, err := address.Validator(r.ValidatorDstAddress, s.prefixes)
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

func (s *stateSource) Proposal(ctx context.Context, id uint64) (*tx.Proposal, error) {
	v, err := s.view(ctx)
	if err != nil {
		return nil, err
	}
	p, err := v.Proposal(ctx, id)
	if err != nil {
		return nil, notFound(err)
	}
	out := &tx.Proposal{ID: id, Title: p.Proposal.Title, Status: p.Proposal.Status}
	if p.Proposal.VotingEndTime != nil {
		out.VotingEnd = *p.Proposal.VotingEndTime
	}
	return out, nil
}

// prover proves inclusion with txproof.
type prover struct {
	headers lightclient.Headers
	node    lightclient.Node
}

// verificationError marks a proof that did not check out, for both the tx
// package's kinds and the lightclient's categories.
type verificationError struct{ err error }

func (e *verificationError) Error() string                  { return e.err.Error() }
func (e *verificationError) Unwrap() error                  { return e.err }
func (e *verificationError) Kind() tx.Kind                  { return tx.KindVerification }
func (e *verificationError) Category() lightclient.Category { return lightclient.CategoryVerification }

func (p *prover) ProveTx(ctx context.Context, hash []byte) (*tx.Inclusion, error) {
	r, err := txproof.Verify(ctx, p.headers, p.node, hash)
	var (
		nf   *txproof.ErrNotFound
		high *lightclient.ErrHeightTooHigh
	)
	switch {
	case errors.As(err, &nf):
		return nil, fmt.Errorf("%w: %v", tx.ErrNotIncluded, err)
	case errors.As(err, &high):
		return nil, fmt.Errorf("%w: %v", tx.ErrNotYetProvable, err)
	case err != nil && lightclient.CategoryOf(err) == lightclient.CategoryVerification:
		return nil, &verificationError{err}
	case err != nil:
		return nil, err
	}
	return &tx.Inclusion{Hash: hash, Height: r.Height, Code: r.Code, Codespace: r.Codespace, GasWanted: r.GasWanted,
		GasUsed: r.GasUsed, Log: r.Log, Verified: r.Verified}, nil
}

// Parts are what the command line has opened for the TUI.
type Parts struct {
	// Name is the network's name (akashnet-2, devnet, ...).
	Name    string
	Network config.Network
	Light   *trusted.Client
	Keyring *keys.Keyring
	// Demo marks a throwaway devnet (akw demo).
	Demo bool
}

// Open wires a Backend to the light client, proven state, the keyring and
// the transaction flow, with the network's gas price and adjustment.
func Open(p Parts) (*Backend, error) {
	n := p.Network
	denoms := amount.Denoms{Base: n.Denom, Display: n.DisplayDenom, Exponent: n.Exponent}
	q := state.New(p.Light, nil, state.WithDenomHints(n.Denom))
	price, err := amount.ParseGasPrice(n.GasPrice, denoms)
	if err != nil {
		return nil, fmt.Errorf("the network's gas price: %w", err)
	}
	adj, err := fee.ParseAdjustment(n.GasAdjustment)
	if err != nil {
		return nil, fmt.Errorf("the network's gas adjustment: %w", err)
	}
	primary := p.Light.Primary()
	bn, ok := primary.(broadcast.Node)
	if !ok {
		return nil, errors.New("the primary node cannot take broadcasts")
	}
	env, err := NewEnv(EnvConfig{
		ChainID: n.ChainID, Denoms: denoms, Prefix: n.Bech32Prefix, GasPrice: price, GasAdjustment: adj,
		Headers: p.Light, Node: primary, Broadcaster: bn, State: q, Keyring: p.Keyring,
	})
	if err != nil {
		return nil, err
	}
	return New(Config{
		Chain: tui.ChainInfo{Network: p.Name, ChainID: n.ChainID, Denom: n.Denom, DisplayDenom: n.DisplayDenom,
			Exponent: n.Exponent, Bech32Prefix: n.Bech32Prefix, Primary: p.Light.PrimaryURL(), Demo: p.Demo},
		Light: p.Light, State: q, Keyring: p.Keyring, Env: env, MaxStateAge: 5 * time.Second,
	}), nil
}
