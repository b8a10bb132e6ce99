package trusted

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cometbft/cometbft/light/provider"
	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	ctypes "github.com/cometbft/cometbft/rpc/core/types"
	"github.com/cometbft/cometbft/types"

	"github.com/akash-wallet/akw/lightclient"
)

// The RPC tells a pruned or future height only in the text of its error
// (an *RPCError with code -32603 "Internal error" and these data texts, from
// rpc/core/env.go getHeight). There is no typed error to match on the wire,
// so these two patterns are matched against RPCError.Data only, never
// against a transport error.
var (
	rpcHeightPruned  = regexp.MustCompile(`^height \d+ is not available, lowest height is (\d+)`)
	rpcHeightTooHigh = regexp.MustCompile(`^height \d+ must be less than or equal to the current blockchain height (\d+)`)
)

const (
	validatorsPerPage = 100
	maxValidatorPages = 100 // 10,000 validators, as the stock provider
	cacheSize         = 64
	// maxBlocksBehind is how far behind a node may be for akw to wait
	// for it (up to Config.NextBlockWait) rather than call it lagging.
	maxBlocksBehind = 3
)

// errorKind classifies why a node failed, for notices and typed errors.
type errorKind int

const (
	kindNone errorKind = iota
	kindNetwork
	kindPruned
	kindTooHigh
	kindBad
	kindWrongChain
	kindRPC
	kindRateLimited
)

// endpoint is a provider.Provider for one node over its JSON-RPC. Unlike
// the stock HTTP provider it fetches /commit and /validators of a known
// height in parallel (one round trip instead of two), keeps a small cache
// of light blocks by height (a block at a fixed height never changes, and
// the light client asks the same node for the same height more than once),
// joins concurrent requests for one height, and records why it failed so
// akw can tell the user in plain words.
type endpoint struct {
	url       string
	chainID   string
	rpc       *queryNode // cometbft's client, abci_query decoded cheaply (abciquery.go)
	dialer    *preDialer
	transport *http.Transport
	limits    *retryTransport // 429 and 503 with Retry-After (ratelimit.go)
	timeout   time.Duration
	wait      time.Duration // see Config.NextBlockWait
	base      context.Context

	// onLatest is called with the height of the newest block as soon as
	// a request for "latest" learns it, so the client can start fetching
	// the witnesses' copies while this node's validators are in flight.
	onLatest func(e *endpoint, height int64)
	// onRequest is called with each height the light client asks this
	// node for (not prefetches), to guess the next ones.
	onRequest func(e *endpoint, height int64)

	running sync.WaitGroup // background fetches

	mu       sync.Mutex
	cache    map[int64]*types.LightBlock
	order    []int64
	inflight map[int64]*fetch
	served   map[int64][]byte // hash served at each height (bounded)
	lastErr  error
	lastKind errorKind
	gotChain string // chain-id the node answered with, when wrong
	tip      int64  // height of the newest block the node last said it has (/commit without a height)
	evidence []types.Evidence
	// deadUntil: the node timed out or refused a connection; until then
	// every request to it fails at once with deadReason (see markDead).
	deadUntil  time.Time
	deadReason error
	// demoted: the node served an answer that did not check out; it
	// serves no queries any more (demote.go).
	demoted bool

	commits    atomic.Int64 // /commit requests sent
	validators atomic.Int64 // /validators requests sent
	// loopback: the node is on this machine (127.0.0.0/8, ::1,
	// localhost), so a slow answer is its CPU, which is akw's too.
	loopback bool
	// fastNanos is the fastest /commit seen, to tell a node across a
	// network from one on the same machine.
	fastNanos atomic.Int64
}

// roundTrip is the node's fastest /commit time: the floor that the
// network sets. An average would count a busy machine's slow answers —
// time spent on the CPU, which guessing ahead adds to rather than hides —
// as distance, and make the light client fetch more headers than the
// stock one for nothing (BenchmarkCatchUpPair at 0 ms on a loaded host).
func (e *endpoint) roundTrip() time.Duration { return time.Duration(e.fastNanos.Load()) }

func (e *endpoint) recordRoundTrip(d time.Duration) {
	for {
		old := e.fastNanos.Load()
		if old != 0 && old <= int64(d) {
			return
		}
		if e.fastNanos.CompareAndSwap(old, int64(d)) {
			return
		}
	}
}

