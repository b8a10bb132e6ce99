package testctx

import (
	"testing"
	"time"
)

func TestNewEndsBeforeTheBinarysDeadline(t *testing.T) {
	ctx := New(t)
	td, ok := t.Deadline()
	if !ok {
		if _, has := ctx.Deadline(); has {
			t.Fatal("a context with a deadline although the test binary has none")
		}
		return
	}
	cd, ok := ctx.Deadline()
	if !ok {
		t.Fatal("no deadline although the test binary has one")
	}
	if !cd.Before(td) {
		t.Fatalf("context deadline %v is not before the binary's %v", cd, td)
	}
}

func TestGrace(t *testing.T) {
	for _, c := range []struct{ in, want time.Duration }{
		{time.Second, 5 * time.Second},
		{2 * time.Minute, 12 * time.Second},
		{25 * time.Minute, time.Minute},
	} {
		if got := grace(c.in); got != c.want {
			t.Errorf("grace(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestNewEndsWithTheTest(t *testing.T) {
	var ctx interface{ Err() error }
	t.Run("inner", func(t *testing.T) { ctx = New(t) })
	if ctx.Err() == nil {
		t.Fatal("the context outlived its test")
	}
}
