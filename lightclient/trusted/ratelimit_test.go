package trusted

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cometbft/cometbft/light/provider"

	"github.com/akash-wallet/akw/errkind"
)

// throttler is a node behind a rate limiter: the first refuse requests
// get status with the given Retry-After header, the rest are answered
// by ok. It records every body it received.
type throttler struct {
	mu         sync.Mutex
	refuse     int // negative: every request
	status     int
	retryAfter string
	bodies     []string
	ok         http.HandlerFunc
}

func (s *throttler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.bodies = append(s.bodies, string(body))
	refuse := s.refuse != 0
	if s.refuse > 0 {
		s.refuse--
	}
	s.mu.Unlock()
	if refuse {
		if s.retryAfter != "" {
			w.Header().Set("Retry-After", s.retryAfter)
		}
		w.WriteHeader(s.status)
		_, _ = io.WriteString(w, "slow down\n")
		return
	}
	if s.ok != nil {
		s.ok(w, r)
		return
	}
	_, _ = io.WriteString(w, `{"jsonrpc":"2.0","id":1,"result":{}}`)
}

func (s *throttler) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.bodies...)
}

// testTransport is a retryTransport whose waits are recorded, not slept:
// the test checks what akw would wait, without waiting.
func testTransport(node string) (*retryTransport, *[]time.Duration) {
	t := newRetryTransport(http.DefaultTransport.(*http.Transport).Clone(), node)
	var waits []time.Duration
	t.waitFor = func(ctx context.Context, d time.Duration) error {
		waits = append(waits, d)
		return ctx.Err()
	}
	t.now = func() time.Time { return time.Date(2026, 12, 6, 23, 0, 0, 0, time.UTC) }
	return t, &waits
}

func post(t *testing.T, rt http.RoundTripper, ctx context.Context, url, body string) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := (&http.Client{Transport: rt}).Do(req)
	if err == nil {
		t.Cleanup(func() { resp.Body.Close() })
	}
	return resp, err
}

func TestRateLimitedRequestIsSentAgainAfterRetryAfter(t *testing.T) {
	for _, tc := range []struct {
		name       string
		status     int
		retryAfter string
		want       []time.Duration
	}{
		{"429 seconds", http.StatusTooManyRequests, "2", []time.Duration{2 * time.Second, 2 * time.Second}},
		{"429 HTTP date", http.StatusTooManyRequests, "Sun, 06 Dec 2026 23:00:07 GMT", []time.Duration{7 * time.Second, 7 * time.Second}},
		{"429 date passed", http.StatusTooManyRequests, "Sun, 06 Dec 2026 22:59:00 GMT", []time.Duration{0, 0}},
		{"429 no header: backoff", http.StatusTooManyRequests, "", []time.Duration{backoffBase, 2 * backoffBase}},
		{"429 junk header: backoff", http.StatusTooManyRequests, "soon", []time.Duration{backoffBase, 2 * backoffBase}},
		{"503 with Retry-After", http.StatusServiceUnavailable, "1", []time.Duration{time.Second, time.Second}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &throttler{refuse: 2, status: tc.status, retryAfter: tc.retryAfter}
			srv := httptest.NewServer(s)
			defer srv.Close()
			rt, waits := testTransport(srv.URL)
			resp, err := post(t, rt, context.Background(), srv.URL, `{"method":"status"}`)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			got := s.requests()
			if len(got) != 3 || got[0] != `{"method":"status"}` || got[1] != got[0] || got[2] != got[0] {
				t.Fatalf("requests %q: want the same body three times", got)
			}
			if len(*waits) != len(tc.want) {
				t.Fatalf("waits %v, want %v", *waits, tc.want)
			}
			for i := range tc.want {
				if (*waits)[i] != tc.want[i] {
					t.Fatalf("waits %v, want %v", *waits, tc.want)
				}
			}
			if rt.throttled.Load() != 2 {
				t.Fatalf("%d throttled answers counted", rt.throttled.Load())
			}
		})
	}
}

