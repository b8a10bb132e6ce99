package sign

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	kmultisig "github.com/cosmos/cosmos-sdk/crypto/keys/multisig"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	"github.com/cosmos/cosmos-sdk/crypto/types/multisig"
	sdk "github.com/cosmos/cosmos-sdk/types"
	signingtypes "github.com/cosmos/cosmos-sdk/types/tx/signing"
	authsigning "github.com/cosmos/cosmos-sdk/x/auth/signing"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/tx"
	"github.com/akash-wallet/akw/tx/encoding"
)

// A multisig account signs in three steps, as the SDK's `tx sign
// --multisig` and `tx multisign` do: the transaction is generated from the
// multisig address; each member signs it alone (SignPart) in
// LEGACY_AMINO_JSON, so that a Ledger member can, over the sign bytes of
// the multisig account (its account number and sequence); the partial
// signatures, exchanged as the SDK's signature JSON, are combined
// (Combine) into one multisignature. Each part is checked before it is
// combined: a signature that is not a member's, or is over other bytes,
// or too few of them, is refused here rather than by the chain.

// MultisigMode is the mode members sign in.
const MultisigMode = signingtypes.SignMode_SIGN_MODE_LEGACY_AMINO_JSON

// multisigBytes are the amino-JSON bytes every member of multi signs.
func multisigBytes(ctx context.Context, cfg *encoding.Config, b client.TxBuilder, multi *kmultisig.LegacyAminoPubKey, sd SignerData) ([]byte, error) {
	signer, err := Signer(b)
	if err != nil {
		return nil, err
	}
	if !signer.Equals(sdk.AccAddress(multi.Address())) {
		return nil, tx.Inputf("give the multisig address the transaction was generated from",
			"the transaction is from %s, not from the multisig %s", cfg.Bech32(signer), cfg.Bech32(sdk.AccAddress(multi.Address())))
	}
	return authsigning.GetSignBytesAdapter(ctx, cfg.TxConfig.SignModeHandler(), MultisigMode, authsigning.SignerData{
		ChainID:       sd.ChainID,
		AccountNumber: sd.AccountNumber,
		Sequence:      sd.Sequence,
		PubKey:        multi,
		Address:       cfg.Bech32(sdk.AccAddress(multi.Address())),
	}, b.GetTx())
}

// memberIndex is pub's place among multi's keys, -1 if it is none.
func memberIndex(multi *kmultisig.LegacyAminoPubKey, pub cryptotypes.PubKey) int {
	for i, k := range multi.GetPubKeys() {
		if bytes.Equal(k.Bytes(), pub.Bytes()) && k.Type() == pub.Type() {
			return i
		}
	}
	return -1
}

// SignPart signs b, a transaction from multi's address, with the member
// key named member of kr (a Ledger key through ledger when given), for
// the multisig account's number and sequence in sd: the partial signature
// that Combine collects. It needs no network: offline, sd comes from the
// user. The signature is verified before it is returned.
func SignPart(ctx context.Context, cfg *encoding.Config, kr keyring.Keyring, ledger LedgerSigner, member string, b client.TxBuilder, multi *kmultisig.LegacyAminoPubKey, sd SignerData) (signingtypes.SignatureV2, error) {
	var none signingtypes.SignatureV2
	rec, err := kr.Key(member)
	if err != nil {
		ke := tx.NewKeyError(member, err, "")
		ke.Then = errkind.Remedy{Do: errkind.ListKeys}
		return none, ke
	}
	if _, err := ModeFor(rec); err != nil {
		return none, err
	}
	pub, err := rec.GetPubKey()
	if err != nil {
		return none, tx.NewKeyError(member, err, "")
	}
	multiAddr := cfg.Bech32(sdk.AccAddress(multi.Address()))
	if memberIndex(multi, pub) < 0 {
		return none, tx.NewKeyError(member, fmt.Errorf("is not a member of the multisig %s", multiAddr), "sign with one of the multisig's member keys")
	}
	if b.GetTx().GetUnordered() && sd.Sequence != 0 {
		return none, tx.Inputf("leave --sequence out for --unordered", "an unordered transaction must not carry a sequence (got %d)", sd.Sequence)
	}
	signBytes, err := multisigBytes(ctx, cfg, b, multi, sd)
	if err != nil {
		return none, err
	}
	var sig []byte
	if rec.GetType() == keyring.TypeLedger && ledger != nil {
		sig, _, err = ledger(kr, member, signBytes)
	} else {
		sig, _, err = kr.Sign(member, signBytes, MultisigMode)
	}
	if err != nil {
		return none, tx.NewKeyError(member, fmt.Errorf("signing failed: %w", err), signHint(rec))
	}
	if !pub.VerifySignature(signBytes, sig) {
		return none, tx.NewKeyError(member, fmt.Errorf("returned a signature that does not verify"), "nothing was written; try again")
	}
	return signingtypes.SignatureV2{PubKey: pub, Data: &signingtypes.SingleSignatureData{SignMode: MultisigMode, Signature: sig}, Sequence: sd.Sequence}, nil
}

