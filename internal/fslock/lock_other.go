//go:build !unix

package fslock

import "os"

// Where flock is not available (Windows) writers are not serialised, as
// in keys/.
func lock(*os.File) error       { return nil }
func unlockFile(*os.File) error { return nil }
