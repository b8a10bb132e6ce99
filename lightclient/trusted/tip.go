package trusted

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	ctypes "github.com/cometbft/cometbft/rpc/core/types"
	"github.com/cometbft/cometbft/types"

	"github.com/akash-wallet/akw/lightclient"
)

// A node's newest height — its /status, or /commit without a height — is
// its own word; nothing authenticates it. CometBFT's light client never
// moves the store backwards (light.Client.Update ignores a newest header
// that is not above the store's), but it also stops there: a primary that
// claims an older tip leaves akw on whatever it verified last, silently.
// Such a primary is lagging, or lying so that an old balance, sequence or
// delegation list is shown as the newest. akw says so, asks the other
// nodes for their tips, and verifies the newest one's header if it is
// ahead; otherwise "the newest state" rests on the newest header already
// verified — never on an older one.

// noteBehind tells the user (once per lagging spell of a node) that e
// claims a tip below the newest verified header.
func (c *Client) noteBehind(e *endpoint, claimed, trusted int64) {
	c.nmu.Lock()
	if c.behind == nil {
		c.behind = map[*endpoint]bool{}
	}
	told := c.behind[e]
	c.behind[e] = true
	c.nmu.Unlock()
	if !told {
		c.notify(Notice{Kind: NoticeTipBehind, URL: e.url, Height: claimed, TrustedHeight: trusted, Time: c.cfg.Now()})
	}
}

// caughtUp forgets that e was behind: it is at or above the verified
// header again, and a later lag is news.
func (c *Client) caughtUp(e *endpoint) {
	c.nmu.Lock()
	delete(c.behind, e)
	c.nmu.Unlock()
}

// checkClaim compares a tip e claimed with the newest verified header,
// without network traffic.
func (c *Client) checkClaim(e *endpoint, claimed int64) {
	lb, err := c.lastTrusted()
	if err != nil || claimed <= 0 {
		return
	}
	if claimed < lb.Height {
		c.noteBehind(e, claimed, lb.Height)
	} else {
		c.caughtUp(e)
	}
}

// PrimaryStatus asks the current primary's /status (node-reported, not
// verified: it may only choose which height to verify). A primary that
// timed out or refused a connection earlier in this client's life is not
// asked again, and one that does not answer now is not asked again by the
// light client either: it falls over to a witness at once. A primary whose
// newest height is below the newest verified header is reported (a
// notice); its answer is returned as it is, for the caller to bound by
// LastTrusted.
func (c *Client) PrimaryStatus(ctx context.Context) (*ctypes.ResultStatus, error) {
	p := c.currentPrimary()
	st, err := p.probeStatus(ctx)
	if err == nil && st != nil {
		c.checkClaim(p, st.SyncInfo.LatestBlockHeight)
	}
	return st, err
}

// tipClaim is one node's answer to "what is your newest block".
type tipClaim struct {
	e      *endpoint
	height int64
	err    error
}