// sigFileHint is what to do about a signature file that cannot be used.
const sigFileHint = "give the signature file a member of this multisig wrote for this transaction"

// EncodeSignatures writes partial signatures as the SDK's signature JSON
// (what `tx sign --multisig` writes and `tx multisign` reads).
func EncodeSignatures(cfg *encoding.Config, sigs ...signingtypes.SignatureV2) ([]byte, error) {
	return cfg.TxConfig.MarshalSignatureJSON(sigs)
}

// DecodeSignatures reads the SDK's signature JSON. A file it cannot read
// is the user's input error; a panic in the SDK's decoder is one too.
func DecodeSignatures(cfg *encoding.Config, bz []byte) (sigs []signingtypes.SignatureV2, err error) {
	defer func() {
		if r := recover(); r != nil {
			sigs, err = nil, tx.Inputf(sigFileHint, "the signature file is malformed")
		}
	}()
	sigs, err = cfg.TxConfig.UnmarshalSignatureJSON(bz)
	if err != nil {
		return nil, tx.Inputf(sigFileHint, "the signature file cannot be read: %v", err)
	}
	for i, s := range sigs {
		if s.PubKey == nil || s.Data == nil {
			return nil, tx.Inputf(sigFileHint, "signature %d carries no public key or no signature", i+1)
		}
		if !validPubKey(s.PubKey) {
			return nil, tx.Inputf(sigFileHint, "signature %d carries a malformed public key", i+1)
		}
	}
	return sigs, nil
}

// ReadSignatures reads a signature file (the SDK's signature JSON, as
// `tx sign --multisig` writes it), at most MaxFileSize bytes.
func ReadSignatures(cfg *encoding.Config, path string) ([]signingtypes.SignatureV2, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, tx.Inputf("check the path", "cannot read signature file: %w", err)
	}
	defer f.Close()
	bz, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, tx.Inputf("check the path", "cannot read signature file: %w", err)
	}
	if len(bz) > MaxFileSize {
		return nil, tx.Inputf(sigFileHint, "signature file %s is larger than %d bytes", path, MaxFileSize)
	}
	sigs, err := DecodeSignatures(cfg, bz)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return sigs, nil
}

// validPubKey reports whether pk has an address: the SDK's keys panic on
// a key of the wrong length.
func validPubKey(pk cryptotypes.PubKey) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return len(pk.Address()) > 0
}

