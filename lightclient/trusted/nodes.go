package trusted

import "github.com/akash-wallet/akw/lightclient"

// QueryNodes returns the RPC clients of the nodes that may answer queries,
// the one Primary returns first, then the other configured nodes that
// serve queries (not demoted, not marked dead). A caller asks the next one
// when a node does not hold the state asked for (pruned, or behind): which
// node answers is no matter of trust — every answer is checked against the
// verified header — only of getting one.
func (c *Client) QueryNodes() []lightclient.Node {
	c.nmu.Lock()
	first := c.server
	if first == nil {
		first = c.current
	}
	c.nmu.Unlock()
	out := []lightclient.Node{first.rpc}
	for _, e := range c.all {
		if e == first || e.isDemoted() {
			continue
		}
		if dead, _ := e.dead(); dead {
			continue
		}
		out = append(out, e.rpc)
	}
	return out
}
