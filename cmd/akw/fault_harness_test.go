package main

// Harness of the fault tests (fault_test.go): the real akw binary as a
// subprocess (for exit codes and signals), a node that stalls, and a node
// that takes a broadcast and drops the connection before answering. Every
// helper is prefixed "fault" (this package is shared with other tests).

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/akash-wallet/akw/internal/testctx"
)

// faultBin returns a path named "akw" that runs this test binary as the
// akw command: TestMain (testscript.Main) dispatches on the base name of
// argv[0], so the subprocess is akw's own main with its own exit codes
// and signal handling, without a separate `go build`.
func faultBin(t *testing.T) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "akw")
	if err := os.Symlink(exe, bin); err != nil {
		t.Fatal(err)
	}
	return bin
}

// faultEnviron is the subprocess environment: the test's, without any
// AKW_* setting that could leak in, with a HOME of its own.
func faultEnviron(home string, extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "AKW_") || strings.HasPrefix(kv, "HOME=") ||
			strings.HasPrefix(kv, "XDG_CONFIG_HOME=") || strings.HasPrefix(kv, "XDG_DATA_HOME=") {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "HOME="+home, "XDG_CONFIG_HOME="+home+"/.config", "XDG_DATA_HOME="+home+"/.local/share")
	return append(env, extra...)
}

// faultProc is one running akw process.
type faultProc struct {
	args []string
	cmd  *exec.Cmd
	out  lockedBuffer
	err  lockedBuffer
	done chan struct{}
	code int

	started, ended time.Time
}

// faultStart starts `akw args...` with env.
func faultStart(t *testing.T, bin string, env []string, args ...string) *faultProc {
	t.Helper()
	p := &faultProc{args: args, done: make(chan struct{}), started: time.Now()}
	p.cmd = exec.Command(bin, args...)
	p.cmd.Env = env
	p.cmd.Stdin = nil // /dev/null: not a terminal, no prompts
	p.cmd.Stdout, p.cmd.Stderr = &p.out, &p.err
	// A child akw leaves behind (a hung keyring helper) may hold the
	// output pipes; akw's own exit is what counts.
	p.cmd.WaitDelay = 2 * time.Second
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		_ = p.cmd.Wait()
		p.code = p.cmd.ProcessState.ExitCode()
		p.ended = time.Now()
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			_ = p.cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

// wait waits at most bound for the process to end and returns its exit
// code; a process still running after bound fails the test (and is
// killed): every fault must end in bounded time.
func (p *faultProc) wait(t *testing.T, bound time.Duration) int {
	t.Helper()
	select {
	case <-p.done:
		return p.code
	case <-time.After(bound):
		_ = p.cmd.Process.Kill()
		<-p.done
		t.Fatalf("akw %s still running after %s\nstdout: %s\nstderr: %s", strings.Join(p.args, " "), bound, p.out.String(), p.err.String())
		return -1
	}
}

// waitStderr waits at most bound until stderr contains s.
func (p *faultProc) waitStderr(t *testing.T, s string, bound time.Duration) {
	t.Helper()
	deadline := time.Now().Add(bound)
	for !strings.Contains(p.err.String(), s) {
		select {
		case <-p.done:
			t.Fatalf("akw %s ended (exit %d) before printing %q\nstdout: %s\nstderr: %s", strings.Join(p.args, " "), p.code, s, p.out.String(), p.err.String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("akw %s did not print %q within %s\nstderr: %s", strings.Join(p.args, " "), s, bound, p.err.String())
		}
	}
}

func (p *faultProc) signal(t *testing.T, sig syscall.Signal) {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatalf("signal %v: %v", sig, err)
	}
}

// faultJSONError decodes the JSON error object akw prints on stderr with
// -o json (the last line that parses).
func faultJSONError(t *testing.T, stderr string) (code int, message, hint string) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		var e struct {
			Error struct {
				Code    int    `json:"code"`
				Message string `json:"message"`
				Hint    string `json:"hint"`
			} `json:"error"`
		}
		if json.Unmarshal([]byte(lines[i]), &e) == nil && e.Error.Code != 0 {
			return e.Error.Code, e.Error.Message, e.Error.Hint
		}
	}
	t.Fatalf("no JSON error object on stderr:\n%s", stderr)
	return 0, "", ""
}

// ---- a node that stalls

// faultStall accepts TCP connections, reads the requests sent on them and
// never answers: a node whose process hangs (or a black-holing load
// balancer). It counts connections, and requests read in full, so a test
// knows akw is waiting on it.
type faultStall struct {
	ln       net.Listener
	accepted atomic.Int64

	mu       sync.Mutex
	conns    []net.Conn
	requests int64
	// finished counts the connections read to their end (closed by the
	// client).
	finished int64
	// more is closed (and replaced) at each request read in full, and at
	// each connection read to its end.
	more chan struct{}
}

func newFaultStall(t *testing.T) *faultStall {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &faultStall{ln: ln, more: make(chan struct{})}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.accepted.Add(1)
			s.conns = append(s.conns, c)
			s.mu.Unlock()
			go s.read(c)
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, c := range s.conns {
			c.Close()
		}
	})
	return s
}

// read reads the HTTP requests of one connection to their end, so the
// client has sent each in full and waits for an answer that never comes.
func (s *faultStall) read(c net.Conn) {
	defer func() {
		s.mu.Lock()
		s.finished++
		close(s.more)
		s.more = make(chan struct{})
		s.mu.Unlock()
	}()
	br := bufio.NewReader(c)
	for {
		req, err := http.ReadRequest(br)
		if err != nil {
			// Not HTTP (or closed): swallow the rest unanswered.
			_, _ = io.Copy(io.Discard, br)
			return
		}
		_, _ = io.Copy(io.Discard, req.Body)
		s.mu.Lock()
		s.requests++
		close(s.more)
		s.more = make(chan struct{})
		s.mu.Unlock()
	}
}

