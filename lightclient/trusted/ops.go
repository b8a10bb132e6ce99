package trusted

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cometbft/cometbft/light"
	"github.com/cometbft/cometbft/light/provider"
	"github.com/cometbft/cometbft/types"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/lightclient"
)

// NoticeKind says what a notice is about.
type NoticeKind string

const (
	// NoticePrimaryReplaced: the primary failed and a witness took its
	// place for the rest of the session.
	NoticePrimaryReplaced NoticeKind = "primary-replaced"
	// NoticeWitnessDropped: the light client stopped using a witness for
	// the rest of the session.
	NoticeWitnessDropped NoticeKind = "witness-dropped"
	// NoticeTipBehind: a node says its newest block (Height) is below the
	// newest header akw has verified (TrustedHeight): it is lagging, or
	// lying to make old state look like the newest. Its tip is not used.
	NoticeTipBehind NoticeKind = "tip-behind"
	// NoticeKeptTrusted: the primary was behind and no witness could be
	// verified ahead of the newest verified header (TrustedHeight), so
	// the newest state rests on that header. Reason says what the
	// witnesses said.
	NoticeKeptTrusted NoticeKind = "kept-trusted"
	// NoticePrimaryDemoted: the node serving queries (URL) served an
	// answer that does not verify; Replacement serves them for the rest
	// of the session (Client.Demote).
	NoticePrimaryDemoted NoticeKind = "primary-demoted"
)

// Notice is something the user should know although the operation went
// on: akw says so instead of silently changing whom it trusts to serve.
type Notice struct {
	Kind        NoticeKind `json:"kind"`
	URL         string     `json:"url"`
	Replacement string     `json:"replacement,omitempty"`
	Reason      string     `json:"reason,omitempty"`
	// Height is the newest height the node claimed (tip-behind,
	// kept-trusted); TrustedHeight the newest header akw had verified.
	Height        int64     `json:"height,omitempty"`
	TrustedHeight int64     `json:"trusted_height,omitempty"`
	Time          time.Time `json:"time"`
}

func (n Notice) String() string {
	switch n.Kind {
	case NoticePrimaryReplaced:
		s := fmt.Sprintf("primary %s failed", n.URL)
		if n.Reason != "" {
			s += " (" + n.Reason + ")"
		}
		return s + "; using witness " + n.Replacement + " as primary"
	case NoticeWitnessDropped:
		s := "witness " + n.URL + " dropped"
		if n.Reason != "" {
			s += " (" + n.Reason + ")"
		}
		return s
	case NoticeTipBehind:
		return fmt.Sprintf("node %s says its newest block is %d, below header %d that akw has already verified: it is lagging, or lying to pass old state off as the newest; its tip is not used",
			n.URL, n.Height, n.TrustedHeight)
	case NoticePrimaryDemoted:
		return fmt.Sprintf("primary %s served a proof that does not verify; using witness %s", n.URL, n.Replacement)
	case NoticeKeptTrusted:
		s := fmt.Sprintf("the newest state rests on verified header %d, not newer", n.TrustedHeight)
		if n.Reason != "" {
			s += ": " + n.Reason
		}
		return s
	}
	return string(n.Kind) + " " + n.URL
}

// Notices returns the notices of this session so far.
func (c *Client) Notices() []Notice {
	c.nmu.Lock()
	defer c.nmu.Unlock()
	return append([]Notice(nil), c.notices...)
}

func (c *Client) notify(n Notice) {
	c.nmu.Lock()
	c.notices = append(c.notices, n)
	c.nmu.Unlock()
	if c.cfg.OnNotice != nil {
		c.cfg.OnNotice(n)
	}
}

// beginOp clears the endpoints' failure records so that what endOp finds
// belongs to this operation.
func (c *Client) beginOp() {
	for _, e := range c.all {
		e.resetFailure()
	}
}

