package history

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-wallet/akw/tx/amount"
)

// CSVHeader is the first line of the CSV export: Koinly's universal
// format, which other tax tools read too. The columns are described in
// the package comment.
var CSVHeader = []string{
	"Date", "Sent Amount", "Sent Currency", "Received Amount", "Received Currency",
	"Fee Amount", "Fee Currency", "Net Worth Amount", "Net Worth Currency",
	"Label", "Description", "TxHash",
}

// CSV labels.
const (
	LabelReward       = "staking reward"
	LabelDelegation   = "delegation"
	LabelUndelegation = "undelegation"
	LabelTransfer     = "transfer"
	LabelFee          = "fee"
	LabelVote         = "vote"
	// LabelGovDeposit: tokens that left the balance for a governance
	// proposal. Not a transfer to anyone: the gov module holds them and
	// returns them (or burns them) when the vote ends, in no transaction
	// of the address, so no line of the export shows the return.
	LabelGovDeposit = "governance deposit"
	// LabelVesting: coins sent to (or received into) a new vesting
	// account, locked by its schedule (Description says which).
	LabelVesting = "vesting"
)

// CSVSummary says what WriteCSV wrote.
type CSVSummary struct {
	Lines        int `json:"lines"`
	Transactions int `json:"transactions"`
	// Refused are the hashes of refused rows, which are not written.
	Refused []string `json:"refused,omitempty"`
	// GovDeposits counts the lines of governance deposits, sent; their
	// return or burn is in no line (GovDepositNote, in Notes).
	// GovProposals are the proposals they were made on, where known.
	GovDeposits  int      `json:"gov_deposits,omitempty"`
	GovProposals []uint64 `json:"gov_deposit_proposals,omitempty"`
	// Notes say what the export does not hold that a reader may expect.
	Notes []string `json:"notes,omitempty"`
}

// WriteCSV writes rows (as List or All return them, newest first) to w,
// oldest first, one line per movement, in the layout of CSVHeader. Only
// proven rows are written; refused ones are listed in the summary. d is
// the chain's token with the tokens whose units the chain's proven
// metadata states (wallet.Session.DenomsFor of Denoms(rows)): each is
// written in its display unit with exactly its exponent's decimals
// ("1.500000", "AKT"; "10000.000000", "ACT"); any other denom as it is,
// in its base unit, its full denom the currency.
func WriteCSV(w io.Writer, rows []Row, d amount.Denoms) (*CSVSummary, error) {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return nil, err
	}
	sum := &CSVSummary{}
	for i := len(rows) - 1; i >= 0; i-- {
		r := rows[i]
		if r.Status != Proven {
			sum.Refused = append(sum.Refused, r.Hash)
			continue
		}
		lines := csvLines(r, d)
		for _, l := range lines {
			if err := cw.Write(l); err != nil {
				return nil, err
			}
			if l[9] == LabelGovDeposit {
				sum.GovDeposits++
			}
		}
		for _, m := range r.Movements {
			if m.Kind == KindDeposit && m.Counterparty == CounterpartyGov && m.Proposal != 0 && !slices.Contains(sum.GovProposals, m.Proposal) {
				sum.GovProposals = append(sum.GovProposals, m.Proposal)
			}
		}
		if len(lines) > 0 {
			sum.Transactions++
			sum.Lines += len(lines)
		}
	}
	if sum.GovDeposits > 0 {
		slices.Sort(sum.GovProposals)
		sum.Notes = append(sum.Notes, GovDepositNote)
	}
	cw.Flush()
	return sum, cw.Error()
}

