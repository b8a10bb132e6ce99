package proxy

import (
	"errors"
	"testing"
	"time"

	"cosmossdk.io/x/feegrant"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/x/authz"
	gogoproto "github.com/cosmos/gogoproto/proto"
)

// A stored grant whose authorization is a type akw's registry does not
// know (Akash's deposit authorization) is a refusal: the node knows the
// type and would answer it. Bytes that do not parse stay the error the
// node's codec gives.
func TestKnownTypesRefusesUnknownAuthorization(t *testing.T) {
	cdc := knownTypes{newCodecs("akash").cdc}
	exp := time.Unix(1_800_000_000, 0).UTC()
	unknown, err := (&authz.Grant{
		Authorization: &codectypes.Any{TypeUrl: "/akash.deployment.v1beta3.DepositAuthorization", Value: []byte{0x0a, 0x00}},
		Expiration:    &exp,
	}).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	var g authz.Grant
	var unsup *errUnsupported
	if err := cdc.Unmarshal(unknown, &g); !errors.As(err, &unsup) {
		t.Fatalf("an unknown authorization: want a refusal, got %v", err)
	}
	if err := cdc.Unmarshal([]byte{0x0a, 0xff}, &g); err == nil || errors.As(err, &unsup) {
		t.Fatalf("bytes that do not parse: want the codec's error, got %v", err)
	}
	known, err := authz.NewGrant(exp.Add(-time.Hour), authz.NewGenericAuthorization("/cosmos.gov.v1.MsgVote"), &exp)
	if err != nil {
		t.Fatal(err)
	}
	bz, err := known.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if err := cdc.Unmarshal(bz, &g); err != nil {
		t.Fatal(err)
	}
	if a, err := authorizationAny(&g); err != nil || a.TypeUrl != "/cosmos.authz.v1beta1.GenericAuthorization" {
		t.Fatalf("a generic authorization re-encoded: %v, %v", a, err)
	}
}

// FuzzGrantHints feeds the parts that read bytes a node or a store gives
// the authz and feegrant handlers anything: the node's own answers (the
// hints), stored grants and allowances decoded and re-encoded. None may
// panic.
func FuzzGrantHints(f *testing.F) {
	q := &provenQuery{s: &Server{codecs: newCodecs("akash")}}
	addr := func(b byte) string {
		return q.s.codecs.accString(sdk.AccAddress([]byte{b, b, b, b, b, b, b, b, b, b, b, b, b, b, b, b, b, b, b, b}))
	}
	seed := func(m gogoproto.Message) {
		bz, err := gogoproto.Marshal(m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(bz)
	}
	gen, err := codectypes.NewAnyWithValue(authz.NewGenericAuthorization("/cosmos.gov.v1.MsgVote"))
	if err != nil {
		f.Fatal(err)
	}
	seed(&authz.QueryGranteeGrantsResponse{Grants: []*authz.GrantAuthorization{{Granter: addr(1), Grantee: addr(2), Authorization: gen}, {Granter: "x"}}})
	seed(&authz.QueryGrantsResponse{Grants: []*authz.Grant{{Authorization: gen}, {}}})
	basic, err := codectypes.NewAnyWithValue(&feegrant.BasicAllowance{})
	if err != nil {
		f.Fatal(err)
	}
	seed(&feegrant.QueryAllowancesResponse{Allowances: []*feegrant.Grant{{Granter: addr(1), Grantee: addr(2), Allowance: basic}}})
	f.Add([]byte{0x0a, 0x02, 0x0a, 0x00})
	cdc := knownTypes{q.s.codecs.cdc}
	f.Fuzz(func(t *testing.T, bz []byte) {
		var grantees authz.QueryGranteeGrantsResponse
		if cdc.Unmarshal(bz, &grantees) == nil {
			_ = authzHint(q, grantees.Grants)
		}
		var allowances feegrant.QueryAllowancesResponse
		if cdc.Unmarshal(bz, &allowances) == nil {
			_ = feegrantHint(q, allowances.Allowances)
		}
		var g authz.Grant
		if cdc.Unmarshal(bz, &g) == nil {
			_, _ = authorizationAny(&g)
		}
		// A stored allowance is read by the keeper's own code, which
		// panics on one without its Any (Grant.GetGrant), as the node's
		// would; runGRPC's guard makes that a refusal.
		var fg feegrant.Grant
		_ = cdc.Unmarshal(bz, &fg)
	})
}
