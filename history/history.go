package history

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/lightclient"
	"github.com/akash-wallet/akw/lightclient/txproof"
	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/amount"
)

// Page sizes.
const (
	DefaultLimit = 20
	MaxLimit     = 100
)

// Lister lists and proves an address's history. It is safe for
// concurrent use.
type Lister struct {
	headers  lightclient.Headers
	node     lightclient.Node
	dec      *Decoder
	denoms   amount.Denoms
	prefix   string
	dataDir  string
	parallel int
}

// Option configures a Lister.
type Option func(*Lister)

// WithCache keeps proven history under dataDir (the wallet's data
// directory, --home): DIR/history/CHAIN-ID/ADDRESS.json.
func WithCache(dataDir string) Option { return func(l *Lister) { l.dataDir = dataDir } }

// WithPrefix sets the chain's account prefix (default "akash").
func WithPrefix(prefix string) Option { return func(l *Lister) { l.prefix = prefix } }

// WithDenoms sets the chain's token (default amount.Akash).
func WithDenoms(d amount.Denoms) Option { return func(l *Lister) { l.denoms = d } }

// WithParallelism bounds the heights proven at once (default 4).
func WithParallelism(n int) Option {
	return func(l *Lister) {
		if n > 0 {
			l.parallel = n
		}
	}
}

// New returns a Lister that lists through node's transaction index and
// proves against headers. If node is nil and headers has a Primary method
// (lightclient/trusted does), the light client's current primary is asked.
func New(headers lightclient.Headers, node lightclient.Node, opts ...Option) (*Lister, error) {
	l := &Lister{headers: headers, node: node, denoms: amount.Akash, prefix: "akash", parallel: 4}
	for _, o := range opts {
		o(l)
	}
	dec, err := NewDecoder(l.prefix, l.denoms)
	if err != nil {
		return nil, err
	}
	l.dec = dec
	return l, nil
}

// Query says which part of the history to list.
type Query struct {
	Address string // an account address of the chain
	// Limit is the page size (default DefaultLimit, at most MaxLimit).
	Limit int
	// Page is the 1-based page, newest first; or give Cursor instead.
	Page int
	// Cursor continues after the last row of a page (Page.Next).
	Cursor string
	// Since and Until bound the block time (both included); zero: no
	// bound. FromHeight and ToHeight bound the height the same way.
	Since, Until         time.Time
	FromHeight, ToHeight int64
	// Offline answers from the cache alone, asking no node; what the
	// cache does not hold is an ErrNotCached.
	Offline bool
	// Refresh lists and proves the range again, ignoring the cache, and
	// reports cached records that differ from the fresh proof.
	Refresh bool
}

// Status of a row.
type Status string

const (
	// Proven: the transaction bytes, their inclusion in the block and
	// their result code are proven against verified headers.
	Proven Status = "proven"
	// Refused: the node listed the transaction but its answers did not
	// check out; nothing of it is shown but the hash and the reason.
	Refused Status = "refused"
)

// Row is one transaction of the history.
type Row struct {
	Hash   string `json:"txhash"`
	Height int64  `json:"height"`
	Index  uint32 `json:"index"`
	Status Status `json:"status"`
	// Verified is Status == Proven.
	Verified bool `json:"verified"`
	// Reason says why a row was refused.
	Reason string `json:"reason,omitempty"`
	// Time is the verified header's time.
	Time time.Time `json:"time"`
	// Code is the proven result code; Success is Code == 0.
	Code    uint32 `json:"code"`
	Success bool   `json:"success"`
	Effects
	// Codespace and Log are node-reported.
	Codespace      string         `json:"codespace,omitempty"`
	Log            string         `json:"log,omitempty"`
	HeaderHash     string         `json:"header_hash,omitempty"`
	NextHeaderHash string         `json:"next_header_hash,omitempty"`
	Duplicates     []txproof.Copy `json:"duplicates,omitempty"`
	// FromCache is true when the proof was read from the cache.
	FromCache bool `json:"from_cache"`
}

// Page is a part of the history, newest first.
type Page struct {
	ChainID string `json:"chain_id"`
	Address string `json:"address"`
	// Range is the heights listed.
	Range Span  `json:"range"`
	Rows  []Row `json:"rows"`
	// Next is the cursor of the next (older) page; empty at the end.
	Next string `json:"next,omitempty"`
	// ListVerified is always false: which transactions are listed comes
	// from the node's index, whose completeness cannot be proven. Each
	// row is proven or refused on its own.
	ListVerified bool        `json:"list_verified"`
	Refused      int         `json:"refused"`
	Cache        CacheReport `json:"cache"`
}

