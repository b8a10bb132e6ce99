package trusted

import (
	"fmt"

	"github.com/cometbft/cometbft/light"
)

// A node whose answer to a query does not check out against a verified
// header — a proof that does not verify, a malformed answer — has lied or
// is broken. A command that meets one fails (nothing from the answer is
// shown) and names another node; it ends there. A long-lived session (the
// TUI, a verifying proxy) would meet the same node at every refresh, and
// one lying node would deny it service for as long as it runs. So such a
// session demotes the node: a witness becomes the primary for the rest of
// the session, and the demoted node stays a witness. As a witness it only
// cross-checks headers, which it cannot forge without the validators'
// signatures: it can make verification fail, never make akw show
// something false.

// Demote stops using the node at url to answer queries for the rest of
// this client's life, because it served an answer that did not check out
// (reason says what). When it is the primary, the first witness still in
// use that is not itself demoted becomes the primary; when it is the
// witness serving queries while the primary lags (tip.go), the primary
// serves them again. Either way a notice says so (NoticePrimaryDemoted).
//
// It returns the URL of the node that serves queries from now on. A url
// that serves no queries any more (a concurrent call demoted it already)
// changes nothing. With no witness to take over it returns an error and
// changes nothing: the caller keeps failing on the node's answers, which
// is all it can do.
func (c *Client) Demote(url, reason string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.endpointByURL(url)
	if e == nil {
		return "", fmt.Errorf("no node %s in this session", url)
	}
	c.nmu.Lock()
	server, cur := c.server, c.current
	c.nmu.Unlock()
	switch {
	case server == e:
		e.demote()
		c.serveFrom(nil)
		c.notify(Notice{Kind: NoticePrimaryDemoted, URL: e.url, Replacement: cur.url, Reason: reason, Time: c.cfg.Now()})
		return cur.url, nil
	case cur != e:
		return c.servingURL(), nil
	}
	var next *endpoint
	var rest []*endpoint
	for _, w := range c.lc.Witnesses() {
		ew, ok := w.(*endpoint)
		if !ok {
			continue
		}
		if dead, _ := ew.dead(); next == nil && !dead && !ew.isDemoted() {
			next = ew
			continue
		}
		rest = append(rest, ew)
	}
	if next == nil {
		return "", fmt.Errorf("no witness left to take over from %s", e.url)
	}
	if err := c.store.acquire(); err != nil {
		return "", err
	}
	defer c.store.release()
	lc, err := light.NewClientFromTrustedStore(c.cfg.ChainID, c.cfg.TrustingPeriod,
		next, c.providers(append(rest, e)), c.store, c.options()...)
	if err != nil {
		return "", c.translate(err, 0)
	}
	e.demote()
	c.lc = lc
	c.nmu.Lock()
	c.current = next
	c.nmu.Unlock()
	c.notify(Notice{Kind: NoticePrimaryDemoted, URL: e.url, Replacement: next.url, Reason: reason, Time: c.cfg.Now()})
	return next.url, nil
}

// endpointByURL finds a configured node by its URL as the client knows it
// or as its RPC client gives it (what lightclient/state's errors name).
func (c *Client) endpointByURL(url string) *endpoint {
	for _, e := range c.all {
		if e.url == url || e.rpc.Remote() == url {
			return e
		}
	}
	return nil
}

// servingURL is the URL of the node that answers queries now.
func (c *Client) servingURL() string {
	c.nmu.Lock()
	defer c.nmu.Unlock()
	if c.server != nil {
		return c.server.url
	}
	return c.current.url
}
