package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/bech32"

	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/devnet/devnettest"
	"github.com/akash-wallet/akw/internal/ledgeremu"
	"github.com/akash-wallet/akw/internal/rpcproxy"
	"github.com/akash-wallet/akw/internal/testctx"
	"github.com/akash-wallet/akw/keys"
)

// txResultJSON is what `akw tx ... -o json` prints after a broadcast.
type txResultJSON struct {
	TxHash   string    `json:"txhash"`
	Height   int64     `json:"height"`
	Code     uint32    `json:"code"`
	Verified bool      `json:"verified"`
	GasUsed  int64     `json:"gas_used"`
	Fee      sdk.Coins `json:"fee"`
	Timings  struct {
		BuildMS, SignMS, BroadcastMS, WaitMS, TotalMS int64
	} `json:"-"`
	T map[string]int64 `json:"timings"`
}

type txEnv struct {
	t    *testing.T
	n    *devnet.Network
	home string
	base []string
}

func (e *txEnv) run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	return akwRun(t, append(append([]string{}, e.base...), args...)...)
}

// tx runs a transaction command that must succeed and returns its result.
func (e *txEnv) tx(t *testing.T, args ...string) txResultJSON {
	t.Helper()
	code, out, stderr := e.run(t, append(append([]string{"tx"}, args...), "-y", "-o", "json")...)
	if code != 0 {
		t.Fatalf("akw tx %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out, stderr)
	}
	var r txResultJSON
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("akw tx %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	if r.Code != 0 || !r.Verified || r.Height <= 0 || len(r.TxHash) != 64 {
		t.Fatalf("akw tx %s: result %+v", strings.Join(args, " "), r)
	}
	return r
}

// query runs `akw query ... -o json` and decodes the answer into v; every
// answer must carry "verified": true.
func (e *txEnv) query(t *testing.T, v any, args ...string) {
	t.Helper()
	code, out, stderr := e.run(t, append(append([]string{"query"}, args...), "-o", "json")...)
	if code != 0 {
		t.Fatalf("akw query %s: exit %d: %s", strings.Join(args, " "), code, stderr)
	}
	var p struct {
		Verified bool  `json:"verified"`
		Height   int64 `json:"height"`
	}
	if err := json.Unmarshal([]byte(out), &p); err != nil || !p.Verified || p.Height <= 0 {
		t.Fatalf("akw query %s: not verified: %v %s", strings.Join(args, " "), err, out)
	}
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatal(err)
	}
}

func (e *txEnv) balance(t *testing.T, who string) sdkmath.Int {
	t.Helper()
	var b struct {
		Balance sdk.Coin `json:"balance"`
	}
	e.query(t, &b, "balance", who, "--denom", "uakt")
	return b.Balance.Amount
}

func (e *txEnv) sequence(t *testing.T, who string) uint64 {
	t.Helper()
	var a struct {
		Sequence uint64 `json:"sequence"`
	}
	e.query(t, &a, "account", who)
	return a.Sequence
}

func (e *txEnv) delegated(t *testing.T, who, valoper string) sdkmath.Int {
	t.Helper()
	var d struct {
		Delegations []struct {
			ValidatorAddress string   `json:"validator_address"`
			Balance          sdk.Coin `json:"balance"`
		} `json:"delegations"`
	}
	e.query(t, &d, "delegations", who)
	for _, x := range d.Delegations {
		if x.ValidatorAddress == valoper {
			return x.Balance.Amount
		}
	}
	return sdkmath.ZeroInt()
}

func feeOf(r txResultJSON) sdkmath.Int { return r.Fee.AmountOf("uakt") }

func newTxEnv(t *testing.T, n *devnet.Network, node string) *txEnv {
	home := devnettest.NewHomeFor(t, n)
	e := &txEnv{t: t, n: n, home: home, base: []string{"--home", home}}
	if node != "" {
		e.base = append(e.base, "--node", node)
	}
	if code, _, stderr := e.run(t, "light", "init", "--trust-latest", "-y"); code != 0 {
		t.Fatalf("light init: exit %d: %s", code, stderr)
	}
	return e
}

