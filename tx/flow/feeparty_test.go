package flow

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	"cosmossdk.io/x/feegrant"
	sdk "github.com/cosmos/cosmos-sdk/types"
	signingtypes "github.com/cosmos/cosmos-sdk/types/tx/signing"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/keys/signdoc"
	"github.com/akash-wallet/akw/tx"
	"github.com/akash-wallet/akw/tx/fee"
	"github.com/akash-wallet/akw/tx/ops"
	"github.com/akash-wallet/akw/tx/sign"
)

// feeChain adds a fee allowance and a second account's balance to chain.
type feeChain struct {
	*chain
	allowance *tx.Allowance          // nil: none
	others    map[string]sdkmath.Int // spendable of accounts other than the signer
	now       time.Time
	asked     int // Allowance questions
}

func (c *feeChain) Balance(ctx context.Context, addr sdk.AccAddress, denom string) (*tx.Balance, error) {
	if s, ok := c.others[addr.String()]; ok {
		return &tx.Balance{Denom: denom, Total: s, Spendable: s, Height: 41, Verified: true}, nil
	}
	return c.chain.Balance(ctx, addr, denom)
}

func (c *feeChain) Allowance(_ context.Context, granter, grantee sdk.AccAddress) (*tx.Allowance, error) {
	c.asked++
	a := c.allowance
	if a == nil || !a.Granter.Equals(granter) || !a.Grantee.Equals(grantee) {
		return nil, fmt.Errorf("%w: no allowance", tx.ErrNotFound)
	}
	return a, nil
}

func (c *feeChain) Time(context.Context) (time.Time, error) { return c.now, nil }

func feeEnv(t *testing.T) (*Env, *feeChain, Key, sdk.AccAddress) {
	e, c, k := env(t, true)
	granter := sdk.AccAddress(bytes.Repeat([]byte{9}, 20))
	fc := &feeChain{chain: c, others: map[string]sdkmath.Int{granter.String(): sdkmath.NewInt(50_000)},
		now: time.Date(2026, 11, 24, 6, 0, 0, 0, time.UTC)}
	e.Accounts, e.State, e.Simulator = fc, fc, fc
	return e, fc, k, granter
}

func basic(limit int64, exp *time.Time) feegrant.FeeAllowanceI {
	return &feegrant.BasicAllowance{SpendLimit: sdk.NewCoins(sdk.NewInt64Coin("uakt", limit)), Expiration: exp}
}

// A fee granter pays the fee through its proven allowance: the signer's
// balance covers the amount alone, the granter is named in the
// transaction (and in the amino-JSON document a Ledger shows, which the
// app accepts) and in the review.
func TestFeeGranterPays(t *testing.T) {
	e, c, k, granter := feeEnv(t)
	c.allowance = &tx.Allowance{Granter: granter, Grantee: k.Address, Allowance: basic(5000, nil), Height: 41}
	ctx := context.Background()
	// The whole balance is sent: only possible because the fee (3,000)
	// is the granter's.
	p, err := Prepare(ctx, e, send(k.Address, 10_000_000), k, Options{Gas: fee.Gas{Auto: true}, FeeGranter: granter})
	if err != nil {
		t.Fatal(err)
	}
	if c.asked == 0 || !p.After.IsZero() || !p.Fee.Equal(sdk.NewCoins(sdk.NewInt64Coin("uakt", 3000))) {
		t.Fatalf("asked %d, after %v, fee %s", c.asked, p.After, p.Fee)
	}
	if !sdk.AccAddress(p.Builder.GetTx().FeeGranter()).Equals(granter) {
		t.Fatal("the transaction does not name the fee granter")
	}
	if !hasField(p.Summary, "fee paid by", "through its fee allowance") {
		t.Fatalf("review %v", p.Summary)
	}
	if d := sign.Describe(e.Enc, p.Builder, e.Denoms); d.FeeGranter != e.Enc.Bech32(granter) || d.FeePayer != "" {
		t.Fatalf("describe: granter %q payer %q", d.FeeGranter, d.FeePayer)
	}
	pub := k.PubKey()
	doc, err := sign.SignBytes(ctx, e.Enc, p.Builder, signingtypes.SignMode_SIGN_MODE_LEGACY_AMINO_JSON, pub, sign.SignerData{ChainID: e.ChainID, AccountNumber: 12, Sequence: 5})
	if err != nil {
		t.Fatal(err)
	}
	_ = p.Builder.SetSignatures()
	if !bytes.Contains(doc, []byte(`"granter":"`+e.Enc.Bech32(granter)+`"`)) {
		t.Fatalf("amino JSON without the granter:\n%s", doc)
	}
	if _, err := signdoc.Validate(doc, signdoc.Options{}); err != nil {
		t.Fatalf("the Ledger app would refuse it: %v\n%s", err, doc)
	}
	bz, err := Sign(ctx, e, p)
	if err != nil || len(bz) == 0 {
		t.Fatal(err)
	}
	if err := sign.Verify(ctx, e.Enc, p.Builder, sign.SignerData{ChainID: e.ChainID, AccountNumber: 12}); err != nil {
		t.Fatal(err)
	}
}

