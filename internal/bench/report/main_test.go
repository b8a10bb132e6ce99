package main

import (
	"bytes"
	"strings"
	"testing"
)

const sample = `goos: linux
pkg: github.com/akash-wallet/akw/internal/bench
BenchmarkColdStart/version-2         	      21	 71152436 ns/op	        34.53 cpu-ms/op	         4.992 harness-RSS-MiB	        32.15 min-cpu-ms/op	        86.07 peak-RSS-MiB	        65.55 wall-ms/op
pkg: github.com/akash-wallet/akw/lightclient/state
BenchmarkBalance/rtt=20ms/unverified-all-balances-2 	      20	  21000000 ns/op
BenchmarkBalance/rtt=20ms/verified-all-balances-warm-header-2 	      20	  21600000 ns/op
PASS
`

func TestParseAndSection(t *testing.T) {
	list, err := parse(strings.NewReader(sample))
	if err != nil || len(list) != 3 {
		t.Fatalf("%v %d", err, len(list))
	}
	if list[0].name != "BenchmarkColdStart/version" || list[0].pkg != "github.com/akash-wallet/akw/internal/bench" || list[0].metrics["cpu-ms/op"] != 34.53 {
		t.Fatalf("%+v", list[0])
	}
	rs := results{byName: map[string]result{}}
	for _, r := range list {
		rs.byName[r.name] = r
	}
	var sec bytes.Buffer
	section(&sec, rs, "make bench", "test machine", 0)
	s := sec.String()
	for _, want := range []string{"34.5 ms", "86.1 MiB", "**1.03×**", "≤ 1.5×: met", "under 50 ms: met", "not run"} {
		if !strings.Contains(s, want) {
			t.Errorf("section lacks %q:\n%s", want, s)
		}
	}
}

func TestSplice(t *testing.T) {
	doc := []byte("# Title\n\nIntro.\n\n## Hand written\n\ntext\n")
	sec := []byte(beginMarker + "\nA\n" + endMarker + "\n")
	once, err := splice(doc, sec)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(once, []byte("# Title\n\nIntro.\n\n"+beginMarker)) || !bytes.HasSuffix(once, []byte("## Hand written\n\ntext\n")) {
		t.Fatalf("%q", once)
	}
	twice, err := splice(once, []byte(beginMarker+"\nB\n"+endMarker+"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(twice, []byte("\nA\n")) || !bytes.Contains(twice, []byte("\nB\n")) || bytes.Count(twice, []byte(beginMarker)) != 1 {
		t.Fatalf("%q", twice)
	}
	if _, err := splice([]byte(beginMarker), sec); err == nil {
		t.Fatal("a lone marker was accepted")
	}
}
