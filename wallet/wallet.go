// Package wallet is akw's session layer: the one place that opens, from a
// network's configuration, what a face of akw needs — the light client,
// proven state, the keyring, the transaction environment — and that runs
// what a wallet does over them with one policy:
//
//   - Query: proven state on a verified view, run once more through the
//     witnesses when the primary stops answering midway; a node whose
//     answer does not verify is named, and a long-lived session stops
//     asking it (failover.go);
//   - Prepare, Sign, Broadcast (Send is all three after the
//     confirmation): checks against proven state, signing, broadcast and
//     proven inclusion, with each stage reported as it happens (send.go).
//
// The command line (cmd/akw) and the TUI (tui/backend) are faces over it:
// they parse what the user typed, call the session, and render what it
// returns — the command line as progress lines and a result, the TUI as
// its screens. Nothing here words anything for one medium: errors carry
// their errkind and remedies, which each face words itself.
package wallet

import (
	"context"
	"fmt"
	"sync"
	"time"

	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/internal/config"
	"github.com/akash-wallet/akw/keys"
	"github.com/akash-wallet/akw/lightclient"
	"github.com/akash-wallet/akw/lightclient/state"
	"github.com/akash-wallet/akw/lightclient/trusted"
	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/amount"
	"github.com/akash-wallet/akw/tx/broadcast"
	"github.com/akash-wallet/akw/tx/encoding"
	"github.com/akash-wallet/akw/tx/fee"
	"github.com/akash-wallet/akw/tx/flow"
	"github.com/akash-wallet/akw/tx/proven"
)

// Config is what a session is opened from.
type Config struct {
	// Name is the network's name (akashnet-2, devnet, ...), for messages.
	Name string
	// Network is the resolved network: chain-id, nodes, token, gas price,
	// trusting period, stale bound.
	Network config.Network
	// Home is the data directory: the light client's store lives there.
	Home string
	// Keyring signs; nil when nothing is signed here.
	Keyring *keys.Keyring
	// Offline: no node is contacted and no light client is opened; a
	// transaction can be built and signed, not checked or broadcast.
	Offline bool
	// LongLived: the session outlives one command (the TUI; a verifying
	// proxy). Its light client leaves the store free between operations,
	// for other akw processes, and a node whose answer does not verify is
	// demoted for the rest of the session (trusted.Client.Demote).
	LongLived bool
	// Light is a light client already open (one just initialised); the
	// session uses it and leaves closing it to the caller. Nil: the
	// session opens the store under Home.
	Light *trusted.Client
	// Notify hears, as it happens, what the user should know although the
	// operation goes on: the light client's notices (a primary replaced),
	// the transaction flow's remarks (gas is node-reported), a retry
	// through the witnesses. Nil: nothing is told as it happens (a plan
	// still collects its own notes).
	Notify func(msg string)
	// WaitTimeout bounds the wait for proven inclusion (0: 2 minutes).
	WaitTimeout time.Duration
	// OnStoreWait hears a wait for the light-client store while another
	// akw process holds it, when it begins and when it ends (the TUI
	// shows it in its status line while it lasts). Nil: the start of each
	// wait is told through Notify (StoreWaitNotice).
	OnStoreWait func(lightclient.StoreWait)
}

// Session is one face's use of the wallet. Its methods are safe for
// concurrent use.
type Session struct {
	cfg      Config
	denoms   amount.Denoms
	prefixes address.Prefixes

	light *trusted.Client // nil offline
	owned bool            // the session opened light and closes it
	state *state.Querier

	envOnce sync.Once
	env     *flow.Env
	envErr  error
}

// Denoms is the network's token as tx/amount parses and formats it: the
// one conversion from a network's configuration.
func Denoms(n config.Network) amount.Denoms {
	return amount.Denoms{Base: n.Denom, Display: n.DisplayDenom, Exponent: n.Exponent}
}

// LightConfig is the light client's configuration for network n with its
// store under home: the one place it is made, for sessions and for the
// commands that manage the store itself (akw light).
func LightConfig(n config.Network, home string) trusted.Config {
	return trusted.Config{
		ChainID:        n.ChainID,
		Primary:        n.RPC,
		Witnesses:      n.Witnesses,
		Home:           home,
		TrustingPeriod: time.Duration(n.TrustingPeriod),
		Timeout:        max(time.Duration(n.RequestTimeout), 0), // zero: the default
	}
}

// StateOptions are what every proven-state reader of network n gets: the
// tokens it probably holds (the network's and those minted from it: one
// round trip for a balance of AKT and ACT) and the age beyond which the
// newest state is labelled stale.
func StateOptions(n config.Network) []state.Option {
	return []state.Option{state.WithDenomHints(state.NativeDenoms(n.Denom)...), state.WithStaleAfter(time.Duration(n.StaleAfter))}
}

// Open opens a session: the light client (unless offline or given) and
// proven state over it. It costs no network round trip; the transaction
// environment is made when first needed.
func Open(ctx context.Context, cfg Config) (*Session, error) {
	n := cfg.Network
	prefix := n.Bech32Prefix
	if prefix == "" {
		prefix = keys.DefaultHRP
	}
	s := &Session{cfg: cfg, denoms: Denoms(n), prefixes: address.For(prefix)}
	if cfg.Offline {
		return s, nil
	}
	s.light = cfg.Light
	if s.light != nil && cfg.OnStoreWait != nil {
		// A client opened before the face could listen (the TUI's,
		// opened before its screen): the face takes its waits over.
		s.light.SetOnBusyWait(cfg.OnStoreWait)
	}
	if s.light == nil {
		tc := LightConfig(n, cfg.Home)
		tc.ShareStore = cfg.LongLived
		tc.OnBusyWait = storeWaits(cfg)
		if cfg.Notify != nil {
			tc.OnNotice = func(nt trusted.Notice) { cfg.Notify(nt.String()) }
		}
		c, err := trusted.Open(ctx, tc)
		if err != nil {
			return nil, err
		}
		s.light, s.owned = c, true
	}
	s.state = state.New(s.light, nil, StateOptions(n)...)
	return s, nil
}

