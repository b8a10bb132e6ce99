package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-wallet/akw/history"
	"github.com/akash-wallet/akw/internal/devnet/devnettest"
	"github.com/akash-wallet/akw/internal/testctx"
	"github.com/akash-wallet/akw/lightclient/state"
)

// TestGrantsGovDevnet drives the grant, fee allowance and governance
// commands end to end on a devnet, each effect confirmed through akw's own
// proven queries: the auto-compound preset, its bot delegating for the
// granter and refused for another validator, the revoke; a fee allowance
// paying a transaction, a fee granter without one refused; a proposal
// submitted in its deposit period and a deposit that starts its vote. Bad
// input refused before signing leaves the signer's sequence as it was.
func TestGrantsGovDevnet(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a devnet")
	}
	// Votes last long enough for the deposits to be read while voting.
	n := devnettest.Start(t, devnettest.WithVotingPeriod(10*time.Minute))
	if err := n.WaitForHeight(testctx.New(t), 3); err != nil {
		t.Fatal(err)
	}
	e := newTxEnv(t, n, "")
	info := n.Info()
	val0, val1 := info.Validators[0].OperatorAddress, info.Validators[1].OperatorAddress
	alice, _ := n.Account("alice")
	bob, _ := n.Account("bob")
	carol, _ := n.Account("carol")
	dir := t.TempDir()

	// refused runs a command that must be refused before signing with
	// code, saying want, and checks that signer's sequence did not move.
	refused := func(t *testing.T, code int, want, signer string, args ...string) {
		t.Helper()
		seq := e.sequence(t, signer)
		got, out, stderr := e.run(t, append(args, "-y")...)
		if got != code || !strings.Contains(stderr, want) || !strings.Contains(stderr, "hint:") {
			t.Fatalf("akw %s: exit %d, want %d saying %q\nstdout: %s\nstderr: %s", strings.Join(args, " "), got, code, want, out, stderr)
		}
		if s := e.sequence(t, signer); s != seq {
			t.Fatalf("akw %s: the sequence of %s moved from %d to %d: something was broadcast", strings.Join(args, " "), signer, seq, s)
		}
	}
	grantsBy := func(t *testing.T, who string) []state.Grant {
		t.Helper()
		var a grantsAnswer
		e.query(t, &a, "grants", who)
		return a.Grants
	}
	// delegateFile writes alice's delegation to val, generated for the bot
	// to execute.
	delegateFile := func(t *testing.T, val, amt string) string {
		t.Helper()
		p := filepath.Join(dir, "delegate-"+val[len(val)-6:]+".json")
		if code, out, stderr := e.run(t, "tx", "delegate", alice.Address, val, amt, "--generate-only", "--out", p, "--overwrite"); code != 0 {
			t.Fatalf("generate delegate: exit %d\n%s\n%s", code, out, stderr)
		}
		return p
	}

	// receivedRows runs `akw history who` from height from on, once
	// the header committing the results of height to is out, and returns
	// the summaries of its rows by hash: the grants and allowances who
	// received are listed, in words addressed to it.
	receivedRows := func(t *testing.T, who string, from, to int64) map[string]string {
		t.Helper()
		if err := n.WaitForHeight(testctx.New(t), to+1); err != nil {
			t.Fatal(err)
		}
		code, out, stderr := e.run(t, "history", who, "--from-height", strconv.FormatInt(from, 10), "--limit", "100", "-o", "json")
		if code != 0 {
			t.Fatalf("history %s: exit %d\n%s", who, code, stderr)
		}
		var ans historyAnswer
		if err := json.Unmarshal([]byte(out), &ans); err != nil {
			t.Fatalf("history %s: %v\n%s", who, err, out)
		}
		rows := map[string]string{}
		for _, r := range ans.Rows {
			var parts []string
			for _, m := range r.Messages {
				parts = append(parts, m.Summary)
			}
			if r.Status == history.Proven && len(r.Movements) == 0 {
				// Nothing of the grantee's moved: the granter signed and paid.
				rows[r.Hash] = strings.Join(parts, "; ")
			}
		}
		return rows
	}

	t.Run("auto-compound grant, exec, revoke", func(t *testing.T) {
		// The review says, in words, what the bot may do and until when.
		code, out, stderr := e.run(t, "tx", "restake", "alice", bob.Address, val0, "--expiration", "30d", "--dry-run")
		if code != 0 {
			t.Fatalf("restake --dry-run: exit %d\n%s", code, stderr)
		}
		for _, want := range []string{"auto-compounding", "grantee may", val0, "until"} {
			if !strings.Contains(out, want) {
				t.Fatalf("the review does not say %q:\n%s", want, out)
			}
		}
		t.Logf("akw tx restake --dry-run:\n%s", out)
		granted := e.tx(t, "restake", "alice", bob.Address, val0, "--expiration", "30d")
		gs := grantsBy(t, alice.Address)
		kinds := map[string]state.Grant{}
		for _, g := range gs {
			if g.Grantee == bob.Address {
				kinds[g.Authorization.MsgTypeURL] = g
			}
		}
		del, claim := kinds["/cosmos.staking.v1beta1.MsgDelegate"], kinds["/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward"]
		if len(kinds) != 2 || del.Authorization.Kind != "stake" || len(del.Authorization.AllowValidators) != 1 || del.Authorization.AllowValidators[0] != val0 ||
			claim.Authorization.Kind != "generic" || del.Expiration == nil || claim.Expiration == nil {
			t.Fatalf("grants by alice after the preset: %+v", gs)
		}

		// The bot delegates alice's tokens to val0: alice's delegation
		// grows, the bot pays the fee only.
		d0, b0 := e.delegated(t, alice.Address, val0), e.balance(t, bob.Address)
		r := e.tx(t, "exec", "bob", delegateFile(t, val0, "1akt"))
		if got := e.delegated(t, alice.Address, val0).Sub(d0); !got.Equal(sdkmath.NewInt(1_000_000)) {
			t.Fatalf("alice's delegation to val0 grew by %s, want 1000000", got)
		}
		if got := b0.Sub(e.balance(t, bob.Address)); !got.Equal(feeOf(r)) {
			t.Fatalf("the bot paid %s, want the fee %s", got, feeOf(r))
		}
		// Another validator: the grant does not allow it.
		refused(t, 4, "does not allow", bob.Address, "tx", "exec", "bob", delegateFile(t, val1, "1akt"))

		revoked := e.tx(t, "revoke", "alice", bob.Address, "MsgDelegate")
		for _, g := range grantsBy(t, alice.Address) {
			if g.Grantee == bob.Address && g.Authorization.MsgTypeURL == "/cosmos.staking.v1beta1.MsgDelegate" {
				t.Fatalf("the delegate grant is still there after the revoke: %+v", g)
			}
		}
		refused(t, 4, "has not granted", bob.Address, "tx", "exec", "bob", delegateFile(t, val0, "1akt"))
		// Revoking it again: proven absent, nothing to revoke.
		refused(t, 4, "has no grant of /cosmos.staking.v1beta1.MsgDelegate", alice.Address, "tx", "revoke", "alice", bob.Address, "MsgDelegate")

		// bob's history lists the grant and the revoke he received,
		// which alice signed and paid for.
		rows := receivedRows(t, bob.Address, granted.Height, revoked.Height)
		for hash, want := range map[string]string{
			granted.TxHash: "granted to you by " + alice.Address + " (authz): you may delegate the granter's tokens",
			revoked.TxHash: "grant to you revoked by " + alice.Address + " (authz): you may no longer delegate the granter's tokens",
		} {
			if !strings.Contains(rows[hash], want) {
				t.Fatalf("bob's history: row %s reads %q, want %q\nrows: %q", hash, rows[hash], want, rows)
			}
		}
	})

	t.Run("bad grants refused before signing", func(t *testing.T) {
		// A spend limit in a token alice does not hold (proven).
		refused(t, 2, "does not hold", alice.Address, "tx", "grant", "alice", bob.Address, "--spend-limit", "5ufoo")
		// To herself, by key name: known only once the key is read.
		refused(t, 2, "over itself", alice.Address, "tx", "grant", "alice", alice.Address, "--msg-type", "/cosmos.gov.v1.MsgVote")
	})

	t.Run("fee allowance pays a transaction", func(t *testing.T) {
		code, out, stderr := e.run(t, "tx", "feegrant", "alice", carol.Address, "--spend-limit", "1akt", "--expiration", "30d", "--dry-run")
		if code != 0 || !strings.Contains(out, "have its transaction fees paid, up to 1 AKT") || !strings.Contains(out, "until") {
			t.Fatalf("feegrant --dry-run: exit %d, the review does not say what the grantee may spend:\n%s%s", code, out, stderr)
		}
		t.Logf("akw tx feegrant --dry-run:\n%s", out)
		allowed := e.tx(t, "feegrant", "alice", carol.Address, "--spend-limit", "1akt", "--expiration", "30d")
		var a state.Allowances
		e.query(t, &a, "allowances", carol.Address)
		if len(a.Received) != 1 || a.Received[0].Granter != alice.Address || a.Received[0].Kind != "basic" ||
			!a.Received[0].SpendLimit.Equal(sdk.NewCoins(sdk.NewInt64Coin("uakt", 1_000_000))) {
			t.Fatalf("allowances of carol: %+v", a)
		}

		// carol sends 1uakt; alice's allowance pays the fee (the granter
		// named by key).
		c0, a0 := e.balance(t, carol.Address), e.balance(t, alice.Address)
		r := e.tx(t, "send", "carol", bob.Address, "1uakt", "--fee-granter", "alice")
		if got := c0.Sub(e.balance(t, carol.Address)); !got.Equal(sdkmath.NewInt(1)) {
			t.Fatalf("carol paid %s, want the 1uakt sent (the fee is alice's)", got)
		}
		if got := a0.Sub(e.balance(t, alice.Address)); !got.Equal(feeOf(r)) {
			t.Fatalf("alice paid %s, want the fee %s", got, feeOf(r))
		}
		e.query(t, &a, "allowances", alice.Address)
		left := sdk.NewCoins(sdk.NewInt64Coin("uakt", 1_000_000)).Sub(r.Fee...)
		if len(a.Granted) != 1 || a.Granted[0].Grantee != carol.Address || !a.Granted[0].SpendLimit.Equal(left) {
			t.Fatalf("allowances alice gave after the fee: %+v, want %s left", a.Granted, left)
		}

		// bob gives carol no allowance: refused before signing.
		refused(t, 4, "no fee allowance", carol.Address, "tx", "send", "carol", bob.Address, "1uakt", "--fee-granter", bob.Address)

		disallowed := e.tx(t, "revoke-feegrant", "alice", carol.Address)
		e.query(t, &a, "allowances", carol.Address)
		if len(a.Received) != 0 {
			t.Fatalf("allowances of carol after the revoke: %+v", a.Received)
		}

		// A periodic allowance: its period in JSON as the SDK writes it,
		// beside the nanoseconds it always had.
		e.tx(t, "feegrant", "bob", carol.Address, "--period", "24h", "--period-limit", "0.1akt")
		code, out, stderr = e.run(t, "query", "allowances", carol.Address, "-o", "json")
		if code != 0 || !strings.Contains(out, `"period_duration": "86400s"`) || !strings.Contains(out, `"period": 86400000000000`) {
			t.Fatalf("allowances -o json: exit %d, want the period as \"86400s\" beside its nanoseconds\n%s%s", code, out, stderr)
		}

		// carol's history lists the allowance and its revocation, which
		// alice signed and paid for.
		rows := receivedRows(t, carol.Address, allowed.Height, disallowed.Height)
		for hash, want := range map[string]string{
			allowed.TxHash:    "fee allowance granted to you by " + alice.Address + ": you may have your transaction fees paid, up to 1 AKT in total",
			disallowed.TxHash: "fee allowance to you revoked by " + alice.Address + ": " + alice.Address + " no longer pays your fees",
		} {
			if !strings.Contains(rows[hash], want) {
				t.Fatalf("carol's history: row %s reads %q, want %q\nrows: %q", hash, rows[hash], want, rows)
			}
		}
	})

	t.Run("submit a proposal, deposit", func(t *testing.T) {
		file := filepath.Join(dir, "proposal.json")
		body := `{"messages": [], "metadata": "ipfs://akw-grants-test", "deposit": "1akt",
			"title": "akw text proposal", "summary": "A text proposal submitted by akw.", "expedited": false}`
		if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		// --deposit replaces the file's: 0.5 AKT, above the initial
		// ratio (0.4) and below the minimum (1 AKT): the deposit period.
		e.tx(t, "submit-proposal", "alice", file, "--deposit", "0.5akt")
		var ps proposalsAnswer
		e.query(t, &ps, "proposals", "--status", "deposit")
		var id uint64
		for _, p := range ps.Proposals {
			if p.Title == "akw text proposal" {
				id = p.ID
			}
		}
		if id == 0 {
			t.Fatalf("the proposal is not among those in deposit period: %+v", ps.Proposals)
		}

		e.tx(t, "deposit", "bob", strconv.FormatUint(id, 10), "0.5akt")
		var d state.Deposits
		e.query(t, &d, "deposits", strconv.FormatUint(id, 10))
		if !d.Total.Equal(sdk.NewCoins(sdk.NewInt64Coin("uakt", 1_000_000))) || len(d.Deposits) != 2 {
			t.Fatalf("deposits on %d: %+v", id, d)
		}
		e.query(t, &ps, "proposals", "--status", "voting")
		found := false
		for _, p := range ps.Proposals {
			found = found || p.ID == id
		}
		if !found {
			t.Fatalf("proposal %d is not in its voting period after reaching the minimum deposit: %+v", id, ps.Proposals)
		}
		// An expedited proposal with its minimum deposit (2 AKT on the
		// devnet) votes at once, as expedited.
		fast := filepath.Join(dir, "expedited.json")
		body = `{"messages": [], "metadata": "ipfs://akw-expedited", "deposit": "2akt",
			"title": "akw expedited proposal", "summary": "An expedited text proposal.", "expedited": true}`
		if err := os.WriteFile(fast, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		e.tx(t, "submit-proposal", "carol", fast)
		e.query(t, &ps, "proposals", "--status", "voting")
		found = false
		for _, p := range ps.Proposals {
			found = found || (p.Title == "akw expedited proposal" && p.Expedited)
		}
		if !found {
			t.Fatalf("the expedited proposal is not voting as expedited: %+v", ps.Proposals)
		}
		// A deposit in a token the chain does not take for deposits.
		refused(t, 2, "the chain takes deposits in", bob.Address, "tx", "deposit", "bob", strconv.FormatUint(id, 10), "5ufoo")
	})
}
