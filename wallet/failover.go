package wallet

import (
	"context"
	"errors"
	"time"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/lightclient/state"
)

// The failover policy, in one place for every face and every operation
// that reads the chain:
//
//   - The light client falls over to a witness when its own requests to
//     the primary fail. A primary that dies between the header and the
//     proofs (or the simulation) fails those alone, so an operation that
//     fails for the network is run once more, after the light client has
//     been brought up to date: it finds the primary gone and takes a
//     witness (and says so). Nothing was shown or signed before: answers
//     are returned whole, and nothing is signed before the checks pass.
//   - A node whose answer does not verify (a proof that does not check
//     out, a malformed answer) has lied or is broken. The operation fails
//     with the verification error — nothing from the answer is shown —
//     naming the node, with a witness to use instead (the remedy). A
//     long-lived session also demotes the node for the rest of the
//     session (trusted.Client.Demote), so that one lying node cannot deny
//     it service forever; a command just ends.

// View says which verified state a query wants.
type View struct {
	// Height asks for the state at this height: a deliberate look at the
	// past, labelled historical.
	Height int64
	// MaxAge lets the view rest on the newest header already verified if
	// it is younger than this, without asking the nodes for a newer one.
	MaxAge time.Duration
	// Pipelined verifies the newest header while the proofs are fetched:
	// one round trip when the newest height is predicted right
	// (state.Querier.Newest), two otherwise, instead of three; the context
	// must then stay live until the query's first answer.
	Pipelined bool
}

// Query runs q on a view of proven state, with the failover policy. q may
// be run more than once (state.Querier.Newest reads again at another
// height when the one it chose was not there; the failover runs the whole
// query again) and must not show anything before it returns.
func (s *Session) Query(ctx context.Context, v View, q func(ctx context.Context, v *state.View) error) (err error) {
	if s.state == nil {
		return errOffline
	}
	return s.withFailover(ctx, "trying again through the witnesses", func() (err error) {
		defer guard(&err, "the query")
		if v.Pipelined && v.Height <= 0 && v.MaxAge <= 0 {
			// One round trip when the newest height is predicted right.
			return s.state.Newest(ctx, func(view *state.View) error { return q(ctx, view) })
		}
		view, err := s.view(ctx, v)
		if err != nil {
			return err
		}
		return q(ctx, view)
	})
}

// Failover runs op with the failover policy, for a face that picks and
// pins its verified headers itself (the proxy: one header and one proven
// answer shared by many clients). op is run at most twice and must not
// show anything before it returns; a node whose answer did not verify is
// named and, in a long-lived session, demoted, so that what follows is
// asked of a witness.
func (s *Session) Failover(ctx context.Context, op func(ctx context.Context) error) error {
	if s.state == nil {
		return errOffline
	}
	return s.withFailover(ctx, "trying again through the witnesses", func() (err error) {
		defer guard(&err, "the query")
		return op(ctx)
	})
}

func (s *Session) view(ctx context.Context, v View) (*state.View, error) {
	switch {
	case v.Height > 0:
		return s.state.At(ctx, v.Height)
	case v.MaxAge > 0:
		view, err := s.state.Recent(ctx, v.MaxAge)
		var early *state.ErrTooEarly
		if errors.As(err, &early) {
			// The stored header is too low to prove state from; a newer
			// one (verified just the same) may not be.
			return s.state.Latest(ctx)
		}
		return view, err
	case v.Pipelined:
		return s.state.LatestPipelined(ctx)
	}
	return s.state.Latest(ctx)
}

// withFailover runs op, and once more through the witnesses when it
// failed for the network (telling the user, with retry saying what is
// done again); a verification failure by a node is dealt with as the
// policy says.
func (s *Session) withFailover(ctx context.Context, retry string, op func() error) error {
	err := op()
	// State no node holds (errkind.Unproven) was asked of the witnesses
	// already: asking again only repeats their refusals.
	if err != nil && s.light != nil && ctx.Err() == nil && len(s.cfg.Network.Witnesses) > 0 &&
		errkind.KindOf(err) == errkind.Network {
		s.notify("%v; %s", err, retry)
		// Brought up to date, the light client finds a dead primary gone
		// and takes a witness.
		if _, uerr := s.light.Update(ctx); uerr != nil {
			return s.liar(uerr)
		}
		err = op()
	}
	return s.liar(err)
}

// liar applies the policy to a node whose answer did not verify: the
// error names a witness to use instead, and a long-lived session demotes
// the node.
func (s *Session) liar(err error) error {
	var pe *state.ErrProof
	if err == nil || !errors.As(err, &pe) || pe.Node == "" || s.light == nil {
		return err
	}
	instead := ""
	for _, w := range s.cfg.Network.Witnesses {
		if w != pe.Node {
			instead = w
			break
		}
	}
	if s.cfg.LongLived {
		// Demote notifies (the light client's notice) and returns who
		// serves from now on; with no witness left, nothing changes.
		if to, derr := s.light.Demote(pe.Node, pe.Error()); derr == nil && to != pe.Node {
			instead = to
		}
	}
	if instead == "" {
		return err
	}
	return errkind.With(errkind.KindOf(err), err, errkind.Hint{
		Text:   "nothing from this answer is shown",
		Remedy: errkind.Remedy{Do: errkind.OtherNode, Subject: instead},
	})
}
