package state_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	cmtbytes "github.com/cometbft/cometbft/libs/bytes"
	rpcclient "github.com/cometbft/cometbft/rpc/client"
	ctypes "github.com/cometbft/cometbft/rpc/core/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/akash-wallet/akw/denom"
	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/testctx"
	"github.com/akash-wallet/akw/lightclient/proof"
	"github.com/akash-wallet/akw/lightclient/state"
	"github.com/akash-wallet/akw/lightclient/trusted"
)

// startPlainDevnet starts a devnet as genesis makes it (AKT and ACT with
// mainnet's metadata, ACT send-disabled, an IBC voucher without
// metadata) and a light client trusting it.
func startPlainDevnet(t *testing.T) (*devnet.Network, *trusted.Client) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a devnet")
	}
	if err := devnet.SetSDKConfig(); err != nil {
		t.Fatal(err)
	}
	ctx := testctx.New(t)
	n, err := devnet.Start(ctx, devnet.Config{Dir: t.TempDir(), Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = n.Stop() })
	if err := n.WaitForAppHeight(ctx, 3); err != nil {
		t.Fatal(err)
	}
	rpc := n.RPC()
	c, err := trusted.Init(ctx, trusted.Config{
		ChainID: n.ChainID(), Primary: rpc[0], Witnesses: rpc[1:], Home: t.TempDir(),
	}, trusted.TrustRoot{Latest: true}, trusted.InitOptions{Confirm: func(trusted.Candidate) (bool, error) { return true, nil }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return n, c
}

// TestDevnetDenomsEqualNode proves the bank's denom metadata and send
// rules on a devnet shaped like mainnet and compares each answer with the
// node's own gRPC answer at the same height.
func TestDevnetDenomsEqualNode(t *testing.T) {
	n, c := startPlainDevnet(t)
	ctx := testctx.New(t)
	node := c.Primary()
	v, err := state.New(c, nil).Latest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	h := v.Height()
	alice, err := n.Account("alice")
	if err != nil {
		t.Fatal(err)
	}
	aliceAddr, err := alice.AccAddress()
	if err != nil {
		t.Fatal(err)
	}
	denoms := []string{devnet.Denom, devnet.ActDenom, devnet.IBCDenom}

	t.Run("metadata", func(t *testing.T) {
		for _, d := range denoms {
			got, err := v.DenomMetadata(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			if d == devnet.IBCDenom {
				// The node answers NotFound; akw proves the absence.
				res, err := node.ABCIQueryWithOptions(ctx, "/cosmos.bank.v1beta1.Query/DenomMetadata", mustMarshal(t, &banktypes.QueryDenomMetadataRequest{Denom: d}), rpcclient.ABCIQueryOptions{Height: h})
				if err != nil {
					t.Fatal(err)
				}
				if res.Response.Code == 0 || got.Metadata != nil || got.Denom != d {
					t.Fatalf("%s: node code %d, proven %+v", d, res.Response.Code, got)
				}
				continue
			}
			var want banktypes.QueryDenomMetadataResponse
			grpc(t, node, h, "/cosmos.bank.v1beta1.Query/DenomMetadata", &banktypes.QueryDenomMetadataRequest{Denom: d}, &want)
			if got.Metadata == nil || !sameProto(t, got.Metadata, &want.Metadata) {
				t.Fatalf("%s: proven %+v, node %+v", d, got.Metadata, want.Metadata)
			}
		}
		// ACT as mainnet's upgrade stores it: display names the base unit.
		act, err := v.DenomMetadata(ctx, devnet.ActDenom)
		if err != nil {
			t.Fatal(err)
		}
		if act.Metadata.Display != "uact" || len(act.Metadata.DenomUnits) != 3 || act.Metadata.DenomUnits[2].Exponent != 6 {
			t.Fatalf("ACT metadata %+v", act.Metadata)
		}

		all, err := v.DenomsMetadata(ctx, denoms)
		if err != nil {
			t.Fatal(err)
		}
		var want banktypes.QueryDenomsMetadataResponse
		grpc(t, node, h, "/cosmos.bank.v1beta1.Query/DenomsMetadata", &banktypes.QueryDenomsMetadataRequest{}, &want)
		if len(want.Metadatas) != 2 || all.Height != h || !all.Verified {
			t.Fatalf("node lists %d metadata; proven %+v", len(want.Metadatas), all)
		}
		for _, m := range want.Metadatas {
			found := false
			for _, g := range all.Denoms {
				found = found || (g.Metadata != nil && g.Denom == m.Base && sameProto(t, g.Metadata, &m))
			}
			if !found {
				t.Fatalf("node's metadata of %s not among the proven ones", m.Base)
			}
		}
	})

	t.Run("burn-mint records", func(t *testing.T) {
		// The devnet's bme store is a stand-in without x/bme: no
		// records, and that is proven (six prefix walks over mainnet's
		// store, bound to the app hash), not assumed.
		got, err := v.MintRecords(ctx, aliceAddr)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Records) != 0 || !got.Verified || got.Height != h || got.Address != aliceAddr.String() {
			t.Fatalf("%+v", got)
		}
	})

	t.Run("holdings", func(t *testing.T) {
		got, err := v.Holdings(ctx, aliceAddr)
		if err != nil {
			t.Fatal(err)
		}
		var want banktypes.QueryAllBalancesResponse
		grpc(t, node, h, "/cosmos.bank.v1beta1.Query/AllBalances", &banktypes.QueryAllBalancesRequest{Address: aliceAddr.String()}, &want)
		if !got.Coins.Equal(want.Balances) || len(got.Denoms) != len(got.Coins) || len(got.Coins) != 3 {
			t.Fatalf("proven %+v, node %s", got, want.Balances)
		}
		for i, c := range got.Coins {
			md := got.Denoms[i]
			if md.Denom != c.Denom || (md.Metadata == nil) != (c.Denom == devnet.IBCDenom) {
				t.Fatalf("coin %s with metadata %+v", c, md)
			}
		}
		// Shown as the chain describes them: ACT in act although its
		// metadata's Display is uact, the voucher as it is.
		set := denom.NewSet()
		for _, d := range got.Denoms {
			set.Add(denom.Describe(d.Denom, d.Metadata))
		}
		if s := set.Amount(got.Coins.AmountOf(devnet.ActDenom), devnet.ActDenom); s != "10000 ACT" {
			t.Fatalf("alice's ACT shown as %q", s)
		}
		if s := set.Amount(got.Coins.AmountOf(devnet.IBCDenom), devnet.IBCDenom); s != "250000000 "+devnet.IBCDenom {
			t.Fatalf("alice's voucher shown as %q", s)
		}
		if c, err := set.Parse("1.5act"); err != nil || c.String() != "1500000uact" {
			t.Fatalf("1.5act read as %v, %v", c, err)
		}
	})

	t.Run("send rules", func(t *testing.T) {
		var params banktypes.QueryParamsResponse
		grpc(t, node, h, "/cosmos.bank.v1beta1.Query/Params", &banktypes.QueryParamsRequest{}, &params)
		var entries banktypes.QuerySendEnabledResponse
		grpc(t, node, h, "/cosmos.bank.v1beta1.Query/SendEnabled", &banktypes.QuerySendEnabledRequest{Denoms: denoms}, &entries)
		if len(entries.SendEnabled) != 1 || entries.SendEnabled[0].Denom != devnet.ActDenom || entries.SendEnabled[0].Enabled {
			t.Fatalf("node's SendEnabled entries %+v", entries.SendEnabled)
		}
		for _, d := range denoms {
			got, err := v.SendEnabled(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			want, entry := params.Params.DefaultSendEnabled, false
			for _, e := range entries.SendEnabled {
				if e.Denom == d {
					want, entry = e.Enabled, true
				}
			}
			if got.Enabled != want || got.Entry != entry || got.Denom != d || got.Height != h || !got.Verified {
				t.Fatalf("%s: proven %+v, node enabled=%v entry=%v", d, got, want, entry)
			}
		}
		// The uact entry really is an empty value: this is the proof that
		// ics23 alone cannot check (proof/empty.go).
		res, err := node.ABCIQueryWithOptions(ctx, "/store/bank/key", append([]byte{0x04}, devnet.ActDenom...), rpcclient.ABCIQueryOptions{Height: h, Prove: true})
		if err != nil {
			t.Fatal(err)
		}
		if res.Response.Code != 0 || len(res.Response.Value) != 0 || res.Response.ProofOps == nil {
			t.Fatalf("the uact entry: code %d value %X", res.Response.Code, res.Response.Value)
		}
	})

	t.Run("lies", func(t *testing.T) {
		uactEntry := append([]byte{0x04}, devnet.ActDenom...)
		aktMeta := append([]byte{0x01}, devnet.Denom...)
		for name, lie := range map[string]func(ctx context.Context, path string, data cmtbytes.HexBytes, opts rpcclient.ABCIQueryOptions, r *ctypes.ResultABCIQuery) (*ctypes.ResultABCIQuery, error){
			// ACT made sendable: the value a "true" entry would have.
			"uact entry says true": func(_ context.Context, _ string, data cmtbytes.HexBytes, _ rpcclient.ABCIQueryOptions, r *ctypes.ResultABCIQuery) (*ctypes.ResultABCIQuery, error) {
				if bytes.Equal(data, uactEntry) {
					r.Response.Value = []byte{0x08, 0x01}
				}
				return r, nil
			},
			// ACT's metadata swapped for AKT's, proof and all.
			"another denom's metadata": func(ctx context.Context, path string, data cmtbytes.HexBytes, opts rpcclient.ABCIQueryOptions, r *ctypes.ResultABCIQuery) (*ctypes.ResultABCIQuery, error) {
				if !bytes.Equal(data, append([]byte{0x01}, devnet.ActDenom...)) {
					return r, nil
				}
				other, err := node.ABCIQueryWithOptions(ctx, path, aktMeta, opts)
				if err != nil {
					return nil, err
				}
				other.Response.Key = r.Response.Key
				return other, nil
			},
			// The uact entry hidden: the answer of an absent key instead.
			"uact entry hidden": func(ctx context.Context, path string, data cmtbytes.HexBytes, opts rpcclient.ABCIQueryOptions, r *ctypes.ResultABCIQuery) (*ctypes.ResultABCIQuery, error) {
				if !bytes.Equal(data, uactEntry) {
					return r, nil
				}
				other, err := node.ABCIQueryWithOptions(ctx, path, append(append([]byte(nil), uactEntry...), 0), opts)
				if err != nil {
					return nil, err
				}
				other.Response.Key = r.Response.Key
				return other, nil
			},
		} {
			lv, err := state.New(c, &lyingNode{Node: node, lie: lie}).At(ctx, h)
			if err != nil {
				t.Fatal(err)
			}
			_, errSend := lv.SendEnabled(ctx, devnet.ActDenom)
			_, errMeta := lv.DenomMetadata(ctx, devnet.ActDenom)
			err = errors.Join(errSend, errMeta)
			if err == nil || !errors.Is(err, proof.ErrVerification) || errkind.KindOf(err) != errkind.Verification {
				t.Fatalf("%s: %v", name, err)
			}
		}
	})
}

func mustMarshal(t *testing.T, m protoMsg) []byte {
	t.Helper()
	bz, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return bz
}
