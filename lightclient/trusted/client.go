package trusted

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	dbm "github.com/cometbft/cometbft-db"
	"github.com/cometbft/cometbft/light"
	"github.com/cometbft/cometbft/light/provider"
	"github.com/cometbft/cometbft/light/store"
	"github.com/cometbft/cometbft/types"

	"github.com/akash-wallet/akw/lightclient"
)

// Client is akw's light client for one chain. It is safe for concurrent
// use: verifications are serialised, reads of stored headers are not.
type Client struct {
	cfg   Config
	dir   string
	meta  *meta
	store *safeStore
	lc    *light.Client

	base   context.Context
	cancel context.CancelFunc

	primary   *endpoint   // configured primary
	witnesses []*endpoint // configured witnesses
	all       []*endpoint // primary first

	mu sync.Mutex // serialises operations on lc

	// pivots guesses the headers skipping verification will ask the
	// primary for next (see predict.go).
	pivots pivots
	// trustedAtStart is the newest trusted height when the running
	// operation began: where verification towards a new target starts.
	trustedAtStart int64

	nmu     sync.Mutex
	notices []Notice
	dropped map[*endpoint]string // endpoints the light client no longer uses, and why
	behind  map[*endpoint]bool   // endpoints told about as claiming a tip below the store's (tip.go)
	server  *endpoint            // answers queries instead of a primary behind the store (tip.go)
	current *endpoint            // the light client's primary after the last operation

	// onBusy replaces cfg.OnBusyWait once set (SetOnBusyWait).
	onBusy atomic.Pointer[func(lightclient.StoreWait)]

	closeOnce sync.Once
}

var _ lightclient.Headers = (*Client)(nil)

// maxBackwardsPrefetch bounds the headers fetched ahead for a backwards
// walk (they must fit the endpoint's cache).
const maxBackwardsPrefetch = cacheSize - 8

// Open opens the existing trusted store of cfg.ChainID. It costs no
// network round trip. With no store it returns *lightclient.ErrNoTrustedStore;
// a damaged one gives *lightclient.ErrStoreCorrupt.
func Open(ctx context.Context, cfg Config) (*Client, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	dir := StoreDir(cfg.Home, cfg.ChainID)
	if !storeExists(dir) {
		return nil, &lightclient.ErrNoTrustedStore{ChainID: cfg.ChainID, Dir: dir}
	}
	m, err := readMeta(dir)
	if err != nil {
		return nil, &lightclient.ErrStoreCorrupt{ChainID: cfg.ChainID, Dir: dir, Reason: err}
	}
	if m.ChainID != cfg.ChainID {
		return nil, &lightclient.ErrStoreCorrupt{ChainID: cfg.ChainID, Dir: dir,
			Reason: fmt.Errorf("store belongs to chain %q", m.ChainID)}
	}
	db, err := openWaiting(ctx, cfg, dir, cfg.OnBusyWait)
	if err != nil {
		return nil, err
	}
	c, err := newClient(ctx, cfg, dir, m, nil)
	if err != nil {
		db.Close()
		return nil, err
	}
	base := c.base
	reopen := func() (dbm.DB, error) {
		db, err := openWaiting(base, cfg, dir, c.tellBusy)
		if err != nil {
			return nil, err
		}
		return lazyDB{db}, nil
	}
	if cfg.ShareStore {
		c.store = newSharedStore(lazyDB{db}, reopen, cfg.ChainID, dir)
	} else {
		c.store = newSafeStore(lazyDB{db}, cfg.ChainID, dir)
		c.store.open = reopen // for Share
	}
	if _, err := c.store.check(m); err != nil {
		c.Close()
		return nil, err
	}
	lc, err := light.NewClientFromTrustedStore(cfg.ChainID, cfg.TrustingPeriod,
		c.primary, c.providers(c.witnesses), c.store, c.options()...)
	if err != nil {
		c.Close()
		return nil, c.translate(err, 0)
	}
	c.lc = lc
	if cfg.ShareStore {
		c.store.release() // the reference newSharedStore started with
	}
	return c, nil
}

