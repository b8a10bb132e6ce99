package history

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/akash-wallet/akw/lightclient"
)

// pageOf reads the paging fields of q.
func pageOf(q Query, all bool) (limit, skip int, cur *cursor, err error) {
	if all {
		return 0, 0, nil, nil
	}
	limit = q.Limit
	switch {
	case limit == 0:
		limit = DefaultLimit
	case limit < 0 || limit > MaxLimit:
		return 0, 0, nil, &ErrQuery{Reason: fmt.Sprintf("limit %d is not between 1 and %d", q.Limit, MaxLimit), Fix: fmt.Sprintf("give a --limit from 1 to %d", MaxLimit)}
	}
	if q.Page < 0 {
		return 0, 0, nil, &ErrQuery{Reason: fmt.Sprintf("page %d", q.Page), Fix: "pages count from 1"}
	}
	if q.Cursor != "" {
		if q.Page > 1 {
			return 0, 0, nil, &ErrQuery{Reason: "both a page and a cursor were given", Fix: "give --page or the cursor of the previous page, not both"}
		}
		c, err := parseCursor(q.Cursor)
		if err != nil {
			return 0, 0, nil, err
		}
		return limit, 0, c, nil
	}
	if q.Page > 1 {
		skip = (q.Page - 1) * limit
	}
	return limit, skip, nil, nil
}

// cursor is the position of the last row of a page: the next page holds
// what is strictly older.
type cursor struct {
	Height int64
	Index  uint32
}

func (c cursor) String() string { return fmt.Sprintf("%d.%d", c.Height, c.Index) }

func parseCursor(s string) (*cursor, error) {
	h, i, ok := strings.Cut(s, ".")
	height, err1 := strconv.ParseInt(h, 10, 64)
	index, err2 := strconv.ParseUint(i, 10, 32)
	if !ok || err1 != nil || err2 != nil || height < 1 {
		return nil, &ErrQuery{Reason: fmt.Sprintf("cursor %q is not HEIGHT.INDEX", s), Fix: "pass the cursor exactly as the previous page gave it"}
	}
	return &cursor{Height: height, Index: uint32(index)}, nil
}

// before reports whether e is strictly older than the cursor.
func (c *cursor) before(e entry) bool {
	return c == nil || e.Height < c.Height || (e.Height == c.Height && e.Index < c.Index)
}

// resolveRange turns the query's bounds into heights [lo, hi]. Time bounds
// are found on the node's headers (node-reported, remembered in the
// cache); the open top is the newest height whose next header is
// verified.
func (l *Lister) resolveRange(ctx context.Context, q Query, c *cache, nodeFn func(string) (lightclient.Node, error)) (int64, int64, error) {
	if q.FromHeight < 0 || q.ToHeight < 0 || (q.ToHeight > 0 && q.FromHeight > q.ToHeight) || (!q.Since.IsZero() && !q.Until.IsZero() && q.Since.After(q.Until)) {
		return 0, 0, &ErrQuery{Reason: "the range is empty or negative", Fix: "give --since before --until (and heights likewise)"}
	}
	lo, hi := max(q.FromHeight, 1), q.ToHeight
	var top, base int64 // newest provable height, lowest the node has; asked once
	bounds := func(what string) error {
		if top > 0 {
			return nil
		}
		node, err := nodeFn(what)
		if err != nil {
			return err
		}
		lb, err := l.headers.Latest(ctx)
		if err != nil {
			return err
		}
		top = lb.Height - 1
		base, err = l.earliest(ctx, node)
		return err
	}
	timeBound := func(kind string, t time.Time) (int64, error) {
		key := kind + ":" + t.UTC().Format(time.RFC3339Nano)
		if h, ok := c.body.Anchors[key]; ok && !q.Refresh {
			return h, nil
		}
		if err := bounds("the height of " + key); err != nil {
			return 0, err
		}
		node, err := nodeFn(key)
		if err != nil {
			return 0, err
		}
		at := t
		if kind == "until" {
			at = t.Add(time.Nanosecond)
		}
		h, err := l.firstAtOrAfter(ctx, node, at, base, top)
		if err != nil {
			return 0, err
		}
		if kind == "until" {
			h--
		}
		// Remember only bounds that later blocks cannot move, nor a node
		// that keeps older blocks (h at this node's base may be lower
		// on an archive node).
		if (h > base || base == 1) && h < top {
			if c.body.Anchors == nil {
				c.body.Anchors = map[string]int64{}
			}
			c.body.Anchors[key] = h
		}
		return h, nil
	}
	if !q.Until.IsZero() {
		h, err := timeBound("until", q.Until)
		if err != nil {
			return 0, 0, err
		}
		if hi == 0 || h < hi {
			hi = h
		}
	}
	if !q.Since.IsZero() {
		h, err := timeBound("since", q.Since)
		if err != nil {
			return 0, 0, err
		}
		lo = max(lo, h)
	}
	switch {
	case hi == 0 && q.Offline:
		hi = c.maxCovered()
		if hi == 0 {
			return 0, 0, &ErrNotCached{Address: c.body.Address, What: "any range"}
		}
		if hi < lo {
			// Above everything cached: not an empty history, an
			// unknown one.
			return 0, 0, &ErrNotCached{Address: c.body.Address, What: fmt.Sprintf("heights from %d (it ends at %d)", lo, hi)}
		}
	case hi == 0 || !c.coversAll(lo, hi) || q.Refresh:
		// The node will be asked: nothing above the newest provable
		// height can be listed.
		if q.Offline {
			return 0, 0, &ErrNotCached{Address: c.body.Address, What: fmt.Sprintf("heights %d-%d", lo, hi)}
		}
		if err := bounds("the newest height"); err != nil {
			return 0, 0, err
		}
		if hi == 0 || hi > top {
			hi = top
		}
	}
	return lo, hi, nil
}

// coversAll reports whether [lo, hi] is completely listed in the cache.
func (c *cache) coversAll(lo, hi int64) bool {
	for h := hi; h >= lo; {
		s, ok := c.covering(h)
		if !ok {
			return false
		}
		h = s.From - 1
	}
	return true
}
