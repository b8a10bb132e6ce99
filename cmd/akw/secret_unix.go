//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package main

import "golang.org/x/sys/unix"

// fdReader reads from a file descriptor, unbuffered.
type fdReader int

func (r fdReader) Read(b []byte) (int, error) { return unix.Read(int(r), b) }

// readNoEcho turns echo off on the terminal fd, then calls prompt, then
// reads a line, then restores the terminal as it was.
func readNoEcho(fd int, prompt func()) ([]byte, error) {
	old, err := unix.IoctlGetTermios(fd, ioctlGetTermios)
	if err != nil {
		return nil, err
	}
	quiet := *old
	quiet.Lflag &^= unix.ECHO
	quiet.Lflag |= unix.ICANON | unix.ISIG
	quiet.Iflag |= unix.ICRNL
	if err := unix.IoctlSetTermios(fd, ioctlSetTermios, &quiet); err != nil {
		return nil, err
	}
	defer unix.IoctlSetTermios(fd, ioctlSetTermios, old) //nolint:errcheck // best effort, as x/term
	prompt()
	return readLine(fdReader(fd))
}
