//go:build !unix

package devnet

// lockDir is a no-op where flock is unavailable; the nodes' databases still
// refuse a second opener, with a less friendly message.
func lockDir(string) (func(), error) { return func() {}, nil }
