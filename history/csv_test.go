package history

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-wallet/akw/tx/amount"
)

func TestWriteCSV(t *testing.T) {
	at := time.Date(2026, 3, 1, 14, 5, 9, 0, time.FixedZone("CET", 3600))
	coin := func(d string, n int64) sdk.Coins { return sdk.NewCoins(sdk.NewInt64Coin(d, n)) }
	rows := []Row{
		// newest first, as List gives them
		{Hash: "REFUSED", Status: Refused, Reason: "lie"},
		{Hash: "FAILED", Status: Proven, Time: at, Code: 5, Effects: Effects{
			Messages:  []Message{{Summary: "send 1 AKT"}},
			Movements: []Movement{{Kind: KindFee, Direction: Out, Coins: coin("uakt", 2500)}},
		}},
		{Hash: "MULTI", Status: Proven, Success: true, Time: at, Effects: Effects{
			Memo: "=HYPERLINK(\"x\")\nline two",
			Movements: []Movement{
				{Kind: KindReceive, Direction: In, Coins: sdk.NewCoins(sdk.NewInt64Coin("uakt", 1), sdk.NewInt64Coin("ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2", 42)), Counterparty: "akash1x", Verified: true},
				{Kind: KindFee, Direction: Out, Coins: sdk.NewCoins(sdk.NewInt64Coin("uakt", 5000), sdk.NewInt64Coin("uact", 7)), Verified: true},
			},
		}},
		{Hash: "UNDELEGATE-BY-GRANTEE", Status: Proven, Success: true, Time: at, Effects: Effects{
			Movements: []Movement{{Kind: KindUndelegate, Coins: coin("uakt", 1_000_000), Counterparty: "akashvaloper1v", Verified: true}},
		}},
		{Hash: "CLAIM", Status: Proven, Success: true, Time: at, Effects: Effects{
			Movements: []Movement{
				{Kind: KindReward, Direction: In, Coins: coin("uakt", 123_456_789)},
				{Kind: KindFee, Direction: Out, Coins: coin("uakt", 5000), Verified: true},
			},
		}},
	}
	var buf bytes.Buffer
	sum, err := WriteCSV(&buf, rows, amount.Akash)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(&buf)
	r.FieldsPerRecord = len(CSVHeader)
	lines, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got := make([]string, 0, len(lines))
	for _, l := range lines[1:] {
		got = append(got, strings.Join([]string{l[0], l[1], l[2], l[3], l[4], l[5], l[6], l[9], l[11]}, "|"))
	}
	want := []string{
		"2026-03-01 13:05:09 UTC|||123.456789|AKT|0.005000|AKT|staking reward|CLAIM",
		"2026-03-01 13:05:09 UTC|||42|ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2|0.005000|AKT|transfer|MULTI",
		"2026-03-01 13:05:09 UTC|||0.000001|AKT|||transfer|MULTI",
		"2026-03-01 13:05:09 UTC|||||7|uact|fee|MULTI",
		"2026-03-01 13:05:09 UTC|||||0.002500|AKT|fee|FAILED",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if sum.Lines != 5 || sum.Transactions != 3 || len(sum.Refused) != 1 || sum.Refused[0] != "REFUSED" {
		t.Fatalf("summary %+v", sum)
	}
	for _, l := range lines[1:] {
		if strings.ContainsAny(l[10][:1], "=+-@") || strings.Contains(l[10], "\n") {
			t.Fatalf("description %q could be read as a formula or breaks the line", l[10])
		}
	}
	if !strings.Contains(lines[2][10], "memo: =HYPERLINK") || !strings.Contains(lines[5][10], "failed (code 5)") {
		t.Fatalf("descriptions: %q / %q", lines[2][10], lines[5][10])
	}
}

func TestFixed(t *testing.T) {
	for _, tc := range []struct {
		v    int64
		want string
	}{{0, "0.000000"}, {1, "0.000001"}, {1_000_000, "1.000000"}, {123_456_789, "123.456789"}, {-5, "-0.000005"}} {
		if got := fixed(sdkmath.NewInt(tc.v), 6); got != tc.want {
			t.Errorf("fixed(%d) = %q, want %q", tc.v, got, tc.want)
		}
	}
}

// With ACT's units from its proven metadata (act at 6), ACT is written in
// ACT with six decimals wherever it appears, AKT in AKT, and a voucher
// without metadata in base units under its full denom: each currency in
// one unit only, never base and display mixed.
func TestWriteCSVTokens(t *testing.T) {
	const ibc = "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2"
	at := time.Date(2026, 3, 1, 13, 5, 9, 0, time.UTC)
	rows := []Row{
		{Hash: "RECV", Status: Proven, Success: true, Time: at, Effects: Effects{
			Movements: []Movement{
				{Kind: KindReceive, Direction: In, Coins: sdk.NewCoins(sdk.NewInt64Coin("uact", 2_500_000), sdk.NewInt64Coin(ibc, 42)), Counterparty: "akash1x", Verified: true},
				{Kind: KindFee, Direction: Out, Coins: sdk.NewCoins(sdk.NewInt64Coin("uakt", 5000), sdk.NewInt64Coin("uact", 7)), Verified: true},
			},
		}},
	}
	if got := Denoms(rows); strings.Join(got, ",") != ibc+",uact,uakt" {
		t.Fatalf("Denoms = %v", got)
	}
	d := amount.Akash
	d.Tokens = []amount.Denoms{{Base: "uact", Display: "act", Exponent: 6}}
	var buf bytes.Buffer
	if _, err := WriteCSV(&buf, rows, d); err != nil {
		t.Fatal(err)
	}
	lines, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range lines[1:] {
		got = append(got, strings.Join([]string{l[3], l[4], l[5], l[6], l[9]}, "|"))
	}
	want := []string{
		"42|" + ibc + "|0.005000|AKT|transfer",
		"2.500000|ACT|||transfer",
		"||0.000007|ACT|fee",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
