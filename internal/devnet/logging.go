package devnet

import (
	"io"
	"sync/atomic"

	"cosmossdk.io/log"
	"github.com/rs/zerolog"
)

// gatedWriter drops everything once closed. Stopping CometBFT makes its
// reactors log their torn connections at error level ("Stopping peer for
// error", "use of closed network connection"); at the default level those
// lines would be the only output of a clean stop, so they are muted.
type gatedWriter struct {
	w      io.Writer
	closed atomic.Bool
}

func (g *gatedWriter) Write(p []byte) (int, error) {
	if g.closed.Load() {
		return len(p), nil
	}
	return g.w.Write(p)
}

// newLogger returns the nodes' logger and a function that mutes it for the
// shutdown (a no-op at levels info and debug, where the stop is of interest).
func newLogger(cfg Config) (log.Logger, func()) {
	if cfg.Log == nil || cfg.Log == io.Discard {
		return log.NewNopLogger(), func() {}
	}
	level, err := zerolog.ParseLevel(cfg.LogLevel)
	if err != nil {
		level = zerolog.ErrorLevel
	}
	g := &gatedWriter{w: cfg.Log}
	mute := func() {
		if level >= zerolog.WarnLevel {
			g.closed.Store(true)
		}
	}
	return log.NewLogger(g, log.LevelOption(level), log.ColorOption(false)), mute
}
