package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/x/authz"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/devnet/devnettest"
	"github.com/akash-wallet/akw/internal/testctx"
	"github.com/akash-wallet/akw/lightclient/state"
)

// TestQueryGrantsDevnet checks `akw query grants` against what the devnet
// holds: the genesis grant (validator0's operator lets GenesisGrantee vote,
// generic, without expiry) from both sides, and a send and a stake
// authorization alice gives bob, whose terms must come back in words and
// in JSON.
func TestQueryGrantsDevnet(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a devnet")
	}
	n := devnettest.Start(t)
	home := devnettest.NewHomeFor(t, n)
	ctx := testctx.New(t)
	info := n.Info()
	granter := info.Validators[0].AccountAddress
	grantee := devnet.GenesisGrantee.String()
	alice, _ := n.Account("alice")
	bob, _ := n.Account("bob")
	carol, _ := n.Account("carol")
	val0 := info.Validators[0].OperatorAddress

	// alice grants bob a send authorization (5 AKT, to carol only, for a
	// year) and a delegate authorization (3 AKT, with validator0 only).
	aliceAddr, bobAddr := sdk.MustAccAddressFromBech32(alice.Address), sdk.MustAccAddressFromBech32(bob.Address)
	expiry := time.Now().Add(365 * 24 * time.Hour).UTC().Truncate(time.Second)
	send, err := authz.NewMsgGrant(aliceAddr, bobAddr,
		banktypes.NewSendAuthorization(sdk.NewCoins(sdk.NewInt64Coin(devnet.Denom, 5_000_000)), []sdk.AccAddress{sdk.MustAccAddressFromBech32(carol.Address)}), &expiry)
	if err != nil {
		t.Fatal(err)
	}
	maxTokens := sdk.NewInt64Coin(devnet.Denom, 3_000_000)
	stakeAuth, err := stakingtypes.NewStakeAuthorization([]sdk.ValAddress{sdk.MustValAddressFromBech32(val0)}, nil,
		stakingtypes.AuthorizationType_AUTHORIZATION_TYPE_DELEGATE, &maxTokens)
	if err != nil {
		t.Fatal(err)
	}
	stake, err := authz.NewMsgGrant(aliceAddr, bobAddr, stakeAuth, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := n.Exec(ctx, "alice", []sdk.Msg{send, stake})
	if err != nil {
		t.Fatal(err)
	}
	if res.Code != 0 {
		t.Fatalf("grant: code %d: %s", res.Code, res.Log)
	}
	// State H is proven against header H+1.
	if err := n.WaitForHeight(ctx, res.Height+1); err != nil {
		t.Fatal(err)
	}

	akw := func(args ...string) string {
		t.Helper()
		code, out, errOut := akwRun(t, append([]string{"--home", home}, args...)...)
		if code != 0 {
			t.Fatalf("akw %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out, errOut)
		}
		return out
	}
	akw("-y", "light", "init", "--trust-latest")

	grantsJSON := func(args ...string) grantsAnswer {
		t.Helper()
		out := akw(append([]string{"-o", "json", "query", "grants"}, args...)...)
		var a grantsAnswer
		if err := json.Unmarshal([]byte(out), &a); err != nil {
			t.Fatalf("query grants %v: not one JSON document: %v\n%s", args, err, out)
		}
		if !a.Verified || a.Height < res.Height {
			t.Fatalf("query grants %v: verified %v at height %d, want verified at %d or later", args, a.Verified, a.Height, res.Height)
		}
		return a
	}
	vote := sdk.MsgTypeURL(&govv1.MsgVote{})
	isGenesisGrant := func(g []state.Grant) bool {
		return len(g) == 1 && g[0].Granter == granter && g[0].Grantee == grantee &&
			g[0].Authorization.Kind == "generic" && g[0].Authorization.MsgTypeURL == vote &&
			g[0].Expiration == nil && !g[0].Expired
	}

	// The genesis grant, from the granter's side (the default) and the
	// grantee's.
	for _, q := range [][]string{{granter}, {granter, "--by"}, {grantee, "--to"}} {
		a := grantsJSON(q...)
		wantDir := "by"
		if q[len(q)-1] == "--to" {
			wantDir = "to"
			if a.ProvenBy == "" {
				t.Fatalf("query grants %v: the received list does not say how it was proven complete", q)
			}
		}
		if a.Address != q[0] || a.Direction != wantDir || !isGenesisGrant(a.Grants) {
			t.Fatalf("query grants %v: %+v, want only the genesis grant %s -> %s (%s)", q, a, granter, grantee, vote)
		}
	}
	// The other side of each is empty, and an empty list is [] in JSON.
	for _, q := range [][]string{{granter, "--to"}, {grantee}} {
		if a := grantsJSON(q...); len(a.Grants) != 0 {
			t.Fatalf("query grants %v: %+v, want none", q, a.Grants)
		}
	}
	if out := akw("-o", "json", "query", "grants", grantee); !strings.Contains(out, `"grants": []`) && !strings.Contains(out, `"grants":[]`) {
		t.Fatalf("an empty list is not [] in JSON: %s", out)
	}
	text := akw("query", "grants", granter)
	for _, want := range []string{"Grants given by " + granter, granter + " -> " + grantee, "message     " + vote,
		"any " + vote + " message, without limit", "expires     never", "verified: every grant the address gave"} {
		if !strings.Contains(text, want) {
			t.Fatalf("text answer lacks %q:\n%s", want, text)
		}
	}
	if text := akw("query", "grants", grantee); !strings.Contains(text, "(none)") {
		t.Fatalf("no grants given, text:\n%s", text)
	}

	// alice's grants to bob: by a key name and by address, both sides.
	for _, q := range [][]string{{"alice"}, {bob.Address, "--to"}} {
		a := grantsJSON(q...)
		if len(a.Grants) != 2 {
			t.Fatalf("query grants %v: %d grants, want 2: %+v", q, len(a.Grants), a.Grants)
		}
		for _, g := range a.Grants {
			if g.Granter != alice.Address || g.Grantee != bob.Address {
				t.Fatalf("query grants %v: %s -> %s", q, g.Granter, g.Grantee)
			}
			x := g.Authorization
			switch x.MsgTypeURL {
			case sdk.MsgTypeURL(&banktypes.MsgSend{}):
				if x.Kind != "send" || x.SpendLimit.String() != "5000000"+devnet.Denom || len(x.AllowList) != 1 || x.AllowList[0] != carol.Address ||
					g.Expiration == nil || !g.Expiration.Equal(expiry) || g.Expired {
					t.Fatalf("send grant %+v (expiry %v), want 5000000%s to %s until %v", x, g.Expiration, devnet.Denom, carol.Address, expiry)
				}
			case sdk.MsgTypeURL(&stakingtypes.MsgDelegate{}):
				if x.Kind != "stake" || x.StakeType != "delegate" || x.MaxTokens == nil || !x.MaxTokens.Equal(maxTokens) ||
					len(x.AllowValidators) != 1 || x.AllowValidators[0] != val0 || len(x.DenyValidators) != 0 || g.Expiration != nil {
					t.Fatalf("stake grant %+v, want delegate up to %s with %s only", x, maxTokens, val0)
				}
			default:
				t.Fatalf("query grants %v: unexpected grant of %s", q, x.MsgTypeURL)
			}
		}
	}
	text = akw("query", "grants", bob.Address, "--to")
	if testing.Verbose() {
		t.Logf("akw query grants %s --to\n%s", bob.Address, text)
	}
	for _, want := range []string{"Grants received by " + bob.Address, "(5000000" + devnet.Denom + ")", "only to " + carol.Address,
		"expires     " + expiry.Format(timeFormat), "delegate up to", "(3000000" + devnet.Denom + ")", "only with " + val0,
		"verified: every grant the address received"} {
		if !strings.Contains(text, want) {
			t.Fatalf("text answer lacks %q:\n%s", want, text)
		}
	}
}
