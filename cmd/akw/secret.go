package main

import (
	"fmt"
	"io"
)

// readSecret prints prompt to w and reads one line from the terminal fd
// without echo. Echo goes off before the prompt is printed, as getpass(3)
// does: a person (or a password manager) who types as soon as the prompt
// appears must not have the first characters shown because the prompt
// came a moment before the terminal stopped echoing.
func readSecret(fd int, w io.Writer, prompt string) ([]byte, error) {
	return readNoEcho(fd, func() { fmt.Fprint(w, prompt) })
}

// readLine reads one line from r a byte at a time (nothing after it is
// consumed), as golang.org/x/term's ReadPassword does; the terminal's
// line discipline has handled editing already.
func readLine(r io.Reader) ([]byte, error) {
	var buf [1]byte
	var line []byte
	for {
		n, err := r.Read(buf[:])
		if n > 0 {
			switch buf[0] {
			case '\b':
				if len(line) > 0 {
					line = line[:len(line)-1]
				}
			case '\n':
				return line, nil
			case '\r':
			default:
				line = append(line, buf[0])
			}
			continue
		}
		if err != nil {
			if err == io.EOF && len(line) > 0 {
				return line, nil
			}
			return line, err
		}
	}
}