type fetch struct {
	done chan struct{}
	lb   *types.LightBlock
	err  error
	// stop ends the wait for a block the node does not have yet
	// (abandon): nobody needs that height any more.
	stop     chan struct{}
	stopOnce sync.Once
	// kind and reason: why it failed, recorded for it alone (failureRec)
	// and given to the endpoint's record by LightBlock.
	kind   errorKind
	reason error
}

func newFetch() *fetch { return &fetch{done: make(chan struct{}), stop: make(chan struct{})} }

var _ provider.Provider = (*endpoint)(nil)

func newEndpoint(base context.Context, raw, chainID string, timeout, wait time.Duration) (*endpoint, error) {
	u, err := normalizeURL(raw)
	if err != nil {
		return nil, err
	}
	parsed, _ := url.Parse(u)
	dialer := &preDialer{d: &net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}}
	dialer.warm(base, u)
	transport := &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         dialer.DialContext,
		TLSHandshakeTimeout: timeout,
		// Gzip off, as cometbft's own client: a gzip bomb from a hostile
		// node should not be inflated.
		DisableCompression: true,
		// Commit, validator pages and witnesses' blocks go out in
		// parallel; keep their connections for the next request.
		MaxIdleConnsPerHost: 16,
		IdleConnTimeout:     90 * time.Second,
	}
	limits := newRetryTransport(transport, parsed.Redacted())
	hc := &http.Client{Transport: limits, Timeout: timeout}
	c, err := rpchttp.NewWithClient(u, "/websocket", hc)
	if err != nil {
		return nil, fmt.Errorf("node %s: %w", parsed.Redacted(), err)
	}
	return &endpoint{
		dialer:    dialer,
		transport: transport,
		limits:    limits,
		loopback:  isLoopback(parsed.Hostname()),
		url:       parsed.Redacted(),
		chainID:   chainID,
		rpc:       newQueryNode(c, hc, u),
		timeout:   timeout,
		wait:      wait,
		base:      base,
		cache:     make(map[int64]*types.LightBlock),
		inflight:  make(map[int64]*fetch),
		served:    make(map[int64][]byte),
	}, nil
}

func (e *endpoint) ChainID() string { return e.chainID }
func (e *endpoint) String() string  { return e.url }

