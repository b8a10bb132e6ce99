package integration_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	coretypes "github.com/cometbft/cometbft/rpc/core/types"
	cmttypes "github.com/cometbft/cometbft/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	vestingtypes "github.com/cosmos/cosmos-sdk/x/auth/vesting/types"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/akash-wallet/akw/history"
	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/devnet/devnettest"
	"github.com/akash-wallet/akw/internal/testctx"
	"github.com/akash-wallet/akw/lightclient"
	"github.com/akash-wallet/akw/lightclient/trusted"
	"github.com/akash-wallet/akw/tx/address"
)

// unindexed is the validator whose transaction index is off.
const unindexed = 2

// stateDir holds what the tests of the binary share (the scenario's light
// client store).
var stateDir string

func TestMain(m *testing.M) {
	var err error
	if stateDir, err = os.MkdirTemp("", "akw-history-"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := devnettest.Run(m, devnettest.WithValidators(3),
		devnettest.WithConfig(func(c *devnet.Config) { c.TxIndexOff = []int{unindexed} }))
	if shared != nil {
		_ = shared.lc.Close()
	}
	_ = os.RemoveAll(stateDir)
	os.Exit(code)
}

// did is one transaction the scenario made, and what alice's history must
// say of it.
type did struct {
	what      string
	hash      string
	height    int64
	movements string // kinds(row.Movements), computed from what the test sent
	memo      string
}

// scenario is what the test did on the chain between two state heights:
// alice sends, receives, creates a vesting account, delegates, claims, votes, undelegates, and fails
// a vote; carol submits the proposal (not in alice's history).
type scenario struct {
	lc       *trusted.Client
	alice    string
	from, to int64 // state heights: before the first transaction, after the last
	txs      []did // oldest first
}

var (
	once   sync.Once
	shared *scenario
	setErr error
)

// theScenario runs the scenario once for the test binary.
func theScenario(t *testing.T) *scenario {
	t.Helper()
	once.Do(func() { shared, setErr = runScenario(t) })
	if setErr != nil {
		t.Fatal(setErr)
	}
	return shared
}

func runScenario(t *testing.T) (*scenario, error) {
	n := devnettest.Get(t)
	// The light client serves the whole binary: its store is in
	// stateDir (t.TempDir would vanish with this test).
	ctx := testctx.New(t)
	rpc := n.RPC()
	home := filepath.Join(stateDir, "scenario")
	lc, err := trusted.Init(ctx, trusted.Config{ChainID: n.ChainID(), Primary: rpc[0], Witnesses: rpc[1:2], Home: home},
		trusted.TrustRoot{Latest: true}, trusted.InitOptions{Confirm: func(trusted.Candidate) (bool, error) { return true, nil }})
	if err != nil {
		return nil, err
	}
	alice, _ := n.Account("alice")
	carol, _ := n.Account("carol")
	val := n.Validators()[0].OperatorAddress
	from, err := n.WaitForNextBlock(ctx)
	if err != nil {
		return nil, err
	}
	s := &scenario{lc: lc, alice: alice.Address, from: from}
	fee := "1000uakt" // devnet.DefaultTxGas at 0.0025uakt
	distr := address.Bech32("akash", authtypes.NewModuleAddress(distrtypes.ModuleName))
	record := func(what string, res *devnet.TxResult, err error, movements string, memo string) error {
		if res == nil {
			return fmt.Errorf("%s: %v", what, err)
		}
		// Rewards paid out are in the node's events; the test takes
		// them from its own node's answer.
		if r := rewards(res.Events, distr, alice.Address); !r.IsZero() {
			movements = strings.Replace(movements, "REWARD", "reward:in:"+r.String()+":reported ", 1)
		} else {
			movements = strings.Replace(movements, "REWARD", "", 1)
		}
		s.txs = append(s.txs, did{what: what, hash: res.Hash, height: res.Height, movements: movements, memo: memo})
		s.to = res.Height
		return nil
	}
	var res *devnet.TxResult
	res, err = n.Send(ctx, "bob", alice.Address, uakt(1111))
	if err := record("receive", res, err, "receive:in:1111uakt", ""); err != nil {
		return nil, err
	}
	res, err = n.Send(ctx, "alice", carol.Address, uakt(2222), devnet.WithMemo("invoice 7"))
	if err := record("send", res, err, "send:out:2222uakt fee:out:"+fee, "invoice 7"); err != nil {
		return nil, err
	}
	// A vesting account created by alice: sent from her balance, locked
	// in the new account (labelled vesting in the CSV).
	vested := address.Bech32("akash", sdk.AccAddress(bytes.Repeat([]byte{0x7e}, 20)))
	res, err = n.Exec(ctx, "alice", []sdk.Msg{vestingtypes.NewMsgCreateVestingAccount(sdk.MustAccAddressFromBech32(alice.Address),
		sdk.MustAccAddressFromBech32(vested), uakt(3_000_000), time.Now().Add(30*24*time.Hour).Unix(), true)})
	if err := record("create a vesting account", res, err, "send:out:3000000uakt fee:out:"+fee, ""); err != nil {
		return nil, err
	}
	res, err = n.Delegate(ctx, "alice", val, sdk.NewInt64Coin("uakt", 100_000_000))
	if err := record("delegate", res, err, "delegate:out:100000000uakt REWARDfee:out:"+fee, ""); err != nil {
		return nil, err
	}
	// Let rewards accrue for a few blocks.
	if err := n.WaitForHeight(ctx, res.Height+3); err != nil {
		return nil, err
	}
	res, err = n.Exec(ctx, "alice", []sdk.Msg{&distrtypes.MsgWithdrawDelegatorReward{DelegatorAddress: alice.Address, ValidatorAddress: val}})
	if err := record("claim", res, err, "REWARDfee:out:"+fee, ""); err != nil {
		return nil, err
	}
	if err := n.WaitForHeight(ctx, res.Height+2); err != nil {
		return nil, err
	}
	res, err = n.Delegate(ctx, "alice", val, sdk.NewInt64Coin("uakt", 5_000_000))
	if err := record("delegate again (auto-claim)", res, err, "delegate:out:5000000uakt REWARDfee:out:"+fee, ""); err != nil {
		return nil, err
	}
	id, _, err := n.SubmitProposal(ctx, "carol", "history test", "a proposal to vote on", sdk.NewCoins(sdk.NewCoin("uakt", devnet.MinDeposit)))
	if err != nil {
		return nil, err
	}
	res, err = n.Vote(ctx, "alice", id, govv1.OptionYes)
	if err := record("vote", res, err, "vote:: fee:out:"+fee, ""); err != nil {
		return nil, err
	}
	res, err = n.Exec(ctx, "alice", []sdk.Msg{stakingtypes.NewMsgUndelegate(alice.Address, val, sdk.NewInt64Coin("uakt", 1_000_000))})
	if err := record("undelegate", res, err, "undelegate::1000000uakt REWARDfee:out:"+fee, ""); err != nil {
		return nil, err
	}
	// A vote on a proposal that does not exist passes CheckTx (which
	// runs no message) and fails in the block: the fee is charged.
	res, err = n.Vote(ctx, "alice", 999_999, govv1.OptionNo)
	if res == nil || res.Code == 0 {
		return nil, fmt.Errorf("the failing vote: %+v, %v", res, err)
	}
	if err := record("failed vote", res, nil, "fee:out:"+fee+":reported", ""); err != nil {
		return nil, err
	}
	// The last transaction's height must have its next header.
	if err := n.WaitForHeight(ctx, s.to+1); err != nil {
		return nil, err
	}
	return s, nil
}

func uakt(n int64) sdk.Coins { return sdk.NewCoins(sdk.NewInt64Coin("uakt", n)) }

func rewards(events []abci.Event, distr, addr string) sdk.Coins {
	var total sdk.Coins
	for _, ev := range events {
		if ev.Type != "transfer" {
			continue
		}
		attrs := map[string]string{}
		for _, a := range ev.Attributes {
			attrs[a.Key] = a.Value
		}
		if attrs["sender"] == distr && attrs["recipient"] == addr {
			c, err := sdk.ParseCoinsNormalized(attrs["amount"])
			if err == nil {
				total = total.Add(c...)
			}
		}
	}
	return total
}

// kinds is how the tests compare movements.
func kinds(ms []history.Movement) string {
	var parts []string
	for _, m := range ms {
		s := string(m.Kind) + ":" + string(m.Direction) + ":" + m.Coins.String()
		if !m.Verified {
			s += ":reported"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

// countingHeaders counts every call for headers, to show that a cached
// export asks for none.
type countingHeaders struct {
	lightclient.Headers
	calls atomic.Int64
}

func (c *countingHeaders) VerifiedAt(ctx context.Context, h int64) (*cmttypes.LightBlock, error) {
	c.calls.Add(1)
	return c.Headers.VerifiedAt(ctx, h)
}

func (c *countingHeaders) Latest(ctx context.Context) (*cmttypes.LightBlock, error) {
	c.calls.Add(1)
	return c.Headers.Latest(ctx)
}

func client(t *testing.T, url string) *rpchttp.HTTP {
	t.Helper()
	c, err := rpchttp.New(url, "/websocket")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// searchResult is tx_search's answer, as the proxy rewrites it.
type searchResult = coretypes.ResultTxSearch
