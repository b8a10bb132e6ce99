package devnet

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/akash-wallet/akw/internal/testctx"
)

// TestRPCListenerCloseAllEndsConnections: closeAll ends the connections
// the listener accepted, a kept-alive HTTP one and a hijacked one (as a
// websocket is), not only the listener.
func TestRPCListenerCloseAllEndsConnections(t *testing.T) {
	lis, err := listenRPC("127.0.0.1:0", 10)
	require.NoError(t, err)
	hijacked := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("/plain", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok") })
	mux.HandleFunc("/hijack", func(w http.ResponseWriter, _ *http.Request) {
		c, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		_, _ = buf.WriteString("HTTP/1.1 101 Switching Protocols\r\n\r\n")
		_ = buf.Flush()
		close(hijacked)
		_ = c // left open: only the listener's closeAll ends it
	})
	srv := &http.Server{Handler: mux}
	served := make(chan struct{})
	go func() { defer close(served); _ = srv.Serve(lis) }()

	plain := keepAlive(t, lis.Addr().String(), "/plain")
	hij, err := net.Dial("tcp", lis.Addr().String())
	require.NoError(t, err)
	defer hij.Close()
	_, err = fmt.Fprintf(hij, "GET /hijack HTTP/1.1\r\nHost: x\r\n\r\n")
	require.NoError(t, err)
	hijR := bufio.NewReader(hij)
	line, err := hijR.ReadString('\n')
	require.NoError(t, err)
	require.Contains(t, line, "101")
	<-hijacked

	lis.closeAll()
	<-served
	// Both connections are closed by the server: a read ends at once.
	_, err = plain.r.ReadByte()
	require.ErrorIs(t, err, io.EOF)
	_, err = io.ReadAll(hijR)
	require.NoError(t, err, "EOF, after whatever was in flight")
	_, err = net.Dial("tcp", lis.Addr().String())
	require.Error(t, err, "the port is closed")
}

// TestRestartEndsRPCConnections: a restarted node (as at an upgrade)
// answers on its port, and a connection kept alive to it from before the
// restart is closed, not answered by the stopped node from its frozen
// state, as CometBFT's own RPC server did (rpcserver.go).
func TestRestartEndsRPCConnections(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a devnet")
	}
	ctx := testctx.New(t)
	n, err := Start(ctx, Config{Dir: t.TempDir(), Validators: 1})
	require.NoError(t, err)
	defer n.Stop()

	v := n.vals[0]
	kept := keepAlive(t, v.rpcAddr, "/status")
	rpcAddr := v.rpcAddr
	n.nodesMu.Lock()
	err = n.restart(v)
	n.nodesMu.Unlock()
	require.NoError(t, err)

	// The kept connection: closed, without a word from the old node.
	_, err = fmt.Fprintf(kept.c, "GET /net_info HTTP/1.1\r\nHost: x\r\n\r\n")
	if err == nil {
		var resp *http.Response
		resp, err = http.ReadResponse(kept.r, nil)
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			t.Fatalf("the stopped node answered on a connection from before the restart: %s", body)
		}
	}

	// The new node answers, on the same port if it was free.
	h, err := n.LatestHeight(ctx, 0)
	require.NoError(t, err)
	require.NoError(t, n.WaitForAppHeight(ctx, h+1))
	ni, err := n.Client(0).NetInfo(ctx)
	require.NoError(t, err)
	require.True(t, ni.Listening)
	t.Logf("restarted on %s (was %s)", v.rpcAddr, rpcAddr)
}

type keptConn struct {
	c net.Conn
	r *bufio.Reader
}

// keepAlive dials addr, asks path over HTTP/1.1 (keep-alive) and reads
// the answer, leaving the connection open.
func keepAlive(t *testing.T, addr, path string) keptConn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	_, err = fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n", path, addr)
	require.NoError(t, err)
	r := bufio.NewReader(c)
	resp, err := http.ReadResponse(r, nil)
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	require.False(t, resp.Close, "the server keeps the connection")
	if strings.HasPrefix(path, "/status") {
		var st struct {
			Result json.RawMessage `json:"result"`
		}
		require.NoError(t, json.Unmarshal(body, &st))
		require.NotEmpty(t, st.Result)
	}
	return keptConn{c: c, r: r}
}
