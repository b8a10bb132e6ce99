package trusted

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	dbm "github.com/cometbft/cometbft-db"
	cmtbytes "github.com/cometbft/cometbft/libs/bytes"
	"github.com/cometbft/cometbft/light/store"
	dbstore "github.com/cometbft/cometbft/light/store/db"
	"github.com/cometbft/cometbft/types"
	lerrors "github.com/syndtr/goleveldb/leveldb/errors"
	"github.com/syndtr/goleveldb/leveldb/opt"

	"github.com/akash-wallet/akw/lightclient"
)

const (
	metaFile  = "trust.json"
	dbName    = "headers" // goleveldb directory headers.db
	metaVer   = 1
	storeName = "lb" // prefix inside the db
)

// meta records how the store was initialised. It is written once, after
// the first header is stored, so a store without it (or a meta without a
// store) is an interrupted or damaged initialisation.
type meta struct {
	Version        int               `json:"version"`
	ChainID        string            `json:"chain_id"`
	TrustHeight    int64             `json:"trust_height"`
	TrustHash      cmtbytes.HexBytes `json:"trust_hash"`
	TrustedAt      time.Time         `json:"trusted_at"`
	TrustingPeriod string            `json:"trusting_period"`
	Source         string            `json:"source"` // "latest" or "given"
}

func readMeta(dir string) (*meta, error) {
	bz, err := os.ReadFile(filepath.Join(dir, metaFile))
	if err != nil {
		return nil, err
	}
	var m meta
	if err := json.Unmarshal(bz, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", metaFile, err)
	}
	if m.Version != metaVer {
		return nil, fmt.Errorf("%s: unknown version %d", metaFile, m.Version)
	}
	return &m, nil
}

// writeMeta writes to a temporary name and renames, so a crash leaves
// either no meta or a whole one. It is the same rule as akw's atomic
// writer (internal/atomicfile), kept here on purpose: lightclient imports
// nothing of akw's but the error leaf, so that it can be read, tested and
// reused on its own.
func writeMeta(dir string, m *meta) error {
	bz, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, metaFile+".tmp*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(append(bz, '\n')); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(dir, metaFile))
}

// storeExists reports whether anything of a store is present in dir.
func storeExists(dir string) bool {
	for _, n := range []string{metaFile, dbName + ".db"} {
		if _, err := os.Stat(filepath.Join(dir, n)); err == nil {
			return true
		}
	}
	return false
}

// openDB opens the goleveldb of a store. create says whether a missing db
// may be created (only during initialisation).
func openDB(chainID, dir string, create bool) (dbm.DB, error) {
	o := &opt.Options{ErrorIfMissing: !create}
	db, err := dbm.NewGoLevelDBWithOpts(dbName, dir, o)
	if err != nil {
		switch {
		case errors.Is(err, syscall.EWOULDBLOCK), errors.Is(err, syscall.EAGAIN):
			return nil, &lightclient.ErrStoreBusy{Dir: dir, Reason: err}
		case lerrors.IsCorrupted(err):
			return nil, &lightclient.ErrStoreCorrupt{ChainID: chainID, Dir: dir, Reason: err}
		case errors.Is(err, os.ErrNotExist):
			return nil, &lightclient.ErrStoreCorrupt{ChainID: chainID, Dir: dir, Reason: errors.New("header database is missing")}
		default:
			return nil, &lightclient.ErrStoreCorrupt{ChainID: chainID, Dir: dir, Reason: err}
		}
	}
	return db, nil
}

// safeStore wraps cometbft's db store, which panics on a read error from
// the database, and turns those panics into ErrStoreCorrupt so a damaged
// store is refused rather than crashing akw.
//
// It also decides how long the database stays open. A pinned store keeps
// it (and goleveldb's lock on it) for the client's life: right for a
// command that lives a second. A shared store opens it for each operation
// and closes it after, so that other akw processes can use the store in
// between (Config.ShareStore, for the TUI).
type safeStore struct {
	chainID string
	dir     string

	mu     sync.Mutex
	inner  store.Store
	db     dbm.DB
	refs   int
	pinned bool
	open   func() (dbm.DB, error)
}

var _ store.Store = (*safeStore)(nil)

func newSafeStore(db dbm.DB, chainID, dir string) *safeStore {
	return &safeStore{inner: dbstore.New(db, storeName), db: db, refs: 1, pinned: true, chainID: chainID, dir: dir}
}

