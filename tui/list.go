package tui

import "strings"

// Helpers of the list screens (grants, history, proposals): moving a
// cursor, scrolling it into view, and what to show before there is a list.

// listMove moves a cursor over n rows by key (up/k, down/j).
func listMove(key string, cursor, n int) int {
	switch key {
	case "up", "k":
		return max(0, cursor-1)
	case "down", "j":
		return min(max(0, n-1), cursor+1)
	}
	return cursor
}

// scrollTo shows the lines that fit h, keeping line at in view.
func scrollTo(lines []string, at, h int) string {
	start := 0
	if at >= h-1 {
		start = at - h + 3
	}
	end := min(len(lines), start+h)
	return strings.Join(lines[start:end], "\n")
}

// loadingView is the view of a screen that has nothing to show yet: the
// spinner while loading, the alarm when an answer did not check out (and
// nothing is shown), or the error with how to retry. ok is false when
// the screen has its data to show.
func loadingView(c *common, loading bool, err error, what string, w int) (string, bool) {
	st := c.st
	switch {
	case loading:
		return c.spinner() + " proving " + what + "…  (esc to cancel)", true
	case err != nil && verificationFailed(err):
		return st.alarm.Render(" ✗ VERIFICATION FAILED ") + "\n\n" + wrap(err.Error(), w) + "\n\nNothing is shown. Press r to retry.", true
	case err != nil:
		return st.err.Render("✗ ") + wrap(plainError(err), w-2) + "\n\nPress r to retry.", true
	}
	return "", false
}