// StoreWaitNotice tells the start of each wait for the light-client store
// through notify, in words for any face: the rule every face that opens
// a light client follows (a session, akw light, the TUI before its screen
// starts), so that a wait never looks like a hang. The wait's bound, and
// the error at its end (*lightclient.ErrStoreBusy, naming the holder),
// are the light client's.
func StoreWaitNotice(notify func(string)) func(lightclient.StoreWait) {
	if notify == nil {
		return nil
	}
	return func(w lightclient.StoreWait) {
		if !w.Ended {
			notify(w.String())
		}
	}
}

// storeWaits is where a session's waits for the store go.
func storeWaits(cfg Config) func(lightclient.StoreWait) {
	if cfg.OnStoreWait != nil {
		return cfg.OnStoreWait
	}
	return StoreWaitNotice(cfg.Notify)
}

// shareStore leaves the light-client store to other akw processes
// between operations from now on. A command calls it where it starts
// waiting for something other than the store — a person confirming or a
// Ledger, a block to include its transaction — which can take minutes:
// held all along, the store would keep every other akw (a query in
// another terminal, the TUI, a script) waiting and then failing. The
// inclusion stays proven as before: each header is verified under the
// store's lock, taken again for that operation. A long-lived session
// shares it from the start; a client the session did not open is its
// owner's to manage.
func (s *Session) shareStore() {
	if s.light != nil && s.owned && !s.cfg.LongLived {
		s.light.Share()
	}
}

// Close releases what the session opened.
func (s *Session) Close() {
	if s.owned && s.light != nil {
		s.light.Close()
	}
}

// Network is the session's network.
func (s *Session) Network() config.Network { return s.cfg.Network }

// Name is the network's name.
func (s *Session) Name() string { return s.cfg.Name }

// Denoms is the network's token.
func (s *Session) Denoms() amount.Denoms { return s.denoms }

// Prefixes are the network's bech32 prefixes.
func (s *Session) Prefixes() address.Prefixes { return s.prefixes }

// Keyring is the session's keyring (nil when none was opened).
func (s *Session) Keyring() *keys.Keyring { return s.cfg.Keyring }

// Light is the session's light client (nil offline).
func (s *Session) Light() *trusted.Client { return s.light }

// State reads proven state over the session's light client (nil offline).
func (s *Session) State() *state.Querier { return s.state }

// Online reports whether the session reaches the chain.
func (s *Session) Online() bool { return s.light != nil }

func (s *Session) notify(format string, args ...any) {
	if s.cfg.Notify != nil {
		s.cfg.Notify(fmt.Sprintf(format, args...))
	}
}

// Env is the transaction environment: the network's encoding, token,
// prefixes, chain-id, gas price and adjustment, the keyring and the Ledger
// signer, and online the simulator and the confirmer on whichever node the
// light client uses as primary. The proven-state sources are set per
// transaction (Prepare), so that every check of one transaction sees one
// verified height. A network whose gas settings do not parse is a usage
// error, reported here rather than when the session opens: queries do not
// need them.
func (s *Session) Env() (*flow.Env, error) {
	s.envOnce.Do(func() { s.env, s.envErr = s.newEnv() })
	return s.env, s.envErr
}

func (s *Session) newEnv() (*flow.Env, error) {
	n := s.cfg.Network
	enc, err := encoding.New(s.prefixes.Account)
	if err != nil {
		return nil, err
	}
	price, err := amount.ParseGasPrice(n.GasPrice, s.denoms)
	if err != nil {
		return nil, errkind.With(errkind.Usage, fmt.Errorf("network %s: gas price %q: %w", s.cfg.Name, n.GasPrice, err),
			errkind.Hint{Remedy: errkind.Remedy{Do: errkind.FixSetting, Subject: "gas-price"}})
	}
	var adj sdkmath.LegacyDec
	if adj, err = fee.ParseAdjustment(n.GasAdjustment); err != nil {
		return nil, errkind.With(errkind.Usage, fmt.Errorf("network %s: gas adjustment: %w", s.cfg.Name, err),
			errkind.Hint{Remedy: errkind.Remedy{Do: errkind.FixSetting, Subject: "gas-adjustment"}})
	}
	env := &flow.Env{
		Enc: enc, Denoms: s.denoms, Prefixes: s.prefixes, ChainID: n.ChainID,
		GasPrice: price, GasAdjustment: adj,
	}
	if kr := s.cfg.Keyring; kr != nil {
		env.Keyring = kr.SDK()
		env.Ledger = keys.SignLedgerAminoJSON
	}
	if s.light != nil {
		env.Simulator = proven.Simulator{Light: s.light}
		env.Confirmer = &broadcast.Confirmer{
			Node:    proven.Broadcaster{Light: s.light},
			Prover:  &proven.Prover{Headers: s.light, Node: s.light.Primary},
			Timeout: s.cfg.WaitTimeout,
			// Inclusion is proven once the next block exists; polling at
			// half a second costs one small /tx query each time.
			Poll:   500 * time.Millisecond,
			Notify: s.cfg.Notify,
		}
	}
	return env, nil
}

// AccAddress parses an account address of the session's network.
func (s *Session) AccAddress(a string) (sdk.AccAddress, error) { return address.Account(a, s.prefixes) }
