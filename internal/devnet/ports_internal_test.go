package devnet

import (
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/akash-wallet/akw/internal/testctx"
)

// TestPortTaken: when another process takes a chosen port before CometBFT
// binds it, the validator is started again on other ports.
func TestPortTaken(t *testing.T) {
	squatter, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer squatter.Close()
	taken := squatter.Addr().(*net.TCPAddr).Port

	var mu sync.Mutex
	calls := 0
	portPicker = func(n int) ([]int, error) {
		mu.Lock()
		defer mu.Unlock()
		calls++
		ports, err := freePorts(n)
		if calls == 1 && err == nil {
			ports[0] = taken // the RPC port
		}
		return ports, err
	}
	defer func() { portPicker = freePorts }()

	ctx := testctx.New(t)
	n, err := Start(ctx, Config{Dir: t.TempDir(), Validators: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Stop()
	if calls < 2 {
		t.Fatalf("ports chosen %d time(s); the collision was not retried", calls)
	}
	if strings.HasSuffix(n.RPC()[0], fmt.Sprintf(":%d", taken)) {
		t.Fatalf("validator claims the squatted port %d", taken)
	}
	if _, err := n.WaitForNextBlock(ctx); err != nil {
		t.Fatal(err)
	}
}
