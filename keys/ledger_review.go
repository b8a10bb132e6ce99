package keys

import (
	"encoding/json"
	"fmt"

	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-wallet/akw/keys/signdoc"
)

// ReviewScreen is one page the Cosmos app shows before it signs: a title
// ("Amount", "To", "Fee") and the value under it.
type ReviewScreen struct {
	Title string `json:"title"`
	Value string `json:"value"`
	// Coin is the coin an amount page shows, in the base denom as the
	// device does: a face may say it beside in its display unit (the
	// one formatter, tx/amount, with the units of proven metadata),
	// never instead. Nil for other pages.
	Coin *sdk.Coin `json:"-"`
}

// LedgerReview is what the Cosmos app on a Ledger will show, page by
// page, for the amino-JSON sign document signBytes before the user
// approves it. It is computed from the very bytes the device receives,
// with the app's own rules (keys/signdoc: which fields, in which order,
// under which titles, the message types in words), so that what a face
// shows beforehand is what the device will show, for every operation
// alike. Amounts (the fee, a message's amount or coins) are written the
// way the app writes them: each coin on its own page as "AMOUNT DENOM",
// in the base denom, as the user must compare them.
//
// A document the app would refuse is an error (*LedgerError,
// LedgerDataInvalid, Local), as CheckLedgerSignBytes says.
func LedgerReview(signBytes []byte) ([]ReviewScreen, error) {
	if err := CheckLedgerSignBytes(signBytes); err != nil {
		return nil, err
	}
	doc, err := signdoc.Validate(signBytes, signdoc.Options{})
	if err != nil {
		return nil, &LedgerError{Kind: LedgerDataInvalid, Local: true, Reason: err.Error(), Err: err}
	}
	out := make([]ReviewScreen, 0, len(doc.Items))
	for _, it := range doc.Items {
		if !appAmountPaths[it.Path] {
			out = append(out, ReviewScreen{Title: it.Key, Value: it.Value})
			continue
		}
		pages, coins, err := appAmountPages(it.Value)
		if err != nil {
			return nil, &LedgerError{Kind: LedgerDataInvalid, Local: true, Reason: fmt.Sprintf("%s: %v", it.Path, err), Err: err}
		}
		for i, p := range pages {
			out = append(out, ReviewScreen{Title: it.Key, Value: p, Coin: coins[i]})
		}
	}
	return out, nil
}

// appAmountPaths are the fields the app shows as amounts
// (parser_isAmount in the app's parser.c) rather than as raw JSON.
var appAmountPaths = map[string]bool{
	"fee/amount":        true,
	"msgs/value/amount": true,
	"msgs/value/coins":  true,
}

type appCoin struct {
	Amount string `json:"amount"`
	Denom  string `json:"denom"`
}

// appAmountPages writes an amount field as the app does
// (parser_formatAmount): a coin, or a list of coins each on its own page,
// as "AMOUNT DENOM"; an empty list as "Empty". coins has each page's coin
// when its amount is an integer (nil otherwise: shown as it is only).
func appAmountPages(raw string) (pages []string, coins []*sdk.Coin, err error) {
	var list []appCoin
	if err := json.Unmarshal([]byte(raw), &list); err != nil {
		var one appCoin
		if err := json.Unmarshal([]byte(raw), &one); err != nil {
			return nil, nil, fmt.Errorf("not a coin or a list of coins")
		}
		list = []appCoin{one}
	}
	if len(list) == 0 {
		return []string{"Empty"}, []*sdk.Coin{nil}, nil
	}
	pages = make([]string, len(list))
	coins = make([]*sdk.Coin, len(list))
	for i, c := range list {
		if c.Amount == "" || c.Denom == "" {
			return nil, nil, fmt.Errorf("a coin without an amount or a denom")
		}
		pages[i] = c.Amount + " " + c.Denom
		if v, ok := sdkmath.NewIntFromString(c.Amount); ok && !v.IsNegative() {
			coins[i] = &sdk.Coin{Denom: c.Denom, Amount: v}
		}
	}
	return pages, coins, nil
}
