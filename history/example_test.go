package history_test

import (
	"context"
	"fmt"
	"os"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-wallet/akw/history"
	"github.com/akash-wallet/akw/lightclient/trusted"
	"github.com/akash-wallet/akw/tx/amount"
)

// A face lists a page of an address's history through the light client:
// one call, then a render of each row with its proof status and of what
// the cache did.
func ExampleLister_List() {
	ctx := context.Background()
	home := os.ExpandEnv("$HOME/.local/share/akw") // --home
	lc, err := trusted.Open(ctx, trusted.Config{ChainID: "akashnet-2", Primary: "https://rpc.akashnet.net:443",
		Witnesses: []string{"https://rpc.akt.dev/rpc"}, Home: home})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer lc.Close()
	l, err := history.New(lc, nil, history.WithCache(home))
	if err != nil {
		fmt.Println(err)
		return
	}
	page, err := l.List(ctx, history.Query{Address: "akash1...", Limit: 20, Since: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("the list is node-reported; each row is proven or refused")
	for _, r := range page.Rows {
		fmt.Println(r.Time.Format(time.DateTime), r.Height, r.Status, r.Hash, r.Reason)
	}
	fmt.Printf("cached: %v, refreshed: %v; next page: %s\n", page.Cache.ListedFromCache, page.Cache.ListedFromNode, page.Next)
}

// The CSV export of proven rows, as a tax tool imports it.
func ExampleWriteCSV() {
	rows := []history.Row{{
		Hash: "9C1F...", Height: 28742283, Status: history.Proven, Verified: true, Success: true,
		Time: time.Date(2026, 9, 22, 14, 5, 9, 0, time.UTC),
		Effects: history.Effects{Memo: "rent", Movements: []history.Movement{
			{Kind: history.KindSend, Direction: history.Out, Coins: sdk.NewCoins(sdk.NewInt64Coin("uakt", 1_500_000)), Counterparty: "akash1bob", Verified: true},
			{Kind: history.KindFee, Direction: history.Out, Coins: sdk.NewCoins(sdk.NewInt64Coin("uakt", 5_000)), Verified: true},
		}},
	}}
	if _, err := history.WriteCSV(os.Stdout, rows, amount.Akash); err != nil {
		fmt.Println(err)
	}
	// Output:
	// Date,Sent Amount,Sent Currency,Received Amount,Received Currency,Fee Amount,Fee Currency,Net Worth Amount,Net Worth Currency,Label,Description,TxHash
	// 2026-09-22 14:05:09 UTC,1.500000,AKT,,,0.005000,AKT,,,transfer,send to akash1bob; memo: rent,9C1F...
}
