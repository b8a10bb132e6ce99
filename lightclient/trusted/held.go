package trusted

import (
	"errors"

	rpctypes "github.com/cometbft/cometbft/rpc/jsonrpc/types"
)

// heldRetries is how many more times a request for a height the node says
// it does not hold — pruned, or above its newest block — is sent to the
// same node before that answer is taken. Behind a per-request load
// balancer (Akash's public RPC round-robins across community nodes blocks
// apart, with different pruning) the next request may well reach a
// backend that has it: the commit of one backend's newest block, then its
// validators from one 5 blocks behind, is the common case. A single node
// answers the same again, at the cost of a round trip each.
const heldRetries = 2

// notHeld reports whether err is a node's answer that it does not hold
// the height asked for (CometBFT's own texts, see rpcHeightPruned).
func notHeld(err error) bool {
	var rpcErr *rpctypes.RPCError
	return err != nil && errors.As(err, &rpcErr) &&
		(rpcHeightPruned.MatchString(rpcErr.Data) || rpcHeightTooHigh.MatchString(rpcErr.Data))
}