// TestTxDevnet drives every transaction end to end on a real two-validator
// devnet and confirms each effect through akw's verified queries.
func TestTxDevnet(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a devnet")
	}
	// Its proposers list twice the transactions that ask for it
	// (testDuplicateInBlock); every other block is an honest one.
	n := devnettest.Start(t, devnettest.WithVotingPeriod(5*time.Minute),
		devnettest.WithConfig(func(c *devnet.Config) { c.RewriteProposal = listTwice }))
	wctx := testctx.New(t)
	if err := n.WaitForHeight(wctx, 4); err != nil {
		t.Fatal(err)
	}
	e := newTxEnv(t, n, "")
	info := n.Info()
	val0, val1 := info.Validators[0].OperatorAddress, info.Validators[1].OperatorAddress
	alice, _ := n.Account("alice")
	bob, _ := n.Account("bob")
	carol, _ := n.Account("carol")

	t.Run("send", func(t *testing.T) {
		a0, b0 := e.balance(t, alice.Address), e.balance(t, bob.Address)
		r := e.tx(t, "send", "alice", bob.Address, "1.5akt", "--memo", "akw e2e")
		if got := e.balance(t, bob.Address).Sub(b0); !got.Equal(sdkmath.NewInt(1_500_000)) {
			t.Fatalf("bob received %s", got)
		}
		if got := a0.Sub(e.balance(t, alice.Address)); !got.Equal(sdkmath.NewInt(1_500_000).Add(feeOf(r))) {
			t.Fatalf("alice paid %s, want 1500000 + fee %s", got, feeOf(r))
		}
		t.Logf("send timings (ms): %v", r.T)
	})

	t.Run("delegate", func(t *testing.T) {
		d0 := e.delegated(t, alice.Address, val0)
		e.tx(t, "delegate", "alice", val0, "3akt")
		if got := e.delegated(t, alice.Address, val0).Sub(d0); !got.Equal(sdkmath.NewInt(3_000_000)) {
			t.Fatalf("delegation grew by %s", got)
		}
	})

	t.Run("redelegate", func(t *testing.T) {
		s0, d0 := e.delegated(t, alice.Address, val0), e.delegated(t, alice.Address, val1)
		e.tx(t, "redelegate", "alice", val0, val1, "1akt")
		if got := s0.Sub(e.delegated(t, alice.Address, val0)); !got.Equal(sdkmath.NewInt(1_000_000)) {
			t.Fatalf("source shrank by %s", got)
		}
		if got := e.delegated(t, alice.Address, val1).Sub(d0); !got.Equal(sdkmath.NewInt(1_000_000)) {
			t.Fatalf("destination grew by %s", got)
		}
		var reds struct {
			Redelegations []json.RawMessage `json:"redelegations"`
		}
		e.query(t, &reds, "redelegations", alice.Address)
		if len(reds.Redelegations) == 0 {
			t.Fatal("no redelegation entry")
		}
		// Onward from val1 while the one into it matures: refused before
		// signing, exit 4, nothing broadcast.
		seq := e.sequence(t, alice.Address)
		code, _, stderr := e.run(t, "tx", "redelegate", "alice", val1, val0, "0.5akt", "-y")
		if code != 4 || !strings.Contains(stderr, "still maturing") {
			t.Fatalf("transitive redelegation: exit %d: %s", code, stderr)
		}
		if e.sequence(t, alice.Address) != seq {
			t.Fatal("something was broadcast")
		}
	})

	t.Run("undelegate", func(t *testing.T) {
		e.tx(t, "undelegate", "alice", val0, "0.5akt")
		var u struct {
			Unbondings []struct {
				ValidatorAddress string `json:"validator_address"`
				Entries          []struct {
					Balance sdkmath.Int `json:"balance"`
				} `json:"entries"`
			} `json:"unbonding_responses"`
		}
		e.query(t, &u, "unbonding", alice.Address)
		found := false
		for _, x := range u.Unbondings {
			for _, en := range x.Entries {
				found = found || (x.ValidatorAddress == val0 && en.Balance.Equal(sdkmath.NewInt(500_000)))
			}
		}
		if !found {
			t.Fatalf("no unbonding entry of 0.5akt: %+v", u)
		}
	})

	t.Run("withdraw-rewards", func(t *testing.T) {
		var rw struct {
			Total sdk.DecCoins `json:"total"`
		}
		e.query(t, &rw, "rewards", alice.Address)
		before := e.balance(t, alice.Address)
		pending := rw.Total.AmountOf("uakt").TruncateInt()
		r := e.tx(t, "withdraw-rewards", "alice", "--all")
		gain := e.balance(t, alice.Address).Sub(before).Add(feeOf(r))
		// Rewards only grow between the query and the withdrawal.
		if gain.LT(pending) {
			t.Fatalf("balance grew by %s + fee, less than the proven pending %s", gain, pending)
		}
		t.Logf("proven pending rewards %s uakt before; received %s uakt (fee %s)", pending, gain, feeOf(r))
		if pending.IsZero() {
			t.Fatal("no rewards accrued; the test proves nothing")
		}
		// From one named validator.
		e.tx(t, "withdraw-rewards", "alice", val0)

		// Claimed again at once, the rewards are a block's worth, less
		// than the fee: the review warns, in text and in JSON, and says
		// what the claim pays (proven).
		code, out, stderr := e.run(t, "tx", "withdraw-rewards", "alice", val0, "--dry-run", "-o", "json")
		var plan struct {
			Summary  []struct{ Label, Value string } `json:"summary"`
			Warnings []string                        `json:"warnings"`
		}
		if code != 0 || json.Unmarshal([]byte(out), &plan) != nil {
			t.Fatalf("dry run: exit %d: %s %s", code, out, stderr)
		}
		rewards := ""
		for _, f := range plan.Summary {
			if f.Label == "rewards" {
				rewards = f.Value
			}
		}
		if len(plan.Warnings) != 1 || !strings.Contains(plan.Warnings[0], "costs more than it brings") || !strings.Contains(rewards, "proven at height") {
			t.Fatalf("a claim below its fee: %s", out)
		}
		code, out, _ = e.run(t, "tx", "withdraw-rewards", "alice", val0, "--dry-run")
		if code != 0 || !strings.Contains(out, "warning") || !strings.Contains(out, "costs more than it brings") {
			t.Fatalf("text review: exit %d: %s", code, out)
		}
	})

	var proposal uint64
	t.Run("withdraw-commission", func(t *testing.T) {
		op, err := n.Account(info.Validators[0].Name)
		if err != nil {
			t.Fatal(err)
		}
		if err := devnet.ImportAccounts(e.home, []devnet.Account{op}); err != nil {
			t.Fatal(err)
		}
		before := e.balance(t, op.Address)
		r := e.tx(t, "withdraw-rewards", op.Name, "--all", "--commission")
		if gain := e.balance(t, op.Address).Sub(before); !gain.Add(feeOf(r)).IsPositive() {
			t.Fatalf("the operator gained %s (fee %s)", gain, feeOf(r))
		}
		// A key that operates no validator has no commission: refused.
		code, _, stderr := e.run(t, "tx", "withdraw-rewards", "alice", "--all", "--commission", "-y")
		if code != 4 || !strings.Contains(stderr, "not a validator operator") {
			t.Fatalf("commission of a non-operator: exit %d: %s", code, stderr)
		}
	})

	t.Run("interactive", func(t *testing.T) {
		// On a terminal akw shows the summary and asks; "n" cancels
		// (exit 130) and nothing is broadcast, "y" goes ahead.
		s0 := e.sequence(t, alice.Address)
		ask := func(answer string) (int, string) {
			var out, errb strings.Builder
			io := &IOStreams{In: strings.NewReader(answer), Out: &out, Err: &errb, StdinTTY: true, StdoutTTY: true}
			code := run(append(append([]string{}, e.base...), "tx", "send", "alice", bob.Address, "2uakt"), io)
			return code, errb.String()
		}
		code, stderr := ask("n\n")
		for _, want := range []string{"to ", bob.Address, "amount", "0.000002 AKT", "fee", "balance", "verified at height", "after", "[y/N]"} {
			if !strings.Contains(stderr, want) {
				t.Errorf("the confirmation does not show %q:\n%s", want, stderr)
			}
		}
		if code != 130 || e.sequence(t, alice.Address) != s0 {
			t.Fatalf("answered no: exit %d, sequence %d -> %d", code, s0, e.sequence(t, alice.Address))
		}
		if code, stderr := ask("y\n"); code != 0 {
			t.Fatalf("answered yes: exit %d: %s", code, stderr)
		}
		if e.sequence(t, alice.Address) != s0+1 {
			t.Fatal("answered yes but nothing was sent")
		}
	})

	t.Run("vote", func(t *testing.T) {
		id := submitProposal(t, n, "bob")
		proposal = id
		e.tx(t, "vote", "bob", fmt.Sprint(id), "yes")
		e.tx(t, "vote", "carol", fmt.Sprint(id), "yes=0.6,no=0.4")
		var v struct {
			Options []struct {
				Option string `json:"option"`
				Weight string `json:"weight"`
			} `json:"options"`
		}
		e.query(t, &v, "vote", fmt.Sprint(id), bob.Address)
		if len(v.Options) != 1 || v.Options[0].Option != "VOTE_OPTION_YES" {
			t.Fatalf("bob's vote %+v", v)
		}
		e.query(t, &v, "vote", fmt.Sprint(id), carol.Address)
		if len(v.Options) != 2 || v.Options[0].Option != "VOTE_OPTION_YES" || v.Options[0].Weight != "0.6" || v.Options[1].Option != "VOTE_OPTION_NO" {
			t.Fatalf("carol's vote %+v", v)
		}

		// A proposal still in its deposit period takes no votes: refused
		// before signing, exit 4.
		ctx := testctx.New(t)
		// Half the minimum deposit: enough to be accepted (mainnet's 40 %
		// initial deposit), not to start voting.
		dep, _, err := n.SubmitProposal(ctx, "carol", "akw-deposit-period", "Not enough deposit yet.", sdk.NewCoins(sdk.NewCoin(devnet.Denom, devnet.MinDeposit.QuoRaw(2))))
		if err != nil {
			t.Fatal(err)
		}
		waitBlocks(t, n, 2)
		s0 := e.sequence(t, bob.Address)
		code, _, stderr := e.run(t, "tx", "vote", "bob", fmt.Sprint(dep), "yes", "-y")
		if code != 4 || !strings.Contains(stderr, "not in its voting period") {
			t.Fatalf("vote in deposit period: exit %d: %s", code, stderr)
		}
		if e.sequence(t, bob.Address) != s0 {
			t.Fatal("broadcast anyway")
		}
	})

	t.Run("bad-input", func(t *testing.T) {
		a0, s0 := e.balance(t, alice.Address), e.sequence(t, alice.Address)
		bal := a0.String()
		cosmos := strings.Replace(bob.Address, "akash", "cosmos", 1) // wrong checksum too: refused either way
		cases := []struct {
			args []string
			code int
			want string
		}{
			{[]string{"send", "alice", bob.Address, bal + "uakt"}, 4, "spendable balance"},
			{[]string{"send", "alice", cosmos, "1akt"}, 2, "invalid address"},
			{[]string{"send", "alice", otherChain(bob.Address, "cosmos"), "1akt"}, 2, "another chain"},
			{[]string{"send", "alice", val0, "1akt"}, 2, "validator operator address where an account"},
			{[]string{"delegate", "alice", bob.Address, "1akt"}, 2, "account address where a validator"},
			{[]string{"send", "alice", bob.Address, "0akt"}, 2, "zero"},
			{[]string{"send", "alice", bob.Address, "-1akt"}, 2, "negative"},
			{[]string{"send", "alice", bob.Address, "1.0000001akt"}, 2, "decimal"},
			{[]string{"send", "alice", bob.Address, "1atom"}, 2, "unknown denom"},
			{[]string{"send", "alice", bob.Address, strings.Repeat("9", 80) + "uakt"}, 2, "too large"},
			{[]string{"redelegate", "alice", val0, val0, "1akt"}, 2, "to itself"},
			{[]string{"delegate", "alice", otherChain(val0, "akashvaloper", 0x01), "1akt"}, 4, "no validator"},
			{[]string{"vote", "alice", "999", "yes"}, 4, "no proposal 999"},
			{[]string{"vote", "alice", "1", "yes=0.5,no=0.4"}, 2, "sum to 1"},
			{[]string{"undelegate", "alice", val1, "1000akt"}, 4, "only"},
			{[]string{"send", "alice", bob.Address, "1akt", "--fees", "1uakt", "--gas-prices", "0.1uakt"}, 2, "both"},
			{[]string{"send", "alice", bob.Address, "1akt", "--unordered"}, 2, "timeout-duration"},
			{[]string{"send", "alice", bob.Address, "1akt", "--unordered", "--timeout-duration", "1h"}, 2, "longer than the chain allows"},
		}
		for _, c := range cases {
			// Flags first and "--" before the arguments, so that "-1akt"
			// reaches akw as an argument.
			argv := append([]string{"tx", c.args[0], "-y"}, c.args[1:]...)
			if strings.HasPrefix(c.args[len(c.args)-1], "-1") {
				argv = append([]string{"tx", c.args[0], "-y", "--"}, c.args[1:]...)
			}
			code, out, stderr := e.run(t, argv...)
			if code != c.code || !strings.Contains(stderr, c.want) || out != "" {
				t.Errorf("akw tx %s: exit %d (want %d), stderr %q (want %q), stdout %q", strings.Join(c.args, " "), code, c.code, stderr, c.want, out)
			}
		}
		// Without -y and without a terminal: refused, naming -y.
		code, _, stderr := e.run(t, "tx", "send", "alice", bob.Address, "1akt")
		if code != 2 || !strings.Contains(stderr, "-y") {
			t.Errorf("no -y: exit %d: %s", code, stderr)
		}
		if !e.balance(t, alice.Address).Equal(a0) || e.sequence(t, alice.Address) != s0 {
			t.Fatal("a refused transaction changed the balance or the sequence")
		}
	})

	t.Run("chain-rejects", func(t *testing.T) {
		// CheckTx: a fee under the node's minimum. Exit 4 with the
		// chain's log; nothing changed.
		s0 := e.sequence(t, alice.Address)
		code, out, stderr := e.run(t, "tx", "send", "alice", bob.Address, "1uakt", "--fees", "1uakt", "-y", "-o", "json")
		if code != 4 || !strings.Contains(stderr, "CheckTx") || !strings.Contains(stderr, "insufficient fee") || out != "" {
			t.Fatalf("low fee: exit %d: %s %s", code, out, stderr)
		}
		if e.sequence(t, alice.Address) != s0 {
			t.Fatal("sequence moved")
		}
		// DeliverTx: gas enough for CheckTx, not for the delegation.
		// Included and proven with its failing code: exit 4, the result
		// on stdout, the fee paid and the sequence used.
		code, out, stderr = e.run(t, "tx", "delegate", "alice", val0, "1akt", "--gas", "60000", "-y", "-o", "json")
		var r txResultJSON
		if code != 4 || json.Unmarshal([]byte(out), &r) != nil || r.Code != 11 || !r.Verified || !strings.Contains(stderr, "out of gas") {
			t.Fatalf("out of gas: exit %d: %s %s", code, out, stderr)
		}
		if e.sequence(t, alice.Address) != s0+1 {
			t.Fatal("a failed delivery did not use the sequence")
		}
	})

	t.Run("dry-run", func(t *testing.T) {
		s0 := e.sequence(t, alice.Address)
		code, out, stderr := e.run(t, "tx", "send", "alice", bob.Address, "1akt", "--dry-run", "-o", "json")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		var p struct {
			DryRun       bool   `json:"dry_run"`
			Gas          uint64 `json:"gas"`
			GasSimulated uint64 `json:"gas_simulated"`
			GasVerified  bool   `json:"gas_verified"`
		}
		if err := json.Unmarshal([]byte(out), &p); err != nil || !p.DryRun || p.GasSimulated == 0 || p.GasVerified || p.Gas != (p.GasSimulated*3+1)/2 {
			t.Fatalf("dry run %s (%v)", out, err)
		}
		if e.sequence(t, alice.Address) != s0 {
			t.Fatal("dry run broadcast something")
		}
	})

	t.Run("sequence", func(t *testing.T) {
		// A script sending several transactions in a row from one key.
		b0 := e.balance(t, carol.Address)
		for i := 0; i < 4; i++ {
			e.tx(t, "send", "bob", carol.Address, "1uakt")
		}
		if got := e.balance(t, carol.Address).Sub(b0); !got.Equal(sdkmath.NewInt(4)) {
			t.Fatalf("carol got %s", got)
		}
	})

	t.Run("unordered-parallel", func(t *testing.T) {
		// Unordered transactions from one key at once, from separate
		// homes (each its own light store): no sequence races.
		homes := []*txEnv{newTxEnv(t, n, ""), newTxEnv(t, n, ""), newTxEnv(t, n, "")}
		b0 := e.balance(t, carol.Address)
		s0 := e.sequence(t, bob.Address)
		var wg sync.WaitGroup
		errs := make([]string, len(homes))
		for i, h := range homes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				code, out, stderr := akwRun(t, append(append([]string{}, h.base...), "tx", "send", "bob", carol.Address, fmt.Sprintf("%duakt", 10+i), "--unordered", "--timeout-duration", "2m", "-y", "-o", "json")...)
				if code != 0 {
					errs[i] = fmt.Sprintf("exit %d: %s %s", code, out, stderr)
				}
			}()
		}
		wg.Wait()
		for _, s := range errs {
			if s != "" {
				t.Error(s)
			}
		}
		if got := e.balance(t, carol.Address).Sub(b0); !got.Equal(sdkmath.NewInt(10 + 11 + 12)) {
			t.Fatalf("carol got %s", got)
		}
		// Unordered transactions do not use the sequence.
		if got := e.sequence(t, bob.Address); got != s0 {
			t.Fatalf("sequence moved from %d to %d", s0, got)
		}
	})

	t.Run("duplicate-in-block", func(t *testing.T) { testDuplicateInBlock(t, e, n) })
	t.Run("offline", func(t *testing.T) { testOffline(t, e, n) })
	t.Run("ledger", func(t *testing.T) { testLedger(t, e, n, proposal) })
	t.Run("lying-node", func(t *testing.T) { testLyingNode(t, n) })
	t.Run("unknown-outcome", func(t *testing.T) { testUnknownOutcome(t, n) })
	// Last: it jails a validator.
	t.Run("jailed-validator", func(t *testing.T) { testJailed(t, e, n) })
}

