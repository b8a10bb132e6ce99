package devnet

import (
	"testing"

	cmtdb "github.com/cometbft/cometbft-db"
)

// A read after Close answers "not there" instead of the "leveldb: closed"
// error that made CometBFT's block store panic during a node's stop.
func TestStopSafeDBReadsEmptyAfterClose(t *testing.T) {
	raw, err := cmtdb.NewGoLevelDB("t", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	db := &stopSafeDB{DB: raw}
	if err := db.Set([]byte("k"), []byte("v")); err != nil {
		t.Fatal(err)
	}
	if v, err := db.Get([]byte("k")); err != nil || string(v) != "v" {
		t.Fatalf("before close: %q %v", v, err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Get([]byte("k")); err == nil {
		t.Fatal("the underlying database still answers after Close")
	}
	if v, err := db.Get([]byte("k")); err != nil || v != nil {
		t.Fatalf("after close: %q %v, want nothing and no error", v, err)
	}
	if ok, err := db.Has([]byte("k")); err != nil || ok {
		t.Fatalf("Has after close: %v %v", ok, err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}
