package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"

	rpcclient "github.com/cometbft/cometbft/rpc/client"
	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/devnet/devnettest"
	"github.com/akash-wallet/akw/internal/testctx"
)

// TestProxyCommand runs `akw proxy` as a process on a devnet: it serves a
// verified balance to cometbft's own client, logs the call (text and -o
// json), refuses what it cannot verify, and ends cleanly on SIGTERM and
// SIGINT (exit 0) with a summary.
func TestProxyCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a devnet")
	}
	n := devnettest.Start(t)
	home := devnettest.NewHomeFor(t, n)
	// Proven state starts with header 3.
	if err := n.WaitForHeight(testctx.New(t), 4); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := run([]string{"--home", home, "light", "init", "--trust-latest", "-y"}, &IOStreams{In: strings.NewReader(""), Out: &out, Err: &errb}); code != 0 {
		t.Fatalf("light init: exit %d: %s", code, errb.String())
	}
	alice, err := n.Account("alice")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		format string
		sig    syscall.Signal
	}{{"json", syscall.SIGTERM}, {"text", syscall.SIGINT}} {
		t.Run(tc.format, func(t *testing.T) {
			p := startProxyProcess(t, home, "-o", tc.format, "proxy", "--listen", "127.0.0.1:0")
			cli, err := rpchttp.New(p.url, "/websocket")
			if err != nil {
				t.Fatal(err)
			}
			ctx := testctx.New(t)
			req, _ := (&banktypes.QueryBalanceRequest{Address: alice.Address, Denom: devnet.Denom}).Marshal()
			res, err := cli.ABCIQueryWithOptions(ctx, "/cosmos.bank.v1beta1.Query/Balance", req, rpcclient.ABCIQueryOptions{})
			if err != nil || res.Response.Code != 0 || res.Response.Height < 2 {
				t.Fatalf("balance through akw proxy: %v %+v", err, res)
			}
			if _, err := cli.NetInfo(ctx); err == nil || !strings.Contains(err.Error(), "akw proxy does not serve net_info") {
				t.Fatalf("net_info: want a refusal that says why, got %v", err)
			}
			p.signal(t, tc.sig)
			if code := p.wait(t); code != 0 {
				t.Fatalf("exit %d after %v\nstderr: %s", code, tc.sig, p.stderr())
			}
			stdout := p.stdout.String()
			if tc.format == "json" {
				var sawBalance, sawSummary bool
				for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
					var l map[string]any
					if err := json.Unmarshal([]byte(line), &l); err != nil {
						// The summary is an indented JSON document at the end.
						break
					}
					if l["path"] == "/cosmos.bank.v1beta1.Query/Balance" && l["outcome"] == "verified" && l["height"].(float64) >= 2 {
						sawBalance = true
					}
				}
				sawSummary = strings.Contains(stdout, `"summary"`) && strings.Contains(stdout, `"calls"`)
				if !sawBalance || !sawSummary {
					t.Fatalf("-o json log: balance line %v, summary %v\n%s", sawBalance, sawSummary, stdout)
				}
			} else {
				if !regexp.MustCompile(`abci_query /cosmos\.bank\.v1beta1\.Query/Balance verified height=\d+`).MatchString(stdout) ||
					!strings.Contains(stdout, "net_info refused") || !strings.Contains(stdout, "akw proxy: ") {
					t.Fatalf("text log:\n%s", stdout)
				}
			}
		})
	}
}

// proxyProcess is `akw proxy` running as a child process.
type proxyProcess struct {
	cmd    *exec.Cmd
	url    string
	stdout lockedBytes
	errMu  sync.Mutex
	errb   bytes.Buffer
	done   chan struct{}
	code   int
}

type lockedBytes struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBytes) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBytes) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startProxyProcess starts akw (this test binary under the name akw,
// which TestMain runs as the command) and waits for the line that says
// where it serves.
func startProxyProcess(t *testing.T, home string, args ...string) *proxyProcess {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "akw")
	if err := os.Symlink(exe, bin); err != nil {
		t.Fatal(err)
	}
	p := &proxyProcess{done: make(chan struct{})}
	p.cmd = exec.Command(bin, append([]string{"--home", home}, args...)...)
	p.cmd.Env = append(os.Environ(), "HOME="+home)
	p.cmd.Stdout = &p.stdout
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	serving := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		re := regexp.MustCompile(`on (http://127\.0\.0\.1:\d+)`)
		for sc.Scan() {
			p.errMu.Lock()
			p.errb.WriteString(sc.Text() + "\n")
			p.errMu.Unlock()
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case serving <- m[1]:
				default:
				}
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
	}()
	go func() {
		_ = p.cmd.Wait()
		p.code = p.cmd.ProcessState.ExitCode()
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
	select {
	case p.url = <-serving:
	case <-p.done:
		t.Fatalf("akw proxy ended (exit %d) before serving\nstderr: %s", p.code, p.stderr())
	case <-testctx.New(t).Done():
		t.Fatalf("akw proxy has not said where it serves by the test's deadline\nstderr: %s", p.stderr())
	}
	return p
}

func (p *proxyProcess) stderr() string {
	p.errMu.Lock()
	defer p.errMu.Unlock()
	return p.errb.String()
}

func (p *proxyProcess) signal(t *testing.T, sig syscall.Signal) {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
}

// wait waits for the process to end after a signal (a clean stop takes
// well under a second); only the test binary's -timeout bounds a hang.
func (p *proxyProcess) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-p.done:
		return p.code
	case <-testctx.New(t).Done():
		t.Fatalf("akw proxy still running at the test's deadline, long after the signal\nstderr: %s", p.stderr())
		return -1
	}
}
