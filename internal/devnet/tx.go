package devnet

import (
	"context"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtbytes "github.com/cometbft/cometbft/libs/bytes"

	sdkmath "cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/client"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
)

// The transaction helpers below let tests (and demos) change the chain's
// state from the devnet's own accounts. They sign with the accounts' keys
// directly, broadcast to a validator's RPC and wait for inclusion. They are
// deliberately independent of akw's tx package, which is what tests check.

// DefaultTxGas is the gas limit of a helper transaction: enough for a send,
// a delegation, a vote or a proposal without messages.
const DefaultTxGas = 400_000

// TxResult is a transaction included in a block.
type TxResult struct {
	Hash      string // upper-case hex, as CometBFT prints it
	Height    int64
	Code      uint32
	Codespace string
	Log       string
	GasWanted int64
	GasUsed   int64
	Events    []abci.Event
}

// TxOption changes how Exec builds or sends a transaction.
type TxOption func(*txOptions)

type txOptions struct {
	gas       uint64
	fees      sdk.Coins
	memo      string
	node      int
	unordered time.Duration
	signMode  signing.SignMode
	granter   string
}

// WithGas sets the gas limit (default DefaultTxGas).
func WithGas(gas uint64) TxOption { return func(o *txOptions) { o.gas = gas } }

// WithFees sets the fee (default: gas times the validators' minimum gas price).
func WithFees(fees sdk.Coins) TxOption { return func(o *txOptions) { o.fees = fees } }

// WithMemo sets the memo.
func WithMemo(memo string) TxOption { return func(o *txOptions) { o.memo = memo } }

// ViaValidator broadcasts to validator i's RPC (default 0).
func ViaValidator(i int) TxOption { return func(o *txOptions) { o.node = i } }

// WithSignMode signs in mode (default SIGN_MODE_DIRECT); the chain accepts
// those of ChainSignModes.
func WithSignMode(mode signing.SignMode) TxOption { return func(o *txOptions) { o.signMode = mode } }

// WithFeeGranter has the account granter (a bech32 address) pay the fee
// from a fee allowance it gave the signer (x/feegrant).
func WithFeeGranter(granter string) TxOption { return func(o *txOptions) { o.granter = granter } }

// Unordered sends an unordered transaction (no sequence) valid for ttl.
func Unordered(ttl time.Duration) TxOption { return func(o *txOptions) { o.unordered = ttl } }

// ClientContext is a cosmos-sdk client context on validator node's RPC, for
// unverified queries and broadcasts in tests.
func (n *Network) ClientContext(node int) client.Context {
	return client.Context{}.
		WithClient(n.rpc[node]).
		WithChainID(n.genesis.ChainID).
		WithCodec(n.enc.Codec).
		WithInterfaceRegistry(n.enc.InterfaceRegistry).
		WithTxConfig(n.enc.TxConfig).
		WithLegacyAmino(n.enc.Amino)
}

// signer serialises the transactions of one account within this process, so
// that each is signed with the sequence its predecessor left.
func (n *Network) signer(name string) *sync.Mutex {
	n.txMu.Lock()
	defer n.txMu.Unlock()
	m, ok := n.signers[name]
	if !ok {
		m = &sync.Mutex{}
		n.signers[name] = m
	}
	return m
}

