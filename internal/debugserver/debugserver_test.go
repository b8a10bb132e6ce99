package debugserver

import (
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/akash-wallet/akw/internal/output"
)

func TestEndpoint(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == Env {
				return v
			}
			return ""
		}
	}
	stop, err := Start(env(""))
	if err != nil {
		t.Fatalf("unset: %v", err)
	}
	stop()
	for _, bad := range []string{"0.0.0.0:6060", "192.0.2.1:6060", ":6060", "127.0.0.1"} {
		if _, err := Start(env(bad)); output.ExitCode(err) != output.Usage || output.HintOf(err) == "" {
			t.Errorf("%s=%s: got %v (exit %d), want a usage error with a hint", Env, bad, err, output.ExitCode(err))
		}
	}
	// A free loopback port: listen, note it, free it.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	stop, err = Start(env(addr))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	get := func(path string) string {
		t.Helper()
		res, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %s %s", path, res.Status, b)
		}
		return string(b)
	}
	if n, err := strconv.Atoi(strings.TrimSpace(get("/debug/goroutines"))); err != nil || n < 1 {
		t.Errorf("/debug/goroutines: %d, %v", n, err)
	}
	if s := get("/debug/pprof/goroutine?debug=1"); !strings.HasPrefix(s, "goroutine profile: total ") {
		t.Errorf("/debug/pprof/goroutine?debug=1 starts %.40q", s)
	}
	if s := get("/debug/pprof/heap"); len(s) == 0 {
		t.Error("/debug/pprof/heap is empty")
	}
}
