package integration_test

import (
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	rpcclient "github.com/cometbft/cometbft/rpc/client"
	sdk "github.com/cosmos/cosmos-sdk/types"
	vestingtypes "github.com/cosmos/cosmos-sdk/x/auth/vesting/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/keys"
	"github.com/akash-wallet/akw/tx/amount"
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
}
