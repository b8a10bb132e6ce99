package sign

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"cosmossdk.io/x/feegrant"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/x/authz"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"

	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/amount"
	"github.com/akash-wallet/akw/tx/encoding"
	"github.com/akash-wallet/akw/tx/ops"
)

// describeGrantMsg describes the messages of grants, fee allowances,
// deposits and proposals, in the words of their operations' reviews;
// ok is false for other messages.
func describeGrantMsg(cfg *encoding.Config, m sdk.Msg, d amount.Denoms) (fields []ops.Field, ok bool) {
	f := func(kv ...string) []ops.Field {
		var out []ops.Field
		for i := 0; i+1 < len(kv); i += 2 {
			out = append(out, ops.Field{Label: kv[i], Value: kv[i+1]})
		}
		return out
	}
	p := address.For(cfg.Prefix)
	switch m := m.(type) {
	case *authz.MsgGrant:
		a, _ := m.Grant.Authorization.GetCachedValue().(authz.Authorization)
		msgType := ""
		if a == nil && m.Grant.Authorization != nil {
			msgType = m.Grant.Authorization.TypeUrl
		}
		return f("action", "grant permissions (authz)", "granter", m.Granter, "grantee", m.Grantee,
			"grantee may", ops.DescribeAuthorization(a, msgType, d, p), "until", ops.DescribeUntil(m.Grant.Expiration, time.Time{})), true
	case *authz.MsgRevoke:
		return f("action", "revoke a grant (authz)", "granter", m.Granter, "grantee", m.Grantee, "grantee will no longer", ops.MsgAction(m.MsgTypeUrl)), true
	case *authz.MsgExec:
		out := f("action", "execute with grants (authz exec)", "grantee", m.Grantee)
		inner, err := m.GetMessages()
		if err != nil {
			return append(out, ops.Field{Label: "messages", Value: "cannot be read: " + err.Error()}), true
		}
		for i, x := range inner {
			out = append(out, ops.Field{Label: fmt.Sprintf("message %d", i+1), Value: ops.DescribeMsg(x, d)})
		}
		return out, true
	case *feegrant.MsgGrantAllowance:
		fa, err := m.GetFeeAllowanceI()
		what := "have its fees paid (allowance unreadable)"
		var exp *time.Time
		if err == nil {
			what = ops.DescribeFeeAllowance(fa, d)
			exp, _ = fa.ExpiresAt()
		}
		return f("action", "pay another account's fees (fee allowance)", "granter (pays)", m.Granter, "grantee", m.Grantee,
			"grantee may", what, "until", ops.DescribeUntil(exp, time.Time{})), true
	case *feegrant.MsgRevokeAllowance:
		return f("action", "stop paying another account's fees (revoke fee allowance)", "granter", m.Granter, "grantee", m.Grantee), true
	case *govv1.MsgDeposit:
		return f("action", "deposit on a governance proposal", "depositor", m.Depositor, "proposal", strconv.FormatUint(m.ProposalId, 10),
			"amount", amount.FormatCoins(m.Amount, d)), true
	case *govv1.MsgSubmitProposal:
		kind := "text proposal (no messages)"
		if len(m.Messages) > 0 {
			kind = fmt.Sprintf("proposal executing %d message(s)", len(m.Messages))
		}
		if m.Expedited {
			kind = "expedited " + kind
		}
		out := f("action", "submit a governance proposal", "proposer", m.Proposer, "kind", kind, "title", m.Title, "summary", m.Summary)
		if m.Metadata != "" {
			out = append(out, ops.Field{Label: "metadata", Value: m.Metadata})
		}
		inner, err := m.GetMsgs()
		if err != nil {
			var types []string
			for _, a := range m.Messages {
				types = append(types, a.TypeUrl)
			}
			out = append(out, ops.Field{Label: "messages", Value: strings.Join(types, ", ")})
		}
		for i, x := range inner {
			out = append(out, ops.Field{Label: fmt.Sprintf("message %d", i+1), Value: ops.DescribeMsg(x, d)})
		}
		return append(out, ops.Field{Label: "deposit", Value: amount.FormatCoins(m.InitialDeposit, d)}), true
	}
	return nil, false
}
