package backend_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"
	ctypes "github.com/cometbft/cometbft/rpc/core/types"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/internal/config"
	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/devnet/devnettest"
	"github.com/akash-wallet/akw/internal/rpcproxy"
	"github.com/akash-wallet/akw/internal/testctx"
	"github.com/akash-wallet/akw/keys"
	"github.com/akash-wallet/akw/lightclient/proof/prooftest"
	"github.com/akash-wallet/akw/lightclient/state"
	"github.com/akash-wallet/akw/lightclient/trusted"
	"github.com/akash-wallet/akw/tui"
	"github.com/akash-wallet/akw/tui/backend"
	"github.com/akash-wallet/akw/tx"
	"github.com/akash-wallet/akw/tx/amount"
	"github.com/akash-wallet/akw/tx/ops"
)

// These tests run the TUI's backend against a real devnet (two validators,
// one the primary, one the witness): proven state, signing, broadcast and
// proven inclusion are the real code paths.
// The devnet also runs a full node, which TestPortfolioThroughBalancer
// holds behind as a load balancer's second backend.
func TestMain(m *testing.M) {
	devnettest.Main(m, devnettest.WithConfig(func(c *devnet.Config) { c.FullNodes = []devnet.FullNode{{}} }))
}

type fixture struct {
	be   *backend.Backend
	kr   *keys.Keyring
	lc   *trusted.Client
	home string
}

// open initialises a light client on the devnet (primary may be a proxy in
// front of validator0) and a Backend over it with the test's own keyring.
func open(t *testing.T, primary string) *fixture {
	t.Helper()
	return openWith(t, primary, devnettest.Get(t).Info().RPC[1:])
}

// openWith is open with the witnesses given.
func openWith(t *testing.T, primary string, witnesses []string) *fixture {
	t.Helper()
	n := devnettest.Get(t)
	info := n.Info()
	home := devnettest.NewHome(t)
	ctx := testctx.New(t)
	if err := n.WaitForHeight(ctx, 4); err != nil {
		t.Fatal(err)
	}
	net := config.Presets()[config.Devnet]
	net.ChainID, net.RPC, net.Witnesses = info.ChainID, primary, witnesses
	lc, err := trusted.Init(ctx, trusted.Config{ChainID: net.ChainID, Primary: primary, Witnesses: net.Witnesses, Home: home},
		trusted.TrustRoot{Latest: true}, trusted.InitOptions{Confirm: func(trusted.Candidate) (bool, error) { return true, nil }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lc.Close() })
	kr, err := keys.Open(keys.Config{Backend: keys.BackendTest, Dir: home, AppName: devnet.KeyringAppName})
	if err != nil {
		t.Fatal(err)
	}
	be, err := backend.Open(backend.Parts{Name: config.Devnet, Network: net, Light: lc, Keyring: kr, Home: home})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{be: be, kr: kr, lc: lc, home: home}
}

func ctxT(t *testing.T) context.Context { return testctx.New(t) }

func TestStatusAndPortfolioAreProven(t *testing.T) {
	f := open(t, devnettest.Get(t).RPC()[0])
	ctx := ctxT(t)
	st, err := f.be.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Height < 2 || st.ChainID != devnet.ChainID || len(st.Witnesses) != 1 || st.Agreeing() != 1 {
		t.Fatalf("status %+v", st)
	}
	alice := devnettest.Account(t, "alice")
	pf, err := f.be.Portfolio(ctx, alice.Address)
	if err != nil {
		t.Fatal(err)
	}
	if pf.Height < 1 || pf.Balances.AmountOf("uakt").IsZero() {
		t.Fatalf("portfolio %+v", pf)
	}
	// ACT's unit comes from its proven metadata (act at 6, though its
	// Display names uact); the voucher has none and is shown as it is.
	if pf.Balances.AmountOf(devnet.ActDenom).IsZero() || pf.Balances.AmountOf(devnet.IBCDenom).IsZero() ||
		!reflect.DeepEqual(pf.Tokens, []amount.Denoms{{Base: devnet.ActDenom, Display: "act", Exponent: 6}}) {
		t.Fatalf("portfolio's tokens %+v (balances %s)", pf.Tokens, pf.Balances)
	}
	// Once the portfolio is known, a send's amount may name its tokens.
	if err := f.be.CheckField(tui.FieldAmount, "1.5act"); err != nil {
		t.Errorf("1.5act: %v", err)
	}
	if err := f.be.CheckField(tui.FieldAmount, "1.5xyz"); !errors.Is(err, amount.ErrUnknownDenom) {
		t.Errorf("1.5xyz: %v", err)
	}
	vs, err := f.be.Validators(ctx, alice.Address)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs.Validators) != len(devnettest.Get(t).Validators()) {
		t.Fatalf("%d validators", len(vs.Validators))
	}
	// The unbonding period is the devnet's proven value, not Akash's 21 days.
	v, err := state.New(f.lc, nil).Latest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	params, err := v.StakingParams(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if vs.UnbondingPeriod <= 0 || vs.UnbondingPeriod != params.UnbondingTime {
		t.Fatalf("unbonding period %s, proven %s", vs.UnbondingPeriod, params.UnbondingTime)
	}
	share := 0.0
	for _, v := range vs.Validators {
		share += v.PowerShare
		if v.Moniker == "" || v.Status != "bonded" || !v.Commission.IsPositive() {
			t.Fatalf("validator %+v", v)
		}
	}
	if share < 0.999 || share > 1.001 {
		t.Fatalf("power shares add up to %f", share)
	}
}

