// Package backend implements tui.Backend over akw's session layer
// (wallet): the light client, proven state, the keyring and the
// transaction flow, opened and used the way the command line uses them,
// with the same failover policy and the same checks. It holds no chain
// logic of its own: it translates between the wallet and what the
// screens show.
package backend

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-wallet/akw/denom"
	"github.com/akash-wallet/akw/internal/config"
	"github.com/akash-wallet/akw/keys"
	"github.com/akash-wallet/akw/lightclient/trusted"
	"github.com/akash-wallet/akw/tui"
	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/amount"
	"github.com/akash-wallet/akw/tx/fee"
	"github.com/akash-wallet/akw/tx/ops"
	"github.com/akash-wallet/akw/tx/sign"
	"github.com/akash-wallet/akw/tx/vote"
	"github.com/akash-wallet/akw/wallet"
)

// Config is what the backend works over.
type Config struct {
	Chain tui.ChainInfo
	// Session is the wallet session the TUI runs in: a long-lived one
	// (wallet.Config.LongLived), so that a node whose answer does not
	// verify is demoted for the rest of it.
	Session *wallet.Session
	// MaxStateAge lets queries reuse a verified header this recent
	// instead of fetching a new one (wallet.View.MaxAge); 0 means 10 s.
	MaxStateAge time.Duration
	// Gas is the gas setting of transactions (zero: simulate).
	Gas fee.Gas
}

// Backend implements tui.Backend.
type Backend struct {
	cfg Config
	s   *wallet.Session

	mu     sync.Mutex
	tokens *denom.Set // of the newest portfolio: units a send's amount may name

	waits *storeWaits // the light client's waits for its store (Open); nil: none told
}

// keepTokens remembers the tokens of a portfolio's proven holdings.
func (b *Backend) keepTokens(t *denom.Set) {
	b.mu.Lock()
	b.tokens = t
	b.mu.Unlock()
}

// checkAmount reads an amount as the command line does: the chain's
// token, or — a send of another token the account holds — a unit its
// proven metadata lists ("1.5act", "250ibc/…"). Whether that token may
// be sent at all is checked against the proven send rule when the
// transaction is prepared.
func (b *Backend) checkAmount(v string) error {
	_, err := amount.Parse(v, b.s.Denoms())
	b.mu.Lock()
	t := b.tokens
	b.mu.Unlock()
	if errors.Is(err, amount.ErrUnknownDenom) && t != nil {
		_, err = t.Parse(v)
	}
	return err
}

var _ tui.Backend = (*Backend)(nil)

// New returns a Backend over cfg.
func New(cfg Config) *Backend {
	if cfg.MaxStateAge == 0 {
		cfg.MaxStateAge = 10 * time.Second
	}
	if !cfg.Gas.Auto && cfg.Gas.Limit == 0 {
		cfg.Gas = fee.Gas{Auto: true}
	}
	return &Backend{cfg: cfg, s: cfg.Session}
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
	// Home is the data directory: the history cache and the address book
	// live under it ("" : neither is available).
	Home string
}

// Open opens a long-lived wallet session over the parts and a Backend
// over it. The network's gas settings are checked now.
func Open(p Parts) (*Backend, error) {
	n := p.Network
	waits := newStoreWaits()
	s, err := wallet.Open(context.Background(), wallet.Config{Name: p.Name, Network: n, Light: p.Light, Keyring: p.Keyring, LongLived: true, Home: p.Home,
		OnStoreWait: waits.tell})
	if err != nil {
		return nil, err
	}
	if _, err := s.Env(); err != nil {
		return nil, err
	}
	b := New(Config{
		Chain: tui.ChainInfo{Network: p.Name, ChainID: n.ChainID, Denom: n.Denom, DisplayDenom: n.DisplayDenom,
			Exponent: n.Exponent, Bech32Prefix: s.Prefixes().Account, Primary: p.Light.PrimaryURL(), Demo: p.Demo,
			StaleAfter: time.Duration(n.StaleAfter)},
		Session: s, MaxStateAge: 5 * time.Second,
	})
	b.waits = waits
	return b, nil
}

func (b *Backend) Chain() tui.ChainInfo { return b.cfg.Chain }

func (b *Backend) keyring() (*keys.Keyring, error) {
	if kr := b.s.Keyring(); kr != nil {
		return kr, nil
	}
	return nil, errors.New("no keyring is open")
}

func toKey(k keys.Key) tui.Key {
	return tui.Key{Name: k.Name, Address: k.Address, Type: string(k.Type), Path: k.Path}
}

