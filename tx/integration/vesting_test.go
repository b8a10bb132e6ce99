package integration_test

import (
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	rpcclient "github.com/cometbft/cometbft/rpc/client"
	sdk "github.com/cosmos/cosmos-sdk/types"
	vestingtypes "github.com/cosmos/cosmos-sdk/x/auth/vesting/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/output"
	"github.com/akash-wallet/akw/keys"
	"github.com/akash-wallet/akw/lightclient/state"
	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/amount"
	"github.com/akash-wallet/akw/tx/flow"
	"github.com/akash-wallet/akw/tx/ops"
)

// A periodic vesting account whose first period has vested: akw's
// spendable balance is the node's (SpendableBalanceByDenom at the same
// height), a send of more is refused before signing with the exact
// spendable amount and what vesting locks, and a send within it — which
// akw used to refuse, counting a periodic account locked until its end —
// is signed and taken by the chain.
func TestVestingSpendable(t *testing.T) {
	f := open(t)
	if _, _, err := f.kk.Create("vest", keys.HDOptions{}); err != nil {
		t.Fatal(err)
	}
	k := f.key(t, "vest")
	// 3 AKT vested a second after a start an hour ago, 5 AKT in 30 days.
	msg := vestingtypes.NewMsgCreatePeriodicVestingAccount(f.key(t, "alice").Address, k.Address, time.Now().Add(-time.Hour).Unix(), vestingtypes.Periods{
		{Length: 1, Amount: uakt(3_000_000)},
		{Length: 30 * 24 * 3600, Amount: uakt(5_000_000)},
	})
	res, err := f.n.Exec(f.ctx, "alice", []sdk.Msg{msg})
	if err != nil {
		t.Fatal(err)
	}
	v := f.view(t, res.Height)
	sp, err := v.Spendable(f.ctx, k.Address, devnet.Denom)
	if err != nil {
		t.Fatal(err)
	}
	if sp.Total.Amount.Int64() != 8_000_000 || sp.Locked.Int64() != 5_000_000 || sp.Spendable.Int64() != 3_000_000 {
		t.Fatalf("proven: total %s, locked %s, spendable %s; want 8, 5 and 3 AKT", sp.Total, sp.Locked, sp.Spendable)
	}
	// The account's record says the same, its periods with their ends.
	a, err := v.Account(f.ctx, k.Address)
	if err != nil {
		t.Fatal(err)
	}
	if vs := a.Vesting; vs == nil || vs.Kind != state.VestingPeriodic || len(vs.Periods) != 2 || !vs.Locked.Equal(uakt(5_000_000)) ||
		!vs.Periods[1].EndTime.Equal(vs.EndTime) || vs.StartTime == nil {
		t.Fatalf("proven vesting %+v; want periodic, 2 periods, 5 AKT locked", a.Vesting)
	}
	// The node's answer at the same height (no period ends near it, so
	// the block time it evaluates at does not matter).
	req, _ := (&banktypes.QuerySpendableBalanceByDenomRequest{Address: k.Address.String(), Denom: devnet.Denom}).Marshal()
	qr, err := f.n.Client(0).ABCIQueryWithOptions(f.ctx, "/cosmos.bank.v1beta1.Query/SpendableBalanceByDenom", req, rpcclient.ABCIQueryOptions{Height: v.Height()})
	if err != nil || qr.Response.Code != 0 {
		t.Fatalf("node: %v %+v", err, qr)
	}
	var node banktypes.QuerySpendableBalanceByDenomResponse
	if err := node.Unmarshal(qr.Response.Value); err != nil {
		t.Fatal(err)
	}
	if !node.Balance.Amount.Equal(sp.Spendable) {
		t.Fatalf("proven spendable %s, the node says %s at height %d", sp.Spendable, node.Balance, v.Height())
	}

	bob := f.key(t, "bob")
	_, err = f.prepare(k, &ops.Send{From: k.Address, To: bob.Address, Amount: sdk.NewInt64Coin(devnet.Denom, 4_000_000)}, auto)
	checkErr(t, err, "balance", "spendable balance of "+k.Address.String()+" ("+
		amount.FormatCoin(sdk.NewInt64Coin(devnet.Denom, 3_000_000), denoms)+", verified at height ")
	checkErr(t, err, "balance", "; "+amount.FormatCoin(sdk.NewInt64Coin(devnet.Denom, 5_000_000), denoms)+" more is locked by vesting)")

	sent := f.do(t, k, &ops.Send{From: k.Address, To: bob.Address, Amount: sdk.NewInt64Coin(devnet.Denom, 2_000_000)}, auto)
	v = f.view(t, sent.Height)
	if sp, err = v.Spendable(f.ctx, k.Address, devnet.Denom); err != nil {
		t.Fatal(err)
	}
	if left := sdkmath.NewInt(1_000_000).Sub(sent.Fee.AmountOf(devnet.Denom)); !sp.Spendable.Equal(left) || sp.Locked.Int64() != 5_000_000 {
		t.Fatalf("after the send: spendable %s (want %s), locked %s", sp.Spendable, left, sp.Locked)
	}
	delegateLocked(t, f, k, sp)
}

