// Package config knows akw's networks (built-in presets and the user's
// own), its config file, and where its state lives on disk.
package config

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Network describes one chain akw can talk to. Fields left empty in the
// config file fall back to the preset of the same name.
type Network struct {
	ChainID        string   `toml:"chain-id,omitempty" json:"chain_id"`
	Denom          string   `toml:"denom,omitempty" json:"denom"`                 // base denom, e.g. uakt
	DisplayDenom   string   `toml:"display-denom,omitempty" json:"display_denom"` // e.g. akt
	Exponent       int      `toml:"exponent,omitempty" json:"exponent"`           // display = base / 10^exponent
	Bech32Prefix   string   `toml:"bech32-prefix,omitempty" json:"bech32_prefix"`
	CoinType       uint32   `toml:"coin-type,omitempty" json:"coin_type"`
	GasPrice       string   `toml:"gas-price,omitempty" json:"gas_price"` // e.g. 0.025uakt
	GasAdjustment  float64  `toml:"gas-adjustment,omitempty" json:"gas_adjustment"`
	RPC            string   `toml:"rpc,omitempty" json:"rpc"`
	Witnesses      []string `toml:"witnesses,omitempty" json:"witnesses"`
	TrustingPeriod Duration `toml:"trusting-period,omitempty" json:"trusting_period"`
	// StaleAfter is the age beyond which the newest verified state is
	// labelled stale: the chain may have halted, or the nodes are
	// withholding new blocks (a light client cannot tell which).
	StaleAfter Duration `toml:"stale-after,omitempty" json:"stale_after"`
	// RequestTimeout bounds each request of the light client to a node
	// (a header, a proof); zero or less: 10 s (lightclient/trusted's
	// default). A slow public node may need more; a node that does not
	// answer within it is unreachable, and a witness takes over.
	RequestTimeout Duration `toml:"request-timeout,omitempty" json:"request_timeout"`
}

// Stale bounds of the presets: about 50 blocks of each chain. Akash makes
// a block every ~6 s, so 5 minutes is far beyond an honest node's lag and
// short enough to notice a halt; the devnet makes one a second.
const (
	MainnetStaleAfter = 5 * time.Minute
	DevnetStaleAfter  = time.Minute
)

// Duration is a time.Duration written as "336h" in files.
type Duration time.Duration

func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("invalid duration %q (write it like 336h or 90m)", string(b))
	}
	*d = Duration(v)
	return nil
}

// Mainnet is the Akash Network mainnet. The endpoints are run by different
// operators so that the witnesses are independent of the primary.
const Mainnet = "akashnet-2"

// Devnet is the local chain of `akw devnet`; its RPC ports are chosen at
// start and written into the devnet home's config file.
const Devnet = "devnet"

// DevnetChainID is the chain-id of `akw devnet`.
const DevnetChainID = "akash-devnet-1"

// Presets are the networks akw knows without a config file.
func Presets() map[string]Network {
	return map[string]Network{
		Mainnet: {
			ChainID:       "akashnet-2",
			Denom:         "uakt",
			DisplayDenom:  "akt",
			Exponent:      6,
			Bech32Prefix:  "akash",
			CoinType:      118,
			GasPrice:      "0.025uakt",
			GasAdjustment: 1.5,
			RPC:           "https://rpc.akashnet.net:443",
			Witnesses: []string{
				// Operated independently of the primary (Overclock
				// Labs) and of each other, per the Cosmos chain registry.
				"https://rpc.akt.dev/rpc",
				"https://akash-rpc.polkachu.com",
				"https://akash-rpc.publicnode.com",
				"https://akash-rpc.lavenderfive.com:443",
			},
			// Two-thirds of the 21-day unbonding period.
			TrustingPeriod: Duration(14 * 24 * time.Hour),
			StaleAfter:     Duration(MainnetStaleAfter),
		},
		Devnet: {
			ChainID:        DevnetChainID,
			Denom:          "uakt",
			DisplayDenom:   "akt",
			Exponent:       6,
			Bech32Prefix:   "akash",
			CoinType:       118,
			GasPrice:       "0.025uakt",
			GasAdjustment:  1.5,
			TrustingPeriod: Duration(14 * 24 * time.Hour),
			StaleAfter:     Duration(DevnetStaleAfter),
		},
	}
}

// merge fills the empty fields of n from base.
func (n Network) merge(base Network) Network {
	if n.ChainID == "" {
		n.ChainID = base.ChainID
	}
	if n.Denom == "" {
		n.Denom = base.Denom
	}
	if n.DisplayDenom == "" {
		n.DisplayDenom = base.DisplayDenom
	}
	if n.Exponent == 0 {
		n.Exponent = base.Exponent
	}
	if n.Bech32Prefix == "" {
		n.Bech32Prefix = base.Bech32Prefix
	}
	if n.CoinType == 0 {
		n.CoinType = base.CoinType
	}
	if n.GasPrice == "" {
		n.GasPrice = base.GasPrice
	}
	if n.GasAdjustment == 0 {
		n.GasAdjustment = base.GasAdjustment
	}
	if n.RPC == "" {
		n.RPC = base.RPC
	}
	if len(n.Witnesses) == 0 {
		n.Witnesses = base.Witnesses
	}
	if n.TrustingPeriod == 0 {
		n.TrustingPeriod = base.TrustingPeriod
	}
	if n.StaleAfter == 0 {
		n.StaleAfter = base.StaleAfter
	}
	if n.RequestTimeout == 0 {
		n.RequestTimeout = base.RequestTimeout
	}
	return n
}

// defaults for a user-defined network that names no preset: an Akash-like
// Cosmos chain.
var userDefaults = Network{
	Denom:          "uakt",
	DisplayDenom:   "akt",
	Exponent:       6,
	Bech32Prefix:   "akash",
	CoinType:       118,
	GasPrice:       "0.025uakt",
	GasAdjustment:  1.5,
	TrustingPeriod: Duration(14 * 24 * time.Hour),
	StaleAfter:     Duration(MainnetStaleAfter),
}

// CheckEndpoint validates an RPC URL given by the user.
func CheckEndpoint(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("malformed node URL %q: %v", raw, err)
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "tcp":
	default:
		return fmt.Errorf("malformed node URL %q: the scheme must be http, https or tcp", raw)
	}
	if u.Host == "" || u.Hostname() == "" {
		return fmt.Errorf("malformed node URL %q: no host", raw)
	}
	if p := u.Port(); p != "" {
		for _, c := range p {
			if c < '0' || c > '9' {
				return fmt.Errorf("malformed node URL %q: bad port", raw)
			}
		}
	}
	return nil
}
