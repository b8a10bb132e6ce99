package wallet

import (
	"context"
	"errors"
	"testing"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/lightclient/state"
)

// A panic in code that decodes a node's answer, below the wallet, is
// refused like an answer that does not check out: ErrPanic, exit 3.
func TestGuardTurnsPanicIntoVerificationError(t *testing.T) {
	decode := func() (err error) {
		defer guard(&err, "the simulation")
		var m map[string]int
		m["gas"] = 1 // assignment to a nil map panics
		return nil
	}
	err := decode()
	var pe *state.ErrPanic
	if !errors.As(err, &pe) || pe.What != "the simulation" || errkind.KindOf(err) != errkind.Verification {
		t.Fatalf("got %T %v", err, err)
	}
	ok := func() (err error) {
		defer guard(&err, "nothing")
		return errors.New("plain")
	}
	if err := ok(); err == nil || err.Error() != "plain" {
		t.Fatalf("an error without a panic changed: %v", err)
	}
}

// Blocking returns the call's result; a panic in the call is an error,
// not the end of the process; a cancelled context returns at once while
// the call is still blocked.
func TestBlocking(t *testing.T) {
	ctx := context.Background()
	if v, err := Blocking(ctx, func() (int, error) { return 7, nil }); v != 7 || err != nil {
		t.Fatalf("got %d, %v", v, err)
	}
	_, err := Blocking(ctx, func() (int, error) { var p *int; return *p, nil })
	if err == nil || errkind.KindOf(err) != errkind.Failure {
		t.Fatalf("panic: %v", err)
	}

	cctx, cancel := context.WithCancel(ctx)
	release, started := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		_, err := Blocking(cctx, func() (int, error) { close(started); <-release; return 1, nil })
		done <- err
	}()
	<-started
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
	close(release)
}
