package history

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"

	"cosmossdk.io/x/feegrant"
	"github.com/cosmos/cosmos-sdk/x/authz"
	"github.com/cosmos/gogoproto/proto"
	"golang.org/x/sync/errgroup"

	"github.com/akash-wallet/akw/lightclient"
)

// Queries are the tx_search queries (CometBFT event queries over the
// SDK v0.53 events) whose union is the history of addr:
//
//	message.sender          every transaction addr signed (baseapp's message event), and bank transfers from it
//	tx.fee_payer            every transaction addr paid the fee of, failed ones too (the ante handler's event survives a failure)
//	transfer.recipient      every transaction that paid addr: sends, rewards withdrawn to it
//	delegate.delegator      delegations made for addr (also through authz MsgExec, signed by another)
//	unbond.delegator        undelegations made for addr
//	withdraw_rewards.delegator  claims for addr, and the automatic claim of a redelegation (whose own event names no delegator)
//	proposal_vote.voter     votes cast as addr
//	cosmos.authz.v1beta1.EventGrant.grantee   authz grants addr received (signed by the granter)
//	cosmos.authz.v1beta1.EventRevoke.grantee  authz grants to addr revoked
//	set_feegrant.grantee    fee allowances addr received
//	revoke_feegrant.grantee fee allowances to addr revoked
//
// The authz events are typed events (EmitTypedEvent): their attribute
// values are JSON, so an address is indexed with its double quotes and
// is asked for with them. The feegrant events are plain.
//
// The node answers each from its own index; the union is node-reported:
// a node can leave a transaction out, and a node that indexes only some
// events (the SDK's index-events setting) finds less.
func Queries(addr string) []string {
	return []string{
		"message.sender='" + addr + "'",
		"tx.fee_payer='" + addr + "'",
		"transfer.recipient='" + addr + "'",
		"delegate.delegator='" + addr + "'",
		"unbond.delegator='" + addr + "'",
		"withdraw_rewards.delegator='" + addr + "'",
		"proposal_vote.voter='" + addr + "'",
		proto.MessageName(&authz.EventGrant{}) + ".grantee='\"" + addr + "\"'",
		proto.MessageName(&authz.EventRevoke{}) + ".grantee='\"" + addr + "\"'",
		feegrant.EventTypeSetFeeGrant + "." + feegrant.AttributeKeyGrantee + "='" + addr + "'",
		feegrant.EventTypeRevokeFeeGrant + "." + feegrant.AttributeKeyGrantee + "='" + addr + "'",
	}
}

// entry is one transaction as the node's index lists it: where it is
// and the result the node claims (held against the proven one).
type entry struct {
	Hash      string `json:"hash"` // upper-case hex
	Height    int64  `json:"height"`
	Index     uint32 `json:"index"`
	Code      uint32 `json:"code"`
	Data      []byte `json:"data,omitempty"`
	GasWanted int64  `json:"gas_wanted"`
	GasUsed   int64  `json:"gas_used"`
}

// newer orders entries newest first.
func newer(a, b entry) bool {
	if a.Height != b.Height {
		return a.Height > b.Height
	}
	return a.Index > b.Index
}

// perPage is CometBFT's largest tx_search page.
const perPage = 100

// maxListed bounds the entries one call lists, so that a node claiming
// endless results cannot keep akw busy forever.
const maxListed = 20_000

// stream pages through one query, newest first.
type stream struct {
	query string
	page  int
	buf   []entry
	done  bool
}

// listSpan lists the node's entries in heights [lo, hi], newest first,
// until it holds at least n of them (n < 0: all) and the last height it
// reached is complete. from is the lowest height from which on [lo, hi]
// is completely listed (lo when every query ran out).
func (l *Lister) listSpan(ctx context.Context, node lightclient.Node, addr string, lo, hi int64, n int) (out []entry, from int64, err error) {
	var streams []*stream
	for _, q := range Queries(addr) {
		streams = append(streams, &stream{query: q})
	}
	seen := map[string]bool{}
	for {
		// Every stream needs its head; refill the empty ones together.
		g, gctx := errgroup.WithContext(ctx)
		for _, s := range streams {
			if len(s.buf) == 0 && !s.done {
				g.Go(func() error { return l.fetch(gctx, node, s, lo, hi) })
			}
		}
		if err := g.Wait(); err != nil {
			return nil, 0, err
		}
		var best *stream
		for _, s := range streams {
			if len(s.buf) > 0 && (best == nil || newer(s.buf[0], best.buf[0])) {
				best = s
			}
		}
		if best == nil {
			return out, lo, nil
		}
		e := best.buf[0]
		if n >= 0 && len(out) >= n && e.Height < out[len(out)-1].Height {
			return out, out[len(out)-1].Height, nil
		}
		best.buf = best.buf[1:]
		if seen[e.Hash] {
			continue
		}
		seen[e.Hash] = true
		out = append(out, e)
		if len(out) > maxListed {
			return nil, 0, &ErrTooMany{Listed: maxListed}
		}
	}
}

// fetch reads the next page of s.
func (l *Lister) fetch(ctx context.Context, node lightclient.Node, s *stream, lo, hi int64) error {
	page, pp := s.page+1, perPage
	q := fmt.Sprintf("%s AND tx.height>=%d AND tx.height<=%d", s.query, lo, hi)
	res, err := node.TxSearch(ctx, q, false, &page, &pp, "desc")
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if strings.Contains(err.Error(), IndexDisabledMessage) {
			return &ErrIndexDisabled{Node: l.nodeURL(node)}
		}
		return &ErrNode{Node: l.nodeURL(node), Op: "tx_search " + q, Err: err}
	}
	if res == nil {
		return &ErrNode{Node: l.nodeURL(node), Op: "tx_search " + q, Err: errors.New("empty answer")}
	}
	s.page = page
	for _, r := range res.Txs {
		// Entries outside the range asked for, or without a hash, are
		// the node's own confusion; what is listed is node-reported
		// anyway.
		if r == nil || r.Height < lo || r.Height > hi || len(r.Hash) != 32 {
			continue
		}
		s.buf = append(s.buf, entry{
			Hash: strings.ToUpper(hex.EncodeToString(r.Hash)), Height: r.Height, Index: r.Index,
			Code: r.TxResult.Code, Data: r.TxResult.Data, GasWanted: r.TxResult.GasWanted, GasUsed: r.TxResult.GasUsed,
		})
	}
	sort.SliceStable(s.buf, func(i, j int) bool { return newer(s.buf[i], s.buf[j]) })
	if len(res.Txs) < perPage || page*perPage >= res.TotalCount || page*perPage > maxListed {
		s.done = true
	}
	return nil
}

// nodeURL names node in errors, when it can say.
func (l *Lister) nodeURL(node lightclient.Node) string {
	if r, ok := node.(interface{ Remote() string }); ok {
		return r.Remote()
	}
	if p, ok := l.headers.(interface{ PrimaryURL() string }); ok && l.node == nil {
		return p.PrimaryURL()
	}
	return ""
}
