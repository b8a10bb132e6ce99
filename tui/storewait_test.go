package tui

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"

	tea "charm.land/bubbletea/v2"
)

// NextStoreWait: the fake tells the waits the test sends; without them it
// hears none, and the TUI stops listening at once.
func (f *fakeBackend) NextStoreWait(ctx context.Context) (StoreWait, error) {
	if f.storeWaits == nil {
		return StoreWait{}, errors.New("no store waits")
	}
	select {
	case w := <-f.storeWaits:
		return w, nil
	case <-ctx.Done():
		return StoreWait{}, ctx.Err()
	}
}

// deliverReady delivers the messages of the commands that have returned
// and leaves the ones still blocked running (settle wants them all).
func (d *driver) deliverReady() {
	d.t.Helper()
	synctest.Wait()
	p := d.pending
	d.pending = nil
	var still []chan tea.Msg
	for _, ch := range p {
		select {
		case msg := <-ch:
			d.deliver(msg)
		default:
			still = append(still, ch)
		}
	}
	d.pending = append(still, d.pending...)
}

// While another akw holds the light-client store, the status line says
// so — who holds it, how long akw waits — instead of a spinner that looks
// hung; the UI goes on meanwhile (the wait is heard by a command of its
// own), and the words go once the wait is over.
func TestStoreWaitInStatusLine(t *testing.T) { synctest.Test(t, testStoreWaitInStatusLine) }

func testStoreWaitInStatusLine(t *testing.T) {
	f := newFake(10, 2)
	f.statusGate = make(chan struct{})
	f.storeWaits = make(chan StoreWait)
	d := newDriver(t, f, 200, 30)
	d.want("akash-devnet-1 · … verifying headers…")

	const text = "waiting for another akw process using the light-client store /home/u/.local/share/akw/light/akash-devnet-1 (pid 4242, `akw tx send`) (up to 3s)…"
	f.storeWaits <- StoreWait{Text: text} // the status load waits for the store
	d.deliverReady()
	d.want("akash-devnet-1 · … " + text)
	// The UI is not blocked by the wait: keys still work.
	d.press("?")
	d.want("help")
	d.press("esc")

	f.storeWaits <- StoreWait{Text: text, Ended: true}
	close(f.statusGate)
	d.deliverReady()
	d.want("akash-devnet-1 · ✓ verified height 1240 (3s ago) · 1/1 witnesses agree")
	d.wantNot("waiting for another akw process")
}
