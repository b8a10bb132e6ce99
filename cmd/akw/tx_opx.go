package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-wallet/akw/tx"
	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/amount"
	"github.com/akash-wallet/akw/tx/encoding"
	"github.com/akash-wallet/akw/tx/flow"
	"github.com/akash-wallet/akw/tx/ops"
	"github.com/akash-wallet/akw/tx/sign"
	"github.com/akash-wallet/akw/wallet"
)

// The operations of grants, fee allowances, deposits and proposals have
// parsers of their own (ops.ParseGrant, ParseAllowance, ParseDeposit,
// ParseProposalFile, NewExec): they need the codec or the clock, which an
// ops.Request does not carry. Their commands share what is here: the
// checks before anything is opened (checkOpX) and the run (runOpX, over
// runPrepare, the path of every other operation).

// opSpec is what an operation command was asked, able to make the
// operation for a signer. Its options struct implements it, so that the
// flag tests compare plain data.
type opSpec interface {
	build(e *opEnv, signer sdk.AccAddress) (ops.Op, error)
}

// opEnv is what the parsers need: the network's token and prefixes, the
// codec (message types, signers, JSON), the local clock (a relative
// expiration is from now; the checks compare with the chain's time), and
// the files the command reads.
type opEnv struct {
	Denoms   amount.Denoms
	Prefixes address.Prefixes
	Enc      *encoding.Config
	Now      time.Time

	// stdin is nil before the run: a file given as "-" is read once, by
	// the run, and not checked before.
	stdin io.Reader
	mu    sync.Mutex
	files map[string][]byte
}

// readFile reads path ("-": stdin) once, however often the operation is
// built (the wallet builds it afresh for a retry on another node). ok is
// false for stdin before the run.
func (e *opEnv) readFile(path string, limit int64) (bz []byte, ok bool, err error) {
	if path == "-" && e.stdin == nil {
		return nil, false, nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if bz, ok := e.files[path]; ok {
		return bz, true, nil
	}
	r := e.stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, false, tx.Inputf("check the path", "cannot read %s: %w", path, err)
		}
		defer f.Close()
		r = f
	}
	bz, err = io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, false, tx.Inputf("check the path", "cannot read %s: %w", path, err)
	}
	if int64(len(bz)) > limit {
		return nil, false, tx.Inputf("", "%s is more than the %d bytes akw reads", fileName(path), limit)
	}
	if e.files == nil {
		e.files = map[string][]byte{}
	}
	e.files[path] = bz
	return bz, true, nil
}

func fileName(path string) string {
	if path == "-" {
		return "stdin"
	}
	return path
}

// placeholderSigner stands for a signer given by key name while no
// keyring is open: the checks before the run parse everything but who
// signs. It is no one's address (a hash, not a key's), so that no
// argument is taken for the signer itself.
var placeholderSigner = func() sdk.AccAddress {
	h := sha256.Sum256([]byte("akw: the signer, not yet known"))
	return sdk.AccAddress(h[:20])
}()

// checkOpX checks what an operation command was asked, with no keyring
// and no node: the shared flags into fo, then the operation parsed for
// the signer when from is an address, else for a placeholder. What
// depends on a signer given by key name (a grant to oneself) is refused
// by the same parser in the run, still before anything is signed.
func checkOpX(app *App, o *txOptions, from string, fo *flow.Options, spec opSpec) error {
	if err := o.checkModes(); err != nil {
		return err
	}
	n, err := txNetwork(app, true)
	if err != nil {
		return err
	}
	d := wallet.Denoms(n)
	if *fo, err = o.flowOptions(app, d); err != nil {
		return err
	}
	enc, err := encoding.New(n.Bech32Prefix)
	if err != nil {
		return fmt.Errorf("the codec: %w", err)
	}
	p := address.For(n.Bech32Prefix)
	signer, aerr := address.Account(from, p)
	if aerr != nil {
		signer = placeholderSigner
	}
	e := &opEnv{Denoms: d, Prefixes: p, Enc: enc, Now: time.Now()}
	if _, err := spec.build(e, signer); err != nil {
		return txError(err)
	}
	return nil
}

// runOpCmd is the end of an operation command's RunE once its arguments
// are in o: the checks that need nothing opened, then runF (flag tests)
// or the run.
func runOpCmd[O opSpec](app *App, to *txOptions, o O, from string, fo *flow.Options, runF func(O) error) error {
	if err := checkOpX(app, to, from, fo, o); err != nil {
		return err
	}
	if runF != nil {
		return runF(o)
	}
	return runOpX(app, to, from, *fo, o)
}

// runOpX runs an operation command whose options checkOpX passed: the
// operation built for the signer's address, then prepared, reviewed,
// signed and broadcast as every operation is (runPrepare).
func runOpX(app *App, o *txOptions, from string, fo flow.Options, spec opSpec) error {
	var e *opEnv
	return runPrepare(app, o, from, fo, func(ctx context.Context, s *wallet.Session, key flow.Key, fo flow.Options) (*wallet.Plan, error) {
		env, err := s.Env()
		if err != nil {
			return nil, err
		}
		e = &opEnv{Denoms: s.Denoms(), Prefixes: s.Prefixes(), Enc: env.Enc, Now: time.Now(), stdin: app.IO.In}
		// Refused before the light client is asked anything.
		if _, err := spec.build(e, key.Address); err != nil {
			return nil, err
		}
		return s.PrepareOp(ctx, func() (ops.Op, error) { return spec.build(e, key.Address) }, key, fo)
	})
}

// readTxMsgs reads the messages of a transaction file (what
// --generate-only writes, or the SDK's CLI) through the one decoder of
// transaction files; ok is false for stdin before the run.
func (e *opEnv) readTxMsgs(path string) (msgs []sdk.Msg, ok bool, err error) {
	bz, ok, err := e.readFile(path, sign.MaxFileSize)
	if err != nil || !ok {
		return nil, ok, err
	}
	b, err := sign.DecodeJSON(e.Enc, bz)
	if err != nil {
		return nil, false, err
	}
	return b.GetTx().GetMsgs(), true, nil
}