// Each way an allowance can fail to pay is refused before signing, with
// the reason: none, too small, expired, not for this message, a granter
// that cannot pay.
func TestFeeGranterRefused(t *testing.T) {
	ctx := context.Background()
	past := time.Date(2026, 11, 24, 5, 0, 0, 0, time.UTC)
	yes := []*govv1.WeightedVoteOption{{Option: govv1.OptionYes, Weight: "1.000000000000000000"}}
	voteOnly, err := feegrant.NewAllowedMsgAllowance(basic(1_000_000, nil), []string{sdk.MsgTypeURL(&govv1.MsgVote{})})
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		allowance  feegrant.FeeAllowanceI // nil: no allowance
		granterHas int64
		want       string
	}{
		"no allowance":     {nil, 50_000, "no fee allowance (proven absent)"},
		"too small":        {basic(2999, nil), 50_000, "is more than what is left of the allowance"},
		"expired":          {basic(1_000_000, &past), 50_000, "expired at 2026-11-24T05:00:00Z"},
		"other messages":   {voteOnly, 50_000, "does not pay for these messages"},
		"granter too poor": {basic(1_000_000, nil), 2999, "cannot pay the fee"},
	} {
		t.Run(name, func(t *testing.T) {
			e, c, k, granter := feeEnv(t)
			c.others[granter.String()] = sdkmath.NewInt(tc.granterHas)
			if tc.allowance != nil {
				c.allowance = &tx.Allowance{Granter: granter, Grantee: k.Address, Allowance: tc.allowance, Height: 41}
			}
			_, err := Prepare(ctx, e, send(k.Address, 1), k, Options{Gas: fee.Gas{Auto: true}, FeeGranter: granter})
			var ce *tx.CheckError
			if !errors.As(err, &ce) || !strings.Contains(ce.Reason, tc.want) || ce.Fix == "" {
				t.Fatalf("got %v, want a check error with %q", err, tc.want)
			}
			if errkind.KindOf(err) == errkind.Usage || errkind.KindOf(err) == errkind.Failure {
				t.Fatalf("kind %v", errkind.KindOf(err))
			}
		})
	}
	// The vote-only allowance pays for a vote.
	e, c, k, granter := feeEnv(t)
	c.allowance = &tx.Allowance{Granter: granter, Grantee: k.Address, Allowance: voteOnly, Height: 41}
	if _, err := Prepare(ctx, e, &ops.Vote{Voter: k.Address, ProposalID: 1, Options: yes}, k, Options{Gas: fee.Gas{Auto: true}, FeeGranter: granter}); err != nil {
		t.Fatalf("vote under a vote-only allowance: %v", err)
	}
}

// A fee payer other than the signer must sign too: akw refuses to sign
// such a transaction alone, generates it for both to sign, simulates it
// with both signatures, and checks the payer's balance.
func TestFeePayer(t *testing.T) {
	ctx := context.Background()
	e, c, k, payer := feeEnv(t)
	if _, err := Prepare(ctx, e, send(k.Address, 1), k, Options{Gas: fee.Gas{Auto: true}, FeePayer: payer}); errkind.KindOf(err) != errkind.Usage ||
		!strings.Contains(err.Error(), "must sign this transaction too") {
		t.Fatalf("signing with another fee payer: %v", err)
	}
	p, err := Prepare(ctx, e, send(k.Address, 10_000_000), k, Options{Gas: fee.Gas{Auto: true}, FeePayer: payer, Unsigned: true})
	if err != nil {
		t.Fatal(err)
	}
	signers, err := p.Builder.GetTx().GetSigners()
	if err != nil || len(signers) != 2 || !sdk.AccAddress(signers[1]).Equals(payer) {
		t.Fatalf("signers %v %v", signers, err)
	}
	if d := sign.Describe(e.Enc, p.Builder, e.Denoms); d.FeePayer != e.Enc.Bech32(payer) || !hasField(p.Summary, "fee payer", "must sign") {
		t.Fatalf("describe %q, review %v", d.FeePayer, p.Summary)
	}
	c.others[payer.String()] = sdkmath.NewInt(10)
	var ce *tx.CheckError
	if _, err := Prepare(ctx, e, send(k.Address, 1), k, Options{Gas: fee.Gas{Auto: true}, FeePayer: payer, Unsigned: true}); !errors.As(err, &ce) ||
		!strings.Contains(ce.Reason, "the fee payer") {
		t.Fatalf("poor payer: %v", err)
	}
	// The payer's own allowance from a granter: asked for the payer.
	granter := sdk.AccAddress(bytes.Repeat([]byte{8}, 20))
	c.others[granter.String()] = sdkmath.NewInt(1_000_000)
	c.allowance = &tx.Allowance{Granter: granter, Grantee: payer, Allowance: basic(5000, nil)}
	if _, err := Prepare(ctx, e, send(k.Address, 1), k, Options{Gas: fee.Gas{Auto: true}, FeePayer: payer, FeeGranter: granter, Unsigned: true}); err != nil {
		t.Fatalf("granter paying for the payer: %v", err)
	}
	// A granter that is the payer itself is a usage error.
	if _, err := Prepare(ctx, e, send(k.Address, 1), k, Options{Gas: fee.Gas{Auto: true}, FeeGranter: k.Address}); errkind.KindOf(err) != errkind.Usage {
		t.Fatalf("granter = payer: %v", err)
	}
}

func hasField(fs []ops.Field, label, part string) bool {
	for _, f := range fs {
		if f.Label == label && strings.Contains(f.Value, part) {
			return true
		}
	}
	return false
}
