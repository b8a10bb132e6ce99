package main

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// A missing file is a local failure, not the network: syscall.Errno
// satisfies net.Error, and a store whose trust.json was deleted was once
// reported as "the nodes did not answer in time" (exit 5).
func TestFaultLocalErrnoIsNotNetwork(t *testing.T) {
	_, err := os.ReadFile(filepath.Join(t.TempDir(), "trust.json"))
	if err == nil || isNetworkError(err) {
		t.Fatalf("missing file %v counted as a network error", err)
	}
	if isNetworkError(fmt.Errorf("open: %w", syscall.EACCES)) {
		t.Fatal("EACCES counted as a network error")
	}
	if !isNetworkError(fmt.Errorf("dial: %w", syscall.ECONNREFUSED)) || !isNetworkError(fmt.Errorf("read: %w", syscall.ETIMEDOUT)) {
		t.Fatal("a refused or timed-out connection is a network error")
	}
}
