package trusted

import (
	"context"
	"sync"
	"time"

	cmtbytes "github.com/cometbft/cometbft/libs/bytes"
)

// EndpointStatus describes one configured node.
type EndpointStatus struct {
	URL string `json:"url"`
	// Configured is the role the user gave it: "primary" or "witness".
	Configured string `json:"configured"`
	// Role is what the light client uses it as now: "primary", "witness",
	// or "dropped" (no longer used this session; see Reason).
	Role   string `json:"role"`
	Reason string `json:"reason,omitempty"`
	// Probe results from the node's /status (node-reported, unverified).
	Probed         bool   `json:"probed"`
	Reachable      bool   `json:"reachable"`
	Network        string `json:"network,omitempty"`
	LatestHeight   int64  `json:"latest_height,omitempty"`
	EarliestHeight int64  `json:"earliest_height,omitempty"`
	Error          string `json:"error,omitempty"`
}

// TrustRootInfo is how the store was initialised.
type TrustRootInfo struct {
	Height    int64             `json:"height"`
	Hash      cmtbytes.HexBytes `json:"hash"`
	Source    string            `json:"source"`
	TrustedAt time.Time         `json:"trusted_at"`
}

// Status is the state of the trusted store and the nodes.
type Status struct {
	ChainID       string            `json:"chain_id"`
	Store         string            `json:"store"`
	TrustedHeight int64             `json:"trusted_height"`
	TrustedHash   cmtbytes.HexBytes `json:"trusted_hash"`
	TrustedTime   time.Time         `json:"trusted_time"`
	// Age is how old the newest trusted header is.
	Age                   time.Duration `json:"-"`
	AgeSeconds            int64         `json:"age_seconds"`
	TrustingPeriod        time.Duration `json:"-"`
	TrustingPeriodSeconds int64         `json:"trusting_period_seconds"`
	ExpiresAt             time.Time     `json:"expires_at"`
	Expired               bool          `json:"expired"`
	FirstHeight           int64         `json:"first_height"`
	StoredHeaders         int           `json:"stored_headers"`
	TrustRoot             TrustRootInfo `json:"trust_root"`
	// Primary is the node serving as primary now.
	Primary   string           `json:"primary"`
	Endpoints []EndpointStatus `json:"endpoints"`
	Notices   []Notice         `json:"notices,omitempty"`
}

// Status reports the store and the nodes. With probe, each node's /status
// is asked in parallel (that answer is node-reported, not verified);
// without, no network traffic happens.
func (c *Client) Status(ctx context.Context, probe bool) (*Status, error) {
	if err := c.store.acquire(); err != nil {
		return nil, err
	}
	lb, err := c.lastTrusted()
	if err != nil {
		c.store.release()
		return nil, err
	}
	first, err := c.store.FirstLightBlockHeight()
	size := c.store.Size()
	c.store.release()
	if err != nil {
		return nil, err
	}
	now := c.cfg.Now()
	s := &Status{
		ChainID:               c.cfg.ChainID,
		Store:                 c.dir,
		TrustedHeight:         lb.Height,
		TrustedHash:           lb.Hash(),
		TrustedTime:           lb.Time,
		Age:                   now.Sub(lb.Time),
		TrustingPeriod:        c.cfg.TrustingPeriod,
		TrustingPeriodSeconds: int64(c.cfg.TrustingPeriod / time.Second),
		ExpiresAt:             lb.Time.Add(c.cfg.TrustingPeriod),
		FirstHeight:           first,
		StoredHeaders:         int(size),
		Notices:               c.Notices(),
	}
	s.AgeSeconds = int64(s.Age / time.Second)
	s.Expired = !s.ExpiresAt.After(now)
	if c.meta != nil {
		s.TrustRoot = TrustRootInfo{Height: c.meta.TrustHeight, Hash: c.meta.TrustHash, Source: c.meta.Source, TrustedAt: c.meta.TrustedAt}
	}
	cur := c.currentPrimary()
	s.Primary = cur.url
	s.Endpoints = make([]EndpointStatus, len(c.all))
	c.nmu.Lock()
	for i, e := range c.all {
		es := EndpointStatus{URL: e.url, Configured: "witness", Role: "witness"}
		if e == c.primary {
			es.Configured = "primary"
		}
		if e == cur {
			es.Role = "primary"
		}
		if r, gone := c.dropped[e]; gone {
			es.Role, es.Reason = "dropped", r
		}
		s.Endpoints[i] = es
	}
	c.nmu.Unlock()
	if probe {
		var wg sync.WaitGroup
		for i, e := range c.all {
			wg.Add(1)
			go func(i int, e *endpoint) {
				defer wg.Done()
				es := &s.Endpoints[i]
				es.Probed = true
				st, err := e.status(ctx)
				if err != nil {
					es.Error = err.Error()
					if isNetwork(err) {
						es.Error = unwrapNetwork(err).Error()
					}
					return
				}
				es.Reachable = true
				es.Network = st.NodeInfo.Network
				es.LatestHeight = st.SyncInfo.LatestBlockHeight
				es.EarliestHeight = st.SyncInfo.EarliestBlockHeight
				if es.Network != c.cfg.ChainID {
					es.Error = "node is on chain " + es.Network
				}
			}(i, e)
		}
		wg.Wait()
	}
	return s, nil
}
