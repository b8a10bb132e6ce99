package main

import (
	"strings"
	"testing"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-wallet/akw/history"
	"github.com/akash-wallet/akw/internal/config"
)

// A row that moved nothing of the address's but its fee — a grant or a
// fee allowance given, or received — says in words what it did; a row
// that moved coins is told by its movements alone. An export holding
// governance deposits says their return is not in it.
func TestHistoryRowWords(t *testing.T) {
	app := &App{Network: config.Presets()[config.Mainnet]}
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	fee := history.Movement{Kind: history.KindFee, Direction: history.Out, Coins: sdk.NewCoins(sdk.NewInt64Coin("uakt", 5000)), Verified: true}
	received := history.Row{Hash: "R", Status: history.Proven, Success: true, Time: at, Effects: history.Effects{
		Messages: []history.Message{{Type: "/cosmos.feegrant.v1beta1.MsgGrantAllowance", Summary: "fee allowance granted to you by akash1x: you may …", Known: true}}}}
	given := received
	given.Movements = []history.Movement{fee}
	sent := history.Row{Hash: "S", Status: history.Proven, Success: true, Time: at, Effects: history.Effects{
		Messages:  []history.Message{{Type: "/cosmos.bank.v1beta1.MsgSend", Summary: "send 1 AKT from a to b", Known: true}},
		Movements: []history.Movement{{Kind: history.KindSend, Direction: history.Out, Coins: sdk.NewCoins(sdk.NewInt64Coin("uakt", 1)), Counterparty: "b", Verified: true}, fee}}}
	for _, tc := range []struct {
		name  string
		row   history.Row
		words bool
	}{{"received", received, true}, {"given, its fee paid", given, true}, {"a send", sent, false}} {
		var b strings.Builder
		writeHistoryRow(app, &b, tc.row)
		if got := strings.Contains(b.String(), "  what      "+tc.row.Messages[0].Summary); got != tc.words {
			t.Errorf("%s: says what it did %v, want %v:\n%s", tc.name, got, tc.words, b.String())
		}
	}

	ans := historyAnswer{Page: &history.Page{}, CSV: &historyCSV{Path: "x.csv", CSVSummary: &history.CSVSummary{GovDeposits: 2, GovProposals: []uint64{4, 12}}}}
	if n := csvNotes(ans); len(n) != 1 || !strings.HasPrefix(n[0], "csv: 2 governance deposit lines (proposals 4, 12): ") || !strings.HasSuffix(n[0], history.GovDepositNote) {
		t.Errorf("notes %q", n)
	}
	ans.CSV.GovDeposits = 0
	if n := csvNotes(ans); n != nil {
		t.Errorf("an export without governance deposits has notes %q", n)
	}
}
