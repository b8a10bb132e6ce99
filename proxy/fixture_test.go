package proxy_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	sdk "github.com/cosmos/cosmos-sdk/types"
	vestingtypes "github.com/cosmos/cosmos-sdk/x/auth/vesting/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/akash-wallet/akw/internal/config"
	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/devnet/devnettest"
	"github.com/akash-wallet/akw/internal/testctx"
	"github.com/akash-wallet/akw/lightclient/state"
	"github.com/akash-wallet/akw/lightclient/trusted"
	"github.com/akash-wallet/akw/proxy"
	"github.com/akash-wallet/akw/wallet"
)

// The proxy's tests run against the shared devnet of this test binary,
// with real transactions behind it (chainState), a light client trusting
// it and the proxy in front of it; each test starts a proxy of its own.

func TestMain(m *testing.M) {
	flag.Parse()
	if f := flag.Lookup("test.fuzz"); f != nil && f.Value.String() != "" {
		// Fuzzing (coordinator and workers): the fuzz targets need no
		// chain, and a devnet per worker would take their CPU.
		os.Exit(m.Run())
	}
	devnettest.Main(m, devnettest.WithVotingPeriod(10*time.Minute))
}

// chain is what the transactions of chainState left on the devnet.
type chain struct {
	alice, bob, carol sdk.AccAddress
	val0, val1        sdk.ValAddress
	vesting           sdk.AccAddress
	propID            uint64
	lastHeight        int64 // the block of the last transaction
}

var (
	chainOnce sync.Once
	chainVal  *chain
	chainErr  error
)

// chainState makes, once per test binary, the state the query tests
// compare: delegations to both validators, an unbonding, a redelegation,
// a proposal with a vote and a deposit, and a vesting account.
func chainState(t testing.TB) *chain {
	t.Helper()
	if testing.Short() {
		t.Skip("uses the devnet")
	}
	n := devnettest.Get(t)
	chainOnce.Do(func() { chainVal, chainErr = makeChain(testctx.New(t), n) })
	if chainErr != nil {
		t.Fatal(chainErr)
	}
	return chainVal
}

func makeChain(ctx context.Context, n *devnet.Network) (*chain, error) {
	c := &chain{}
	for name, dst := range map[string]*sdk.AccAddress{"alice": &c.alice, "bob": &c.bob, "carol": &c.carol} {
		a, err := n.Account(name)
		if err != nil {
			return nil, err
		}
		if *dst, err = a.AccAddress(); err != nil {
			return nil, err
		}
	}
	vals := n.Validators()
	var err error
	if c.val0, err = sdk.ValAddressFromBech32(vals[0].OperatorAddress); err != nil {
		return nil, err
	}
	if c.val1, err = sdk.ValAddressFromBech32(vals[1].OperatorAddress); err != nil {
		return nil, err
	}
	coin := func(n int64) sdk.Coin { return sdk.NewInt64Coin(devnet.Denom, n) }
	steps := []func() (*devnet.TxResult, error){
		func() (*devnet.TxResult, error) { return n.Delegate(ctx, "alice", c.val0.String(), coin(50_000_000)) },
		func() (*devnet.TxResult, error) { return n.Delegate(ctx, "alice", c.val1.String(), coin(20_000_000)) },
		func() (*devnet.TxResult, error) {
			return n.Exec(ctx, "alice", []sdk.Msg{stakingtypes.NewMsgUndelegate(c.alice.String(), c.val0.String(), coin(3_000_000))})
		},
		func() (*devnet.TxResult, error) {
			return n.Exec(ctx, "alice", []sdk.Msg{stakingtypes.NewMsgBeginRedelegate(c.alice.String(), c.val0.String(), c.val1.String(), coin(4_000_000))})
		},
	}
	for _, step := range steps {
		if _, err := step(); err != nil {
			return nil, err
		}
	}
	prop, err := govv1.NewMsgSubmitProposal(nil, sdk.NewCoins(coin(2_000_000)), c.bob.String(), "akw-proxy-test", "proxy test", "a proposal to vote on", false)
	if err != nil {
		return nil, err
	}
	r, err := n.Exec(ctx, "bob", []sdk.Msg{prop})
	if err != nil {
		return nil, err
	}
	for _, ev := range r.Events {
		for _, a := range ev.Attributes {
			if ev.Type == "submit_proposal" && a.Key == "proposal_id" {
				c.propID, _ = strconv.ParseUint(a.Value, 10, 64)
			}
		}
	}
	if c.propID == 0 {
		return nil, errors.New("no proposal id in the submit events")
	}
	if _, err := n.Vote(ctx, "alice", c.propID, govv1.OptionYes); err != nil {
		return nil, err
	}
	c.vesting = sdk.AccAddress(bytes.Repeat([]byte{0x5f}, 20))
	r, err = n.Exec(ctx, "carol", []sdk.Msg{vestingtypes.NewMsgCreateVestingAccount(c.carol, c.vesting,
		sdk.NewCoins(coin(9_000_000)), time.Now().Add(24*time.Hour).Unix(), false)})
	if err != nil {
		return nil, err
	}
	c.lastHeight = r.Height
	// The last transaction's state is provable once the next header is.
	return c, n.WaitForHeight(ctx, r.Height+2)
}

