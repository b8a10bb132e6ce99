// Package atomicfile writes files so that a reader, or a machine that
// crashed in the middle of a write, finds the old content or the new one,
// never half of either: nothing a user wrote is lost to a crash. Files are
// written to a temporary name and renamed. It is akw's one writer of that
// kind; lightclient keeps its own for its store's meta file, so that
// lightclient imports nothing of akw's but the error leaf.
package atomicfile

import (
	"os"
	"path/filepath"
)

// Write writes data to a temporary file beside path (the same directory,
// so the rename cannot cross file systems), gives it perm, flushes it to
// disk, and renames it over path. On any failure path is left as it was
// and the temporary file is removed.
//
// The temporary file is created with mode 0600 and only then given perm,
// so a secret (a keyring item) is never readable by others, not even for
// the moment between creation and chmod.
func Write(path string, data []byte, perm os.FileMode) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // a no-op after a successful rename
	if err := f.Chmod(perm); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	syncDir(dir)
	return nil
}

// syncDir flushes the directory entry of the rename, so that the new name
// survives a crash too. Best effort: some systems cannot sync a directory,
// and the file's content is already safe either way.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}
