package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/cosmos/cosmos-sdk/client"
	kmultisig "github.com/cosmos/cosmos-sdk/crypto/keys/multisig"
	sdk "github.com/cosmos/cosmos-sdk/types"
	signingtypes "github.com/cosmos/cosmos-sdk/types/tx/signing"
	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/internal/output"
	"github.com/akash-wallet/akw/keys"
	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/flow"
	"github.com/akash-wallet/akw/tx/sign"
	"github.com/akash-wallet/akw/wallet"
)

// A multisig account's transaction, from the command line, in the SDK's
// three steps: generate it from the multisig (`--generate-only`), have
// each member sign it apart (`tx sign FILE --multisig M --from MEMBER`,
// which writes a partial signature), combine (`tx multisign FILE M
// SIG...`), then `tx broadcast` as any signed file. Members sign in amino
// JSON so that a Ledger member can; the library (tx/sign's SignPart and
// Combine) checks every part before it is combined.

// multisigSteps is the hint that says the three steps.
const multisigSteps = "generate it with --generate-only, have each member run `akw tx sign FILE --multisig MULTISIG --from MEMBER`, then `akw tx multisign FILE MULTISIG SIG...`"

// resolvedMultisig is the multisig key a command signs for: its public
// key, its address, and where akw found it.
type resolvedMultisig struct {
	Pub     *kmultisig.LegacyAminoPubKey
	Address sdk.AccAddress
	From    string // "key NAME", or "the verified account"
}

// resolveMultisig finds the multisig key arg names: a multisig key's name
// in the keyring, or a multisig address; for an address, the keyring's
// multisig key with that address, else (online) the public key the
// verified account holds once the multisig has signed a transaction.
func resolveMultisig(ctx context.Context, s *wallet.Session, env *flow.Env, arg string, offline bool) (resolvedMultisig, error) {
	var none resolvedMultisig
	kr := s.Keyring()
	addr, aerr := address.Account(arg, env.Prefixes)
	if aerr != nil {
		multi, err := kr.Multisig(arg)
		if err != nil {
			if strings.HasPrefix(arg, env.Prefixes.Account+"1") {
				return none, txError(aerr)
			}
			return none, output.Wrap(output.ExitCode(keysError(err)), err, "", "give --multisig a multisig key's name (`akw keys list` shows them as multisig) or its address")
		}
		return resolvedMultisig{Pub: multi, Address: sdk.AccAddress(multi.Address()), From: "key " + arg}, nil
	}
	if k, err := kr.KeyByAddress(arg); err == nil {
		if k.Type != keys.TypeMulti {
			return none, output.New(output.Key, fmt.Sprintf("%s is the address of key %q, a %s key, not a multisig", arg, k.Name, k.Type), "give the multisig's address or name")
		}
		multi, err := kr.Multisig(k.Name)
		if err != nil {
			return none, keysError(err)
		}
		return resolvedMultisig{Pub: multi, Address: addr, From: "key " + k.Name}, nil
	}
	if !offline {
		a, err := s.Source().Account(ctx, addr)
		if err == nil {
			if multi, ok := a.PubKey.(*kmultisig.LegacyAminoPubKey); ok && a.Verified {
				return resolvedMultisig{Pub: multi, Address: addr, From: "the verified account"}, nil
			}
		}
	}
	return none, output.New(output.Usage, fmt.Sprintf("akw does not know the multisig key of %s: no multisig key in the keyring has this address, and the chain has none on record for it", arg),
		"add it first with `akw keys add NAME --multisig MEMBER,MEMBER,... --multisig-threshold K` (the same members and threshold give the same address)")
}