// otherChain re-encodes addr's bytes under prefix hrp (valid checksum),
// optionally with its first byte changed.
func otherChain(addr, hrp string, flip ...byte) string {
	_, bz, err := bech32Decode(addr)
	if err != nil {
		panic(err)
	}
	if len(flip) > 0 {
		bz[0] ^= flip[0]
	}
	return bech32Encode(hrp, bz)
}

func submitProposal(t *testing.T, n *devnet.Network, from string) uint64 {
	t.Helper()
	ctx := testctx.New(t)
	id, _, err := n.SubmitProposal(ctx, from, "akw-tx-test", "A proposal to vote on.", sdk.NewCoins(sdk.NewCoin(devnet.Denom, devnet.MinDeposit)))
	if err != nil {
		t.Fatal(err)
	}
	// Proven state at H is committed by header H+1: wait until the
	// proposal's block has a successor.
	for i := 0; i < 2; i++ {
		if _, err := n.WaitForNextBlock(ctx); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

func bech32Decode(s string) (string, []byte, error) { return bech32.DecodeAndConvert(s) }

func bech32Encode(hrp string, bz []byte) string {
	s, err := bech32.ConvertAndEncode(hrp, bz)
	if err != nil {
		panic(err)
	}
	return s
}

// countingListener accepts connections on 127.0.0.1 and counts them: the
// proof that an offline command opened none.
type countingListener struct {
	ln net.Listener

	mu   sync.Mutex
	from []string // the accepted connections' remote addresses, in order
	more chan struct{}
}

func newCountingListener(t *testing.T) *countingListener {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c := &countingListener{ln: ln, more: make(chan struct{})}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			c.mu.Lock()
			c.from = append(c.from, conn.RemoteAddr().String())
			close(c.more)
			c.more = make(chan struct{})
			c.mu.Unlock()
			conn.Close()
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return c
}

// opened returns how many connections the code under test opened, once
// it has returned. It connects once itself and waits until that marker
// is accepted: the kernel hands connections to Accept in the order they
// were made, so every earlier one has been counted by then (a sleep would
// only guess how long that takes).
func (c *countingListener) opened(t *testing.T) int {
	t.Helper()
	conn, err := net.Dial("tcp", c.ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	marker := conn.LocalAddr().String()
	conn.Close()
	ctx := testctx.New(t)
	for {
		c.mu.Lock()
		from, more := c.from, c.more
		c.mu.Unlock()
		for _, a := range from {
			if a == marker {
				return len(from) - 1
			}
		}
		select {
		case <-more:
		case <-ctx.Done():
			t.Fatal("the counting listener never accepted its own marker connection")
		}
	}
}

func (c *countingListener) URL() string { return "http://" + c.ln.Addr().String() }

// testOffline: generate-only on the online home, sign on a second home
// with no node (and once with a node that counts connections: none),
// broadcast from the first.
func testOffline(t *testing.T, e *txEnv, n *devnet.Network) {
	info := n.Info()
	alice, _ := n.Account("alice")
	bob, _ := n.Account("bob")
	dir := t.TempDir()
	unsigned := filepath.Join(dir, "unsigned.json")
	signed := filepath.Join(dir, "signed.json")

	// Generate with FROM as an address: no key needed.
	if code, _, stderr := e.run(t, "tx", "send", alice.Address, bob.Address, "2akt", "--generate-only", "--out", unsigned, "--memo", "offline"); code != 0 {
		t.Fatalf("generate-only: exit %d: %s", code, stderr)
	}
	var acct struct {
		AccountNumber uint64 `json:"account_number"`
		Sequence      uint64 `json:"sequence"`
	}
	e.query(t, &acct, "account", alice.Address)

	// The air-gapped home: a keyring with alice, no config, no node.
	cold := filepath.Join(dir, "cold")
	if err := os.MkdirAll(cold, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := devnet.ImportAccounts(cold, info.Accounts); err != nil {
		t.Fatal(err)
	}
	coldArgs := []string{"--home", cold, "--network", "devnet", "--chain-id", info.ChainID, "--keyring-backend", "test", "--keyring-dir", cold,
		"tx", "sign", unsigned, "--from", "alice", "--offline",
		"--account-number", fmt.Sprint(acct.AccountNumber), "--sequence", fmt.Sprint(acct.Sequence)}
	code, out, stderr := akwRun(t, append(coldArgs, "--out", signed)...)
	if code != 0 {
		t.Fatalf("offline sign: exit %d: %s %s", code, out, stderr)
	}
	// The same with a node configured that counts connections: none.
	cl := newCountingListener(t)
	code, _, stderr = akwRun(t, append([]string{"--node", cl.URL(), "--witness", cl.URL()}, append(coldArgs, "--out", filepath.Join(dir, "signed2.json"))...)...)
	if code != 0 {
		t.Fatalf("offline sign with a node: exit %d: %s", code, stderr)
	}
	if got := cl.opened(t); got != 0 {
		t.Fatalf("offline signing opened %d connections", got)
	}
	// Decode shows what was signed, without a network.
	code, out, stderr = akwRun(t, "--home", cold, "--network", "devnet", "tx", "decode", signed)
	if code != 0 || !strings.Contains(out, "2 AKT") || !strings.Contains(out, bob.Address) || !strings.Contains(out, "SIGN_MODE_DIRECT") {
		t.Fatalf("decode: exit %d: %s %s", code, out, stderr)
	}

	b0 := e.balance(t, bob.Address)
	r := e.tx(t, "broadcast", signed)
	if got := e.balance(t, bob.Address).Sub(b0); !got.Equal(sdkmath.NewInt(2_000_000)) {
		t.Fatalf("bob got %s", got)
	}
	// Looked up by hash: proven inclusion.
	code, out, stderr = e.run(t, "tx", "status", r.TxHash, "-o", "json")
	var st txResultJSON
	if code != 0 || json.Unmarshal([]byte(out), &st) != nil || !st.Verified || st.Height != r.Height {
		t.Fatalf("tx status: exit %d: %s %s", code, out, stderr)
	}
	// Broadcasting it again: found by hash, reported, not resent.
	code, out, stderr = e.run(t, "tx", "broadcast", signed, "-y", "-o", "json")
	if code != 0 || !strings.Contains(stderr, "already included") || !strings.Contains(out, r.TxHash) {
		t.Fatalf("second broadcast: exit %d: %s %s", code, out, stderr)
	}
	// An unordered transaction signed offline and broadcast after its
	// timeout: refused before broadcast, exit 4.
	expired := filepath.Join(dir, "expired.json")
	exArgs := []string{"--home", cold, "--network", "devnet", "--chain-id", info.ChainID, "--keyring-backend", "test", "--keyring-dir", cold,
		"tx", "send", "alice", bob.Address, "1uakt", "--offline", "--unordered", "--timeout-duration", "1s", "--gas", "120000",
		"--account-number", fmt.Sprint(acct.AccountNumber), "-y", "--out", expired}
	if code, _, stderr := akwRun(t, exArgs...); code != 0 {
		t.Fatalf("unordered offline: %s", stderr)
	}
	e.waitVerifiedPast(t, alice.Address, unorderedTimeout(t, cold, expired))
	code, _, stderr = e.run(t, "tx", "broadcast", expired, "-y")
	if code != 4 || !strings.Contains(stderr, "expired") {
		t.Fatalf("expired unordered: exit %d: %s", code, stderr)
	}

	// Signed for the wrong chain: refused before broadcast.
	wrong := filepath.Join(dir, "wrong.json")
	if code, _, stderr := e.run(t, "tx", "send", alice.Address, bob.Address, "1akt", "--generate-only", "--out", filepath.Join(dir, "u2.json")); code != 0 {
		t.Fatal(stderr)
	}
	e.query(t, &acct, "account", alice.Address)
	wrongArgs := []string{"--home", cold, "--network", "devnet", "--chain-id", "akashnet-2", "--keyring-backend", "test", "--keyring-dir", cold,
		"tx", "sign", filepath.Join(dir, "u2.json"), "--from", "alice", "--offline",
		"--account-number", fmt.Sprint(acct.AccountNumber), "--sequence", fmt.Sprint(acct.Sequence), "--out", wrong}
	if code, _, stderr := akwRun(t, wrongArgs...); code != 0 {
		t.Fatal(stderr)
	}
	code, _, stderr = e.run(t, "tx", "broadcast", wrong, "-y")
	if code != 4 || !strings.Contains(stderr, "does not verify for chain") {
		t.Fatalf("wrong chain: exit %d: %s", code, stderr)
	}
}

// testLyingNode: a node that lies about inclusion is caught (exit 3), and
// the honest path through the same proxy works.
func testLyingNode(t *testing.T, n *devnet.Network) {
	info := n.Info()
	carol, _ := n.Account("carol")
	proxy, err := rpcproxy.New(info.RPC[0])
	if err != nil {
		t.Fatal(err)
	}
	defer proxy.Close()
	e := newTxEnv(t, n, proxy.URL())
	e.tx(t, "send", "alice", carol.Address, "1uakt")

	// The node claims the transaction used other gas than it did: the
	// result no longer matches LastResultsHash.
	proxy.Handle("tx", func(c rpcproxy.Call, r *rpcproxy.Response) {
		var m map[string]any
		if json.Unmarshal(r.Result, &m) != nil {
			return
		}
		if tr, ok := m["tx_result"].(map[string]any); ok {
			tr["gas_used"] = "1"
			r.Result, _ = json.Marshal(m)
		}
	})
	code, out, stderr := e.run(t, "tx", "send", "alice", carol.Address, "1uakt", "-y", "-o", "json")
	if code != 3 {
		t.Fatalf("lying node: exit %d: %s %s", code, out, stderr)
	}
	t.Logf("caught: %s", lastLine(stderr))

	// The node answers every lookup with another, real, included
	// transaction (its proof is valid, for other bytes).
	proxy.Handle("tx", nil)
	first := e.tx(t, "send", "alice", carol.Address, "1uakt")
	resp, err := http.Get(info.RPC[0] + "/tx?hash=0x" + first.TxHash + "&prove=true")
	if err != nil {
		t.Fatal(err)
	}
	var envelope struct {
		Result json.RawMessage `json:"result"`
	}
	err = json.NewDecoder(resp.Body).Decode(&envelope)
	resp.Body.Close()
	if err != nil || len(envelope.Result) == 0 {
		t.Fatalf("fetching tx %s: %v", first.TxHash, err)
	}
	proxy.Handle("tx", func(c rpcproxy.Call, r *rpcproxy.Response) {
		r.Error, r.Result = nil, envelope.Result
	})
	seq := e.sequence(t, "alice")
	code, out, stderr = e.run(t, "tx", "send", "alice", carol.Address, "1uakt", "-y", "-o", "json")
	if code != 3 {
		t.Fatalf("node serving another tx: exit %d: %s %s", code, out, stderr)
	}
	t.Logf("caught: %s", lastLine(stderr))
	// The refused transaction is real and lands in its own time (on a
	// busy machine, after the next test read carol's balance): wait
	// until it has, by alice's proven sequence.
	ctx := testctx.New(t)
	for e.sequence(t, "alice") <= seq {
		if _, err := n.WaitForNextBlock(ctx); err != nil {
			t.Fatal(err)
		}
	}
}

// testLedger: the same operations signed by a Ledger key, through the
// emulated Cosmos app (v2.38.12 with its HRP allowlist) under the real
// ledger-cosmos-go client. The device must accept every amino JSON sign
// document under the app's rules and show the transaction for review.
func testLedger(t *testing.T, e *txEnv, n *devnet.Network, proposal uint64) {
	info := n.Info()
	alice, _ := n.Account("alice")
	bob, _ := n.Account("bob")
	val0, val1 := info.Validators[0].OperatorAddress, info.Validators[1].OperatorAddress
	dev, err := ledgeremu.New(ledgeremu.Config{Mnemonic: alice.Mnemonic, HRPAllowlist: true})
	if err != nil {
		t.Fatal(err)
	}
	keys.SetLedgerConnector(dev.Connect)
	t.Cleanup(func() { keys.SetLedgerConnector(nil) })

	code, out, stderr := e.run(t, "keys", "add", "hw", "--ledger", "--index", "7", "-y", "-o", "json")
	if code != 0 {
		t.Fatalf("keys add --ledger: exit %d: %s %s", code, out, stderr)
	}
	var added struct {
		Key struct {
			Address string `json:"address"`
		} `json:"key"`
	}
	if err := json.Unmarshal([]byte(out), &added); err != nil || added.Key.Address == "" {
		t.Fatalf("%v: %s", err, out)
	}
	hw := added.Key.Address
	e.tx(t, "send", "alice", hw, "50akt")

	reviewed := func(t *testing.T, want ...string) {
		t.Helper()
		r, ok := dev.LastReview()
		if !ok || r.Kind != ledgeremu.ReviewTransaction || r.Decision != ledgeremu.Approve {
			t.Fatalf("no approved transaction review: %+v", r)
		}
		var shown []string
		for _, s := range r.Screens {
			shown = append(shown, s.Key+": "+s.Value)
		}
		all := strings.Join(shown, "\n")
		for _, w := range append(want, info.ChainID) {
			if !strings.Contains(all, w) {
				t.Fatalf("the device did not show %q:\n%s", w, all)
			}
		}
	}
	before := len(dev.Reviews())
	b0 := e.balance(t, bob.Address)
	e.tx(t, "send", "hw", bob.Address, "1akt")
	reviewed(t, "Type: Send", bob.Address, "1000000")
	if got := e.balance(t, bob.Address).Sub(b0); !got.Equal(sdkmath.NewInt(1_000_000)) {
		t.Fatalf("bob got %s", got)
	}
	e.tx(t, "delegate", "hw", val0, "5akt")
	reviewed(t, "Type: Delegate", val0)
	if got := e.delegated(t, hw, val0); !got.Equal(sdkmath.NewInt(5_000_000)) {
		t.Fatalf("delegated %s", got)
	}
	e.tx(t, "redelegate", "hw", val0, val1, "1akt")
	reviewed(t, "Type: Redelegate", val1)
	e.tx(t, "undelegate", "hw", val0, "1akt")
	reviewed(t, "Type: Undelegate")
	e.tx(t, "withdraw-rewards", "hw", "--all")
	reviewed(t, "Type: Withdraw Reward", val0, val1)
	if proposal > 0 {
		e.tx(t, "vote", "hw", fmt.Sprint(proposal), "yes=0.7,abstain=0.3")
		reviewed(t, "cosmos-sdk/v1/MsgVoteWeighted")
	}
	// The air-gapped Ledger: generate online, sign offline with the device
	// (amino JSON, no network), broadcast online.
	dir := t.TempDir()
	var acct struct {
		AccountNumber uint64 `json:"account_number"`
		Sequence      uint64 `json:"sequence"`
	}
	e.query(t, &acct, "account", hw)
	if code, _, stderr := e.run(t, "tx", "send", hw, bob.Address, "3akt", "--generate-only", "--out", filepath.Join(dir, "u.json")); code != 0 {
		t.Fatal(stderr)
	}
	cl := newCountingListener(t)
	code, _, stderr = e.run(t, "--node", cl.URL(), "--witness", cl.URL(), "tx", "sign", filepath.Join(dir, "u.json"), "--from", "hw", "--offline",
		"--account-number", fmt.Sprint(acct.AccountNumber), "--sequence", fmt.Sprint(acct.Sequence), "--out", filepath.Join(dir, "s.json"))
	if n := cl.opened(t); code != 0 || n != 0 {
		t.Fatalf("offline Ledger signing: exit %d, %d connections: %s", code, n, stderr)
	}
	reviewed(t, "Type: Send", "3000000")
	code, out, _ = e.run(t, "--network", "devnet", "tx", "decode", filepath.Join(dir, "s.json"))
	if code != 0 || !strings.Contains(out, "SIGN_MODE_LEGACY_AMINO_JSON") {
		t.Fatalf("decode: %s", out)
	}
	b0 = e.balance(t, bob.Address)
	e.tx(t, "broadcast", filepath.Join(dir, "s.json"))
	if got := e.balance(t, bob.Address).Sub(b0); !got.Equal(sdkmath.NewInt(3_000_000)) {
		t.Fatalf("bob got %s", got)
	}

	if got := len(dev.Reviews()) - before; got < 5 {
		t.Fatalf("%d transactions reviewed on the device", got)
	}

	// Rejected on the device: exit 6, nothing broadcast.
	dev.SetUser(ledgeremu.RejectAll)
	s0 := e.sequence(t, hw)
	code, _, stderr = e.run(t, "tx", "send", "hw", bob.Address, "1akt", "-y")
	if code != 6 {
		t.Fatalf("rejected on device: exit %d: %s", code, stderr)
	}
	if e.sequence(t, hw) != s0 {
		t.Fatal("a rejected signature was broadcast")
	}
	t.Logf("rejected on the device: %s", strings.TrimSpace(stderr))
}

// testUnknownOutcome: the broadcast call fails after the node took the
// transaction (a dropped answer). akw looks it up by hash, finds it
// included and proven, and never sends it twice. When the node also
// never reports it, the outcome is unknown: no second broadcast either.
func testUnknownOutcome(t *testing.T, n *devnet.Network) {
	info := n.Info()
	carol, _ := n.Account("carol")
	proxy, err := rpcproxy.New(info.RPC[0])
	if err != nil {
		t.Fatal(err)
	}
	defer proxy.Close()
	// The previous test's last transaction (the one akw refused to
	// report) must be in provable state before balances are compared.
	waitBlocks(t, n, 2)
	e := newTxEnv(t, n, proxy.URL())
	proxy.Handle("broadcast_tx_sync", func(c rpcproxy.Call, r *rpcproxy.Response) {
		r.Error = &rpcproxy.RPCError{Code: -32603, Message: "Internal error", Data: "connection dropped"}
	})
	b0 := e.balance(t, carol.Address)
	proxy.ResetCounts()
	r := e.tx(t, "send", "alice", carol.Address, "7uakt")
	if got := proxy.Count("broadcast_tx_sync"); got != 1 {
		t.Fatalf("%d broadcasts", got)
	}
	if got := e.balance(t, carol.Address).Sub(b0); !got.Equal(sdkmath.NewInt(7)) {
		t.Fatalf("carol got %s", got)
	}
	t.Logf("dropped broadcast answer: found by hash %s at height %d", r.TxHash, r.Height)

	// Now the node drops the transaction and says nothing about it.
	proxy.Handle("broadcast_tx_sync", func(c rpcproxy.Call, r *rpcproxy.Response) {
		r.Result = nil
		r.Error = &rpcproxy.RPCError{Code: -32603, Message: "Internal error", Data: "connection dropped"}
	})
	proxy.Handle("tx", func(c rpcproxy.Call, r *rpcproxy.Response) {
		r.Result = nil
		r.Error = &rpcproxy.RPCError{Code: -32603, Message: "Internal error", Data: "tx (ABCD) not found"}
	})
	s0 := e.sequence(t, "alice")
	proxy.ResetCounts()
	code, out, stderr := e.run(t, "tx", "send", "alice", carol.Address, "8uakt", "--wait-timeout", "4s", "-y", "-o", "json")
	if code == 0 || !strings.Contains(stderr, "unknown") || !strings.Contains(stderr, "tx status") {
		t.Fatalf("exit %d: %s %s", code, out, stderr)
	}
	if got := proxy.Count("broadcast_tx_sync"); got != 1 {
		t.Fatalf("%d broadcasts", got)
	}
	t.Logf("unknown outcome (exit %d): %s", code, strings.TrimSpace(stderr))
	_ = s0
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// testJailed jails validator 1 for real (its operator undelegates its whole
// self-delegation, below the minimum) and checks that a delegation to it
// is refused before signing unless --allow-inactive is given.
func testJailed(t *testing.T, e *txEnv, n *devnet.Network) {
	info := n.Info()
	val1 := info.Validators[1].OperatorAddress
	op, err := n.Account(info.Validators[1].Name)
	if err != nil {
		t.Fatal(err)
	}
	if err := devnet.ImportAccounts(e.home, []devnet.Account{op}); err != nil && !strings.Contains(err.Error(), "exist") {
		t.Fatal(err)
	}
	self := e.delegated(t, op.Address, val1)
	e.tx(t, "undelegate", op.Name, val1, self.String()+"uakt")
	var v struct {
		Validator struct {
			Jailed bool   `json:"jailed"`
			Status string `json:"status"`
		} `json:"validator"`
	}
	e.query(t, &v, "validator", val1)
	if !v.Validator.Jailed {
		t.Fatalf("validator 1 not jailed: %+v", v)
	}
	s0 := e.sequence(t, "alice")
	code, _, stderr := e.run(t, "tx", "delegate", "alice", val1, "1akt", "-y")
	if code != 4 || !strings.Contains(stderr, "jailed") || !strings.Contains(stderr, "--allow-inactive") {
		t.Fatalf("delegation to a jailed validator: exit %d: %s", code, stderr)
	}
	if e.sequence(t, "alice") != s0 {
		t.Fatal("broadcast anyway")
	}
	t.Logf("refused: %s", lastLine(stderr))
	code, out, stderr := e.run(t, "tx", "delegate", "alice", val1, "1akt", "--allow-inactive", "-y", "-o", "json")
	if code != 0 || !strings.Contains(stderr, "warning") && !strings.Contains(stderr, "jailed") {
		t.Fatalf("--allow-inactive: exit %d: %s %s", code, out, stderr)
	}
}

// unorderedTimeout is the timeout of the unordered transaction in file,
// as akw tx decode reads it.
func unorderedTimeout(t *testing.T, home, file string) time.Time {
	t.Helper()
	code, out, stderr := akwRun(t, "--home", home, "--network", "devnet", "tx", "decode", file, "-o", "json")
	var d struct {
		Unordered bool      `json:"unordered"`
		Timeout   time.Time `json:"timeout_timestamp"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &d) != nil || !d.Unordered || d.Timeout.IsZero() {
		t.Fatalf("tx decode %s: exit %d: %s %s", file, code, out, stderr)
	}
	return d.Timeout
}

// waitVerifiedPast waits, block by block, until the newest state akw
// verifies rests on a header whose time is not before ts: the chain's
// own clock has passed ts, whatever the local clock says.
func (e *txEnv) waitVerifiedPast(t *testing.T, addr string, ts time.Time) {
	t.Helper()
	ctx := testctx.New(t)
	for {
		var a struct {
			HeaderTime time.Time `json:"header_time"`
		}
		e.query(t, &a, "balance", addr, "--denom", "uakt")
		if !a.HeaderTime.Before(ts) {
			return
		}
		if _, err := e.n.WaitForNextBlock(ctx); err != nil {
			t.Fatalf("waiting for a block after %s (newest verified %s): %v", ts, a.HeaderTime, err)
		}
	}
}

func waitBlocks(t *testing.T, n *devnet.Network, k int) {
	t.Helper()
	ctx := testctx.New(t)
	for i := 0; i < k; i++ {
		if _, err := n.WaitForNextBlock(ctx); err != nil {
			t.Fatal(err)
		}
	}
}

// The counting listener does count: connections made just before
// opened() are in its answer.
func TestCountingListener(t *testing.T) {
	cl := newCountingListener(t)
	for i := 0; i < 3; i++ {
		c, err := net.Dial("tcp", cl.ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
	}
	if got := cl.opened(t); got != 3 {
		t.Fatalf("counted %d of 3 connections", got)
	}
}
