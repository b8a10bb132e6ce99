package tui

import (
	"context"
	"errors"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	tea "charm.land/bubbletea/v2"

	"github.com/akash-wallet/akw/errkind"
)

// Run opens the TUI on in and out and returns when the user quits. Work in
// flight is cancelled before it returns. The colour profile follows the
// terminal and the environment (NO_COLOR turns colours off; meaning is
// never carried by colour alone).
func Run(ctx context.Context, o Options, in io.Reader, out io.Writer) error {
	if o.Backend == nil {
		return errors.New("tui: no backend")
	}
	// A closed terminal (SIGHUP) ends the UI like quitting does, so that
	// nothing — a demo devnet, a wait for the Ledger — outlives it.
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGHUP)
	defer stop()
	m := New(ctx, o)
	defer m.cancel()
	p := tea.NewProgram(m,
		tea.WithContext(ctx),
		tea.WithInput(in),
		tea.WithOutput(out),
		tea.WithEnvironment(os.Environ()),
	)
	_, err := p.Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		err = ctx.Err()
	}
	if hs := m.InFlight(); len(hs) > 0 && (err == nil || errors.Is(err, context.Canceled)) {
		return &InFlightError{Hashes: hs}
	}
	return err
}

// InFlightError means the user quit while a broadcast transaction was
// still waiting for proven inclusion. It was not cancelled — it may well
// be included — so the caller must tell the user how to look it up rather
// than let them send it again.
type InFlightError struct{ Hashes []string }

func (e *InFlightError) Error() string {
	return "quit while transaction " + strings.Join(e.Hashes, ", ") + " was broadcast and not yet proven included"
}

func (e *InFlightError) Hint() string { return "do not send it again" }

// Remedy: look the first one up by its hash (each face words how).
func (e *InFlightError) Remedy() errkind.Remedy {
	return errkind.Remedy{Do: errkind.TxStatus, Subject: e.Hashes[0]}
}
