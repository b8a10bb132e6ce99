// Package broadcast hands a signed transaction to a node and follows it
// until its inclusion is proven.
//
// The rules it keeps: the broadcast is synchronous (CheckTx only), the
// wait polls the light-client-backed prover, and when the outcome is
// unknown — a dropped connection, a timeout — the transaction is looked
// up by its hash before anything else. Nothing here ever signs or
// broadcasts a second time.
package broadcast

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	coretypes "github.com/cometbft/cometbft/rpc/core/types"
	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/tx"
)

// Node is the part of a CometBFT RPC client broadcasting needs.
type Node interface {
	BroadcastTxSync(ctx context.Context, t cmttypes.Tx) (*coretypes.ResultBroadcastTx, error)
	UnconfirmedTxs(ctx context.Context, limit *int) (*coretypes.ResultUnconfirmedTxs, error)
}

// Confirmer broadcasts and confirms.
type Confirmer struct {
	Node   Node
	Prover tx.InclusionProver
	// Poll is the interval between inclusion checks (default 1 s; Akash
	// blocks come every ~6 s, the devnet's every second).
	Poll time.Duration
	// Timeout bounds the wait for inclusion (default 2 min).
	Timeout time.Duration
	// Notify, when set, hears about progress worth telling the user.
	Notify func(msg string)
}

// Submitted is the node's answer to the broadcast.
type Submitted struct {
	Hash []byte
	// AlreadyKnown means the node already had this exact transaction
	// (an earlier broadcast of the same bytes): akw goes on to wait for
	// it, which is safe because it is the same transaction.
	AlreadyKnown bool
	// Unconfirmed means the broadcast call failed so that akw cannot tell
	// whether the node took the transaction; the wait settles it.
	Unconfirmed error
}

// Hash is the transaction hash as CometBFT computes it.
func Hash(txBytes []byte) []byte { return cmttypes.Tx(txBytes).Hash() }

// HashString is the hash in the upper-case hex the chain's tools print.
func HashString(h []byte) string { return fmt.Sprintf("%X", h) }

func (c *Confirmer) notify(format string, args ...any) {
	if c.Notify != nil {
		c.Notify(fmt.Sprintf(format, args...))
	}
}

// Broadcast sends the transaction with broadcast_tx_sync. A CheckTx
// refusal is *tx.RejectedError. A failed call is not an error here: it is
// reported in Submitted.Unconfirmed so that the caller looks the
// transaction up instead of sending it again.
func (c *Confirmer) Broadcast(ctx context.Context, txBytes []byte) (*Submitted, error) {
	h := Hash(txBytes)
	s := &Submitted{Hash: h}
	res, err := c.Node.BroadcastTxSync(ctx, txBytes)
	if err != nil {
		if strings.Contains(err.Error(), "tx already exists in cache") {
			s.AlreadyKnown = true
			return s, nil
		}
		if ctx.Err() != nil {
			// Interrupted while the call was on the wire: the node may
			// have taken the transaction, so the caller must still
			// learn its hash to look it up.
			return nil, &tx.UnknownOutcomeError{Hash: HashString(h), Reason: ctx.Err()}
		}
		s.Unconfirmed = err
		return s, nil
	}
	if !bytes.Equal(res.Hash, h) && len(res.Hash) > 0 {
		// A node that reports another hash is broken or lying; the
		// hash akw computed is the one to follow.
		c.notify("the node reported hash %X for transaction %X; following %X", []byte(res.Hash), h, h)
	}
	if res.Code != 0 {
		// sdk code 19: the node's mempool cache already holds these
		// exact bytes, i.e. this very transaction was broadcast before.
		if res.Codespace == "sdk" && res.Code == 19 {
			s.AlreadyKnown = true
			return s, nil
		}
		return nil, &tx.RejectedError{Stage: tx.StageCheckTx, Hash: HashString(h), Code: res.Code, Codespace: res.Codespace, Log: res.Log}
	}
	return s, nil
}

// Wait polls the prover until the transaction is proven included, the
// timeout passes, or the prover's answer fails verification. A
// transaction included with a failing code is *tx.RejectedError with
// StageDeliver. When the wait ends without an answer, the transaction is
// looked up once more and, failing that, in the node's mempool, and the
// result is *tx.UnknownOutcomeError.
func (c *Confirmer) Wait(ctx context.Context, h []byte) (*tx.Inclusion, error) {
	poll, timeout := c.Poll, c.Timeout
	if poll <= 0 {
		poll = time.Second
	}
	if timeout <= 0 {
		timeout = 2 * time.Minute
	}
	deadline := time.Now().Add(timeout)
	var lastErr error
	for {
		inc, err := c.Prover.ProveTx(ctx, h)
		if err == nil {
			return settle(h, inc)
		}
		switch {
		case errors.Is(err, tx.ErrNotIncluded), errors.Is(err, tx.ErrNotYetProvable):
			lastErr = err
		case errkind.KindOf(err) == errkind.Verification:
			return nil, &tx.UnverifiedError{Hash: HashString(h), Reason: err}
		case ctx.Err() != nil:
			return nil, &tx.UnknownOutcomeError{Hash: HashString(h), Reason: ctx.Err()}
		default:
			// A network hiccup: keep trying until the deadline.
			lastErr = err
		}
		if time.Now().After(deadline) {
			return nil, c.unknown(ctx, h, lastErr)
		}
		select {
		case <-ctx.Done():
			return nil, &tx.UnknownOutcomeError{Hash: HashString(h), Reason: ctx.Err()}
		case <-time.After(poll):
		}
	}
}

