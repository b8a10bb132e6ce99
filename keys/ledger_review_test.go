package keys_test

import (
	"strings"
	"testing"

	"github.com/akash-wallet/akw/internal/ledgeremu"
	"github.com/akash-wallet/akw/keys"
)

// The review is computed from the sign bytes: the pages the emulated app
// showed, title for title, in order; the amounts written as the app
// writes them ("AMOUNT DENOM", where the emulator shows the raw JSON).
func TestLedgerReviewIsWhatTheDeviceShows(t *testing.T) {
	dev := ledgerEmu(t, ledgeremu.Config{})
	kr := ledgerKeyring(t)
	lk, err := keys.AddLedgerKey(kr, "hw", keys.LedgerKeyOptions{HRP: "akash"})
	if err != nil {
		t.Fatal(err)
	}
	signBytes, _, _, _ := ledgerTxBytes(t, lk.Address, lk.PubKey, "rent for the GPU", 3)
	review, err := keys.LedgerReview(signBytes)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := keys.SignLedgerAminoJSON(kr, "hw", signBytes); err != nil {
		t.Fatal(err)
	}
	shown, _ := dev.LastReview()
	if len(shown.Screens) != len(review) {
		t.Fatalf("the device showed %d pages, the review has %d:\n%+v\n%+v", len(shown.Screens), len(review), shown.Screens, review)
	}
	want := map[string]string{"Amount": "1500000 uakt", "Fee": "5000 uakt"}
	for i, s := range shown.Screens {
		r := review[i]
		if r.Title != s.Key {
			t.Errorf("page %d: review %q, device %q", i, r.Title, s.Key)
		}
		if w, ok := want[r.Title]; ok {
			if r.Value != w {
				t.Errorf("page %s: review %q, want %q", r.Title, r.Value, w)
			}
		} else if r.Value != s.Value {
			t.Errorf("page %s: review %q, device %q", r.Title, r.Value, s.Value)
		}
	}
	for _, title := range []string{"Chain ID", "Account", "Sequence", "Type", "From", "To", "Memo", "Gas"} {
		found := false
		for _, r := range review {
			found = found || r.Title == title
		}
		if !found {
			t.Errorf("no %q page in %+v", title, review)
		}
	}
}

func TestLedgerReviewAmounts(t *testing.T) {
	doc := func(fee, amount string) []byte {
		return []byte(`{"account_number":"7","chain_id":"akash-devnet-1","fee":{"amount":` + fee + `,"gas":"200000"},"memo":"","msgs":[{"type":"cosmos-sdk/MsgDelegate","value":{"amount":` + amount +
			`,"delegator_address":"akash1a","validator_address":"akashvaloper1b"}}],"sequence":"0"}`)
	}
	pages := func(r []keys.ReviewScreen, title string) string {
		var v []string
		for _, s := range r {
			if s.Title == title {
				v = append(v, s.Value)
			}
		}
		return strings.Join(v, " | ")
	}
	r, err := keys.LedgerReview(doc(`[{"amount":"5000","denom":"uakt"},{"amount":"7","denom":"uact"}]`, `{"amount":"2","denom":"uakt"}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := pages(r, "Fee"); got != "5000 uakt | 7 uact" {
		t.Errorf("fee pages %q", got)
	}
	if got := pages(r, "Amount"); got != "2 uakt" {
		t.Errorf("amount pages %q", got)
	}
	if got := pages(r, "Type"); got != "Delegate" {
		t.Errorf("type %q", got)
	}
	// Each amount page carries its coin, for a face to say it beside in
	// its display unit; other pages none.
	for _, s := range r {
		want := s.Title == "Fee" || s.Title == "Amount"
		if (s.Coin != nil) != want || want && s.Coin.Amount.String()+" "+s.Coin.Denom != s.Value {
			t.Errorf("page %q %q: coin %v", s.Title, s.Value, s.Coin)
		}
	}
	r, err = keys.LedgerReview(doc(`[]`, `{"amount":"2","denom":"uakt"}`))
	if err != nil || pages(r, "Fee") != "Empty" {
		t.Fatalf("empty fee: %+v %v", r, err)
	}
	// What the app refuses is refused here, before any device is asked.
	if _, err := keys.LedgerReview(doc(`[{"denom":"uakt"}]`, `{"amount":"2","denom":"uakt"}`)); err == nil {
		t.Fatal("a coin without an amount was reviewed")
	}
	unsorted := []byte(strings.Replace(string(doc(`[]`, `{"amount":"2","denom":"uakt"}`)), `{"account_number":"7","chain_id":"akash-devnet-1"`, `{"chain_id":"akash-devnet-1","account_number":"7"`, 1))
	if _, err := keys.LedgerReview(unsorted); !keys.IsLedgerError(err) {
		t.Fatalf("unsorted document: %v", err)
	}
}

// The review is computed from sign bytes that may come from a file (tx
// sign FILE): whatever they hold, it never panics, and an amount page's
// coin is exactly what the page says.
func FuzzLedgerReview(f *testing.F) {
	f.Add([]byte(`{"account_number":"7","chain_id":"akash-devnet-1","fee":{"amount":[{"amount":"5000","denom":"uakt"}],"gas":"200000"},"memo":"","msgs":[{"type":"cosmos-sdk/MsgSend","value":{"amount":[{"amount":"1500000","denom":"uact"}],"from_address":"akash1a","to_address":"akash1b"}}],"sequence":"0"}`))
	f.Add([]byte(`{"account_number":"7","chain_id":"c","fee":{"amount":{"amount":"-1","denom":"uakt"},"gas":"1"},"memo":"","msgs":[],"sequence":"0"}`))
	f.Add([]byte(`{"account_number":"7","chain_id":"c","fee":{"amount":[{"amount":"1e9","denom":"x"}],"gas":"1"},"memo":"","msgs":[],"sequence":"0"}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		r, err := keys.LedgerReview(doc)
		if err != nil {
			return
		}
		for _, s := range r {
			if s.Coin != nil && s.Coin.Amount.String()+" "+s.Coin.Denom != s.Value {
				t.Fatalf("page %q shows %q but carries %v", s.Title, s.Value, s.Coin)
			}
		}
	})
}
