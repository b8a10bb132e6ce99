package output

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Format is how answers are written: for people, or for scripts.
type Format string

const (
	Text Format = "text"
	JSON Format = "json"
)

// ParseFormat accepts the values of -o/--output.
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "text":
		return Text, nil
	case "json":
		return JSON, nil
	}
	return "", UsageError(fmt.Sprintf("unknown output format %q", s), "use -o text or -o json")
}

// Printer writes results to Out and everything else (notices, prompts,
// errors) to Err, so that in JSON mode stdout carries exactly one document.
type Printer struct {
	Format Format
	Out    io.Writer
	Err    io.Writer
}

// Result writes the command's answer: v as one JSON document in JSON mode,
// or whatever text writes in text mode.
func (p *Printer) Result(v any, text func(w io.Writer) error) error {
	if p.Format == JSON {
		enc := json.NewEncoder(p.Out)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(v)
	}
	return text(p.Out)
}

// Notice tells the user something on the side (a failover, a warning).
// It goes to stderr in both modes and is prefixed so scripts can tell it
// from errors.
func (p *Printer) Notice(format string, args ...any) {
	fmt.Fprintf(p.Err, "note: "+format+"\n", args...)
}

// Warn is a notice that asks for attention.
func (p *Printer) Warn(format string, args ...any) {
	fmt.Fprintf(p.Err, "warning: "+format+"\n", args...)
}

type jsonError struct {
	Error struct {
		Code    int    `json:"code"`
		Kind    string `json:"kind"`
		Message string `json:"message"`
		Hint    string `json:"hint,omitempty"`
	} `json:"error"`
}

// PrintError writes err to stderr: `error:` and `hint:` lines in text mode,
// {"error": {"code", "message", "hint"}} in JSON mode.
func (p *Printer) PrintError(err error) {
	if err == nil {
		return
	}
	code := ExitCode(err)
	hint := HintOf(err)
	if p.Format == JSON {
		var je jsonError
		je.Error.Code = int(code)
		je.Error.Kind = code.String()
		je.Error.Message = err.Error()
		je.Error.Hint = hint
		enc := json.NewEncoder(p.Err)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(je)
		return
	}
	fmt.Fprintf(p.Err, "error: %s\n", err.Error())
	if hint != "" {
		for _, line := range strings.Split(hint, "\n") {
			fmt.Fprintf(p.Err, "hint: %s\n", line)
		}
	}
}
