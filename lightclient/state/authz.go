package state

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"time"

	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/x/authz"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
	"golang.org/x/sync/errgroup"
)

// The authz store (x/authz/keeper/keys.go, SDK v0.53):
//
//	0x01 lp(granter) lp(grantee) msgTypeURL -> authz.Grant
//	0x02 expiration lp(granter) lp(grantee) -> GrantQueueItem (pruning queue)
//
// Akash's SDK fork adds two reverse indexes (x/authz/keeper/keys):
//
//	0x03 lp(grantee) lp(granter)            -> count of grants (big-endian)
//	0x04 lp(grantee) msgTypeURL lp(granter) -> count
//
// Upstream has no way from a grantee to its grants but walking every grant.
// Which layout a chain has is read from its store (GranteeIndexed), not
// assumed from its name.
const storeAuthz = "authz"

var (
	authzGrantPrefix       = []byte{0x01}
	authzGranteeIndexByte  = byte(0x03)
	authzGranteeIndexStart = []byte{0x03}
)

func grantsOfGranterPrefix(granter []byte) []byte { return cat(authzGrantPrefix, lp(granter)) }
func grantsPairPrefix(granter, grantee []byte) []byte {
	return cat(authzGrantPrefix, lp(granter), lp(grantee))
}
func grantKey(granter, grantee []byte, msgType string) []byte {
	return cat(grantsPairPrefix(granter, grantee), []byte(msgType))
}
func granteeIndexPrefix(grantee []byte) []byte { return cat(authzGranteeIndexStart, lp(grantee)) }

// Authorization is what a grant lets its grantee do, decoded. Kind is
// "generic" (any message of MsgTypeURL), "send" (bank sends up to
// SpendLimit, to AllowList only when it is set), "stake" (StakeType —
// delegate, undelegate or redelegate — up to MaxTokens when set, with the
// validators of AllowValidators only, or all but DenyValidators), or
// "other" for an authorization type akw does not know (Akash's deployment
// deposit authorization, for one): its type is shown, its terms are not.
type Authorization struct {
	Kind            string    `json:"kind"`
	TypeURL         string    `json:"type_url"`
	MsgTypeURL      string    `json:"msg_type_url"`
	SpendLimit      sdk.Coins `json:"spend_limit,omitempty"`
	AllowList       []string  `json:"allow_list,omitempty"`
	StakeType       string    `json:"stake_type,omitempty"`
	MaxTokens       *sdk.Coin `json:"max_tokens,omitempty"`
	AllowValidators []string  `json:"allow_validators,omitempty"`
	DenyValidators  []string  `json:"deny_validators,omitempty"`
	// Value is the SDK's authorization; nil for Kind "other".
	Value authz.Authorization `json:"-"`
}

// Grant is one proven authz grant.
type Grant struct {
	Granter       string        `json:"granter"`
	Grantee       string        `json:"grantee"`
	Authorization Authorization `json:"authorization"`
	// Expiration is nil for a grant without end.
	Expiration *time.Time `json:"expiration,omitempty"`
	// Expired says the expiration is before the verified header's time:
	// the chain refuses to use it and prunes it at the next block.
	Expired bool `json:"expired"`
}

// How the completeness of the grants to an address was proven.
const (
	// ReceivedByIndex: the chain keeps Akash's grantee index (authz 0x03,
	// proven present); the index entries of the grantee were walked
	// complete, then the grants of each granter to it.
	ReceivedByIndex = "grantee index (authz 0x03) walked complete, then each granter's grants"
	// ReceivedByWalk: the chain has no grantee index (the 0x03 prefix is
	// proven empty, as in upstream SDK stores); every grant on the chain
	// was walked and those to the address kept.
	ReceivedByWalk = "no grantee index on this chain (authz 0x03 proven empty): every grant walked complete"
)

// Grants are the grants an address gave and received, each list proven
// complete.
type Grants struct {
	Proven
	Address  string  `json:"address"`
	Granted  []Grant `json:"granted"`
	Received []Grant `json:"received"`
	// ReceivedBy says how Received was proven complete (ReceivedByIndex or
	// ReceivedByWalk).
	ReceivedBy string `json:"received_proven_by"`
}