// newSharedStore starts with db open (one reference, to be released by
// the caller) and reopens it with open when needed again.
func newSharedStore(db dbm.DB, open func() (dbm.DB, error), chainID, dir string) *safeStore {
	return &safeStore{inner: dbstore.New(db, storeName), db: db, refs: 1, open: open, chainID: chainID, dir: dir}
}

// acquire makes sure the database is open until the matching release.
func (s *safeStore) acquire() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db == nil {
		if s.open == nil {
			return &lightclient.ErrStoreCorrupt{ChainID: s.chainID, Dir: s.dir, Reason: errors.New("the store is closed")}
		}
		db, err := s.open()
		if err != nil {
			return err
		}
		// dbstore.New reads the stored size again: another process may
		// have added or pruned headers since.
		s.db, s.inner = db, dbstore.New(db, storeName)
	}
	s.refs++
	return nil
}

func (s *safeStore) release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refs--
	if s.refs <= 0 && !s.pinned && s.db != nil {
		s.db.Close()
		s.db, s.inner, s.refs = nil, nil, 0
	}
}

// share unpins a pinned store: from now on the database is open only
// while an operation uses it. A store that cannot reopen (no open
// function: one being initialised) stays pinned.
func (s *safeStore) share() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.pinned || s.open == nil {
		return
	}
	s.pinned = false
	s.refs-- // the pin's reference
	if s.refs <= 0 && s.db != nil {
		s.db.Close()
		s.db, s.inner, s.refs = nil, nil, 0
	}
}

// close closes the database for good.
func (s *safeStore) close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.open = nil
	if s.db == nil {
		return nil
	}
	err := s.db.Close()
	s.db, s.inner, s.refs = nil, nil, 0
	return err
}

// use acquires the store for one call and returns its inner store.
func (s *safeStore) use() (store.Store, func(), error) {
	if err := s.acquire(); err != nil {
		return nil, nil, err
	}
	s.mu.Lock()
	in := s.inner
	s.mu.Unlock()
	return in, s.release, nil
}

func (s *safeStore) corrupt(r any) error {
	err, ok := r.(error)
	if !ok {
		err = fmt.Errorf("%v", r)
	}
	return &lightclient.ErrStoreCorrupt{ChainID: s.chainID, Dir: s.dir, Reason: err}
}

func (s *safeStore) SaveLightBlock(lb *types.LightBlock) (err error) {
	in, done, err := s.use()
	if err != nil {
		return err
	}
	defer done()
	defer func() {
		if r := recover(); r != nil {
			err = s.corrupt(r)
		}
	}()
	return in.SaveLightBlock(lb)
}

func (s *safeStore) DeleteLightBlock(height int64) (err error) {
	in, done, err := s.use()
	if err != nil {
		return err
	}
	defer done()
	defer func() {
		if r := recover(); r != nil {
			err = s.corrupt(r)
		}
	}()
	return in.DeleteLightBlock(height)
}

func (s *safeStore) LightBlock(height int64) (lb *types.LightBlock, err error) {
	in, done, err := s.use()
	if err != nil {
		return nil, err
	}
	defer done()
	defer func() {
		if r := recover(); r != nil {
			lb, err = nil, s.corrupt(r)
		}
	}()
	lb, err = in.LightBlock(height)
	if err != nil && !errors.Is(err, store.ErrLightBlockNotFound) {
		return nil, &lightclient.ErrStoreCorrupt{ChainID: s.chainID, Dir: s.dir, Reason: fmt.Errorf("header %d: %w", height, err)}
	}
	return lb, err
}

func (s *safeStore) LastLightBlockHeight() (h int64, err error) {
	in, done, err := s.use()
	if err != nil {
		return -1, err
	}
	defer done()
	defer func() {
		if r := recover(); r != nil {
			h, err = -1, s.corrupt(r)
		}
	}()
	return in.LastLightBlockHeight()
}

func (s *safeStore) FirstLightBlockHeight() (h int64, err error) {
	in, done, err := s.use()
	if err != nil {
		return -1, err
	}
	defer done()
	defer func() {
		if r := recover(); r != nil {
			h, err = -1, s.corrupt(r)
		}
	}()
	return in.FirstLightBlockHeight()
}

