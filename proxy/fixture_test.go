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

	"cosmossdk.io/x/feegrant"
	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	sdk "github.com/cosmos/cosmos-sdk/types"
	vestingtypes "github.com/cosmos/cosmos-sdk/x/auth/vesting/types"
	"github.com/cosmos/cosmos-sdk/x/authz"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
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
// a proposal with a vote and a deposit, authz grants and fee allowances
// (makeGrants), and a vesting account.
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
	if err := makeGrants(ctx, n, c); err != nil {
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

// Message types of the grants makeGrants makes.
var (
	msgVote     = sdk.MsgTypeURL(&govv1.MsgVote{})
	msgDelegate = sdk.MsgTypeURL(&stakingtypes.MsgDelegate{})
	msgRedel    = sdk.MsgTypeURL(&stakingtypes.MsgBeginRedelegate{})
)

// makeGrants gives authz grants of each kind (generic, send, stake; with
// and without expiration) and fee allowances of each kind (basic,
// periodic inside allowed-messages, unlimited): alice grants bob four,
// carol grants bob and alice; alice pays bob's fees, carol alice's and
// bob's.
func makeGrants(ctx context.Context, n *devnet.Network, c *chain) error {
	hour := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	akt := func(v int64) sdk.Coins { return sdk.NewCoins(sdk.NewInt64Coin(devnet.Denom, v)) }
	maxTok := sdk.NewInt64Coin(devnet.Denom, 5_000_000)
	var msgs []sdk.Msg
	grant := func(granter, grantee sdk.AccAddress, a authz.Authorization, exp *time.Time) error {
		m, err := authz.NewMsgGrant(granter, grantee, a, exp)
		msgs = append(msgs, m)
		return err
	}
	allow := func(granter, grantee sdk.AccAddress, fa feegrant.FeeAllowanceI) error {
		m, err := feegrant.NewMsgGrantAllowance(fa, granter, grantee)
		msgs = append(msgs, m)
		return err
	}
	delegate, err := stakingtypes.NewStakeAuthorization([]sdk.ValAddress{c.val0}, nil, stakingtypes.AuthorizationType_AUTHORIZATION_TYPE_DELEGATE, &maxTok)
	if err != nil {
		return err
	}
	redelegate, err := stakingtypes.NewStakeAuthorization(nil, []sdk.ValAddress{c.val1}, stakingtypes.AuthorizationType_AUTHORIZATION_TYPE_REDELEGATE, nil)
	if err != nil {
		return err
	}
	for _, err := range []error{
		grant(c.alice, c.bob, authz.NewGenericAuthorization(msgVote), nil),
		grant(c.alice, c.bob, banktypes.NewSendAuthorization(akt(1000), []sdk.AccAddress{c.carol}), &hour),
		grant(c.alice, c.bob, delegate, &hour),
		grant(c.alice, c.bob, redelegate, nil),
		allow(c.alice, c.bob, &feegrant.BasicAllowance{SpendLimit: akt(1_000_000), Expiration: &hour}),
	} {
		if err != nil {
			return err
		}
	}
	if _, err := n.Exec(ctx, "alice", msgs); err != nil {
		return err
	}
	periodic := &feegrant.PeriodicAllowance{Basic: feegrant.BasicAllowance{Expiration: &hour}, Period: time.Hour, PeriodSpendLimit: akt(10_000), PeriodCanSpend: akt(10_000)}
	filtered, err := feegrant.NewAllowedMsgAllowance(periodic, []string{msgDelegate})
	if err != nil {
		return err
	}
	msgs = nil
	for _, err := range []error{
		grant(c.carol, c.bob, authz.NewGenericAuthorization(msgDelegate), nil),
		grant(c.carol, c.alice, authz.NewGenericAuthorization(msgDelegate), &hour),
		allow(c.carol, c.alice, filtered),
		allow(c.carol, c.bob, &feegrant.BasicAllowance{}),
	} {
		if err != nil {
			return err
		}
	}
	_, err = n.Exec(ctx, "carol", msgs)
	return err
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
