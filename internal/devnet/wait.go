package devnet

import (
	"context"
	"fmt"
	"time"
)

// LatestHeight returns validator i's latest block height.
func (n *Network) LatestHeight(ctx context.Context, i int) (int64, error) {
	st, err := n.rpc[i].Status(ctx)
	if err != nil {
		return 0, err
	}
	return st.SyncInfo.LatestBlockHeight, nil
}

// WaitForHeight waits until every validator has committed block h.
func (n *Network) WaitForHeight(ctx context.Context, h int64) error {
	for i := range n.vals {
		if err := n.waitHeight(ctx, i, h); err != nil {
			return err
		}
	}
	return nil
}

// WaitForNextBlock waits until every validator has committed the block after
// validator0's current one, and returns that height.
func (n *Network) WaitForNextBlock(ctx context.Context) (int64, error) {
	h, err := n.LatestHeight(ctx, 0)
	if err != nil {
		return 0, err
	}
	return h + 1, n.WaitForHeight(ctx, h+1)
}

// WaitForAppHeight waits until every validator's application has committed
// block h, so that queries at the latest height see its transactions. (A
// node's RPC status shows a block as soon as it is stored, a moment before
// the application has committed it.)
func (n *Network) WaitForAppHeight(ctx context.Context, h int64) error {
	for i := range n.vals {
		if err := n.poll(ctx, func() (int64, error) {
			res, err := n.rpc[i].ABCIInfo(ctx)
			if err != nil {
				return 0, err
			}
			return res.Response.LastBlockHeight, nil
		}, h); err != nil {
			return err
		}
	}
	return nil
}

func (n *Network) waitHeight(ctx context.Context, i int, h int64) error {
	return n.poll(ctx, func() (int64, error) { return n.LatestHeight(ctx, i) }, h)
}

// poll calls height until it reaches h.
func (n *Network) poll(ctx context.Context, height func() (int64, error), h int64) error {
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	var lastErr error
	for {
		select {
		case <-n.stopped:
			return ErrStopped
		default:
		}
		got, err := height()
		if err == nil && got >= h {
			return nil
		}
		if err != nil {
			lastErr = err
		}
		select {
		case <-ctx.Done():
			if lastErr != nil {
				return fmt.Errorf("%w (last RPC error: %v)", ctx.Err(), lastErr)
			}
			return ctx.Err()
		case <-t.C:
		}
	}
}
