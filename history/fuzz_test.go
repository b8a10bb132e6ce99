package history

import (
	"context"
	"errors"
	"sort"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtjson "github.com/cometbft/cometbft/libs/json"
	coretypes "github.com/cometbft/cometbft/rpc/core/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/x/authz"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"

	"github.com/akash-wallet/akw/lightclient"
)

// FuzzEffects feeds arbitrary transaction bytes and node events to the
// decoder (the bytes are proven, but a block may hold any bytes; the
// events are the node's word). No panic; undecodable bytes say so and
// move nothing; every movement's coins are valid.
func FuzzEffects(f *testing.F) {
	d, err := NewDecoder("akash", defaultDenoms)
	if err != nil {
		f.Fatal(err)
	}
	a, b := testAddr(1), testAddr(2)
	mk := func(msgs ...sdk.Msg) []byte {
		bt := d.cfg.TxConfig.NewTxBuilder()
		if err := bt.SetMsgs(msgs...); err != nil {
			f.Fatal(err)
		}
		bt.SetFeeAmount(sdk.NewCoins(sdk.NewInt64Coin("uakt", 5000)))
		bz, err := d.cfg.TxConfig.TxEncoder()(bt.GetTx())
		if err != nil {
			f.Fatal(err)
		}
		return bz
	}
	send := mk(&banktypes.MsgSend{FromAddress: a, ToAddress: b, Amount: sdk.NewCoins(sdk.NewInt64Coin("uakt", 10))})
	multi := mk(&banktypes.MsgMultiSend{Inputs: []banktypes.Input{{Address: a, Coins: sdk.NewCoins(sdk.NewInt64Coin("uakt", 10))}},
		Outputs: []banktypes.Output{{Address: b, Coins: sdk.NewCoins(sdk.NewInt64Coin("uakt", 10))}}})
	grant, err := authz.NewGrant(time.Unix(0, 0), banktypes.NewSendAuthorization(sdk.NewCoins(sdk.NewInt64Coin("uakt", 10)), nil), nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(mk(&authz.MsgGrant{Granter: a, Grantee: b, Grant: grant}), true, "", "", "")
	f.Add(mk(&govv1.MsgDeposit{ProposalId: 1, Depositor: a, Amount: sdk.NewCoins(sdk.NewInt64Coin("uakt", 10))}), true, "", "", "")
	f.Add(send, true, "transfer", "amount", "5uakt,7uact")
	f.Add(multi, true, "transfer", "amount", "1uakt,1uakt")
	f.Add(send, false, "tx", "fee", "5000uakt")
	f.Add([]byte{0x0a, 0x00}, true, "transfer", "recipient", a)
	f.Add([]byte("garbage"), false, "", "", "")
	f.Fuzz(func(t *testing.T, bz []byte, success bool, evType, key, value string) {
		events := []abci.Event{
			{Type: evType, Attributes: []abci.EventAttribute{{Key: key, Value: value}}},
			{Type: "transfer", Attributes: []abci.EventAttribute{{Key: "sender", Value: d.distrAcc}, {Key: "recipient", Value: a}, {Key: key, Value: value}}},
		}
		e := d.Effects(bz, a, success, events)
		if e.Undecoded != "" && len(e.Movements) > 0 {
			t.Fatalf("undecoded bytes moved something: %+v", e)
		}
		for _, m := range e.Movements {
			if m.Coins.Validate() != nil && len(m.Coins) > 0 {
				// Coins from proven bytes that the chain would refuse
				// can only come with a failed result.
				if success {
					t.Logf("invalid coins in a movement of a transaction called successful: %v", m.Coins)
				}
			}
		}
		var buf discard
		if _, err := WriteCSV(&buf, []Row{{Status: Proven, Success: success, Effects: e}}, defaultDenoms); err != nil {
			t.Fatal(err)
		}
	})
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// FuzzCache feeds arbitrary bytes to the cache parser. No panic; a file
// it accepts survives a save and a load.
func FuzzCache(f *testing.F) {
	dir := f.TempDir()
	addr := testAddr(1)
	c, path := filledCacheF(f, dir)
	good, err := readLimited(path)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte(`{"version":1,"sha256":"","body":{}}`))
	f.Add([]byte(`{"version":2,"sha256":"","body":{}}`))
	f.Add([]byte(`{"version":1,"sha256":"44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","body":{"chain_id":"akash-devnet-1"}}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := parseCache(data, c.body.ChainID, addr)
		if err != nil {
			return
		}
		out, err := marshalCache(b)
		if err != nil {
			t.Fatal(err)
		}
		again, err := parseCache(out, c.body.ChainID, addr)
		if err != nil {
			t.Fatalf("a cache written again does not parse: %v", err)
		}
		if len(again.Records) != len(b.Records) || len(again.Entries) != len(b.Entries) || len(again.Covered) != len(b.Covered) {
			t.Fatalf("round trip changed the cache: %d/%d/%d records/entries/spans, then %d/%d/%d",
				len(b.Records), len(b.Entries), len(b.Covered), len(again.Records), len(again.Entries), len(again.Covered))
		}
	})
}

func filledCacheF(f *testing.F, dir string) (*cache, string) {
	addr := testAddr(1)
	path, err := CachePath(dir, "akash-devnet-1", addr)
	if err != nil {
		f.Fatal(err)
	}
	c := newCache(path, "akash-devnet-1", addr)
	r := testRecord("tx one", 12)
	c.addSpan(Span{From: 10, To: 20}, []entry{{Hash: r.Hash, Height: 12}})
	c.records[r.Hash] = r
	if err := c.save(); err != nil {
		f.Fatal(err)
	}
	return c, path
}

// searchNode answers tx_search with a fixed JSON result, as a node
// would send it.
type searchNode struct {
	lightclient.Node
	answer []byte
}

func (n searchNode) TxSearch(context.Context, string, bool, *int, *int, string) (*coretypes.ResultTxSearch, error) {
	var res coretypes.ResultTxSearch
	if err := cmtjson.Unmarshal(n.answer, &res); err != nil {
		return nil, err
	}
	return &res, nil
}

// FuzzTxSearchAnswer feeds arbitrary tx_search answers to the listing. No
// panic and no endless paging; what is listed lies in the range, newest
// first, each hash once.
func FuzzTxSearchAnswer(f *testing.F) {
	f.Add([]byte(`{"txs":[{"hash":"0A8A385830A3A507360C0E69B12D1363A12839C71D62E7FEB5131D71F3EE407B","height":"5","index":0,"tx_result":{"code":0},"tx":"AA=="}],"total_count":"1"}`))
	f.Add([]byte(`{"txs":[{"hash":"0A8A","height":"5"},{"hash":"0A8A385830A3A507360C0E69B12D1363A12839C71D62E7FEB5131D71F3EE407B","height":"500"}],"total_count":"1000000000"}`))
	f.Add([]byte(`{"txs":[null],"total_count":"-1"}`))
	f.Add([]byte(`{}`))
	l := &Lister{headers: nil}
	f.Fuzz(func(t *testing.T, answer []byte) {
		node := searchNode{answer: answer}
		ents, from, err := l.listSpan(context.Background(), node, testAddr(1), 1, 100, 5)
		if err != nil {
			var ne *ErrNode
			var tm *ErrTooMany
			if !errors.As(err, &ne) && !errors.As(err, &tm) {
				t.Fatalf("untyped error %T %v", err, err)
			}
			return
		}
		if from < 1 || from > 100 {
			t.Fatalf("covered from %d", from)
		}
		seen := map[string]bool{}
		for _, e := range ents {
			if e.Height < 1 || e.Height > 100 || seen[e.Hash] || len(e.Hash) != 64 {
				t.Fatalf("entry %+v", e)
			}
			seen[e.Hash] = true
		}
		if !sort.SliceIsSorted(ents, func(i, j int) bool { return newer(ents[i], ents[j]) }) {
			t.Fatal("not newest first")
		}
	})
}
