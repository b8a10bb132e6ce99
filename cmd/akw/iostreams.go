package main

import (
	"io"
	"os"

	"golang.org/x/term"
)

// IOStreams are the process's standard streams and whether they are
// terminals; terminal detection decides whether akw may prompt.
type IOStreams struct {
	In        io.Reader
	Out       io.Writer
	Err       io.Writer
	StdinTTY  bool
	StdoutTTY bool
	StderrTTY bool
}

func newSystemIO() *IOStreams {
	return &IOStreams{
		In:        os.Stdin,
		Out:       os.Stdout,
		Err:       os.Stderr,
		StdinTTY:  term.IsTerminal(int(os.Stdin.Fd())),
		StdoutTTY: term.IsTerminal(int(os.Stdout.Fd())),
		StderrTTY: term.IsTerminal(int(os.Stderr.Fd())),
	}
}

// CanPrompt reports whether akw may ask the user a question: only when
// both stdin and stdout are terminals. Scripts get an error naming the
// flag that supplies the answer instead.
func (s *IOStreams) CanPrompt() bool { return s.StdinTTY && s.StdoutTTY }
