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

// RecordedFailures is the kind of failure each endpoint's own record
// holds (0: none): what the light client's next operation would read
// when it ends.
func RecordedFailures(c *Client) []int {
	c.nmu.Lock()
	all := append([]*endpoint(nil), c.all...)
	c.nmu.Unlock()
	kinds := make([]int, len(all))
	for i, e := range all {
		k, _ := e.failure()
		kinds[i] = int(k)
	}
	return kinds
}
