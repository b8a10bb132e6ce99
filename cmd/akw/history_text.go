package main

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/akash-wallet/akw/history"
)

// writeHistoryText renders `akw history` for people: each row with its
// time, height, type, result and proof status, its movements (a
// node-reported one labelled so), then where each part came from and
// what the cache did.
func writeHistoryText(app *App, w io.Writer, ans historyAnswer, rows bool) {
	p := ans.Page
	if rows {
		fmt.Fprintf(w, "History of %s on %s, newest first (heights %d-%d)\n", p.Address, p.ChainID, p.Range.From, p.Range.To)
		if len(p.Rows) == 0 {
			fmt.Fprintln(w, "  (no transactions listed)")
		}
		for _, r := range p.Rows {
			writeHistoryRow(app, w, r)
		}
	}
	if ans.CSV != nil {
		fmt.Fprintln(w, csvWords(ans))
		for _, n := range csvNotes(ans) {
			fmt.Fprintln(w, n)
		}
	}
	if rec := ans.Reconciliation; rec != nil {
		fmt.Fprintf(w, "balance: %s proven after block %d, %s after block %d: change %s; the rows' net %s (rewards in it node-reported)\n",
			app.coinText(rec.Before, rec.Denom), rec.From, app.coinText(rec.After, rec.Denom), rec.To,
			app.coinText(rec.After.Sub(rec.Before), rec.Denom), app.coinText(rec.Rows, rec.Denom))
		if rec.Difference.IsZero() {
			fmt.Fprintln(w, "  difference 0: the rows explain the proven balance change")
		} else {
			fmt.Fprintf(w, "  difference %s: the rows do not explain the proven change (a transaction the node's index left out, rewards its events misstate, or a change outside transactions such as an unbonding completing)\n",
				app.coinText(rec.Difference, rec.Denom))
		}
	}
	for _, line := range sourceLines(ans) {
		fmt.Fprintln(w, line)
	}
	if p.Next != "" {
		fmt.Fprintf(w, "next page: akw history %s --cursor %s\n", p.Address, p.Next)
	}
}

func writeHistoryRow(app *App, w io.Writer, r history.Row) {
	if r.Status != history.Proven {
		fmt.Fprintf(w, "\nheight %d  REFUSED (listed by the node, not proven): %s\n", r.Height, r.Reason)
		fmt.Fprintf(w, "  %-9s %s\n", "tx", r.Hash)
		return
	}
	result := "ok"
	if !r.Success {
		result = fmt.Sprintf("FAILED (code %d", r.Code)
		if r.Codespace != "" {
			result += ", " + r.Codespace
		}
		result += ")"
	}
	cached := ""
	if r.FromCache {
		cached = ", from the cache"
	}
	fmt.Fprintf(w, "\n%s  height %d  %s  %s  proven%s\n", r.Time.UTC().Format("2006-01-02 15:04:05 UTC"), r.Height, rowType(r), result, cached)
	line := func(label, value string) { fmt.Fprintf(w, "  %-9s %s\n", label, value) }
	for _, m := range r.Movements {
		label, value := movementWords(app, m)
		if !m.Verified {
			value += " (node-reported)"
		}
		line(label, value)
	}
	if r.Memo != "" {
		line("memo", r.Memo)
	}
	if r.Undecoded != "" {
		line("note", r.Undecoded)
	}
	// A row that moved nothing of the address's but its fee (a grant, a
	// fee allowance, a revocation, one the address received) says in
	// words what it did: its type alone would not.
	words := !slices.ContainsFunc(r.Movements, func(m history.Movement) bool { return m.Kind != history.KindFee })
	for _, m := range r.Messages {
		switch {
		case !m.Known:
			line("message", m.Summary+" (not decoded)")
		case words:
			line("what", m.Summary)
		}
	}
	line("tx", r.Hash)
}

// rowType is what a row did, by its movements (fees aside), else by its
// messages.
func rowType(r history.Row) string {
	var kinds []string
	seen := map[history.Kind]bool{}
	for _, m := range r.Movements {
		if m.Kind != history.KindFee && !seen[m.Kind] {
			seen[m.Kind] = true
			kinds = append(kinds, string(m.Kind))
		}
	}
	if len(kinds) > 0 {
		return strings.Join(kinds, "+")
	}
	for _, m := range r.Messages {
		u := m.Type[strings.LastIndex(m.Type, ".")+1:]
		kinds = append(kinds, strings.TrimPrefix(u, "Msg"))
	}
	if len(kinds) > 0 {
		return strings.ToLower(strings.Join(kinds, "+"))
	}
	return "fee"
}

