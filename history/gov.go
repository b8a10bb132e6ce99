package history

import (
	"strconv"

	sdk "github.com/cosmos/cosmos-sdk/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	govv1beta1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1beta1"
)

// Governance deposits leave the balance in a transaction (a deposit, a
// proposal's initial deposit: proven rows) and come back — or are burnt,
// after a veto or a failed quorum when the chain's parameters say so —
// in the gov module's end-blocker, in no transaction. What the
// end-blocker did is in the block's finalize-block events, which no
// header commits (LastResultsHash commits the transactions' results
// only), so a node could report any refund; proving it from state needs
// the deposits store before and after that block, which a pruning node
// (most public ones) no longer holds when the export is made. So the
// history shows no refund, and every export that holds a deposit says
// so (GovDepositNote) rather than be silently incomplete; Reconcile
// counts a refund in its difference.

// GovDepositNote is what an export says when it holds governance
// deposits.
const GovDepositNote = "governance deposits are written as sent; their return (or burn, after a veto or a failed quorum) when the proposal's vote ends happens at the end of a block, in no transaction, and is not in the export: add it from the proposal's outcome (akw query proposal ID), or see it in a --reconcile difference"

// submittedProposals are the ids of the proposals a transaction created,
// read from its proven result data (each MsgSubmitProposalResponse); nil
// when the data names none or does not decode.
func submittedProposals(data []byte) []uint64 {
	var d sdk.TxMsgData
	if len(data) == 0 || d.Unmarshal(data) != nil {
		return nil
	}
	v1 := sdk.MsgTypeURL(&govv1.MsgSubmitProposalResponse{})
	v1beta1 := sdk.MsgTypeURL(&govv1beta1.MsgSubmitProposalResponse{})
	var ids []uint64
	for _, a := range d.MsgResponses {
		if a == nil {
			continue
		}
		switch a.TypeUrl {
		case v1:
			var r govv1.MsgSubmitProposalResponse
			if r.Unmarshal(a.Value) == nil {
				ids = append(ids, r.ProposalId)
			}
		case v1beta1:
			var r govv1beta1.MsgSubmitProposalResponse
			if r.Unmarshal(a.Value) == nil {
				ids = append(ids, r.ProposalId)
			}
		}
	}
	return ids
}

// nameProposal sets the proposal of a new proposal's initial deposit
// from the proven result data, when the transaction made exactly one
// proposal and the address made one initial deposit: the message a
// response answers is its position, which the movements do not keep.
func nameProposal(e *Effects, data []byte) {
	var initial []int
	for i, m := range e.Movements {
		if m.Kind == KindDeposit && m.Counterparty == CounterpartyGov && m.Proposal == 0 {
			initial = append(initial, i)
		}
	}
	if len(initial) != 1 {
		return
	}
	if ids := submittedProposals(data); len(ids) == 1 {
		e.Movements[initial[0]].Proposal = ids[0]
		e.Movements[initial[0]].Detail += " (proposal " + strconv.FormatUint(ids[0], 10) + ")"
	}
}
