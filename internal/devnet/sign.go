package devnet

import (
	"context"

	"github.com/cosmos/cosmos-sdk/client"
	clienttx "github.com/cosmos/cosmos-sdk/client/tx"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	authsigning "github.com/cosmos/cosmos-sdk/x/auth/signing"
)

// signTx signs b in the given mode with priv as its single signer.
func signTx(ctx context.Context, txCfg client.TxConfig, b client.TxBuilder, priv cryptotypes.PrivKey, mode signing.SignMode, chainID string, accNum, seq uint64) error {
	pub := priv.PubKey()
	// The signer info (public key, mode, sequence) is part of the signed
	// bytes in direct mode, so it goes in first with an empty signature.
	empty := signing.SignatureV2{
		PubKey:   pub,
		Data:     &signing.SingleSignatureData{SignMode: mode},
		Sequence: seq,
	}
	if err := b.SetSignatures(empty); err != nil {
		return err
	}
	signerData := authsigning.SignerData{
		Address:       sdk.AccAddress(pub.Address()).String(),
		ChainID:       chainID,
		AccountNumber: accNum,
		Sequence:      seq,
		PubKey:        pub,
	}
	sig, err := clienttx.SignWithPrivKey(ctx, mode, signerData, b, priv, txCfg, seq)
	if err != nil {
		return err
	}
	return b.SetSignatures(sig)
}