func settle(h []byte, inc *tx.Inclusion) (*tx.Inclusion, error) {
	if !inc.Verified {
		return nil, &tx.UnverifiedError{Hash: HashString(h), Height: inc.Height, Reason: errors.New("the prover returned an unverified result")}
	}
	if inc.Code != 0 {
		return inc, &tx.RejectedError{Stage: tx.StageDeliver, Hash: HashString(h), Height: inc.Height, Code: inc.Code, Codespace: inc.Codespace, Log: inc.Log, Verified: true}
	}
	return inc, nil
}

// unknown builds the error for a wait that found nothing, after looking
// in the node's mempool (node-reported).
func (c *Confirmer) unknown(ctx context.Context, h []byte, cause error) error {
	e := &tx.UnknownOutcomeError{Hash: HashString(h), Reason: fmt.Errorf("not included within %s", c.timeout())}
	if cause != nil && !errors.Is(cause, tx.ErrNotIncluded) {
		e.Reason = fmt.Errorf("not confirmed within %s: %w", c.timeout(), cause)
		e.Network = errkind.KindOf(cause) == errkind.Network || isNetErr(cause)
	}
	in, err := c.InMempool(ctx, h)
	if err == nil {
		e.InPool = in
	}
	return e
}

func (c *Confirmer) timeout() time.Duration {
	if c.Timeout <= 0 {
		return 2 * time.Minute
	}
	return c.Timeout
}

// InMempool reports whether the node lists the transaction among its
// unconfirmed ones (the first 100). Node-reported.
func (c *Confirmer) InMempool(ctx context.Context, h []byte) (bool, error) {
	limit := 100
	res, err := c.Node.UnconfirmedTxs(ctx, &limit)
	if err != nil {
		return false, err
	}
	for _, t := range res.Txs {
		if bytes.Equal(t.Hash(), h) {
			return true, nil
		}
	}
	return false, nil
}

// Status is where a transaction stands, looked up by hash.
type Status struct {
	Inclusion *tx.Inclusion // set when proven included
	InMempool bool          // node-reported
}

// Lookup finds a transaction by hash without waiting: proven inclusion,
// or presence in the node's mempool.
func (c *Confirmer) Lookup(ctx context.Context, h []byte) (*Status, error) {
	inc, err := c.Prover.ProveTx(ctx, h)
	switch {
	case err == nil:
		if !inc.Verified {
			return nil, &tx.UnverifiedError{Hash: HashString(h), Height: inc.Height, Reason: errors.New("the prover returned an unverified result")}
		}
		return &Status{Inclusion: inc}, nil
	case errors.Is(err, tx.ErrNotIncluded), errors.Is(err, tx.ErrNotYetProvable):
	case errkind.KindOf(err) == errkind.Verification:
		return nil, &tx.UnverifiedError{Hash: HashString(h), Reason: err}
	default:
		return nil, err
	}
	in, err := c.InMempool(ctx, h)
	if err != nil {
		return nil, err
	}
	return &Status{InMempool: in}, nil
}

// Follow waits for a broadcast transaction. When the broadcast call
// itself failed, the wait is the lookup by hash: if the node did take the
// transaction it is found; if not, the result is *tx.UnknownOutcomeError
// and nothing is resent.
func (c *Confirmer) Follow(ctx context.Context, s *Submitted) (*tx.Inclusion, error) {
	if s.AlreadyKnown {
		c.notify("the node already had this exact transaction; waiting for it")
	}
	if s.Unconfirmed == nil {
		return c.Wait(ctx, s.Hash)
	}
	c.notify("the broadcast call failed (%v); looking the transaction up by its hash %s instead of sending it again", s.Unconfirmed, HashString(s.Hash))
	st, err := c.Lookup(ctx, s.Hash)
	if err == nil && st.Inclusion != nil {
		return settle(s.Hash, st.Inclusion)
	}
	wc := *c
	if err != nil || !st.InMempool {
		// Neither included nor pending: wait a little in case it is on
		// its way, but never resend.
		if wc.Timeout <= 0 || wc.Timeout > 30*time.Second {
			wc.Timeout = 30 * time.Second
		}
	}
	inc, err := wc.Wait(ctx, s.Hash)
	var ue *tx.UnknownOutcomeError
	if errors.As(err, &ue) {
		ue.Reason = fmt.Errorf("the broadcast call failed (%v) and the transaction was not found by its hash: %w", s.Unconfirmed, ue.Reason)
		ue.Network = ue.Network || isNetErr(s.Unconfirmed)
	}
	return inc, err
}

// Submit broadcasts and follows.
func (c *Confirmer) Submit(ctx context.Context, txBytes []byte) (*Submitted, *tx.Inclusion, error) {
	s, err := c.Broadcast(ctx, txBytes)
	if err != nil {
		return nil, nil, err
	}
	inc, err := c.Follow(ctx, s)
	return s, inc, err
}

func isNetErr(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	s := err.Error()
	for _, p := range []string{"connection refused", "connection reset", "EOF", "timeout", "no such host", "unreachable", "broken pipe"} {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}