// CacheReport says what came from the cache and what was refreshed.
type CacheReport struct {
	Path            string   `json:"path,omitempty"`
	ListedFromCache []Span   `json:"listed_from_cache,omitempty"`
	ListedFromNode  []Span   `json:"listed_from_node,omitempty"`
	ProvenFromCache int      `json:"proven_from_cache"`
	ProvenNow       int      `json:"proven_now"`
	Network         bool     `json:"network"`           // whether any node was asked
	Rebuilt         string   `json:"rebuilt,omitempty"` // why the cache file there was not used
	Mismatches      []string `json:"mismatches,omitempty"`
	SaveError       string   `json:"save_error,omitempty"`
}

// List returns one page of the history of q.Address.
func (l *Lister) List(ctx context.Context, q Query) (*Page, error) { return l.list(ctx, q, false) }

// All returns every row in the range of q (Limit, Page and Cursor are
// ignored), for an export.
func (l *Lister) All(ctx context.Context, q Query) (*Page, error) { return l.list(ctx, q, true) }

func (l *Lister) list(ctx context.Context, q Query, all bool) (*Page, error) {
	acc, err := address.Account(q.Address, address.For(l.prefix))
	if err != nil {
		return nil, &ErrQuery{Reason: err.Error(), Fix: errkind.HintOf(err).String(), Err: err}
	}
	addr := address.Bech32(l.prefix, acc)
	limit, skip, cur, err := pageOf(q, all)
	if err != nil {
		return nil, err
	}
	chainID := l.headers.ChainID()
	c := newCache("", chainID, addr)
	if l.dataDir != "" {
		path, err := CachePath(l.dataDir, chainID, addr)
		if err != nil {
			return nil, err
		}
		c = loadCache(path, chainID, addr)
	}
	page := &Page{ChainID: chainID, Address: addr, Cache: CacheReport{Path: c.path, Rebuilt: c.rebuilt}}
	var nodeOnce struct {
		sync.Mutex
		n lightclient.Node
	}
	nodeFn := func(what string) (lightclient.Node, error) {
		if q.Offline {
			return nil, &ErrNotCached{Address: addr, What: what}
		}
		nodeOnce.Lock()
		defer nodeOnce.Unlock()
		page.Cache.Network = true
		if nodeOnce.n == nil {
			n, err := l.nodeNow()
			if err != nil {
				return nil, err
			}
			nodeOnce.n = n
		}
		return nodeOnce.n, nil
	}

	lo, hi, err := l.resolveRange(ctx, q, c, nodeFn)
	if err != nil {
		return nil, err
	}
	if cur != nil && cur.Height < hi {
		hi = cur.Height
	}
	page.Range = Span{From: lo, To: hi}
	need := -1
	if !all {
		need = skip + limit + 1
	}
	ents, err := l.collect(ctx, c, nodeFn, addr, lo, hi, cur, need, q.Refresh, &page.Cache)
	if err != nil {
		return nil, err
	}
	if !all {
		if skip >= len(ents) {
			ents = nil
		} else {
			ents = ents[skip:]
		}
		if len(ents) > limit {
			ents = ents[:limit]
			page.Next = cursor{ents[limit-1].Height, ents[limit-1].Index}.String()
		}
	}

	rows, err := l.prove(ctx, c, nodeFn, addr, ents, q.Refresh, q.Offline, &page.Cache)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		if r.Status == Proven && ((!q.Since.IsZero() && r.Time.Before(q.Since)) || (!q.Until.IsZero() && r.Time.After(q.Until))) {
			continue // outside the asked times by its verified header
		}
		if r.Status == Refused {
			page.Refused++
		}
		page.Rows = append(page.Rows, r)
	}
	if c.path != "" && page.Cache.Network {
		if err := c.save(); err != nil {
			page.Cache.SaveError = err.Error()
		}
	}
	return page, nil
}

func (l *Lister) nodeNow() (lightclient.Node, error) {
	if l.node != nil {
		return l.node, nil
	}
	if p, ok := l.headers.(interface{ Primary() lightclient.Node }); ok {
		return p.Primary(), nil
	}
	return nil, errors.New("history: no node given, and the headers have no primary to ask")
}