func TestRateLimitGivesUp(t *testing.T) {
	deadline, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	for _, tc := range []struct {
		name       string
		retryAfter string
		ctx        context.Context
		requests   int
		reason     string
	}{
		{"always limited", "1", context.Background(), rateLimitTries + 1, ""},
		{"asks for more than akw waits", "120", context.Background(), 1, "more than akw waits"},
		{"asks past the deadline", "3660", deadline, 1, "past this request's deadline"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &throttler{refuse: -1, status: http.StatusTooManyRequests, retryAfter: tc.retryAfter}
			srv := httptest.NewServer(s)
			defer srv.Close()
			rt, _ := testTransport("http://node.example")
			if tc.name == "asks past the deadline" {
				rt.now = time.Now // against the context's real deadline
				rt.maxWait = 2 * time.Hour
			}
			_, err := post(t, rt, tc.ctx, srv.URL, "{}")
			var rl *ErrRateLimited
			if !errors.As(err, &rl) {
				t.Fatalf("error %T %v, want *ErrRateLimited", err, err)
			}
			if len(s.requests()) != tc.requests || rl.Tries != tc.requests {
				t.Fatalf("%d requests (error says %d), want %d", len(s.requests()), rl.Tries, tc.requests)
			}
			msg := err.Error()
			if !strings.Contains(msg, "node http://node.example rate-limited akw (HTTP 429 Too Many Requests") || !strings.Contains(msg, tc.reason) {
				t.Fatalf("message %q", msg)
			}
			if errkind.KindOf(err) != errkind.Network || errkind.HintOf(err).IsZero() {
				t.Fatalf("kind %v, hint %q", errkind.KindOf(err), errkind.HintOf(err))
			}
		})
	}
}

func TestRateLimitWaitEndsWithTheContext(t *testing.T) {
	s := &throttler{refuse: -1, status: http.StatusTooManyRequests, retryAfter: "5"}
	srv := httptest.NewServer(s)
	defer srv.Close()
	rt := newRetryTransport(http.DefaultTransport, srv.URL)
	ctx, cancel := context.WithCancel(context.Background())
	rt.waitFor = func(wctx context.Context, d time.Duration) error {
		cancel() // the user gives up while akw waits
		return sleepCtx(wctx, d)
	}
	_, err := post(t, rt, ctx, srv.URL, "{}")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want the context's", err)
	}
	if n := len(s.requests()); n != 1 {
		t.Fatalf("%d requests after the cancel", n)
	}
}

// Answers that are not throttling pass through as they are: a 503 without
// Retry-After (a node that is down), a 500, a 200.
func TestNotThrottledPassesThrough(t *testing.T) {
	for _, status := range []int{http.StatusServiceUnavailable, http.StatusInternalServerError, http.StatusBadGateway} {
		s := &throttler{refuse: -1, status: status}
		srv := httptest.NewServer(s)
		rt, waits := testTransport(srv.URL)
		resp, err := post(t, rt, context.Background(), srv.URL, "{}")
		srv.Close()
		if err != nil || resp.StatusCode != status || len(*waits) != 0 || len(s.requests()) != 1 {
			t.Fatalf("status %d: %v %v, waits %v, %d requests", status, resp, err, *waits, len(s.requests()))
		}
	}
}

// A request whose body cannot be read again is not sent again.
func TestRateLimitBodyNotReplayable(t *testing.T) {
	s := &throttler{refuse: -1, status: http.StatusTooManyRequests, retryAfter: "1"}
	srv := httptest.NewServer(s)
	defer srv.Close()
	rt, waits := testTransport(srv.URL)
	req, err := http.NewRequest(http.MethodPost, srv.URL, io.NopCloser(strings.NewReader("{}")))
	if err != nil {
		t.Fatal(err)
	}
	_, err = (&http.Client{Transport: rt}).Do(req)
	var rl *ErrRateLimited
	if !errors.As(err, &rl) || !strings.Contains(rl.Reason, "cannot be sent again") || len(*waits) != 0 || len(s.requests()) != 1 {
		t.Fatalf("error %v, waits %v, %d requests", err, *waits, len(s.requests()))
	}
}

