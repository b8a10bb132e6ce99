// Package debugserver serves a process's runtime profiles on an opt-in
// loopback address (AKW_DEBUG_ADDR), for akw and akw-devnet alike: the soak
// run (.ci/soak) reads goroutine counts from it.
package debugserver

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"runtime/pprof"
	"strconv"
	"time"

	"github.com/akash-wallet/akw/internal/output"
)

// Env names the opt-in runtime-profile endpoint: with
// AKW_DEBUG_ADDR=127.0.0.1:PORT set, any akw or akw-devnet process serves its goroutines,
// heap and CPU profiles there for as long as it runs (the soak run,
// .ci/soak, reads goroutine counts from it). Unset, nothing listens.
const Env = "AKW_DEBUG_ADDR"

// Start serves the runtime profiles on AKW_DEBUG_ADDR when it is set.
// Only a loopback address is accepted: profiles show memory, and so
// secrets, to whoever reads them. The handlers are on a mux of their own,
// never on http.DefaultServeMux, so that no other server in the process
// (the proxy, the devnet's) can expose them by accident.
func Start(getenv func(string) string) (stop func(), err error) {
	addr := getenv(Env)
	if addr == "" {
		return func() {}, nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, output.UsageError(fmt.Sprintf("%s=%q is not host:port: %v", Env, addr, err), "set it to a loopback address such as 127.0.0.1:6060, or unset it")
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, output.UsageError(fmt.Sprintf("%s=%q: the debug endpoint listens on loopback only", Env, addr), "set it to a loopback address such as 127.0.0.1:6060")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, output.Wrap(output.Failure, err, fmt.Sprintf("%s=%q: cannot listen", Env, addr), "choose a free port, or unset it")
	}
	srv := &http.Server{Handler: debugMux(), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln) //nolint:errcheck // ends with ErrServerClosed on stop
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		srv.Shutdown(ctx) //nolint:errcheck // best effort on exit
	}, nil
}

// debugMux serves /debug/pprof/NAME (?debug=1 for text, as net/http/pprof
// does), /debug/pprof/profile?seconds=N (CPU) and /debug/goroutines (the
// count alone, for samplers).
func debugMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/goroutines", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, runtime.NumGoroutine())
	})
	mux.HandleFunc("/debug/pprof/profile", func(w http.ResponseWriter, r *http.Request) {
		secs, err := strconv.Atoi(r.URL.Query().Get("seconds"))
		if err != nil || secs <= 0 {
			secs = 30
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		if err := pprof.StartCPUProfile(w); err != nil {
			http.Error(w, err.Error(), http.StatusConflict)
			return
		}
		select {
		case <-time.After(time.Duration(secs) * time.Second):
		case <-r.Context().Done():
		}
		pprof.StopCPUProfile()
	})
	mux.HandleFunc("/debug/pprof/{name}", func(w http.ResponseWriter, r *http.Request) {
		p := pprof.Lookup(r.PathValue("name"))
		if p == nil {
			http.Error(w, "no such profile", http.StatusNotFound)
			return
		}
		debug, _ := strconv.Atoi(r.URL.Query().Get("debug"))
		if debug == 0 {
			w.Header().Set("Content-Type", "application/octet-stream")
		} else {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		}
		p.WriteTo(w, debug) //nolint:errcheck // the client went away
	})
	return mux
}
