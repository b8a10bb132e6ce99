package backend

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-wallet/akw/tui"
	"github.com/akash-wallet/akw/tx"
	"github.com/akash-wallet/akw/tx/amount"
	"github.com/akash-wallet/akw/tx/flow"
	"github.com/akash-wallet/akw/tx/ops"
	"github.com/akash-wallet/akw/wallet"
)

// opRequest is what the user asked for, as tx/ops.Parse (the parser the
// command line uses too) takes it.
func opRequest(req tui.TxRequest) ops.Request {
	switch req.Kind {
	case tui.TxSend:
		return ops.Request{Kind: ops.KindSend, To: req.To, Amount: req.Amount}
	case tui.TxDelegate:
		return ops.Request{Kind: ops.KindDelegate, To: req.To, Amount: req.Amount}
	case tui.TxUndelegate:
		return ops.Request{Kind: ops.KindUndelegate, To: req.To, Amount: req.Amount}
	case tui.TxRedelegate:
		return ops.Request{Kind: ops.KindRedelegate, Src: req.Src, To: req.To, Amount: req.Amount}
	case tui.TxClaim:
		return ops.Request{Kind: ops.KindWithdrawRewards, All: true}
	case tui.TxVote:
		return ops.Request{Kind: ops.KindVote, ProposalID: strconv.FormatUint(req.ProposalID, 10), Option: req.Option}
	}
	return ops.Request{Kind: ops.Kind(req.Kind.String())}
}

var errReadOnly = tx.Inputf("start akw with a node and a keyring to send transactions", "this session is read-only")

// Plan prepares the transaction through the wallet (wallet.Prepare: the
// checks against proven state, the account's number and sequence, gas and
// fee, the balance before and after, the operation's warnings, and for a
// Ledger what the device will show) and says it in the review screen's
// terms.
func (b *Backend) Plan(ctx context.Context, req tui.TxRequest) (*tui.TxPlan, error) {
	if !b.s.Online() || b.s.Keyring() == nil {
		return nil, errReadOnly
	}
	key, err := b.s.Signer(ctx, req.From.Name, false)
	if err != nil {
		return nil, err
	}
	build, err := b.opBuilder(req, key.Address)
	if err != nil {
		return nil, err
	}
	opts := flow.Options{Gas: b.cfg.Gas, Memo: req.Memo}
	var p *wallet.Plan
	if build != nil {
		p, err = b.s.PrepareOp(ctx, build, key, opts)
	} else {
		p, err = b.s.Prepare(ctx, opRequest(req), key, opts)
	}
	if err != nil {
		return nil, err
	}
	ledger := key.Record.GetLedger() != nil
	out := &tui.TxPlan{Request: req, Fee: p.Fee, Gas: p.Gas, GasEstimated: p.GasSimulated > 0, Opaque: p}
	out.Summary = summary(req, key.Name, ledger)
	// The operation's own warnings (a fee above the rewards claimed, ...)
	// first: the same the command line shows in its review.
	out.Warnings = append(out.Warnings, p.Warnings...)
	out.Warnings = append(out.Warnings, p.Notes...)
	for _, f := range p.Summary {
		switch f.Label {
		case "action":
		case "note":
			out.Warnings = append(out.Warnings, f.Value)
		default:
			out.Lines = append(out.Lines, tui.PlanLine{Label: capitalise(f.Label), Value: f.Value})
		}
	}
	if req.Memo != "" {
		// What an exchange needs to credit a deposit (a contact's memo
		// is the default): shown before signing, as it is sent.
		out.Lines = append(out.Lines, tui.PlanLine{Label: "Memo", Value: req.Memo})
	}
	if p.Balance != nil && p.Balance.Verified {
		out.Height = p.Balance.Height
		out.BalanceBefore = sdk.NewCoin(p.Balance.Denom, p.Balance.Spendable)
		if p.After != nil {
			out.BalanceAfter = sdk.NewCoin(p.Balance.Denom, *p.After)
		}
	}
	d := p.Denoms()
	for _, s := range p.Review {
		v := s.Value
		if s.Coin != nil {
			if _, ok := d.Lookup(s.Coin.Denom); ok {
				// The device shows base units; the same amount in the
				// display unit beside, to compare with the review above.
				v += " (" + amount.FormatCoin(*s.Coin, d) + ")"
			}
		}
		out.DeviceShows = append(out.DeviceShows, tui.PlanLine{Label: s.Title, Value: v})
	}
	return out, nil
}

// stages are the TUI's names for the wallet's.
var stages = map[wallet.Stage]tui.TxStage{
	wallet.StageSigning:        tui.StageSigning,
	wallet.StageAwaitingDevice: tui.StageAwaitingDevice,
	wallet.StageBroadcasting:   tui.StageBroadcasting,
	wallet.StageSent:           tui.StageBroadcast,
	wallet.StageIncluded:       tui.StageIncluded,
	wallet.StageProven:         tui.StageVerified,
}

// Execute sends the plan's transaction through the wallet (wallet.Send:
// sign, broadcast, follow until inclusion and result are proven — the
// command line's one path), each stage an event for the progress screen.
func (b *Backend) Execute(ctx context.Context, tp *tui.TxPlan, events chan<- tui.TxEvent) (*tui.TxResult, error) {
	p, ok := tp.Opaque.(*wallet.Plan)
	if !ok || p == nil {
		return nil, errors.New("the plan was not made by this backend")
	}
	res, err := b.s.Send(ctx, p, func(ev wallet.Event) {
		select {
		case events <- tui.TxEvent{Stage: stages[ev.Stage], TxHash: ev.TxHash, Height: ev.Height}:
		case <-ctx.Done():
		}
	})
	if res == nil {
		return nil, err
	}
	out := &tui.TxResult{TxHash: res.TxHash, Height: res.Height, Code: res.Code, Log: res.Log, Verified: res.Verified, Note: res.DuplicateNote()}
	var rej *tx.RejectedError
	if res.Height > 0 && errors.As(err, &rej) {
		return out, nil // shown from Code and Log
	}
	return out, err
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func summary(req tui.TxRequest, name string, ledger bool) string {
	named := func(addr, name string) string {
		if name == "" {
			return addr
		}
		return name + " (" + addr + ")"
	}
	req.To, req.Src = named(req.To, req.ToName), named(req.Src, req.SrcName)
	who := name
	if ledger {
		who += " (Ledger)"
	}
	switch req.Kind {
	case tui.TxSend:
		return "Send " + req.Amount + " from " + who + " to " + req.To + "."
	case tui.TxDelegate:
		return "Delegate " + req.Amount + " from " + who + " to " + req.To + "."
	case tui.TxRedelegate:
		return "Move " + req.Amount + " of " + who + "'s stake from " + req.Src + " to " + req.To + "."
	case tui.TxUndelegate:
		return "Undelegate " + req.Amount + " of " + who + "'s stake from " + req.To + "."
	case tui.TxClaim:
		return "Claim the pending staking rewards of " + who + " from every validator."
	case tui.TxVote:
		return fmt.Sprintf("Vote %s on proposal #%d as %s.", req.Option, req.ProposalID, who)
	case tui.TxRevoke:
		return "Revoke the grant " + who + " gave " + req.Grantee + " for " + req.MsgType + "."
	case tui.TxAutoCompound:
		return "Let the bot " + req.Grantee + " auto-compound " + who + "'s staking rewards with " + req.To + " (REStake)."
	case tui.TxDeposit:
		return fmt.Sprintf("Deposit %s from %s on proposal #%d.", req.Amount, who, req.ProposalID)
	}
	return req.Kind.String()
}
