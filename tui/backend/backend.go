// Package backend implements tui.Backend over akw's libraries — the light
// client (lightclient/trusted), proven state (lightclient/state), the
// keyring (keys) and the transaction flow (tx/flow) — the same calls the
// command line makes. It holds no chain logic of its own: it translates
// between those packages and what the screens show.
package backend

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	sdkmath "cosmossdk.io/math"
	sdkkeyring "github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
	"golang.org/x/sync/errgroup"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/keys"
	"github.com/akash-wallet/akw/lightclient/state"
	"github.com/akash-wallet/akw/lightclient/trusted"
	"github.com/akash-wallet/akw/tui"
	"github.com/akash-wallet/akw/tx"
	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/amount"
	"github.com/akash-wallet/akw/tx/broadcast"
	"github.com/akash-wallet/akw/tx/fee"
	"github.com/akash-wallet/akw/tx/flow"
	"github.com/akash-wallet/akw/tx/ops"
	"github.com/akash-wallet/akw/tx/proven"
	"github.com/akash-wallet/akw/tx/sign"
	"github.com/akash-wallet/akw/tx/vote"
)

// Light is what the backend needs of the light client
// (*trusted.Client implements it).
type Light interface {
	Update(ctx context.Context) (*trusted.Update, error)
	Status(ctx context.Context, probe bool) (*trusted.Status, error)
}

// Config is what the backend works over. The command line opens each part
// the way its own commands do.
type Config struct {
	Chain   tui.ChainInfo
	Light   Light
	State   *state.Querier
	Keyring *keys.Keyring
	// Env is the transaction environment (keyring, proven state sources,
	// simulator, confirmer); nil makes the TUI read-only.
	Env *flow.Env
	// MaxStateAge lets queries reuse a verified header this recent
	// instead of fetching a new one (state.Querier.Recent); 0 means 10 s.
	MaxStateAge time.Duration
	// Gas is the gas setting of transactions (zero: simulate).
	Gas fee.Gas
}

// Backend implements tui.Backend.
type Backend struct {
	cfg      Config
	denoms   amount.Denoms
	prefixes address.Prefixes
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
	c := cfg.Chain
	return &Backend{
		cfg:      cfg,
		denoms:   c.Denoms(),
		prefixes: address.For(prefixOr(c.Bech32Prefix)),
	}
}

func prefixOr(p string) string {
	if p == "" {
		return keys.DefaultHRP
	}
	return p
}

func (b *Backend) Chain() tui.ChainInfo { return b.cfg.Chain }

