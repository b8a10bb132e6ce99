package ops

import (
	"regexp"
	"strings"
	"testing"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/x/authz"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/amount"
)

// ForGrantee: every sentence of these words, said to the grantee, names
// no "you" or "your" but the grantee's own fees: the tokens, account,
// votes and grants are the granter's. A phrase added to msgActions that
// ForGrantee does not reword fails here.
func TestForGrantee(t *testing.T) {
	var sentences []string
	for typ := range msgActions {
		sentences = append(sentences, MsgAction(typ))
	}
	sentences = append(sentences, MsgAction("/akash.deployment.v1beta4.MsgCreateDeployment"))
	limit := sdk.NewInt64Coin("uakt", 5_000_000)
	for _, a := range []authz.Authorization{
		banktypes.NewSendAuthorization(sdk.NewCoins(limit), nil),
		&stakingtypes.StakeAuthorization{MaxTokens: &limit, AuthorizationType: stakingtypes.AuthorizationType_AUTHORIZATION_TYPE_REDELEGATE},
		authz.NewGenericAuthorization(sdk.MsgTypeURL(&authz.MsgExec{})),
	} {
		sentences = append(sentences, DescribeAuthorization(a, a.MsgTypeURL(), amount.Akash, address.For("akash")))
	}
	you := regexp.MustCompile(`\byour?\b`)
	for _, s := range sentences {
		g := ForGrantee(s)
		if you.MatchString(g) {
			t.Errorf("said to the grantee, %q still says you: %q", s, g)
		}
		if strings.Contains(s, "your") && !strings.Contains(g, "the granter's") {
			t.Errorf("%q: the granter's tokens are not named as the granter's: %q", s, g)
		}
	}
	if got, want := ForGrantee("send up to 5 AKT of your tokens in total, to anyone"), "send up to 5 AKT of the granter's tokens in total, to anyone"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := ForGrantee(MsgAction(sdk.MsgTypeURL(&authz.MsgRevoke{}))), "revoke grants the granter gave"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	fees := ForGrantee(DescribeAllowance(sdk.NewCoins(limit), 24*time.Hour, sdk.NewCoins(limit), nil, amount.Akash))
	if !strings.HasPrefix(fees, "have your transaction fees paid, up to 5 AKT in total, at most 5 AKT every 1 day") {
		t.Errorf("an allowance said to its grantee: %q", fees)
	}
}
