package history

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"
	"time"

	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	govv1beta1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1beta1"
	"github.com/cosmos/gogoproto/proto"

	"github.com/akash-wallet/akw/tx/amount"
)

// txData is a transaction's result data as the SDK writes it: the
// messages' responses, packed.
func txData(t testing.TB, responses ...proto.Message) []byte {
	t.Helper()
	var d sdk.TxMsgData
	for _, r := range responses {
		a, err := codectypes.NewAnyWithValue(r)
		if err != nil {
			t.Fatal(err)
		}
		d.MsgResponses = append(d.MsgResponses, a)
	}
	bz, err := d.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return bz
}

// A new proposal's initial deposit is named by the proposal id its proven
// result carries; a deposit names its proposal from the bytes. The export
// writes every governance deposit as sent, says on its line that the
// return is not in the export, and its summary counts them, names their
// proposals and carries GovDepositNote. An export without one has no note.
func TestGovDeposits(t *testing.T) {
	d := testDecoder(t)
	a := testAddr(1)
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

	submit := &govv1.MsgSubmitProposal{Proposer: a, Title: "t", InitialDeposit: uakt(10_000_000)}
	e := d.Effects(buildTx(t, d, uakt(5000), "", "", submit), a, true, nil)
	nameProposal(&e, txData(t, &govv1.MsgSubmitProposalResponse{ProposalId: 12}))
	if m := e.Movements[0]; m.Kind != KindDeposit || m.Proposal != 12 || m.Detail != "initial deposit of a new proposal (proposal 12)" {
		t.Fatalf("initial deposit: %+v", m)
	}
	deposit := d.Effects(buildTx(t, d, uakt(5000), "", "", &govv1.MsgDeposit{ProposalId: 4, Depositor: a, Amount: uakt(1)}), a, true, nil)
	if deposit.Movements[0].Proposal != 4 {
		t.Fatalf("deposit: %+v", deposit.Movements[0])
	}

	// Result data that names no proposal, or two, or does not decode,
	// names nothing.
	for name, data := range map[string][]byte{
		"none":      nil,
		"garbage":   []byte("garbage"),
		"other":     txData(t, &banktypes.MsgSendResponse{}),
		"two":       txData(t, &govv1.MsgSubmitProposalResponse{ProposalId: 1}, &govv1beta1.MsgSubmitProposalResponse{ProposalId: 2}),
		"truncated": txData(t, &govv1.MsgSubmitProposalResponse{ProposalId: 300})[:6],
	} {
		e := d.Effects(buildTx(t, d, uakt(5000), "", "", submit), a, true, nil)
		nameProposal(&e, data)
		if e.Movements[0].Proposal != 0 || e.Movements[0].Detail != "initial deposit of a new proposal" {
			t.Errorf("%s: %+v", name, e.Movements[0])
		}
	}
	if got := submittedProposals(txData(t, &govv1beta1.MsgSubmitProposalResponse{ProposalId: 9})); !slices.Equal(got, []uint64{9}) {
		t.Errorf("legacy response: %v", got)
	}

	var buf bytes.Buffer
	sum, err := WriteCSV(&buf, []Row{
		{Hash: "DEPOSIT", Status: Proven, Success: true, Time: at, Effects: deposit},
		{Hash: "SUBMIT", Status: Proven, Success: true, Time: at, Effects: e},
	}, amount.Akash)
	if err != nil {
		t.Fatal(err)
	}
	lines, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 3 {
		t.Fatalf("lines %q", lines)
	}
	for _, l := range lines[1:] {
		if l[9] != LabelGovDeposit || l[1] == "" || !strings.Contains(l[10], "not in this export") {
			t.Errorf("a governance deposit line %q: sent, saying its return is not in the export", l)
		}
	}
	if sum.GovDeposits != 2 || !slices.Equal(sum.GovProposals, []uint64{4, 12}) || !slices.Equal(sum.Notes, []string{GovDepositNote}) {
		t.Fatalf("summary %+v", sum)
	}

	sum, err = WriteCSV(&bytes.Buffer{}, []Row{{Hash: "SEND", Status: Proven, Success: true, Time: at,
		Effects: Effects{Movements: []Movement{{Kind: KindSend, Direction: Out, Coins: uakt(1), Verified: true}}}}}, amount.Akash)
	if err != nil || sum.GovDeposits != 0 || sum.Notes != nil {
		t.Fatalf("an export without governance deposits: %+v %v", sum, err)
	}
}

// FuzzSubmittedProposals: a transaction's result data is proven, but a
// chain may hold any bytes there. No panic.
func FuzzSubmittedProposals(f *testing.F) {
	f.Add(txData(f, &govv1.MsgSubmitProposalResponse{ProposalId: 7}))
	f.Add(txData(f, &govv1beta1.MsgSubmitProposalResponse{ProposalId: 1}, &banktypes.MsgSendResponse{}))
	f.Add([]byte{0x12, 0x02, 0x0a, 0x00})
	f.Fuzz(func(t *testing.T, data []byte) {
		ids := submittedProposals(data)
		if len(data) == 0 && ids != nil {
			t.Fatalf("no data named %v", ids)
		}
	})
}
