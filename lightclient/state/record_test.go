package state_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	cmtbytes "github.com/cometbft/cometbft/libs/bytes"
	rpcclient "github.com/cometbft/cometbft/rpc/client"
	ctypes "github.com/cometbft/cometbft/rpc/core/types"

	"github.com/akash-wallet/akw/lightclient"
)

// recordingNode records abci_query answers, then replays them without the
// network, to measure the client's own CPU.
type recordingNode struct {
	lightclient.Node
	mu      sync.Mutex
	answers map[string]any
	replay  bool
	proofs  atomic.Int64
}

func (r *recordingNode) ABCIQueryWithOptions(ctx context.Context, path string, data cmtbytes.HexBytes, opts rpcclient.ABCIQueryOptions) (*ctypes.ResultABCIQuery, error) {
	k := fmt.Sprintf("%s|%X|%d|%t", path, []byte(data), opts.Height, opts.Prove)
	r.proofs.Add(1)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.replay {
		a, ok := r.answers[k].(*ctypes.ResultABCIQuery)
		if !ok {
			return nil, fmt.Errorf("no recorded answer for %s", k)
		}
		cp := *a
		return &cp, nil
	}
	res, err := r.Node.ABCIQueryWithOptions(ctx, path, data, opts)
	if err == nil {
		r.answers[k] = res
	}
	return res, err
}
