package trusted

import (
	"context"
	"net"
	"net/url"
	"sync"
	"time"
)

// preDialer opens one TCP connection to a node as soon as its endpoint is
// made, so that the first request — the light client's first /commit
// when a command brings the store up to date — does not wait for the
// connection: the stock light client has its connections open by then,
// as its constructor asks the nodes for the trusted header, while
// trusted.Open asks nothing. No byte is sent on it until a request uses
// it; one left unused for preDialFresh is closed and dialled anew (the
// node may have closed it), and so is one for another address (an HTTP
// proxy in between).
type preDialer struct {
	d *net.Dialer

	mu     sync.Mutex
	addr   string
	conn   net.Conn
	at     time.Time
	closed bool
}

// preDialFresh is how long a connection dialled ahead is used: well under
// the idle timeouts of CometBFT's server and common proxies.
const preDialFresh = 5 * time.Second

// warm dials the node of rawURL in the background.
func (p *preDialer) warm(ctx context.Context, rawURL string) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	addr := net.JoinHostPort(u.Hostname(), port)
	go func() {
		c, err := p.d.DialContext(ctx, "tcp", addr)
		if err != nil {
			return // the first request dials and reports it
		}
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.closed || p.conn != nil {
			c.Close()
			return
		}
		p.addr, p.conn, p.at = addr, c, time.Now()
	}()
}

// DialContext is the transport's dialler: the connection dialled ahead if
// it is for addr and fresh, a new one otherwise.
func (p *preDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	p.mu.Lock()
	c, caddr, at := p.conn, p.addr, p.at
	p.conn = nil
	p.mu.Unlock()
	if c != nil {
		if network == "tcp" && caddr == addr && time.Since(at) < preDialFresh {
			return c, nil
		}
		c.Close()
	}
	return p.d.DialContext(ctx, network, addr)
}

// close closes a connection dialled ahead and not used.
func (p *preDialer) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	if p.conn != nil {
		p.conn.Close()
		p.conn = nil
	}
}