func (s *faultStall) URL() string { return "http://" + s.ln.Addr().String() }

// settledRequests is the number of requests the node was asked, once the
// client has gone: it waits until every connection accepted has been read
// to its end (the client process exited and its connections closed), so
// that no request still in a socket buffer is missed. A connection opened
// and never used (akw dials its nodes ahead of the first request) asks
// nothing.
func (s *faultStall) settledRequests(t *testing.T) int64 {
	t.Helper()
	ctx := testctx.New(t)
	for {
		s.mu.Lock()
		done, n, more := s.finished == s.accepted.Load(), s.requests, s.more
		s.mu.Unlock()
		if done {
			return n
		}
		select {
		case <-more:
		case <-ctx.Done():
			t.Fatalf("the stalled node's connections were not closed by the client: %v", ctx.Err())
		}
	}
}

// waitRequests waits until the node has read n requests in full. It
// fails the test if p ends first, or after bound (a generous bound on a
// loaded machine: the request normally comes within a second).
func (s *faultStall) waitRequests(t *testing.T, p *faultProc, n int64, bound time.Duration) {
	t.Helper()
	timeout := time.NewTimer(bound)
	defer timeout.Stop()
	for {
		s.mu.Lock()
		got, more := s.requests, s.more
		s.mu.Unlock()
		if got >= n {
			return
		}
		select {
		case <-more:
		case <-p.done:
			t.Fatalf("akw %s ended (exit %d) before the stalled node had %d requests\nstderr: %s", strings.Join(p.args, " "), p.code, n, p.err.String())
		case <-timeout.C:
			t.Fatalf("the stalled node had %d requests within %s, want %d", got, bound, n)
		}
	}
}

// ---- a node that takes a broadcast and drops the connection

// faultDropMode says what faultDropProxy does with broadcast_tx_sync.
type faultDropMode int32

const (
	faultPass faultDropMode = iota // forward and answer
	faultDrop                      // forward, then close the connection unanswered
	faultHold                      // forward, then hold the answer until release, then close
)

// faultDropProxy forwards JSON-RPC to a node. broadcast_tx_sync is always
// forwarded — the node takes the transaction — but in faultDrop mode the
// client's connection is closed before any answer is written (a node or
// load balancer dying at the worst moment), and in faultHold mode the
// answer never comes until release. Other calls pass through untouched.
type faultDropProxy struct {
	target     string
	srv        *http.Server
	ln         net.Listener
	mode       atomic.Int32
	broadcasts atomic.Int64
	heldTx     chan []byte // the transaction of a broadcast being held (faultHold)
	release    chan struct{}
	once       sync.Once
}

func newFaultDropProxy(t *testing.T, target string) *faultDropProxy {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	if u.Scheme == "tcp" {
		u.Scheme = "http"
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &faultDropProxy{target: u.String(), ln: ln, heldTx: make(chan []byte, 16), release: make(chan struct{})}
	p.srv = &http.Server{Handler: http.HandlerFunc(p.serve), ReadHeaderTimeout: 10 * time.Second}
	go p.srv.Serve(ln) //nolint:errcheck // ends with Close
	t.Cleanup(func() {
		p.releaseHeld()
		p.srv.Close()
	})
	return p
}

func (p *faultDropProxy) URL() string             { return "http://" + p.ln.Addr().String() }
func (p *faultDropProxy) setMode(m faultDropMode) { p.mode.Store(int32(m)) }
func (p *faultDropProxy) releaseHeld()            { p.once.Do(func() { close(p.release) }) }

func (p *faultDropProxy) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	isBroadcast := r.Method == http.MethodPost && bytes.Contains(body, []byte(`"broadcast_tx_sync"`)) ||
		strings.Trim(r.URL.Path, "/") == "broadcast_tx_sync"
	req, err := http.NewRequest(r.Method, strings.TrimRight(p.target, "/")+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	req.Header = r.Header.Clone()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	respBody, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	if isBroadcast {
		p.broadcasts.Add(1)
		switch faultDropMode(p.mode.Load()) {
		case faultHold:
			p.heldTx <- faultBroadcastTx(body)
			select {
			case <-p.release:
			case <-r.Context().Done():
			}
			fallthrough
		case faultDrop:
			// The node has the transaction; the client gets no answer.
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					conn.Close()
					return
				}
			}
			panic(http.ErrAbortHandler)
		}
	}
	for k, vs := range resp.Header {
		if k != "Content-Length" {
			w.Header()[k] = vs
		}
	}
	w.WriteHeader(resp.StatusCode)
	w.Write(respBody) //nolint:errcheck // the client went away
}

// faultBroadcastTx returns the transaction bytes of a broadcast_tx_sync
// request (JSON-RPC POST, params.tx in base64), or nil.
func faultBroadcastTx(body []byte) []byte {
	var req struct {
		Params struct {
			Tx []byte `json:"tx"`
		} `json:"params"`
	}
	if json.Unmarshal(body, &req) != nil {
		return nil
	}
	return req.Params.Tx
}

// faultTxJSON is what `akw tx ... -o json` and `akw tx status -o json`
// print for a proven transaction.
type faultTxJSON struct {
	TxHash   string `json:"txhash"`
	Height   int64  `json:"height"`
	Code     uint32 `json:"code"`
	Verified bool   `json:"verified"`
}

func (r faultTxJSON) String() string {
	return fmt.Sprintf("{txhash %s height %d code %d verified %v}", r.TxHash, r.Height, r.Code, r.Verified)
}
