package history

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cometbft/cometbft/crypto/tmhash"
)

func testRecord(tx string, height int64) *record {
	h := strings.ToUpper(hex.EncodeToString(tmhash.Sum([]byte(tx))))
	return &record{Hash: h, Height: height, Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		HeaderHash: strings.Repeat("A", 64), NextHeaderHash: strings.Repeat("B", 64), Tx: []byte(tx)}
}

func filledCache(t *testing.T, dir string) (*cache, string) {
	t.Helper()
	addr := testAddr(1)
	path, err := CachePath(dir, "akash-devnet-1", addr)
	if err != nil {
		t.Fatal(err)
	}
	c := newCache(path, "akash-devnet-1", addr)
	r := testRecord("tx one", 12)
	c.addSpan(Span{From: 10, To: 20}, []entry{{Hash: r.Hash, Height: 12}})
	c.records[r.Hash] = r
	c.body.Anchors = map[string]int64{"since:2026-01-01T00:00:00Z": 10}
	if err := c.save(); err != nil {
		t.Fatal(err)
	}
	return c, path
}

func TestCacheRoundTrip(t *testing.T) {
	dir := t.TempDir()
	c, path := filledCache(t, dir)
	got := loadCache(path, c.body.ChainID, c.body.Address)
	if got.rebuilt != "" {
		t.Fatal(got.rebuilt)
	}
	if len(got.records) != 1 || len(got.entries) != 1 || len(got.body.Covered) != 1 || got.body.Anchors["since:2026-01-01T00:00:00Z"] != 10 {
		t.Fatalf("%+v", got.body)
	}
	for p, want := range map[string]os.FileMode{path: 0o600, filepath.Dir(path): 0o700, filepath.Join(dir, "history"): 0o700} {
		st, err := os.Stat(p)
		if err != nil || st.Mode().Perm() != want {
			t.Fatalf("%s: %v %v", p, st, err)
		}
	}

	// A second writer's spans and records are merged, not lost.
	other := newCache(path, c.body.ChainID, c.body.Address)
	r := testRecord("tx two", 31)
	other.addSpan(Span{From: 30, To: 40}, []entry{{Hash: r.Hash, Height: 31}})
	other.records[r.Hash] = r
	if err := other.save(); err != nil {
		t.Fatal(err)
	}
	got = loadCache(path, c.body.ChainID, c.body.Address)
	if len(got.records) != 2 || len(got.body.Covered) != 2 || !got.coversAll(10, 20) || got.coversAll(10, 40) {
		t.Fatalf("merged: %+v", got.body.Covered)
	}
}

// A damaged or inconsistent cache is not used; the reason is given.
func TestCacheDamageDetected(t *testing.T) {
	dir := t.TempDir()
	c, path := filledCache(t, dir)
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// rewrite re-signs a changed body, as someone who edits the file
	// and fixes the checksum would.
	rewrite := func(change func(b map[string]any)) []byte {
		var f cacheFile
		if err := json.Unmarshal(good, &f); err != nil {
			t.Fatal(err)
		}
		var b map[string]any
		if err := json.Unmarshal(f.Body, &b); err != nil {
			t.Fatal(err)
		}
		change(b)
		f.Body, _ = json.Marshal(b)
		sum := sha256.Sum256(f.Body)
		f.SHA256 = hex.EncodeToString(sum[:])
		out, _ := json.Marshal(f)
		return out
	}
	flipped := append([]byte(nil), good...)
	flipped[len(flipped)/2] ^= 0x20
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"flipped byte", flipped, ""},
		{"truncated", good[:len(good)/2], "does not parse"},
		{"empty", nil, "does not parse"},
		{"other version", []byte(strings.Replace(string(good), `"version":2`, `"version":3`, 1)), "version 3"},
		{"transaction bytes changed", rewrite(func(b map[string]any) {
			b["records"].([]any)[0].(map[string]any)["tx"] = "AAAA"
		}), "hash to"},
		{"entry outside the spans", rewrite(func(b map[string]any) {
			b["entries"].([]any)[0].(map[string]any)["height"] = 99
		}), "outside the spans"},
		{"another address", rewrite(func(b map[string]any) { b["address"] = testAddr(2) }), "is for"},
		{"unknown field", rewrite(func(b map[string]any) { b["extra"] = 1 }), "unknown field"},
		{"spans out of order", rewrite(func(b map[string]any) {
			b["covered"] = []any{map[string]any{"from": 10, "to": 20}, map[string]any{"from": 5, "to": 6}}
		}), "out of order"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.WriteFile(path, tc.data, 0o600); err != nil {
				t.Fatal(err)
			}
			got := loadCache(path, c.body.ChainID, c.body.Address)
			if got.rebuilt == "" || !strings.Contains(got.rebuilt, tc.want) || len(got.records) != 0 || len(got.body.Covered) != 0 {
				t.Fatalf("rebuilt %q (want %q), %d records", got.rebuilt, tc.want, len(got.records))
			}
		})
	}
}

// A cache of version 1 was listed without the grantee's queries: its
// spans and entries are not trusted to be complete, so they are dropped
// and the range listed again; its proven records are kept, and nothing is
// proven again.
func TestCacheListedBeforeGrantee(t *testing.T) {
	dir := t.TempDir()
	c, path := filledCache(t, dir)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	old := strings.Replace(string(data), `"version":2`, `"version":1`, 1)
	if old == string(data) {
		t.Fatalf("no version 2 in %s", data)
	}
	if err := os.WriteFile(path, []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	got := loadCache(path, c.body.ChainID, c.body.Address)
	if got.rebuilt != "" || len(got.records) != 1 || len(got.body.Covered) != 0 || len(got.entries) != 0 || got.body.Anchors["since:2026-01-01T00:00:00Z"] != 10 {
		t.Fatalf("rebuilt %q, body %+v", got.rebuilt, got.body)
	}
	if _, ok := got.covering(12); ok {
		t.Fatal("a span of version 1 still covers its heights")
	}
	// Saved again, it is version 2 and reads as saved.
	if err := got.save(); err != nil {
		t.Fatal(err)
	}
	again := loadCache(path, c.body.ChainID, c.body.Address)
	if again.rebuilt != "" || len(again.records) != 1 || len(again.body.Covered) != 0 {
		t.Fatalf("after saving: rebuilt %q, body %+v", again.rebuilt, again.body)
	}
}

func TestCachePathRefusesOddChainIDs(t *testing.T) {
	for _, id := range []string{"", "../x", "a/b", "a..b", ".hidden"} {
		if _, err := CachePath("/tmp", id, testAddr(1)); err == nil {
			t.Errorf("chain-id %q accepted", id)
		}
	}
}
