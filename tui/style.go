package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	sdkmath "cosmossdk.io/math"
	"github.com/charmbracelet/x/ansi"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-wallet/akw/tx/amount"
)

// styles are shared by every screen. Meaning never rests on colour alone:
// verified values carry a ✓, the alarm is reversed and spelled out, the
// selection has a ▸ marker, so the UI reads the same with NO_COLOR (the
// renderer then drops colours but keeps bold and reverse).
type styles struct {
	title    lipgloss.Style
	header   lipgloss.Style
	label    lipgloss.Style
	faint    lipgloss.Style
	ok       lipgloss.Style
	warn     lipgloss.Style
	err      lipgloss.Style
	alarm    lipgloss.Style
	selected lipgloss.Style
	status   lipgloss.Style
	key      lipgloss.Style
	box      lipgloss.Style
}

func newStyles() styles {
	return styles{
		title:    lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("5")),
		header:   lipgloss.NewStyle().Bold(true).Underline(true),
		label:    lipgloss.NewStyle().Bold(true),
		faint:    lipgloss.NewStyle().Faint(true),
		ok:       lipgloss.NewStyle().Foreground(lipgloss.Color("2")),
		warn:     lipgloss.NewStyle().Foreground(lipgloss.Color("3")).Bold(true),
		err:      lipgloss.NewStyle().Foreground(lipgloss.Color("1")).Bold(true),
		alarm:    lipgloss.NewStyle().Reverse(true).Bold(true).Foreground(lipgloss.Color("1")),
		selected: lipgloss.NewStyle().Reverse(true),
		status:   lipgloss.NewStyle().Reverse(true),
		key:      lipgloss.NewStyle().Bold(true),
		box:      lipgloss.NewStyle().Border(lipgloss.NormalBorder()).Padding(0, 1),
	}
}

// fmtInt renders an amount: the chain's token in its display denom
// (1500000uakt -> 1.5 AKT), exactly; other denoms as they are (tx/amount,
// the formatter the command line uses too).
func fmtInt(ci ChainInfo, amt sdkmath.Int, denom string) string {
	return amount.Text(amt, denom, ci.Denoms())
}

// fmtDec is fmtInt for decimal amounts (rewards), rounded down so that
// nothing is overstated.
func fmtDec(ci ChainInfo, amt sdkmath.LegacyDec, denom string) string {
	return amount.DecText(amt, denom, ci.Denoms())
}

func fmtCoin(ci ChainInfo, c sdk.Coin) string {
	if c.Denom == "" {
		return "0"
	}
	return fmtInt(ci, c.Amount, c.Denom)
}

func fmtCoins(ci ChainInfo, cs sdk.Coins) string {
	if cs.IsZero() {
		return "0 " + strings.ToUpper(ci.DisplayDenom)
	}
	parts := make([]string, 0, len(cs))
	for _, c := range cs {
		parts = append(parts, fmtCoin(ci, c))
	}
	return strings.Join(parts, ", ")
}

func fmtDecCoins(ci ChainInfo, cs sdk.DecCoins) string {
	if cs.IsZero() {
		return "0 " + strings.ToUpper(ci.DisplayDenom)
	}
	parts := make([]string, 0, len(cs))
	for _, c := range cs {
		parts = append(parts, fmtDec(ci, c.Amount, c.Denom))
	}
	return strings.Join(parts, ", ")
}

func trimDec(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, ".")
	}
	return s
}

func fmtPercent(d sdkmath.LegacyDec) string {
	return trimDec(d.MulInt64(100).String()) + "%"
}

// fmtVote renders a (weighted) vote: "yes" or "yes 60%, no 40%".
func fmtVote(v []VoteOption) string {
	if len(v) == 0 {
		return "not voted"
	}
	if len(v) == 1 && v[0].Weight.Equal(sdkmath.LegacyOneDec()) {
		return v[0].Option
	}
	parts := make([]string, 0, len(v))
	for _, o := range v {
		parts = append(parts, o.Option+" "+fmtPercent(o.Weight))
	}
	return strings.Join(parts, ", ")
}

// fmtAge renders how old something is: 4s, 3m, 2h, 5d.
func fmtAge(d time.Duration) string {
	switch {
	case d < 0:
		return "0s"
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}

// fmtDuration spells a period out for people: "21 days", "3 hours".
func fmtDuration(d time.Duration) string {
	switch {
	case d >= 48*time.Hour && d%(24*time.Hour) == 0:
		return fmt.Sprintf("%d days", int(d.Hours()/24))
	case d >= 48*time.Hour:
		return fmt.Sprintf("%.1f days", d.Hours()/24)
	case d >= 2*time.Hour:
		return fmt.Sprintf("%d hours", int(d.Hours()))
	case d >= 2*time.Minute:
		return fmt.Sprintf("%d minutes", int(d.Minutes()))
	}
	return d.String()
}

// shortAddr keeps the prefix and the end of an address, which is what
// people compare: akash1qypq…8x2k.
func shortAddr(a string, n int) string {
	if len(a) <= n || n < 10 {
		return a
	}
	head := n/2 + 2
	tail := n - head - 1
	return a[:head] + "…" + a[len(a)-tail:]
}

// fit cuts every line to width and the block to height lines, padding
// with empty lines, so that a screen never scrolls the terminal.
func fit(s string, width, height int) string {
	lines := strings.Split(s, "\n")
	if height >= 0 && len(lines) > height {
		lines = lines[:height]
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > width {
			lines[i] = ansi.Truncate(l, width, "…")
		}
	}
	for height >= 0 && len(lines) < height {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// pad pads or cuts s to exactly w cells.
func pad(s string, w int) string {
	sw := ansi.StringWidth(s)
	if sw > w {
		return ansi.Truncate(s, w, "…")
	}
	return s + strings.Repeat(" ", w-sw)
}

// padLeft right-aligns s in w cells.
func padLeft(s string, w int) string {
	sw := ansi.StringWidth(s)
	if sw > w {
		return ansi.Truncate(s, w, "…")
	}
	return strings.Repeat(" ", w-sw) + s
}

func lipWidth(s string) int { return ansi.StringWidth(s) }

func itoa(n int) string { return fmt.Sprintf("%d", n) }

func itoa64(n int64) string { return fmt.Sprintf("%d", n) }

func ansiStrip(s string) string { return ansi.Strip(s) }

func ansiTruncate(s string, w int) string { return ansi.Truncate(s, w, "…") }
