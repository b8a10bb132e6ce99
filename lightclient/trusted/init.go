package trusted

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	cmtbytes "github.com/cometbft/cometbft/libs/bytes"
	"github.com/cometbft/cometbft/light"
	"github.com/cometbft/cometbft/types"

	"github.com/akash-wallet/akw/lightclient"
)

// Setting the trust root: the candidate header, checked against the
// witnesses before anything is stored, and the store created from it.
// client.go opens an existing store and runs the client.

// TrustRoot is the header the light client starts from. Either Height and
// Hash (from a source the user trusts), or Latest: the primary's newest
// header, cross-checked against every witness and shown for confirmation.
type TrustRoot struct {
	Height int64
	Hash   []byte
	Latest bool
}

// Candidate is the trust root about to be stored, shown to the user for
// confirmation.
type Candidate struct {
	ChainID string            `json:"chain_id"`
	Height  int64             `json:"height"`
	Hash    cmtbytes.HexBytes `json:"hash"`
	Time    time.Time         `json:"time"`
	Primary string            `json:"primary"`
	// Witnesses that served the same header at the same height.
	Agreed []string `json:"agreed"`
	// Witnesses that could not be asked (unreachable, pruned, behind).
	Unavailable []lightclient.Endpoint `json:"unavailable,omitempty"`
	Latest      bool                   `json:"latest"`
}

// ConfirmFunc is asked before a trust root is stored; returning false
// cancels the initialisation.
type ConfirmFunc func(Candidate) (bool, error)

// InitOptions controls Init.
type InitOptions struct {
	// Confirm is asked before anything is stored. Required: a caller that
	// has the user's consent some other way (-y) passes a func returning
	// true.
	Confirm ConfirmFunc
	// Force replaces an existing store (after confirmation).
	Force bool
}

// Init creates the trusted store of cfg.ChainID from root. It refuses to
// replace an existing store unless opts.Force is set.
func Init(ctx context.Context, cfg Config, root TrustRoot, opts InitOptions) (*Client, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if len(cfg.Witnesses) == 0 {
		return nil, &lightclient.ErrNoWitnesses{ChainID: cfg.ChainID}
	}
	if opts.Confirm == nil {
		return nil, errors.New("trusted.Init: no confirmation function")
	}
	if !root.Latest && (root.Height <= 0 || len(root.Hash) == 0) {
		return nil, &lightclient.ErrInvalidConfig{Reason: "a trust root needs a height and a hash",
			Setting: "trust-root"}
	}
	dir := StoreDir(cfg.Home, cfg.ChainID)
	if storeExists(dir) && !opts.Force {
		e := &lightclient.ErrStoreExists{ChainID: cfg.ChainID, Dir: dir}
		if m, err := readMeta(dir); err == nil {
			e.Height = m.TrustHeight
		}
		return nil, e
	}

	// Build the endpoints without a store to find the candidate first: a
	// cancelled or failed init must leave an existing store untouched.
	c, err := newClient(ctx, cfg, dir, nil, nil)
	if err != nil {
		return nil, err
	}
	cand, err := c.candidate(ctx, root)
	if err != nil {
		c.Close()
		return nil, err
	}
	ok, err := opts.Confirm(*cand)
	if err != nil {
		c.Close()
		return nil, err
	}
	if !ok {
		c.Close()
		return nil, &lightclient.ErrCancelled{What: "trust root not stored"}
	}

	if opts.Force {
		if err := os.RemoveAll(dir); err != nil {
			c.Close()
			return nil, fmt.Errorf("removing the old store: %w", err)
		}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		c.Close()
		return nil, err
	}
	db, err := openDB(cfg.ChainID, dir, true)
	if err != nil {
		c.Close()
		return nil, err
	}
	writeHolder(dir, cfg.Command)
	c.store = newSafeStore(db, cfg.ChainID, dir)
	c.beginOp()
	// NewClient fetches the block again and compares it with the
	// witnesses; both answers come from the endpoints' caches.
	lc, err := light.NewClient(ctx, cfg.ChainID, light.TrustOptions{
		Period: cfg.TrustingPeriod,
		Height: cand.Height,
		Hash:   cand.Hash,
	}, c.primary, c.providers(c.witnesses), c.store, c.options()...)
	if err != nil {
		err = c.endOp(err, cand.Height)
		c.Close()
		os.RemoveAll(dir)
		return nil, err
	}
	c.lc = lc
	c.endOp(nil, 0)
	source := "given"
	if root.Latest {
		source = "latest"
	}
	m := &meta{
		Version: metaVer, ChainID: cfg.ChainID, TrustHeight: cand.Height, TrustHash: cand.Hash,
		TrustedAt: cfg.Now().UTC(), TrustingPeriod: cfg.TrustingPeriod.String(), Source: source,
	}
	if err := writeMeta(dir, m); err != nil {
		c.Close()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("writing %s: %w", metaFile, err)
	}
	c.meta = m
	return c, nil
}