// GrantList is one list of proven grants.
type GrantList struct {
	Proven
	Grants []Grant `json:"grants"`
	// By says how the list was proven complete, for the lists whose proof
	// depends on the chain's layout (ReceivedByIndex, ReceivedByWalk).
	By string `json:"proven_by,omitempty"`
}

// Grants proves every grant addr gave and every grant it received.
func (v *View) Grants(ctx context.Context, addr sdk.AccAddress) (out *Grants, err error) {
	defer guard(&out, &err, "grants of "+addr.String())
	var granted, received *GrantList
	g, gctx := errgroup.WithContext(ctx)
	goGuarded(g, "grants by "+addr.String(), func() (err error) { granted, err = v.GrantsBy(gctx, addr); return })
	goGuarded(g, "grants to "+addr.String(), func() (err error) { received, err = v.GrantsTo(gctx, addr); return })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return &Grants{Proven: v.proven(), Address: addr.String(), Granted: granted.Grants, Received: received.Grants, ReceivedBy: received.By}, nil
}

// GrantsBy proves every grant granter gave (the 0x01 lp(granter) range,
// walked complete), in key order: by grantee, then message type.
func (v *View) GrantsBy(ctx context.Context, granter sdk.AccAddress) (out *GrantList, err error) {
	defer guard(&out, &err, "grants by "+granter.String())
	hint := func(ctx context.Context) ([][]byte, error) {
		var res authz.QueryGranterGrantsResponse
		if err := v.grpcHint(ctx, "/cosmos.authz.v1beta1.Query/GranterGrants", &authz.QueryGranterGrantsRequest{Granter: granter.String()}, &res); err != nil {
			return nil, err
		}
		return grantHintKeys(res.Grants), nil
	}
	grants, err := v.grantRange(ctx, grantsOfGranterPrefix(granter), hint)
	if err != nil {
		return nil, err
	}
	return &GrantList{Proven: v.proven(), Grants: grants}, nil
}

