package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/internal/output"
)

// requireVerbs makes every command that only groups verbs (query, tx,
// keys, light, config and their own groups) refuse a missing or unknown
// verb with a usage error (exit 2). Cobra's default for a group that is
// not runnable is to print its help and exit 0, so that a script asking
// for a verb this build does not have (`akw query leases ADDR`) could not
// tell "not supported" from success.
func requireVerbs(cmd *cobra.Command) {
	for _, c := range cmd.Commands() {
		requireVerbs(c)
	}
	if !cmd.HasParent() || !cmd.HasSubCommands() || cmd.Runnable() {
		return
	}
	cmd.Args = cobra.ArbitraryArgs
	cmd.RunE = func(c *cobra.Command, args []string) error { return verbError(c, args) }
}

// verbError says which verb was missing or unknown, and lists the verbs
// there are (with cobra's suggestion for a near miss first).
func verbError(cmd *cobra.Command, args []string) error {
	var verbs []string
	for _, c := range cmd.Commands() {
		if c.IsAvailableCommand() {
			verbs = append(verbs, c.Name())
		}
	}
	hint := fmt.Sprintf("`%s` has: %s (see `%s --help`)", cmd.CommandPath(), strings.Join(verbs, ", "), cmd.CommandPath())
	if len(args) == 0 {
		return output.UsageError(fmt.Sprintf("`%s` needs a verb", cmd.CommandPath()), hint)
	}
	if cmd.SuggestionsMinimumDistance <= 0 {
		cmd.SuggestionsMinimumDistance = 2 // cobra's default for unknown top-level commands
	}
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		hint = fmt.Sprintf("did you mean `%s %s`? %s", cmd.CommandPath(), s[0], hint)
	}
	return output.UsageError(fmt.Sprintf("unknown verb %q for `%s`", args[0], cmd.CommandPath()), hint)
}
