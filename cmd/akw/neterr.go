package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"syscall"

	"github.com/akash-wallet/akw/internal/output"
)

// isNetworkError reports whether err means the endpoint could not be
// reached or did not answer in time, as opposed to answering wrongly.
func isNetworkError(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EHOSTUNREACH) ||
		errors.Is(err, syscall.ENETUNREACH) {
		return true
	}
	// syscall.Errno has Timeout and Temporary methods, so every errno
	// (ENOENT from a missing file, EACCES) would pass for a net.Error;
	// the network ones were matched above, any other is local.
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return errno == syscall.ETIMEDOUT || errno == syscall.ECONNABORTED || errno == syscall.EPIPE
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return true
	}
	var de *net.DNSError
	return errors.As(err, &de)
}

// networkError turns a failure to reach endpoint into exit code 5 with a
// hint, and leaves other errors alone.
func networkError(err error, endpoint string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) {
		return output.Wrap(output.Cancelled, err, "cancelled", "")
	}
	if !isNetworkError(err) {
		return err
	}
	return output.Wrap(output.Network, err,
		fmt.Sprintf("cannot reach the node at %s: %v", endpoint, rootCause(err)),
		"check that the node is running and reachable, or choose another with --node")
}

func rootCause(err error) error {
	for {
		u := errors.Unwrap(err)
		if u == nil {
			return err
		}
		err = u
	}
}