func (s *safeStore) LightBlockBefore(height int64) (lb *types.LightBlock, err error) {
	in, done, err := s.use()
	if err != nil {
		return nil, err
	}
	defer done()
	defer func() {
		if r := recover(); r != nil {
			lb, err = nil, s.corrupt(r)
		}
	}()
	return in.LightBlockBefore(height)
}

func (s *safeStore) Prune(size uint16) (err error) {
	in, done, err := s.use()
	if err != nil {
		return err
	}
	defer done()
	defer func() {
		if r := recover(); r != nil {
			err = s.corrupt(r)
		}
	}()
	return in.Prune(size)
}

func (s *safeStore) Size() uint16 {
	in, done, err := s.use()
	if err != nil {
		return 0
	}
	defer done()
	return in.Size()
}

// check reads the newest and oldest stored headers back and verifies that
// each is well formed and of this chain. It catches truncated or garbled
// records; it
// cannot catch a store rewritten on purpose by someone with access to
// --home, which is outside akw's threat model.
func (s *safeStore) check(m *meta) (*types.LightBlock, error) {
	bad := func(err error) error {
		return &lightclient.ErrStoreCorrupt{ChainID: s.chainID, Dir: s.dir, Reason: err}
	}
	last, err := s.LastLightBlockHeight()
	if err != nil {
		return nil, err
	}
	if last <= 0 {
		return nil, bad(errors.New("the store holds no trusted header"))
	}
	first, err := s.FirstLightBlockHeight()
	if err != nil {
		return nil, err
	}
	if first > last || first <= 0 {
		return nil, bad(fmt.Errorf("inconsistent heights: first %d, last %d", first, last))
	}
	var latest *types.LightBlock
	for _, h := range []int64{last, first} {
		lb, err := s.LightBlock(h)
		if err != nil {
			return nil, bad(fmt.Errorf("header %d: %w", h, err))
		}
		// Structure only: a record that decodes and passes ValidateBasic
		// has a validator set hashing to the header's ValidatorsHash and a
		// commit for this header's hash, so a flipped bit anywhere that
		// matters is caught. The signatures were verified when the header
		// was stored; checking them again would cost every command
		// milliseconds for no gain.
		check := func(lb *types.LightBlock, chainID string) error {
			if lb == nil || lb.SignedHeader == nil || lb.ValidatorSet == nil {
				return errors.New("incomplete light block")
			}
			return lb.ValidateBasic(chainID)
		}
		if err := check(lb, s.chainID); err != nil {
			return nil, bad(fmt.Errorf("header %d: %w", h, err))
		}
		if h == m.TrustHeight && !equalHash(lb.Hash(), m.TrustHash) {
			return nil, bad(fmt.Errorf("header %d has hash %X, but the store was initialised with %X", h, lb.Hash(), []byte(m.TrustHash)))
		}
		if latest == nil {
			latest = lb
		}
	}
	return latest, nil
}

// checkLightBlock is the local (no network) sanity check of a light block:
// structure, chain-id, and a commit of more than two-thirds of its own
// validator set.
func checkLightBlock(lb *types.LightBlock, chainID string) error {
	if lb == nil || lb.SignedHeader == nil || lb.ValidatorSet == nil {
		return errors.New("incomplete light block")
	}
	if err := lb.ValidateBasic(chainID); err != nil {
		return err
	}
	return lb.ValidatorSet.VerifyCommitLight(chainID, lb.Commit.BlockID, lb.Height, lb.Commit)
}

func equalHash(a, b []byte) bool {
	return len(a) == len(b) && string(a) == string(b)
}

// lazyDB writes without fsync. A verified header can always be verified
// again, so losing the newest ones to a power cut costs a few round trips;
// an fsync per header costs a warm query milliseconds to a hundred
// milliseconds on a busy disk. The trust root is written with fsync
// (Init opens the store without this wrapper), and goleveldb still syncs
// its own manifest, so the store's structure stays intact.
type lazyDB struct {
	dbm.DB
}

func (d lazyDB) SetSync(k, v []byte) error { return d.DB.Set(k, v) }
func (d lazyDB) DeleteSync(k []byte) error { return d.DB.Delete(k) }
func (d lazyDB) NewBatch() dbm.Batch       { return lazyBatch{d.DB.NewBatch()} }

type lazyBatch struct {
	dbm.Batch
}

func (b lazyBatch) WriteSync() error { return b.Batch.Write() }