// Exec signs msgs as the account named from (a funded account or a
// validator operator), broadcasts them and waits until they are in a block.
// A transaction the chain rejects returns a *TxError (with the result, if
// it was included).
func (n *Network) Exec(ctx context.Context, from string, msgs []sdk.Msg, opts ...TxOption) (*TxResult, error) {
	select {
	case <-n.stopped:
		return nil, ErrStopped
	default:
	}
	o := txOptions{gas: DefaultTxGas, signMode: signing.SignMode_SIGN_MODE_DIRECT}
	for _, opt := range opts {
		opt(&o)
	}
	if o.node < 0 || o.node >= len(n.rpc) {
		return nil, fmt.Errorf("devnet: no validator %d", o.node)
	}
	acc, err := n.Account(from)
	if err != nil {
		return nil, err
	}
	priv, err := acc.PrivKey()
	if err != nil {
		return nil, err
	}
	if o.fees == nil {
		if o.fees, err = n.minFee(o.gas); err != nil {
			return nil, err
		}
	}

	mu := n.signer(from)
	mu.Lock()
	defer mu.Unlock()

	cctx := n.ClientContext(o.node)
	accNum, seq, err := n.accountNumberSequence(ctx, cctx, acc.Address)
	if err != nil {
		return nil, err
	}
	b := n.enc.TxConfig.NewTxBuilder()
	if err := b.SetMsgs(msgs...); err != nil {
		return nil, err
	}
	b.SetGasLimit(o.gas)
	b.SetFeeAmount(o.fees)
	b.SetMemo(o.memo)
	if o.granter != "" {
		granter, err := sdk.AccAddressFromBech32(o.granter)
		if err != nil {
			return nil, fmt.Errorf("devnet: fee granter: %w", err)
		}
		b.SetFeeGranter(granter)
	}
	if o.unordered > 0 {
		b.SetUnordered(true)
		b.SetTimeoutTimestamp(time.Now().Add(o.unordered))
		seq = 0
	}
	if err := signTx(ctx, n.enc.TxConfig, b, priv, o.signMode, n.genesis.ChainID, accNum, seq); err != nil {
		return nil, err
	}
	txBytes, err := n.enc.TxConfig.TxEncoder()(b.GetTx())
	if err != nil {
		return nil, err
	}

	res, err := n.rpc[o.node].BroadcastTxSync(ctx, txBytes)
	if err != nil {
		return nil, fmt.Errorf("devnet: broadcast: %w", err)
	}
	hash := res.Hash.String()
	if res.Code != 0 {
		return nil, &TxError{Hash: hash, Codespace: res.Codespace, Code: res.Code, Log: res.Log}
	}
	r, err := n.WaitForTx(ctx, hash, o.node)
	if r != nil {
		// Every validator's app has committed the block when Exec
		// returns, so that a test may query any of them.
		if werr := n.WaitForAppHeight(ctx, r.Height); werr != nil && err == nil {
			err = werr
		}
	}
	return r, err
}

// WaitForTx waits until the transaction with the given hex hash is in a
// block of validator node and returns its result (a *TxError too if it
// failed).
func (n *Network) WaitForTx(ctx context.Context, hash string, node int) (*TxResult, error) {
	raw, err := hex.DecodeString(hash)
	if err != nil {
		return nil, fmt.Errorf("devnet: tx hash %q: %w", hash, err)
	}
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		got, err := n.rpc[node].Tx(ctx, cmtbytes.HexBytes(raw), false)
		if err == nil {
			r := &TxResult{
				Hash:      got.Hash.String(),
				Height:    got.Height,
				Code:      got.TxResult.Code,
				Codespace: got.TxResult.Codespace,
				Log:       got.TxResult.Log,
				GasWanted: got.TxResult.GasWanted,
				GasUsed:   got.TxResult.GasUsed,
				Events:    got.TxResult.Events,
			}
			if r.Code != 0 {
				return r, &TxError{Hash: r.Hash, Height: r.Height, Codespace: r.Codespace, Code: r.Code, Log: r.Log}
			}
			return r, nil
		}
		// Until the block is indexed, the node answers "tx not found".
		if !strings.Contains(err.Error(), "not found") {
			return nil, fmt.Errorf("devnet: looking up tx %s: %w", hash, err)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("devnet: waiting for tx %s: %w", hash, ctx.Err())
		case <-n.stopped:
			return nil, ErrStopped
		case <-t.C:
		}
	}
}