// endOp records which nodes the light client stopped using or promoted,
// emits notices, and turns err into one of lightclient's typed errors.
func (c *Client) endOp(err error, height int64) error {
	c.pivots.stop()
	if c.lc != nil {
		cur, _ := c.lc.Primary().(*endpoint)
		inUse := map[*endpoint]bool{cur: true}
		for _, w := range c.lc.Witnesses() {
			if e, ok := w.(*endpoint); ok {
				inUse[e] = true
			}
		}
		c.nmu.Lock()
		prev := c.current
		var newlyDropped []*endpoint
		for _, e := range c.all {
			if _, gone := c.dropped[e]; !inUse[e] && !gone {
				kind, reason := e.failure()
				c.dropped[e] = describe(kind, reason, nil)
				newlyDropped = append(newlyDropped, e)
			}
		}
		if cur != nil {
			c.current = cur
		}
		c.nmu.Unlock()
		now := c.cfg.Now()
		if cur != nil && cur != prev {
			kind, reason := prev.failure()
			c.notify(Notice{Kind: NoticePrimaryReplaced, URL: prev.url, Replacement: cur.url,
				Reason: describe(kind, reason, nil), Time: now})
		}
		for _, e := range newlyDropped {
			if e == prev {
				continue // already told: it was replaced
			}
			c.notify(Notice{Kind: NoticeWitnessDropped, URL: e.url, Reason: c.droppedReason(e), Time: now})
		}
	}
	// A configured primary on another chain is a configuration mistake,
	// not a node to fall over from quietly.
	if kind, _ := c.primary.failure(); kind == kindWrongChain {
		return &lightclient.ErrWrongChain{URL: c.primary.url, Want: c.cfg.ChainID, Got: c.primary.gotChainID()}
	}
	return c.translate(err, height)
}

func (c *Client) droppedReason(e *endpoint) string {
	c.nmu.Lock()
	defer c.nmu.Unlock()
	return c.dropped[e]
}

// translate maps the light client's and providers' errors to lightclient's
// typed errors. It matches types and sentinel values, never text.
func (c *Client) translate(err error, height int64) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var ours errkind.Kinded
	if errors.As(err, &ours) {
		return err
	}
	if errors.Is(err, light.ErrLightClientAttack) {
		return c.conflict(height, true, "")
	}
	var ch light.ErrConflictingHeaders
	if errors.As(err, &ch) && ch.Block != nil {
		e := c.conflict(ch.Block.Height, false, "")
		if len(e.WitnessHash) == 0 {
			e.WitnessHash = ch.Block.Hash()
		}
		return e
	}
	var pp light.ErrProposerPrioritiesDiverge
	if errors.As(err, &pp) {
		e := c.conflict(height, false, fmt.Sprintf("validator-set proposer priorities differ (primary %X, witness %X)", pp.PrimaryHash, pp.WitnessHash))
		return e
	}
	if errors.Is(err, light.ErrNoWitnesses) || errors.Is(err, light.ErrFailedHeaderCrossReferencing) {
		return c.noWitnesses()
	}
	var exp light.ErrOldHeaderExpired
	if errors.As(err, &exp) {
		e := &lightclient.ErrTrustExpired{ChainID: c.cfg.ChainID, HeaderTime: exp.At.Add(-c.cfg.TrustingPeriod),
			TrustingPeriod: c.cfg.TrustingPeriod, Now: exp.Now}
		if lb, lerr := c.lastTrusted(); lerr == nil {
			e.Height, e.Hash = lb.Height, lb.Hash()
		}
		return e
	}
	// Provider sentinels, possibly inside ErrVerificationFailed.
	switch {
	case errors.Is(err, provider.ErrNoResponse):
		// Every node that failed lacked the height: it is above the chain.
		if c.allFailed(kindTooHigh) {
			return &lightclient.ErrHeightTooHigh{Height: height}
		}
		return c.unreachable()
	case errors.Is(err, provider.ErrLightBlockNotFound):
		return &lightclient.ErrHeightUnavailable{Height: height}
	case errors.Is(err, provider.ErrHeightTooHigh):
		return &lightclient.ErrHeightTooHigh{Height: height}
	}
	for _, e := range c.all {
		if kind, _ := e.failure(); kind == kindWrongChain {
			return &lightclient.ErrWrongChain{URL: e.url, Want: c.cfg.ChainID, Got: e.gotChainID()}
		}
	}
	var vf light.ErrVerificationFailed
	if errors.As(err, &vf) {
		return &lightclient.ErrVerification{From: vf.From, To: vf.To, Reason: vf.Reason}
	}
	var bad provider.ErrBadLightBlock
	var ih light.ErrInvalidHeader
	var nv light.ErrNewValSetCantBeTrusted
	if errors.As(err, &bad) || errors.As(err, &ih) || errors.As(err, &nv) {
		return &lightclient.ErrVerification{To: height, Reason: err}
	}
	// Untyped errors from the light client (some are plain errors.New,
	// e.g. when a node lacks a header needed midway through bisection):
	// if the nodes failed in a way we know, say that.
	switch {
	case c.allFailed(kindPruned):
		return &lightclient.ErrHeightUnavailable{Height: height}
	case c.allFailed(kindNetwork):
		return c.unreachable()
	case c.allFailed(kindTooHigh):
		return &lightclient.ErrHeightTooHigh{Height: height}
	}
	return fmt.Errorf("light client: %w", err)
}

