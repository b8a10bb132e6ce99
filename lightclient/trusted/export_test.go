package trusted

// WaitBackground waits, without cancelling them, for the background
// fetches of every endpoint (prefetches of witnesses' copies and of
// guessed heights): a test then counts what they asked.
func WaitBackground(c *Client) {
	c.nmu.Lock()
	all := append([]*endpoint(nil), c.all...)
	c.nmu.Unlock()
	for _, e := range all {
		e.running.Wait()
	}
}