// delegateLocked stakes coins that vesting locks (sp: the account's
// proven state): more than the spendable balance but within the whole
// balance is signed and taken by the chain, which takes the locked coins
// first; above the whole balance, or the fee with it, is refused before
// signing with exit code 4.
func delegateLocked(t *testing.T, f *fixture, k flow.Key, sp *state.Spendable) {
	t.Helper()
	val := f.n.Validators()[0].OperatorAddress
	valAddr, err := address.Validator(val, address.For(devnet.Bech32Prefix))
	if err != nil {
		t.Fatal(err)
	}
	del := func(n sdkmath.Int) ops.Op {
		return &ops.Delegate{Delegator: k.Address, Validator: valAddr, Amount: sdk.NewCoin(devnet.Denom, n)}
	}
	total := sp.Total.Amount
	coin := func(n sdkmath.Int) string { return amount.FormatCoin(sdk.NewCoin(devnet.Denom, n), denoms) }
	locked := ", " + coin(sp.Locked) + " of it locked by vesting)"

	_, err = f.prepare(k, del(total.AddRaw(1)), auto)
	checkErr(t, err, "balance", "the amount ("+coin(total.AddRaw(1))+") is more than the balance of "+k.Address.String()+" ("+coin(total)+", verified at height ")
	checkErr(t, err, "balance", locked)
	if code := output.CodeOf(errkind.KindOf(err)); code != 4 {
		t.Fatalf("exit code %d for a delegation above the balance, want 4", code)
	}
	// The simulation's fee is 1 uakt: the amount passes it, and the fee
	// it estimates does not fit beside the amount.
	_, err = f.prepare(k, del(total.SubRaw(1)), auto)
	checkErr(t, err, "balance", "the amount plus the fee ("+coin(total.SubRaw(1))+" + fee ")
	checkErr(t, err, "balance", ") is more than the balance of "+k.Address.String()+" ("+coin(total)+", verified at height ")

	// 0.5 AKT more than vesting locks: the spendable balance loses that
	// and the fee, and nothing is locked any more (delegated vesting).
	amt := sp.Locked.AddRaw(500_000)
	if !amt.GT(sp.Spendable) {
		t.Fatalf("the test needs a delegation above the spendable %s", sp.Spendable)
	}
	p, err := f.prepare(k, del(amt), auto)
	if err != nil {
		t.Fatalf("a delegation of %s, within the balance of %s: %v", coin(amt), coin(total), err)
	}
	fee := p.Fee.AmountOf(devnet.Denom)
	want := sp.Spendable.Sub(fee).SubRaw(500_000)
	if !p.After.Equal(want) {
		t.Fatalf("plan: spendable after %s, want %s", p.After, want)
	}
	res := f.send(t, p)
	v := f.view(t, res.Height)
	after, err := v.Spendable(f.ctx, k.Address, devnet.Denom)
	if err != nil {
		t.Fatal(err)
	}
	if !after.Spendable.Equal(want) || !after.Locked.IsZero() || !after.Total.Amount.Equal(total.Sub(fee).Sub(amt)) {
		t.Fatalf("after the delegation: spendable %s (want %s), locked %s, total %s", after.Spendable, want, after.Locked, after.Total)
	}
	if got := delegated(t, f, v, k.Address, val); !got.Equal(amt) {
		t.Fatalf("proven delegation %s, want %s", got, amt)
	}
}
