// Package devnettest gives a test binary one devnet, shared by its tests:
// started from TestMain before the tests run and stopped after them.
//
//	func TestMain(m *testing.M) { devnettest.Main(m) }
//
//	func TestSomething(t *testing.T) {
//		n := devnettest.Get(t)              // the running *devnet.Network
//		alice := devnettest.Account(t, "alice")
//		devnettest.Send(t, "alice", devnettest.Account(t, "bob").Address, "1000uakt")
//		home := devnettest.NewHome(t)       // an akw --home for this devnet
//		...
//	}
//
// With testscript, which owns TestMain too, wrap m:
//
//	testscript.Main(devnettest.Wrap(m), map[string]func(){...})
//
// The devnet lives in a temporary directory that is removed afterwards,
// unless a test failed or AKW_DEVNET_KEEP is set: then its path is printed.
// The nodes log at level info to DIR/nodes.log; AKW_DEVNET_LOG=stderr sends
// the log to stderr instead.
//
// Tests share the chain: they should use amounts and accounts that do not
// depend on what other tests did (check differences, not absolute
// balances), or start a devnet of their own with Start.
package devnettest

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"

	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/testctx"
)

// Option changes the devnet's configuration.
type Option func(*devnet.Config)

// WithValidators sets the number of validators: 2 by default, up to
// devnet.MaxValidators (30), for commits signed by many validators and
// bisection. A 30-validator devnet is slow on a small machine: about 17 s
// to start and 3-4 s a block on two busy cores (see devnet.BenchmarkStart).
func WithValidators(n int) Option { return func(c *devnet.Config) { c.Validators = n } }

// WithVotingPeriod sets gov's voting period (default 20s).
func WithVotingPeriod(d time.Duration) Option {
	return func(c *devnet.Config) { c.VotingPeriod = d }
}

// WithGenesis starts the devnet from g (see devnet.Genesis).
func WithGenesis(g *devnet.Genesis) Option { return func(c *devnet.Config) { c.Genesis = g } }

// WithConfig lets f change anything else.
func WithConfig(f func(*devnet.Config)) Option { return Option(f) }

// TestingM is what *testing.M and testscript.Main's argument share.
type TestingM interface{ Run() int }

var (
	mu     sync.Mutex
	shared *devnet.Network
)

// Main starts the shared devnet, runs the tests and exits. Call it from
// TestMain.
func Main(m *testing.M, opts ...Option) { os.Exit(Run(m, opts...)) }

// Wrap returns a TestingM that runs m with the shared devnet around it, for
// a TestMain that hands m to something else (testscript.Main). Only the
// test process runs the devnet: testscript's re-executed commands never
// call Run.
func Wrap(m TestingM, opts ...Option) TestingM { return wrapped{m, opts} }

type wrapped struct {
	m    TestingM
	opts []Option
}

func (w wrapped) Run() int { return Run(w.m, w.opts...) }

// Run starts the shared devnet, runs m, stops the devnet and returns m's
// exit code (1 if the devnet did not start).
func Run(m TestingM, opts ...Option) int {
	// testing.Verbose needs the flags; m.Run would parse them anyway.
	if !flag.Parsed() {
		flag.Parse()
	}
	dir, err := os.MkdirTemp("", "akw-devnet-")
	if err != nil {
		fmt.Fprintf(os.Stderr, "devnettest: %v\n", err)
		return 1
	}
	cfg, closeLog, err := config(dir, opts)
	if err != nil {
		fmt.Fprintf(os.Stderr, "devnettest: %v\n", err)
		return 1
	}
	// A loaded CI machine may need minutes where an idle one needs
	// seconds: the start is bounded by the test binary's -timeout only.
	ctx, cancel := testctx.ForMain()
	began := time.Now()
	n, err := devnet.Start(ctx, cfg)
	cancel()
	if err != nil {
		closeLog()
		fmt.Fprintf(os.Stderr, "devnettest: starting the devnet: %v\ndevnettest: its files and log are in %s\n", err, dir)
		return 1
	}
	if testing.Verbose() {
		fmt.Fprintf(os.Stderr, "devnettest: devnet %s up in %s: %v\n", n.ChainID(), time.Since(began).Round(time.Millisecond), n.RPC())
	}
	mu.Lock()
	shared = n
	mu.Unlock()

	code := m.Run()

	mu.Lock()
	shared = nil
	mu.Unlock()
	stopErr := n.Stop()
	closeLog()
	switch {
	case stopErr != nil:
		fmt.Fprintf(os.Stderr, "devnettest: stopping the devnet: %v\n", stopErr)
		if code == 0 {
			code = 1
		}
		fallthrough
	case code != 0 || os.Getenv("AKW_DEVNET_KEEP") != "":
		fmt.Fprintf(os.Stderr, "devnettest: devnet files and log kept in %s\n", dir)
	default:
		_ = os.RemoveAll(dir)
	}
	return code
}

// config is the devnet configuration for dir: the log goes to dir/nodes.log
// (or stderr with AKW_DEVNET_LOG=stderr).
func config(dir string, opts []Option) (devnet.Config, func(), error) {
	cfg := devnet.Config{Dir: dir, LogLevel: "info"}
	closeLog := func() {}
	if os.Getenv("AKW_DEVNET_LOG") == "stderr" {
		cfg.Log = os.Stderr
	} else {
		f, err := os.Create(filepath.Join(dir, "nodes.log"))
		if err != nil {
			return cfg, nil, err
		}
		cfg.Log, closeLog = f, func() { _ = f.Close() }
	}
	for _, o := range opts {
		o(&cfg)
	}
	return cfg, closeLog, nil
}