// multisigSignerData is the multisig account's number and sequence: from
// --account-number and --sequence offline, else the verified account
// (--sequence may still be given). verified says which.
func multisigSignerData(ctx context.Context, s *wallet.Session, env *flow.Env, o *txOptions, addr sdk.AccAddress, unordered bool) (sd sign.SignerData, verified bool, err error) {
	sd = sign.SignerData{ChainID: env.ChainID}
	if o.Offline {
		if !o.changed("account-number") || (!unordered && !o.changed("sequence")) {
			return sd, false, output.UsageError("signing offline needs the multisig account's number and sequence",
				"pass --account-number N --sequence N (from `akw query account MULTISIG` on a connected machine)")
		}
		sd.AccountNumber, sd.Sequence = o.AccountNumber, o.Sequence
	} else {
		a, err := s.Source().Account(ctx, addr)
		if err != nil {
			return sd, false, txError(err)
		}
		sd.AccountNumber, sd.Sequence, verified = a.Number, a.Sequence, a.Verified
		if o.changed("account-number") && o.AccountNumber != a.Number {
			return sd, false, output.UsageError(fmt.Sprintf("--account-number %d differs from the multisig's verified account number %d", o.AccountNumber, a.Number), "drop --account-number to use the verified one")
		}
		if o.changed("sequence") {
			sd.Sequence, verified = o.Sequence, false
		}
	}
	if unordered {
		sd.Sequence = 0
	}
	return sd, verified, nil
}

// openTxFile opens the session a command over a transaction file works
// in (with the keyring; offline with --offline) and reads the file.
func openTxFile(ctx context.Context, app *App, o *txOptions, path string) (*wallet.Session, *flow.Env, client.TxBuilder, error) {
	s, err := openTx(ctx, app, o, true, o.Offline)
	if err != nil {
		return nil, nil, nil, err
	}
	env, err := s.Env()
	if err == nil {
		var b client.TxBuilder
		if b, err = sign.ReadFile(env.Enc, path, app.IO.In); err == nil {
			return s, env, b, nil
		}
	}
	s.Close()
	return nil, nil, nil, txError(err)
}

// runTxSignMultisig is `tx sign FILE --multisig M --from MEMBER`: the
// member's partial signature, written as the SDK's signature JSON.
func runTxSignMultisig(app *App, so *txSignOptions) error {
	o := so.Tx
	ctx := app.Context()
	pctx, cancel := contextWithTimeout(ctx, o.Timeout)
	defer cancel()
	s, env, b, err := openTxFile(pctx, app, o, so.File)
	if err != nil {
		return err
	}
	defer s.Close()
	m, err := resolveMultisig(pctx, s, env, so.Multisig, o.Offline)
	if err != nil {
		return err
	}
	sd, verified, err := multisigSignerData(pctx, s, env, o, m.Address, b.GetTx().GetUnordered())
	if err != nil {
		return err
	}
	if err := sign.CheckMemo(b.GetTx().GetMemo()); err != nil {
		return txError(err)
	}
	fmt.Fprintf(app.IO.Err, "signing as %s for the multisig %s (%s: %d of %d members must sign):\n",
		so.From, env.Enc.Bech32(m.Address), m.From, m.Pub.Threshold, len(m.Pub.GetPubKeys()))
	writeDecoded(app.IO.Err, sign.Describe(env.Enc, b, env.Denoms))
	src := "given"
	if verified {
		src = "verified"
	}
	fmt.Fprintf(app.IO.Err, "  chain-id %s, multisig account %d, sequence %d (%s); amino JSON\n", sd.ChainID, sd.AccountNumber, sd.Sequence, src)
	part, err := sign.SignPart(ctx, env.Enc, env.Keyring, env.Ledger, so.From, b, m.Pub, sd)
	if err != nil {
		return txError(err)
	}
	bz, err := sign.EncodeSignatures(env.Enc, part)
	if err != nil {
		return err
	}
	if o.Out != "" {
		if err := sign.WriteFile(o.Out, bz, o.Overwrite); err != nil {
			return txError(err)
		}
		app.Printer.Notice("signature of %s written to %s; combine the members' signatures with `akw tx multisign`", so.From, o.Out)
		return nil
	}
	_, err = app.IO.Out.Write(bz)
	return err
}

// txMultisignOptions are what `akw tx multisign` was asked.
type txMultisignOptions struct {
	Tx         *txOptions
	File       string
	Multisig   string
	Signatures []string
}

