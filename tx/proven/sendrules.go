package proven

import (
	"context"

	"github.com/akash-wallet/akw/tx"
)

// SendRule implements tx.SendRuleSource from the bank's proven
// SendEnabled entry and parameters.
func (s *Source) SendRule(ctx context.Context, denom string) (*tx.SendRule, error) {
	v, err := s.View(ctx)
	if err != nil {
		return nil, err
	}
	r, err := v.SendEnabled(ctx, denom)
	if err != nil {
		return nil, wrap(err)
	}
	return &tx.SendRule{Denom: denom, Enabled: r.Enabled, Entry: r.Entry, Height: r.Height}, nil
}

var _ tx.SendRuleSource = (*Source)(nil)
