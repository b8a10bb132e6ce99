package devnet

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDialedPeersConnect checks that the sparse topology of dialedPeers
// connects every validator to every other, in few hops, for every size a
// devnet can have.
func TestDialedPeersConnect(t *testing.T) {
	require.Empty(t, dialedPeers(nil))
	require.Equal(t, []string{"v1", "v0"}, dialedPeers([]string{"v0", "v1"}), "three validators: a full mesh")
	for size := 1; size <= MaxValidators; size++ {
		adj := make([][]int, size)
		var names []string
		for i := range size {
			for _, p := range dialedPeers(names) {
				var j int
				_, err := fmt.Sscanf(p, "v%d", &j)
				require.NoError(t, err)
				adj[i] = append(adj[i], j)
				adj[j] = append(adj[j], i)
			}
			require.LessOrEqual(t, len(dialedPeers(names)), 5)
			names = append(names, fmt.Sprintf("v%d", i))
		}
		// Breadth-first from every validator: all reached within 6 hops.
		for from := range size {
			dist := map[int]int{from: 0}
			queue := []int{from}
			for len(queue) > 0 {
				cur := queue[0]
				queue = queue[1:]
				for _, nb := range adj[cur] {
					if _, seen := dist[nb]; !seen {
						dist[nb] = dist[cur] + 1
						queue = append(queue, nb)
					}
				}
			}
			require.Len(t, dist, size, "size %d: validator %d reaches only %d", size, from, len(dist))
			for _, d := range dist {
				require.LessOrEqual(t, d, 6)
			}
		}
	}
}