// LightBlock implements provider.Provider. The errors it returns are the
// exact sentinel values the light client switches on
// (provider.ErrNoResponse, ErrLightBlockNotFound, ErrHeightTooHigh), or
// ErrBadLightBlock for a malformed or wrong answer; the underlying reason is
// kept in e.lastErr (failureRec).
func (e *endpoint) LightBlock(ctx context.Context, height int64) (*types.LightBlock, error) {
	if height < 0 {
		return nil, provider.ErrBadLightBlock{Reason: fmt.Errorf("negative height %d", height)}
	}
	if height == 0 {
		return e.latest(ctx)
	}
	if cb := e.onRequest; cb != nil {
		cb(e, height)
	}
	for {
		e.mu.Lock()
		if lb, ok := e.cache[height]; ok {
			e.mu.Unlock()
			return lb, nil
		}
		f, ok := e.inflight[height]
		if !ok {
			f = newFetch()
			e.inflight[height] = f
			// The fetch runs on the client's context, not the caller's: a
			// prefetch started for one caller must not be cut short because
			// that caller went away while another waits for it.
			e.running.Add(1)
			go e.run(height, f)
		}
		e.mu.Unlock()
		select {
		case <-f.done:
			if f.err != nil && f.abandoned() {
				// Given up for a guess that no longer needed the
				// block (abandon), after this caller joined it: this
				// caller does need it, and asks again.
				continue
			}
			if f.err != nil && f.kind != kindNone {
				// This caller is told why the node did not serve.
				e.record(ctx, f.kind, f.reason)
			}
			return f.lb, f.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// prefetch starts fetching height in the background; a later LightBlock
// call for it joins the request or finds it in the cache.
func (e *endpoint) prefetch(height int64) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, ok := e.cache[height]; ok {
		return
	}
	if _, ok := e.inflight[height]; ok {
		return
	}
	f := newFetch()
	e.inflight[height] = f
	e.running.Add(1)
	go e.run(height, f)
}

func (e *endpoint) run(height int64, f *fetch) {
	defer e.running.Done()
	// Its failure is its own until a caller receives it (LightBlock).
	rec := &failureRec{}
	lb, err := e.fetchAt(withFailureRec(context.WithValue(e.base, abandonKey{}, f.stop), rec), height)
	e.mu.Lock()
	if e.inflight[height] == f { // not abandoned and asked for again since
		delete(e.inflight, height)
	}
	if err == nil {
		e.remember(lb)
	}
	e.mu.Unlock()
	f.lb, f.err = lb, err
	f.kind, f.reason = rec.get()
	close(f.done)
}

// abandon stops waiting for height if this node does not have it yet: a
// guessed height the primary refused is above the chain's tip, and a
// witness asking again (held retries) or polling for it until the block
// is made (fetchAt) would only add requests to a public node. A request
// already sent is answered as usual, not cut (that would cost its
// kept-alive connection); a fetch that gets the block keeps it. The fetch
// is no longer joined: a caller asking for the height after this starts
// a fetch of its own, and one that had joined it asks again (LightBlock).
func (e *endpoint) abandon(height int64) {
	e.mu.Lock()
	f := e.inflight[height]
	delete(e.inflight, height)
	e.mu.Unlock()
	if f != nil {
		f.stopOnce.Do(func() { close(f.stop) })
	}
}

// abandoned reports whether f was abandoned.
func (f *fetch) abandoned() bool {
	select {
	case <-f.stop:
		return true
	default:
		return false
	}
}

// abandonKey carries a background fetch's stop channel (abandon) to the
// requests it makes.
type abandonKey struct{}

// abandoned is ctx's stop channel (nil, never ready, if none).
func abandoned(ctx context.Context) <-chan struct{} {
	ch, _ := ctx.Value(abandonKey{}).(chan struct{})
	return ch
}

// isAbandoned reports whether the fetch ctx belongs to was abandoned.
func isAbandoned(ctx context.Context) bool {
	select {
	case <-abandoned(ctx):
		return true
	default:
		return false
	}
}

// remember caches lb and records its hash; e.mu must be held.
func (e *endpoint) remember(lb *types.LightBlock) {
	if _, ok := e.cache[lb.Height]; !ok {
		e.order = append(e.order, lb.Height)
		if len(e.order) > cacheSize {
			old := e.order[0]
			e.order = e.order[1:]
			delete(e.cache, old)
			delete(e.served, old)
		}
	}
	e.cache[lb.Height] = lb
	e.served[lb.Height] = lb.Hash()
}

// fetchAt fetches the light block at a known height: the commit and the
// validator set in parallel, waiting briefly if the node is a few blocks
// behind.
//
// A node that still lacks the height after that is reported to the light
// client as not responding (provider.ErrNoResponse), not as
// ErrHeightTooHigh: for a witness, the latter sends cometbft's detector
// into a 2×MaxClockDrift+MaxBlockLag sleep (30 s) on every update while one
// witness lags. Safety does not change: a header is still accepted only if
// some witness serves the same one, and a primary's header that no witness
// has yet is refused (ErrNoWitnesses naming the lagging witnesses). What is
// lost is only the evidence the detector would build against a primary
// forging headers above every witness's height; akw refuses such a header
// either way. abandon ends the wait as the deadline would.
func (e *endpoint) fetchAt(ctx context.Context, height int64) (*types.LightBlock, error) {
	deadline := time.Now().Add(e.wait)
	for {
		lb, err := e.fetchOnce(ctx, height)
		if !errors.Is(err, provider.ErrHeightTooHigh) {
			return lb, err
		}
		// Wait only for the next few blocks: asking far ahead is the
		// caller's mistake and must fail at once.
		kind, _ := e.lastFailure(ctx)
		latest := e.tooHighLatest(ctx)
		if e.wait <= 0 || kind != kindTooHigh || latest < 0 || height-latest > maxBlocksBehind || time.Now().After(deadline) {
			return nil, provider.ErrNoResponse
		}
		select {
		case <-time.After(150 * time.Millisecond):
		case <-abandoned(ctx):
			return nil, provider.ErrNoResponse
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

func (e *endpoint) fetchOnce(ctx context.Context, height int64) (*types.LightBlock, error) {
	var (
		wg      sync.WaitGroup
		sh      *types.SignedHeader
		vals    *types.ValidatorSet
		errSH   error
		errVals error
	)
	wg.Add(2)
	go func() { defer wg.Done(); sh, errSH = e.signedHeader(ctx, &height) }()
	go func() { defer wg.Done(); vals, errVals = e.validatorSet(ctx, height) }()
	wg.Wait()
	if errSH != nil {
		return nil, errSH
	}
	if errVals != nil {
		return nil, errVals
	}
	return e.assemble(ctx, height, sh, vals)
}

// latest fetches the newest block: the commit first (its height is not
// known before), then the validator set at that height.
func (e *endpoint) latest(ctx context.Context) (*types.LightBlock, error) {
	sh, err := e.signedHeader(ctx, nil)
	if err != nil {
		return nil, err
	}
	if cb := e.onLatest; cb != nil {
		cb(e, sh.Height)
	}
	e.mu.Lock()
	e.tip = sh.Height
	lb, ok := e.cache[sh.Height]
	e.mu.Unlock()
	if ok && equalHash(lb.Hash(), sh.Hash()) {
		return lb, nil
	}
	vals, err := e.validatorSet(ctx, sh.Height)
	if err != nil {
		return nil, err
	}
	lb, err = e.assemble(ctx, 0, sh, vals)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	e.remember(lb)
	e.mu.Unlock()
	return lb, nil
}

func (e *endpoint) assemble(ctx context.Context, height int64, sh *types.SignedHeader, vals *types.ValidatorSet) (*types.LightBlock, error) {
	if sh.Header == nil || sh.Commit == nil {
		return nil, e.fail(ctx, kindBad, errors.New("empty signed header"), provider.ErrBadLightBlock{Reason: errors.New("empty signed header")})
	}
	if sh.ChainID != e.chainID {
		e.mu.Lock()
		e.gotChain = sh.ChainID
		e.mu.Unlock()
		reason := fmt.Errorf("node is on chain %q, not %q", sh.ChainID, e.chainID)
		return nil, e.fail(ctx, kindWrongChain, reason, provider.ErrBadLightBlock{Reason: reason})
	}
	if height != 0 && sh.Height != height {
		reason := fmt.Errorf("asked for height %d, got %d", height, sh.Height)
		return nil, e.fail(ctx, kindBad, reason, provider.ErrBadLightBlock{Reason: reason})
	}
	lb := &types.LightBlock{SignedHeader: sh, ValidatorSet: vals}
	if err := lb.ValidateBasic(e.chainID); err != nil {
		return nil, e.fail(ctx, kindBad, err, provider.ErrBadLightBlock{Reason: err})
	}
	return lb, nil
}

func (e *endpoint) signedHeader(ctx context.Context, height *int64) (*types.SignedHeader, error) {
	if err := e.checkDead(ctx); err != nil {
		return nil, err
	}
	e.commits.Add(1)
	cctx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()
	began := time.Now()
	res, err := e.rpc.Commit(cctx, height)
	for try := 0; try < heldRetriesFor(ctx) && height != nil && notHeld(err) && ctx.Err() == nil && !isAbandoned(ctx); try++ {
		e.commits.Add(1)
		res, err = e.rpc.Commit(cctx, height)
	}
	if err != nil {
		return nil, e.classify(ctx, err)
	}
	e.recordRoundTrip(time.Since(began))
	if res == nil || res.Header == nil || res.Commit == nil {
		// A node that has no block yet answers an empty commit.
		if height == nil {
			return nil, e.fail(ctx, kindTooHigh, errors.New("node has no block yet"), provider.ErrHeightTooHigh)
		}
		return nil, e.fail(ctx, kindTooHigh, fmt.Errorf("node has no block at height %d yet", *height), provider.ErrHeightTooHigh)
	}
	return &res.SignedHeader, nil
}

// validatorSet fetches all pages of the validator set at height: the first
// page tells the total, the rest go out in parallel.
func (e *endpoint) validatorSet(ctx context.Context, height int64) (*types.ValidatorSet, error) {
	first, err := e.validatorPage(ctx, height, 1)
	if err != nil {
		return nil, err
	}
	if first.Total <= 0 || len(first.Validators) == 0 {
		reason := fmt.Errorf("empty validator set at height %d", height)
		return nil, e.fail(ctx, kindBad, reason, provider.ErrBadLightBlock{Reason: reason})
	}
	pages := (first.Total + validatorsPerPage - 1) / validatorsPerPage
	if pages > maxValidatorPages {
		reason := fmt.Errorf("node claims %d validators", first.Total)
		return nil, e.fail(ctx, kindBad, reason, provider.ErrBadLightBlock{Reason: reason})
	}
	results := make([]*ctypes.ResultValidators, pages)
	errs := make([]error, pages)
	results[0] = first
	var wg sync.WaitGroup
	for p := 2; p <= pages; p++ {
		wg.Add(1)
		go func(p int) {
			defer wg.Done()
			results[p-1], errs[p-1] = e.validatorPage(ctx, height, p)
		}(p)
	}
	wg.Wait()
	vals := make([]*types.Validator, 0, first.Total)
	for i := range results {
		if errs[i] != nil {
			return nil, errs[i]
		}
		if results[i].Total != first.Total {
			reason := fmt.Errorf("validator pages disagree on the total (%d, %d)", first.Total, results[i].Total)
			return nil, e.fail(ctx, kindBad, reason, provider.ErrBadLightBlock{Reason: reason})
		}
		vals = append(vals, results[i].Validators...)
	}
	if len(vals) != first.Total {
		reason := fmt.Errorf("got %d validators, node said %d", len(vals), first.Total)
		return nil, e.fail(ctx, kindBad, reason, provider.ErrBadLightBlock{Reason: reason})
	}
	vs, err := types.ValidatorSetFromExistingValidators(vals)
	if err != nil {
		return nil, e.fail(ctx, kindBad, err, provider.ErrBadLightBlock{Reason: err})
	}
	return vs, nil
}

func (e *endpoint) validatorPage(ctx context.Context, height int64, page int) (*ctypes.ResultValidators, error) {
	if err := e.checkDead(ctx); err != nil {
		return nil, err
	}
	e.validators.Add(1)
	cctx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()
	perPage := validatorsPerPage
	res, err := e.rpc.Validators(cctx, &height, &page, &perPage)
	for try := 0; try < heldRetriesFor(ctx) && notHeld(err) && ctx.Err() == nil && !isAbandoned(ctx); try++ {
		e.validators.Add(1)
		res, err = e.rpc.Validators(cctx, &height, &page, &perPage)
	}
	if err != nil {
		return nil, e.classify(ctx, err)
	}
	if res == nil {
		return nil, e.fail(ctx, kindBad, errors.New("empty /validators answer"), provider.ErrBadLightBlock{Reason: errors.New("empty /validators answer")})
	}
	return res, nil
}

// ReportEvidence sends evidence of a light-client attack to the node (best
// effort, as cometbft's light client expects) and keeps a copy for the
// report.
func (e *endpoint) ReportEvidence(ctx context.Context, ev types.Evidence) error {
	e.mu.Lock()
	e.evidence = append(e.evidence, ev)
	e.mu.Unlock()
	cctx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()
	_, err := e.rpc.BroadcastEvidence(cctx, ev)
	return err
}

func (e *endpoint) reportedEvidence() []types.Evidence {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]types.Evidence(nil), e.evidence...)
}

// close waits for background fetches (the client's context is cancelled
// by then, so they end at once) and drops the keep-alive connections.
func (e *endpoint) close() {
	e.running.Wait()
	e.dialer.close()
	e.transport.CloseIdleConnections()
}

// probeStatus asks the node's /status on behalf of a command that picks a
// height from it: a node marked dead is not asked, and one that does not
// answer is marked dead, so the light client's own requests after it fail
// over at once instead of waiting another timeout.
func (e *endpoint) probeStatus(ctx context.Context) (*ctypes.ResultStatus, error) {
	if dead, reason := e.dead(); dead {
		return nil, &lightclient.ErrUnreachable{Endpoints: []lightclient.Endpoint{{URL: e.url, Reason: describe(deadKind(reason), reason, nil)}}}
	}
	st, err := e.status(ctx)
	var limited *ErrRateLimited
	switch {
	case err == nil || ctx.Err() != nil:
	case errors.As(err, &limited):
		e.markDeadFor(limited, limitedFor)
	case isNetwork(err) && unresponsive(err):
		e.markDead(unwrapNetwork(err))
	}
	return st, err
}

// status asks the node's /status (not verified; used for `light status`,
// which reports each node as it is now, dead mark or not).
func (e *endpoint) status(ctx context.Context) (*ctypes.ResultStatus, error) {
	cctx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()
	return e.rpc.Status(cctx)
}

// isLoopback reports whether host names this machine.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
