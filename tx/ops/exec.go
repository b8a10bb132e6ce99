package ops

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"time"

	sdkmath "cosmossdk.io/math"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/x/authz"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
	"github.com/cosmos/gogoproto/proto"
	protov2 "google.golang.org/protobuf/proto"

	"github.com/akash-wallet/akw/tx"
	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/amount"
)

// Signers reads a message's signers the way the chain does (the codec's
// signer annotations); tx/encoding's codec implements it.
type Signers interface {
	GetMsgV1Signers(msg proto.Message) ([][]byte, protov2.Message, error)
}

// Exec is a grantee acting for granters: it signs and pays for messages
// whose signers are the granters, each message allowed by a grant from its
// signer to the grantee.
type Exec struct {
	Grantee sdk.AccAddress
	Inner   []sdk.Msg

	granters []sdk.AccAddress // the signer of each message
	now      time.Time
}

// NewExec wraps msgs (the messages of a transaction generated for the
// granter, e.g. with --generate-only) for grantee. Each message must have
// exactly one signer, as x/authz requires.
func NewExec(signers Signers, grantee sdk.AccAddress, msgs []sdk.Msg) (*Exec, error) {
	if len(msgs) == 0 {
		return nil, tx.Inputf("give a transaction file with the messages to execute", "no messages to execute")
	}
	o := &Exec{Grantee: grantee, Inner: msgs}
	for i, m := range msgs {
		s, _, err := signers.GetMsgV1Signers(m)
		if err != nil {
			return nil, tx.Inputf("", "message %d (%s): its signer cannot be read: %v", i, sdk.MsgTypeURL(m), err)
		}
		if len(s) != 1 {
			return nil, tx.Inputf("x/authz executes messages with one signer each", "message %d (%s) has %d signers", i, sdk.MsgTypeURL(m), len(s))
		}
		if _, nested := m.(*authz.MsgExec); nested {
			return nil, tx.Inputf("give the inner messages instead", "message %d is itself an exec", i)
		}
		o.granters = append(o.granters, sdk.AccAddress(s[0]))
	}
	return o, nil
}

func (o *Exec) Name() string           { return "exec" }
func (o *Exec) Signer() sdk.AccAddress { return o.Grantee }
func (o *Exec) Spend() sdk.Coins       { return nil } // the grantee pays the fee only

func (o *Exec) Msgs(p address.Prefixes) ([]sdk.Msg, error) {
	anys := make([]*codectypes.Any, len(o.Inner))
	for i, m := range o.Inner {
		a, err := codectypes.NewAnyWithValue(m)
		if err != nil {
			return nil, err
		}
		anys[i] = a
	}
	return []sdk.Msg{&authz.MsgExec{Grantee: address.Bech32(p.Account, o.Grantee), Msgs: anys}}, nil
}

// Granters are the accounts the messages act for, one per message.
func (o *Exec) Granters() []sdk.AccAddress { return o.granters }

func (o *Exec) Summary(d amount.Denoms, p address.Prefixes) []Field {
	f := []Field{
		{"action", "execute with grants (authz exec)"},
		{"grantee (signs and pays the fee)", address.Bech32(p.Account, o.Grantee)},
	}
	for i, m := range o.Inner {
		who := "for " + address.Bech32(p.Account, o.granters[i])
		if o.granters[i].Equals(o.Grantee) {
			who = "as itself (no grant needed)"
		}
		f = append(f, Field{fmt.Sprintf("message %d", i+1), DescribeMsg(m, d) + ", " + who})
	}
	return f
}

// DescribeMsg says in a few words what a message does.
func DescribeMsg(m sdk.Msg, d amount.Denoms) string {
	switch x := m.(type) {
	case *banktypes.MsgSend:
		return "send " + amount.FormatCoins(x.Amount, d) + " from " + x.FromAddress + " to " + x.ToAddress
	case *stakingtypes.MsgDelegate:
		return "delegate " + amount.FormatCoin(x.Amount, d) + " to " + x.ValidatorAddress
	case *stakingtypes.MsgUndelegate:
		return "undelegate " + amount.FormatCoin(x.Amount, d) + " from " + x.ValidatorAddress
	case *stakingtypes.MsgBeginRedelegate:
		return "redelegate " + amount.FormatCoin(x.Amount, d) + " from " + x.ValidatorSrcAddress + " to " + x.ValidatorDstAddress
	case *distrtypes.MsgWithdrawDelegatorReward:
		return "withdraw the staking rewards from " + x.ValidatorAddress
	case *govv1.MsgVote:
		return fmt.Sprintf("vote %s on proposal %d", strings.ToLower(strings.TrimPrefix(x.Option.String(), "VOTE_OPTION_")), x.ProposalId)
	case *govv1.MsgDeposit:
		return fmt.Sprintf("deposit %s on proposal %d", amount.FormatCoins(x.Amount, d), x.ProposalId)
	}
	return "a " + strings.TrimPrefix(sdk.MsgTypeURL(m), "/") + " message"
}

