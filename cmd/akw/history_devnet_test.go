package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"

	"github.com/akash-wallet/akw/history"
	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/devnet/devnettest"
	"github.com/akash-wallet/akw/internal/testctx"
	"github.com/akash-wallet/akw/lightclient/state"
)

// TestHistoryDevnet drives `akw history` and `akw contacts` through the
// command line against a devnet: alice receives, sends to a contact
// (@carol, whose memo becomes the send's), delegates, claims and votes;
// then `akw history -o json` is exactly what the test did, the --csv
// export parses with encoding/csv and its totals equal the balance change
// proven by `akw query balance --height`, and a second export of the same
// range with every node unreachable and --offline reads only the cache and
// writes the same bytes; a node with its transaction index off is the
// clear error.
func TestHistoryDevnet(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a devnet")
	}
	// Validator 1 runs with its transaction index off, as many public
	// nodes do.
	n := devnettest.Start(t, devnettest.WithVotingPeriod(10*time.Minute),
		devnettest.WithConfig(func(c *devnet.Config) { c.TxIndexOff = []int{1} }))
	home := devnettest.NewHomeFor(t, n)
	ctx := testctx.New(t)
	alice, _ := n.Account("alice")
	carol, _ := n.Account("carol")
	val := n.Info().Validators[0].OperatorAddress

	akw := func(args ...string) (string, string) {
		t.Helper()
		code, out, errOut := akwRun(t, append([]string{"--home", home}, args...)...)
		if code != 0 {
			t.Fatalf("akw %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out, errOut)
		}
		return out, errOut
	}
	akw("-y", "light", "init", "--trust-latest")
	akw("contacts", "add", "carol", carol.Address, "--memo", "deposit 7")

	// What the test does, oldest first: the kinds of movement each row
	// must have (fees and rewards aside), its memo and its result.
	type did struct {
		what    string
		hash    string
		height  int64
		kinds   []history.Kind
		memo    string
		success bool
	}
	var txs []did
	record := func(what string, res *devnet.TxResult, err error, kinds ...history.Kind) {
		t.Helper()
		if err != nil || res == nil || res.Code != 0 {
			t.Fatalf("%s: %+v %v", what, res, err)
		}
		txs = append(txs, did{what: what, hash: res.Hash, height: res.Height, kinds: kinds, success: true})
	}
	from, err := n.WaitForNextBlock(ctx)
	if err != nil {
		t.Fatal(err)
	}
	res, err := n.Send(ctx, "bob", alice.Address, sdk.NewCoins(sdk.NewInt64Coin(devnet.Denom, 1111)))
	record("receive", res, err, history.KindReceive)

	// The send to @carol, through akw: the review names the contact
	// beside the full address and takes its memo.
	code, out, errOut := akwRun(t, "--home", home, "tx", "send", "alice", "@carol", "2.5akt", "-y", "-o", "json")
	if code != 0 {
		t.Fatalf("tx send alice @carol: exit %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{"@carol = " + carol.Address + " (memo from the contact)", "memo", "deposit 7"} {
		if !strings.Contains(errOut, want) {
			t.Fatalf("the review does not show %q:\n%s", want, errOut)
		}
	}
	var sent resultJSON
	if err := json.Unmarshal([]byte(out), &sent); err != nil || sent.Code != 0 || !sent.Verified {
		t.Fatalf("tx send: %v\n%s", err, out)
	}
	txs = append(txs, did{what: "send to @carol", hash: sent.TxHash, height: sent.Height, kinds: []history.Kind{history.KindSend}, memo: "deposit 7", success: true})

	res, err = n.Delegate(ctx, "alice", val, sdk.NewInt64Coin(devnet.Denom, 50_000_000))
	record("delegate", res, err, history.KindDelegate)
	// Rewards accrue for a few blocks before the claim.
	if err := n.WaitForHeight(ctx, res.Height+3); err != nil {
		t.Fatal(err)
	}
	res, err = n.Exec(ctx, "alice", []sdk.Msg{&distrtypes.MsgWithdrawDelegatorReward{DelegatorAddress: alice.Address, ValidatorAddress: val}})
	record("claim", res, err, history.KindReward)
	id, _, err := n.SubmitProposal(ctx, "carol", "history test", "a proposal to vote on", sdk.NewCoins(sdk.NewCoin(devnet.Denom, devnet.MinDeposit)))
	if err != nil {
		t.Fatal(err)
	}
	res, err = n.Vote(ctx, "alice", id, govv1.OptionYes)
	record("vote", res, err, history.KindVote)
	// Governance deposits: on carol's proposal, and the initial deposit
	// of alice's own, whose id only the proven result names. The export
	// writes both as sent and says their return is not in it.
	res, err = n.Exec(ctx, "alice", []sdk.Msg{&govv1.MsgDeposit{ProposalId: id, Depositor: alice.Address, Amount: sdk.NewCoins(sdk.NewInt64Coin(devnet.Denom, 3_000_000))}})
	record("deposit", res, err, history.KindDeposit)
	own, res, err := n.SubmitProposal(ctx, "alice", "alice's proposal", "a proposal with an initial deposit", sdk.NewCoins(sdk.NewCoin(devnet.Denom, devnet.MinDeposit)))
	record("proposal", res, err, history.KindDeposit)
	to := txs[len(txs)-1].height
	// The last row's result is committed by the next header.
	if err := n.WaitForHeight(ctx, to+1); err != nil {
		t.Fatal(err)
	}
	rng := []string{"--from-height", itoa(from + 1), "--to-height", itoa(to)}

	// The history is what the test did, newest first, every row proven.
	out, _ = akw(append([]string{"-o", "json", "history", "alice"}, rng...)...)
	var ans historyAnswer
	if err := json.Unmarshal([]byte(out), &ans); err != nil {
		t.Fatalf("history: not one JSON document: %v\n%s", err, out)
	}
	if ans.ListVerified || !strings.HasPrefix(ans.Sources.List, "node-reported") || !strings.HasPrefix(ans.Sources.Rows, "proven") {
		t.Fatalf("the answer does not say where its parts come from: %+v", ans.Sources)
	}
	if len(ans.Rows) != len(txs) || ans.Refused != 0 {
		t.Fatalf("%d rows (%d refused), the test made %d transactions:\n%s", len(ans.Rows), ans.Refused, len(txs), out)
	}
	for i, r := range ans.Rows {
		want := txs[len(txs)-1-i]
		if r.Hash != want.hash || r.Height != want.height || r.Status != history.Proven || !r.Verified || r.Success != want.success || r.Memo != want.memo {
			t.Fatalf("row %d: %s at %d (%s, success %v, memo %q), want the %s %s at %d (memo %q)",
				i, r.Hash, r.Height, r.Status, r.Success, r.Memo, want.what, want.hash, want.height, want.memo)
		}
		if r.Time.IsZero() || r.HeaderHash == "" || r.NextHeaderHash == "" || r.FromCache {
			t.Fatalf("%s: not proven now against two headers: %+v", want.what, r)
		}
		got := map[history.Kind]bool{}
		for _, m := range r.Movements {
			got[m.Kind] = true
			if m.Kind == history.KindReward && m.Verified {
				t.Fatalf("%s: rewards paid out are node-reported, not verified", want.what)
			}
		}
		for _, k := range want.kinds {
			if !got[k] {
				t.Fatalf("%s: no %s movement in %+v", want.what, k, r.Movements)
			}
		}
		// alice pays the fee of all she signs, and of nothing else.
		if got[history.KindFee] != (want.what != "receive") {
			t.Fatalf("%s: fee movement %v in %+v", want.what, got[history.KindFee], r.Movements)
		}
		if want.what == "send to @carol" && (r.Movements[0].Counterparty != carol.Address || !r.Movements[0].Coins.Equal(sdk.NewCoins(sdk.NewInt64Coin(devnet.Denom, 2_500_000)))) {
			t.Fatalf("send to @carol: %+v", r.Movements)
		}
	}
	if ans.Cache.ProvenNow != len(txs) || !ans.Cache.Network {
		t.Fatalf("first listing: cache report %+v", ans.Cache)
	}

	// The export, with the rows held against the proven balance.
	csvPath := filepath.Join(t.TempDir(), "history.csv")
	out, _ = akw(append([]string{"-o", "json", "history", "alice", "--csv", csvPath, "--reconcile"}, rng...)...)
	var exp historyAnswer
	if err := json.Unmarshal([]byte(out), &exp); err != nil || exp.CSV == nil || exp.Reconciliation == nil {
		t.Fatalf("export: %v\n%s", err, out)
	}
	rec := exp.Reconciliation
	if !rec.Difference.IsZero() || rec.From != from || rec.To != to || exp.CSV.Transactions != len(txs) {
		t.Fatalf("export: reconciliation %+v, csv %+v", rec, exp.CSV)
	}
	if exp.Cache.ProvenFromCache != len(txs) || exp.Cache.ProvenNow != 0 {
		t.Fatalf("export after listing: cache report %+v", exp.Cache)
	}
	if wantIDs := []uint64{min(id, own), max(id, own)}; exp.CSV.GovDeposits != 2 || !slices.Equal(exp.CSV.GovProposals, wantIDs) ||
		len(exp.CSV.Notes) != 1 || exp.CSV.Notes[0] != history.GovDepositNote {
		t.Fatalf("export: the summary does not name the governance deposits (proposals %v) and what is not in the export: %+v", wantIDs, exp.CSV)
	}

	// The CSV reads with a standard CSV reader; its total equals the
	// balance change that `akw query balance --height` proves.
	first, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(first))
	r.FieldsPerRecord = len(history.CSVHeader)
	lines, err := r.ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not parse: %v\n%s", err, first)
	}
	if strings.Join(lines[0], ",") != strings.Join(history.CSVHeader, ",") || len(lines)-1 != exp.CSV.Lines {
		t.Fatalf("CSV header %q, %d lines, summary %+v", lines[0], len(lines)-1, exp.CSV)
	}
	net := sdkmath.ZeroInt()
	hashes := map[string]bool{}
	for _, l := range lines[1:] {
		for _, col := range []int{2, 4, 6} {
			if l[col] != "" && l[col] != "AKT" {
				t.Fatalf("currency %q: uakt must be written as AKT", l[col])
			}
		}
		net = net.Add(csvMicro(t, l[3])).Sub(csvMicro(t, l[1])).Sub(csvMicro(t, l[5]))
		hashes[l[11]] = true
		if l[9] == history.LabelGovDeposit && (l[1] == "" || !strings.Contains(l[10], "not in this export")) {
			t.Fatalf("a governance deposit line must be sent and say its return is not in the export: %q", l)
		}
	}
	before, after := provenBalance(t, akw, from), provenBalance(t, akw, to)
	if !net.Equal(after.Sub(before)) || !before.Equal(rec.Before) || !after.Equal(rec.After) {
		t.Fatalf("the CSV's total %s uakt; proven balance %s -> %s (change %s); reconciliation %+v\n%s", net, before, after, after.Sub(before), rec, first)
	}
	for _, d := range txs {
		if !hashes[d.hash] {
			t.Fatalf("the CSV has no line of the %s %s\n%s", d.what, d.hash, first)
		}
	}
	t.Logf("CSV: %d lines, total %s uakt = proven change %s -> %s", len(lines)-1, net, before, after)

	// A second export of the same range reads only the cache: every node
	// is a closed port, and --offline asks none; the bytes are the same.
	closed, closed2 := "http://127.0.0.1:1", "http://127.0.0.1:2"
	second := filepath.Join(t.TempDir(), "again.csv")
	for _, args := range [][]string{
		{"--offline", "--csv", second},
		{"--csv", second, "--overwrite"}, // no --offline: the closed range is the cache's
	} {
		out, _ = akw(append(append([]string{"--node", closed, "--witness", closed2, "-o", "json", "history", "alice"}, args...), rng...)...)
		var off historyAnswer
		if err := json.Unmarshal([]byte(out), &off); err != nil {
			t.Fatalf("second export %v: %v\n%s", args, err, out)
		}
		if off.Cache.Network || off.Cache.ProvenFromCache != len(txs) || off.Cache.ProvenNow != 0 || len(off.Cache.ListedFromNode) != 0 {
			t.Fatalf("second export %v asked the network: %+v", args, off.Cache)
		}
		again, err := os.ReadFile(second)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again, first) {
			t.Fatalf("second export %v differs:\n%s\nfirst:\n%s", args, again, first)
		}
	}

	// Beyond the cache, --offline is a clear error, not a guess.
	for _, beyond := range [][]string{{"--from-height", itoa(to + 1)}, {"--from-height", itoa(from + 1), "--to-height", itoa(to + 1)}} {
		code, _, errOut = akwRun(t, append([]string{"--home", home, "--node", closed, "--witness", closed2, "history", "alice", "--offline"}, beyond...)...)
		if code != 1 || !strings.Contains(errOut, "does not hold") || !strings.Contains(errOut, "hint: run it once with the network (without --offline)") {
			t.Fatalf("offline beyond the cache %v: exit %d\n%s", beyond, code, errOut)
		}
	}

	// A node with its index off: the clear error, exit 1, the hint to use
	// another node (--refresh: the range is cached).
	rpc := n.RPC()
	code, out, errOut = akwRun(t, append([]string{"--home", home, "--node", rpc[1], "--witness", rpc[0], "history", "alice", "--refresh"}, rng...)...)
	if code != 1 || out != "" || !strings.Contains(errOut, "error: node "+rpc[1]+" has its transaction index turned off") ||
		!strings.Contains(errOut, "hint: use a node that indexes transactions") {
		t.Fatalf("history through a node without index: exit %d\n%s%s", code, out, errOut)
	}

	// The text output says where each part comes from.
	out, _ = akw(append([]string{"history", "@carol"}, rng...)...)
	for _, want := range []string{"list: node-reported", "proven", "deposit 7", "received"} {
		if !strings.Contains(out, want) {
			t.Fatalf("history @carol does not say %q:\n%s", want, out)
		}
	}
	t.Logf("akw history @carol:\n%s", out)
}

// provenBalance is alice's uakt after block h, as `akw query balance
// --height` proves it.
func provenBalance(t *testing.T, akw func(...string) (string, string), h int64) sdkmath.Int {
	t.Helper()
	out, _ := akw("-o", "json", "query", "balance", "alice", "--denom", devnet.Denom, "--height", itoa(h))
	var b state.Balance
	if err := json.Unmarshal([]byte(out), &b); err != nil || !b.Verified || b.Height != h {
		t.Fatalf("balance at %d: %v\n%s", h, err, out)
	}
	return b.Coin.Amount
}

// csvMicro reads an AKT amount of the CSV ("1.500000") back in uakt.
func csvMicro(t *testing.T, s string) sdkmath.Int {
	t.Helper()
	if s == "" {
		return sdkmath.ZeroInt()
	}
	ip, fp, ok := strings.Cut(s, ".")
	v, ok2 := new(big.Int).SetString(ip+fp, 10) // base 10: a leading 0 is no octal
	if !ok || len(fp) != 6 || !ok2 {
		t.Fatalf("amount %q is not AKT with six decimals", s)
	}
	return sdkmath.NewIntFromBigInt(v)
}

func itoa(v int64) string { return big.NewInt(v).String() }
