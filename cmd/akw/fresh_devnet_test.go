package main

// Freshness (issue 11, part 1): "the newest state" must never be older
// than the newest header akw has verified, whatever the nodes say their
// newest block is, and every answer says how old it is. Driven through
// akw itself against a 3-validator devnet, with rpcproxy playing nodes
// that report an old tip.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/devnet/devnettest"
	"github.com/akash-wallet/akw/internal/rpcproxy"
	"github.com/akash-wallet/akw/internal/testctx"
)

// freshAnswer is the part of every `akw query ... -o json` answer that
// says what it rests on and how old it is.
type freshAnswer struct {
	Height     int64     `json:"height"`
	Verified   bool      `json:"verified"`
	HeaderTime time.Time `json:"header_time"`
	AgeSeconds *int64    `json:"age_seconds"`
	Stale      *bool     `json:"stale"`
	Historical *bool     `json:"historical"`
}

func decodeFresh(t *testing.T, what, stdout string) freshAnswer {
	t.Helper()
	var a freshAnswer
	if err := json.Unmarshal([]byte(stdout), &a); err != nil {
		t.Fatalf("%s: not one JSON document: %v\n%s", what, err, stdout)
	}
	if !a.Verified || a.HeaderTime.IsZero() || a.AgeSeconds == nil || *a.AgeSeconds < 0 || a.Stale == nil || a.Historical == nil {
		t.Fatalf("%s: verified %v, header_time %v, age_seconds %v, stale %v, historical %v\n%s",
			what, a.Verified, a.HeaderTime, a.AgeSeconds, a.Stale, a.Historical, stdout)
	}
	var raw struct {
		HeaderTime string `json:"header_time"`
	}
	_ = json.Unmarshal([]byte(stdout), &raw)
	if _, err := time.Parse(time.RFC3339, raw.HeaderTime); err != nil || !strings.HasSuffix(raw.HeaderTime, "Z") {
		t.Fatalf("%s: header_time %q is not RFC 3339 in UTC (%v)", what, raw.HeaderTime, err)
	}
	return a
}

// compactJSON drops the indentation of akw's JSON, for substring checks.
func compactJSON(t *testing.T, s string) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(s)); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, s)
	}
	return b.String()
}

