package proxy

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"cosmossdk.io/store/dbadapter"
	"cosmossdk.io/x/feegrant"
	dbm "github.com/cosmos/cosmos-db"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/address"
	"github.com/cosmos/cosmos-sdk/x/authz"
	gogoproto "github.com/cosmos/gogoproto/proto"

	"github.com/akash-wallet/akw/lightclient/proof"
)

// The authz store's layout, from the proof of the key 0x03: upstream's
// (its right neighbour beyond 0x03, or none) or Akash's fork (a neighbour
// under 0x03, the grantee index).
func TestGranteeIndexFromProof(t *testing.T) {
	grant := append(append([]byte{0x01}, address.MustLengthPrefix(bytes.Repeat([]byte{1}, 20))...), address.MustLengthPrefix(bytes.Repeat([]byte{2}, 20))...)
	queue := []byte{0x02, 0x00, 0x01}
	fork := append([]byte{0x03}, address.MustLengthPrefix(bytes.Repeat([]byte{2}, 20))...)
	for name, tc := range map[string]struct {
		left, right []byte
		want        bool
	}{
		"upstream, grants and queue": {left: queue, want: false},
		"upstream, grants only":      {left: grant, want: false},
		"upstream, a store after it": {left: grant, right: []byte{0x05}, want: false},
		"empty store":                {want: false},
		"fork, grantee index":        {left: queue, right: fork, want: true},
		"fork, index and no grants":  {right: fork, want: true},
	} {
		st := &provenStore{Store: dbadapter.Store{DB: dbm.NewMemDB()}, absent: map[string]bool{}}
		p := &proof.KeyProof{Key: authzGranteeIndexStart}
		if tc.left != nil {
			p.Left = &proof.Neighbour{Key: tc.left, Value: []byte{1}}
		}
		if tc.right != nil {
			p.Right = &proof.Neighbour{Key: tc.right, Value: []byte{1}}
		}
		st.addProof(p)
		got, err := hasGranteeIndex(st)
		if err != nil || got != tc.want {
			t.Errorf("%s: grantee index %v (%v), want %v", name, got, err, tc.want)
		}
	}
}

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
