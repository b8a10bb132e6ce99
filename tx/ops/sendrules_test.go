package ops

import (
	"context"
	"errors"
	"strings"
	"testing"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/tx"
	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/amount"
)

// rulesState is memState that proves send rules: uact has its own entry
// (false), as on mainnet; other denoms follow the default.
type rulesState struct {
	*memState
	defaultEnabled bool
	err            error
	asked          []string
}

func (r *rulesState) SendRule(_ context.Context, denom string) (*tx.SendRule, error) {
	r.asked = append(r.asked, denom)
	if r.err != nil {
		return nil, r.err
	}
	if denom == "uact" {
		return &tx.SendRule{Denom: denom, Enabled: false, Entry: true, Height: 77}, nil
	}
	return &tx.SendRule{Denom: denom, Enabled: r.defaultEnabled, Height: 77}, nil
}

func TestSendOfSendDisabledDenomIsRefused(t *testing.T) {
	ctx := context.Background()
	src := &rulesState{memState: state(), defaultEnabled: true}
	c := &Checker{State: src, Denoms: amount.Akash, Prefixes: address.For("akash")}
	to := sdk.AccAddress([]byte("recipient___________"))

	err := (&Send{From: me, To: to, Amount: sdk.NewInt64Coin("uact", 1_000_000)}).Check(ctx, c)
	var sd *tx.SendDisabledError
	if !errors.As(err, &sd) || sd.Denom != "uact" || !sd.Entry || sd.Height != 77 {
		t.Fatalf("uact send: %v", err)
	}
	if errkind.KindOf(err) != errkind.Usage {
		t.Fatalf("kind %v, want usage (exit 2)", errkind.KindOf(err))
	}
	if !strings.Contains(err.Error(), "uact cannot be sent") || !strings.Contains(err.Error(), "height 77") ||
		!strings.Contains(errkind.HintOf(err).Text, "send AKT instead") {
		t.Fatalf("message %q, hint %q", err, errkind.HintOf(err).Text)
	}

	// AKT goes through.
	if err := (&Send{From: me, To: to, Amount: sdk.NewInt64Coin("uakt", 1)}).Check(ctx, c); err != nil {
		t.Fatalf("uakt send: %v", err)
	}
	// A denom without an entry on a chain whose default is "disabled".
	src.defaultEnabled = false
	err = (&Send{From: me, To: to, Amount: sdk.NewInt64Coin("ufoo", 1)}).Check(ctx, c)
	if !errors.As(err, &sd) || sd.Entry || !strings.Contains(err.Error(), "DefaultSendEnabled false") || errkind.HintOf(err).Text == "" {
		t.Fatalf("default-disabled send: %v", err)
	}
	// A rule that cannot be proven stops the send with that error.
	src.err = errors.New("proof does not verify")
	if err := (&Send{From: me, To: to, Amount: sdk.NewInt64Coin("uakt", 1)}).Check(ctx, c); !errors.Is(err, src.err) {
		t.Fatalf("unproven rule: %v", err)
	}
	if len(src.asked) != 4 {
		t.Fatalf("rules asked for %v", src.asked)
	}

	// Only sends are checked: staking moves the bond denom, which the
	// staking module checks itself.
	src.err = nil
	if err := (&Delegate{Delegator: me, Validator: val(1), Amount: sdk.NewInt64Coin("uakt", 1)}).Check(ctx, c); err != nil || len(src.asked) != 4 {
		t.Fatalf("delegate: %v, asked %v", err, src.asked)
	}
	// A source that cannot prove send rules leaves it to the chain.
	plain := &Checker{State: state(), Denoms: amount.Akash, Prefixes: address.For("akash")}
	if err := (&Send{From: me, To: to, Amount: sdk.NewInt64Coin("uact", 1)}).Check(ctx, plain); err != nil {
		t.Fatalf("without send rules: %v", err)
	}
}