// openWaiting opens the store's database, waiting up to cfg.BusyWait
// while another akw process holds it: commands run side by side from a
// script hold it for well under a second each, and a transaction leaves
// it free while it waits for its block (Client.Share). tell, when set,
// hears the wait begin and end. The holder of the store is recorded
// beside its lock (holder.go), and named in the wait and in the error.
func openWaiting(ctx context.Context, cfg Config, dir string, tell func(lightclient.StoreWait)) (dbm.DB, error) {
	deadline := time.Now().Add(cfg.BusyWait)
	var wait *lightclient.StoreWait
	defer func() {
		if wait != nil && tell != nil {
			wait.Ended = true
			tell(*wait)
		}
	}()
	for {
		db, err := openDB(cfg.ChainID, dir, false)
		if err == nil {
			writeHolder(dir, cfg.Command)
			return db, nil
		}
		var busy *lightclient.ErrStoreBusy
		if !errors.As(err, &busy) {
			return nil, err
		}
		busy.Holder = readHolder(dir)
		if !time.Now().Before(deadline) {
			if wait != nil {
				busy.Waited = cfg.BusyWait
			}
			return nil, err
		}
		if wait == nil {
			wait = &lightclient.StoreWait{Dir: dir, Holder: busy.Holder, Limit: cfg.BusyWait}
			if tell != nil {
				tell(*wait)
			}
		}
		select {
		case <-time.After(50 * time.Millisecond):
		case <-ctx.Done():
			return nil, err
		}
	}
}

// SetOnBusyWait replaces Config.OnBusyWait for the waits to come: a face
// that opened the client before it could show anything (the TUI, whose
// screen starts after) takes the waits over once it can.
func (c *Client) SetOnBusyWait(f func(lightclient.StoreWait)) {
	c.onBusy.Store(&f)
}

// tellBusy passes a wait on to whoever listens.
func (c *Client) tellBusy(w lightclient.StoreWait) {
	f := c.cfg.OnBusyWait
	if p := c.onBusy.Load(); p != nil {
		f = *p
	}
	if f != nil {
		f(w)
	}
}

// Share leaves the store free between operations from now on, as
// Config.ShareStore does from the start: each operation takes it again
// (waiting for another holder as Open does) and lets it go after. A
// command about to wait for something other than the store — a person
// confirming, a block to include its transaction — calls it so that
// other akw processes are not kept waiting meanwhile. What is verified,
// and how, does not change: every operation still runs on the store
// under its lock, and reads it afresh.
func (c *Client) Share() {
	if c.store != nil {
		c.store.share()
	}
}

// Reset deletes the trusted store of chainID under home. It needs no
// working store, so it also clears a damaged one.
func Reset(home, chainID string) error {
	cfg := Config{Home: home, ChainID: chainID}
	if err := cfg.validateChain(); err != nil {
		return err
	}
	dir := StoreDir(home, chainID)
	// Refuse while another process has the store open: deleting files
	// under a live goleveldb would break that process, not reset it.
	if db, err := openDB(chainID, dir, false); err == nil {
		db.Close()
	} else {
		var busy *lightclient.ErrStoreBusy
		if errors.As(err, &busy) {
			return err
		}
	}
	return os.RemoveAll(dir)
}

// Exists reports whether a store (intact or not) exists for chainID.
func Exists(home, chainID string) bool {
	return storeExists(StoreDir(home, chainID))
}

func newClient(ctx context.Context, cfg Config, dir string, m *meta, db dbm.DB) (*Client, error) {
	base, cancel := context.WithCancel(context.WithoutCancel(ctx))
	c := &Client{cfg: cfg, dir: dir, meta: m, base: base, cancel: cancel, dropped: map[*endpoint]string{}}
	if db != nil {
		c.store = newSafeStore(db, cfg.ChainID, dir)
	}
	for i, u := range append([]string{cfg.Primary}, cfg.Witnesses...) {
		e, err := newEndpoint(base, u, cfg.ChainID, cfg.Timeout, cfg.NextBlockWait)
		if err != nil {
			cancel()
			return nil, err
		}
		e.onLatest = c.onLatest
		e.onRequest = c.onRequest
		if i == 0 {
			c.primary = e
		} else {
			c.witnesses = append(c.witnesses, e)
		}
		c.all = append(c.all, e)
	}
	c.current = c.primary
	return c, nil
}

func (c *Client) options() []light.Option {
	opts := []light.Option{
		light.SkippingVerification(TrustLevel),
		light.PruningSize(c.cfg.PruningSize),
		light.MaxClockDrift(c.cfg.MaxClockDrift),
		light.Logger(c.cfg.Logger),
		// Never roll back or wipe the store on a node's say-so: the
		// stock client asks this before removing trusted headers.
		light.ConfirmationFunction(func(string) bool { return false }),
	}
	if c.cfg.MaxBlockLag > 0 {
		opts = append(opts, light.MaxBlockLag(c.cfg.MaxBlockLag))
	}
	return opts
}

