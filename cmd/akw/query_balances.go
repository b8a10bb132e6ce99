package main

import (
	"fmt"
	"io"

	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-wallet/akw/denom"
	"github.com/akash-wallet/akw/lightclient/state"
	"github.com/akash-wallet/akw/tx/amount"
)

// Balances as `akw query balance` shows them: each denom in the unit its
// proven bank metadata states (package denom decides which), a denom
// without metadata as it is, with its full name. JSON keeps the coin as
// the chain counts it (denom, amount) and adds the unit it is shown in.

// Where a denom's units came from, in JSON ("metadata").
const (
	// metadataProven: the chain's metadata of the denom, proven.
	metadataProven = "proven"
	// metadataAbsent: the chain holds no metadata of the denom (its
	// absence is proven); shown in base units, as it is.
	metadataAbsent = "absent"
	// metadataUnusable: the chain's metadata contradicts itself (note
	// says how); shown in base units, as it is.
	metadataUnusable = "unusable"
)

// balanceJSON is one balance.
type balanceJSON struct {
	// Denom and Amount are the coin as the chain counts it (base units).
	Denom  string `json:"denom"`
	Amount string `json:"amount"`
	// Display is the unit the amount is shown in ("akt", "act"; the denom
	// itself when there is no usable metadata); DisplayAmount the amount
	// in it, exactly; 1 Display = 10^Exponent Denom.
	Display       string `json:"display"`
	DisplayAmount string `json:"display_amount"`
	Exponent      uint32 `json:"exponent"`
	Metadata      string `json:"metadata"`
	Note          string `json:"note,omitempty"`
}

type balancesJSON struct {
	state.Proven
	Address  string        `json:"address"`
	Balances []balanceJSON `json:"balances"`
}

type oneBalanceJSON struct {
	state.Proven
	Address string      `json:"address"`
	Balance balanceJSON `json:"balance"`
}

// newBalanceJSON describes amount v of md's denom with its token t
// (denom.Describe of md).
func newBalanceJSON(v sdkmath.Int, md state.DenomMetadata, t denom.Token) balanceJSON {
	b := balanceJSON{Denom: md.Denom, Amount: v.String(), Display: t.Display.Denom,
		DisplayAmount: amount.FormatDisplay(v, t.Denoms()), Exponent: t.Display.Exponent, Note: t.Note}
	switch {
	case t.Metadata:
		b.Metadata = metadataProven
	case md.Metadata != nil:
		b.Metadata = metadataUnusable
	default:
		b.Metadata = metadataAbsent
	}
	return b
}

// balanceLines writes each balance in its display unit with the exact
// base amount beside it, then once per denom what needs saying: why a
// unit other than the metadata's Display was chosen, or that a denom has
// no stated unit.
func balanceLines(w io.Writer, coins sdk.Coins, mds []state.DenomMetadata, tokens *denom.Set) {
	d := tokens.Denoms(amount.Denoms{})
	for _, c := range coins {
		fmt.Fprintf(w, "  %s\n", amount.Exact(c.Amount, c.Denom, d))
	}
	for i, c := range coins {
		t := tokens.Token(c.Denom)
		switch {
		case t.Note != "":
			fmt.Fprintf(w, "note: %s\n", t.Note)
		case !t.Metadata && i < len(mds) && mds[i].Metadata == nil:
			fmt.Fprintf(w, "note: the chain states no unit for %s (no metadata, its absence proven): its amount is in base units, as the chain counts it\n", c.Denom)
		}
	}
}