// A send planned and executed through the Backend lands, is proven, and
// the receiver's proven portfolio shows exactly the amount.
func TestSendThroughBackend(t *testing.T) {
	f := open(t, devnettest.Get(t).RPC()[0])
	ctx := ctxT(t)
	to, _, err := f.be.CreateKey(ctx, "fresh")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.be.CheckField(tui.FieldAddress, to.Address); err != nil {
		t.Fatal(err)
	}
	if err := f.be.CheckField(tui.FieldAddress, "cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu"); err == nil {
		t.Fatal("a cosmos1 address passed the check")
	}
	if err := f.be.CheckField(tui.FieldAmount, "1,5akt"); err == nil {
		t.Fatal("1,5akt passed the amount check")
	}
	ks, err := f.be.Keys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var from tui.Key
	for _, k := range ks {
		if k.Name == "carol" {
			from = k
		}
	}
	// ACT, which carol holds, cannot be sent: refused with the proven
	// send rule before anything is signed, a usage error, as in the
	// command line.
	var disabled *tx.SendDisabledError
	if _, err := f.be.Plan(ctx, tui.TxRequest{Kind: tui.TxSend, From: from, To: to.Address, Amount: "1act"}); !errors.As(err, &disabled) ||
		disabled.Denom != devnet.ActDenom || errkind.KindOf(err) != errkind.Usage {
		t.Fatalf("a send of ACT: %v", err)
	}
	plan, err := f.be.Plan(ctx, tui.TxRequest{Kind: tui.TxSend, From: from, To: to.Address, Amount: "1.25akt", Memo: "tui test"})
	if err != nil {
		t.Fatal(err)
	}
	if plan.BalanceBefore.Amount.IsZero() || !plan.BalanceAfter.Amount.Equal(plan.BalanceBefore.Amount.SubRaw(1_250_000).Sub(plan.Fee.AmountOf("uakt"))) {
		t.Fatalf("before %s after %s fee %s", plan.BalanceBefore, plan.BalanceAfter, plan.Fee)
	}
	events := make(chan tui.TxEvent, 16)
	res, err := f.be.Execute(ctx, plan, events)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Verified || res.Code != 0 || res.TxHash == "" {
		t.Fatalf("result %+v", res)
	}
	close(events)
	var stages []string
	for ev := range events {
		stages = append(stages, ev.Stage.String())
	}
	if got := strings.Join(stages, ","); got != "sign,broadcast,in mempool,verified" {
		t.Fatalf("stages %s", got)
	}
	pf, err := f.be.Portfolio(ctx, to.Address)
	for err == nil && pf.Height < res.Height {
		time.Sleep(200 * time.Millisecond)
		pf, err = f.be.Portfolio(ctx, to.Address)
	}
	if err != nil {
		t.Fatal(err)
	}
	if got := pf.Balances.AmountOf("uakt").Int64(); got != 1_250_000 {
		t.Fatalf("receiver has %d uakt", got)
	}
}

