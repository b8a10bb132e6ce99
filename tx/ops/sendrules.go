package ops

import (
	"context"

	"github.com/akash-wallet/akw/tx"
)

// checkSendable refuses a send of a denom the bank does not let move
// between accounts, with the rule as proven; the chain would reject the
// transaction whatever the amount, after charging its fee. A source that
// cannot prove send rules (tx.SendRuleSource) leaves it to the chain.
func (c *Checker) checkSendable(ctx context.Context, denom string) error {
	src, ok := c.State.(tx.SendRuleSource)
	if !ok {
		return nil
	}
	r, err := src.SendRule(ctx, denom)
	if err != nil {
		return err
	}
	if !r.Enabled {
		return &tx.SendDisabledError{Denom: denom, Entry: r.Entry, Height: r.Height}
	}
	return nil
}