// Network returns the shared devnet, or an error outside Main/Run.
func Network() (*devnet.Network, error) {
	mu.Lock()
	defer mu.Unlock()
	if shared == nil {
		return nil, fmt.Errorf("devnettest: no shared devnet: call devnettest.Main(m) (or Run/Wrap) from TestMain")
	}
	return shared, nil
}

// Get returns the shared devnet; the test fails if there is none.
func Get(t testing.TB) *devnet.Network {
	t.Helper()
	n, err := Network()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Start starts a devnet of the test's own in a temporary directory and stops
// it when the test ends. Use it for tests that need a chain nobody else
// touches, or several chains (WithGenesis for a fork).
func Start(t testing.TB, opts ...Option) *devnet.Network {
	t.Helper()
	dir := t.TempDir()
	cfg, closeLog, err := config(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	n, err := devnet.Start(testctx.New(t), cfg)
	if err != nil {
		closeLog()
		t.Fatalf("devnettest: starting a devnet: %v (log: %s)", err, logTail(filepath.Join(dir, "nodes.log")))
	}
	t.Cleanup(func() {
		if err := n.Stop(); err != nil {
			t.Errorf("devnettest: stopping the devnet: %v", err)
		}
		closeLog()
	})
	return n
}

// logTail returns the end of a log file, for a failure message.
func logTail(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return "none"
	}
	defer f.Close()
	const max = 4000
	if st, err := f.Stat(); err == nil && st.Size() > max {
		_, _ = f.Seek(-max, io.SeekEnd)
	}
	bz, _ := io.ReadAll(f)
	return "...\n" + string(bz)
}

// ConfigureHome makes home an akw home for the shared devnet: a config file
// naming it (validator0 primary, the others witnesses) and a test keyring
// of its own in home with the funded accounts. For testscript's Setup,
// where there is no *testing.T.
func ConfigureHome(home string) error {
	n, err := Network()
	if err != nil {
		return err
	}
	return configureHome(n, home)
}

func configureHome(n *devnet.Network, home string) error {
	info := n.Info()
	if err := os.MkdirAll(home, 0o700); err != nil {
		return err
	}
	if _, err := devnet.ConfigureHome(home, &info, home); err != nil {
		return err
	}
	return devnet.ImportAccounts(home, info.Accounts)
}

// NewHome returns a new akw home for the shared devnet (see ConfigureHome),
// in a directory removed after the test. Each test gets its own keyring, so
// keys a test adds or deletes are its own business.
func NewHome(t testing.TB) string {
	t.Helper()
	return NewHomeFor(t, Get(t))
}

// NewHomeFor is NewHome for any running devnet.
func NewHomeFor(t testing.TB, n *devnet.Network) string {
	t.Helper()
	home := t.TempDir()
	if err := configureHome(n, home); err != nil {
		t.Fatal(err)
	}
	return home
}

// Account returns the shared devnet's account (or validator operator)
// named name.
func Account(t testing.TB, name string) devnet.Account {
	t.Helper()
	a, err := Get(t).Account(name)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func testContext(t testing.TB) context.Context { return testctx.New(t) }

// WaitForHeight waits until every validator of the shared devnet has
// committed block h.
func WaitForHeight(t testing.TB, h int64) {
	t.Helper()
	if err := Get(t).WaitForHeight(testContext(t), h); err != nil {
		t.Fatal(err)
	}
}

// WaitForNextBlock waits for the next block of the shared devnet and
// returns its height.
func WaitForNextBlock(t testing.TB) int64 {
	t.Helper()
	h, err := Get(t).WaitForNextBlock(testContext(t))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func coins(t testing.TB, amount string) sdk.Coins {
	t.Helper()
	c, err := sdk.ParseCoinsNormalized(amount)
	if err != nil {
		t.Fatalf("devnettest: amount %q: %v", amount, err)
	}
	return c
}

// Send sends amount ("1000uakt") from the account named from to the address
// to on the shared devnet, and waits until every validator has it.
func Send(t testing.TB, from, to, amount string, opts ...devnet.TxOption) *devnet.TxResult {
	t.Helper()
	res, err := Get(t).Send(testContext(t), from, to, coins(t, amount), opts...)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// Delegate delegates amount ("1000000uakt") from the account named from to
// the validator valoper on the shared devnet.
func Delegate(t testing.TB, from, valoper, amount string, opts ...devnet.TxOption) *devnet.TxResult {
	t.Helper()
	c := coins(t, amount)
	if len(c) != 1 {
		t.Fatalf("devnettest: delegate one denom, not %q", amount)
	}
	res, err := Get(t).Delegate(testContext(t), from, valoper, c[0], opts...)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// SubmitProposal submits a text proposal from the account named from with
// the minimum deposit, so that it is in its voting period at once, and
// returns its id.
func SubmitProposal(t testing.TB, from, title string, opts ...devnet.TxOption) uint64 {
	t.Helper()
	deposit := sdk.NewCoins(sdk.NewCoin(devnet.Denom, devnet.MinDeposit))
	id, _, err := Get(t).SubmitProposal(testContext(t), from, title, "A proposal made by a test.", deposit, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// Vote votes option on proposal id as the account named from.
func Vote(t testing.TB, from string, id uint64, option govv1.VoteOption, opts ...devnet.TxOption) *devnet.TxResult {
	t.Helper()
	res, err := Get(t).Vote(testContext(t), from, id, option, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return res
}
