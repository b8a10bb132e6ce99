package history

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"cosmossdk.io/x/feegrant"
	"github.com/cosmos/cosmos-sdk/x/authz"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	govv1beta1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1beta1"

	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/amount"
	"github.com/akash-wallet/akw/tx/ops"
)

// Words for grants, fee allowances and proposals in the history. What a
// grant or an allowance lets its grantee do is said in the words of the
// transaction review (tx/ops), so that a row reads as the review did
// before it was signed. Those words speak to the granter: "your tokens"
// are the granter's.

// describeGrant reads a MsgGrant: who lets whom do what, until when.
func (d *Decoder) describeGrant(m *authz.MsgGrant) string {
	head := fmt.Sprintf("grant from %s to %s (authz): ", m.Granter, m.Grantee)
	terms, known := d.grantTerms(m)
	if !known {
		return head + terms
	}
	return head + "the grantee may " + terms
}

// grantTerms are what a grant lets its grantee do and until when, in the
// review's words; known is false when akw cannot read the authorization,
// and terms then say so.
func (d *Decoder) grantTerms(m *authz.MsgGrant) (terms string, known bool) {
	a, err := m.Grant.GetAuthorization()
	if err != nil || a == nil {
		typ := "(none)"
		if m.Grant.Authorization != nil {
			typ = m.Grant.Authorization.TypeUrl
		}
		// ops.DescribeAuthorization needs the message type an unknown
		// authorization governs, which only its own codec could read.
		return "an authorization of type " + typ + " that akw does not know (its terms are not shown)", false
	}
	return ops.DescribeAuthorization(a, a.MsgTypeURL(), d.denoms, address.For(d.prefix)) +
		"; until " + ops.DescribeUntil(m.Grant.Expiration, time.Time{}), true
}

// describeRevoke reads a MsgRevoke.
func describeRevoke(m *authz.MsgRevoke) string {
	return fmt.Sprintf("revoke the grant from %s to %s (authz): the grantee may no longer %s", m.Granter, m.Grantee, ops.MsgAction(m.MsgTypeUrl))
}

// describeAllowance reads a MsgGrantAllowance.
func (d *Decoder) describeAllowance(m *feegrant.MsgGrantAllowance) string {
	head := fmt.Sprintf("fee allowance from %s to %s: ", m.Granter, m.Grantee)
	terms, known := d.allowanceTerms(m)
	if !known {
		return head + terms
	}
	return head + "the grantee may " + terms
}

// allowanceTerms are what an allowance pays and until when, as
// grantTerms.
func (d *Decoder) allowanceTerms(m *feegrant.MsgGrantAllowance) (terms string, known bool) {
	fa, err := m.GetFeeAllowanceI()
	if err != nil || fa == nil {
		typ := "(none)"
		if m.Allowance != nil {
			typ = m.Allowance.TypeUrl
		}
		return "an allowance of type " + typ + " that akw does not know (its terms are not shown)", false
	}
	s := ops.DescribeFeeAllowance(fa, d.denoms)
	// ExpiresAt only fails for an allowance it cannot unpack, which
	// DescribeFeeAllowance already named.
	if exp, err := fa.ExpiresAt(); err == nil {
		s += "; until " + ops.DescribeUntil(exp, time.Time{})
	}
	return s, true
}

// describeRevokeAllowance reads a MsgRevokeAllowance.
func describeRevokeAllowance(m *feegrant.MsgRevokeAllowance) string {
	return fmt.Sprintf("revoke the fee allowance from %s to %s: %s no longer pays the fees of %s", m.Granter, m.Grantee, m.Granter, m.Grantee)
}

// describeFor is describe read by addr: a grant, a fee allowance or the
// revocation of either that addr received (its grantee, not its granter)
// speaks to it — "granted to you by …" — as the granter's own rows speak
// to the granter.
func (d *Decoder) describeFor(m decodedMsg, addr string) Message {
	out := d.describe(m)
	if s, ok := d.toGrantee(m.msg, addr); ok {
		out.Summary = s
	}
	return out
}

// toGrantee words a message of which addr is the grantee; false when it
// is none, or addr is its granter too.
func (d *Decoder) toGrantee(msg any, addr string) (string, bool) {
	terms := func(t string, known bool) string {
		if !known {
			return t
		}
		return "you may " + ops.ForGrantee(t)
	}
	switch m := msg.(type) {
	case *authz.MsgGrant:
		if m.Grantee == addr && m.Granter != addr {
			return "granted to you by " + m.Granter + " (authz): " + terms(d.grantTerms(m)), true
		}
	case *authz.MsgRevoke:
		if m.Grantee == addr && m.Granter != addr {
			return fmt.Sprintf("grant to you revoked by %s (authz): you may no longer %s", m.Granter, ops.ForGrantee(ops.MsgAction(m.MsgTypeUrl))), true
		}
	case *feegrant.MsgGrantAllowance:
		if m.Grantee == addr && m.Granter != addr {
			return "fee allowance granted to you by " + m.Granter + ": " + terms(d.allowanceTerms(m)), true
		}
	case *feegrant.MsgRevokeAllowance:
		if m.Grantee == addr && m.Granter != addr {
			return fmt.Sprintf("fee allowance to you revoked by %s: %s no longer pays your fees", m.Granter, m.Granter), true
		}
	}
	return "", false
}

// describeProposal reads a gov v1 MsgSubmitProposal: its title, what it
// executes if it passes, and the initial deposit.
func (d *Decoder) describeProposal(m *govv1.MsgSubmitProposal) string {
	kind := "proposal"
	if m.Expedited {
		kind = "expedited proposal"
	}
	s := fmt.Sprintf("submit %s %q", kind, trunc(oneLine(m.Title), 60))
	if n := len(m.Messages); n > 0 {
		s += fmt.Sprintf(" executing %d message(s) if it passes", n)
	}
	return s + " with deposit " + amount.FormatCoins(m.InitialDeposit, d.denoms)
}

// describeProposalV1beta1 reads a legacy MsgSubmitProposal, whose title
// is in its content.
func (d *Decoder) describeProposalV1beta1(m *govv1beta1.MsgSubmitProposal) string {
	title := "(content akw does not know)"
	if c := m.GetContent(); c != nil {
		title = fmt.Sprintf("%q", trunc(oneLine(c.GetTitle()), 60))
	}
	return fmt.Sprintf("submit proposal %s with deposit %s", title, amount.FormatCoins(m.InitialDeposit, d.denoms))
}

// trunc cuts s to at most n bytes, on a rune boundary, marking the cut.
func trunc(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return strings.TrimRightFunc(s[:n], func(r rune) bool { return r == ' ' }) + "…"
}
