package state

import (
	"slices"
	"testing"
)

func TestNeighbourCandidates(t *testing.T) {
	q := New(nil, nil, WithStoreNames("newstore", "bank", "zzz"))
	below, above := q.neighbourCandidates("newstore")
	if !slices.Equal(below[:3], []string{"mint", "market", "ibc"}) || !slices.Equal(above[:3], []string{"oracle", "params", "provider"}) {
		t.Fatalf("below %v, above %v", below, above)
	}
	if slices.Contains(below, "newstore") || slices.Contains(above, "newstore") {
		t.Fatal("the store itself is no neighbour")
	}
	if above[len(above)-1] != "zzz" || len(below)+len(above) != len(KnownStores)+1 {
		t.Fatalf("below %v, above %v", below, above)
	}
	// First and last: one side empty.
	if b, _ := q.neighbourCandidates("a"); len(b) != 0 {
		t.Fatalf("below a: %v", b)
	}
	if _, a := q.neighbourCandidates("zzzz"); len(a) != 0 {
		t.Fatalf("above zzzz: %v", a)
	}
}
