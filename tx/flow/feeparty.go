package flow

import (
	"context"
	"fmt"

	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	sdk "github.com/cosmos/cosmos-sdk/types"
	signingtypes "github.com/cosmos/cosmos-sdk/types/tx/signing"

	"github.com/akash-wallet/akw/tx"
	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/amount"
	"github.com/akash-wallet/akw/tx/ops"
)

// Who pays the fee. x/auth's DeductFeeDecorator charges the fee payer
// (the first signer unless the transaction names another), or, when the
// transaction names a fee granter, the granter, through the allowance it
// gave the fee payer (x/feegrant UseGrantedFees). A named fee payer is a
// signer of the transaction like any other (x/tx GetSigners appends it).

// checkFeeParties refuses the --fee-granter / --fee-payer combinations
// akw cannot carry through, before anything is built.
func checkFeeParties(env *Env, key Key, opts Options) error {
	if opts.FeeGranter != nil && opts.FeeGranter.Equals(feePayer(key, opts)) {
		return tx.Inputf("name the account that gave you a fee allowance as fee granter, or none",
			"the fee granter %s is the fee payer itself", address.Bech32(env.Prefixes.Account, opts.FeeGranter))
	}
	if otherPayer(key, opts) && !opts.Unsigned {
		// akw signs with one key; the fee payer's signature would be
		// missing and the chain refuses the transaction.
		return tx.Inputf("generate the transaction unsigned and have both accounts sign it, or let the signer pay the fee",
			"the fee payer %s must sign this transaction too, and akw signs with one key (%s)",
			address.Bech32(env.Prefixes.Account, opts.FeePayer), address.Bech32(env.Prefixes.Account, key.Address))
	}
	return nil
}

// feePayer is the account the fee is charged to, or whose allowance
// pays it.
func feePayer(key Key, opts Options) sdk.AccAddress {
	if opts.FeePayer != nil {
		return opts.FeePayer
	}
	return key.Address
}

func otherPayer(key Key, opts Options) bool {
	return opts.FeePayer != nil && !opts.FeePayer.Equals(key.Address)
}

// signerPaysFee reports whether the fee comes from the signer's balance.
func (p *Plan) signerPaysFee() bool {
	return p.FeeGranter == nil && (p.FeePayer == nil || p.FeePayer.Equals(p.Key.Address))
}

// feeFromSigner is the part of the fee the signer's balance pays.
func (p *Plan) feeFromSigner() sdk.Coins {
	if p.signerPaysFee() {
		return p.Fee
	}
	return nil
}

// simulationExtra is the empty signature of a fee payer other than the
// signer: the node's simulation counts one signature per signer. Its
// public key and sequence come from proven state when the account has
// them (an account with no key yet signs with an empty one, as the SDK's
// BuildSimTx does).
func simulationExtra(ctx context.Context, env *Env, key Key, opts Options) ([]signingtypes.SignatureV2, error) {
	if !otherPayer(key, opts) || env.Accounts == nil {
		return nil, nil
	}
	a, err := env.Accounts.Account(ctx, opts.FeePayer)
	if err != nil {
		return nil, fmt.Errorf("the fee payer's account: %w", err)
	}
	pk := a.PubKey
	if pk == nil {
		pk = &secp256k1.PubKey{}
	}
	// The payer's sign mode is not known here; for a secp256k1 key every
	// mode costs the same verification gas.
	return []signingtypes.SignatureV2{{PubKey: pk, Data: &signingtypes.SingleSignatureData{SignMode: signingtypes.SignMode_SIGN_MODE_DIRECT}, Sequence: a.Sequence}}, nil
}

// checkFeeGrantTerms checks what of a fee allowance does not depend on
// the fee (it exists, has not expired, allows every message) before the
// node simulates the transaction: the node would refuse a missing or
// expired allowance with its own words (or a pruned one as "fee-grant not
// found"), and the proven answer is the one to give.
func checkFeeGrantTerms(ctx context.Context, c *ops.Checker, p *Plan, msgs []sdk.Msg) error {
	if c == nil || p.FeeGranter == nil {
		return nil
	}
	payer := p.FeePayer
	if payer == nil {
		payer = p.Key.Address
	}
	return ops.CheckFeeGrant(ctx, c, p.FeeGranter, payer, nil, msgs)
}

// checkFeeSource checks, against proven state, that whoever pays the fee
// can: the fee granter's allowance to the fee payer (exists, not expired,
// covers the fee, allows every message; the granter's balance), or a fee
// payer's own balance. The signer's balance is checked by checkBalance.
func checkFeeSource(ctx context.Context, env *Env, c *ops.Checker, p *Plan, msgs []sdk.Msg) error {
	payer := p.FeePayer
	if payer == nil {
		payer = p.Key.Address
	}
	if p.FeeGranter != nil {
		return ops.CheckFeeGrant(ctx, c, p.FeeGranter, payer, p.Fee, msgs)
	}
	if p.signerPaysFee() {
		return nil
	}
	for _, cn := range p.Fee {
		bal, err := env.State.Balance(ctx, payer, cn.Denom)
		if err != nil {
			return err
		}
		if bal.Spendable.LT(cn.Amount) {
			return &tx.CheckError{Check: "balance", Reason: fmt.Sprintf("the fee payer %s cannot pay the fee %s: its spendable balance is %s (verified at height %d)",
				address.Bech32(env.Prefixes.Account, payer), amount.FormatCoin(cn, env.Denoms),
				amount.FormatCoin(sdk.Coin{Denom: cn.Denom, Amount: bal.Spendable}, env.Denoms), bal.Height),
				Fix: "lower the fee, or choose another fee payer"}
		}
	}
	return nil
}

// feeFields are the review's lines on who pays the fee, when it is not
// the signer.
func (p *Plan) feeFields(env *Env) []ops.Field {
	var f []ops.Field
	if p.FeePayer != nil && !p.FeePayer.Equals(p.Key.Address) {
		f = append(f, ops.Field{Label: "fee payer", Value: address.Bech32(env.Prefixes.Account, p.FeePayer) + " (must sign this transaction too)"})
	}
	if p.FeeGranter != nil {
		payer := p.FeePayer
		if payer == nil {
			payer = p.Key.Address
		}
		f = append(f, ops.Field{Label: "fee paid by", Value: fmt.Sprintf("%s, through its fee allowance to %s",
			address.Bech32(env.Prefixes.Account, p.FeeGranter), address.Bech32(env.Prefixes.Account, payer))})
	}
	return f
}
