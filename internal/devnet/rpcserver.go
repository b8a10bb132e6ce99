package devnet

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	cmtcfg "github.com/cometbft/cometbft/config"
	cmtpubsub "github.com/cometbft/cometbft/libs/pubsub"
	cmtnode "github.com/cometbft/cometbft/node"
	rpcserver "github.com/cometbft/cometbft/rpc/jsonrpc/server"
	"golang.org/x/net/netutil"

	"cosmossdk.io/log"

	servercmtlog "github.com/cosmos/cosmos-sdk/server/log"
)

// The devnet serves each node's CometBFT RPC itself, on a listener it
// owns, instead of letting the node do it: a stopped node must answer
// nothing, as a stopped process would not.
//
// CometBFT's Node.OnStop (v0.38) closes its RPC listeners but not the
// http.Server behind them, so a keep-alive connection accepted before the
// stop stays open and is answered by the stopped node for as long as the
// client keeps using it. After an upgrade restart, validator0's node on
// the same port answered the devnet's own polling client from the halted
// node's frozen state (block 6, app 5, consensus 6/0/8, listening false,
// no peers) for minutes while the chain, and the new node, were at block
// 150: WaitForAppHeight(h+2) waited forever although nothing stalled.

// rpcListener is a TCP listener that remembers the connections it
// accepted, so that closeAll can end them (including hijacked websocket
// connections, which http.Server.Close would not).
type rpcListener struct {
	net.Listener
	mu     sync.Mutex
	conns  map[*rpcConn]struct{}
	closed bool
}

// listenRPC binds the node's RPC address (host:port) with CometBFT's
// limit on open connections.
func listenRPC(addr string, maxOpen int) (*rpcListener, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	if maxOpen > 0 {
		l = netutil.LimitListener(l, maxOpen)
	}
	return &rpcListener{Listener: l, conns: map[*rpcConn]struct{}{}}, nil
}

func (l *rpcListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		_ = c.Close()
		return nil, net.ErrClosed
	}
	rc := &rpcConn{Conn: c, l: l}
	l.conns[rc] = struct{}{}
	return rc, nil
}

// closeAll closes the listener and every connection it accepted.
func (l *rpcListener) closeAll() {
	l.mu.Lock()
	l.closed = true
	conns := l.conns
	l.conns = map[*rpcConn]struct{}{}
	l.mu.Unlock()
	_ = l.Listener.Close()
	for c := range conns {
		_ = c.Conn.Close()
	}
}

type rpcConn struct {
	net.Conn
	l    *rpcListener
	once sync.Once
}

func (c *rpcConn) Close() error {
	c.once.Do(func() {
		c.l.mu.Lock()
		delete(c.l.conns, c)
		c.l.mu.Unlock()
	})
	return c.Conn.Close()
}

// rpcServer is a node's JSON-RPC endpoint (HTTP and websocket), served as
// CometBFT's Node.startRPC serves it, on an rpcListener.
type rpcServer struct {
	lis  *rpcListener
	done chan struct{} // closed when the serve loop returned
}

// serveRPC serves node's routes on lis. c is the node's configuration (its
// RPC section: limits, timeouts). On error lis is left to the caller.
func serveRPC(node *cmtnode.Node, c *cmtcfg.Config, lis *rpcListener, logger log.Logger) (*rpcServer, error) {
	env, err := node.ConfigureRPC()
	if err != nil {
		return nil, err
	}
	routes := env.GetRoutes()
	cfg := rpcserver.DefaultConfig()
	cfg.MaxRequestBatchSize = c.RPC.MaxRequestBatchSize
	cfg.MaxBodyBytes = c.RPC.MaxBodyBytes
	cfg.MaxHeaderBytes = c.RPC.MaxHeaderBytes
	cfg.MaxOpenConnections = c.RPC.MaxOpenConnections
	// As CometBFT does: a broadcast_tx_commit may take that long.
	if cfg.WriteTimeout <= c.RPC.TimeoutBroadcastTxCommit {
		cfg.WriteTimeout = c.RPC.TimeoutBroadcastTxCommit + time.Second
	}

	rpcLogger := servercmtlog.CometLoggerWrapper{Logger: logger}.With("module", "rpc-server")
	wmLogger := rpcLogger.With("protocol", "websocket")
	eventBus := node.EventBus()
	wm := rpcserver.NewWebsocketManager(routes,
		rpcserver.OnDisconnect(func(remoteAddr string) {
			err := eventBus.UnsubscribeAll(context.Background(), remoteAddr)
			if err != nil && !errors.Is(err, cmtpubsub.ErrSubscriptionNotFound) {
				wmLogger.Error("Failed to unsubscribe addr from events", "addr", remoteAddr, "err", err)
			}
		}),
		rpcserver.ReadLimit(cfg.MaxBodyBytes),
		rpcserver.WriteChanCapacity(c.RPC.WebSocketWriteBufferSize),
	)
	wm.SetLogger(wmLogger)
	mux := http.NewServeMux()
	mux.HandleFunc("/websocket", wm.WebsocketHandler)
	rpcserver.RegisterRPCFuncs(mux, routes, rpcLogger)

	s := &rpcServer{lis: lis, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		// Serve returns when closeAll closes the listener.
		if err := rpcserver.Serve(lis, mux, rpcLogger, cfg); err != nil && !errors.Is(err, net.ErrClosed) {
			rpcLogger.Error("RPC server stopped", "err", fmt.Sprint(err))
		}
	}()
	return s, nil
}

// stop closes the listener and every connection to the server, and waits
// for its serve loop to return.
func (s *rpcServer) stop() {
	s.lis.closeAll()
	<-s.done
}
