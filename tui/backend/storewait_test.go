package backend_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/akash-wallet/akw/internal/config"
	"github.com/akash-wallet/akw/internal/devnet/devnettest"
	"github.com/akash-wallet/akw/lightclient/trusted"
	"github.com/akash-wallet/akw/tui"
	"github.com/akash-wallet/akw/tui/backend"
)

// The TUI's light client shares the store; while another akw holds it,
// an operation waits, and the backend tells the TUI the wait (holder and
// bound) as it begins and as it ends, through the real light client.
func TestStoreWaitReachesTUI(t *testing.T) {
	f := open(t, devnettest.Get(t).RPC()[0])
	f.lc.Close() // the fixture's client pins the store: the TUI's shares it
	ctx := ctxT(t)
	net := config.Presets()[config.Devnet]
	n := devnettest.Get(t).Info()
	net.ChainID, net.RPC, net.Witnesses = n.ChainID, n.RPC[0], n.RPC[1:]
	tc := trusted.Config{ChainID: net.ChainID, Primary: net.RPC, Witnesses: net.Witnesses, Home: f.home,
		ShareStore: true,
		// Far beyond the moment the holder lets go below: a loaded
		// machine cannot turn the wait into a refusal.
		BusyWait: time.Minute}
	lc, err := trusted.Open(ctx, tc)
	if err != nil {
		t.Fatal(err)
	}
	defer lc.Close()
	be, err := backend.Open(backend.Parts{Name: config.Devnet, Network: net, Light: lc, Keyring: f.kr, Home: f.home})
	if err != nil {
		t.Fatal(err)
	}

	// Another akw takes the store (a command's client pins it).
	other := tc
	other.ShareStore, other.BusyWait, other.Command = false, -1, "akw tx send"
	holder, err := trusted.Open(ctx, other)
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		st  tui.LightStatus
		err error
	}
	done := make(chan result, 1)
	go func() {
		st, err := be.Status(ctx)
		done <- result{st, err}
	}()
	w, err := be.NextStoreWait(ctx)
	if err != nil || w.Ended || !strings.Contains(w.Text, fmt.Sprintf("(pid %d, `akw tx send`) (up to 1m0s)", os.Getpid())) {
		holder.Close()
		t.Fatalf("first wait %+v, %v", w, err)
	}
	holder.Close()
	if w, err = be.NextStoreWait(ctx); err != nil || !w.Ended {
		t.Fatalf("end of the wait %+v, %v", w, err)
	}
	if r := <-done; r.err != nil || r.st.Height < 2 {
		t.Fatalf("status after the wait: %+v %v", r.st, r.err)
	}
}
