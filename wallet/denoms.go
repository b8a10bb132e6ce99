package wallet

import (
	"context"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-wallet/akw/denom"
	"github.com/akash-wallet/akw/lightclient/state"
	"github.com/akash-wallet/akw/tx/amount"
)

// Denoms as the chain describes them, for every face: each amount is
// shown in the unit the bank's proven denom metadata states (AKT in akt,
// ACT in act), a denom without metadata (an IBC voucher) as it is. The
// rule of which unit is shown lives in package denom; this file only
// fetches what it needs, proven, at the view the face's answer rests on.

// Holdings is an address's balances, proven complete, with the tokens
// their denoms' proven metadata make, all at one height.
type Holdings struct {
	*state.Holdings
	// Tokens has a token for each denom held (denom.Unknown for a denom
	// whose metadata's absence was proven).
	Tokens *denom.Set
}

// ProveHoldings proves addr's balances and each held denom's metadata at
// v (a view a face got from Session.Query).
func ProveHoldings(ctx context.Context, v *state.View, addr sdk.AccAddress) (*Holdings, error) {
	h, err := v.Holdings(ctx, addr)
	if err != nil {
		return nil, err
	}
	return &Holdings{Holdings: h, Tokens: TokenSet(h.Denoms)}, nil
}

// Balance is one denom's balance with the token its proven metadata
// makes, at one height.
type Balance struct {
	*state.TokenBalance
	// Tokens has the denom's token (denom.Unknown when the absence of
	// its metadata was proven).
	Tokens *denom.Set
}

// ProveBalance proves addr's balance of denomName and the denom's
// metadata at v, in one round of proofs.
func ProveBalance(ctx context.Context, v *state.View, addr sdk.AccAddress, denomName string) (*Balance, error) {
	b, err := v.TokenBalance(ctx, addr, denomName)
	if err != nil {
		return nil, err
	}
	return &Balance{TokenBalance: b, Tokens: TokenSet([]state.DenomMetadata{b.Denom})}, nil
}

// ProveTokens proves the metadata of denoms at v: the tokens to show
// amounts of those denoms in.
func ProveTokens(ctx context.Context, v *state.View, denoms ...string) (*denom.Set, *state.DenomsMetadata, error) {
	md, err := v.DenomsMetadata(ctx, denoms)
	if err != nil {
		return nil, nil, err
	}
	return TokenSet(md.Denoms), md, nil
}

// TokenSet makes the tokens of proven metadata (denom.Describe decides
// each token's display unit).
func TokenSet(mds []state.DenomMetadata) *denom.Set {
	set := denom.NewSet()
	for _, d := range mds {
		set.Add(denom.Describe(d.Denom, d.Metadata))
	}
	return set
}

// DenomsWith is the network's token with set's tokens: tx/amount's
// formatters then show each token's amounts in its display unit
// (reviews, history). Amounts the network's flags read stay its token's.
func (s *Session) DenomsWith(set *denom.Set) amount.Denoms {
	if set == nil {
		return s.denoms
	}
	return set.Denoms(s.denoms)
}

// sendTokens proves, for a send by addr, the tokens addr holds and the
// network's token: the units its amount may be written in ("1.5act",
// "250ibc/…") and shown in. The newest state, with the failover policy
// of the checks before signing, of which it is the first (nothing is
// signed before they pass); the send's own checks prove the balance and
// the send rule again at their height.
func (s *Session) sendTokens(ctx context.Context, addr sdk.AccAddress) (*denom.Set, error) {
	var set *denom.Set
	err := s.withFailover(ctx, "checking again through the witnesses (nothing was signed)", func() (err error) {
		defer guard(&err, "the checks before signing")
		v, err := s.view(ctx, View{})
		if err != nil {
			return err
		}
		h, err := ProveHoldings(ctx, v, addr)
		if err != nil {
			return err
		}
		set = h.Tokens
		if h.Coins.AmountOf(s.denoms.Base).IsZero() {
			// Nothing of the network's token is held; "1akt" still
			// names it (the send's checks say the balance is short).
			fee, _, err := ProveTokens(ctx, v, s.denoms.Base)
			if err != nil {
				return err
			}
			set.Add(fee.Token(s.denoms.Base))
		}
		return nil
	})
	return set, err
}

// DenomsFor proves, at the newest state, the metadata of denoms (those of
// a history export: history.Denoms) and returns the network's token with
// their tokens, for tx/amount's formatters and history.WriteCSV. Units
// are the chain's, not a height's: metadata proven now describes past
// amounts of the same denom too.
func (s *Session) DenomsFor(ctx context.Context, denoms []string) (amount.Denoms, error) {
	if len(denoms) == 0 {
		return s.denoms, nil
	}
	var set *denom.Set
	err := s.Query(ctx, View{}, func(ctx context.Context, v *state.View) (err error) {
		set, _, err = ProveTokens(ctx, v, denoms...)
		return err
	})
	if err != nil {
		return amount.Denoms{}, err
	}
	return s.DenomsWith(set), nil
}
