package history

import (
	"context"
	"errors"
	"time"

	"github.com/akash-wallet/akw/lightclient"
)

// firstAtOrAfter is the lowest height in [lo, hi] whose block time is at
// or after t, or hi+1 when none is: a bisection over the node's headers
// (about log2(hi-lo) requests). The headers are the node's word: a
// lying node can shift a time bound and so leave rows out (as it can by
// leaving them out of its index), but every row shown carries the time
// of its verified header, and rows outside the asked times are dropped.
func (l *Lister) firstAtOrAfter(ctx context.Context, node lightclient.Node, t time.Time, lo, hi int64) (int64, error) {
	for lo <= hi {
		mid := lo + (hi-lo)/2
		h := mid
		res, err := node.Header(ctx, &h)
		if err != nil {
			return 0, l.nodeErr(ctx, node, "header", mid, err)
		}
		if res == nil || res.Header == nil {
			return 0, &ErrNode{Node: l.nodeURL(node), Op: "header", Err: errors.New("empty answer")}
		}
		if !res.Header.Time.Before(t) {
			hi = mid - 1
		} else {
			lo = mid + 1
		}
	}
	return lo, nil
}

// earliest is the lowest height the node says it has.
func (l *Lister) earliest(ctx context.Context, node lightclient.Node) (int64, error) {
	st, err := node.Status(ctx)
	if err != nil {
		return 0, l.nodeErr(ctx, node, "status", 0, err)
	}
	if st == nil || st.SyncInfo.EarliestBlockHeight < 1 {
		return 1, nil
	}
	return st.SyncInfo.EarliestBlockHeight, nil
}
