package main

import (
	"context"
	"fmt"
	"io"
	"time"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/internal/output"
)

// statusOptions are what `akw status` was asked.
type statusOptions struct {
	Timeout time.Duration
}

// statusResult is node-reported: /status cannot be proven, so it is never
// shown as verified.
type statusResult struct {
	Verified   bool      `json:"verified"`
	Reason     string    `json:"reason"`
	Node       string    `json:"node"`
	ChainID    string    `json:"chain_id"`
	Moniker    string    `json:"moniker"`
	Version    string    `json:"version"`
	Height     int64     `json:"height"`
	BlockHash  string    `json:"latest_block_hash"`
	BlockTime  time.Time `json:"latest_block_time"`
	CatchingUp bool      `json:"catching_up"`
	Earliest   int64     `json:"earliest_block_height"`
}

func newStatusCmd(app *App, runF func(*statusOptions) error) *cobra.Command {
	opts := &statusOptions{}
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show the node's status (node-reported, not verified)",
		Long: `Show what the node says about itself: chain-id, latest height and time,
whether it is catching up. None of this can be proven, so it is labelled
node-reported; use "akw light status" for the verified view.`,
		Args: cobra.NoArgs,
		RunE: func(_ *cobra.Command, _ []string) error {
			if err := app.RequireNetwork(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runStatus(app.Context(), app, opts)
		},
	}
	cmd.Flags().DurationVar(&opts.Timeout, "timeout", 10*time.Second, "how long to wait for the node")
	return cmd
}

func runStatus(ctx context.Context, app *App, opts *statusOptions) error {
	node := app.Network.RPC
	secs := uint(opts.Timeout / time.Second)
	if secs == 0 {
		secs = 1
	}
	c, err := rpchttp.NewWithTimeout(node, "/websocket", secs)
	if err != nil {
		return output.Wrap(output.Usage, err, fmt.Sprintf("malformed node URL %q: %v", node, err), "give the node's RPC address as http://host:port")
	}
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	st, err := c.Status(ctx)
	if err != nil {
		return networkError(err, node)
	}
	res := statusResult{
		Verified:   false,
		Reason:     "node status is what the node says about itself; it cannot be proven",
		Node:       node,
		ChainID:    st.NodeInfo.Network,
		Moniker:    st.NodeInfo.Moniker,
		Version:    st.NodeInfo.Version,
		Height:     st.SyncInfo.LatestBlockHeight,
		BlockHash:  st.SyncInfo.LatestBlockHash.String(),
		BlockTime:  st.SyncInfo.LatestBlockTime,
		CatchingUp: st.SyncInfo.CatchingUp,
		Earliest:   st.SyncInfo.EarliestBlockHeight,
	}
	if want := app.Network.ChainID; want != "" && res.ChainID != want {
		return output.New(output.Verification,
			fmt.Sprintf("the node at %s serves chain %q, but network %q is chain %q", node, res.ChainID, app.NetworkName, want),
			"point --node at a node of "+want+", or choose the network of that node with --network")
	}
	return app.Printer.Result(res, func(w io.Writer) error {
		fmt.Fprintf(w, "Node status (node-reported, not verified)\n")
		fmt.Fprintf(w, "  node          %s\n", res.Node)
		fmt.Fprintf(w, "  chain-id      %s\n", res.ChainID)
		fmt.Fprintf(w, "  moniker       %s\n", res.Moniker)
		fmt.Fprintf(w, "  version       %s\n", res.Version)
		fmt.Fprintf(w, "  latest block  %d  %s\n", res.Height, res.BlockHash)
		fmt.Fprintf(w, "  block time    %s (%s ago)\n", res.BlockTime.UTC().Format(time.RFC3339), time.Since(res.BlockTime).Round(time.Second))
		fmt.Fprintf(w, "  earliest      %d\n", res.Earliest)
		fmt.Fprintf(w, "  catching up   %t\n", res.CatchingUp)
		return nil
	})
}
