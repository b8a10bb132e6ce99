package wallet_test

import (
	"context"
	"fmt"
	"os"

	"github.com/akash-wallet/akw/internal/config"
	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/keys"
	"github.com/akash-wallet/akw/lightclient/trusted"
	"github.com/akash-wallet/akw/tx/flow"
	"github.com/akash-wallet/akw/tx/ops"
	"github.com/akash-wallet/akw/wallet"
)

// Preparing a send: the operation is parsed from the fields a face
// collected, checked against proven state (the sender's balance and
// sequence, proven against a verified header), its gas simulated, and
// returned as a plan to show the user before anything is signed. Both
// faces do exactly this: akw tx send prints the plan as review lines,
// the TUI as its review screen. Session.Send would then sign, broadcast
// and prove the inclusion.
func ExampleSession_Prepare() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "akw-example-")
	defer os.RemoveAll(dir)
	net, err := devnet.Start(ctx, devnet.Config{Dir: dir + "/net"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer net.Stop()

	// The network: the devnet preset pointed at this devnet's nodes.
	n := config.Presets()[config.Devnet]
	rpc := net.RPC()
	n.ChainID, n.RPC, n.Witnesses = net.ChainID(), rpc[0], rpc[1:]
	// A root of trust (akw light init), and alice's key in a keyring.
	lc, err := trusted.Init(ctx,
		trusted.Config{ChainID: n.ChainID, Primary: n.RPC, Witnesses: n.Witnesses, Home: dir + "/home"},
		trusted.TrustRoot{Latest: true},
		trusted.InitOptions{Confirm: func(trusted.Candidate) (bool, error) { return true, nil }})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer lc.Close()
	kr, err := keys.Open(keys.Config{Backend: keys.BackendMemory})
	if err != nil {
		fmt.Println(err)
		return
	}
	alice, _ := net.Account("alice")
	if _, err := kr.Recover("alice", alice.Mnemonic, keys.HDOptions{}); err != nil {
		fmt.Println(err)
		return
	}
	bob, _ := net.Account("bob")

	// State at height H is committed by header H+1: one block after the
	// root of trust.
	if _, err := net.WaitForNextBlock(ctx); err != nil {
		fmt.Println(err)
		return
	}
	s, err := wallet.Open(ctx, wallet.Config{Name: config.Devnet, Network: n, Light: lc, Keyring: kr})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	key, err := s.Signer(ctx, "alice", false)
	if err != nil {
		fmt.Println(err)
		return
	}
	plan, err := s.Prepare(ctx, ops.Request{Kind: ops.KindSend, To: bob.Address, Amount: "1.5akt"}, key, flow.Options{})
	if err != nil {
		fmt.Println(err) // a check that failed: nothing was signed
		return
	}
	fmt.Println("checked against proven state:", plan.Checked, "- account proven:", plan.AccountVerified)
	fmt.Println("warnings:", len(plan.Warnings))
	for _, f := range plan.Summary {
		if f.Label == "action" || f.Label == "amount" { // from and to: this devnet's addresses
			fmt.Printf("%s: %s\n", f.Label, f.Value)
		}
	}
	// Output:
	// checked against proven state: true - account proven: true
	// warnings: 0
	// action: send
	// amount: 1.5 AKT
}