// blocking runs a call that takes no context (keyring, Ledger) so that the
// UI's cancellation still returns at once. The call itself finishes in the
// background; its result is dropped.
func blocking[T any](ctx context.Context, f func() (T, error)) (T, error) {
	type res struct {
		v   T
		err error
	}
	ch := make(chan res, 1)
	go func() {
		v, err := f()
		ch <- res{v, err}
	}()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

func toKey(k keys.Key) tui.Key {
	return tui.Key{Name: k.Name, Address: k.Address, Type: string(k.Type), Path: k.Path}
}

func (b *Backend) Keys(ctx context.Context) ([]tui.Key, error) {
	ks, err := blocking(ctx, b.cfg.Keyring.List)
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
// (verified and cross-checked against the witnesses) and reports it.
func (b *Backend) Status(ctx context.Context) (tui.LightStatus, error) {
	u, err := b.cfg.Light.Update(ctx)
	if err != nil {
		return tui.LightStatus{}, err
	}
	st, err := b.cfg.Light.Status(ctx, false)
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

func (b *Backend) view(ctx context.Context) (*state.View, error) {
	v, err := b.cfg.State.Recent(ctx, b.cfg.MaxStateAge)
	var early *state.ErrTooEarly
	if errors.As(err, &early) {
		// The stored header is too low to prove state from; a newer
		// one (verified just the same) may not be.
		return b.cfg.State.Latest(ctx)
	}
	return v, err
}

func (b *Backend) accAddr(s string) (sdk.AccAddress, error) {
	return address.Account(s, b.prefixes)
}

// Portfolio proves everything the dashboard shows on one view (one
// verified header), in parallel.
func (b *Backend) Portfolio(ctx context.Context, addr string) (*tui.Portfolio, error) {
	acc, err := b.accAddr(addr)
	if err != nil {
		return nil, err
	}
	v, err := b.view(ctx)
	if err != nil {
		return nil, err
	}
	var (
		bal   *state.Balances
		dels  *state.Delegations
		unbs  *state.Unbondings
		rews  *state.Rewards
		props []tui.Proposal
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { bal, err = v.Balances(gctx, acc); return })
	g.Go(func() (err error) { dels, err = v.Delegations(gctx, acc); return })
	g.Go(func() (err error) { unbs, err = v.Unbondings(gctx, acc); return })
	g.Go(func() (err error) { rews, err = v.Rewards(gctx, acc); return })
	g.Go(func() (err error) { props, err = b.votingProposals(gctx, v, acc); return })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for _, p := range []state.Proven{bal.Proven, dels.Proven, unbs.Proven, rews.Proven} {
		if !p.Verified {
			return nil, &notProven{p.Reason}
		}
	}
	pf := &tui.Portfolio{Address: addr, Height: v.Height(), HeaderTime: bal.HeaderTime, Balances: bal.Coins, Rewards: rews.Total, Proposals: props}
	rewardOf := map[string]sdk.DecCoins{}
	for _, r := range rews.Rewards {
		rewardOf[r.ValidatorAddress] = r.Reward
	}
	monikers := map[string]string{}
	for _, d := range dels.Delegations {
		monikers[d.ValidatorAddress] = d.Moniker
		pf.Delegations = append(pf.Delegations, tui.Delegation{Validator: d.ValidatorAddress, Moniker: d.Moniker,
			Amount: d.Balance, Rewards: rewardOf[d.ValidatorAddress]})
	}
	sort.SliceStable(pf.Delegations, func(i, j int) bool {
		return pf.Delegations[i].Amount.Amount.GT(pf.Delegations[j].Amount.Amount)
	})
	for _, u := range unbs.Unbondings {
		for _, e := range u.Entries {
			pf.Unbonding = append(pf.Unbonding, tui.Unbonding{Validator: u.ValidatorAddress, Moniker: monikers[u.ValidatorAddress],
				Amount: sdk.NewCoin(b.denoms.Base, e.Balance), CompletionTime: e.CompletionTime})
		}
	}
	sort.SliceStable(pf.Unbonding, func(i, j int) bool { return pf.Unbonding[i].CompletionTime.Before(pf.Unbonding[j].CompletionTime) })
	return pf, nil
}

// notProven is an answer the state package returned without full proof
// (a list too long to walk complete): the TUI shows nothing rather than
// a partial number.
type notProven struct{ reason string }

func (e *notProven) Error() string { return "the node's answer could not be proven: " + e.reason }

// Category makes an unproven answer a verification failure: nothing shown.
func (e *notProven) Kind() errkind.Kind { return errkind.Verification }

func (b *Backend) votingProposals(ctx context.Context, v *state.View, voter sdk.AccAddress) ([]tui.Proposal, error) {
	ps, err := v.VotingProposals(ctx)
	if err != nil {
		return nil, err
	}
	if !ps.Verified {
		return nil, &notProven{ps.Reason}
	}
	out := make([]tui.Proposal, len(ps.Proposals))
	g, gctx := errgroup.WithContext(ctx)
	for i, p := range ps.Proposals {
		tp := tui.Proposal{ID: p.Id, Title: p.Title, Summary: p.Summary, Status: p.Status.String(), Height: v.Height()}
		if p.VotingEndTime != nil {
			tp.VotingEnd = *p.VotingEndTime
		}
		out[i] = tp
		if voter.Empty() {
			continue
		}
		g.Go(func() error {
			va, err := v.Vote(gctx, p.Id, voter)
			var nf *state.ErrNotFound
			if errors.As(err, &nf) {
				return nil // proven: not voted
			}
			if err != nil {
				return err
			}
			for _, o := range va.Vote.Options {
				w, err := sdkmath.LegacyNewDecFromStr(o.Weight)
				if err != nil {
					return err
				}
				out[i].Vote = append(out[i].Vote, tui.VoteOption{Option: vote.Name(o.Option), Weight: w})
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func (b *Backend) Proposals(ctx context.Context, voter string) ([]tui.Proposal, error) {
	var acc sdk.AccAddress
	if voter != "" {
		a, err := b.accAddr(voter)
		if err != nil {
			return nil, err
		}
		acc = a
	}
	v, err := b.view(ctx)
	if err != nil {
		return nil, err
	}
	return b.votingProposals(ctx, v, acc)
}

func (b *Backend) Validators(ctx context.Context, delegator string) (*tui.ValidatorSet, error) {
	v, err := b.view(ctx)
	if err != nil {
		return nil, err
	}
	var (
		set    *state.ValidatorSet
		dels   *state.Delegations
		params *state.StakingParams
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { set, err = v.Validators(gctx); return })
	// The unbonding period the picker shows is the chain's proven value
	// at the same height, never a remembered constant.
	g.Go(func() (err error) { params, err = v.StakingParams(gctx); return })
	if delegator != "" {
		acc, err := b.accAddr(delegator)
		if err != nil {
			return nil, err
		}
		g.Go(func() (err error) { dels, err = v.Delegations(gctx, acc); return })
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if !set.Verified {
		return nil, &notProven{set.Reason}
	}
	mine := map[string]sdk.Coin{}
	if dels != nil {
		for _, d := range dels.Delegations {
			mine[d.ValidatorAddress] = d.Balance
		}
	}
	out := &tui.ValidatorSet{Height: v.Height()}
	if params.Verified {
		out.UnbondingPeriod = params.UnbondingTime
	}
	for _, val := range set.Validators {
		share := 0.0
		if set.TotalVotingPower > 0 {
			share = float64(val.VotingPower) / float64(set.TotalVotingPower)
		}
		d, ok := mine[val.OperatorAddress]
		if !ok {
			d = sdk.NewCoin(b.denoms.Base, sdkmath.ZeroInt())
		}
		out.Validators = append(out.Validators, tui.Validator{Operator: val.OperatorAddress, Moniker: val.Moniker,
			Commission: val.CommissionRate, Tokens: val.Tokens, PowerShare: share, Status: bondStatus(val.Status),
			Jailed: val.Jailed, Delegation: d, Description: val.Details})
	}
	return out, nil
}

func bondStatus(s string) string {
	switch s {
	case stakingtypes.Bonded.String():
		return "bonded"
	case stakingtypes.Unbonding.String():
		return "unbonding"
	case stakingtypes.Unbonded.String():
		return "unbonded"
	}
	return strings.ToLower(strings.TrimPrefix(s, "BOND_STATUS_"))
}

// CheckField runs the command line's parsers on one field.
func (b *Backend) CheckField(f tui.Field, v string) error {
	v = strings.TrimSpace(v)
	var err error
	switch f {
	case tui.FieldAddress:
		_, err = address.Account(v, b.prefixes)
	case tui.FieldValidator:
		_, err = address.Validator(v, b.prefixes)
	case tui.FieldAmount:
		_, err = amount.Parse(v, b.denoms)
	case tui.FieldMemo:
		err = sign.CheckMemo(v)
	case tui.FieldVote:
		_, _, err = vote.Parse(v)
	case tui.FieldKeyName:
		err = keys.CheckName(v)
	case tui.FieldMnemonic:
		_, err = keys.NormalizeMnemonic(v)
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

// opRequest is what the user asked for, as tx/ops.Parse (the parser the
// command line uses too) takes it.
func opRequest(req tui.TxRequest) ops.Request {
	switch req.Kind {
	case tui.TxSend:
		return ops.Request{Kind: ops.KindSend, To: req.To, Amount: req.Amount}
	case tui.TxDelegate:
		return ops.Request{Kind: ops.KindDelegate, To: req.To, Amount: req.Amount}
	case tui.TxUndelegate:
		return ops.Request{Kind: ops.KindUndelegate, To: req.To, Amount: req.Amount}
	case tui.TxRedelegate:
		return ops.Request{Kind: ops.KindRedelegate, Src: req.Src, To: req.To, Amount: req.Amount}
	case tui.TxClaim:
		return ops.Request{Kind: ops.KindWithdrawRewards, All: true}
	case tui.TxVote:
		return ops.Request{Kind: ops.KindVote, ProposalID: strconv.FormatUint(req.ProposalID, 10), Option: req.Option}
	}
	return ops.Request{Kind: ops.Kind(req.Kind.String())}
}

// plan is the backend's part of a TxPlan.
type plan struct {
	env  *flow.Env
	p    *flow.Plan
	name string
}

var errReadOnly = tx.Inputf("start akw with a node and a keyring to send transactions", "this session is read-only")

// Plan prepares the transaction with tx/flow: checks against proven state,
// account number and sequence, gas and fee, balance before and after.
func (b *Backend) Plan(ctx context.Context, req tui.TxRequest) (*tui.TxPlan, error) {
	if b.cfg.Env == nil {
		return nil, errReadOnly
	}
	// Plan against the newest verified state: the account's sequence and
	// balance may have changed since the dashboard's header.
	if _, err := b.cfg.Light.Update(ctx); err != nil {
		return nil, err
	}
	k, err := blocking(ctx, func() (keys.Key, error) { return b.cfg.Keyring.Key(req.From.Name) })
	if err != nil {
		return nil, err
	}
	rec, err := blocking(ctx, func() (*sdkkeyring.Record, error) { return b.cfg.Keyring.SDK().Key(req.From.Name) })
	if err != nil {
		return nil, err
	}
	from, err := b.accAddr(k.Address)
	if err != nil {
		return nil, err
	}
	op, err := ops.Parse(opRequest(req), from, b.denoms, b.prefixes)
	if err != nil {
		return nil, err
	}
	var (
		mu    sync.Mutex
		notes []string
	)
	env := *b.cfg.Env
	env.Notice = func(m string) { mu.Lock(); notes = append(notes, m); mu.Unlock() }
	if env.Accounts == nil && env.State == nil {
		src := proven.New(b.cfg.State)
		env.Accounts, env.State = src, src
	}
	fk := flow.Key{Name: k.Name, Address: from, Record: rec}
	p, err := flow.Prepare(ctx, &env, op, fk, flow.Options{Gas: b.cfg.Gas, Memo: req.Memo})
	if err != nil {
		return nil, err
	}
	out := &tui.TxPlan{Request: req, Fee: p.Fee, Gas: p.Gas, GasEstimated: p.GasSimulated > 0, Opaque: &plan{env: &env, p: p, name: k.Name}}
	out.Summary = summary(req, k)
	for _, f := range p.Summary {
		if f.Label == "action" {
			continue
		}
		if f.Label == "note" {
			notes = append(notes, f.Value)
			continue
		}
		out.Lines = append(out.Lines, tui.PlanLine{Label: capitalise(f.Label), Value: f.Value})
	}
	if p.Balance != nil && p.Balance.Verified {
		out.Height = p.Balance.Height
		out.BalanceBefore = sdk.NewCoin(p.Balance.Denom, p.Balance.Spendable)
		if p.After != nil {
			out.BalanceAfter = sdk.NewCoin(p.Balance.Denom, *p.After)
		}
	}
	// The operation's own warnings (a fee above the rewards claimed, ...)
	// first: the same the command line shows in its review.
	out.Warnings = append(append([]string{}, p.Warnings...), notes...)
	if k.Type == keys.TypeLedger {
		// What the device will show, from the bytes it will be sent.
		bz, err := p.SignBytes(ctx, &env)
		if err != nil {
			return nil, err
		}
		review, err := keys.LedgerReview(bz)
		if err != nil {
			return nil, err
		}
		for _, s := range review {
			out.DeviceShows = append(out.DeviceShows, tui.PlanLine{Label: s.Title, Value: s.Value})
		}
	}
	return out, nil
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func summary(req tui.TxRequest, k keys.Key) string {
	named := func(addr, name string) string {
		if name == "" {
			return addr
		}
		return name + " (" + addr + ")"
	}
	req.To, req.Src = named(req.To, req.ToName), named(req.Src, req.SrcName)
	who := k.Name
	if k.Type == keys.TypeLedger {
		who += " (Ledger)"
	}
	switch req.Kind {
	case tui.TxSend:
		return "Send " + req.Amount + " from " + who + " to " + req.To + "."
	case tui.TxDelegate:
		return "Delegate " + req.Amount + " from " + who + " to " + req.To + "."
	case tui.TxRedelegate:
		return "Move " + req.Amount + " of " + who + "'s stake from " + req.Src + " to " + req.To + "."
	case tui.TxUndelegate:
		return "Undelegate " + req.Amount + " of " + who + "'s stake from " + req.To + "."
	case tui.TxClaim:
		return "Claim the pending staking rewards of " + who + " from every validator."
	case tui.TxVote:
		return fmt.Sprintf("Vote %s on proposal #%d as %s.", req.Option, req.ProposalID, who)
	}
	return req.Kind.String()
}

// Execute signs, broadcasts and follows the transaction until its
// inclusion and result are proven.
func (b *Backend) Execute(ctx context.Context, tp *tui.TxPlan, events chan<- tui.TxEvent) (*tui.TxResult, error) {
	pl, ok := tp.Opaque.(*plan)
	if !ok || pl == nil {
		return nil, errors.New("the plan was not made by this backend")
	}
	send := func(ev tui.TxEvent) {
		select {
		case events <- ev:
		case <-ctx.Done():
		}
	}
	if tp.Request.From.Ledger() {
		send(tui.TxEvent{Stage: tui.StageAwaitingDevice})
	} else {
		send(tui.TxEvent{Stage: tui.StageSigning})
	}
	// Signing with a Ledger waits for a person and cannot be interrupted
	// at the USB level; the UI's cancel returns at once and the signature,
	// if it ever comes, is dropped unbroadcast.
	bz, err := blocking(ctx, func() ([]byte, error) { return flow.Sign(context.WithoutCancel(ctx), pl.env, pl.p) })
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	send(tui.TxEvent{Stage: tui.StageBroadcasting})
	c := pl.env.Confirmer
	s, err := c.Broadcast(ctx, bz)
	if err != nil {
		return nil, err
	}
	hash := broadcast.HashString(s.Hash)
	send(tui.TxEvent{Stage: tui.StageBroadcast, TxHash: hash})
	inc, err := c.Follow(ctx, s)
	if inc == nil {
		if err == nil {
			err = errors.New("no inclusion reported")
		}
		return &tui.TxResult{TxHash: hash}, err
	}
	res := &tui.TxResult{TxHash: hash, Height: inc.Height, Code: inc.Code, Log: inc.Log, Verified: inc.Verified, Note: inc.DuplicateNote()}
	if inc.Verified {
		send(tui.TxEvent{Stage: tui.StageVerified, TxHash: hash, Height: inc.Height})
	} else {
		send(tui.TxEvent{Stage: tui.StageIncluded, TxHash: hash, Height: inc.Height})
	}
	var rej *tx.RejectedError
	if errors.As(err, &rej) {
		return res, nil // shown from Code and Log
	}
	return res, err
}

func (b *Backend) CreateKey(ctx context.Context, name string) (tui.Key, string, error) {
	type r struct {
		k keys.Key
		m string
	}
	res, err := blocking(ctx, func() (r, error) {
		k, m, err := b.cfg.Keyring.Create(name, keys.HDOptions{})
		return r{k, m}, err
	})
	if err != nil {
		return tui.Key{}, "", err
	}
	return toKey(res.k), res.m, nil
}

func (b *Backend) RecoverKey(ctx context.Context, name, mnemonic string) (tui.Key, error) {
	k, err := blocking(ctx, func() (keys.Key, error) { return b.cfg.Keyring.Recover(name, mnemonic, keys.HDOptions{}) })
	if err != nil {
		return tui.Key{}, err
	}
	return toKey(k), nil
}

func (b *Backend) AddLedgerKey(ctx context.Context, name string, account, index uint32) (tui.Key, error) {
	path, err := keys.NewHDPath(int64(account), int64(index))
	if err != nil {
		return tui.Key{}, err
	}
	lk, err := blocking(ctx, func() (*keys.LedgerKey, error) { return b.cfg.Keyring.AddLedger(name, path, false) })
	if err != nil {
		return tui.Key{}, err
	}
	return tui.Key{Name: lk.Name, Address: lk.Address, Type: string(keys.TypeLedger), Path: lk.Path}, nil
}

func (b *Backend) ShowOnDevice(ctx context.Context, name string) error {
	_, err := blocking(ctx, func() (*keys.LedgerShown, error) { return b.cfg.Keyring.ShowOnDevice(name) })
	return err
}