func (c *Client) providers(es []*endpoint) []provider.Provider {
	ps := make([]provider.Provider, len(es))
	for i, e := range es {
		ps[i] = e
	}
	return ps
}

// onLatest: the newest height is known; ask the other nodes for it now,
// and start following the verification towards it.
func (c *Client) onLatest(src *endpoint, height int64) {
	if v := c.trustedAtStart; v > 0 && height <= v {
		// Not above the store: nothing will be verified at height (a
		// node at or behind the store's tip, see tip.go).
		return
	}
	c.prefetchOthers(src, height)
	if v := c.trustedAtStart; v > 0 && height > v {
		c.pivots.start(v, height)
	}
}

// onRequest: the light client asked src for height; if src is the primary
// and this is a step of skipping verification, fetch the likely next steps.
func (c *Client) onRequest(src *endpoint, height int64) {
	if src != c.currentPrimary() {
		return
	}
	next := c.pivots.observe(height)
	// Guessing costs a second request per step for the one that is
	// used; it pays only when a round trip costs more than the work. A
	// node on this machine shares its CPU with akw: what looks like
	// distance there is mostly work that guessing would add to (tests
	// and benchmarks that add latency on 127.0.0.1 still guess).
	min := minPrefetchRoundTrip
	if src.loopback {
		min = minPrefetchRoundTripLocal
	}
	if src.roundTrip() < min {
		return
	}
	for _, h := range next {
		src.prefetch(h)
	}
}

// minPrefetchRoundTrip: below this the primary is as good as local and
// pivot guessing would only add load.
const (
	minPrefetchRoundTrip      = 5 * time.Millisecond
	minPrefetchRoundTripLocal = 15 * time.Millisecond
)

// prefetchOthers starts fetching height from every other endpoint still in
// use, so that the detector's cross-check finds the witnesses' answers in
// flight or done.
func (c *Client) prefetchOthers(src *endpoint, height int64) {
	for _, e := range c.others(src) {
		e.prefetch(height)
	}
}

// others are the endpoints besides src still in use.
func (c *Client) others(src *endpoint) []*endpoint {
	c.nmu.Lock()
	var targets []*endpoint
	for _, e := range c.all {
		if e != src {
			if _, gone := c.dropped[e]; !gone {
				targets = append(targets, e)
			}
		}
	}
	c.nmu.Unlock()
	return targets
}

// ChainID implements lightclient.Headers.
func (c *Client) ChainID() string { return c.cfg.ChainID }

// Dir is the store's directory.
func (c *Client) Dir() string { return c.dir }