// collect lists the entries of [lo, hi] older than cur, newest first,
// until it holds need of them (need < 0: all), from the cache where it
// covers the heights and from the node's index elsewhere.
func (l *Lister) collect(ctx context.Context, c *cache, nodeFn func(string) (lightclient.Node, error), addr string, lo, hi int64, cur *cursor, need int, refresh bool, rep *CacheReport) ([]entry, error) {
	var out []entry
	seen := map[string]bool{}
	add := func(ents []entry) {
		for _, e := range ents {
			if cur.before(e) && !seen[e.Hash] {
				seen[e.Hash] = true
				out = append(out, e)
			}
		}
	}
	for top := hi; top >= lo && (need < 0 || len(out) < need); {
		if s, ok := c.covering(top); ok && !refresh {
			from := max(s.From, lo)
			add(c.entriesIn(from, top))
			rep.ListedFromCache = append(rep.ListedFromCache, Span{From: from, To: top})
			top = from - 1
			continue
		}
		bottom := lo
		if s, ok := c.coveredBelow(top); ok && !refresh && s.To+1 > bottom {
			bottom = s.To + 1
		}
		node, err := nodeFn(fmt.Sprintf("the list of heights %d-%d", bottom, top))
		if err != nil {
			return nil, err
		}
		remaining := -1
		if need >= 0 {
			remaining = need - len(out)
		}
		ents, from, err := l.listSpan(ctx, node, addr, bottom, top, remaining)
		if err != nil {
			return nil, err
		}
		c.addSpan(Span{From: from, To: top}, ents)
		rep.ListedFromNode = append(rep.ListedFromNode, Span{From: from, To: top})
		add(ents)
		top = from - 1
	}
	sort.SliceStable(out, func(i, j int) bool { return newer(out[i], out[j]) })
	return out, nil
}

// prove returns a row for each entry: from the cache where it holds the
// proof, else proven now, height by height.
func (l *Lister) prove(ctx context.Context, c *cache, nodeFn func(string) (lightclient.Node, error), addr string, ents []entry, refresh, offline bool, rep *CacheReport) ([]Row, error) {
	byHeight := map[int64][]entry{}
	for _, e := range ents {
		if _, ok := c.records[e.Hash]; ok && !refresh {
			continue
		}
		if _, ok := c.body.Refused[e.Hash]; ok && offline {
			continue // shown as refused when last checked
		}
		byHeight[e.Height] = append(byHeight[e.Height], e)
	}
	var (
		mu      sync.Mutex
		fresh   = map[string]*record{}
		refused = map[string]string{}
	)
	if len(byHeight) > 0 {
		node, err := nodeFn(fmt.Sprintf("the proofs of %d transactions", len(ents)))
		if err != nil {
			return nil, err
		}
		g, gctx := errgroup.WithContext(ctx)
		g.SetLimit(l.parallel)
		for h, es := range byHeight {
			g.Go(func() error {
				p, r, err := l.proveHeight(gctx, node, h, es)
				if err != nil {
					return err
				}
				mu.Lock()
				defer mu.Unlock()
				for k, v := range p {
					fresh[k] = v
				}
				for k, v := range r {
					refused[k] = v
				}
				return nil
			})
		}
		if err := g.Wait(); err != nil {
			return nil, err
		}
	}
	rows := make([]Row, 0, len(ents))
	for _, e := range ents {
		if r, ok := fresh[e.Hash]; ok {
			if old, had := c.records[e.Hash]; had && refresh && !sameRecord(old, r) {
				rep.Mismatches = append(rep.Mismatches, e.Hash)
			}
			c.records[e.Hash] = r
			if c.body.Refused != nil {
				delete(c.body.Refused, e.Hash)
			}
			rep.ProvenNow++
			rows = append(rows, l.row(addr, r, false))
			continue
		}
		if reason, ok := refused[e.Hash]; ok {
			if c.body.Refused == nil {
				c.body.Refused = map[string]string{}
			}
			c.body.Refused[e.Hash] = reason
			rows = append(rows, Row{Hash: e.Hash, Height: e.Height, Index: e.Index, Status: Refused, Reason: reason})
			continue
		}
		r, ok := c.records[e.Hash]
		if !ok {
			rows = append(rows, Row{Hash: e.Hash, Height: e.Height, Index: e.Index, Status: Refused,
				Reason: "refused when last checked online: " + c.body.Refused[e.Hash]})
			continue
		}
		rep.ProvenFromCache++
		rows = append(rows, l.row(addr, r, true))
	}
	return rows, nil
}

func sameRecord(a, b *record) bool {
	return a.Hash == b.Hash && a.Height == b.Height && a.HeaderHash == b.HeaderHash &&
		a.NextHeaderHash == b.NextHeaderHash && a.Code == b.Code && string(a.Tx) == string(b.Tx) && a.Time.Equal(b.Time)
}

// row reads a proven record for addr.
func (l *Lister) row(addr string, r *record, fromCache bool) Row {
	eff := l.dec.Effects(r.Tx, addr, r.Code == 0, r.Reported.Events)
	if r.Code == 0 {
		nameProposal(&eff, r.Data) // the proven result names a new proposal
	}
	return Row{
		Hash: r.Hash, Height: r.Height, Index: r.Index, Status: Proven, Verified: true,
		Time: r.Time, Code: r.Code, Success: r.Code == 0,
		Effects:   eff,
		Codespace: r.Reported.Codespace, Log: r.Reported.Log,
		HeaderHash: r.HeaderHash, NextHeaderHash: r.NextHeaderHash, Duplicates: r.Duplicates,
		FromCache: fromCache,
	}
}