func (b *Backend) Keys(ctx context.Context) ([]tui.Key, error) {
	kr, err := b.keyring()
	if err != nil {
		return nil, err
	}
	ks, err := wallet.Blocking(ctx, kr.List)
	if err != nil {
		return nil, err
	}
	out := make([]tui.Key, 0, len(ks))
	for _, k := range ks {
		out = append(out, toKey(k))
	}
	return out, nil
}

// Status brings the light client up to the primary's newest header
// (verified and cross-checked against the witnesses) and reports it,
// with the session's notices (a primary replaced or demoted).
func (b *Backend) Status(ctx context.Context) (tui.LightStatus, error) {
	lc := b.s.Light()
	u, err := lc.Update(ctx)
	if err != nil {
		return tui.LightStatus{}, err
	}
	st, err := lc.Status(ctx, false)
	if err != nil {
		return tui.LightStatus{}, err
	}
	out := tui.LightStatus{ChainID: st.ChainID, Height: u.Block.Height, HeaderTime: u.Block.Time, Primary: st.Primary}
	for _, e := range st.Endpoints {
		if e.Configured != "witness" && e.Role != "witness" {
			continue
		}
		// A witness still in use has confirmed the headers the update
		// verified; the light client drops one that did not.
		out.Witnesses = append(out.Witnesses, tui.WitnessStatus{URL: e.URL, Agrees: e.Role == "witness", Reason: e.Reason})
	}
	for _, n := range st.Notices {
		out.Notices = append(out.Notices, n.String())
	}
	return out, nil
}

func (b *Backend) accAddr(s string) (sdk.AccAddress, error) {
	return address.Account(s, b.s.Prefixes())
}

// CheckField runs the command line's parsers on one field.
func (b *Backend) CheckField(f tui.Field, v string) error {
	v = strings.TrimSpace(v)
	var err error
	switch f {
	case tui.FieldAddress:
		_, err = address.Account(v, b.s.Prefixes())
	case tui.FieldValidator:
		_, err = address.Validator(v, b.s.Prefixes())
	case tui.FieldAmount:
		err = b.checkAmount(v)
	case tui.FieldMemo:
		err = sign.CheckMemo(v)
	case tui.FieldVote:
		_, _, err = vote.Parse(v)
	case tui.FieldKeyName:
		err = keys.CheckName(v)
	case tui.FieldMnemonic:
		_, err = keys.NormalizeMnemonic(v)
	case tui.FieldExpiration:
		_, err = ops.ParseExpiration(v, time.Now())
	case tui.FieldHDIndex:
		var n uint64
		n, err = strconv.ParseUint(v, 10, 32)
		if err == nil && n > keys.MaxHDIndex {
			err = fmt.Errorf("at most %d", keys.MaxHDIndex)
		}
		if err != nil {
			err = errors.New("a whole number from 0")
		}
	}
	return err
}

func (b *Backend) CreateKey(ctx context.Context, name string) (tui.Key, string, error) {
	kr, err := b.keyring()
	if err != nil {
		return tui.Key{}, "", err
	}
	type r struct {
		k keys.Key
		m string
	}
	res, err := wallet.Blocking(ctx, func() (r, error) {
		k, m, err := kr.Create(name, keys.HDOptions{})
		return r{k, m}, err
	})
	if err != nil {
		return tui.Key{}, "", err
	}
	return toKey(res.k), res.m, nil
}

func (b *Backend) RecoverKey(ctx context.Context, name, mnemonic string) (tui.Key, error) {
	kr, err := b.keyring()
	if err != nil {
		return tui.Key{}, err
	}
	k, err := wallet.Blocking(ctx, func() (keys.Key, error) { return kr.Recover(name, mnemonic, keys.HDOptions{}) })
	if err != nil {
		return tui.Key{}, err
	}
	return toKey(k), nil
}

func (b *Backend) AddLedgerKey(ctx context.Context, name string, account, index uint32) (tui.Key, error) {
	kr, err := b.keyring()
	if err != nil {
		return tui.Key{}, err
	}
	path, err := keys.NewHDPath(int64(account), int64(index))
	if err != nil {
		return tui.Key{}, err
	}
	lk, err := wallet.Blocking(ctx, func() (*keys.LedgerKey, error) { return kr.AddLedger(name, path, false) })
	if err != nil {
		return tui.Key{}, err
	}
	return tui.Key{Name: lk.Name, Address: lk.Address, Type: string(keys.TypeLedger), Path: lk.Path}, nil
}

func (b *Backend) ShowOnDevice(ctx context.Context, name string) error {
	kr, err := b.keyring()
	if err != nil {
		return err
	}
	_, err = wallet.Blocking(ctx, func() (*keys.LedgerShown, error) { return kr.ShowOnDevice(name) })
	return err
}
