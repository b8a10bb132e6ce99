package ops

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"cosmossdk.io/log"
	storetypes "cosmossdk.io/store/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/x/authz"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/akash-wallet/akw/tx"
	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/amount"
)

// Words for grants and allowances: what a grantee will be able to do,
// with what limit, until when. The reviews of the grant operations and
// the faces' listings of proven grants use the same sentences.

// msgActions names the messages people grant most, as what the grantee
// may then do. Others are named by their type URL.
var msgActions = map[string]string{
	sdk.MsgTypeURL(&banktypes.MsgSend{}):                         "send your tokens",
	sdk.MsgTypeURL(&stakingtypes.MsgDelegate{}):                  "delegate your tokens",
	sdk.MsgTypeURL(&stakingtypes.MsgUndelegate{}):                "undelegate your tokens",
	sdk.MsgTypeURL(&stakingtypes.MsgBeginRedelegate{}):           "redelegate your tokens",
	sdk.MsgTypeURL(&stakingtypes.MsgCancelUnbondingDelegation{}): "cancel your unbondings",
	sdk.MsgTypeURL(&distrtypes.MsgWithdrawDelegatorReward{}):     "withdraw your staking rewards",
	sdk.MsgTypeURL(&distrtypes.MsgWithdrawValidatorCommission{}): "withdraw your validator commission",
	sdk.MsgTypeURL(&distrtypes.MsgSetWithdrawAddress{}):          "change where your rewards are paid (to any address)",
	sdk.MsgTypeURL(&govv1.MsgVote{}):                             "vote on governance proposals for you",
	sdk.MsgTypeURL(&govv1.MsgVoteWeighted{}):                     "cast weighted votes on governance proposals for you",
	sdk.MsgTypeURL(&govv1.MsgDeposit{}):                          "deposit your tokens on governance proposals",
	sdk.MsgTypeURL(&govv1.MsgSubmitProposal{}):                   "submit governance proposals with your deposit",
	sdk.MsgTypeURL(&authz.MsgGrant{}):                            "grant others permissions over your account",
	sdk.MsgTypeURL(&authz.MsgExec{}):                             "execute grants you received",
	sdk.MsgTypeURL(&authz.MsgRevoke{}):                           "revoke grants you gave",
}

// MsgAction says in words what a grant of msgType lets the grantee do.
func MsgAction(msgType string) string {
	if a, ok := msgActions[msgType]; ok {
		return a
	}
	return "send any " + strings.TrimPrefix(msgType, "/") + " message for you"
}

// toGrantee rewords the sentences of this file, which speak to the
// granter ("your tokens", "for you") or of the grantee ("have its fees
// paid"), for the grantee reading them: the tokens are the granter's, the
// fees its own. Word-bounded phrases only: no bech32 address holds an
// "o", and amounts and type URLs hold no spaces.
var toGrantee = strings.NewReplacer(
	"for your ", "for the granter's ",
	"your ", "the granter's ",
	"for you", "for the granter",
	"grants you ", "grants the granter ",
	"have its ", "have your ",
)

// ForGrantee says a sentence of MsgAction, DescribeAuthorization or
// DescribeAllowance to the grantee: "send your tokens" becomes "send the
// granter's tokens", "have its transaction fees paid" "have your
// transaction fees paid".
func ForGrantee(s string) string { return toGrantee.Replace(s) }

// DescribeAuthorization says what an authorization lets the grantee do,
// with its limits: "delegate your tokens, up to 5 AKT in total, only to
// akashvaloper1…". msgType names an authorization akw does not know (a
// nil a).
func DescribeAuthorization(a authz.Authorization, msgType string, d amount.Denoms, p address.Prefixes) string {
	switch x := a.(type) {
	case *authz.GenericAuthorization:
		return MsgAction(x.Msg) + ", without limit"
	case *banktypes.SendAuthorization:
		s := "send up to " + amount.FormatCoins(x.SpendLimit, d) + " of your tokens in total"
		if len(x.AllowList) > 0 {
			s += ", only to " + strings.Join(x.AllowList, ", ")
		} else {
			s += ", to anyone"
		}
		return s
	case *stakingtypes.StakeAuthorization:
		verb := map[stakingtypes.AuthorizationType]string{
			stakingtypes.AuthorizationType_AUTHORIZATION_TYPE_DELEGATE:   "delegate your tokens",
			stakingtypes.AuthorizationType_AUTHORIZATION_TYPE_UNDELEGATE: "undelegate your tokens",
			stakingtypes.AuthorizationType_AUTHORIZATION_TYPE_REDELEGATE: "redelegate your tokens",
		}[x.AuthorizationType]
		if verb == "" {
			verb = "stake (" + x.AuthorizationType.String() + ")"
		}
		s := verb
		if x.MaxTokens != nil {
			s += ", up to " + amount.FormatCoin(*x.MaxTokens, d) + " in total"
		} else {
			s += ", any amount"
		}
		to := "with"
		if x.AuthorizationType == stakingtypes.AuthorizationType_AUTHORIZATION_TYPE_REDELEGATE {
			to = "to"
		}
		if l := x.GetAllowList(); l != nil && len(l.Address) > 0 {
			s += fmt.Sprintf(", %s only %s", to, strings.Join(l.Address, ", "))
		} else if l := x.GetDenyList(); l != nil && len(l.Address) > 0 {
			s += fmt.Sprintf(", %s any validator except %s", to, strings.Join(l.Address, ", "))
		}
		return s
	case nil:
		return MsgAction(msgType) + " (terms of " + msgType + " not shown: akw does not know this authorization type)"
	}
	return MsgAction(a.MsgTypeURL()) + " (" + sdk.MsgTypeURL(a) + ")"
}

