package state

import (
	"encoding/json"
	"testing"
	"time"
)

// A periodic allowance's period is written in JSON twice: as it always was
// (nanoseconds, Go's time.Duration) and as the SDK's own JSON writes a
// protobuf Duration, which people compare with `akash query feegrant`.
func TestAllowanceJSONPeriod(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{24 * time.Hour, "86400s"},
		{1500 * time.Millisecond, "1.500s"},
		{time.Second + time.Microsecond, "1.000001s"},
		{time.Nanosecond, "0.000000001s"},
		{-time.Nanosecond, "-0.000000001s"},
		{-90 * time.Second, "-90s"},
	} {
		if got := ProtoDuration(c.d); got != c.want {
			t.Errorf("ProtoDuration(%v) = %q, want %q", c.d, got, c.want)
		}
	}
	bz, err := json.Marshal(Allowance{Kind: "periodic", Period: 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(bz, &got); err != nil {
		t.Fatal(err)
	}
	if got["period"] != float64(24*time.Hour) || got["period_duration"] != "86400s" || got["kind"] != "periodic" {
		t.Errorf("JSON %s: want period in nanoseconds (kept) and period_duration \"86400s\"", bz)
	}
	bz, err = json.Marshal(Allowance{Kind: "basic"})
	if err != nil {
		t.Fatal(err)
	}
	got = nil
	if err := json.Unmarshal(bz, &got); err != nil {
		t.Fatal(err)
	}
	if _, ok := got["period_duration"]; ok {
		t.Errorf("JSON of a basic allowance %s has a period_duration", bz)
	}
}
