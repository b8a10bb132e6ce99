package wallet

import (
	"context"
	"errors"
	"strings"
	"sync"

	sdkkeyring "github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-wallet/akw/denom"
	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/keys"
	"github.com/akash-wallet/akw/tx"
	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/amount"
	"github.com/akash-wallet/akw/tx/broadcast"
	"github.com/akash-wallet/akw/tx/flow"
	"github.com/akash-wallet/akw/tx/ops"
	"github.com/akash-wallet/akw/tx/proven"
)

// Plan is a transaction prepared by Prepare: the flow's plan (summary,
// fee, gas, balance before and after, the checks' warnings) with what a
// face shows besides.
type Plan struct {
	*flow.Plan
	// Notes are the remarks made while preparing it (node-reported gas,
	// stale state, a wait for the newest state): a face that shows
	// remarks as they come (Config.Notify) has shown them already.
	Notes []string
	// Review is what a Ledger will show, page by page, computed from the
	// sign bytes it will be sent (keys.LedgerReview); nil for other keys.
	Review []keys.ReviewScreen

	env *flow.Env
}

// Denoms is how the plan's amounts are shown: the network's token and
// the tokens whose units the chain's proven metadata states (ACT).
func (p *Plan) Denoms() amount.Denoms { return p.env.Denoms }

// Signer finds who signs: a key of the keyring by name, or — when
// addressOK, for a transaction only generated or checked here — an
// address. Keyring calls that block (an unlock prompt) return at once
// when ctx ends.
func (s *Session) Signer(ctx context.Context, from string, addressOK bool) (flow.Key, error) {
	if addressOK {
		a, err := address.Account(from, s.prefixes)
		if err == nil {
			return flow.Key{Address: a}, nil
		}
		if strings.HasPrefix(from, s.prefixes.Account) {
			// It looks like an address but is not a good one: say why
			// rather than "no such key", unless it is a key's name.
			if _, kerr := s.record(ctx, from); kerr != nil {
				return flow.Key{}, tx.Input(err, "")
			}
		}
	}
	if s.cfg.Keyring == nil {
		return flow.Key{}, tx.Inputf("give an address such as "+s.prefixes.Account+"1...", "%q is not an address", from)
	}
	rec, err := s.record(ctx, from)
	if err != nil {
		return flow.Key{}, err
	}
	a, err := rec.GetAddress()
	if err != nil {
		return flow.Key{}, errkind.Default(err, errkind.Key)
	}
	return flow.Key{Name: from, Record: rec, Address: a}, nil
}

func (s *Session) record(ctx context.Context, name string) (*sdkkeyring.Record, error) {
	kr := s.cfg.Keyring
	if kr == nil {
		return nil, keys.ErrNotFound
	}
	if _, err := Blocking(ctx, func() (keys.Key, error) { return kr.Key(name) }); err != nil {
		return nil, errkind.Default(err, errkind.Key)
	}
	rec, err := Blocking(ctx, func() (*sdkkeyring.Record, error) { return kr.SDK().Key(name) })
	if err != nil {
		return nil, errkind.Default(err, errkind.Key)
	}
	return rec, nil
}

// Prepare builds the transaction req asks for, signed by key, and checks
// it against proven state (flow.Prepare: account number and sequence,
// balance, validators, proposals, gas and fee, and the operation's own
// checks and warnings). The failover policy holds: the checks are run once
// more through the witnesses when the primary stops answering; nothing
// is signed before they pass. Offline, nothing is checked.
func (s *Session) Prepare(ctx context.Context, req ops.Request, key flow.Key, opts flow.Options) (plan *Plan, err error) {
	defer guard(&err, "the checks before signing")
	var tokens *denom.Set
	if req.Kind == ops.KindSend && req.Tokens == nil && s.state != nil {
		// A send may move any token the sender holds, written in any unit
		// its proven metadata lists ("1.5act"), and its review shows it
		// in that metadata's display unit. Offline, only the network's
		// token is known.
		if tokens, err = s.sendTokens(ctx, key.Address); err != nil {
			return nil, err
		}
		req.Tokens = tokens
	}
	if _, err := ops.Parse(req, key.Address, s.denoms, s.prefixes); err != nil {
		return nil, err
	}
	return s.prepareOp(ctx, func() (ops.Op, error) { return ops.Parse(req, key.Address, s.denoms, s.prefixes) }, key, opts, tokens)
}

// PrepareOp is Prepare for an operation the face parsed itself with the
// operation's own parser (ops.ParseGrant, ParseAllowance, ParseDeposit,
// ParseProposalFile, NewExec, ...: they need more than a Request carries,
// a codec or the clock). build is called for each attempt and should
// return the operation afresh: its checks fill it in.
func (s *Session) PrepareOp(ctx context.Context, build func() (ops.Op, error), key flow.Key, opts flow.Options) (plan *Plan, err error) {
	return s.prepareOp(ctx, build, key, opts, nil)
}

