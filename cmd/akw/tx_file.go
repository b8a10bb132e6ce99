package main

import (
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/internal/output"
	"github.com/akash-wallet/akw/tx"
	"github.com/akash-wallet/akw/tx/broadcast"
	"github.com/akash-wallet/akw/tx/flow"
	"github.com/akash-wallet/akw/tx/ops"
	"github.com/akash-wallet/akw/tx/sign"
)

// txSignOptions are what `akw tx sign` was asked.
type txSignOptions struct {
	Tx   *txOptions
	File string
	From string
	// Multisig: sign as a member of this multisig key (name or address),
	// writing a partial signature (tx_multisig.go).
	Multisig string
}

func newTxSignCmd(app *App, to *txOptions, runF func(*txSignOptions) error) *cobra.Command {
	so := &txSignOptions{Tx: to}
	cmd := &cobra.Command{
		Use:   "sign FILE --from KEY",
		Short: "Sign a transaction file (from --generate-only), or as one member of a multisig; with --offline, touch no network",
		Long: `Sign a transaction file written by --generate-only (or by the Akash CLI).
The account number and sequence come from verified state, or with --offline
from --account-number and --sequence: then akw opens no connection at all,
which is how a Ledger on an air-gapped machine signs. FILE may be - for
stdin. The signed transaction goes to stdout or --out.

With --multisig MULTISIG (a multisig key's name or address) the key --from
signs as one member of that multisig, in amino JSON (so a Ledger member can),
for the multisig account's number and sequence; what is written is that
member's signature, to combine with the others' by "akw tx multisign".`,
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			so.File = args[0]
			if so.From == "" {
				return output.UsageError("--from is required", "give the key to sign with: --from KEY")
			}
			if runF != nil {
				return runF(so)
			}
			if so.Multisig != "" {
				return runTxSignMultisig(app, so)
			}
			return runTxSign(app, so)
		},
	}
	cmd.Flags().StringVar(&so.From, "from", "", "key to sign with")
	cmd.Flags().StringVar(&so.Multisig, "multisig", "", "sign as a member of this multisig (key name or address): writes a partial signature for `akw tx multisign`")
	return cmd
}

func runTxSign(app *App, so *txSignOptions) error {
	o, from := so.Tx, so.From
	ctx := app.Context()
	pctx, cancel := contextWithTimeout(ctx, o.Timeout)
	defer cancel()
	s, env, b, err := openTxFile(pctx, app, o, so.File)
	if err != nil {
		return err
	}
	defer s.Close()
	key, err := s.Signer(pctx, from, false)
	if err != nil {
		return txError(err)
	}
	signer, err := sign.Signer(b)
	if err != nil {
		return txError(err)
	}
	if !signer.Equals(key.Address) {
		return output.New(output.Key, fmt.Sprintf("key %q (%s) is not the transaction's signer %s", from, env.Enc.Bech32(key.Address), env.Enc.Bech32(signer)), "sign with the key of the address the transaction is from")
	}
	unordered := b.GetTx().GetUnordered()
	sd := sign.SignerData{ChainID: env.ChainID}
	verified := false
	switch {
	case o.Offline:
		if !o.changed("account-number") || (!unordered && !o.changed("sequence")) {
			return output.UsageError("signing offline needs the account number and sequence", "pass --account-number N --sequence N (from `akw query account` on a connected machine)")
		}
		sd.AccountNumber, sd.Sequence = o.AccountNumber, o.Sequence
	default:
		a, err := s.Source().Account(pctx, key.Address)
		if err != nil {
			return txError(err)
		}
		sd.AccountNumber, sd.Sequence, verified = a.Number, a.Sequence, a.Verified
		if o.changed("sequence") {
			sd.Sequence, verified = o.Sequence, false
		}
	}
	if unordered {
		sd.Sequence = 0
	}
	if err := sign.CheckMemo(b.GetTx().GetMemo()); err != nil {
		return txError(err)
	}
	d := sign.Describe(env.Enc, b, env.Denoms)
	fmt.Fprintln(app.IO.Err, "signing:")
	writeDecoded(app.IO.Err, d)
	src := "given"
	if verified {
		src = "verified"
	}
	fmt.Fprintf(app.IO.Err, "  chain-id %s, account %d, sequence %d (%s)\n", sd.ChainID, sd.AccountNumber, sd.Sequence, src)
	if _, err := sign.Sign(ctx, env.Enc, env.Keyring, env.Ledger, from, b, sd); err != nil {
		return txError(err)
	}
	bz, err := sign.EncodeJSON(env.Enc, b)
	if err != nil {
		return err
	}
	return writeTx(app, o, bz)
}

// txBroadcastOptions are what `akw tx broadcast` was asked.
type txBroadcastOptions struct {
	Tx   *txOptions
	File string
}

