package tui

import (
	"context"
	"errors"
	"io"
	"os"
	"os/signal"
	"syscall"

	tea "charm.land/bubbletea/v2"
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
		return ctx.Err()
	}
	return err
}
