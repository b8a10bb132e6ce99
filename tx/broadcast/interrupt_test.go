package broadcast

import (
	"context"
	"errors"
	"testing"

	"github.com/akash-wallet/akw/tx"
)

// Interrupted (Ctrl-C) while broadcast_tx_sync is on the wire: the node
// may already hold the transaction, so the error must carry its hash for
// `akw tx status` (found by cmd/akw's TestFaults/BroadcastConnectionDropped,
// where the interrupted command used to say only "cancelled").
func TestInterruptedBroadcastKeepsHash(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	n := &fakeNode{err: context.Canceled}
	_, err := confirmer(n, &fakeProver{}).Broadcast(ctx, txBytes)
	var ue *tx.UnknownOutcomeError
	if !errors.As(err, &ue) || ue.Hash != HashString(Hash(txBytes)) || !errors.Is(err, context.Canceled) || n.broadcast != 1 {
		t.Fatalf("got %v (%d broadcasts)", err, n.broadcast)
	}
}
