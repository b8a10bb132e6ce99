package backend

import (
	"context"
	"fmt"
	"time"

	sdkmath "cosmossdk.io/math"
	coretypes "github.com/cometbft/cometbft/rpc/core/types"
	cmttypes "github.com/cometbft/cometbft/types"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-wallet/akw/internal/config"
	"github.com/akash-wallet/akw/keys"
	"github.com/akash-wallet/akw/lightclient/state"
	"github.com/akash-wallet/akw/lightclient/trusted"
	"github.com/akash-wallet/akw/tui"
	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/amount"
	"github.com/akash-wallet/akw/tx/broadcast"
	"github.com/akash-wallet/akw/tx/encoding"
	"github.com/akash-wallet/akw/tx/fee"
	"github.com/akash-wallet/akw/tx/flow"
	"github.com/akash-wallet/akw/tx/proven"
)

// EnvConfig is what a transaction environment is made of.
type EnvConfig struct {
	ChainID       string
	Denoms        amount.Denoms
	Prefix        string // bech32 account prefix
	GasPrice      sdk.DecCoin
	GasAdjustment sdkmath.LegacyDec
	Light         *trusted.Client
	Keyring       *keys.Keyring
}

// NewEnv builds the tx/flow environment the way `akw tx` does, over the
// tx/proven adapters: inclusion proven with txproof, simulation and
// broadcast on whichever node the light client uses as primary now.
// Accounts and State are set per transaction (see Plan): a proven.Source
// pins one verified view so that every check of one transaction sees the
// same height.
func NewEnv(c EnvConfig) (*flow.Env, error) {
	enc, err := encoding.New(c.Prefix)
	if err != nil {
		return nil, err
	}
	return &flow.Env{
		Enc:           enc,
		Denoms:        c.Denoms,
		Prefixes:      address.For(c.Prefix),
		ChainID:       c.ChainID,
		GasPrice:      c.GasPrice,
		GasAdjustment: c.GasAdjustment,
		Keyring:       c.Keyring.SDK(),
		Ledger:        keys.SignLedgerAminoJSON,
		Simulator:     primarySimulator{c.Light},
		Confirmer: &broadcast.Confirmer{
			Node:   primaryNode{c.Light},
			Prover: &proven.Prover{Headers: c.Light, Node: c.Light.Primary},
			Poll:   500 * time.Millisecond,
		},
	}, nil
}

// primaryNode broadcasts to the light client's current primary (it
// changes when the light client falls over to a witness).
type primaryNode struct{ c *trusted.Client }

func (p primaryNode) node() (broadcast.Node, error) {
	n, ok := p.c.Primary().(broadcast.Node)
	if !ok {
		return nil, fmt.Errorf("the primary's client cannot broadcast (%T)", p.c.Primary())
	}
	return n, nil
}

func (p primaryNode) BroadcastTxSync(ctx context.Context, t cmttypes.Tx) (*coretypes.ResultBroadcastTx, error) {
	n, err := p.node()
	if err != nil {
		return nil, err
	}
	return n.BroadcastTxSync(ctx, t)
}

func (p primaryNode) UnconfirmedTxs(ctx context.Context, limit *int) (*coretypes.ResultUnconfirmedTxs, error) {
	n, err := p.node()
	if err != nil {
		return nil, err
	}
	return n.UnconfirmedTxs(ctx, limit)
}

// primarySimulator simulates on the current primary (node-reported).
type primarySimulator struct{ c *trusted.Client }

func (p primarySimulator) Simulate(ctx context.Context, bz []byte) (uint64, error) {
	return fee.NodeSimulator{Node: p.c.Primary()}.Simulate(ctx, bz)
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
	env, err := NewEnv(EnvConfig{
		ChainID: n.ChainID, Denoms: denoms, Prefix: n.Bech32Prefix, GasPrice: price, GasAdjustment: adj,
		Light: p.Light, Keyring: p.Keyring,
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
