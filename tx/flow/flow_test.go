package flow

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/tx"
	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/amount"
	"github.com/akash-wallet/akw/tx/encoding"
	"github.com/akash-wallet/akw/tx/fee"
	"github.com/akash-wallet/akw/tx/ops"
	"github.com/akash-wallet/akw/tx/sign"
)

// The devnet tests run this flow against a real chain through the CLI;
// these pin the arithmetic and the option rules with in-memory sources.

type chain struct {
	acct      tx.Account
	spendable sdkmath.Int
	locked    sdkmath.Int // by vesting: in the total, not spendable; nil for none
	validator *tx.Validator
	simGas    uint64
	simFee    sdk.Coins
}

func (c *chain) Account(context.Context, sdk.AccAddress) (*tx.Account, error) {
	a := c.acct
	return &a, nil
}
func (c *chain) Balance(_ context.Context, _ sdk.AccAddress, denom string) (*tx.Balance, error) {
	total := c.spendable
	if !c.locked.IsNil() {
		total = total.Add(c.locked)
	}
	return &tx.Balance{Denom: denom, Total: total, Spendable: c.spendable, Height: 41, Verified: true}, nil
}
func (c *chain) Validator(context.Context, sdk.ValAddress) (*tx.Validator, error) {
	if c.validator != nil {
		return c.validator, nil
	}
	return nil, fmt.Errorf("%w", tx.ErrNotFound)
}
func (c *chain) Delegations(context.Context, sdk.AccAddress) ([]tx.Delegation, error) {
	return nil, nil
}
func (c *chain) Redelegations(context.Context, sdk.AccAddress) ([]tx.Redelegation, error) {
	return nil, nil
}
func (c *chain) Proposal(_ context.Context, id uint64) (*tx.Proposal, error) {
	return &tx.Proposal{ID: id, Status: govv1.StatusVotingPeriod}, nil
}
func (c *chain) Simulate(_ context.Context, bz []byte) (uint64, error) { return c.simGas, nil }

const mnemonic = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"

func env(t *testing.T, online bool) (*Env, *chain, Key) {
	t.Helper()
	enc, err := encoding.New("akash")
	if err != nil {
		t.Fatal(err)
	}
	kr := keyring.NewInMemory(enc.Codec)
	rec, err := kr.NewAccount("alice", mnemonic, "", hd.CreateHDPath(118, 0, 0).String(), hd.Secp256k1)
	if err != nil {
		t.Fatal(err)
	}
	addr, _ := rec.GetAddress()
	price, _ := amount.ParseGasPrice("0.025uakt", amount.Akash)
	adj, _ := fee.ParseAdjustment(1.5)
	e := &Env{Enc: enc, Denoms: amount.Akash, Prefixes: address.For("akash"), ChainID: "akash-devnet-1",
		GasPrice: price, GasAdjustment: adj, Keyring: kr,
		Now: func() time.Time { return time.Date(2026, 11, 24, 6, 0, 0, 0, time.UTC) }}
	c := &chain{acct: tx.Account{Address: addr, Number: 12, Sequence: 5, Height: 41, Verified: true}, spendable: sdkmath.NewInt(10_000_000), simGas: 80_000}
	if online {
		e.Accounts, e.State, e.Simulator = c, c, c
	}
	return e, c, Key{Name: "alice", Record: rec, Address: addr}
}

func send(from sdk.AccAddress, n int64) ops.Op {
	return &ops.Send{From: from, To: sdk.AccAddress(bytes.Repeat([]byte{7}, 20)), Amount: sdk.NewInt64Coin("uakt", n)}
}

func TestPrepareOnline(t *testing.T) {
	e, _, k := env(t, true)
	p, err := Prepare(context.Background(), e, send(k.Address, 1_000_000), k, Options{Gas: fee.Gas{Auto: true}})
	if err != nil {
		t.Fatal(err)
	}
	// 80,000 simulated × 1.5 = 120,000 gas; × 0.025 = 3,000 uakt.
	if p.Gas != 120_000 || p.GasSimulated != 80_000 || !p.Fee.Equal(sdk.NewCoins(sdk.NewInt64Coin("uakt", 3000))) {
		t.Fatalf("gas %d (simulated %d), fee %s", p.Gas, p.GasSimulated, p.Fee)
	}
	if p.AccountNumber != 12 || p.Sequence != 5 || !p.AccountVerified || !p.Checked {
		t.Fatalf("%+v", p)
	}
	if p.After == nil || !p.After.Equal(sdkmath.NewInt(10_000_000-1_000_000-3000)) {
		t.Fatalf("after %v", p.After)
	}
	bz, err := Sign(context.Background(), e, p)
	if err != nil || len(bz) == 0 {
		t.Fatal(err)
	}
	if err := sign.Verify(context.Background(), e.Enc, p.Builder, sign.SignerData{ChainID: "akash-devnet-1", AccountNumber: 12}); err != nil {
		t.Fatal(err)
	}
}