func (n *Network) accountNumberSequence(ctx context.Context, cctx client.Context, addr string) (uint64, uint64, error) {
	res, err := authtypes.NewQueryClient(cctx).Account(ctx, &authtypes.QueryAccountRequest{Address: addr})
	if err != nil {
		return 0, 0, fmt.Errorf("devnet: querying account %s: %w", addr, err)
	}
	var acc sdk.AccountI
	if err := n.enc.InterfaceRegistry.UnpackAny(res.Account, &acc); err != nil {
		return 0, 0, err
	}
	return acc.GetAccountNumber(), acc.GetSequence(), nil
}

// minFee is gas times the validators' minimum gas price, rounded up.
func (n *Network) minFee(gas uint64) (sdk.Coins, error) {
	prices, err := sdk.ParseDecCoins(n.cfg.MinGasPrices)
	if err != nil {
		return nil, &ConfigError{Field: "MinGasPrices", Reason: err.Error()}
	}
	fees := sdk.NewCoins()
	g := sdkmath.LegacyNewDecFromInt(sdkmath.NewIntFromUint64(gas))
	for _, p := range prices {
		amt := p.Amount.Mul(g).Ceil().RoundInt()
		if amt.IsPositive() {
			fees = fees.Add(sdk.NewCoin(p.Denom, amt))
		}
	}
	return fees, nil
}

// Send sends amount from the account named from to the address to.
func (n *Network) Send(ctx context.Context, from, to string, amount sdk.Coins, opts ...TxOption) (*TxResult, error) {
	acc, err := n.Account(from)
	if err != nil {
		return nil, err
	}
	return n.Exec(ctx, from, []sdk.Msg{banktypes.NewMsgSend(sdk.MustAccAddressFromBech32(acc.Address), sdk.MustAccAddressFromBech32(to), amount)}, opts...)
}

// Delegate delegates amount from the account named from to the validator
// with operator address valoper.
func (n *Network) Delegate(ctx context.Context, from, valoper string, amount sdk.Coin, opts ...TxOption) (*TxResult, error) {
	acc, err := n.Account(from)
	if err != nil {
		return nil, err
	}
	return n.Exec(ctx, from, []sdk.Msg{stakingtypes.NewMsgDelegate(acc.Address, valoper, amount)}, opts...)
}

// SubmitProposal submits a text proposal (gov v1, no messages) with deposit
// from the account named from and returns its id. With a deposit of at least
// MinDeposit the proposal is in its voting period at once.
func (n *Network) SubmitProposal(ctx context.Context, from, title, summary string, deposit sdk.Coins, opts ...TxOption) (uint64, *TxResult, error) {
	acc, err := n.Account(from)
	if err != nil {
		return 0, nil, err
	}
	// gov v1 wants messages or metadata; a text proposal has only metadata.
	msg, err := govv1.NewMsgSubmitProposal(nil, deposit, acc.Address, "akw devnet text proposal", title, summary, false)
	if err != nil {
		return 0, nil, err
	}
	res, err := n.Exec(ctx, from, []sdk.Msg{msg}, opts...)
	if err != nil {
		return 0, res, err
	}
	for _, ev := range res.Events {
		if ev.Type != "submit_proposal" {
			continue
		}
		for _, a := range ev.Attributes {
			if a.Key == "proposal_id" {
				id, err := strconv.ParseUint(a.Value, 10, 64)
				return id, res, err
			}
		}
	}
	return 0, res, fmt.Errorf("devnet: tx %s has no proposal_id event", res.Hash)
}

// Vote casts the vote of the account named from on proposal id.
func (n *Network) Vote(ctx context.Context, from string, id uint64, option govv1.VoteOption, opts ...TxOption) (*TxResult, error) {
	acc, err := n.Account(from)
	if err != nil {
		return nil, err
	}
	return n.Exec(ctx, from, []sdk.Msg{govv1.NewMsgVote(sdk.MustAccAddressFromBech32(acc.Address), id, option, "")}, opts...)
}
