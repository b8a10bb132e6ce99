package devnet

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"

	"github.com/akash-wallet/akw/internal/atomicfile"
)

// ErrNoUpgrade is WaitForUpgrade's answer on a chain without
// Config.UpgradeAddsStore.
var ErrNoUpgrade = errors.New("devnet: the chain has no upgrade scheduled")

// startUpgradeWatch starts watchUpgrade if some node still runs the
// chain's software from before its upgrade.
func (n *Network) startUpgradeWatch() {
	n.upgradeDone = make(chan struct{})
	if n.genesis.Upgrade == nil {
		n.upgradeErr = ErrNoUpgrade
		close(n.upgradeDone)
		return
	}
	go n.watchUpgrade()
}

// watchUpgrade plays the operators of the chain's nodes at its upgrade:
// each node's app halts at the upgrade height (it writes upgrade-info.json
// and CometBFT stops its consensus), and is restarted on its ports with
// the new software (newApp then mounts the new store with x/upgrade's
// store loader and registers the plan's handler). It ends when every node
// runs the new software, or when the network stops.
func (n *Network) watchUpgrade() {
	defer close(n.upgradeDone)
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		n.nodesMu.Lock()
		pending := 0
		for _, v := range n.allNodes() {
			if v.upgraded {
				continue
			}
			pending++
			if !upgradeInfoWritten(v.home) {
				continue
			}
			if err := n.restart(v); err != nil {
				n.upgradeErr = fmt.Errorf("devnet: restarting %s on the upgraded software: %w", v.name, err)
				n.nodesMu.Unlock()
				return
			}
			n.cfg.Logf("%s halted for upgrade %s and runs the new software", v.name, n.genesis.Upgrade.PlanName())
		}
		n.nodesMu.Unlock()
		if pending == 0 {
			n.writeInfo()
			return
		}
		select {
		case <-n.closing:
			n.upgradeErr = ErrStopped
			return
		case <-t.C:
		}
	}
}

// allNodes are the validators, then the full nodes.
func (n *Network) allNodes() []*validator {
	return append(append([]*validator(nil), n.vals...), n.full...)
}

// restart stops v and starts it again with what it was started with, on
// the same RPC and P2P ports if they are free (its clients keep working),
// on new ones if not. nodesMu is held.
func (n *Network) restart(v *validator) error {
	p, rpcPort, p2pPort := v.params, v.rpcPort, v.p2pPort
	v.stop()
	err := v.start(context.Background(), p, rpcPort, p2pPort)
	if err != nil && isAddrInUse(err) {
		err = startWithRetry(context.Background(), v, p)
	}
	if err != nil {
		return err
	}
	if len(n.vals) > 0 && n.vals[0] == v {
		n.leader.Store(v.cmt.BlockStore())
	}
	if v.rpcPort == rpcPort {
		return nil // the node's RPC clients still reach it
	}
	cl, err := rpchttp.NewWithClient("http://"+v.rpcAddr, "/websocket", n.httpc)
	if err != nil {
		return err
	}
	for i, u := range n.vals {
		if u == v {
			n.rpc[i] = cl
		}
	}
	for i, u := range n.full {
		if u == v {
			n.fullRPC[i] = cl
		}
	}
	return nil
}

// WaitForUpgrade waits until every node runs the software of the chain's
// upgrade (Config.UpgradeAddsStore): each halted at the upgrade height
// and was restarted with the new store. The chain then goes on from the
// upgrade height; WaitForAppHeight(Height) waits for the upgraded block.
func (n *Network) WaitForUpgrade(ctx context.Context) error {
	select {
	case <-n.upgradeDone:
		return n.upgradeErr
	case <-ctx.Done():
		return fmt.Errorf("devnet: waiting for the upgrade: %w", ctx.Err())
	}
}

// writeInfo rewrites devnet.json (a restarted node has new gRPC and REST
// ports).
func (n *Network) writeInfo() {
	select {
	case <-n.closing:
		return
	default:
	}
	_ = atomicfile.Write(filepath.Join(n.dir, InfoFile), mustJSON(n.Info()), 0o600)
}