// candidate fetches and checks the trust root before anything is stored.
func (c *Client) candidate(ctx context.Context, root TrustRoot) (*Candidate, error) {
	c.beginOp()
	var (
		lb  *types.LightBlock
		err error
	)
	if root.Latest {
		lb, err = c.primary.LightBlock(ctx, 0)
	} else {
		c.prefetchOthers(c.primary, root.Height)
		lb, err = c.primary.LightBlock(ctx, root.Height)
	}
	if err != nil {
		return nil, c.endpointError(c.primary, err, root.Height)
	}
	if err := checkLightBlock(lb, c.cfg.ChainID); err != nil {
		return nil, &lightclient.ErrVerification{To: lb.Height, Reason: err}
	}
	if !root.Latest && !equalHash(lb.Hash(), root.Hash) {
		return nil, &lightclient.ErrTrustHashMismatch{URL: c.primary.url, Height: root.Height, Want: root.Hash, Got: lb.Hash()}
	}
	if now := c.cfg.Now(); !lb.Time.Add(c.cfg.TrustingPeriod).After(now) {
		return nil, &lightclient.ErrTrustExpired{ChainID: c.cfg.ChainID, Height: lb.Height, Hash: lb.Hash(),
			HeaderTime: lb.Time, TrustingPeriod: c.cfg.TrustingPeriod, Now: now}
	}
	cand := &Candidate{ChainID: c.cfg.ChainID, Height: lb.Height, Hash: lb.Hash(), Time: lb.Time,
		Primary: c.primary.url, Latest: root.Latest}

	type answer struct {
		w   *endpoint
		lb  *types.LightBlock
		err error
	}
	answers := make(chan answer, len(c.witnesses))
	for _, w := range c.witnesses {
		go func(w *endpoint) {
			wlb, err := w.LightBlock(ctx, lb.Height)
			answers <- answer{w, wlb, err}
		}(w)
	}
	var conflict *lightclient.ErrConflict
	netOnly := true
	for range c.witnesses {
		a := <-answers
		switch {
		case a.err != nil:
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			kind, reason := a.w.failure()
			if kind == kindWrongChain {
				return nil, &lightclient.ErrWrongChain{URL: a.w.url, Want: c.cfg.ChainID, Got: a.w.gotChainID()}
			}
			if kind != kindNetwork {
				netOnly = false
			}
			cand.Unavailable = append(cand.Unavailable, lightclient.Endpoint{URL: a.w.url, Reason: describe(kind, reason, a.err)})
		case !equalHash(a.lb.Hash(), lb.Hash()):
			if conflict == nil {
				conflict = &lightclient.ErrConflict{ChainID: c.cfg.ChainID, Height: lb.Height,
					Primary: c.primary.url, PrimaryHash: lb.Hash(), Witness: a.w.url, WitnessHash: a.lb.Hash()}
			}
		default:
			cand.Agreed = append(cand.Agreed, a.w.url)
		}
	}
	if conflict != nil {
		return nil, conflict
	}
	// --trust-latest takes the primary's word only if a witness confirms
	// it. A given hash is itself the root of trust; witnesses that lack an
	// old height are then only reported.
	if root.Latest && len(cand.Agreed) == 0 {
		return nil, &lightclient.ErrNoWitnesses{ChainID: c.cfg.ChainID, Witnesses: cand.Unavailable, Network: netOnly}
	}
	return cand, nil
}
