package proven_test

import (
	"errors"
	"strings"
	"testing"

	sdkmath "cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/devnet/devnettest"
	"github.com/akash-wallet/akw/internal/testctx"
	"github.com/akash-wallet/akw/lightclient/state"
	"github.com/akash-wallet/akw/lightclient/trusted"
	"github.com/akash-wallet/akw/tx"
	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/amount"
	"github.com/akash-wallet/akw/tx/encoding"
	"github.com/akash-wallet/akw/tx/fee"
	"github.com/akash-wallet/akw/tx/flow"
	"github.com/akash-wallet/akw/tx/ops"
	"github.com/akash-wallet/akw/tx/proven"
)

// TestDevnetSendOfACTIsRefusedBeforeSigning prepares sends on a devnet
// whose ACT is send-disabled as on mainnet: the ACT send stops at the
// proven send rule, as a usage error with a hint and no plan to sign; the
// AKT send passes. The chain itself refuses the ACT send too, so the
// check refuses nothing the chain would take.
func TestDevnetSendOfACTIsRefusedBeforeSigning(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a devnet")
	}
	n := devnettest.Start(t)
	ctx := testctx.New(t)
	if err := n.WaitForAppHeight(ctx, 3); err != nil {
		t.Fatal(err)
	}
	rpc := n.RPC()
	lc, err := trusted.Init(ctx, trusted.Config{ChainID: n.ChainID(), Primary: rpc[0], Witnesses: rpc[1:], Home: t.TempDir()},
		trusted.TrustRoot{Latest: true}, trusted.InitOptions{Confirm: func(trusted.Candidate) (bool, error) { return true, nil }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = lc.Close() })
	src := proven.New(state.New(lc, nil))

	enc, err := encoding.New("akash")
	if err != nil {
		t.Fatal(err)
	}
	alice, err := n.Account("alice")
	if err != nil {
		t.Fatal(err)
	}
	kr := keyring.NewInMemory(enc.Codec)
	rec, err := kr.NewAccount("alice", alice.Mnemonic, "", devnet.HDPath, hd.Secp256k1)
	if err != nil {
		t.Fatal(err)
	}
	from, err := alice.AccAddress()
	if err != nil {
		t.Fatal(err)
	}
	bobAcc, err := n.Account("bob")
	if err != nil {
		t.Fatal(err)
	}
	bob, err := bobAcc.AccAddress()
	if err != nil {
		t.Fatal(err)
	}
	price, err := amount.ParseGasPrice("0.025uakt", amount.Akash)
	if err != nil {
		t.Fatal(err)
	}
	env := &flow.Env{Enc: enc, Denoms: amount.Akash, Prefixes: address.For("akash"), ChainID: n.ChainID(),
		GasPrice: price, GasAdjustment: sdkmath.LegacyOneDec(), Keyring: kr, Accounts: src, State: src}
	key := flow.Key{Name: "alice", Record: rec, Address: from}
	opts := flow.Options{Gas: fee.Gas{Limit: fee.DefaultGas}}

	plan, err := flow.Prepare(ctx, env, &ops.Send{From: from, To: bob, Amount: sdk.NewInt64Coin(devnet.ActDenom, 1_000_000)}, key, opts)
	var sd *tx.SendDisabledError
	if plan != nil || !errors.As(err, &sd) || errkind.KindOf(err) != errkind.Usage {
		t.Fatalf("ACT send: plan %v, %T %v", plan, err, err)
	}
	if !sd.Entry || sd.Height < 2 || !strings.Contains(err.Error(), "uact cannot be sent") || !strings.Contains(errkind.HintOf(err).Text, "send AKT instead") {
		t.Fatalf("ACT send refused with %q (hint %q)", err, errkind.HintOf(err).Text)
	}

	src.Refresh()
	plan, err = flow.Prepare(ctx, env, &ops.Send{From: from, To: bob, Amount: sdk.NewInt64Coin(devnet.Denom, 1_000_000)}, key, opts)
	if err != nil || plan == nil || !plan.Checked {
		t.Fatalf("AKT send: %v", err)
	}
	rule, err := src.SendRule(ctx, devnet.Denom)
	if err != nil || !rule.Enabled || rule.Entry {
		t.Fatalf("AKT rule %+v, %v", rule, err)
	}

	// The chain agrees: it refuses the ACT send (the devnet's own signer
	// sends it, past akw's check).
	_, err = n.Send(ctx, "alice", bob.String(), sdk.NewCoins(sdk.NewInt64Coin(devnet.ActDenom, 1_000_000)))
	if err == nil || !strings.Contains(err.Error(), "transfers are currently disabled") {
		t.Fatalf("the chain took an ACT send: %v", err)
	}
}
