// Package fee works out a transaction's gas limit and fee: a fixed fee,
// or a gas price times the gas limit; the limit given, or simulated by the
// node and multiplied by an adjustment. Simulation is the node's word
// (it cannot be proven), which callers must say when they show it.
package fee

import (
	"context"
	"fmt"
	"math/big"
	"strconv"
	"strings"

	sdkmath "cosmossdk.io/math"
	rpcclient "github.com/cometbft/cometbft/rpc/client"
	sdk "github.com/cosmos/cosmos-sdk/types"
	txtypes "github.com/cosmos/cosmos-sdk/types/tx"

	"github.com/akash-wallet/akw/tx"
)

// Gas is a --gas setting: "auto" (simulate) or a limit.
type Gas struct {
	Auto  bool
	Limit uint64
}

// DefaultGas is the limit when neither --gas nor simulation gives one;
// the SDK CLI's default.
const DefaultGas = 200_000

// UnorderedNonceGas is added to the simulated gas of an unordered
// transaction: in simulation the SDK (v0.53 x/auth ante) charges the flat
// unordered cost but skips recording the nonce, a store read and write of
// about 5,000 gas that delivery does charge. Doubled for headroom.
const UnorderedNonceGas = 10_000

// MaxGas bounds a user-given limit: far above any of akw's transactions
// and below the point where a typo costs a fortune in fees.
const MaxGas = 100_000_000

// ParseGas reads --gas: "auto" or a positive integer.
func ParseGas(s string) (Gas, error) {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "auto") {
		return Gas{Auto: true}, nil
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n == 0 {
		return Gas{}, tx.Inputf("give --gas auto, or a whole number such as 200000", "invalid --gas %q", s)
	}
	if n > MaxGas {
		return Gas{}, tx.Inputf(fmt.Sprintf("give at most %d, or --gas auto", MaxGas), "--gas %d is more than any akw transaction needs", n)
	}
	return Gas{Limit: n}, nil
}

// ParseAdjustment reads --gas-adjustment; it must be at least 1 (a lower
// value guarantees running out of gas) and is capped at 10.
func ParseAdjustment(f float64) (sdkmath.LegacyDec, error) {
	if f < 1 || f > 10 {
		return sdkmath.LegacyDec{}, tx.Inputf("use a value between 1 and 10; 1.5 is usual", "invalid --gas-adjustment %g", f)
	}
	d, err := sdkmath.LegacyNewDecFromStr(strconv.FormatFloat(f, 'f', -1, 64))
	if err != nil {
		return sdkmath.LegacyDec{}, tx.Inputf("use a value between 1 and 10; 1.5 is usual", "invalid --gas-adjustment %g", f)
	}
	return d, nil
}

// Adjust multiplies simulated gas by the adjustment, rounding up.
func Adjust(simulated uint64, adj sdkmath.LegacyDec) uint64 {
	v := adj.MulInt(sdkmath.NewIntFromUint64(simulated)).Ceil().TruncateInt()
	if !v.IsUint64() {
		return ^uint64(0)
	}
	return v.Uint64()
}

// FeeFor is the fee for a gas limit at a gas price: ceil(price × gas),
// exactly as the SDK's factory computes it, so the node's minimum-fee
// check (which also rounds up) accepts it.
func FeeFor(gas uint64, price sdk.DecCoin) sdk.Coin {
	g := sdkmath.LegacyNewDecFromBigInt(new(big.Int).SetUint64(gas))
	return sdk.NewCoin(price.Denom, price.Amount.Mul(g).Ceil().RoundInt())
}

// Simulator runs a transaction without committing it and reports the gas
// it used. The answer is node-reported.
type Simulator interface {
	Simulate(ctx context.Context, txBytes []byte) (gasUsed uint64, err error)
}

// SimulatePath is the ABCI query path of the tx service's Simulate; going
// through CometBFT's abci_query needs no gRPC endpoint.
const SimulatePath = "/cosmos.tx.v1beta1.Service/Simulate"

// NodeSimulator simulates through a node's abci_query.
type NodeSimulator struct {
	Node rpcclient.ABCIClient
}

// Simulate implements Simulator. A transaction the chain would refuse
// comes back as *tx.RejectedError with StageSimulate and the chain's log.
func (s NodeSimulator) Simulate(ctx context.Context, txBytes []byte) (uint64, error) {
	req := txtypes.SimulateRequest{TxBytes: txBytes}
	bz, err := req.Marshal()
	if err != nil {
		return 0, err
	}
	res, err := s.Node.ABCIQueryWithOptions(ctx, SimulatePath, bz, rpcclient.ABCIQueryOptions{})
	if err != nil {
		return 0, fmt.Errorf("simulating the transaction: %w", err)
	}
	if res.Response.Code != 0 {
		return 0, &tx.RejectedError{Stage: tx.StageSimulate, Code: res.Response.Code, Codespace: res.Response.Codespace, Log: res.Response.Log}
	}
	var out txtypes.SimulateResponse
	if err := out.Unmarshal(res.Response.Value); err != nil {
		return 0, fmt.Errorf("decoding the node's simulation answer: %w", err)
	}
	if out.GasInfo == nil {
		return 0, fmt.Errorf("the node's simulation answer has no gas information")
	}
	return out.GasInfo.GasUsed, nil
}
