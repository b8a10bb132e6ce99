package tui

import (
	"context"
	"fmt"

	"github.com/akash-wallet/akw/errkind"
)

// guarded is the TUI's one boundary with its Backend. Every Backend call
// runs inside a tea.Cmd, on a goroutine Bubble Tea starts, and Bubble
// Tea answers a panic there by restoring the terminal and ending the
// program. The libraries refuse whatever a node sends without panicking
// (lightclient/proof and lightclient/state recover at their own
// boundaries); this is the last line, for everything else: a panic in a
// Backend call becomes a PanicError that the screen shows like any
// failure (its values cleared), and the UI lives on.
type guarded struct{ be Backend }

// PanicError is a Backend call that panicked instead of answering.
type PanicError struct {
	Op    string // the Backend method
	Value any    // what it panicked with
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("%s stopped on an unexpected error: %v (nothing from it is shown)", e.Op, e.Value)
}
func (e *PanicError) Kind() errkind.Kind { return errkind.Failure }
func (e *PanicError) Hint() string {
	return "this is a bug in akw; please report it with this message. Press r to retry"
}

// recoverInto is deferred by every guarded method with its error result.
func recoverInto(err *error, op string) {
	if r := recover(); r != nil {
		*err = &PanicError{Op: op, Value: r}
	}
}

var _ Backend = guarded{}

func (g guarded) Chain() ChainInfo { return g.be.Chain() }

func (g guarded) Keys(ctx context.Context) (ks []Key, err error) {
	defer recoverInto(&err, "Keys")
	return g.be.Keys(ctx)
}

func (g guarded) Status(ctx context.Context) (st LightStatus, err error) {
	defer recoverInto(&err, "Status")
	return g.be.Status(ctx)
}

func (g guarded) Portfolio(ctx context.Context, address string) (p *Portfolio, err error) {
	defer recoverInto(&err, "Portfolio")
	return g.be.Portfolio(ctx, address)
}

func (g guarded) Validators(ctx context.Context, delegator string) (s *ValidatorSet, err error) {
	defer recoverInto(&err, "Validators")
	return g.be.Validators(ctx, delegator)
}

func (g guarded) Proposals(ctx context.Context, voter string) (ps []Proposal, err error) {
	defer recoverInto(&err, "Proposals")
	return g.be.Proposals(ctx, voter)
}

func (g guarded) DepositProposals(ctx context.Context) (ps []Proposal, err error) {
	defer recoverInto(&err, "DepositProposals")
	return g.be.DepositProposals(ctx)
}

func (g guarded) Grants(ctx context.Context, address string) (s *GrantSet, err error) {
	defer recoverInto(&err, "Grants")
	return g.be.Grants(ctx, address)
}

func (g guarded) History(ctx context.Context, address, cursor string) (p *HistoryPage, err error) {
	defer recoverInto(&err, "History")
	return g.be.History(ctx, address, cursor)
}

func (g guarded) Contacts(ctx context.Context) (cs []Contact, err error) {
	defer recoverInto(&err, "Contacts")
	return g.be.Contacts(ctx)
}

func (g guarded) CheckField(field Field, value string) (err error) {
	defer recoverInto(&err, "CheckField")
	return g.be.CheckField(field, value)
}

func (g guarded) Plan(ctx context.Context, req TxRequest) (p *TxPlan, err error) {
	defer recoverInto(&err, "Plan")
	return g.be.Plan(ctx, req)
}

func (g guarded) Execute(ctx context.Context, plan *TxPlan, events chan<- TxEvent) (r *TxResult, err error) {
	defer recoverInto(&err, "Execute")
	return g.be.Execute(ctx, plan, events)
}

func (g guarded) CreateKey(ctx context.Context, name string) (k Key, mnemonic string, err error) {
	defer recoverInto(&err, "CreateKey")
	return g.be.CreateKey(ctx, name)
}

func (g guarded) RecoverKey(ctx context.Context, name, mnemonic string) (k Key, err error) {
	defer recoverInto(&err, "RecoverKey")
	return g.be.RecoverKey(ctx, name, mnemonic)
}

func (g guarded) AddLedgerKey(ctx context.Context, name string, account, index uint32) (k Key, err error) {
	defer recoverInto(&err, "AddLedgerKey")
	return g.be.AddLedgerKey(ctx, name, account, index)
}

func (g guarded) ShowOnDevice(ctx context.Context, name string) (err error) {
	defer recoverInto(&err, "ShowOnDevice")
	return g.be.ShowOnDevice(ctx, name)
}
