package tx

import (
	"context"
	"fmt"

	"github.com/akash-wallet/akw/errkind"
)

// SendRule is the bank's proven rule for moving one denom between
// accounts: its own SendEnabled entry if it has one, else the bank's
// DefaultSendEnabled parameter (x/bank IsSendEnabledDenom).
type SendRule struct {
	Denom   string
	Enabled bool
	Entry   bool  // the denom has its own entry; false: the default decided
	Height  int64 // the state height it was proven at
}

// SendRuleSource is the optional part of a StateSource that proves send
// rules. A source without it (an in-memory one in tests) leaves the
// check to the chain.
type SendRuleSource interface {
	SendRule(ctx context.Context, denom string) (*SendRule, error)
}

// SendDisabledError refuses a send the bank would reject whatever the
// amount: the denom cannot be transferred at all (ACT on Akash, since the
// v2.0.0 upgrade). It is the user's request that cannot be done, not a
// passing state of the chain, so it is a usage error (exit 2); nothing is
// signed.
type SendDisabledError struct {
	Denom  string
	Entry  bool // the denom's own rule (else every denom without one)
	Height int64
}

func (e *SendDisabledError) Error() string {
	why := "its SendEnabled entry is false"
	if !e.Entry {
		why = "sends are disabled by default (DefaultSendEnabled false) and it has no entry enabling it"
	}
	return fmt.Sprintf("%s cannot be sent: the chain's bank does not allow transfers of %s (%s; proven at height %d)", e.Denom, e.Denom, why, e.Height)
}

func (e *SendDisabledError) Kind() errkind.Kind { return errkind.Usage }

func (e *SendDisabledError) Hint() string {
	if e.Denom == "uact" {
		return "ACT stays in the account that holds it: it pays for Akash deployments, and burning it through the burn-mint module (x/bme) turns it back into AKT; send AKT instead"
	}
	return "this token cannot move between accounts on this chain; send another denom"
}
