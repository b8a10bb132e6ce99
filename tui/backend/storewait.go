package backend

import (
	"context"
	"errors"
	"sync"

	"github.com/akash-wallet/akw/lightclient"
	"github.com/akash-wallet/akw/tui"
)

// storeWaits hands the light client's waits for its store (another akw
// holds it) to the TUI's status line. The light client tells them from
// whichever operation waits, and must not be blocked; the TUI asks for
// the next one from a command of its own. Only the newest matters: a wait
// that began and ended before the TUI looked is nothing to show.
type storeWaits struct {
	mu     sync.Mutex
	newest *tui.StoreWait
	more   chan struct{} // closed and replaced when newest is set
}

func newStoreWaits() *storeWaits { return &storeWaits{more: make(chan struct{})} }

// tell is the session's OnStoreWait.
func (q *storeWaits) tell(w lightclient.StoreWait) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.newest = &tui.StoreWait{Text: w.String(), Ended: w.Ended}
	close(q.more)
	q.more = make(chan struct{})
}

// next waits for a wait to begin or end, or for ctx.
func (q *storeWaits) next(ctx context.Context) (tui.StoreWait, error) {
	for {
		q.mu.Lock()
		w, more := q.newest, q.more
		q.newest = nil
		q.mu.Unlock()
		if w != nil {
			return *w, nil
		}
		select {
		case <-more:
		case <-ctx.Done():
			return tui.StoreWait{}, ctx.Err()
		}
	}
}

var errNoStoreWaits = errors.New("the backend hears no waits for the store")

// NextStoreWait implements tui.StoreWaiter.
func (b *Backend) NextStoreWait(ctx context.Context) (tui.StoreWait, error) {
	if b.waits == nil {
		// A backend made with New over a session it did not open:
		// nothing tells it its waits, and the TUI stops listening.
		return tui.StoreWait{}, errNoStoreWaits
	}
	return b.waits.next(ctx)
}