// Combine checks each partial signature against multi and the sign bytes
// of b for the multisig account (sd), then makes them one multisignature
// with the SDK's multisig.AddSignatureV2 and sets it on b. Refused, with
// nothing set: a signature by a key that is not a member, the same member
// twice, a signature in another mode or for another sequence, one that
// does not verify over these bytes (made over another transaction, chain
// or account number), fewer valid signatures than the threshold.
func Combine(ctx context.Context, cfg *encoding.Config, b client.TxBuilder, multi *kmultisig.LegacyAminoPubKey, parts []signingtypes.SignatureV2, sd SignerData) (err error) {
	defer func() {
		// Parts come from files: an odd key or signature the SDK's code
		// panics on is refused like any other bad part.
		if r := recover(); r != nil {
			_ = b.SetSignatures()
			err = tx.Inputf(sigFileHint, "the signatures cannot be combined: %v", r)
		}
	}()
	signBytes, err := multisigBytes(ctx, cfg, b, multi, sd)
	if err != nil {
		return err
	}
	multiAddr := cfg.Bech32(sdk.AccAddress(multi.Address()))
	seen := map[int]bool{}
	for i, p := range parts {
		if p.PubKey == nil || !validPubKey(p.PubKey) {
			return tx.Inputf("", "signature %d carries no valid public key", i+1)
		}
		who := cfg.Bech32(sdk.AccAddress(p.PubKey.Address()))
		idx := memberIndex(multi, p.PubKey)
		if idx < 0 {
			return tx.Inputf("collect signatures from the multisig's members only",
				"signature %d is by %s, which is not a member of the multisig %s", i+1, who, multiAddr)
		}
		if seen[idx] {
			return tx.Inputf("give each member's signature once", "signature %d is a second signature by member %s", i+1, who)
		}
		seen[idx] = true
		single, ok := p.Data.(*signingtypes.SingleSignatureData)
		if !ok || single.SignMode != MultisigMode {
			return tx.Inputf("have the member sign it as a multisig member, which signs in amino JSON",
				"signature %d by %s is not a single amino-JSON signature", i+1, who)
		}
		if p.Sequence != sd.Sequence {
			return tx.Inputf("have the member sign again for the multisig's current sequence",
				"signature %d by %s was made for sequence %d; the transaction is for sequence %d", i+1, who, p.Sequence, sd.Sequence)
		}
		if !p.PubKey.VerifySignature(signBytes, single.Signature) {
			return tx.Inputf("have the member sign this very transaction file again",
				"signature %d by %s does not verify over this transaction for chain %s, account number %d, sequence %d: it was made over other bytes",
				i+1, who, sd.ChainID, sd.AccountNumber, sd.Sequence)
		}
	}
	if len(seen) < int(multi.Threshold) {
		return tx.Inputf(fmt.Sprintf("collect %d more member signature(s)", int(multi.Threshold)-len(seen)),
			"%d valid signature(s) of the %d the multisig %s needs", len(seen), multi.Threshold, multiAddr)
	}
	msig := multisig.NewMultisig(len(multi.GetPubKeys()))
	for _, p := range parts {
		if err := multisig.AddSignatureV2(msig, p, multi.GetPubKeys()); err != nil {
			return tx.Inputf("", "combining the signatures: %v", err)
		}
	}
	if err := b.SetSignatures(signingtypes.SignatureV2{PubKey: multi, Data: msig, Sequence: sd.Sequence}); err != nil {
		return err
	}
	// The whole, as the chain's ante handler will check it.
	if err := Verify(ctx, cfg, b, sd); err != nil {
		_ = b.SetSignatures()
		return fmt.Errorf("the combined multisignature does not verify: %w", err)
	}
	return nil
}

// simMultisig is the empty multisignature a simulation carries for a
// multisig signer: threshold empty signatures, so that the node charges
// the verification gas the real one will cost.
func simMultisig(multi *kmultisig.LegacyAminoPubKey) signingtypes.SignatureData {
	msig := multisig.NewMultisig(len(multi.GetPubKeys()))
	for i := 0; i < int(multi.Threshold) && i < len(multi.GetPubKeys()); i++ {
		multisig.AddSignature(msig, &signingtypes.SingleSignatureData{SignMode: MultisigMode}, i)
	}
	return msig
}