// Through the endpoint: cometbft's RPC client meets the rate limiter's
// final refusal as ErrRateLimited (not a malformed answer), and the light
// client is told the node did not respond, so that a witness serves.
func TestEndpointRateLimited(t *testing.T) {
	s := &throttler{refuse: -1, status: http.StatusTooManyRequests, retryAfter: "1"}
	srv := httptest.NewServer(s)
	defer srv.Close()
	e, err := newEndpoint(context.Background(), srv.URL, "test-chain", 5*time.Second, 0)
	if err != nil {
		t.Fatal(err)
	}
	// The light block's commit and validators are fetched at once: the
	// waits are recorded from two goroutines.
	var (
		mu    sync.Mutex
		waits []time.Duration
	)
	e.limits.waitFor = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		defer mu.Unlock()
		waits = append(waits, d)
		return nil
	}

	_, err = e.rpc.Status(context.Background())
	var rl *ErrRateLimited
	if !errors.As(err, &rl) || errkind.KindOf(err) != errkind.Network {
		t.Fatalf("status: %T %v", err, err)
	}
	_, err = e.LightBlock(context.Background(), 5)
	if !errors.Is(err, provider.ErrNoResponse) {
		t.Fatalf("light block: %v, want ErrNoResponse", err)
	}
	kind, reason := e.failure()
	if kind != kindRateLimited || !strings.Contains(describe(kind, reason, nil), "rate-limited akw") {
		t.Fatalf("failure %v %v", kind, reason)
	}
	mu.Lock()
	if len(waits) == 0 || waits[0] != time.Second {
		t.Fatalf("waits %v", waits)
	}
	mu.Unlock()
	// Given up on, the node is not asked again for a while: the next
	// request fails at once, without waiting its backoff again.
	sent := len(s.requests())
	if _, err := e.LightBlock(context.Background(), 6); !errors.Is(err, provider.ErrNoResponse) {
		t.Fatalf("light block after giving up: %v", err)
	}
	if n := len(s.requests()); n != sent {
		t.Fatalf("the rate-limited node was asked %d more times", n-sent)
	}
	if kind, reason := e.failure(); kind != kindRateLimited || !strings.Contains(reason.Error(), "rate-limited akw") {
		t.Fatalf("failure after giving up: %v %v", kind, reason)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 12, 6, 23, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{" 3 ", 3 * time.Second, true},
		{"-1", 0, false},
		{"1.5", 0, false},
		{"99999999999", 0, false},
		{"Sun, 06 Dec 2026 23:01:00 GMT", time.Minute, true},
		{"Sunday, 06-Dec-26 23:00:30 GMT", 30 * time.Second, true},
		{"Sun Dec  6 23:00:10 2026", 10 * time.Second, true},
		{"Sat, 05 Dec 2026 23:00:00 GMT", 0, true},
		{"tomorrow", 0, false},
	} {
		got, ok := parseRetryAfter(tc.in, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// FuzzParseRetryAfter: a node's Retry-After header, whatever it says,
// gives a wait that is never negative and never panics.
func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"", "1", "120", "Sun, 06 Dec 2026 23:01:00 GMT", "-5", "1e9", "\x00"} {
		f.Add(s)
	}
	now := time.Date(2026, 12, 6, 23, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := parseRetryAfter(v, now)
		if d < 0 || (!ok && d != 0) {
			t.Fatalf("parseRetryAfter(%q) = %v, %v", v, d, ok)
		}
	})
}

// closingNode answers the first request on each connection and closes the
// connection when the second arrives on it, before answering: what a node
// does when its idle timeout ends a keep-alive connection just as a
// request goes out on it.
func closingNode(t *testing.T) (url string, conns *atomic.Int64) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	conns = new(atomic.Int64)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			go func() {
				defer c.Close()
				br := bufio.NewReader(c)
				req, err := http.ReadRequest(br)
				if err != nil {
					return
				}
				_, _ = io.Copy(io.Discard, req.Body)
				body := `{"jsonrpc":"2.0","id":1,"result":{}}`
				fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
				// The next request on this connection is read and
				// dropped: the connection closes without an answer.
				if req, err := http.ReadRequest(br); err == nil {
					_, _ = io.Copy(io.Discard, req.Body)
				}
			}()
		}
	}()
	return "http://" + l.Addr().String(), conns
}

// A POST on a keep-alive connection the node closes as it arrives is sent
// again on a new connection, not failed with EOF.
func TestClosedKeepAliveConnectionIsRetried(t *testing.T) {
	url, conns := closingNode(t)
	tr := newRetryTransport(&http.Transport{DisableCompression: true}, url)
	hc := &http.Client{Transport: tr}
	post := func() error {
		resp, err := hc.Post(url, "application/json", strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"status"}`))
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		_, err = io.Copy(io.Discard, resp.Body)
		return err
	}
	if err := post(); err != nil {
		t.Fatal(err)
	}
	// The second goes out on the first's connection (kept alive), which
	// the node closes: Go's transport must send it again.
	if err := post(); err != nil {
		t.Fatalf("second request on a closed keep-alive connection: %v", err)
	}
	if n := conns.Load(); n != 2 {
		t.Fatalf("%d connections, want 2 (the retry on a new one)", n)
	}
}

// A broadcast is never sent twice by the transport: when its connection
// closes before the answer, the caller looks the transaction up by hash.
func TestClosedKeepAliveBroadcastIsNotResent(t *testing.T) {
	url, conns := closingNode(t)
	hc := &http.Client{Transport: newRetryTransport(&http.Transport{DisableCompression: true}, url)}
	post := func(body string) error {
		resp, err := hc.Post(url, "application/json", strings.NewReader(body))
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		_, err = io.Copy(io.Discard, resp.Body)
		return err
	}
	if err := post(`{"jsonrpc":"2.0","id":1,"method":"status"}`); err != nil {
		t.Fatal(err)
	}
	if err := post(`{"jsonrpc":"2.0","id":2,"method":"broadcast_tx_sync","params":{"tx":"AAAA"}}`); err == nil {
		t.Fatal("a broadcast whose connection closed before the answer succeeded")
	}
	if n := conns.Load(); n != 1 {
		t.Fatalf("%d connections: the broadcast was sent again", n)
	}
}
