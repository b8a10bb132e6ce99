package proxy

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"golang.org/x/net/netutil"
)

// Serving. A slow client cannot hold the proxy: its headers must come
// within HeaderTimeout and its whole request within ReadTimeout (10 s and
// 30 s by default), an idle connection is
// closed after 2 min, open connections are bounded (MaxConns), and so
// are requests served at once (MaxInFlight), each body (MaxBodyBytes)
// and each call (RequestTimeout). Memory is then bounded by those limits
// and the caches' bounds.

// ErrNotLoopback means Listen was asked for an address other hosts can
// reach without being told that this is wanted.
var ErrNotLoopback = errors.New("not a loopback address")

// IsLoopback reports whether addr (host:port) listens on loopback only.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Listen listens on addr (host:port). An address other hosts can reach
// is refused unless public is set: the proxy answers anyone who can
// reach it, and broadcasts for them.
func Listen(addr string, public bool) (net.Listener, error) {
	if !public && !IsLoopback(addr) {
		return nil, fmt.Errorf("%s: %w", addr, ErrNotLoopback)
	}
	return net.Listen("tcp", addr)
}

// Serve answers on ln until ctx ends, then lets the requests in flight
// finish (for up to 10 s) and returns nil; or returns the error that
// stopped serving. It closes the Server when it returns.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	defer s.Close()
	s.hmu.Lock()
	s.listen = ln.Addr().String()
	s.hmu.Unlock()
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: s.cfg.HeaderTimeout,
		ReadTimeout:       s.cfg.ReadTimeout,
		WriteTimeout:      max(s.cfg.RequestTimeout, s.cfg.CommitTimeout) + 15*time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		BaseContext:       func(net.Listener) context.Context { return s.base },
	}
	s.followHead()
	done := make(chan error, 1)
	go func() { done <- srv.Serve(netutil.LimitListener(ln, s.cfg.MaxConns)) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := srv.Shutdown(sctx)
	<-done
	if errors.Is(err, context.DeadlineExceeded) {
		srv.Close()
		return nil
	}
	return err
}