// GrantsTo proves every grant grantee received. With Akash's grantee
// index the index is walked, then each granter's grants to grantee;
// without it (a stock SDK store) every grant on the chain is walked.
func (v *View) GrantsTo(ctx context.Context, grantee sdk.AccAddress) (out *GrantList, err error) {
	defer guard(&out, &err, "grants to "+grantee.String())
	indexed, err := v.GranteeIndexed(ctx)
	if err != nil {
		return nil, err
	}
	var res authz.QueryGranteeGrantsResponse
	hinted := make(chan struct{})
	go func() {
		defer close(hinted)
		defer func() { _ = recover() }() // a hint only costs speed
		_ = v.grpcHint(ctx, "/cosmos.authz.v1beta1.Query/GranteeGrants", &authz.QueryGranteeGrantsRequest{Grantee: grantee.String()}, &res)
	}()
	hint := func(ctx context.Context) ([][]byte, error) {
		select {
		case <-hinted:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		return grantHintKeys(res.Grants), nil
	}
	if !indexed {
		all, err := v.grantRange(ctx, authzGrantPrefix, hint)
		if err != nil {
			return nil, err
		}
		mine := []Grant{}
		for _, g := range all {
			if sameAddr(g.Grantee, grantee) {
				mine = append(mine, g)
			}
		}
		return &GrantList{Proven: v.proven(), Grants: mine, By: ReceivedByWalk}, nil
	}

	prefix := granteeIndexPrefix(grantee)
	indexHint := func(ctx context.Context) ([][]byte, error) {
		keys, err := hint(ctx)
		if err != nil {
			return nil, err
		}
		var out [][]byte
		for _, k := range keys {
			if granter, _, _, err := parseGrantKey(k); err == nil {
				out = append(out, cat(prefix, lp(granter)))
			}
		}
		return out, nil
	}
	entries, err := v.walkPrefix(ctx, storeAuthz, prefix, nil, indexHint)
	if err != nil {
		return nil, err
	}
	granters := make([][]byte, 0, len(entries))
	for _, e := range entries {
		granter, err := lengthPrefixed(e.Key[len(prefix):])
		if err != nil {
			return nil, &ErrDecode{What: "grantee index key", Err: err}
		}
		granters = append(granters, granter)
	}
	lists := make([][]Grant, len(granters))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(v.q.parallel)
	for i, granter := range granters {
		goGuarded(g, "grants to "+grantee.String(), func() (err error) {
			lists[i], err = v.grantRange(gctx, grantsPairPrefix(granter, grantee), hint)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	out = &GrantList{Proven: v.proven(), Grants: []Grant{}, By: ReceivedByIndex}
	for _, l := range lists {
		// An index entry whose grants were pruned on expiry (Akash's
		// fork does not lower the count then) names no grant: nothing
		// to show, and nothing missing.
		out.Grants = append(out.Grants, l...)
	}
	// The order of the upstream walk (granter, then message type), so
	// that both layouts answer the same list the same way.
	sort.SliceStable(out.Grants, func(i, j int) bool { return grantLess(out.Grants[i], out.Grants[j]) })
	return out, nil
}

// GrantsBetween proves every grant from granter to grantee (the 0x01
// lp(granter) lp(grantee) range), by message type.
func (v *View) GrantsBetween(ctx context.Context, granter, grantee sdk.AccAddress) (out *GrantList, err error) {
	defer guard(&out, &err, "grants from "+granter.String()+" to "+grantee.String())
	grants, err := v.grantRange(ctx, grantsPairPrefix(granter, grantee), nil)
	if err != nil {
		return nil, err
	}
	return &GrantList{Proven: v.proven(), Grants: grants}, nil
}

// GrantOne proves the grant from granter to grantee for msgType
// (ErrNotFound: proven absent).
func (v *View) GrantOne(ctx context.Context, granter, grantee sdk.AccAddress, msgType string) (out *Grant, err error) {
	defer guard(&out, &err, "grant "+msgType+" from "+granter.String()+" to "+grantee.String())
	key := grantKey(granter, grantee, msgType)
	p, err := v.get(ctx, storeAuthz, key)
	if err != nil {
		return nil, err
	}
	if !p.Exists {
		return nil, &ErrNotFound{What: fmt.Sprintf("a grant of %s from %s to %s", msgType, granter, grantee), Height: v.height}
	}
	g, err := v.decodeGrant(key, p.Value)
	if err != nil {
		return nil, err
	}
	return &g, nil
}

// GranteeIndexed proves whether the chain's authz store keeps Akash's
// grantee index: the proof of the key 0x03 (absent: no key is one byte
// long) names its right neighbour, and the index exists if that neighbour
// starts with 0x03. A store whose index is empty proves the same as one
// without: either way, walking every grant is correct, only slower.
func (v *View) GranteeIndexed(ctx context.Context) (out bool, err error) {
	defer guard(&out, &err, "authz store layout")
	p, err := v.get(ctx, storeAuthz, authzGranteeIndexStart)
	if err != nil {
		return false, err
	}
	if p.Exists {
		return true, nil
	}
	return p.Right != nil && len(p.Right.Key) > 0 && p.Right.Key[0] == authzGranteeIndexByte, nil
}

// grantRange proves every grant under prefix (a 0x01 range).
func (v *View) grantRange(ctx context.Context, prefix []byte, hint hintFunc) ([]Grant, error) {
	entries, err := v.walkPrefix(ctx, storeAuthz, prefix, nil, hint)
	if err != nil {
		return nil, err
	}
	out := make([]Grant, 0, len(entries))
	for _, e := range entries {
		g, err := v.decodeGrant(e.Key, e.Value)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, nil
}

// parseGrantKey splits 0x01 lp(granter) lp(grantee) msgType.
func parseGrantKey(key []byte) (granter, grantee []byte, msgType string, err error) {
	if len(key) < 1 || key[0] != authzGrantPrefix[0] {
		return nil, nil, "", errBadLength
	}
	rest := key[1:]
	take := func() ([]byte, error) {
		if len(rest) < 1 || int(rest[0])+1 > len(rest) {
			return nil, errBadLength
		}
		b := rest[1 : 1+int(rest[0])]
		rest = rest[1+int(rest[0]):]
		return b, nil
	}
	if granter, err = take(); err != nil {
		return nil, nil, "", err
	}
	if grantee, err = take(); err != nil {
		return nil, nil, "", err
	}
	if len(rest) == 0 {
		return nil, nil, "", errorString("grant key without a message type")
	}
	return granter, grantee, string(rest), nil
}

func grantHintKeys(gs []*authz.GrantAuthorization) [][]byte {
	var keys [][]byte
	for _, g := range gs {
		if g == nil || g.Authorization == nil {
			continue
		}
		_, granter, err1 := bech32Decode(g.Granter)
		_, grantee, err2 := bech32Decode(g.Grantee)
		if err1 != nil || err2 != nil {
			continue
		}
		if msg := hintMsgType(g.Authorization); msg != "" {
			keys = append(keys, grantKey(granter, grantee, msg))
		}
	}
	return keys
}

// hintMsgType is the message type of an authorization in a node's
// (unproven) answer, read without the registry: generic authorizations
// name it, the others have one per type.
func hintMsgType(a *codectypes.Any) string {
	switch a.TypeUrl {
	case "/cosmos.authz.v1beta1.GenericAuthorization":
		var g authz.GenericAuthorization
		if g.Unmarshal(a.Value) == nil {
			return g.Msg
		}
	case "/cosmos.bank.v1beta1.SendAuthorization":
		return sdk.MsgTypeURL(&banktypes.MsgSend{})
	case "/cosmos.staking.v1beta1.StakeAuthorization":
		var s stakingtypes.StakeAuthorization
		if s.Unmarshal(a.Value) == nil {
			return s.MsgTypeURL()
		}
	}
	return ""
}

// decodeGrant decodes a proven grant and checks it against its key. The
// grant's Any is unpacked only for the authorization types akw knows: a
// chain's own types (Akash's deposit authorization) are listed with their
// type URL rather than making the whole list fail.
func (v *View) decodeGrant(key, value []byte) (Grant, error) {
	granter, grantee, msgType, err := parseGrantKey(key)
	if err != nil {
		return Grant{}, &ErrDecode{What: "grant key", Err: err}
	}
	var g authz.Grant
	if err := g.Unmarshal(value); err != nil {
		return Grant{}, &ErrDecode{What: "grant", Err: err}
	}
	out := Grant{
		Granter:    sdk.AccAddress(granter).String(),
		Grantee:    sdk.AccAddress(grantee).String(),
		Expiration: g.Expiration,
	}
	if g.Expiration != nil {
		out.Expired = g.Expiration.Before(v.Header().Time)
	}
	if g.Authorization == nil {
		return Grant{}, &ErrInconsistent{Reason: "grant without an authorization under " + msgType}
	}
	a := Authorization{Kind: "other", TypeURL: g.Authorization.TypeUrl, MsgTypeURL: msgType}
	var auth authz.Authorization
	if err := v.q.cdc.InterfaceRegistry().UnpackAny(g.Authorization, &auth); err == nil && auth != nil {
		if auth.MsgTypeURL() != msgType {
			return Grant{}, &ErrInconsistent{Reason: fmt.Sprintf("grant stored under %s authorizes %s", msgType, auth.MsgTypeURL())}
		}
		a.Value = auth
		describeAuthorization(&a, auth)
	}
	out.Authorization = a
	return out, nil
}

func describeAuthorization(a *Authorization, auth authz.Authorization) {
	switch x := auth.(type) {
	case *authz.GenericAuthorization:
		a.Kind = "generic"
	case *banktypes.SendAuthorization:
		a.Kind = "send"
		a.SpendLimit = x.SpendLimit
		a.AllowList = x.AllowList
	case *stakingtypes.StakeAuthorization:
		a.Kind = "stake"
		switch x.AuthorizationType {
		case stakingtypes.AuthorizationType_AUTHORIZATION_TYPE_DELEGATE:
			a.StakeType = "delegate"
		case stakingtypes.AuthorizationType_AUTHORIZATION_TYPE_UNDELEGATE:
			a.StakeType = "undelegate"
		case stakingtypes.AuthorizationType_AUTHORIZATION_TYPE_REDELEGATE:
			a.StakeType = "redelegate"
		default:
			a.StakeType = x.AuthorizationType.String()
		}
		a.MaxTokens = x.MaxTokens
		if l := x.GetAllowList(); l != nil {
			a.AllowValidators = l.Address
		}
		if l := x.GetDenyList(); l != nil {
			a.DenyValidators = l.Address
		}
	}
}

func grantLess(a, b Grant) bool {
	if a.Granter != b.Granter {
		_, x, _ := bech32Decode(a.Granter)
		_, y, _ := bech32Decode(b.Granter)
		return bytes.Compare(lp(x), lp(y)) < 0
	}
	return a.Authorization.MsgTypeURL < b.Authorization.MsgTypeURL
}
