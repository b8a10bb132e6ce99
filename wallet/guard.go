package wallet

import (
	"context"
	"errors"
	"fmt"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/lightclient/state"
)

// guard is the wallet's boundary with what nodes send. The light client's
// packages refuse whatever a node sends without panicking (lightclient/
// proof and lightclient/state recover at their own boundaries); the
// transaction code decodes node answers too — a simulation's gas, a
// broadcast's result, proven accounts, balances and validators, with
// arithmetic on them — and every face reaches it through this package. So
// a panic there is recovered here, once, for both faces, and refused like
// an answer that does not check out (state.ErrPanic, exit 3): no answer
// from a node, however malformed, may end an akw process.
func guard(err *error, what string) {
	if r := recover(); r != nil {
		*err = &state.ErrPanic{What: what, Value: r}
	}
}

var errOffline = errkind.With(errkind.Usage, errors.New("this session is offline: no node to ask"),
	errkind.Hint{Remedy: errkind.Remedy{Do: errkind.FixSetting, Subject: "node"}})

// Blocking runs a call that takes no context (a keyring, a Ledger) so that
// the caller's cancellation still returns at once. The call itself
// finishes in the background; its result is dropped.
func Blocking[T any](ctx context.Context, f func() (T, error)) (T, error) {
	type res struct {
		v   T
		err error
	}
	ch := make(chan res, 1)
	go func() {
		var r res
		defer func() {
			if p := recover(); p != nil {
				r.err = errkind.With(errkind.Failure, fmt.Errorf("stopped on an unexpected error: %v", p), errkind.Hint{})
			}
			ch <- r
		}()
		r.v, r.err = f()
	}()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}
