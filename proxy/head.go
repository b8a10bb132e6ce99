package proxy

import (
	"context"
	"errors"
	"strconv"
	"time"

	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/akash-wallet/akw/lightclient"
	"github.com/akash-wallet/akw/lightclient/state"
)

// Freshness, as in `akw query`: "the newest state" is never older than
// the newest header the light client has verified (which also moves when
// a transaction's inclusion is proven), and the nodes are
// asked for a newer one whenever the last time is more than MaxAge ago.
// Concurrent requests share one such round (singleflight), and a
// background refresh every MaxAge/2 keeps requests from waiting on it.
// Failover is the wallet session's (Config.Failover): a primary that
// fails is replaced by a witness, one whose answer did not verify is
// demoted, and queries go to whichever node the light client uses.

// head is the newest verified header.
func (s *Server) head(ctx context.Context) (*cmttypes.LightBlock, error) {
	s.hmu.Lock()
	lb := s.newest
	s.hmu.Unlock()
	if lb != nil && s.fresh() {
		return lb, nil
	}
	return s.refresh(ctx)
}

// newestHeight is the height of the newest header verified (0: none yet).
func (s *Server) newestHeight() int64 {
	s.hmu.Lock()
	defer s.hmu.Unlock()
	if s.newest == nil {
		return 0
	}
	return s.newest.Height
}

// saw records a header the light client verified: the newest state
// never goes below it. Every verification of the proxy's passes here
// (refresh, verifiedAt), so the newest verified header is known without
// reading the store.
func (s *Server) saw(lb *cmttypes.LightBlock) {
	s.hmu.Lock()
	defer s.hmu.Unlock()
	if s.newest == nil || lb.Height > s.newest.Height {
		s.newest = lb
	}
}

// fresh reports whether the nodes were asked for a newer header less
// than MaxAge ago.
func (s *Server) fresh() bool {
	if s.cfg.MaxAge <= 0 {
		return false
	}
	s.hmu.Lock()
	defer s.hmu.Unlock()
	return s.cfg.Now().Sub(s.checkedAt) < s.cfg.MaxAge
}

// refresh asks the nodes for their newest header and verifies it (one
// round for all callers at once).
func (s *Server) refresh(ctx context.Context) (*cmttypes.LightBlock, error) {
	return shared(ctx, s, "latest", func(ctx context.Context) (*cmttypes.LightBlock, error) {
		asked := s.cfg.Now()
		lb, err := s.cfg.Headers.Latest(ctx)
		var busy *lightclient.ErrStoreBusy
		if errors.As(err, &busy) {
			// Another akw process holds the light-client store (a
			// transaction waiting for its inclusion holds it for seconds).
			// The newest header already verified still proves what it
			// proved: answer from it, as if the nodes had been asked,
			// and ask again after MaxAge (the answers say their height,
			// and X-Akw-Stale their age once it passes StaleAfter).
			s.hmu.Lock()
			defer s.hmu.Unlock()
			if s.newest == nil {
				return nil, err
			}
			if asked.After(s.checkedAt) {
				s.checkedAt = asked
			}
			return s.newest, nil
		}
		if err != nil {
			return nil, err
		}
		s.hmu.Lock()
		if asked.After(s.checkedAt) {
			s.checkedAt = asked
		}
		s.hmu.Unlock()
		s.headers.add(lb.Height, lb)
		s.saw(lb)
		// Latest never returns a header below the store's newest; one
		// verified meanwhile (a transaction's) may still be newer.
		s.hmu.Lock()
		lb = s.newest
		s.hmu.Unlock()
		return lb, nil
	})
}

// followHead keeps the head warm until the server closes.
func (s *Server) followHead() {
	if s.cfg.MaxAge <= 0 {
		return
	}
	s.follow.Add(1)
	go func() {
		defer s.follow.Done()
		t := time.NewTicker(s.cfg.MaxAge / 2)
		defer t.Stop()
		for {
			select {
			case <-s.base.Done():
				return
			case <-t.C:
				// Errors are for the requests to report; this only
				// saves them the wait.
				_, _ = s.refresh(s.base)
			}
		}
	}()
}

// verifiedAt is the verified light block at height, from the cache or
// the light client (one verification for all callers at once).
func (s *Server) verifiedAt(ctx context.Context, height int64) (*cmttypes.LightBlock, error) {
	if lb, ok := s.headers.get(height); ok {
		return lb, nil
	}
	return shared(ctx, s, "header/"+strconv.FormatInt(height, 10), func(ctx context.Context) (*cmttypes.LightBlock, error) {
		lb, err := s.cfg.Headers.VerifiedAt(ctx, height)
		if err != nil {
			return nil, err
		}
		if lb == nil || lb.SignedHeader == nil || lb.Header == nil || lb.Height != height {
			return nil, errors.New("the light client returned no header for the height asked")
		}
		s.headers.add(height, lb)
		s.saw(lb)
		return lb, nil
	})
}

// headerAt is verifiedAt for a height a client asked for (nil: the
// newest), checked as a node checks it.
func (s *Server) headerAt(ctx context.Context, height *int64) (*cmttypes.LightBlock, *callError) {
	if height == nil {
		lb, err := s.head(ctx)
		if err != nil {
			return nil, classify("the newest header", err)
		}
		return lb, nil
	}
	if *height <= 0 {
		return nil, nodeSays(errors.New("height must be greater than 0, but got " + strconv.FormatInt(*height, 10)))
	}
	lb, err := s.verifiedAt(ctx, *height)
	if err != nil {
		return nil, classify("header "+strconv.FormatInt(*height, 10), err)
	}
	return lb, nil
}

// view is the proven state a query asks for: at height (the state
// height; header height+1 commits it), or the newest (height 0).
func (s *Server) view(ctx context.Context, height int64) (*state.View, *callError) {
	var (
		lb  *cmttypes.LightBlock
		err error
	)
	switch {
	case height < 0:
		return nil, nodeSays(errors.New("cannot query with height < 0; please provide a valid height"))
	case height == 0:
		lb, err = s.head(ctx)
	default:
		lb, err = s.verifiedAt(ctx, height+1)
	}
	if err != nil {
		var tooHigh *lightclient.ErrHeightTooHigh
		if errors.As(err, &tooHigh) {
			return nil, nodeSays(errors.New("cannot query with height in the future; please provide a valid height"))
		}
		return nil, classify("the header that commits the state", err)
	}
	v, err := s.cfg.Views.Pin(lb)
	if err != nil {
		return nil, classify("the state", err)
	}
	return v, nil
}

// staleNote says how old the header an answer rests on is, when that is
// older than StaleAfter.
func (s *Server) staleNote(lb *cmttypes.LightBlock) string {
	if s.cfg.StaleAfter <= 0 || lb == nil {
		return ""
	}
	age := s.cfg.Now().Sub(lb.Time)
	if age <= s.cfg.StaleAfter {
		return ""
	}
	return "header " + strconv.FormatInt(lb.Height, 10) + ": " + state.StaleWords(age)
}
