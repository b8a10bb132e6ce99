package proxy

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"
)

// The request log: one line per call (a batch's calls each get theirs),
// saying what was asked, what the proxy did with it, what height the
// answer rests on and how long it took; as text for people or, with
// JSON, one JSON object per line. The summary counts the same.

type logEntry struct {
	remote string
	c      *call
	a      *answer
	took   time.Duration
}

// LogLine is one call as logged with JSON.
type LogLine struct {
	Time       time.Time `json:"time"`
	Remote     string    `json:"remote,omitempty"`
	Method     string    `json:"method"`
	Path       string    `json:"path,omitempty"`
	Outcome    Outcome   `json:"outcome"`
	Height     int64     `json:"height,omitempty"`
	DurationMS float64   `json:"duration_ms"`
	Unverified string    `json:"unverified,omitempty"`
	Stale      string    `json:"stale,omitempty"`
	Error      string    `json:"error,omitempty"`
}

// Summary is what the proxy did since it started.
type Summary struct {
	Since     time.Time         `json:"since"`
	Calls     int64             `json:"calls"`
	Outcomes  map[Outcome]int64 `json:"outcomes"`
	Methods   map[string]int64  `json:"methods"`
	Rejected  int64             `json:"rejected_requests"` // bodies that were not JSON-RPC, too large, too deep
	Busy      int64             `json:"busy_requests"`     // turned away: too many in flight
	TotalTime time.Duration     `json:"-"`
	MeanMS    float64           `json:"mean_ms"`
}

type requestLog struct {
	w    io.Writer
	json bool
	now  func() time.Time

	mu sync.Mutex
	s  Summary
}

func newRequestLog(w io.Writer, asJSON bool, now func() time.Time) *requestLog {
	return &requestLog{w: w, json: asJSON, now: now, s: Summary{Since: now(), Outcomes: map[Outcome]int64{}, Methods: map[string]int64{}}}
}

func (l *requestLog) call(e logEntry) {
	line := LogLine{Time: l.now().UTC(), Remote: e.remote, Method: e.c.Method, Path: e.a.path, Outcome: e.a.outcome,
		Height: e.a.height, DurationMS: float64(e.took.Microseconds()) / 1000, Unverified: e.a.unverified, Stale: e.a.stale}
	if e.a.err != nil {
		line.Error = e.a.err.Error()
	} else if e.a.rpcErr != nil {
		line.Error = "the node: " + e.a.rpcErr.Error()
	}
	l.mu.Lock()
	l.s.Calls++
	l.s.Outcomes[line.Outcome]++
	l.s.Methods[line.Method]++
	l.s.TotalTime += e.took
	l.write(line)
	l.mu.Unlock()
}

// rejected logs a request refused before any call was read from it.
func (l *requestLog) rejected(remote string, o Outcome, why string) {
	l.mu.Lock()
	l.s.Rejected++
	l.write(LogLine{Time: l.now().UTC(), Remote: remote, Method: "-", Outcome: o, Error: why})
	l.mu.Unlock()
}

func (l *requestLog) busy() {
	l.mu.Lock()
	l.s.Busy++
	l.write(LogLine{Time: l.now().UTC(), Method: "-", Outcome: Refused, Error: "too many requests in flight"})
	l.mu.Unlock()
}

// write prints one line; the caller holds mu.
func (l *requestLog) write(line LogLine) {
	if l.w == nil {
		return
	}
	if l.json {
		bz, _ := json.Marshal(line)
		fmt.Fprintf(l.w, "%s\n", bz)
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", line.Time.Format("2006-01-02T15:04:05.000Z"), line.Method)
	if line.Path != "" {
		fmt.Fprintf(&b, " %s", line.Path)
	}
	fmt.Fprintf(&b, " %s", line.Outcome)
	if line.Height > 0 {
		fmt.Fprintf(&b, " height=%d", line.Height)
	}
	fmt.Fprintf(&b, " %.1fms", line.DurationMS)
	if line.Unverified != "" {
		fmt.Fprintf(&b, " UNVERIFIED: %s", line.Unverified)
	}
	if line.Stale != "" {
		fmt.Fprintf(&b, " STALE: %s", line.Stale)
	}
	if line.Error != "" {
		fmt.Fprintf(&b, " error: %s", line.Error)
	}
	fmt.Fprintln(l.w, b.String())
}

func (l *requestLog) summary() Summary {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.s
	s.Outcomes = make(map[Outcome]int64, len(l.s.Outcomes))
	for k, v := range l.s.Outcomes {
		s.Outcomes[k] = v
	}
	s.Methods = make(map[string]int64, len(l.s.Methods))
	for k, v := range l.s.Methods {
		s.Methods[k] = v
	}
	if s.Calls > 0 {
		s.MeanMS = float64(s.TotalTime.Microseconds()) / 1000 / float64(s.Calls)
	}
	return s
}

// Text is the summary for people, in one paragraph.
func (s Summary) Text(now time.Time) string {
	var b strings.Builder
	fmt.Fprintf(&b, "akw proxy: %d calls in %s", s.Calls, now.Sub(s.Since).Round(time.Second))
	outs := make([]string, 0, len(s.Outcomes))
	for o, n := range s.Outcomes {
		outs = append(outs, fmt.Sprintf("%d %s", n, o))
	}
	sort.Strings(outs)
	if len(outs) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(outs, ", "))
	}
	if s.Calls > 0 {
		fmt.Fprintf(&b, ", %.1f ms mean", s.MeanMS)
	}
	if s.Rejected > 0 || s.Busy > 0 {
		fmt.Fprintf(&b, "; %d requests rejected as malformed or too large, %d turned away as too many", s.Rejected, s.Busy)
	}
	ms := make([]string, 0, len(s.Methods))
	for m, n := range s.Methods {
		ms = append(ms, fmt.Sprintf("%s %d", m, n))
	}
	sort.Strings(ms)
	if len(ms) > 0 {
		fmt.Fprintf(&b, "; by method: %s", strings.Join(ms, ", "))
	}
	return b.String()
}
