package state

import (
	"fmt"
	"time"

	cmttypes "github.com/cometbft/cometbft/types"
)

// Freshness says how old a proven answer is: the verified header's block
// time against the local clock. A proof shows the state was so at that
// header; it cannot show that no newer header exists. A chain that halted
// and nodes that withhold newer blocks look the same to a light client,
// so the age is all there is to go on, and the user must see it.
type Freshness struct {
	// HeaderTime is the block time of the verified header at Height+1
	// (UTC).
	HeaderTime time.Time `json:"header_time"`
	// Age is how long before the answer that header was made (never
	// negative); AgeSeconds the same in whole seconds.
	Age        time.Duration `json:"-"`
	AgeSeconds int64         `json:"age_seconds"`
	// Stale is set when the newest verified state is older than the
	// Querier's bound (WithStaleAfter): the chain may have halted, or the
	// nodes are withholding new blocks. The answer is still proven.
	Stale bool `json:"stale"`
	// Historical is set when the caller asked for this height (At): old
	// by request, never stale.
	Historical bool `json:"historical"`
}

// Note says in words how old the state is when that matters: for a
// historical answer, that it was asked for; for a stale one, how old it
// is and what that may mean. Empty otherwise.
func (f Freshness) Note(height int64) string {
	switch {
	case f.Historical:
		return fmt.Sprintf("historical state at height %d, as asked (%s old)", height, AgeWords(f.Age))
	case f.Stale:
		return StaleWords(f.Age)
	}
	return ""
}

// StaleWords is what akw says about newest state that is age old.
func StaleWords(age time.Duration) string {
	return "state is " + AgeWords(age) + " old: the chain may have halted, or the nodes are withholding new blocks"
}

// AgeWords spells an age out for people: "40 seconds", "7 minutes",
// "3 hours", "2 days".
func AgeWords(d time.Duration) string {
	unit := func(n int64, one string) string {
		if n == 1 {
			return "1 " + one
		}
		return fmt.Sprintf("%d %ss", n, one)
	}
	switch {
	case d < 0:
		return "0 seconds"
	case d < 2*time.Minute:
		return unit(int64(d/time.Second), "second")
	case d < 2*time.Hour:
		return unit(int64(d/time.Minute), "minute")
	case d < 48*time.Hour:
		return unit(int64(d/time.Hour), "hour")
	}
	return unit(int64(d/(24*time.Hour)), "day")
}

// freshness measures lb against the Querier's clock and bound.
func (q *Querier) freshness(lb *cmttypes.LightBlock, historical bool) Freshness {
	age := q.now().Sub(lb.Time)
	if age < 0 {
		age = 0 // a header a little ahead of a slow local clock
	}
	return Freshness{
		HeaderTime: lb.Time.UTC(),
		Age:        age,
		AgeSeconds: int64(age / time.Second),
		Stale:      !historical && q.staleAfter > 0 && age > q.staleAfter,
		Historical: historical,
	}
}

// Freshness measures the view's verified header against the clock now
// (waiting for a pipelined view's header; zero if it failed).
func (v *View) Freshness() Freshness {
	lb := v.Header()
	if lb == nil {
		return Freshness{}
	}
	return v.q.freshness(lb, v.historical)
}
