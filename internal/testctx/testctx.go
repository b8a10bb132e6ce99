// Package testctx gives tests a context that waits for the state a test
// needs for as long as the test binary may run, not for a wall-clock
// margin of its own.
//
// A test that starts a devnet and waits for a height, an upgrade or a
// transaction must not fail because a shared, busy machine took four
// minutes where an idle one takes forty seconds. The only bound is
// `go test -timeout`; these contexts end a little before it, so that a
// test whose state never comes fails with its own message and runs its
// cleanups (stopping the devnet, printing its log) instead of being
// killed by the testing package with every goroutine's stack.
package testctx

import (
	"context"
	"flag"
	"testing"
	"time"
)

// processStart approximates when the test binary started: `go test
// -timeout` counts from there.
var processStart = time.Now()

// New returns a context for t that ends when the test ends, or shortly
// before the test binary's -timeout, whichever comes first.
func New(t testing.TB) context.Context {
	ctx := t.Context()
	d, ok := t.(interface{ Deadline() (time.Time, bool) })
	if !ok {
		return ctx // a benchmark: b.N loops have no deadline of their own
	}
	deadline, ok := d.Deadline()
	if !ok {
		return ctx
	}
	ctx, cancel := context.WithDeadline(ctx, deadline.Add(-grace(time.Until(deadline))))
	t.Cleanup(cancel)
	return ctx
}

// ForMain is New for TestMain, which has no *testing.T: it reads the
// -test.timeout flag (flag.Parse must have run). The caller cancels it.
func ForMain() (context.Context, context.CancelFunc) {
	f := flag.Lookup("test.timeout")
	if f == nil {
		return context.WithCancel(context.Background())
	}
	g, ok := f.Value.(flag.Getter)
	if !ok {
		return context.WithCancel(context.Background())
	}
	timeout, _ := g.Get().(time.Duration)
	if timeout <= 0 {
		return context.WithCancel(context.Background())
	}
	deadline := processStart.Add(timeout)
	return context.WithDeadline(context.Background(), deadline.Add(-grace(time.Until(deadline))))
}

// grace is what is kept back from a deadline that far away: a tenth of
// it, between 5 s and a minute.
func grace(remaining time.Duration) time.Duration {
	g := remaining / 10
	return min(max(g, 5*time.Second), time.Minute)
}
