package proof

import (
	"errors"
	"fmt"
	"testing"
)

// walkAll drives a walk against the chain the way a client does.
func walkAll(t *testing.T, c *chain, w *Walk) ([]Entry, int) {
	t.Helper()
	queries := 0
	for {
		entries, next, err := w.Result()
		if err != nil {
			t.Fatal(err)
		}
		if next == nil {
			return entries, queries
		}
		queries++
		if err := w.Add(mustVerify(t, c, Query{Store: w.Store(), Key: next, Height: w.Height()})); err != nil {
			t.Fatal(err)
		}
	}
}

func TestWalkComplete(t *testing.T) {
	c := newChain(t, "bank")
	h := c.commit("bank", map[string][]byte{
		"\x01zz":              []byte("before"),
		"\x02\x03abc":         []byte("other address, shorter"),
		"\x02\x04addr":        []byte("no denom"), // the prefix itself is a key
		"\x02\x04addrakt":     []byte("1"),
		"\x02\x04addrakt\x00": []byte("2"), // a key that is exactly a successor
		"\x02\x04addrbtc":     []byte("3"),
		"\x02\x04addrz":       []byte("4"),
		"\x02\x04adds":        []byte("next address"),
		"\x03":                []byte("after"),
	})
	w := NewWalk("bank", []byte("\x02\x04addr"), h, 0)
	entries, queries := walkAll(t, c, w)
	got := ""
	for _, e := range entries {
		got += fmt.Sprintf("%q=%s ", e.Key, e.Value)
	}
	want := `"\x02\x04addr"=no denom "\x02\x04addrakt"=1 "\x02\x04addrakt\x00"=2 "\x02\x04addrbtc"=3 "\x02\x04addrz"=4 `
	if got != want {
		t.Fatalf("entries\n got %s\nwant %s", got, want)
	}
	if queries != len(entries)+1 {
		t.Fatalf("%d queries for %d entries", queries, len(entries))
	}

	// Empty ranges: between keys, and past the end of the store.
	for _, prefix := range []string{"\x02\x05", "\x04", "\x00"} {
		entries, queries := walkAll(t, c, NewWalk("bank", []byte(prefix), h, 0))
		if len(entries) != 0 || queries != 1 {
			t.Fatalf("prefix %q: %d entries in %d queries", prefix, len(entries), queries)
		}
	}
}

func TestWalkSpeculativeProofs(t *testing.T) {
	c := newChain(t, "bank")
	h := c.commit("bank", map[string][]byte{"\x02pa": []byte("1"), "\x02pb": []byte("2"), "\x02q": []byte("x")})
	w := NewWalk("bank", []byte("\x02p"), h, 0)
	// Guesses fetched in parallel: one right, one wrong, one unrelated.
	for _, k := range []string{"\x02p", "\x02pa\x00", "\x02pb\x00", "\x02pzz\x00", "\x02r"} {
		if err := w.Add(mustVerify(t, c, Query{Store: "bank", Key: []byte(k), Height: h})); err != nil {
			t.Fatal(err)
		}
	}
	entries, next, err := w.Result()
	if err != nil || next != nil || len(entries) != 2 {
		t.Fatalf("entries %v next %q err %v", entries, next, err)
	}
}

func TestWalkLimitAndMixedHeights(t *testing.T) {
	c := newChain(t, "bank")
	writes := map[string][]byte{}
	for i := 0; i < 5; i++ {
		writes[fmt.Sprintf("\x02k%d", i)] = []byte("v")
	}
	h := c.commit("bank", writes)
	w := NewWalk("bank", []byte("\x02k"), h, 3)
	for {
		_, next, err := w.Result()
		if err != nil {
			if !errors.As(err, new(ErrIncomplete)) || !errors.Is(err, ErrVerification) {
				t.Fatalf("got %v", err)
			}
			break
		}
		if next == nil {
			t.Fatal("walk over the limit reported complete")
		}
		_ = w.Add(mustVerify(t, c, Query{Store: "bank", Key: next, Height: h}))
	}
	h2 := c.commit("bank", map[string][]byte{"\x02k9": []byte("v")})
	if err := NewWalk("bank", []byte("\x02k"), h, 0).Add(mustVerify(t, c, Query{Store: "bank", Key: []byte("\x02k"), Height: h2})); err == nil {
		t.Fatal("proof from another height accepted into a walk")
	}
}

func TestRangeWalk(t *testing.T) {
	c := newChain(t, "distribution")
	h := c.commit("distribution", map[string][]byte{
		"\x08v\x00\x05a": []byte("h5"), "\x08v\x00\x07a": []byte("h7"), "\x08v\x00\x07b": []byte("h7b"), "\x08v\x00\x09": []byte("h9"),
	})
	entries, _ := walkAll(t, c, NewRangeWalk("distribution", []byte("\x08v\x00\x06"), []byte("\x08v\x00\x08"), h, 0))
	if len(entries) != 2 || string(entries[0].Value) != "h7" || string(entries[1].Value) != "h7b" {
		t.Fatalf("got %v", entries)
	}
	if got := PrefixEnd([]byte{1, 0xff}); string(got) != "\x02" {
		t.Fatalf("PrefixEnd = %x", got)
	}
	if PrefixEnd([]byte{0xff}) != nil {
		t.Fatal("PrefixEnd of 0xff")
	}
}
