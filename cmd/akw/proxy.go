package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/internal/output"
	"github.com/akash-wallet/akw/lightclient/trusted"
	"github.com/akash-wallet/akw/proxy"
	"github.com/akash-wallet/akw/wallet"
)

// proxyOptions are what `akw proxy` was asked.
type proxyOptions struct {
	Listen          string
	Public          bool
	AllowUnverified bool
	MaxAge          time.Duration
	Timeout         time.Duration
	MaxBody         int64
	MaxBatch        int
	MaxInFlight     int
}

func newProxyCmd(app *App, runF func(*proxyOptions) error) *cobra.Command {
	opts := &proxyOptions{}
	cmd := &cobra.Command{
		Use:   "proxy",
		Short: "Serve a verifying CometBFT JSON-RPC endpoint for other wallets and tools",
		Long: `Serve the CometBFT JSON-RPC of a node on --listen (default 127.0.0.1:26658),
with every answer proven against headers the light client has verified:
point the Akash CLI (--node http://127.0.0.1:26658), cosmjs or any wallet
that takes an RPC endpoint at it, and a lying node can make them fail, never
show something false.

Headers, commits, validator sets and blocks come from verified light blocks;
abci_query answers (store proofs and the bank, auth, staking, distribution
and gov gRPC queries) are proven against the app hash; transactions are
proven included with their results. Broadcasts and simulation are forwarded
and marked as the node's word (HTTP header X-Akw-Unverified); anything else
is refused with a JSON-RPC error saying why, or, with --allow-unverified,
forwarded and marked.

Each call is logged on stdout (-o json: one JSON object per line), and a
summary is printed when SIGINT or SIGTERM stops the proxy. It needs a
trusted store (akw light init) and leaves it usable by other akw commands.`,
		Args: cobra.NoArgs,
		RunE: func(_ *cobra.Command, _ []string) error {
			if err := opts.validate(app); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runProxy(app.Context(), app, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Listen, "listen", "127.0.0.1:26658", "address to serve on (host:port); only loopback unless --public")
	f.BoolVar(&opts.Public, "public", false, "allow a --listen address other hosts can reach (anyone who reaches it can query and broadcast through it)")
	f.BoolVar(&opts.AllowUnverified, "allow-unverified", false, "forward what cannot be verified instead of refusing it; such answers are marked (X-Akw-Unverified and the log)")
	f.DurationVar(&opts.MaxAge, "max-age", 2*time.Second, "ask the nodes for a newer header when the last time is older than this (0: on every request)")
	f.DurationVar(&opts.Timeout, "timeout", 30*time.Second, "give up on one call (its proofs and headers) after this long")
	f.Int64Var(&opts.MaxBody, "max-body", 1_000_000, "largest request body in bytes")
	f.IntVar(&opts.MaxBatch, "max-batch", 10, "most calls in one batch")
	f.IntVar(&opts.MaxInFlight, "max-in-flight", 256, "most requests served at once")
	return cmd
}

// validate checks the network and the limits before anything listens.
func (opts *proxyOptions) validate(app *App) error {
	if err := app.RequireNetwork(); err != nil {
		return err
	}
	if opts.MaxBody < 1024 || opts.MaxBatch < 1 || opts.MaxInFlight < 1 || opts.Timeout <= 0 || opts.MaxAge < 0 {
		return output.UsageError("--max-body must be at least 1024, --max-batch and --max-in-flight at least 1, --timeout positive and --max-age not negative",
			"see `akw proxy --help`")
	}
	return nil
}

func runProxy(ctx context.Context, app *App, opts *proxyOptions) error {
	ln, err := proxy.Listen(opts.Listen, opts.Public)
	if errors.Is(err, proxy.ErrNotLoopback) {
		return output.UsageError(fmt.Sprintf("--listen %s is reachable from other hosts", opts.Listen),
			"listen on 127.0.0.1 (the default), or pass --public if every host that can reach it may query and broadcast through it")
	}
	if err != nil {
		return output.Wrap(output.Failure, err, fmt.Sprintf("cannot listen on %s: %v", opts.Listen, err), "choose another --listen address (host:port)")
	}
	if !proxy.IsLoopback(opts.Listen) {
		app.Printer.Warn("akw proxy listens on %s: any host that reaches it can query and broadcast through it", ln.Addr())
	}

	// A wallet session as `akw query` opens one, but long-lived: the proxy
	// runs for hours, and other akw commands on the same --home must still
	// get at the store meanwhile (each light-client operation opens it;
	// the proxy keeps verified headers in memory, so that is once a
	// refresh).
	sess, err := wallet.Open(ctx, wallet.Config{Name: app.NetworkName, Network: app.Network, Home: app.Paths.DataDir,
		LongLived: true, Notify: func(m string) { app.Printer.Notice("%s", m) }})
	if err != nil {
		ln.Close()
		return lightError(err)
	}
	defer sess.Close()
	client := sess.Light()

	srv, err := proxy.New(proxy.Config{
		Headers:  client,
		Views:    sess.State(),
		Upstream: proxy.UpstreamFunc(func() (proxy.Node, error) { return primaryNode(client) }),
		Failover: sess.Failover,

		Bech32Prefix:    app.Network.Bech32Prefix,
		AllowUnverified: opts.AllowUnverified,
		MaxAge:          opts.MaxAge,
		StaleAfter:      time.Duration(app.Network.StaleAfter),
		MaxBodyBytes:    opts.MaxBody,
		MaxBatch:        opts.MaxBatch,
		MaxInFlight:     opts.MaxInFlight,
		RequestTimeout:  opts.Timeout,
		Log:             app.IO.Out,
		JSON:            app.Output == output.JSON,
	})
	if err != nil {
		ln.Close()
		return err
	}
	mode := "refusing what it cannot verify"
	if opts.AllowUnverified {
		mode = "forwarding what it cannot verify, marked (--allow-unverified)"
		app.Printer.Warn("--allow-unverified: answers the proxy cannot verify are passed on from the node, marked only by the X-Akw-Unverified header and the log")
	}
	app.Printer.Notice("akw proxy serving %s on http://%s, verifying against the light client (primary %s), %s; stop with Ctrl-C",
		app.Network.ChainID, ln.Addr(), client.PrimaryURL(), mode)

	err = srv.Serve(ctx, ln)
	s := srv.Summary()
	if app.Output == output.JSON {
		_ = app.Printer.Result(map[string]any{"summary": s}, nil)
	} else {
		fmt.Fprintln(app.IO.Out, s.Text(time.Now()))
	}
	if err != nil {
		return output.Wrap(output.Failure, err, "serving stopped: "+err.Error(), "")
	}
	return nil
}

// primaryNode is the node the light client asks now, as a proxy.Node.
func primaryNode(c *trusted.Client) (proxy.Node, error) {
	n, ok := c.Primary().(proxy.Node)
	if !ok {
		return nil, fmt.Errorf("the light client's node %s has no HTTP JSON-RPC client", c.PrimaryURL())
	}
	return n, nil
}
