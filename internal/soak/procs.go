package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// proc is one akw process under watch: its pid and the AKW_DEBUG_ADDR it
// serves its goroutine count on.
type proc struct {
	name  string
	pid   int
	debug string
	cmd   *exec.Cmd // nil for the TUI: tmux started it
	exit  chan error
}

// freeAddr is a loopback address nobody listens on now.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// start runs akw with args in the background, its output in log, serving
// its profiles on a free loopback port.
func start(name, akw, log string, args ...string) (*proc, error) {
	debug, err := freeAddr()
	if err != nil {
		return nil, err
	}
	f, err := os.Create(log)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(akw, args...)
	cmd.Env = append(os.Environ(), "AKW_DEBUG_ADDR="+debug, "NO_COLOR=1")
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, fmt.Errorf("start akw %s: %w", name, err)
	}
	p := &proc{name: name, pid: cmd.Process.Pid, debug: debug, cmd: cmd, exit: make(chan error, 1)}
	go func() { p.exit <- cmd.Wait(); f.Close() }()
	return p, nil
}

// alive says whether the process still runs.
func (p *proc) alive() bool {
	if p.cmd != nil {
		select {
		case err := <-p.exit:
			p.exit <- err
			return false
		default:
			return true
		}
	}
	return syscall.Kill(p.pid, 0) == nil
}

// stop ends a process the way a user does (SIGTERM: akw shuts down
// cleanly), and kills it if it has not after a minute.
func (p *proc) stop() {
	if p.cmd == nil || !p.alive() {
		return
	}
	p.cmd.Process.Signal(syscall.SIGTERM) //nolint:errcheck // it may have just exited
	select {
	case <-p.exit:
	case <-time.After(time.Minute):
		p.cmd.Process.Kill() //nolint:errcheck
		<-p.exit
	}
}

// sample is one process's figures at one time.
type sample struct {
	RSSKiB     int64
	Goroutines int
	FDs        int
}

// measure reads the process's resident memory and open files from /proc
// and its goroutine count from its debug endpoint; -1 for what could not
// be read (a process that died).
func (p *proc) measure() sample {
	s := sample{RSSKiB: -1, Goroutines: -1, FDs: -1}
	if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.pid)); err == nil {
		if m := regexp.MustCompile(`(?m)^VmRSS:\s+(\d+) kB`).FindSubmatch(b); m != nil {
			s.RSSKiB, _ = strconv.ParseInt(string(m[1]), 10, 64)
		}
	}
	if fds, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", p.pid)); err == nil {
		s.FDs = len(fds)
	}
	c := http.Client{Timeout: 30 * time.Second}
	if res, err := c.Get("http://" + p.debug + "/debug/goroutines"); err == nil {
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		s.Goroutines, _ = strconv.Atoi(strings.TrimSpace(string(b)))
	}
	return s
}

// waitFor polls ok every 250 ms until it holds, the process dies, or
// limit passes (a program, not a test: the machine may be slow, but a
// devnet that does not start in 10 minutes will not).
func waitFor(ctx context.Context, what string, p *proc, limit time.Duration, ok func() bool) error {
	deadline := time.Now().Add(limit)
	for !ok() {
		if p != nil && !p.alive() {
			return fmt.Errorf("%s: akw %s exited", what, p.name)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s: not after %s", what, limit)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
	return nil
}

// tmux drives the terminal the TUI runs in, on a server of its own.
type tmux struct{ sock string }

func (t tmux) run(args ...string) (string, error) {
	out, err := exec.Command("tmux", append([]string{"-L", t.sock}, args...)...).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("tmux %v: %w: %s", args, err, out)
	}
	return string(out), nil
}

func (t tmux) screen() string {
	s, _ := t.run("capture-pane", "-p", "-t", "S")
	return s
}

// startTUI opens `akw tui` in a 120×40 tmux terminal and leaves it on
// the dashboard, which refreshes itself (every 15 s) as when a user
// leaves it open.
func startTUI(ctx context.Context, akw, home, out string) (*proc, tmux, error) {
	t := tmux{sock: fmt.Sprintf("akw-soak-%d", os.Getpid())}
	debug, err := freeAddr()
	if err != nil {
		return nil, t, err
	}
	// exec: the pane's process is akw itself, so its pid is akw's.
	line := fmt.Sprintf("exec env NO_COLOR=1 AKW_DEBUG_ADDR=%s %s --home %s tui --key alice 2>%s",
		debug, akw, home, filepath.Join(out, "tui.err"))
	if _, err := t.run("new-session", "-d", "-s", "S", "-x", "120", "-y", "40", line); err != nil {
		return nil, t, err
	}
	pid, err := t.run("display-message", "-p", "-t", "S", "#{pane_pid}")
	if err != nil {
		return nil, t, err
	}
	p := &proc{name: "tui", debug: debug}
	if p.pid, err = strconv.Atoi(strings.TrimSpace(pid)); err != nil {
		return nil, t, fmt.Errorf("tmux pane pid %q: %w", pid, err)
	}
	err = waitFor(ctx, "the TUI's dashboard", p, 10*time.Minute, func() bool { return tuiHeight(t.screen()) > 0 })
	return p, t, err
}

var provenAt = regexp.MustCompile(`Balance\s+✓ proven at height (\d+)`)

// tuiHeight is the height of the balance the dashboard shows, 0 when
// none is shown.
func tuiHeight(screen string) int64 {
	m := provenAt.FindStringSubmatch(screen)
	if m == nil {
		return 0
	}
	h, _ := strconv.ParseInt(m[1], 10, 64)
	return h
}

// stop quits the TUI as a user does (q), then closes the terminal.
func (t tmux) stop(p *proc) {
	if p != nil && p.alive() {
		t.run("send-keys", "-t", "S", "q")                                                                       //nolint:errcheck
		waitFor(context.Background(), "the TUI to quit", nil, 30*time.Second, func() bool { return !p.alive() }) //nolint:errcheck
	}
	t.run("kill-server") //nolint:errcheck
}