// Stale state is warned about before signing (a notice, the plan's
// Fresh), not refused: the plan is still made, and the notice says how old
// the checks' state is and at what height.
func TestPrepareWarnsOnStaleState(t *testing.T) {
	e, c, k := env(t, true)
	var notes []string
	e.Notice = func(m string) { notes = append(notes, m) }
	c.acct.Fresh = tx.Freshness{HeaderTime: time.Date(2026, 11, 24, 5, 53, 0, 0, time.UTC), Age: 7 * time.Minute, Stale: true, Note: "state is 7 minutes old: the chain may have halted, or the nodes are withholding new blocks"}
	p, err := Prepare(context.Background(), e, send(k.Address, 1_000_000), k, Options{Gas: fee.Gas{Auto: true}})
	if err != nil {
		t.Fatal(err)
	}
	if !p.Fresh.Stale || p.Fresh.Age != 7*time.Minute {
		t.Fatalf("plan freshness %+v", p.Fresh)
	}
	want := "state is 7 minutes old: the chain may have halted, or the nodes are withholding new blocks; the checks before signing rest on the state at height 41"
	if len(notes) != 1 || notes[0] != want {
		t.Fatalf("notices %q, want %q", notes, want)
	}
	// Fresh state: no word about it.
	c.acct.Fresh = tx.Freshness{HeaderTime: time.Date(2026, 11, 24, 5, 59, 57, 0, time.UTC), Age: 3 * time.Second}
	notes = nil
	if p, err = Prepare(context.Background(), e, send(k.Address, 1_000_000), k, Options{Gas: fee.Gas{Auto: true}}); err != nil || p.Fresh.Stale || len(notes) != 0 {
		t.Fatalf("fresh: %+v %v %q", p.Fresh, err, notes)
	}
}

func TestBalanceChecks(t *testing.T) {
	e, c, k := env(t, true)
	ctx := context.Background()
	// The amount alone is too much: named as the amount, before simulating.
	_, err := Prepare(ctx, e, send(k.Address, 10_000_001), k, Options{Gas: fee.Gas{Auto: true}})
	var ce *tx.CheckError
	if !errors.As(err, &ce) || !strings.HasPrefix(ce.Reason, "the amount (") {
		t.Fatalf("amount: %v", err)
	}
	// The amount fits, the fee does not.
	_, err = Prepare(ctx, e, send(k.Address, 9_999_000), k, Options{Gas: fee.Gas{Auto: true}})
	if !errors.As(err, &ce) || !strings.HasPrefix(ce.Reason, "the amount plus the fee") {
		t.Fatalf("amount plus fee: %v", err)
	}
	// Exactly everything: accepted, nothing left.
	p, err := Prepare(ctx, e, send(k.Address, 9_997_000), k, Options{Gas: fee.Gas{Auto: true}})
	if err != nil || !p.After.IsZero() {
		t.Fatalf("exact: %v %v", err, p)
	}
	// A fee alone above the balance (nothing to spend: a vote).
	c.spendable = sdkmath.NewInt(100)
	yes := []*govv1.WeightedVoteOption{{Option: govv1.OptionYes, Weight: "1.000000000000000000"}}
	_, err = Prepare(ctx, e, &ops.Vote{Voter: k.Address, ProposalID: 1, Options: yes}, k, Options{Gas: fee.Gas{Auto: true}})
	if !errors.As(err, &ce) || !strings.HasPrefix(ce.Reason, "the fee (") {
		t.Fatalf("fee: %v", err)
	}
}

func TestOptions(t *testing.T) {
	ctx := context.Background()
	e, _, k := env(t, true)
	price := sdk.NewDecCoinFromDec("uakt", sdkmath.LegacyMustNewDecFromStr("0.1"))
	seven := uint64(7)
	for name, o := range map[string]Options{
		"fees and prices":           {Fees: sdk.NewCoins(sdk.NewInt64Coin("uakt", 1)), GasPrice: &price, Gas: fee.Gas{Limit: 1}},
		"unordered without timeout": {Unordered: true, Gas: fee.Gas{Limit: 1}},
		"unordered too long":        {Unordered: true, TimeoutDuration: 11 * time.Minute, Gas: fee.Gas{Limit: 1}},
		"unordered with sequence":   {Unordered: true, TimeoutDuration: time.Minute, Sequence: &seven, Gas: fee.Gas{Limit: 1}},
		"timeout without unordered": {TimeoutDuration: time.Minute, Gas: fee.Gas{Limit: 1}},
		"other account number":      {AccountNumber: &seven, Gas: fee.Gas{Limit: 1}},
	} {
		if _, err := Prepare(ctx, e, send(k.Address, 1), k, o); errkind.KindOf(err) != errkind.Usage {
			t.Errorf("%s: %v", name, err)
		}
	}
	// Given fees and a given gas limit are used as they are.
	p, err := Prepare(ctx, e, send(k.Address, 1), k, Options{Fees: sdk.NewCoins(sdk.NewInt64Coin("uakt", 777)), Gas: fee.Gas{Limit: 90_000}})
	if err != nil || p.Gas != 90_000 || p.GasSource != GasGiven || p.Fee.AmountOf("uakt").Int64() != 777 {
		t.Fatalf("%v %+v", err, p)
	}
	// Gas price × given gas, rounded up.
	p, err = Prepare(ctx, e, send(k.Address, 1), k, Options{GasPrice: &price, Gas: fee.Gas{Limit: 90_001}})
	if err != nil || p.Fee.AmountOf("uakt").Int64() != 9001 {
		t.Fatalf("%v %+v", err, p.Fee)
	}
	// Unordered: no sequence, the timeout from the clock, extra gas for
	// the nonce the simulation does not charge.
	p, err = Prepare(ctx, e, send(k.Address, 1), k, Options{Unordered: true, TimeoutDuration: 5 * time.Minute, Gas: fee.Gas{Auto: true}})
	if err != nil || p.Sequence != 0 || p.Gas != 120_000+fee.UnorderedNonceGas ||
		!p.Builder.GetTx().GetTimeoutTimeStamp().Equal(time.Date(2026, 11, 24, 6, 5, 0, 0, time.UTC)) {
		t.Fatalf("unordered: %v %+v", err, p)
	}
}