// DescribeUntil says until when a grant or an allowance holds, against
// now (the chain's time when known).
func DescribeUntil(exp *time.Time, now time.Time) string {
	if exp == nil {
		return "no end date: until revoked"
	}
	s := exp.UTC().Format("2006-01-02 15:04:05 UTC")
	if now.IsZero() {
		return s
	}
	if d := exp.Sub(now); d > 0 {
		return s + " (in " + FormatDuration(d.Round(time.Second)) + ")"
	}
	return s + " (expired)"
}

// ParseExpiration reads an expiration as people give it: a duration from
// now ("30d", "12h", "1y", "90m"), a date ("2027-01-31": the end of that
// day, UTC), an RFC 3339 time, or Unix seconds (what the SDK's CLI takes).
// A time not after now is refused: the chain refuses a grant that has
// already expired.
func ParseExpiration(s string, now time.Time) (*time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	hint := "give a duration (30d, 12h, 1y), a date (2027-01-31), a time (2027-01-31T12:00:00Z) or Unix seconds"
	var t time.Time
	switch {
	case isDuration(s):
		d, err := parseLongDuration(s)
		if err != nil {
			return nil, tx.Inputf(hint, "invalid expiration %q: %v", s, err)
		}
		t = now.Add(d)
	case isDigits(s):
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n > 253402300799 { // 9999-12-31
			return nil, tx.Inputf(hint, "invalid expiration %q", s)
		}
		t = time.Unix(n, 0)
	default:
		var err error
		if t, err = time.Parse(time.RFC3339, s); err != nil {
			d, derr := time.Parse("2006-01-02", s)
			if derr != nil {
				return nil, tx.Inputf(hint, "invalid expiration %q", s)
			}
			t = d.Add(24*time.Hour - time.Second)
		}
	}
	t = t.UTC().Truncate(time.Second)
	if !t.After(now) {
		return nil, tx.Inputf("give a time in the future", "expiration %s is in the past", t.Format(time.RFC3339))
	}
	return &t, nil
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func isDuration(s string) bool {
	if len(s) < 2 || !strings.ContainsAny(s[len(s)-1:], "smhdwy") {
		return false
	}
	return isDigits(strings.TrimRight(s, "smhdwy"))
}

// parseLongDuration reads 90s, 30m, 12h, 30d, 2w, 1y (a year of 365 days).
func parseLongDuration(s string) (time.Duration, error) {
	unit := s[len(s)-1]
	n, err := strconv.ParseInt(s[:len(s)-1], 10, 64)
	if err != nil || n <= 0 || n > 100*366 {
		return 0, fmt.Errorf("a whole number of %c from 1 to 36600", unit)
	}
	day := 24 * time.Hour
	mult := map[byte]time.Duration{'s': time.Second, 'm': time.Minute, 'h': time.Hour, 'd': day, 'w': 7 * day, 'y': 365 * day}[unit]
	if n > int64(100*365*day/mult) {
		return 0, fmt.Errorf("longer than a hundred years")
	}
	return time.Duration(n) * mult, nil
}

// chainContext is the sdk.Context the SDK's authorization and allowance
// code wants, at the verified header's time: akw runs the chain's own
// Accept functions to tell, before signing, what the chain will decide.
// They read only the block time and a gas meter.
func chainContext(t time.Time) sdk.Context {
	return sdk.NewContext(nil, cmtproto.Header{Time: t}, false, log.NewNopLogger()).
		WithContext(context.Background()).WithGasMeter(storetypes.NewInfiniteGasMeter())
}

// chainTime is the time of the verified state the checks rest on, or the
// local clock if the source does not say (an in-memory source in tests).
func (c *Checker) chainTime(ctx context.Context) (time.Time, error) {
	if cl, ok := c.State.(tx.Clock); ok {
		return cl.Time(ctx)
	}
	return time.Now(), nil
}