// csvLines are the lines of one proven row.
func csvLines(r Row, d amount.Denoms) [][]string {
	date := r.Time.UTC().Format("2006-01-02 15:04:05") + " UTC"
	var suffix []string
	if r.Memo != "" {
		suffix = append(suffix, "memo: "+oneLine(r.Memo))
	}
	if !r.Success {
		suffix = append(suffix, fmt.Sprintf("failed (code %d): nothing but the fee", r.Code))
	}
	if r.Undecoded != "" {
		suffix = append(suffix, "not decoded: "+oneLine(r.Undecoded))
	}
	line := func(label, desc string) []string {
		// The description starts with akw's own words, never with the
		// memo (which anyone who sends to the address chooses): a cell
		// starting with "=", "+", "-" or "@" is a formula to a
		// spreadsheet.
		parts := append([]string{desc}, suffix...)
		return []string{date, "", "", "", "", "", "", "", "", label, strings.Join(parts, "; "), r.Hash}
	}
	for _, m := range r.Movements {
		if m.Kind == KindFee && !m.Verified {
			suffix = append(suffix, "fee charged as the node reports")
		}
	}
	var out [][]string
	var fee sdk.Coins
	for _, m := range r.Movements {
		if m.Kind == KindFee {
			fee = fee.Add(m.Coins...)
			continue
		}
		desc := describeMovement(m, d)
		if m.Direction == None || len(m.Coins) == 0 {
			l := line(labelOf(m), desc)
			out = append(out, l)
			continue
		}
		for _, c := range m.Coins {
			l := line(labelOf(m), desc)
			a, cur := csvAmount(c, d)
			if m.Direction == Out {
				l[1], l[2] = a, cur
			} else {
				l[3], l[4] = a, cur
			}
			out = append(out, l)
		}
	}
	if len(out) == 0 && !fee.IsZero() {
		desc := "fee"
		if len(r.Messages) > 0 {
			summaries := make([]string, 0, len(r.Messages))
			for _, m := range r.Messages {
				summaries = append(summaries, m.Summary)
			}
			desc = "fee of: " + strings.Join(summaries, "; ")
		}
		out = append(out, line(LabelFee, desc))
	}
	// The fee goes on the transaction's first line (the chain's own
	// denom first); a fee in more than one denom takes a line of its own
	// for each further denom.
	ordered := make([]sdk.Coin, 0, len(fee))
	for _, c := range fee {
		if c.Denom == d.Base {
			ordered = append([]sdk.Coin{c}, ordered...)
		} else {
			ordered = append(ordered, c)
		}
	}
	for i, c := range ordered {
		a, cur := csvAmount(c, d)
		if i == 0 && len(out) > 0 {
			out[0][5], out[0][6] = a, cur
			continue
		}
		l := line(LabelFee, "fee")
		l[5], l[6] = a, cur
		out = append(out, l)
	}
	// A line that moves nothing (an undelegation someone else paid the
	// fee of) would be refused by tax tools; it is left out.
	kept := out[:0]
	for _, l := range out {
		if l[1] != "" || l[3] != "" || l[5] != "" {
			kept = append(kept, l)
		}
	}
	return kept
}

func labelOf(m Movement) string {
	switch m.Kind {
	case KindDeposit:
		if m.Counterparty == CounterpartyGov {
			return LabelGovDeposit
		}
		// A contribution to the community pool or a validator's
		// rewards pool: tokens given away for good.
		return LabelTransfer
	case KindSend, KindReceive:
		if m.Vesting != nil {
			return LabelVesting
		}
		return LabelTransfer
	case KindDelegate, KindRedelegate:
		return LabelDelegation
	case KindUndelegate:
		return LabelUndelegation
	case KindReward:
		return LabelReward
	case KindVote:
		return LabelVote
	}
	return LabelFee
}

func describeMovement(m Movement, d amount.Denoms) string {
	var s string
	switch m.Kind {
	case KindSend:
		s = "send to " + m.Counterparty
	case KindReceive:
		s = "received from " + m.Counterparty
	case KindDelegate:
		s = "delegation to " + m.Counterparty
	case KindUndelegate:
		s = "undelegation of " + amount.FormatCoins(m.Coins, d) + " from " + m.Counterparty
	case KindRedelegate:
		s = "redelegation of " + amount.FormatCoins(m.Coins, d)
	case KindReward:
		s = "staking rewards"
	case KindVote:
		s = "vote"
	case KindDeposit:
		// The detail says it all: "deposit on proposal 4", "initial
		// deposit of a new proposal".
		s = "deposit"
		if m.Detail != "" {
			s = oneLine(m.Detail)
		}
		if m.Counterparty == CounterpartyGov {
			// A tax tool reads a sent line as gone for good: say that
			// the return is not in the export (GovDepositNote).
			s += "; held by the gov module: its return or burn when the vote ends is in no transaction and not in this export"
		}
		return s
	default:
		s = "other"
	}
	if m.Detail != "" {
		s += " (" + oneLine(m.Detail) + ")"
	}
	return s
}

// csvAmount writes a coin: the chain's token, or a token of d.Tokens (the
// units the chain's proven metadata states, ACT), in its display unit
// with all its decimals ("1.500000", "AKT"); anything else as it is, in
// base units with its full denom as the currency. A currency is always
// in one unit: the same d is used for the whole export.
func csvAmount(c sdk.Coin, d amount.Denoms) (string, string) {
	if t, ok := d.Lookup(c.Denom); ok {
		return fixed(c.Amount, t.Exponent), strings.ToUpper(t.Display)
	}
	return c.Amount.String(), c.Denom
}

// Denoms lists the denoms rows move or pay fees in, sorted: those whose
// proven metadata the caller fetches (wallet.Session.DenomsFor) to pass
// the units WriteCSV writes them in.
func Denoms(rows []Row) []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range rows {
		for _, m := range r.Movements {
			for _, c := range m.Coins {
				if !seen[c.Denom] {
					seen[c.Denom] = true
					out = append(out, c.Denom)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// fixed writes v × 10^-exp with exactly exp decimals.
func fixed(v sdkmath.Int, exp int) string {
	s := v.Abs().String()
	if len(s) <= exp {
		s = strings.Repeat("0", exp-len(s)+1) + s
	}
	s = s[:len(s)-exp] + "." + s[len(s)-exp:]
	if v.IsNegative() {
		s = "-" + s
	}
	return s
}

func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' {
			return ' '
		}
		return r
	}, s)
}