func TestOffline(t *testing.T) {
	ctx := context.Background()
	e, _, k := env(t, false)
	if _, err := Prepare(ctx, e, send(k.Address, 1), k, Options{Gas: fee.Gas{Limit: 100_000}}); errkind.KindOf(err) != errkind.Usage {
		t.Fatalf("offline without account data: %v", err)
	}
	n, s := uint64(3), uint64(9)
	p, err := Prepare(ctx, e, send(k.Address, 1), k, Options{Gas: fee.Gas{Auto: true}, AccountNumber: &n, Sequence: &s})
	if err != nil || p.Gas != fee.DefaultGas || p.GasSource != GasDefault || p.Checked || p.Balance != nil || p.AccountVerified {
		t.Fatalf("%v %+v", err, p)
	}
	if _, err := Sign(ctx, e, p); err != nil {
		t.Fatal(err)
	}
	if err := sign.Verify(ctx, e.Enc, p.Builder, sign.SignerData{ChainID: "akash-devnet-1", AccountNumber: 3}); err != nil {
		t.Fatal(err)
	}
	// Generate-only needs no account data and no key.
	addrOnly := Key{Address: k.Address}
	p, err = Prepare(ctx, e, send(k.Address, 1), addrOnly, Options{Gas: fee.Gas{Limit: 100_000}, Unsigned: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Sign(ctx, e, p); errkind.KindOf(err) != errkind.Key {
		t.Fatalf("signing without a key: %v", err)
	}
	if _, err := Broadcast(ctx, e, []byte{1}, nil, nil); errkind.KindOf(err) != errkind.Usage {
		t.Fatalf("broadcast offline: %v", err)
	}
}

// staleChain's verified state is a block behind: the node's simulation
// expects sequence 6 until a refresh brings the proven state up to it.
type staleChain struct {
	*chain
	refreshed int
}

func (s *staleChain) Refresh() {
	s.refreshed++
	s.acct.Sequence = 6
}

func (s *staleChain) Simulate(ctx context.Context, bz []byte) (uint64, error) {
	if s.acct.Sequence < 6 {
		return 0, &tx.RejectedError{Stage: tx.StageSimulate, Code: 6, Codespace: "sdk",
			Log: "rpc error: code = Unknown desc = account sequence mismatch, expected 6, got 5: incorrect account sequence"}
	}
	return s.chain.Simulate(ctx, bz)
}

func TestStaleSequenceWaits(t *testing.T) {
	e, c, k := env(t, true)
	sc := &staleChain{chain: c}
	e.Accounts, e.State, e.Simulator = sc, sc, sc
	var notes []string
	e.Notice = func(m string) { notes = append(notes, m) }
	p, err := Prepare(context.Background(), e, send(k.Address, 1), k, Options{Gas: fee.Gas{Auto: true}})
	if err != nil || p.Sequence != 6 || sc.refreshed == 0 || len(notes) == 0 {
		t.Fatalf("%v %+v refreshed %d %v", err, p, sc.refreshed, notes)
	}
	// A sequence given by the user is never second-guessed.
	sc.acct.Sequence = 5
	five := uint64(5)
	if _, err := Prepare(context.Background(), e, send(k.Address, 1), k, Options{Gas: fee.Gas{Auto: true}, Sequence: &five}); errkind.KindOf(err) != errkind.Rejected {
		t.Fatalf("given sequence: %v", err)
	}
}

func TestDuplicateNote(t *testing.T) {
	r := &Result{Height: 7, Code: 0, Index: 2}
	if r.DuplicateNote() != "" {
		t.Fatal("a note for a transaction listed once")
	}
	r.Duplicates = []tx.Copy{{Index: 5, Code: 32}}
	if n := r.DuplicateNote(); !strings.Contains(n, "block 7 lists this transaction 2 times") || !strings.Contains(n, "index 2, the one that executed") ||
		!strings.Contains(n, "index 5: code 32") {
		t.Fatal(n)
	}
	r.Code = 11
	if n := r.DuplicateNote(); !strings.Contains(n, "no copy succeeded") {
		t.Fatal(n)
	}
}
