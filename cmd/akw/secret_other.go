//go:build !(linux || darwin || dragonfly || freebsd || netbsd || openbsd)

package main

import "golang.org/x/term"

// readNoEcho on systems without termios: the prompt, then x/term's
// ReadPassword (which turns echo off itself, a moment later).
func readNoEcho(fd int, prompt func()) ([]byte, error) {
	prompt()
	return term.ReadPassword(fd)
}
