package state_test

import (
	"context"
	"fmt"
	"os"

	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/lightclient/state"
	"github.com/akash-wallet/akw/lightclient/trusted"
)

// A proven balance, from a root of trust to a value: trust the newest
// header once (every witness agreeing), then prove carol's balances in
// the newest state against a header the light client verified. The
// nodes are an in-process devnet on 127.0.0.1 here; on akashnet-2 they
// are public RPC nodes of different operators, and the code is the same.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "akw-example-")
	defer os.RemoveAll(dir)
	if err := devnet.SetSDKConfig(); err != nil { // the akash bech32 prefix
		fmt.Println(err)
		return
	}
	net, err := devnet.Start(ctx, devnet.Config{Dir: dir + "/net"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer net.Stop()

	rpc := net.RPC()
	lc, err := trusted.Init(ctx,
		trusted.Config{ChainID: net.ChainID(), Primary: rpc[0], Witnesses: rpc[1:], Home: dir + "/home"},
		trusted.TrustRoot{Latest: true},
		// A person would compare the candidate's hash with a source they
		// trust before saying yes (akw light init asks).
		trusted.InitOptions{Confirm: func(trusted.Candidate) (bool, error) { return true, nil }})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer lc.Close()

	// State at height H is committed by header H+1: wait for one block
	// after the root of trust.
	if _, err := net.WaitForNextBlock(ctx); err != nil {
		fmt.Println(err)
		return
	}
	view, err := state.New(lc, nil).Latest(ctx) // the newest state, on a verified header
	if err != nil {
		fmt.Println(err)
		return
	}
	carol, _ := net.Account("carol")
	addr, _ := carol.AccAddress()
	b, err := view.Balances(ctx, addr)
	if err != nil {
		fmt.Println(err) // a lying node ends here: no value, a verification error
		return
	}
	for _, c := range b.Coins {
		fmt.Println(c)
	}
	fmt.Println("verified:", b.Verified, "- proven complete at height", b.Height == view.Height())
	// Output:
	// 10000000000uact
	// 1000000000000uakt
	// verified: true - proven complete at height true
}
