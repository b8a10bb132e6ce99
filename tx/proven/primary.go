package proven

import (
	"context"
	"fmt"

	coretypes "github.com/cometbft/cometbft/rpc/core/types"
	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/akash-wallet/akw/lightclient"
	"github.com/akash-wallet/akw/tx/broadcast"
	"github.com/akash-wallet/akw/tx/fee"
)

// Primary is what follows the light client's current primary, which
// changes when the light client falls over to a witness
// (*trusted.Client).
type Primary interface {
	Primary() lightclient.Node
}

// Broadcaster sends transactions to the light client's current primary,
// asked afresh for every call. Nothing it returns is trusted: the outcome
// is proven by the Prover.
type Broadcaster struct{ Light Primary }

func (b Broadcaster) node() (broadcast.Node, error) {
	p := b.Light.Primary()
	n, ok := p.(broadcast.Node)
	if !ok {
		return nil, fmt.Errorf("the primary's client cannot broadcast (%T)", p)
	}
	return n, nil
}

// BroadcastTxSync implements broadcast.Node.
func (b Broadcaster) BroadcastTxSync(ctx context.Context, t cmttypes.Tx) (*coretypes.ResultBroadcastTx, error) {
	n, err := b.node()
	if err != nil {
		return nil, err
	}
	return n.BroadcastTxSync(ctx, t)
}

// UnconfirmedTxs implements broadcast.Node.
func (b Broadcaster) UnconfirmedTxs(ctx context.Context, limit *int) (*coretypes.ResultUnconfirmedTxs, error) {
	n, err := b.node()
	if err != nil {
		return nil, err
	}
	return n.UnconfirmedTxs(ctx, limit)
}

// Simulator simulates on the light client's current primary. Its gas
// figure is node-reported: simulation cannot be proven.
type Simulator struct{ Light Primary }

// Simulate implements the flow's simulator.
func (s Simulator) Simulate(ctx context.Context, txBytes []byte) (uint64, error) {
	return fee.NodeSimulator{Node: s.Light.Primary()}.Simulate(ctx, txBytes)
}
