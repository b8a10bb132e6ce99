// Package fslock serialises writers of one file across processes with an
// advisory lock on a file beside it, the way keys/ locks a file keyring:
// flock on a lock file that holds nothing. The lock belongs to the open
// file description, so it is released however the process ends, and two
// opens in one process exclude each other too.
//
// Readers need no lock when writers replace the file by rename (see
// internal/atomicfile): they see the old file or the new one.
package fslock

import (
	"fmt"
	"os"
	"path/filepath"
)

// Lock takes an exclusive lock on path (created with mode 0600 if needed,
// in a directory created 0700), waiting while another holder has it.
// Holders keep it only for a read-modify-write, so the wait is short.
// release releases it.
func Lock(path string) (release func(), err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if err := lock(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("locking %s: %w", path, err)
	}
	return func() {
		_ = unlockFile(f)
		_ = f.Close()
	}, nil
}