func TestFreshnessDevnet(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a devnet")
	}
	// Three validators: a lagging primary is replaced by a witness that
	// is ahead, and the third node cross-checks it.
	n := devnettest.Start(t, devnettest.WithValidators(3), devnettest.WithVotingPeriod(10*time.Minute))
	ctx := testctx.New(t)
	info := n.Info()
	val0, val1 := info.Validators[0].OperatorAddress, info.Validators[1].OperatorAddress
	alice, _ := n.Account("alice")
	bob, _ := n.Account("bob")
	carol, _ := n.Account("carol")
	uakt := func(a int64) sdk.Coin { return sdk.NewInt64Coin(devnet.Denom, a) }

	// Something for every query kind to show.
	must := func(what string, _ *devnet.TxResult, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	r, err := n.Delegate(ctx, "alice", val0, uakt(7_000_000))
	must("delegate", r, err)
	r, err = n.Exec(ctx, "alice", []sdk.Msg{stakingtypes.NewMsgUndelegate(alice.Address, val0, uakt(1_000_000))})
	must("undelegate", r, err)
	r, err = n.Exec(ctx, "alice", []sdk.Msg{stakingtypes.NewMsgBeginRedelegate(alice.Address, val0, val1, uakt(2_000_000))})
	must("redelegate", r, err)
	prop, err := govv1.NewMsgSubmitProposal(nil, sdk.NewCoins(uakt(2_000_000)), bob.Address, "akw-fresh", "freshness", "vote on me", false)
	if err != nil {
		t.Fatal(err)
	}
	r, err = n.Exec(ctx, "bob", []sdk.Msg{prop})
	must("propose", r, err)
	r, err = n.Vote(ctx, "alice", 1, govv1.OptionYes)
	must("vote", r, err)
	// Room for a tip 20 blocks below the trusted header.
	if err := n.WaitForHeight(ctx, 25); err != nil {
		t.Fatal(err)
	}

	var proxies []*rpcproxy.Proxy
	for _, u := range info.RPC {
		p, err := rpcproxy.New(u)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { p.Close() })
		proxies = append(proxies, p)
	}
	stopLies := func() {
		for _, p := range proxies {
			p.ClaimTip(0, false)
		}
	}
	home := devnettest.NewHomeFor(t, n)
	lying := []string{"--home", home, "--node", proxies[0].URL(), "--witness", proxies[1].URL(), "--witness", proxies[2].URL()}
	honest := []string{"--home", home, "--node", info.RPC[0], "--witness", info.RPC[1], "--witness", info.RPC[2]}
	akw := func(base []string, args ...string) (int, string, string) {
		t.Helper()
		return akwRun(t, with(base, args...)...)
	}
	ok := func(base []string, args ...string) (string, string) {
		t.Helper()
		code, stdout, stderr := akw(base, args...)
		if code != 0 {
			t.Fatalf("akw %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, stdout, stderr)
		}
		return stdout, stderr
	}
	ok(honest, "light", "init", "--trust-latest", "-y")
	// update brings the store to the newest header and returns its height.
	update := func() int64 {
		t.Helper()
		ok(honest, "light", "update")
		out, _ := ok(honest, "light", "status", "--no-probe", "-o", "json")
		var st struct {
			Height int64 `json:"trusted_height"`
		}
		if err := json.Unmarshal([]byte(out), &st); err != nil || st.Height == 0 {
			t.Fatalf("light status: %v %s", err, out)
		}
		return st.Height
	}
	// spend makes alice's balance and sequence change, and waits until
	// the block holding it is provable.
	spend := func() *devnet.TxResult {
		t.Helper()
		sent, err := n.Send(ctx, "alice", carol.Address, sdk.NewCoins(uakt(1_234)))
		if err != nil {
			t.Fatal(err)
		}
		if err := n.WaitForHeight(ctx, sent.Height+1); err != nil {
			t.Fatal(err)
		}
		return sent
	}
	// at is alice's state at a height, asked for (historical) on the
	// real nodes: the reference.
	type aliceState struct {
		Balance  string
		Sequence uint64
	}
	at := func(h int64) aliceState {
		t.Helper()
		hs := strconv.FormatInt(h, 10)
		out, _ := ok(honest, "-o", "json", "query", "balance", alice.Address, "--denom", devnet.Denom, "--height", hs)
		var b struct {
			Balance struct {
				Amount string `json:"amount"`
			} `json:"balance"`
		}
		if err := json.Unmarshal([]byte(out), &b); err != nil {
			t.Fatal(err)
		}
		out, _ = ok(honest, "-o", "json", "query", "account", alice.Address, "--height", hs)
		var a struct {
			Sequence uint64 `json:"sequence"`
		}
		if err := json.Unmarshal([]byte(out), &a); err != nil {
			t.Fatal(err)
		}
		return aliceState{b.Balance.Amount, a.Sequence}
	}
	behindNotice := func(p *rpcproxy.Proxy, claimed, trusted int64) string {
		return fmt.Sprintf("node %s says its newest block is %d, below header %d that akw has already verified", p.URL(), claimed, trusted)
	}
	// namedBehind: stderr names p's claimed tip below a verified header at
	// or above trusted — the query may have verified a newer header than
	// the test trusted (the guess is asked beside /status), and the notice
	// names the store's newest when the claim is read.
	namedBehind := func(stderr string, p *rpcproxy.Proxy, claimed, trusted int64) bool {
		re := regexp.MustCompile(regexp.QuoteMeta(fmt.Sprintf("node %s says its newest block is %d, below header ", p.URL(), claimed)) + `(\d+) that akw has already verified`)
		for _, m := range re.FindAllStringSubmatch(stderr, -1) {
			if h, err := strconv.ParseInt(m[1], 10, 64); err == nil && h >= trusted {
				return true
			}
		}
		return false
	}

	// Every query kind, through a primary and witnesses that all say
	// their newest block is 20 below the trusted header (the issue's
	// lie): each answer rests on the trusted header or newer, never on
	// the old tip, and the lagging nodes are named.
	t.Run("every query, all nodes claim an old tip", func(t *testing.T) {
		defer stopLies()
		sent := spend()
		trusted := update()
		old := trusted - 20
		if old >= sent.Height {
			t.Fatalf("trusted header %d: a tip 20 below it (%d) is not before the spend at %d", trusted, old, sent.Height)
		}
		before, after := at(old-1), at(trusted-1)
		if before == after {
			t.Fatalf("alice's state at %d and %d is the same: the test would prove nothing", old-1, trusted-1)
		}
		for _, p := range proxies {
			p.ClaimTip(old, false)
		}
		queries := [][]string{
			{"balance", alice.Address},
			{"balance", alice.Address, "--denom", devnet.Denom},
			{"account", alice.Address},
			{"delegations", alice.Address},
			{"unbonding", alice.Address},
			{"redelegations", alice.Address},
			{"validators"},
			{"validator", val0},
			{"proposals"},
			{"proposal", "1"},
			{"vote", "1", alice.Address},
			{"rewards", alice.Address},
		}
		for _, q := range queries {
			what := "query " + strings.Join(q, " ")
			proxies[0].ResetCounts()
			stdout, stderr := ok(lying, append([]string{"-o", "json", "query"}, q...)...)
			a := decodeFresh(t, what, stdout)
			stdout = compactJSON(t, stdout)
			if a.Height < trusted-1 {
				t.Fatalf("%s: state of height %d, older than the trusted header %d\n%s", what, a.Height, trusted, stderr)
			}
			if *a.Historical || *a.Stale != (*a.AgeSeconds > int64(time.Minute/time.Second)) {
				t.Fatalf("%s: historical %v, stale %v at age %ds (devnet bound 60s)", what, *a.Historical, *a.Stale, *a.AgeSeconds)
			}
			// The one-round-trip path (state.Querier.Newest) predicts the
			// newest height from the trusted header and asks /status only
			// beside the guess (a guess behind the tip is read again at
			// it); a path that did not ask has no tip to name. A claim akw
			// did read must be named.
			if proxies[0].Count("status") > 0 && !namedBehind(stderr, proxies[0], old, trusted) {
				t.Fatalf("%s: the lagging primary is not named with both heights:\n%s", what, stderr)
			}
			switch q[0] {
			case "balance":
				if len(q) > 2 && !strings.Contains(stdout, `"amount":"`+after.Balance+`"`) {
					t.Fatalf("%s: not the balance after the spend (%s; before it %s): %s", what, after.Balance, before.Balance, stdout)
				}
			case "account":
				if !strings.Contains(stdout, fmt.Sprintf(`"sequence":%d`, after.Sequence)) {
					t.Fatalf("%s: not the sequence after the spend (%d; before it %d): %s", what, after.Sequence, before.Sequence, stdout)
				}
			}
		}
		// light update: nothing newer, and it does not call that "up to date".
		// The queries above may have verified a header newer than trusted
		// (the one-round-trip path predicts the height, ignoring the tip
		// the nodes claim): the store's header is trusted or newer.
		text, stderr := ok(lying, "light", "update")
		m := regexp.MustCompile(`no newer header verified: trusted header (\d+)`).FindStringSubmatch(text)
		var now int64
		if m != nil {
			now, _ = strconv.ParseInt(m[1], 10, 64)
		}
		if m == nil || now < trusted || !strings.Contains(stderr, behindNotice(proxies[0], old, now)) {
			t.Fatalf("light update (trusted header %d or newer expected):\n%s%s", trusted, text, stderr)
		}
		// In text: the answer and its age; the notice on stderr.
		text, stderr = ok(lying, "query", "balance", alice.Address)
		t.Logf("akw query balance (all nodes claim tip %d, trusted %d):\n%s%s", old, trusted, text, stderr)
		if !strings.Contains(text, "verified: every balance") || !strings.Contains(text, " ago)") {
			t.Fatalf("text answer:\n%s", text)
		}
	})

	// The checks before signing: the primary is behind (thoroughly: it
	// refuses every height above its tip) while the witnesses are ahead
	// of the trusted header, past a spend. The checks must see the spend
	// (its sequence), through the witnesses; before, they rested on the
	// trusted header and signed with a used sequence.
	t.Run("tx checks, primary behind, witnesses ahead", func(t *testing.T) {
		defer stopLies()
		trusted := update()
		sent := spend()
		if sent.Height < trusted {
			t.Fatalf("spend at %d, not after the trusted header %d", sent.Height, trusted)
		}
		then, now := at(trusted-1), at(sent.Height)
		// Proving the reference stored header sent.Height+1: make sure
		// the witnesses are ahead of that too.
		if err := n.WaitForHeight(ctx, sent.Height+3); err != nil {
			t.Fatal(err)
		}
		stored := sent.Height + 1
		proxies[0].ClaimTip(trusted-20, true)
		stdout, stderr := ok(lying, "-o", "json", "tx", "send", alice.Address, carol.Address, "1uakt", "--dry-run")
		var plan struct {
			Sequence     uint64 `json:"sequence"`
			Verified     bool   `json:"verified"`
			CheckedState *struct {
				Height     int64     `json:"height"`
				HeaderTime time.Time `json:"header_time"`
				Stale      bool      `json:"stale"`
			} `json:"checked_state"`
		}
		if err := json.Unmarshal([]byte(stdout), &plan); err != nil || plan.CheckedState == nil || plan.CheckedState.HeaderTime.IsZero() {
			t.Fatalf("dry run: %v\n%s", err, stdout)
		}
		if plan.Sequence != now.Sequence || plan.Sequence == then.Sequence || plan.CheckedState.Height < sent.Height || !plan.Verified {
			t.Fatalf("dry run signs with sequence %d at height %d; the chain is at sequence %d since height %d (%d at the trusted header %d)\nstderr: %s",
				plan.Sequence, plan.CheckedState.Height, now.Sequence, sent.Height, then.Sequence, trusted, stderr)
		}
		if !strings.Contains(stderr, behindNotice(proxies[0], trusted-20, stored)) || !strings.Contains(stderr, "primary "+proxies[0].URL()+" failed") {
			t.Fatalf("dry run: the lagging primary and its replacement are not reported:\n%s", stderr)
		}
	})

	// Labels: state older than --stale-after is shown, labelled stale; a
	// deliberate --height is labelled historical; the checks before
	// signing warn on stale state in the review and in JSON.
	t.Run("stale and historical labels", func(t *testing.T) {
		stdout, _ := ok(honest, "-o", "json", "--stale-after", "1ns", "query", "balance", alice.Address)
		if a := decodeFresh(t, "stale", stdout); !*a.Stale || *a.Historical {
			t.Fatalf("--stale-after 1ns: %s", stdout)
		}
		text, _ := ok(honest, "--stale-after", "1ns", "query", "balance", alice.Address)
		if !strings.Contains(text, "WARNING: state is ") || !strings.Contains(text, " old: the chain may have halted, or the nodes are withholding new blocks") {
			t.Fatalf("stale text answer:\n%s", text)
		}
		stdout, _ = ok(honest, "-o", "json", "query", "balance", alice.Address, "--height", "5")
		if a := decodeFresh(t, "historical", stdout); !*a.Historical || *a.Stale || a.Height != 5 {
			t.Fatalf("--height 5: %s", stdout)
		}
		text, _ = ok(honest, "--stale-after", "1ns", "query", "balance", alice.Address, "--height", "5")
		if !strings.Contains(text, "historical state at height 5, as asked") || strings.Contains(text, "WARNING") {
			t.Fatalf("historical text answer:\n%s", text)
		}

		stdout, stderr := ok(honest, "-o", "json", "--stale-after", "1ns", "tx", "send", alice.Address, carol.Address, "1uakt", "--dry-run")
		var plan struct {
			CheckedState struct {
				Stale   bool   `json:"stale"`
				Warning string `json:"warning"`
			} `json:"checked_state"`
		}
		if err := json.Unmarshal([]byte(stdout), &plan); err != nil || !plan.CheckedState.Stale || !strings.HasPrefix(plan.CheckedState.Warning, "state is ") {
			t.Fatalf("stale dry run: %v\n%s", err, stdout)
		}
		if !strings.Contains(stderr, "note: state is ") || !strings.Contains(stderr, "the checks before signing rest on the state at height") {
			t.Fatalf("stale dry run: no warning on stderr:\n%s", stderr)
		}
		text, _ = ok(honest, "--stale-after", "1ns", "tx", "send", alice.Address, carol.Address, "1uakt", "--dry-run")
		if !strings.Contains(text, "state  ") || !strings.Contains(text, "WARNING: state is ") {
			t.Fatalf("stale review:\n%s", text)
		}
	})

	// The scenario end to end, through the real binary: the
	// trusted header is after a spend; the primary and the witness say
	// (in /status) that their newest block is 20 older, before the spend.
	// akw must not show the old balance. Then both lag for real: nothing
	// can prove the trusted header's state, so akw fails (exit 3: it
	// could not be proven; worded as that, not as a failed verification)
	// rather than answer from the past.
	t.Run("issue scenario through the binary", func(t *testing.T) {
		defer stopLies()
		e := &faultEnv{n: n, bin: faultBin(t), rpc: info.RPC}
		pair := []string{"--home", home, "--node", proxies[0].URL(), "--witness", proxies[1].URL()}
		sent := spend()
		trusted := update()
		old := trusted - 20
		if old >= sent.Height {
			t.Fatalf("trusted header %d: a tip 20 below it (%d) is not before the spend at %d", trusted, old, sent.Height)
		}
		before, after := at(old-1), at(trusted-1)
		for _, p := range proxies[:2] {
			p.ClaimTip(old, false)
			p.Handle("commit", nil) // the lie is in /status only, as in the issue
		}
		proxies[0].ResetCounts()
		code, stdout, stderr := e.run(t, faultBound, nil, with(pair, "query", "balance", alice.Address, "--denom", devnet.Denom, "-o", "json")...)
		if code != 0 {
			t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
		}
		a := decodeFresh(t, "balance", stdout)
		stdout = compactJSON(t, stdout)
		if a.Height < trusted-1 || !strings.Contains(stdout, `"amount":"`+after.Balance+`"`) || strings.Contains(stdout, `"amount":"`+before.Balance+`"`) {
			t.Fatalf("the old state was shown (trusted header %d, claimed tip %d; balance then %s, now %s):\n%s\n%s", trusted, old, before.Balance, after.Balance, stdout, stderr)
		}
		if proxies[0].Count("status") > 0 && !namedBehind(stderr, proxies[0], old, trusted) {
			t.Fatalf("the lagging primary is not named:\n%s", stderr)
		}
		t.Logf("status lie, binary: exit %d\n%s%s", code, stdout, stderr)

		// Both nodes behind for real, neither can prove the trusted
		// header's state: exit 3 (could not be proven) naming the height,
		// nothing on stdout, and no "verification failed": nothing did.
		trusted = update()
		for _, p := range proxies[:2] {
			p.ClaimTip(trusted-20, true)
		}
		code, stdout, stderr = e.run(t, faultBound, nil, with(pair, "query", "balance", alice.Address)...)
		if code != 3 || stdout != "" {
			t.Fatalf("all behind: exit %d, want 3 with nothing on stdout\nstdout: %s\nstderr: %s", code, stdout, stderr)
		}
		if !strings.Contains(stderr, behindNotice(proxies[0], trusted-20, trusted)) ||
			!strings.Contains(stderr, fmt.Sprintf("no node holds the state at height %d", trusted-1)) || strings.Contains(stderr, "verification failed") ||
			!strings.Contains(stderr, fmt.Sprintf("the newest state rests on verified header %d", trusted)) {
			t.Fatalf("all behind: stderr does not say what happened:\n%s", stderr)
		}
		t.Logf("all behind, binary: exit %d\n%s", code, stderr)
	})
}