func movementWords(app *App, m history.Movement) (string, string) {
	coins := app.coinsText(m.Coins)
	to := func(prep string) string {
		if m.Counterparty == "" {
			return ""
		}
		return " " + prep + " " + m.Counterparty
	}
	detail := ""
	if m.Detail != "" {
		detail = " (" + m.Detail + ")"
	}
	switch m.Kind {
	case history.KindSend, history.KindReceive:
		verb, prep := "sent", "to"
		if m.Kind == history.KindReceive {
			verb, prep = "received", "from"
		}
		if m.Vesting != nil { // what the coins are locked by
			return verb, coins + to(prep) + detail
		}
		return verb, coins + to(prep)
	case history.KindDelegate:
		return "delegated", coins + to("to")
	case history.KindUndelegate:
		return "unbonding", coins + to("from") + " (returns to the balance when unbonding completes)"
	case history.KindRedelegate:
		return "moved", coins + to("to") + detail
	case history.KindReward:
		return "rewards", coins + to("from")
	case history.KindFee:
		return "fee", coins
	case history.KindVote:
		return "vote", strings.TrimPrefix(detail, " ")
	case history.KindDeposit:
		return "deposit", coins + to("to") + detail
	}
	return string(m.Kind), coins + to("with") + detail
}

// csvWords says what an export wrote.
func csvWords(ans historyAnswer) string {
	c := ans.CSV
	where := c.Path
	if where == "-" {
		where = "stdout"
	}
	s := fmt.Sprintf("csv: %d lines for %d proven transactions written to %s (heights %d-%d, oldest first)", c.Lines, c.Transactions, where, ans.Range.From, ans.Range.To)
	if len(c.Refused) > 0 {
		s += fmt.Sprintf("; %d refused rows left out: %s", len(c.Refused), strings.Join(c.Refused, ", "))
	}
	return s
}

// csvNotes say what an export does not hold that its reader may expect:
// the return of the governance deposits it writes as sent.
func csvNotes(ans historyAnswer) []string {
	c := ans.CSV
	if c.GovDeposits == 0 {
		return nil
	}
	s := fmt.Sprintf("csv: %d governance deposit lines", c.GovDeposits)
	if len(c.GovProposals) > 0 {
		ids := make([]string, len(c.GovProposals))
		for i, id := range c.GovProposals {
			ids[i] = strconv.FormatUint(id, 10)
		}
		s += " (proposals " + strings.Join(ids, ", ") + ")"
	}
	return []string{s + ": " + history.GovDepositNote}
}

// sourceLines say where each part of the answer came from, and what the
// cache did.
func sourceLines(ans historyAnswer) []string {
	p := ans.Page
	proven := len(p.Rows) - p.Refused
	out := []string{
		"list: node-reported (the node's transaction index; no header proves it complete: a node can leave a transaction out)",
		fmt.Sprintf("rows: %d proven (bytes and block against the DataHash of verified header H, result code against the LastResultsHash of H+1), %d refused", proven, p.Refused),
		"rewards paid out, and whether a failed transaction's fee was charged: node-reported (the node's events)",
	}
	c := p.Cache
	cache := fmt.Sprintf("cache: %d rows proven now, %d read from the cache", c.ProvenNow, c.ProvenFromCache)
	if len(c.ListedFromCache) > 0 {
		cache += "; heights " + spans(c.ListedFromCache) + " listed from the cache"
	}
	if len(c.ListedFromNode) > 0 {
		cache += "; heights " + spans(c.ListedFromNode) + " listed by the node now"
	}
	if !c.Network {
		cache += "; no node was asked"
	}
	if c.Path != "" {
		cache += " (" + c.Path + ")"
	}
	out = append(out, cache)
	if len(c.Mismatches) > 0 {
		out = append(out, "WARNING: cached rows differ from their fresh proof, now replaced: "+strings.Join(c.Mismatches, ", "))
	}
	return out
}

func spans(ss []history.Span) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = s.String()
	}
	return strings.Join(parts, ", ")
}
