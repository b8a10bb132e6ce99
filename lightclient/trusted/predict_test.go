package trusted

import "testing"

// skipping replays cometbft's verifySkipping (light/client.go) with a
// verification oracle, reporting each height it fetches.
func skipping(v, target int64, canVerify func(from, to int64) bool, fetch func(int64)) {
	cache := []int64{target}
	depth := 0
	for {
		if canVerify(v, cache[depth]) {
			if depth == 0 {
				return
			}
			v = cache[depth]
			cache = cache[:depth]
			depth = 0
			continue
		}
		if depth == len(cache)-1 {
			p := v + (cache[depth]-v)*9/16
			fetch(p)
			cache = append(cache, p)
		}
		depth++
	}
}

func TestPivotsFollowSkipping(t *testing.T) {
	for _, reach := range []int64{3, 17, 67, 400, 2500} {
		var p pivots
		p.start(1, 10000)
		fetched := 0
		prefetched := map[int64]bool{}
		skipping(1, 10000, func(from, to int64) bool { return to-from <= reach }, func(h int64) {
			fetched++
			for _, n := range p.observe(h) {
				prefetched[n] = true
			}
		})
		if !p.active {
			t.Fatalf("reach %d: lost track of the algorithm", reach)
		}
		// Every fetch after the first is one of the two guesses made at
		// the previous fetch.
		if fetched > 1 && p.hits != fetched-1 {
			t.Errorf("reach %d: %d fetches, %d predicted", reach, fetched, p.hits)
		}
		t.Logf("reach %d: %d fetches, %d predicted, %d prefetched", reach, fetched, p.hits, len(prefetched))
	}
}