// conflict builds the report of a fork from what the endpoints served: the
// highest height at which the primary and a witness served different
// headers.
func (c *Client) conflict(height int64, attack bool, detail string) *lightclient.ErrConflict {
	e := &lightclient.ErrConflict{ChainID: c.cfg.ChainID, Height: height, Attack: attack, Detail: detail}
	p := c.currentPrimary()
	e.Primary = p.url
	var best int64 = -1
	for _, w := range c.all {
		if w == p {
			continue
		}
		w.mu.Lock()
		served := make(map[int64][]byte, len(w.served))
		for h, hash := range w.served {
			served[h] = hash
		}
		w.mu.Unlock()
		for h, wh := range served {
			ph := p.servedHash(h)
			if ph == nil || equalHash(ph, wh) {
				continue
			}
			if (height > 0 && h == height) || (height <= 0 && h > best) || (best < 0) {
				best = h
				e.Height, e.PrimaryHash, e.Witness, e.WitnessHash = h, ph, w.url, wh
				if height > 0 && h == height {
					break
				}
			}
		}
	}
	for _, x := range c.all {
		for _, ev := range x.reportedEvidence() {
			if lca, ok := ev.(*types.LightClientAttackEvidence); ok && lca.CommonHeight > 0 {
				e.CommonHeight = lca.CommonHeight
			}
		}
	}
	if e.Witness == "" && len(c.witnesses) > 0 {
		e.Witness = c.witnesses[0].url
	}
	return e
}

func (c *Client) noWitnesses() *lightclient.ErrNoWitnesses {
	e := &lightclient.ErrNoWitnesses{ChainID: c.cfg.ChainID, Network: len(c.all) > 1}
	p := c.currentPrimary()
	for _, w := range c.all {
		if w == p {
			continue
		}
		kind, reason := w.failure()
		r := describe(kind, reason, nil)
		if kind == kindNone {
			if d := c.droppedReason(w); d != "" {
				r = d
			}
		}
		if kind != kindNetwork {
			e.Network = false
		}
		if w == c.primary {
			r = "the configured primary, " + r
		}
		e.Witnesses = append(e.Witnesses, lightclient.Endpoint{URL: w.url, Reason: r})
	}
	return e
}

// allFailed reports whether at least one endpoint failed in this operation
// and every one that did failed with kind.
func (c *Client) allFailed(kind errorKind) bool {
	n := 0
	for _, e := range c.all {
		k, _ := e.failure()
		if k == kindNone {
			continue
		}
		if k != kind {
			return false
		}
		n++
	}
	return n > 0
}

func (c *Client) unreachable() *lightclient.ErrUnreachable {
	e := &lightclient.ErrUnreachable{}
	for _, x := range c.all {
		kind, reason := x.failure()
		e.Endpoints = append(e.Endpoints, lightclient.Endpoint{URL: x.url, Reason: describe(kind, reason, nil)})
	}
	return e
}

// endpointError maps one endpoint's sentinel error to a typed error.
func (c *Client) endpointError(e *endpoint, err error, height int64) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	kind, reason := e.failure()
	switch {
	case kind == kindWrongChain:
		return &lightclient.ErrWrongChain{URL: e.url, Want: c.cfg.ChainID, Got: e.gotChainID()}
	case errors.Is(err, provider.ErrNoResponse) && kind == kindTooHigh:
		return &lightclient.ErrHeightTooHigh{Height: height}
	case errors.Is(err, provider.ErrNoResponse):
		return &lightclient.ErrUnreachable{Endpoints: []lightclient.Endpoint{{URL: e.url, Reason: describe(kind, reason, err)}}}
	case errors.Is(err, provider.ErrLightBlockNotFound):
		return &lightclient.ErrHeightUnavailable{Height: height}
	case errors.Is(err, provider.ErrHeightTooHigh):
		return &lightclient.ErrHeightTooHigh{Height: height}
	}
	return &lightclient.ErrVerification{To: height, Reason: fmt.Errorf("node %s: %w", e.url, err)}
}

// describe says in plain words why a node failed.
func describe(kind errorKind, reason, fallback error) string {
	r := ""
	if reason != nil {
		r = reason.Error()
	}
	switch kind {
	case kindNetwork:
		return "unreachable: " + r
	case kindPruned:
		return "does not have that height (pruned)"
	case kindTooHigh:
		return "behind the other nodes: " + r
	case kindBad:
		return "served an invalid answer: " + r
	case kindWrongChain:
		return r
	case kindRPC:
		return "answered with an error: " + r
	case kindRateLimited:
		return r
	}
	if fallback != nil {
		return fallback.Error()
	}
	return ""
}

func (e *endpoint) gotChainID() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.gotChain
}
