//go:build !unix

package keys

// lockDir is a no-op where flock is not available (Windows): concurrent
// writers to one file keyring are not serialised there.
func lockDir(string) (func(), error) { return func() {}, nil }