func newTxMultisignCmd(app *App, to *txOptions, runF func(*txMultisignOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   "multisign FILE MULTISIG SIGNATURE-FILE...",
		Short: "Combine the members' signatures into a signed multisig transaction",
		Long: `Combine partial signatures (written by "akw tx sign FILE --multisig MULTISIG
--from MEMBER") into the multisignature of the transaction file FILE (from
--generate-only). MULTISIG is the multisig key's name or address.

Each signature is checked before anything is written: it must be a member's,
each member's only once, in amino JSON, for the multisig account's number
and sequence (verified; with --offline, --account-number and --sequence),
and verify over this very transaction for this chain; then there must be as
many as the threshold. The signed transaction goes to stdout or --out;
broadcast it with "akw tx broadcast".`,
		Example: `  akw tx multisign unsigned.json treasury hw.sig desk.sig --out signed.json`,
		Args:    cobra.MinimumNArgs(3),
		RunE: func(_ *cobra.Command, args []string) error {
			mo := &txMultisignOptions{Tx: to, File: args[0], Multisig: args[1], Signatures: args[2:]}
			for _, p := range mo.Signatures {
				if p == "-" {
					return output.UsageError("a signature file cannot be stdin", "give each signature file by its path")
				}
			}
			if runF != nil {
				return runF(mo)
			}
			return runTxMultisign(app, mo)
		},
	}
}

func runTxMultisign(app *App, mo *txMultisignOptions) error {
	o := mo.Tx
	ctx := app.Context()
	pctx, cancel := contextWithTimeout(ctx, o.Timeout)
	defer cancel()
	s, env, b, err := openTxFile(pctx, app, o, mo.File)
	if err != nil {
		return err
	}
	defer s.Close()
	m, err := resolveMultisig(pctx, s, env, mo.Multisig, o.Offline)
	if err != nil {
		return err
	}
	var parts []signingtypes.SignatureV2
	for _, p := range mo.Signatures {
		sigs, err := sign.ReadSignatures(env.Enc, p)
		if err != nil {
			return txError(err)
		}
		parts = append(parts, sigs...)
	}
	sd, verified, err := multisigSignerData(pctx, s, env, o, m.Address, b.GetTx().GetUnordered())
	if err != nil {
		return err
	}
	if err := sign.Combine(pctx, env.Enc, b, m.Pub, parts, sd); err != nil {
		return txError(err)
	}
	src := "given"
	if verified {
		src = "verified"
	}
	fmt.Fprintf(app.IO.Err, "combined %d signature(s) of the multisig %s (%d needed), for chain-id %s, account %d, sequence %d (%s):\n",
		len(parts), env.Enc.Bech32(m.Address), m.Pub.Threshold, sd.ChainID, sd.AccountNumber, sd.Sequence, src)
	writeDecoded(app.IO.Err, sign.Describe(env.Enc, b, env.Denoms))
	bz, err := sign.EncodeJSON(env.Enc, b)
	if err != nil {
		return err
	}
	return writeTx(app, o, bz)
}

// multisigSigText is a multisignature in `tx decode`'s words.
func multisigSigText(s sign.SigView) string {
	m := s.Multisig
	who := "none yet"
	if len(m.SignedBy) > 0 {
		who = strings.Join(m.SignedBy, ", ")
	}
	state := "complete"
	if m.Collected < m.Threshold {
		state = fmt.Sprintf("INCOMPLETE: %d more needed", m.Threshold-m.Collected)
	}
	return fmt.Sprintf("multisig %s, %d of %d needed (%d members), sequence %d, %s; signed by %s", s.Signer, m.Collected, m.Threshold, m.Members, s.Sequence, state, who)
}

// multisigPartial reports whether d carries a multisignature with fewer
// signatures than its threshold: not signed, but not empty either.
func multisigPartial(d sign.Decoded) bool {
	for _, s := range d.Sigs {
		if s.Multisig != nil && s.Multisig.Collected > 0 && s.Multisig.Collected < s.Multisig.Threshold {
			return true
		}
	}
	return false
}