func (o *Exec) Check(ctx context.Context, c *Checker) error {
	gs, ok := c.State.(tx.GrantSource)
	if !ok {
		return &tx.CheckError{Check: "grant", Reason: "the grants cannot be checked: this source cannot prove them",
			Fix: "connect to a node: an exec is checked against the proven grants before it is signed"}
	}
	now, err := c.chainTime(ctx)
	if err != nil {
		return err
	}
	o.now = now
	sctx := chainContext(now)
	// The grants each granter gave the grantee, as they stand after the
	// messages before: the chain updates a send or stake limit message by
	// message within one exec.
	held := map[string]map[string]*tx.Grant{}
	// What the messages send (spendable coins only) and delegate (locked
	// coins too: x/bank DelegateCoins), by granter.
	spend, stake := map[string]sdk.Coins{}, map[string]sdk.Coins{}
	for i, m := range o.Inner {
		granter := o.granters[i]
		who := address.Bech32(c.Prefixes.Account, granter)
		if granter.Equals(o.Grantee) {
			continue // the chain accepts a grantee's own messages without a grant
		}
		grants, ok := held[string(granter)]
		if !ok {
			list, err := gs.Grants(ctx, granter, o.Grantee)
			if err != nil {
				return err
			}
			grants = map[string]*tx.Grant{}
			for j := range list {
				grants[list[j].MsgTypeURL] = &list[j]
			}
			held[string(granter)] = grants
		}
		typ := sdk.MsgTypeURL(m)
		g := grants[typ]
		grantee := address.Bech32(c.Prefixes.Account, o.Grantee)
		if g == nil {
			return &tx.CheckError{Check: "grant", Reason: fmt.Sprintf("message %d: %s has not granted %s to %s (proven absent)", i+1, who, typ, grantee),
				Fix: "ask the granter for a grant of this message type, or sign the messages with the granter's key"}
		}
		if g.Expiration != nil && g.Expiration.Before(now) {
			return &tx.CheckError{Check: "grant", Reason: fmt.Sprintf("message %d: the grant of %s from %s to %s expired at %s",
				i+1, typ, who, grantee, g.Expiration.UTC().Format(time.RFC3339)), Fix: "ask the granter for a new grant"}
		}
		if g.Authorization == nil {
			c.warn("message %d: the grant's authorization type is unknown to akw; its terms were not checked", i+1)
		} else {
			resp, err := accept(sctx, g.Authorization, m)
			if err != nil || !resp.Accept {
				reason := "refused"
				if err != nil {
					reason = err.Error()
				}
				return &tx.CheckError{Check: "grant", Reason: fmt.Sprintf("message %d: the grant from %s does not allow it (%s); the grant lets %s %s",
					i+1, who, reason, grantee, DescribeAuthorization(g.Authorization, typ, c.Denoms, c.Prefixes)),
					Fix: "stay within the grant, or ask the granter for a wider one"}
			}
			switch {
			case resp.Delete:
				delete(grants, typ)
			case resp.Updated != nil:
				upd := *g
				upd.Authorization = resp.Updated
				grants[typ] = &upd
			}
		}
		switch x := m.(type) {
		case *banktypes.MsgSend:
			spend[string(granter)] = spend[string(granter)].Add(x.Amount...)
		case *stakingtypes.MsgDelegate:
			stake[string(granter)] = stake[string(granter)].Add(x.Amount)
			v, err := address.Validator(x.ValidatorAddress, c.Prefixes)
			if err != nil {
				return tx.Input(err, "")
			}
			val, err := c.validator(ctx, v)
			if err != nil {
				return err
			}
			if err := c.checkActive(val); err != nil {
				return err
			}
		}
	}
	// What the messages take from each granter's balance: sends from the
	// spendable coins, all of it from the whole balance (a delegation
	// takes locked coins first, so this holds in any order).
	for _, granter := range o.granters {
		sends, stakes := spend[string(granter)], stake[string(granter)]
		for _, cn := range sends.Add(stakes...) {
			bal, err := c.State.Balance(ctx, granter, cn.Denom)
			if err != nil {
				return err
			}
			who, coin := address.Bech32(c.Prefixes.Account, granter), func(n sdkmath.Int) string {
				return amount.FormatCoin(sdk.Coin{Denom: cn.Denom, Amount: n}, c.Denoms)
			}
			if s := sends.AmountOf(cn.Denom); bal.Spendable.LT(s) {
				return &tx.CheckError{Check: "balance", Reason: fmt.Sprintf("the messages send %s from %s, whose spendable balance is %s (verified at height %d)",
					coin(s), who, coin(bal.Spendable), bal.Height),
					Fix: "lower the amounts"}
			}
			if bal.Total.LT(cn.Amount) {
				return &tx.CheckError{Check: "balance", Reason: fmt.Sprintf("the messages take %s from %s (%s of it delegated, which may come from coins vesting locks), whose balance is %s (verified at height %d)",
					coin(cn.Amount), who, coin(stakes.AmountOf(cn.Denom)), coin(bal.Total), bal.Height),
					Fix: "lower the amounts"}
			}
		}
		delete(spend, string(granter))
		delete(stake, string(granter))
	}
	return nil
}

// accept runs the authorization's own Accept, as the chain will, on a
// copy (Accept may update what it is called on). A panic in the SDK's
// code on an odd authorization is a refusal, not a crash.
func accept(ctx sdk.Context, a authz.Authorization, m sdk.Msg) (resp authz.AcceptResponse, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the authorization cannot be evaluated: %v", r)
		}
	}()
	cp, err := cloneProto(a)
	if err != nil {
		return resp, err
	}
	return cp.Accept(ctx, m)
}

// cloneProto copies a gogoproto message through its wire encoding
// (proto.Clone cannot copy the SDK's math.Int fields).
func cloneProto[T any](x T) (T, error) {
	var zero T
	type wire interface {
		Marshal() ([]byte, error)
		Unmarshal([]byte) error
	}
	w, ok := any(x).(wire)
	if !ok || reflect.TypeOf(x).Kind() != reflect.Pointer {
		return zero, fmt.Errorf("%T cannot be copied", x)
	}
	bz, err := w.Marshal()
	if err != nil {
		return zero, err
	}
	cp := reflect.New(reflect.TypeOf(x).Elem()).Interface()
	if err := cp.(wire).Unmarshal(bz); err != nil {
		return zero, err
	}
	return cp.(T), nil
}