// A primary that lies in its abci_query answers: the dashboard shows the
// alarm and none of the lie's numbers. Each lie meets a session of its
// own: a session demotes the primary after its first lie
// (TestLyingPrimaryIsDemoted).
func TestLyingNodeShowsAlarmInTUI(t *testing.T) {
	n := devnettest.Get(t)
	ctx := ctxT(t)
	alice := devnettest.Account(t, "alice")
	lies := []struct {
		name string
		lie  func(r *ctypes.ResultABCIQuery) error
	}{
		// One more uakt than the truth (the last digit of the stored
		// amount), with the proofs left out so that no walk can catch it
		// by its neighbours either.
		{"value flipped, proofs dropped", func(r *ctypes.ResultABCIQuery) error {
			if v := r.Response.Value; len(v) > 0 {
				v = append([]byte(nil), v...)
				v[len(v)-1] ^= 0x01
				r.Response.Value = v
			}
			r.Response.ProofOps = nil
			return nil
		}},
		// Issue 11: made-up neighbours whose inner steps are neither child
		// made ics23 panic inside the Portfolio's goroutines, which ended
		// the whole TUI.
		{"crafted absence proof", func(r *ctypes.ResultABCIQuery) error {
			if r.Response.ProofOps == nil || len(r.Response.ProofOps.Ops) != 2 {
				return nil
			}
			op, err := prooftest.CraftedAbsence(r.Response.Key)
			r.Response.Value, r.Response.ProofOps.Ops[0] = nil, op
			return err
		}},
	}
	for _, l := range lies {
		t.Run(l.name, func(t *testing.T) {
			proxy, err := rpcproxy.New(n.RPC()[0])
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { proxy.Close() })
			honest, err := open(t, proxy.URL()).be.Portfolio(ctx, alice.Address)
			if err != nil {
				t.Fatal(err)
			}
			lie(t, proxy, l.lie)
			_, err = open(t, proxy.URL()).be.Portfolio(ctx, alice.Address)
			if err == nil || errkind.KindOf(err) != errkind.Verification {
				t.Fatalf("lying portfolio: %v", err)
			}

			f := open(t, proxy.URL())
			m := tui.New(context.Background(), tui.Options{Backend: f.be, Key: "alice", Refresh: -1, StaticSpinner: true})
			tm := teatest.NewTestModel(t, snapModel{m}, teatest.WithInitialTermSize(100, 30),
				teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
			screen := (&screens{tm: tm}).wait(t, "VERIFICATION FAILED")
			if err := tm.Quit(); err != nil {
				t.Fatal(err)
			}
			t.Logf("\n%s", screen)
			if !strings.Contains(screen, "No balance, delegation or vote is shown") {
				t.Fatalf("no alarm text:\n%s", screen)
			}
			truth := honest.Balances.AmountOf("uakt")
			for _, v := range []string{truth.String(), truth.AddRaw(1).String(), "proven at height", "available"} {
				if strings.Contains(screen, v) {
					t.Fatalf("the alarm screen shows %q:\n%s", v, screen)
				}
			}
		})
	}
}

// lie rewrites every abci_query answer of proxy with l; each observer
// also sees the call.
func lie(t *testing.T, proxy *rpcproxy.Proxy, l func(r *ctypes.ResultABCIQuery) error, observers ...func(rpcproxy.Call)) {
	proxy.Handle("abci_query", func(c rpcproxy.Call, resp *rpcproxy.Response) {
		for _, o := range observers {
			o(c)
		}
		var r ctypes.ResultABCIQuery
		if resp.DecodeResult(&r) != nil {
			return
		}
		if err := l(&r); err != nil {
			t.Error(err)
		}
		_ = resp.EncodeResult(&r)
	})
	t.Cleanup(func() { proxy.Handle("abci_query", nil) })
}