// catchUp runs after light.Client.Update found nothing newer than prev.
// If that is because the primary's newest header is below prev, it asks
// the light client's witnesses for their tips and verifies the highest
// one above prev. It returns nil (and no error) when no node is ahead,
// or when the one that says it is cannot have its header verified and
// cross-checked: the caller then stays on prev, which is still proven,
// and the user is told. A header that fails verification or conflicts
// is an error, as anywhere else.
func (c *Client) catchUp(ctx context.Context, prev *types.LightBlock) (*types.LightBlock, error) {
	p, ok := c.lc.Primary().(*endpoint)
	if !ok {
		return nil, nil
	}
	tip := p.lastTip()
	if tip <= 0 || tip >= prev.Height {
		c.caughtUp(p)
		return nil, nil
	}
	c.noteBehind(p, tip, prev.Height)

	var others []*endpoint
	for _, w := range c.lc.Witnesses() {
		if e, ok := w.(*endpoint); ok && e != p {
			others = append(others, e)
		}
	}
	claims := askTips(ctx, others)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	var best, peer *tipClaim // the highest above prev; the highest at or above it
	var said []string
	for i := range claims {
		cl := &claims[i]
		switch {
		case cl.err != nil:
			said = append(said, fmt.Sprintf("witness %s did not say (%v)", cl.e.url, cl.err))
		case cl.height < prev.Height:
			c.noteBehind(cl.e, cl.height, prev.Height)
			said = append(said, fmt.Sprintf("witness %s says %d", cl.e.url, cl.height))
		case cl.height == prev.Height:
			c.caughtUp(cl.e)
			said = append(said, fmt.Sprintf("witness %s says %d", cl.e.url, cl.height))
		default:
			c.caughtUp(cl.e)
			if best == nil || cl.height > best.height {
				best = cl
			}
		}
		// A demoted node (demote.go) answers no queries, whatever its tip.
		if cl.err == nil && cl.height >= prev.Height && !cl.e.isDemoted() && (peer == nil || cl.height > peer.height) {
			peer = cl
		}
	}
	if best == nil {
		reason := "no witness is ahead of it"
		if len(said) > 0 {
			reason += ": " + strings.Join(said, "; ")
		}
		reason += c.servePeer(p, peer)
		c.notify(Notice{Kind: NoticeKeptTrusted, URL: p.url, Height: tip, TrustedHeight: prev.Height, Reason: reason, Time: c.cfg.Now()})
		return nil, nil
	}

	// Verify the witness's tip as any other header: skipping from the
	// store, cross-checked. The lagging primary lacks it, so the light
	// client takes a node that has it as primary (and says so).
	c.prefetchOthers(p, best.height)
	c.pivots.start(prev.Height, best.height)
	lb, err := c.lc.VerifyLightBlockAtHeight(ctx, best.height, c.cfg.Now())
	if err == nil {
		return lb, nil
	}
	if ctx.Err() != nil {
		return nil, err
	}
	terr := c.translate(err, best.height)
	var (
		noWit   *lightclient.ErrNoWitnesses
		unreach *lightclient.ErrUnreachable
		high    *lightclient.ErrHeightTooHigh
		gone    *lightclient.ErrHeightUnavailable
	)
	if !errors.As(terr, &noWit) && !errors.As(terr, &unreach) && !errors.As(terr, &high) && !errors.As(terr, &gone) {
		// A header that does not verify, or conflicts: that is
		// reported as such, whoever served it.
		return nil, err
	}
	// The witness's claim could not be made good (nobody else has its
	// header to cross-check it, or it went away): it proves nothing
	// either way, and the verified header stays the newest.
	reason := fmt.Sprintf("witness %s says its newest block is %d, but that header could not be verified: %v", best.e.url, best.height, terr)
	if cur, _ := c.lc.Primary().(*endpoint); cur == p {
		reason += c.servePeer(p, peer)
	}
	c.notify(Notice{Kind: NoticeKeptTrusted, URL: p.url, Height: tip, TrustedHeight: prev.Height, Reason: reason, Time: c.cfg.Now()})
	return nil, nil
}

// servePeer makes peer (a witness that says it has the verified header's
// height) answer queries while the primary p is behind: p cannot prove
// the state the answers rest on. Which node answers is no matter of
// trust — every answer is checked against the verified header — only of
// getting one. It returns what to add to the notice.
func (c *Client) servePeer(p *endpoint, peer *tipClaim) string {
	if peer == nil || peer.e == p {
		return ""
	}
	c.serveFrom(peer.e)
	return fmt.Sprintf("; queries go to witness %s, which says it has it", peer.e.url)
}

// serveFrom sets the node that answers queries instead of the primary
// (nil: the primary).
func (c *Client) serveFrom(e *endpoint) {
	c.nmu.Lock()
	c.server = e
	c.nmu.Unlock()
}

// askTips asks each node's /status in parallel (a node marked dead is not
// asked). The answers are in es's order.
func askTips(ctx context.Context, es []*endpoint) []tipClaim {
	out := make([]tipClaim, len(es))
	var wg sync.WaitGroup
	for i, e := range es {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i].e = e
			st, err := e.probeStatus(ctx)
			switch {
			case err != nil:
				out[i].err = err
			case st == nil:
				out[i].err = errors.New("empty /status answer")
			default:
				out[i].height = st.SyncInfo.LatestBlockHeight
			}
		}()
	}
	wg.Wait()
	return out
}
