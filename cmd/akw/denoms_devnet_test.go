package main

import (
	"encoding/json"
	"strings"
	"testing"

	sdkmath "cosmossdk.io/math"

	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/devnet/devnettest"
	"github.com/akash-wallet/akw/internal/testctx"
	"github.com/akash-wallet/akw/tx/amount"
)

// TestDenomsDevnet checks, through akw's command line on a devnet whose
// bank holds mainnet's denom metadata, that balances are shown in the
// units the proven metadata states — AKT in akt, ACT in act although its
// metadata's Display names uact — that an IBC voucher without metadata is
// shown as it is, with its full denom, and that a send of ACT is refused
// before anything is signed.
func TestDenomsDevnet(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a devnet")
	}
	n := devnettest.Start(t)
	// State H is proven with header H+1, and proven state starts at 3.
	if err := n.WaitForHeight(testctx.New(t), 4); err != nil {
		t.Fatal(err)
	}
	e := newTxEnv(t, n, "")
	alice, _ := n.Account("alice") // the devnet's holder of IBCDenom
	bob, _ := n.Account("bob")

	byDenom := func(bs []balanceJSON) map[string]balanceJSON {
		m := map[string]balanceJSON{}
		for _, b := range bs {
			m[b.Denom] = b
		}
		return m
	}
	t.Run("balances json", func(t *testing.T) {
		var doc balancesJSON
		e.query(t, &doc, "balances", alice.Address)
		got := byDenom(doc.Balances)
		if len(doc.Balances) != 3 {
			t.Fatalf("want uakt, uact and the voucher: %+v", doc.Balances)
		}
		akt := got[devnet.Denom]
		v, ok := sdkmath.NewIntFromString(akt.Amount)
		if !ok || akt.Display != "akt" || akt.Exponent != 6 || akt.Metadata != metadataProven || akt.Note != "" ||
			akt.DisplayAmount != amount.FormatDisplay(v, amount.Akash) {
			t.Errorf("AKT: %+v", akt)
		}
		act := got[devnet.ActDenom]
		want := balanceJSON{Denom: "uact", Amount: devnet.ActBalance.String(), Display: "act", DisplayAmount: "10000", Exponent: 6, Metadata: metadataProven}
		if act.Note == "" {
			t.Errorf("ACT: no note says why act and not the metadata's Display, uact: %+v", act)
		}
		act.Note = ""
		if act != want {
			t.Errorf("ACT: %+v, want %+v", act, want)
		}
		ibc := got[devnet.IBCDenom]
		want = balanceJSON{Denom: devnet.IBCDenom, Amount: "250000000", Display: devnet.IBCDenom, DisplayAmount: "250000000", Exponent: 0, Metadata: metadataAbsent}
		if ibc != want {
			t.Errorf("voucher: %+v, want %+v", ibc, want)
		}
	})
	t.Run("balances text", func(t *testing.T) {
		code, out, stderr := e.run(t, "query", "balance", "alice")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		t.Logf("akw query balance alice\n%s", out)
		for _, line := range []string{
			"  10000 ACT (10000000000uact)\n",
			"  250000000 " + devnet.IBCDenom + "\n",
			"note: the chain's metadata names uact, the base unit, as the display unit; amounts are shown in act",
			"note: the chain states no unit for " + devnet.IBCDenom,
			" AKT (",
		} {
			if !strings.Contains(out, line) {
				t.Errorf("no %q in\n%s", line, out)
			}
		}
	})
	t.Run("one denom", func(t *testing.T) {
		for denom, want := range map[string]balanceJSON{
			devnet.ActDenom: {Denom: "uact", Amount: "10000000000", Display: "act", DisplayAmount: "10000", Exponent: 6, Metadata: metadataProven},
			devnet.IBCDenom: {Denom: devnet.IBCDenom, Amount: "250000000", Display: devnet.IBCDenom, DisplayAmount: "250000000", Metadata: metadataAbsent},
			// Nothing held, no metadata: zero, as it is.
			"uxyz": {Denom: "uxyz", Amount: "0", Display: "uxyz", DisplayAmount: "0", Metadata: metadataAbsent},
		} {
			var doc oneBalanceJSON
			e.query(t, &doc, "balance", alice.Address, "--denom", denom)
			doc.Balance.Note = ""
			if doc.Balance != want {
				t.Errorf("--denom %s: %+v, want %+v", denom, doc.Balance, want)
			}
		}
	})
	t.Run("act send refused", func(t *testing.T) {
		s0 := e.sequence(t, alice.Address)
		for _, amt := range []string{"1act", "5000000uact", "1.5 ACT"} {
			code, out, stderr := e.run(t, "tx", "send", "alice", bob.Address, amt, "-y")
			if code != 2 || out != "" || strings.Contains(stderr, "about to sign") ||
				!strings.Contains(stderr, "error: uact cannot be sent") || !strings.Contains(stderr, "hint: ACT stays in the account") {
				t.Fatalf("send %s: exit %d\nstdout: %s\nstderr: %s", amt, code, out, stderr)
			}
			code, _, stderr = e.run(t, "tx", "send", "alice", bob.Address, amt, "-y", "-o", "json")
			var je struct {
				Error struct {
					Code int    `json:"code"`
					Kind string `json:"kind"`
					Hint string `json:"hint"`
				} `json:"error"`
			}
			// stderr: the test keyring's warning, then the JSON error.
			js := stderr[max(strings.Index(stderr, "{"), 0):]
			if code != 2 || json.Unmarshal([]byte(js), &je) != nil || je.Error.Code != 2 || je.Error.Kind != "usage" || je.Error.Hint == "" {
				t.Fatalf("send %s -o json: exit %d: %s", amt, code, stderr)
			}
		}
		if s := e.sequence(t, alice.Address); s != s0 {
			t.Fatalf("a refused send changed the sequence: %d -> %d", s0, s)
		}
	})
	t.Run("unknown unit", func(t *testing.T) {
		// A unit of no token alice holds: refused with the units she
		// may write, nothing signed.
		code, out, stderr := e.run(t, "tx", "send", "alice", bob.Address, "1atom", "-y")
		if code != 2 || out != "" || !strings.Contains(stderr, "unknown denom") || !strings.Contains(stderr, "hint: write the amount in one of the units") ||
			!strings.Contains(stderr, "act") {
			t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out, stderr)
		}
	})
	t.Run("review", func(t *testing.T) {
		// A dry run shows the plan as it would be signed: the voucher in
		// its base units with its full denom, AKT in akt.
		for amt, want := range map[string]string{
			"7" + devnet.IBCDenom: "7" + devnet.IBCDenom,
			"1.5akt":              "1.5 AKT",
			"1500makt":            "1.5 AKT",
		} {
			code, out, stderr := e.run(t, "tx", "send", "alice", bob.Address, amt, "--dry-run")
			if code != 0 || !strings.Contains(out, "amount") || !strings.Contains(out, want+"\n") {
				t.Fatalf("dry run of %s: exit %d, want amount %q\nstdout: %s\nstderr: %s", amt, code, want, out, stderr)
			}
		}
	})
}