// Delegate, redelegate and undelegate through the Backend, each proven
// included; the portfolio then shows the moved stake and the unbonding
// entry with its completion time.
func TestStakingThroughBackend(t *testing.T) {
	f := open(t, devnettest.Get(t).RPC()[0])
	ctx := ctxT(t)
	vals := devnettest.Get(t).Validators()
	from := tui.Key{Name: "bob", Address: devnettest.Account(t, "bob").Address, Type: "local"}
	var undelegatePlan *tui.TxPlan
	run := func(req tui.TxRequest) {
		t.Helper()
		req.From = from
		plan, err := f.be.Plan(ctx, req)
		if err != nil {
			t.Fatalf("%s: %v", req.Kind, err)
		}
		if req.Kind == tui.TxUndelegate {
			undelegatePlan = plan
		}
		res, err := f.be.Execute(ctx, plan, make(chan tui.TxEvent, 16))
		if err != nil || !res.Verified || res.Code != 0 {
			t.Fatalf("%s: %+v %v", req.Kind, res, err)
		}
	}
	before, err := f.be.Portfolio(ctx, from.Address)
	if err != nil {
		t.Fatal(err)
	}
	run(tui.TxRequest{Kind: tui.TxDelegate, To: vals[0].OperatorAddress, Amount: "5akt"})
	run(tui.TxRequest{Kind: tui.TxRedelegate, Src: vals[0].OperatorAddress, To: vals[1].OperatorAddress, Amount: "2akt"})
	run(tui.TxRequest{Kind: tui.TxUndelegate, To: vals[1].OperatorAddress, Amount: "1akt"})
	// Each Execute returns once inclusion is proven by the next header,
	// so the newest proven state already holds the last transaction.
	pf, err := f.be.Portfolio(ctx, from.Address)
	if err != nil {
		t.Fatal(err)
	}
	delegated := map[string]int64{}
	for _, d := range pf.Delegations {
		delegated[d.Validator] = d.Amount.Amount.Int64()
	}
	for _, d := range before.Delegations {
		delegated[d.Validator] -= d.Amount.Amount.Int64()
	}
	if delegated[vals[0].OperatorAddress] != 3_000_000 || delegated[vals[1].OperatorAddress] != 1_000_000 {
		t.Fatalf("delegation changes %v", delegated)
	}
	var found bool
	for _, u := range pf.Unbonding {
		if u.Validator == vals[1].OperatorAddress && u.Amount.Amount.Int64() == 1_000_000 && u.CompletionTime.After(time.Now()) {
			found = true
		}
	}
	if !found {
		t.Fatalf("no unbonding entry of 1 AKT from %s: %+v", vals[1].Name, pf.Unbonding)
	}
	// The review names the devnet's proven unbonding period and its height.
	v, err := state.New(f.lc, nil).Latest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	params, err := v.StakingParams(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var period string
	for _, l := range undelegatePlan.Lines {
		if l.Label == "Unbonding period" {
			period = l.Value
		}
	}
	if !strings.HasPrefix(period, ops.FormatDuration(params.UnbondingTime)+" (proven at height ") {
		t.Fatalf("review unbonding period %q, proven %s; lines %+v", period, params.UnbondingTime, undelegatePlan.Lines)
	}
}

// A primary that serves headers which do not match their signatures: the
// light client drops it, no witness is left to cross-check a replacement,
// and the TUI's status bar turns into the alarm with nothing shown as
// verified.
func TestLyingHeadersShowAlarmInStatusBar(t *testing.T) {
	n := devnettest.Get(t)
	proxy, err := rpcproxy.New(n.RPC()[0])
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { proxy.Close() })
	f := open(t, proxy.URL())
	proxy.Handle("commit", func(_ rpcproxy.Call, r *rpcproxy.Response) {
		var rc ctypes.ResultCommit
		if r.DecodeResult(&rc) == nil && rc.SignedHeader.Header != nil {
			rc.Header.AppHash[0] ^= 1
			_ = r.EncodeResult(&rc)
		}
	})
	if _, err := n.WaitForNextBlock(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	m := tui.New(context.Background(), tui.Options{Backend: f.be, Key: "alice", Refresh: -1, StaticSpinner: true})
	tm := teatest.NewTestModel(t, snapModel{m}, teatest.WithInitialTermSize(100, 30),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	sc := &screens{tm: tm}
	sc.wait(t, "✗ VERIFICATION FAILED:")
	// The keys load beside the status: the dashboard's alarm needs both.
	screen := sc.wait(t, "No balance, delegation or vote is shown")
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", screen)
	for _, v := range []string{"✓ verified", "proven at height", "available"} {
		if strings.Contains(screen, v) {
			t.Fatalf("the alarm screen shows %q:\n%s", v, screen)
		}
	}
	if !strings.Contains(screen, "No balance, delegation or vote is shown") {
		t.Fatalf("no alarm on the dashboard:\n%s", screen)
	}
}
