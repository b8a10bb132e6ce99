package backend

import (
	"fmt"
	"time"

	sdkmath "cosmossdk.io/math"
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
		Simulator:     proven.Simulator{Light: c.Light},
		Confirmer: &broadcast.Confirmer{
			Node:   proven.Broadcaster{Light: c.Light},
			Prover: &proven.Prover{Headers: c.Light, Node: c.Light.Primary},
			Poll:   500 * time.Millisecond,
		},
	}, nil
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
	q := state.New(p.Light, nil, state.WithDenomHints(n.Denom), state.WithStaleAfter(time.Duration(n.StaleAfter)))
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
			Exponent: n.Exponent, Bech32Prefix: n.Bech32Prefix, Primary: p.Light.PrimaryURL(), Demo: p.Demo,
			StaleAfter: time.Duration(n.StaleAfter)},
		Light: p.Light, State: q, Keyring: p.Keyring, Env: env, MaxStateAge: 5 * time.Second,
	}), nil
}
