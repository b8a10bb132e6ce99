package rpcproxy

import (
	"context"
	"sync"
)

// Gate holds the requests that reach the proxies it is set on (SetGate)
// until a number of JSON-RPC calls has arrived at all of them together,
// then lets every request through: a test's way to see that a client
// asks for everything at once (one round trip) without timing it. A
// client that waits for one answer before asking the rest never brings
// the gate to its number, and its test fails at its deadline; one that
// asks more in a later round is seen in the counts afterwards.
type Gate struct {
	mu      sync.Mutex
	want    int
	arrived int
	opened  bool // open is closed
	open    chan struct{}
}

// NewGate makes a gate that opens once n calls have arrived.
func NewGate(n int) *Gate {
	g := &Gate{want: n, open: make(chan struct{})}
	if n <= 0 {
		g.opened = true
		close(g.open)
	}
	return g
}

// Arrived is how many calls have reached the gate.
func (g *Gate) Arrived() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.arrived
}

// Release opens the gate if it has not opened: the requests it holds go
// on. A test whose client never brought the gate to its number releases
// them as it ends, rather than leave them held for the next test.
func (g *Gate) Release() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.opened {
		g.opened = true
		close(g.open)
	}
}

// Opened is closed when the gate opens.
func (g *Gate) Opened() <-chan struct{} { return g.open }

// pass counts calls and waits for the gate to open (or ctx to end: false).
func (g *Gate) pass(ctx context.Context, calls int) bool {
	g.mu.Lock()
	g.arrived += calls
	if !g.opened && g.arrived >= g.want {
		g.opened = true
		close(g.open)
	}
	g.mu.Unlock()
	select {
	case <-g.open:
		return true
	case <-ctx.Done():
		return false
	}
}

// SetGate makes requests to p wait at g; nil removes the gate.
func (p *Proxy) SetGate(g *Gate) {
	p.mu.Lock()
	p.gate = g
	p.mu.Unlock()
}
