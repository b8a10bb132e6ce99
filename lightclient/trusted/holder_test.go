package trusted

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/akash-wallet/akw/lightclient"
)

func TestHolderRoundTrip(t *testing.T) {
	dir := t.TempDir()
	if h := readHolder(dir); h != (lightclient.StoreHolder{}) {
		t.Fatalf("no file: %+v", h)
	}
	writeHolder(dir, "akw tx send")
	if h := readHolder(dir); h.PID != os.Getpid() || h.Command != "akw tx send" {
		t.Fatalf("read back %+v", h)
	}
	// Another client of this process, named otherwise (tests open
	// several): its name is written.
	writeHolder(dir, "akw query balance")
	if h := readHolder(dir); h.Command != "akw query balance" {
		t.Fatalf("the second name was not written: %+v", h)
	}
	writeHolder(dir, "akw tx send")
	// Another process took the store and wrote its own record: this
	// one's next opening writes it again (the skip is for an unchanged
	// file only).
	if err := os.WriteFile(filepath.Join(dir, holderFile), []byte(`{"pid":1,"command":"akw query balance"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	writeHolder(dir, "akw tx send")
	if h := readHolder(dir); h.PID != os.Getpid() || h.Command != "akw tx send" {
		t.Fatalf("not written again over another's record: %+v", h)
	}
	// Another process's word, shown in a message: a command with a
	// control character (a terminal escape) is dropped, the pid kept.
	if err := os.WriteFile(filepath.Join(dir, holderFile), []byte("{\"pid\":7,\"command\":\"akw \\u001b[2J\"}"), 0o600); err != nil {
		t.Fatal(err)
	}
	if h := readHolder(dir); h != (lightclient.StoreHolder{PID: 7}) {
		t.Fatalf("escape kept: %+v", h)
	}
}

// FuzzReadHolder: whatever another process (or anyone) left beside the
// lock, reading it neither fails nor yields a command that is not plain
// words.
func FuzzReadHolder(f *testing.F) {
	f.Add([]byte(`{"pid":123,"command":"akw tx send"}`))
	f.Add([]byte(`{"pid":-1}`))
	f.Add([]byte(`{"command":"` + string(make([]byte, 100)) + `"}`))
	f.Add([]byte(`not json`))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, bz []byte) {
		if err := os.WriteFile(filepath.Join(dir, holderFile), bz, 0o600); err != nil {
			t.Fatal(err)
		}
		h := readHolder(dir)
		if h.PID < 0 || (h.Command != "" && !holderCommand.MatchString(h.Command)) {
			t.Fatalf("read %+v from %q", h, bz)
		}
	})
}

// BenchmarkWriteHolder is what recording the holder adds to each opening
// of the store (once per command; once per operation of a shared store).
func BenchmarkWriteHolder(b *testing.B) {
	dir := b.TempDir()
	for b.Loop() {
		writeHolder(dir, "akw tx send")
	}
}
