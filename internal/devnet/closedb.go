package devnet

import (
	"sync"

	cmtdb "github.com/cometbft/cometbft-db"
)

// stopSafeDB is a database that reads as empty once closed, instead of
// failing. CometBFT v0.38 closes a node's block store in OnStop while the
// consensus reactor's per-peer queryMaj23Routine may still be asleep
// between its steps; when it wakes it loads a commit, the store gets
// "leveldb: closed" and panics, taking the whole process (a test binary,
// or `akw demo`) down. After Close, Get and Has answer "not there", which
// that goroutine treats as nothing to send, and it then sees the stopped
// peer and returns. Reads in flight hold the read lock, so the underlying
// database is never closed under them.
type stopSafeDB struct {
	cmtdb.DB
	mu     sync.RWMutex
	closed bool
}

func (d *stopSafeDB) Get(key []byte) ([]byte, error) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	if d.closed {
		return nil, nil
	}
	return d.DB.Get(key)
}

func (d *stopSafeDB) Has(key []byte) (bool, error) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	if d.closed {
		return false, nil
	}
	return d.DB.Has(key)
}

// Close closes the underlying database once; later calls are no-ops.
func (d *stopSafeDB) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return nil
	}
	d.closed = true
	return d.DB.Close()
}
