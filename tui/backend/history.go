package backend

import (
	"context"
	"fmt"
	"strings"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-wallet/akw/history"
	"github.com/akash-wallet/akw/tui"
	"github.com/akash-wallet/akw/tx/amount"
	"github.com/akash-wallet/akw/wallet"
)

// historyPageSize is the rows of one page of the history screen: what a
// terminal shows at once, and few enough heights to prove per page.
const historyPageSize = 20

// History lists one page of addr's history through the wallet (the
// history library: the node's index, each row proven or refused, the
// cache under --home) and says each row in the screen's words.
func (b *Backend) History(ctx context.Context, addr, cursor string) (*tui.HistoryPage, error) {
	p, err := b.s.History(ctx, history.Query{Address: addr, Limit: historyPageSize, Cursor: cursor})
	if err != nil {
		return nil, err
	}
	out := &tui.HistoryPage{Address: p.Address, Next: p.Next, Cache: cacheWords(p.Cache)}
	for _, r := range p.Rows {
		out.Rows = append(out.Rows, historyRow(r, addr, b.s.Denoms()))
	}
	return out, nil
}

// historyRow says one row: a refused row keeps only where the node put it
// and why; a proven row whose amount comes from the node's events (the
// rewards a claim paid out) is node-reported, and says which part.
func historyRow(r history.Row, addr string, d amount.Denoms) tui.HistoryRow {
	row := tui.HistoryRow{Hash: r.Hash, Height: r.Height, Time: r.Time, FromCache: r.FromCache, Status: tui.HistoryProven}
	if r.Status != history.Proven {
		row.Status, row.Reason = tui.HistoryRefused, "refused: "+r.Reason+" (the node listed it; nothing of it is shown)"
		return row
	}
	row.Failed, row.Code, row.Memo = !r.Success, r.Code, r.Memo
	var what []string
	for _, m := range r.Messages {
		what = append(what, m.Summary)
	}
	if r.Undecoded != "" {
		what = append(what, "not readable: "+r.Undecoded)
	}
	row.What = strings.Join(what, "; ")
	var in, out sdk.Coins
	var reported []string
	for _, m := range r.Movements {
		if !m.Verified {
			reported = append(reported, string(m.Kind)+" "+amount.FormatCoins(m.Coins, d))
		}
		if m.Kind == history.KindFee {
			continue
		}
		switch m.Direction {
		case history.In:
			in = in.Add(m.Coins...)
		case history.Out:
			out = out.Add(m.Coins...)
		}
	}
	var amt []string
	if !in.IsZero() {
		amt = append(amt, "+"+amount.FormatCoins(in, d))
	}
	if !out.IsZero() {
		amt = append(amt, "-"+amount.FormatCoins(out, d))
	}
	row.Amount = strings.Join(amt, " ")
	if len(reported) > 0 {
		row.Status = tui.HistoryNodeReported
		row.Amount += "*"
		row.Reason = "* node-reported: " + strings.Join(reported, ", ") +
			" (from the node's events; the transaction itself is proven)"
	}
	if !r.Fee.IsZero() {
		row.Fee = amount.FormatCoins(r.Fee, d)
		if r.FeePayer != "" && r.FeePayer != addr {
			row.Fee += ", paid by " + r.FeePayer + " (not this address)"
		}
	}
	return row
}

// cacheWords says where a page came from: the local cache of proven
// history, the network, or both.
func cacheWords(c history.CacheReport) string {
	s := fmt.Sprintf("%d from the cache, %d proven now", c.ProvenFromCache, c.ProvenNow)
	if !c.Network {
		s += "; no node asked"
	}
	if c.Rebuilt != "" {
		s += "; cache rebuilt: " + c.Rebuilt
	}
	return s
}

// Contacts reads the address book under --home.
func (b *Backend) Contacts(ctx context.Context) ([]tui.Contact, error) {
	book, err := b.s.Contacts()
	if err != nil {
		return nil, err
	}
	cs, err := wallet.Blocking(ctx, book.List)
	if err != nil {
		return nil, err
	}
	out := make([]tui.Contact, 0, len(cs))
	for _, c := range cs {
		out = append(out, tui.Contact{Name: c.Name, Address: c.Address, Memo: c.Memo})
	}
	return out, nil
}
