package tui

import (
	"context"
	"errors"

	tea "charm.land/bubbletea/v2"
)

// StoreWait is a wait for the light-client store while another akw
// process (a transaction being checked, a query in another terminal)
// holds it: the operations of the screens pause meanwhile, and the status
// line says why instead of looking hung.
type StoreWait struct {
	// Text says who holds the store and how long akw waits for it, in
	// words for any face (the wallet's).
	Text string
	// Ended: the wait is over (the store taken, or given up on: then the
	// operation that waited fails with its own error).
	Ended bool
}

// StoreWaiter is implemented by a Backend that can tell its waits for
// the light-client store. NextStoreWait blocks until a wait begins or
// ends and returns it; an error (ctx ended) stops the listening.
type StoreWaiter interface {
	NextStoreWait(ctx context.Context) (StoreWait, error)
}

type storeWaitMsg struct {
	w   StoreWait
	err error
}

// listenStoreWaits is the command that hears the next store wait; the
// root model issues it again after each one. It is the only command that
// lives as long as the program, blocked on the backend, never on the UI.
func (m *Model) listenStoreWaits() tea.Cmd {
	c := m.c
	sw, ok := c.be.(StoreWaiter)
	if !ok {
		return nil
	}
	return func() tea.Msg {
		w, err := sw.NextStoreWait(c.ctx)
		return storeWaitMsg{w, err}
	}
}

// storeWaitMsg updates the status line's wait, and listens for the next.
func (m *Model) onStoreWait(msg storeWaitMsg) tea.Cmd {
	if msg.err != nil {
		m.c.storeWait = ""
		return nil
	}
	m.c.storeWait = ""
	if !msg.w.Ended {
		m.c.storeWait = msg.w.Text
	}
	return m.listenStoreWaits()
}

// errNoStoreWaits: the Backend tells no waits; the TUI stops listening.
var errNoStoreWaits = errors.New("the backend tells no waits for the store")

// NextStoreWait passes the guard (guard.go) like every Backend call.
func (g guarded) NextStoreWait(ctx context.Context) (w StoreWait, err error) {
	defer recoverInto(&err, "NextStoreWait")
	sw, ok := g.be.(StoreWaiter)
	if !ok {
		return StoreWait{}, errNoStoreWaits
	}
	return sw.NextStoreWait(ctx)
}
