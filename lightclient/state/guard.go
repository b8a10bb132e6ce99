package state

import (
	"fmt"

	"golang.org/x/sync/errgroup"

	"github.com/akash-wallet/akw/errkind"
)

// Nothing a node sends, and no proven value however odd, may crash akw:
// the command line must exit 3 and the TUI raise its alarm instead. The
// proof package already refuses any proof that ICS23 or the SDK's proof
// code panics on. What this package adds on top — decoding proven values
// (protobuf, Any, addresses, public keys) and arithmetic on them
// (LegacyDec panics on overflow and division by zero) — is guarded at two
// boundaries, each in one place:
//
//   - every exported View method starts with `defer guard(&out, &err, ...)`
//     (TestExportedViewMethodsAreGuarded checks that none is missed);
//   - every goroutine the package starts runs under goGuarded or recovers
//     itself: a panic in a goroutine cannot be recovered by its caller and
//     ends the whole process, whatever the caller does.
//
// A recovered panic becomes ErrPanic (verification, exit 3): nothing from
// the answer is shown.

// guard turns a panic in the method that defers it into ErrPanic about
// what, clearing the method's other result.
func guard[T any](out *T, err *error, what string) {
	if r := recover(); r != nil {
		var zero T
		*out, *err = zero, panicked(what, r)
	}
}

// goGuarded is g.Go with a panic in f returned as its error (ErrPanic).
func goGuarded(g *errgroup.Group, what string, f func() error) {
	g.Go(func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = panicked(what, r)
			}
		}()
		return f()
	})
}

func panicked(what string, r any) error { return &ErrPanic{What: what, Value: r} }

// ErrPanic means that checking or interpreting an answer made the code
// panic, and the panic was recovered: the answer is refused (exit 3),
// nothing from it is shown. Fuzz targets look for it: the guard keeps akw
// alive, but the input it caught deserves a check of its own.
type ErrPanic struct {
	What  string
	Value any
}

func (e *ErrPanic) Error() string {
	return fmt.Sprintf("checking %s stopped on a value it cannot handle: %v", e.What, e.Value)
}
func (e *ErrPanic) Kind() errkind.Kind { return errkind.Verification }
func (e *ErrPanic) Hint() string {
	return "nothing from this answer is shown; if it persists with other nodes, report it"
}
func (e *ErrPanic) Remedy() errkind.Remedy { return errkind.Remedy{Do: errkind.OtherNode} }
