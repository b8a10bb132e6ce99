package trusted

import "sync"

// pivots follows cometbft's skipping verification (light/client.go
// verifySkipping) from the heights it asks the primary for, and names the
// heights it may ask for next, so that they can be fetched while the
// current one is in flight. It changes nothing the light client verifies:
// a guess only fills the endpoint's cache.
//
// The algorithm keeps a verified height v and a stack of fetched but not
// yet verifiable heights, the target first. When the lowest of them, u,
// cannot be verified from v, it fetches the pivot v + (u-v)*9/16. When a
// stacked height verifies, it becomes v and the heights below it are
// dropped. So each height it asks for is pivot(v', u') for some v' and the
// u' just above it in the stack; from the request the state can be
// followed exactly, and the next request is one of two: pivot(v, h) if h
// does not verify, pivot(h, u) if it does.
type pivots struct {
	mu     sync.Mutex
	active bool
	v      int64
	stack  []int64 // unverified heights, highest (the target) first
	hits   int     // requests that had been predicted (for tests)
	asked  int
	guess  map[int64]bool
}

func pivot(v, u int64) int64 {
	// As verifySkipping computes it (verifySkippingNumerator/Denominator).
	return v + (u-v)*9/16
}

// start begins following a verification from trusted height v to target.
func (p *pivots) start(v, target int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if target <= v+1 {
		p.active = false
		return
	}
	p.active, p.v, p.stack = true, v, []int64{target}
	p.guess = map[int64]bool{}
}

func (p *pivots) stop() {
	p.mu.Lock()
	p.active = false
	p.mu.Unlock()
}

// observe records a request for height h and returns the heights to fetch
// ahead.
func (p *pivots) observe(h int64) []int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.active {
		return nil
	}
	p.asked++
	if p.guess[h] {
		p.hits++
	}
	last := len(p.stack) - 1
	switch {
	case h == p.stack[0]:
		return nil // the target itself
	case h == pivot(p.v, p.stack[last]):
		// The lowest stacked height failed from v.
	default:
		found := false
		for i := last; i >= 1; i-- {
			if h == pivot(p.stack[i], p.stack[i-1]) {
				// stack[i] verified; stack[i-1] did not verify from it.
				p.v, p.stack = p.stack[i], p.stack[:i]
				found = true
				break
			}
		}
		if !found {
			p.active = false // lost track: guess nothing rather than wrong
			return nil
		}
	}
	u := p.stack[len(p.stack)-1]
	p.stack = append(p.stack, h)
	var next []int64
	for _, n := range []int64{pivot(p.v, h), pivot(h, u)} {
		if n > p.v && n != h && n < u && !p.guess[n] {
			p.guess[n] = true
			next = append(next, n)
		}
	}
	return next
}