func newTxBroadcastCmd(app *App, to *txOptions, runF func(*txBroadcastOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   "broadcast FILE",
		Short: "Broadcast a signed transaction file and wait for proven inclusion",
		Long: `Broadcast a signed transaction file and wait until its inclusion is proven.
Before sending, akw checks the signature against the verified account
number and this network's chain-id, and looks the transaction up by its
hash: a transaction already included is reported, not sent again.`,
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			bo := &txBroadcastOptions{Tx: to, File: args[0]}
			if to.Offline {
				return output.UsageError("cannot broadcast with --offline", "broadcast from a connected machine")
			}
			if runF != nil {
				return runF(bo)
			}
			return runTxBroadcast(app, bo)
		},
	}
}

func runTxBroadcast(app *App, bo *txBroadcastOptions) error {
	start := time.Now()
	o := bo.Tx
	ctx := app.Context()
	pctx, cancel := contextWithTimeout(ctx, o.Timeout)
	defer cancel()
	s, err := openTx(pctx, app, o, false, false)
	if err != nil {
		return err
	}
	defer s.Close()
	env, err := s.Env()
	if err != nil {
		return txError(err)
	}
	b, err := sign.ReadFile(env.Enc, bo.File, app.IO.In)
	if err != nil {
		return txError(err)
	}
	d := sign.Describe(env.Enc, b, env.Denoms)
	if multisigPartial(d) {
		return output.UsageError("the multisig transaction carries too few signatures", "combine as many members' signatures as its threshold with `akw tx multisign FILE MULTISIG SIG...`")
	}
	if !d.Signed {
		return output.UsageError("the transaction is not signed", "sign it first with `akw tx sign FILE --from KEY`")
	}
	signer, err := sign.Signer(b)
	if err != nil {
		return txError(err)
	}
	txBytes, err := sign.Encode(env.Enc, b)
	if err != nil {
		return err
	}
	hash := broadcast.Hash(txBytes)

	// Already included? Then report it; never send it twice.
	st, err := s.Lookup(pctx, hash)
	if err != nil {
		return txError(err)
	}
	if st.Inclusion != nil {
		app.Printer.Notice("transaction %s is already included in block %d; not broadcasting it again", broadcast.HashString(hash), st.Inclusion.Height)
		res := inclusionResult(hash, st.Inclusion)
		if err := printResult(app, res, start, nil, nil); err != nil {
			return err
		}
		if res.Code != 0 {
			return txError(&tx.RejectedError{Stage: tx.StageDeliver, Hash: res.TxHash, Height: res.Height, Code: res.Code, Codespace: res.Codespace, Log: res.Log, Verified: res.Verified})
		}
		return nil
	}

	// The signature must be good for this chain and the signer's
	// verified account number, and the sequence not used up.
	src := s.Source()
	a, err := src.Account(pctx, signer)
	if err != nil {
		return txError(err)
	}
	sd := sign.SignerData{ChainID: env.ChainID, AccountNumber: a.Number}
	if err := sign.Verify(pctx, env.Enc, b, sd); err != nil {
		return output.New(output.Rejected, fmt.Sprintf("the signature does not verify for chain %s and account number %d (verified): %v", sd.ChainID, a.Number, err),
			"sign it again for this chain: `akw tx sign FILE --from KEY` (offline: pass this network's --chain-id and --account-number)")
	}
	if b.GetTx().GetUnordered() {
		// An expired unordered transaction can only be refused.
		now, err := src.Time(pctx)
		if err != nil {
			return txError(err)
		}
		// The verified header's time lags the chain by a block;
		// the local clock may be ahead. Either one saying the
		// timeout has passed is enough to refuse.
		if local := time.Now(); local.After(now) {
			now = local
		}
		if ts := b.GetTx().GetTimeoutTimeStamp(); !ts.After(now) {
			return output.New(output.Rejected, fmt.Sprintf("the unordered transaction expired at %s (it is now %s)", ts.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339)),
				"build and sign a new one with a later --timeout-duration, and broadcast it within that time")
		}
	} else {
		for _, sig := range d.Sigs {
			if sig.Sequence < a.Sequence {
				return output.New(output.Rejected, fmt.Sprintf("the transaction was signed with sequence %d, but the account's verified sequence is already %d: it was used by another transaction", sig.Sequence, a.Sequence),
					"build and sign a new transaction")
			}
		}
	}
	fmt.Fprintln(app.IO.Err, "about to broadcast:")
	writeDecoded(app.IO.Err, d)
	if err := app.Confirm("Broadcast this transaction?"); err != nil {
		return err
	}
	res, err := s.Broadcast(ctx, txBytes, b.GetTx().GetFee(), progressNotes(app))
	if err != nil {
		if res != nil && res.TxHash != "" {
			_ = printResult(app, res, start, nil, nil)
		}
		return txError(err)
	}
	return printResult(app, res, start, nil, nil)
}

func inclusionResult(hash []byte, inc *tx.Inclusion) *flow.Result {
	res := &flow.Result{TxHash: broadcast.HashString(hash)}
	res.Include(inc)
	return res
}

