package state

import (
	"strings"
	"testing"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/lightclient/proof"
)

func TestErrUnavailableSaysWhoAndWhat(t *testing.T) {
	pruned := Refusal{Node: "http://a", Code: 7, Codespace: "store", Reason: "proof is unexpectedly empty; ensure height has not been pruned: invalid request"}
	e := &ErrUnavailable{
		Query: proof.Query{Store: "bank", Key: []byte{2}, Height: 41},
		Refusals: []Refusal{pruned, pruned, pruned,
			{Node: "http://b", Reason: "post failed: connection refused"},
			{Node: "http://c", Code: 26, Codespace: "sdk", Reason: "cannot query with height in the future"}},
	}
	want := "no node holds the state at height 41 (abci_query /store/bank/key): " +
		"http://a: code 7 store: proof is unexpectedly empty; ensure height has not been pruned: invalid request (3 times); " +
		"http://b: post failed: connection refused; http://c: code 26 sdk: cannot query with height in the future"
	if got := e.Error(); got != want {
		t.Fatalf("message\n got %q\nwant %q", got, want)
	}
	// Never a verification failure: nothing failed to verify.
	if errkind.KindOf(e) != errkind.Unproven {
		t.Fatalf("kind %v", errkind.KindOf(e))
	}
	if r := errkind.RemedyOf(e); r.Do != errkind.CheckNodes || !strings.Contains(e.Hint(), "retry") {
		t.Fatalf("newest state: remedy %+v, hint %q", r, e.Hint())
	}
	e.Historical = true
	if r := errkind.RemedyOf(e); r.Do != errkind.RecentHeight || !strings.Contains(e.Hint(), "pruned") {
		t.Fatalf("historical: remedy %+v, hint %q", r, e.Hint())
	}
}
