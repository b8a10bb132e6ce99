package broadcast

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	coretypes "github.com/cometbft/cometbft/rpc/core/types"
	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/tx"
)

// The devnet tests drive the real node; these cover the answers a real
// node gives only under races (a transaction already in the mempool
// cache) and the prover's failure kinds.

type fakeNode struct {
	res       *coretypes.ResultBroadcastTx
	err       error
	pool      []cmttypes.Tx
	broadcast int
}

func (n *fakeNode) BroadcastTxSync(_ context.Context, t cmttypes.Tx) (*coretypes.ResultBroadcastTx, error) {
	n.broadcast++
	return n.res, n.err
}

func (n *fakeNode) UnconfirmedTxs(context.Context, *int) (*coretypes.ResultUnconfirmedTxs, error) {
	return &coretypes.ResultUnconfirmedTxs{Txs: n.pool}, nil
}

type fakeProver struct {
	after int // answer included after this many calls
	inc   *tx.Inclusion
	err   error
	calls int
}

func (p *fakeProver) ProveTx(context.Context, []byte) (*tx.Inclusion, error) {
	p.calls++
	if p.err != nil {
		return nil, p.err
	}
	if p.calls <= p.after {
		return nil, fmt.Errorf("%w: not yet", tx.ErrNotIncluded)
	}
	return p.inc, nil
}

type verr struct{}

func (verr) Error() string      { return "DataHash mismatch" }
func (verr) Kind() errkind.Kind { return errkind.Verification }

var txBytes = []byte("a signed transaction")

// confirmer is for waits that end with the prover's answer: its timeout
// is far beyond the few polls they take, so a loaded machine cannot turn
// an inclusion into an unknown outcome.
func confirmer(n *fakeNode, p *fakeProver) *Confirmer {
	return &Confirmer{Node: n, Prover: p, Poll: time.Millisecond, Timeout: time.Minute}
}

// timingOut is for waits that must end by the timeout: the prover never
// finds the transaction.
func timingOut(n *fakeNode, p *fakeProver) *Confirmer {
	c := confirmer(n, p)
	c.Timeout = 200 * time.Millisecond
	return c
}

func TestAlreadyInCache(t *testing.T) {
	ctx := context.Background()
	inc := &tx.Inclusion{Height: 9, Verified: true}
	// CometBFT's own cache answer, as an RPC error.
	n := &fakeNode{err: errors.New("RPC error -32603 - Internal error: tx already exists in cache")}
	s, got, err := confirmer(n, &fakeProver{after: 2, inc: inc}).Submit(ctx, txBytes)
	if err != nil || !s.AlreadyKnown || got.Height != 9 || n.broadcast != 1 {
		t.Fatalf("cache error: %+v %+v %v (%d broadcasts)", s, got, err, n.broadcast)
	}
	// The SDK's answer: code 19 in codespace sdk.
	n = &fakeNode{res: &coretypes.ResultBroadcastTx{Code: 19, Codespace: "sdk", Log: "tx already in mempool"}}
	s, got, err = confirmer(n, &fakeProver{inc: inc}).Submit(ctx, txBytes)
	if err != nil || !s.AlreadyKnown || got.Height != 9 {
		t.Fatalf("code 19: %+v %+v %v", s, got, err)
	}
}

func TestCheckTxRejected(t *testing.T) {
	n := &fakeNode{res: &coretypes.ResultBroadcastTx{Code: 5, Codespace: "sdk", Log: "insufficient funds"}}
	_, _, err := confirmer(n, &fakeProver{}).Submit(context.Background(), txBytes)
	var re *tx.RejectedError
	if !errors.As(err, &re) || re.Stage != tx.StageCheckTx || errkind.KindOf(err) != errkind.Rejected || re.Hint() == "" {
		t.Fatalf("got %v", err)
	}
}

func TestDeliverFailure(t *testing.T) {
	n := &fakeNode{res: &coretypes.ResultBroadcastTx{}}
	inc := &tx.Inclusion{Height: 4, Code: 11, Codespace: "sdk", Log: "out of gas", Verified: true}
	_, got, err := confirmer(n, &fakeProver{inc: inc}).Submit(context.Background(), txBytes)
	var re *tx.RejectedError
	if !errors.As(err, &re) || re.Stage != tx.StageDeliver || !re.Verified || got == nil || got.Height != 4 {
		t.Fatalf("got %+v %v", got, err)
	}
}

func TestVerificationFailureStops(t *testing.T) {
	n := &fakeNode{res: &coretypes.ResultBroadcastTx{}}
	p := &fakeProver{err: verr{}}
	_, _, err := confirmer(n, p).Submit(context.Background(), txBytes)
	if errkind.KindOf(err) != errkind.Verification || p.calls != 1 {
		t.Fatalf("got %v after %d calls", err, p.calls)
	}
	// An unverified inclusion is never reported as a result.
	_, _, err = confirmer(n, &fakeProver{inc: &tx.Inclusion{Height: 3}}).Submit(context.Background(), txBytes)
	if errkind.KindOf(err) != errkind.Verification {
		t.Fatalf("unverified inclusion: %v", err)
	}
}

func TestTimeoutLooksInMempool(t *testing.T) {
	n := &fakeNode{res: &coretypes.ResultBroadcastTx{}, pool: []cmttypes.Tx{[]byte("other"), txBytes}}
	_, _, err := timingOut(n, &fakeProver{after: 1 << 30}).Submit(context.Background(), txBytes)
	var ue *tx.UnknownOutcomeError
	if !errors.As(err, &ue) || !ue.InPool || ue.Hash != HashString(Hash(txBytes)) || n.broadcast != 1 {
		t.Fatalf("got %v (%d broadcasts)", err, n.broadcast)
	}
}

func TestDroppedAnswerFoundByHash(t *testing.T) {
	n := &fakeNode{err: errors.New("read tcp 127.0.0.1:1: connection reset by peer")}
	inc := &tx.Inclusion{Height: 12, Verified: true}
	s, got, err := confirmer(n, &fakeProver{inc: inc}).Submit(context.Background(), txBytes)
	if err != nil || s.Unconfirmed == nil || got.Height != 12 || n.broadcast != 1 {
		t.Fatalf("got %+v %+v %v", s, got, err)
	}
	n = &fakeNode{err: errors.New("read tcp 127.0.0.1:1: connection reset by peer")}
	_, _, err = timingOut(n, &fakeProver{after: 1 << 30}).Submit(context.Background(), txBytes)
	var ue *tx.UnknownOutcomeError
	if !errors.As(err, &ue) || !ue.Network || errkind.KindOf(err) != errkind.Network || n.broadcast != 1 {
		t.Fatalf("got %v", err)
	}
}