func writeDecoded(w io.Writer, d sign.Decoded) {
	for i, m := range d.Messages {
		if len(d.Messages) > 1 {
			fmt.Fprintf(w, " message %d:\n", i+1)
		}
		if !m.Known {
			fmt.Fprintln(w, "  WARNING: akw does not know this message type; read it carefully")
		}
		writeFields(w, m.Fields)
	}
	f := []ops.Field{{Label: "fee", Value: d.Fee}, {Label: "gas", Value: fmt.Sprint(d.Gas)}}
	if d.Memo != "" {
		f = append(f, ops.Field{Label: "memo", Value: d.Memo})
	}
	if d.Unordered {
		f = append(f, ops.Field{Label: "unordered", Value: "valid until " + d.Timeout.Format(time.RFC3339)})
	}
	f = append(f, ops.Field{Label: "signer", Value: strings.Join(d.Signers, ", ")})
	if d.Signed || multisigPartial(d) {
		for _, s := range d.Sigs {
			if s.Multisig != nil {
				f = append(f, ops.Field{Label: "signature", Value: multisigSigText(s)})
				continue
			}
			f = append(f, ops.Field{Label: "signature", Value: fmt.Sprintf("by %s, sequence %d, %s", s.Signer, s.Sequence, s.Mode)})
		}
	} else {
		f = append(f, ops.Field{Label: "signature", Value: "none (unsigned)"})
	}
	writeFields(w, f)
}

// decodeJSON is `tx decode` in JSON.
type decodeJSON struct {
	sign.Decoded
	ChainID string `json:"chain_id"`
	Note    string `json:"note"`
}

// txDecodeOptions are what `akw tx decode` was asked.
type txDecodeOptions struct {
	Tx   *txOptions
	File string
}

func newTxDecodeCmd(app *App, to *txOptions, runF func(*txDecodeOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   "decode FILE",
		Short: "Show what a transaction file does, in plain words (no network)",
		Long: `Show what a transaction file does: each message with amounts in AKT, the
fee, the memo, the signer and any signatures. It touches no network. A
transaction file does not name its chain: the chain-id shown is the one akw
would sign it for (--network / --chain-id).`,
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			do := &txDecodeOptions{Tx: to, File: args[0]}
			if runF != nil {
				return runF(do)
			}
			return runTxDecode(app, do)
		},
	}
}

func runTxDecode(app *App, do *txDecodeOptions) error {
	n, err := txNetwork(app, true)
	if err != nil {
		return err
	}
	s, err := openTx(app.Context(), app, do.Tx, false, true)
	if err != nil {
		return err
	}
	env, err := s.Env()
	if err != nil {
		return txError(err)
	}
	b, err := sign.ReadFile(env.Enc, do.File, app.IO.In)
	if err != nil {
		return txError(err)
	}
	d := sign.Describe(env.Enc, b, env.Denoms)
	j := decodeJSON{Decoded: d, ChainID: n.ChainID, Note: "a transaction file does not name its chain; chain_id is the one akw would sign it for"}
	return app.Printer.Result(j, func(w io.Writer) error {
		writeDecoded(w, d)
		fmt.Fprintf(w, "  would be signed for chain-id %s (the file does not name its chain)\n", n.ChainID)
		return nil
	})
}

// txStatusOptions are what `akw tx status` was asked: the hash decoded.
type txStatusOptions struct {
	Tx   *txOptions
	Hash []byte
}

func newTxStatusCmd(app *App, to *txOptions, runF func(*txStatusOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   "status TXHASH",
		Short: "Look a transaction up by hash: proven inclusion and result, or mempool (node-reported)",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			hash, err := hex.DecodeString(strings.TrimPrefix(strings.TrimSpace(args[0]), "0x"))
			if err != nil || len(hash) != 32 {
				return output.UsageError(fmt.Sprintf("%q is not a transaction hash", args[0]), "give the 64 hex characters akw printed as txhash")
			}
			so := &txStatusOptions{Tx: to, Hash: hash}
			if runF != nil {
				return runF(so)
			}
			return runTxStatus(app, so)
		},
	}
}

func runTxStatus(app *App, so *txStatusOptions) error {
	start := time.Now()
	o, hash := so.Tx, so.Hash
	pctx, cancel := contextWithTimeout(app.Context(), o.Timeout)
	defer cancel()
	s, err := openTx(pctx, app, o, false, false)
	if err != nil {
		return err
	}
	defer s.Close()
	st, err := s.Lookup(pctx, hash)
	if err != nil {
		return txError(err)
	}
	if st.Inclusion == nil {
		type pending struct {
			TxHash    string `json:"txhash"`
			Included  bool   `json:"included"`
			InMempool bool   `json:"in_mempool"`
			Verified  bool   `json:"verified"`
			Note      string `json:"note"`
		}
		p := pending{TxHash: broadcast.HashString(hash), InMempool: st.InMempool, Note: "not included in any block the node knows; mempool presence is node-reported"}
		if err := app.Printer.Result(p, func(w io.Writer) error {
			fmt.Fprintf(w, "txhash: %s\nnot included in any block the node knows", p.TxHash)
			if p.InMempool {
				fmt.Fprint(w, "; the node lists it in its mempool (node-reported)")
			}
			fmt.Fprintln(w)
			return nil
		}); err != nil {
			return err
		}
		return output.New(output.Failure, "transaction not included", "wait and look again, or check another node with --node")
	}
	res := inclusionResult(hash, st.Inclusion)
	return printResult(app, res, start, nil, nil)
}