// VerifiedAt implements lightclient.Headers. A height already in the store
// is read from disk without any network traffic.
func (c *Client) VerifiedAt(ctx context.Context, height int64) (*types.LightBlock, error) {
	if height <= 0 {
		return nil, fmt.Errorf("height must be positive, got %d", height)
	}
	if err := c.store.acquire(); err != nil {
		return nil, err
	}
	defer c.store.release()
	lb, err := c.store.LightBlock(height)
	if err == nil {
		return lb, nil
	}
	if !errors.Is(err, store.ErrLightBlockNotFound) {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	// Another caller may have verified it while we waited.
	if lb, err := c.store.LightBlock(height); err == nil {
		return lb, nil
	}
	if err := c.checkExpiry(); err != nil {
		return nil, err
	}
	c.beginOp()
	// The height is known: ask the witnesses now, in parallel with the
	// primary, rather than after verification.
	p := c.currentPrimary()
	c.prefetchOthers(p, height)
	p.prefetch(height)
	// Below the oldest stored header the light client walks back one
	// header at a time, checking the hash chain; fetch those headers in
	// parallel first so the walk is local.
	if first, ferr := c.store.FirstLightBlockHeight(); ferr == nil && height < first {
		for h := first - 1; h > height && h > first-maxBackwardsPrefetch; h-- {
			p.prefetch(h)
		}
	} else if below, berr := c.store.LightBlockBefore(height); berr == nil {
		// Forward (or between stored headers): skipping verification from
		// the closest stored header below.
		c.pivots.start(below.Height, height)
	}
	lb, err = c.lc.VerifyLightBlockAtHeight(ctx, height, c.cfg.Now())
	if err = c.endOp(err, height); err != nil {
		return nil, err
	}
	return lb, nil
}

// Latest implements lightclient.Headers: it verifies the primary's newest
// header (cross-checked against the witnesses) and returns it. If the
// primary has nothing newer than the store, the newest stored header is
// returned.
func (c *Client) Latest(ctx context.Context) (*types.LightBlock, error) {
	u, err := c.Update(ctx)
	if err != nil {
		return nil, err
	}
	return u.Block, nil
}

// Update is the result of bringing the store up to date.
type Update struct {
	// Previous is the newest trusted height before the update.
	Previous int64
	// Block is the newest trusted light block after it.
	Block *types.LightBlock
	// Advanced is false when the primary had nothing newer.
	Advanced bool
}

// Update brings the store up to the primary's newest header. A primary
// whose newest header is below the store's is reported, and a witness that
// is ahead is verified instead; with none, the store's newest header
// stands. The result is never below the store's newest header.
func (c *Client) Update(ctx context.Context) (*Update, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.store.acquire(); err != nil {
		return nil, err
	}
	defer c.store.release()
	prev, err := c.lastTrusted()
	if err != nil {
		return nil, err
	}
	if err := c.checkExpiry(); err != nil {
		return nil, err
	}
	c.beginOp()
	c.trustedAtStart = prev.Height
	c.serveFrom(nil)
	lb, err := c.lc.Update(ctx, c.cfg.Now())
	if err == nil && lb == nil {
		// Nothing newer from the primary: if it claims an older tip,
		// see whether a witness is ahead (tip.go).
		lb, err = c.catchUp(ctx, prev)
	}
	c.trustedAtStart = 0
	if err = c.endOp(err, 0); err != nil {
		return nil, err
	}
	u := &Update{Previous: prev.Height, Block: lb, Advanced: lb != nil}
	if lb == nil {
		u.Block = prev
	}
	return u, nil
}

// LastTrusted returns the newest header in the store without any network
// traffic. It may be old; Latest brings it up to date.
func (c *Client) LastTrusted() (*types.LightBlock, error) {
	return c.lastTrusted()
}

func (c *Client) lastTrusted() (*types.LightBlock, error) {
	h, err := c.store.LastLightBlockHeight()
	if err != nil {
		return nil, err
	}
	if h <= 0 {
		return nil, &lightclient.ErrStoreCorrupt{ChainID: c.cfg.ChainID, Dir: c.dir, Reason: errors.New("the store holds no trusted header")}
	}
	return c.store.LightBlock(h)
}

// checkExpiry refuses to verify anything new from an expired header, before
// any node is asked: the answer would be an error anyway, and the user
// must be told to re-initialise, not offered a re-trust.
func (c *Client) checkExpiry() error {
	lb, err := c.lastTrusted()
	if err != nil {
		return err
	}
	now := c.cfg.Now()
	if !lb.Time.Add(c.cfg.TrustingPeriod).After(now) {
		return &lightclient.ErrTrustExpired{ChainID: c.cfg.ChainID, Height: lb.Height, Hash: lb.Hash(),
			HeaderTime: lb.Time, TrustingPeriod: c.cfg.TrustingPeriod, Now: now}
	}
	return nil
}

// Primary returns the RPC client of the node that answers queries: the
// node currently serving as primary, or, while the primary is behind the
// store and no newer header could be verified, a witness that has the
// state (tip.go). It changes when the light client falls over to a
// witness; callers should ask for it per request rather than keep it.
func (c *Client) Primary() lightclient.Node {
	c.nmu.Lock()
	s := c.server
	c.nmu.Unlock()
	if s != nil {
		return s.rpc
	}
	return c.currentPrimary().rpc
}

// PrimaryURL is the URL of the node currently serving as primary.
func (c *Client) PrimaryURL() string {
	return c.currentPrimary().url
}

func (c *Client) currentPrimary() *endpoint {
	c.nmu.Lock()
	defer c.nmu.Unlock()
	return c.current
}

// Close releases the store. The client must not be used afterwards.
func (c *Client) Close() error {
	var err error
	c.closeOnce.Do(func() {
		c.cancel()
		for _, e := range c.all {
			e.close()
		}
		if c.store != nil {
			err = c.store.close()
		}
	})
	return err
}

// Reset closes the client and deletes its store.
func (c *Client) Reset() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.Close(); err != nil {
		return err
	}
	return os.RemoveAll(c.dir)
}