// prepareOp is PrepareOp whose review shows amounts of tokens in their
// display units too (nil: only the network's token is converted).
func (s *Session) prepareOp(ctx context.Context, build func() (ops.Op, error), key flow.Key, opts flow.Options, tokens *denom.Set) (plan *Plan, err error) {
	defer guard(&err, "the checks before signing")
	env, err := s.Env()
	if err != nil {
		return nil, err
	}
	attempt := func() error {
		// The operation afresh: its checks fill it in (the validators of
		// "withdraw all", what a claim pays).
		op, err := build()
		if err != nil {
			return err
		}
		var mu sync.Mutex
		p := &Plan{env: new(flow.Env)}
		*p.env = *env
		p.env.Denoms = s.DenomsWith(tokens)
		p.env.Notice = func(m string) {
			mu.Lock()
			p.Notes = append(p.Notes, m)
			mu.Unlock()
			s.notify("%s", m)
		}
		if s.state != nil {
			// One verified view for every check of this transaction.
			src := proven.New(s.state)
			p.env.Accounts, p.env.State = src, src
		}
		fp, err := flow.Prepare(ctx, p.env, op, key, opts)
		if err != nil {
			return err
		}
		p.Plan = fp
		plan = p
		return nil
	}
	if err := s.withFailover(ctx, "checking again through the witnesses (nothing was signed)", attempt); err != nil {
		return nil, err
	}
	// Checked: what follows waits for a person (the confirmation, the
	// Ledger) and for a block, not for the store.
	s.shareStore()
	if key.Record != nil && key.Record.GetLedger() != nil {
		// What the device will show, from the bytes it will be sent.
		bz, err := plan.SignBytes(ctx, plan.env)
		if err != nil {
			return nil, err
		}
		if plan.Review, err = keys.LedgerReview(bz); err != nil {
			return nil, err
		}
	}
	return plan, nil
}

// Stage is a step of sending a transaction.
type Stage int

const (
	StageSigning        Stage = iota // a key of the keyring signs
	StageAwaitingDevice              // the Ledger shows the transaction and waits for the user
	StageBroadcasting                // the signed transaction goes to the node
	StageSent                        // the node took it (Event.TxHash is known)
	StageIncluded                    // in a block, as the node says (not proven)
	StageProven                      // inclusion and result proven against verified headers
)

// Event reports a stage as it happens.
type Event struct {
	Stage  Stage
	TxHash string
	Height int64
}

// Sign signs the plan's transaction with its key and returns the bytes
// to broadcast. A Ledger waits for a person, and a USB exchange cannot be
// interrupted: when ctx ends, Sign returns at once and the signature, if
// it ever comes, is dropped unbroadcast.
func (s *Session) Sign(ctx context.Context, p *Plan, progress func(Event)) (bz []byte, err error) {
	defer guard(&err, "signing")
	if progress == nil {
		progress = func(Event) {}
	}
	if p.Key.Record != nil && p.Key.Record.GetLedger() != nil {
		progress(Event{Stage: StageAwaitingDevice})
	} else {
		progress(Event{Stage: StageSigning})
	}
	bz, err = Blocking(ctx, func() ([]byte, error) { return flow.Sign(context.WithoutCancel(ctx), p.env, p.Plan) })
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return bz, nil
}

// Send signs the plan's transaction, broadcasts it and follows it until
// its inclusion and result are proven, reporting each stage to progress.
// It is what a face calls once the user has said yes.
func (s *Session) Send(ctx context.Context, p *Plan, progress func(Event)) (*flow.Result, error) {
	bz, err := s.Sign(ctx, p, progress)
	if err != nil {
		return nil, err
	}
	res, err := s.broadcast(ctx, p.env, bz, &p.Timings, progress)
	if res != nil {
		res.Fee = p.Fee
	}
	return res, err
}

// Broadcast sends signed bytes (a transaction file signed elsewhere) and
// follows them until their inclusion is proven: the one broadcast path,
// which Send takes too. fee is what the transaction pays, for the result.
func (s *Session) Broadcast(ctx context.Context, txBytes []byte, fee sdk.Coins, progress func(Event)) (*flow.Result, error) {
	env, err := s.Env()
	if err != nil {
		return nil, err
	}
	res, err := s.broadcast(ctx, env, txBytes, &flow.Timings{}, progress)
	if res != nil {
		res.Fee = fee
	}
	return res, err
}

// broadcast reports the stages of flow.Broadcast. A failing result code
// comes back as *tx.RejectedError with the Result; an outcome that could
// not be settled as *tx.UnknownOutcomeError, with the hash in the Result.
func (s *Session) broadcast(ctx context.Context, env *flow.Env, txBytes []byte, t *flow.Timings, progress func(Event)) (res *flow.Result, err error) {
	defer guard(&err, "the broadcast")
	if progress == nil {
		progress = func(Event) {}
	}
	// The wait for the block can take a minute: the store is left to
	// other akw processes meanwhile (shareStore).
	s.shareStore()
	progress(Event{Stage: StageBroadcasting})
	res, err = flow.Broadcast(ctx, env, txBytes, t, func(hash string) {
		progress(Event{Stage: StageSent, TxHash: hash})
	})
	if res != nil && res.Height > 0 {
		st := StageIncluded
		if res.Verified {
			st = StageProven
		}
		progress(Event{Stage: st, TxHash: res.TxHash, Height: res.Height})
	}
	if res == nil && err == nil {
		err = errors.New("no inclusion reported")
	}
	return res, err
}

// Source is a fresh source of proven state for checks outside Prepare
// (signing or broadcasting a transaction file): one verified view, pinned
// at its first question. Nil offline.
func (s *Session) Source() *proven.Source {
	if s.state == nil {
		return nil
	}
	return proven.New(s.state)
}

// Lookup finds a transaction by hash without waiting: proven inclusion,
// or presence in the node's mempool (node-reported).
func (s *Session) Lookup(ctx context.Context, hash []byte) (st *broadcast.Status, err error) {
	defer guard(&err, "the lookup")
	env, err := s.Env()
	if err != nil {
		return nil, err
	}
	if env.Confirmer == nil {
		return nil, errOffline
	}
	return env.Confirmer.Lookup(ctx, hash)
}