// harness is one proxy in front of the devnet.
type harness struct {
	net    *devnet.Network
	node   *rpchttp.HTTP // validator 0, straight: the reference
	client *trusted.Client
	srv    *proxy.Server
	url    string
	rpc    *rpchttp.HTTP // cometbft's own client, pointed at the proxy
	log    *syncBuffer
}

type harnessOpt func(*harnessCfg)

type harnessCfg struct {
	primary   string   // the light client's primary (default validator 0)
	witnesses []string // its witnesses (default the other validators)
	proxy     proxy.Config
	session   bool // state and failover through a long-lived wallet.Session, as akw proxy has them
}

func withPrimary(url string) harnessOpt { return func(c *harnessCfg) { c.primary = url } }
func withWitnesses(urls ...string) harnessOpt {
	return func(c *harnessCfg) { c.witnesses = urls }
}
func withSession() harnessOpt { return func(c *harnessCfg) { c.session = true } }
func withConfig(f func(*proxy.Config)) harnessOpt {
	return func(c *harnessCfg) { f(&c.proxy) }
}

// startProxy initialises a light client on the devnet and serves a proxy
// over it, stopped when the test ends.
func startProxy(t testing.TB, opts ...harnessOpt) *harness {
	t.Helper()
	if testing.Short() {
		t.Skip("uses the devnet")
	}
	n := devnettest.Get(t)
	rpcs := n.RPC()
	hc := harnessCfg{primary: rpcs[0], witnesses: rpcs[1:]}
	for _, o := range opts {
		o(&hc)
	}
	client, err := trusted.Init(testctx.New(t), trusted.Config{ChainID: n.ChainID(), Primary: hc.primary, Witnesses: hc.witnesses, Home: t.TempDir()},
		trusted.TrustRoot{Latest: true}, trusted.InitOptions{Confirm: func(trusted.Candidate) (bool, error) { return true, nil }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Close() })
	h := &harness{net: n, client: client, log: &syncBuffer{}}
	h.node, err = rpchttp.New(rpcs[0], "/websocket")
	if err != nil {
		t.Fatal(err)
	}
	cfg := hc.proxy
	cfg.Headers = client
	cfg.Views = state.New(client, nil)
	if hc.session {
		net := config.Presets()[config.Devnet]
		net.ChainID, net.RPC, net.Witnesses = n.ChainID(), hc.primary, hc.witnesses
		sess, err := wallet.Open(testctx.New(t), wallet.Config{Name: config.Devnet, Network: net, Light: client, LongLived: true,
			Notify: func(m string) { fmt.Fprintf(h.log, "notice: %s\n", m) }})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(sess.Close)
		cfg.Views, cfg.Failover = sess.State(), sess.Failover
	}
	cfg.Upstream = proxy.UpstreamFunc(func() (proxy.Node, error) {
		n, ok := client.Primary().(proxy.Node)
		if !ok {
			return nil, errors.New("the light client's primary is not an HTTP client")
		}
		return n, nil
	})
	if cfg.Log == nil {
		cfg.Log = h.log
	} else if cfg.Log == io.Discard {
		cfg.Log = nil
	}
	h.srv, err = proxy.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.srv.Serve(sctx, ln) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
		if t.Failed() {
			t.Logf("proxy log:\n%s", h.log.String())
		}
	})
	h.url = "http://" + ln.Addr().String()
	if h.rpc, err = rpchttp.New(h.url, "/websocket"); err != nil {
		t.Fatal(err)
	}
	return h
}

// syncBuffer is a bytes.Buffer safe for the proxy's log goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var _ io.Writer = (*syncBuffer)(nil)

// testCtx is the context a test waits in: until the state it needs
// comes, bounded only by the test binary's -timeout.
func testCtx(t *testing.T) context.Context { return testctx.New(t) }

func devnettestGet(t testing.TB) *devnet.Network { return devnettest.Get(t) }
