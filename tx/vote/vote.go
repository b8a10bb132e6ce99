// Package vote parses governance vote options as people type them:
// "yes", "no_with_veto", or a weighted split "yes=0.6,no=0.4".
package vote

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	sdkmath "cosmossdk.io/math"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
)

// Sentinel reasons; every error of this package is an *Error wrapping one.
var (
	ErrEmpty         = errors.New("no vote option given")
	ErrUnknownOption = errors.New("unknown vote option")
	ErrBadWeight     = errors.New("invalid weight")
	ErrDuplicate     = errors.New("option given twice")
	ErrSum           = errors.New("weights do not sum to 1")
)

// Error names the input and the reason.
type Error struct {
	Input  string
	Reason error
	Detail string
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("invalid vote %q: %v", e.Input, e.Reason)
	if e.Detail != "" {
		msg += " (" + e.Detail + ")"
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Reason }

// Hint says how to write a vote.
func (e *Error) Hint() string {
	return "vote yes, no, abstain or no_with_veto, or split it with weights that sum to 1: yes=0.6,no=0.4"
}

// ParseOption reads one option name.
func ParseOption(s string) (govv1.VoteOption, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "yes":
		return govv1.OptionYes, nil
	case "no":
		return govv1.OptionNo, nil
	case "abstain":
		return govv1.OptionAbstain, nil
	case "no_with_veto", "nowithveto", "no-with-veto", "veto":
		return govv1.OptionNoWithVeto, nil
	case "":
		return govv1.OptionEmpty, &Error{Input: s, Reason: ErrEmpty}
	}
	return govv1.OptionEmpty, &Error{Input: s, Reason: ErrUnknownOption}
}

// Parse reads a vote: a single option, or weighted options separated by
// commas. A single option comes back as one option of weight 1 and
// Weighted false, so the caller sends MsgVote; otherwise MsgVoteWeighted.
func Parse(s string) (opts []*govv1.WeightedVoteOption, weighted bool, err error) {
	in := strings.TrimSpace(s)
	if in == "" {
		return nil, false, &Error{Input: s, Reason: ErrEmpty}
	}
	if !strings.Contains(in, "=") {
		o, err := ParseOption(in)
		if err != nil {
			return nil, false, err
		}
		return []*govv1.WeightedVoteOption{{Option: o, Weight: sdkmath.LegacyOneDec().String()}}, false, nil
	}
	seen := map[govv1.VoteOption]bool{}
	sum := sdkmath.LegacyZeroDec()
	for _, part := range strings.Split(in, ",") {
		name, w, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return nil, false, &Error{Input: s, Reason: ErrBadWeight, Detail: fmt.Sprintf("%q has no =weight", part)}
		}
		o, err := ParseOption(name)
		if err != nil {
			return nil, false, &Error{Input: s, Reason: ErrUnknownOption, Detail: fmt.Sprintf("%q", name)}
		}
		if seen[o] {
			return nil, false, &Error{Input: s, Reason: ErrDuplicate, Detail: name}
		}
		seen[o] = true
		w = strings.TrimSpace(w)
		if w == "" || strings.HasPrefix(w, "-") || strings.HasPrefix(w, "+") {
			return nil, false, &Error{Input: s, Reason: ErrBadWeight, Detail: fmt.Sprintf("%s=%q", name, w)}
		}
		d, err := sdkmath.LegacyNewDecFromStr(w)
		if err != nil {
			return nil, false, &Error{Input: s, Reason: ErrBadWeight, Detail: fmt.Sprintf("%s=%q", name, w)}
		}
		// The chain refuses weights outside (0, 1].
		if !d.IsPositive() || d.GT(sdkmath.LegacyOneDec()) {
			return nil, false, &Error{Input: s, Reason: ErrBadWeight, Detail: fmt.Sprintf("%s=%s is not above 0 and at most 1", name, w)}
		}
		sum = sum.Add(d)
		opts = append(opts, &govv1.WeightedVoteOption{Option: o, Weight: d.String()})
	}
	if !sum.Equal(sdkmath.LegacyOneDec()) {
		return nil, false, &Error{Input: s, Reason: ErrSum, Detail: "they sum to " + trimDec(sum)}
	}
	// Canonical order (yes, abstain, no, no_with_veto by enum value) so
	// that the same vote always makes the same transaction.
	sort.Slice(opts, func(i, j int) bool { return opts[i].Option < opts[j].Option })
	return opts, true, nil
}

// Describe writes options as "yes" or "yes=0.6, no=0.4".
func Describe(opts []*govv1.WeightedVoteOption) string {
	if len(opts) == 1 {
		if d, err := sdkmath.LegacyNewDecFromStr(opts[0].Weight); err == nil && d.Equal(sdkmath.LegacyOneDec()) {
			return Name(opts[0].Option)
		}
	}
	parts := make([]string, len(opts))
	for i, o := range opts {
		w := o.Weight
		if d, err := sdkmath.LegacyNewDecFromStr(w); err == nil {
			w = trimDec(d)
		}
		parts[i] = Name(o.Option) + "=" + w
	}
	return strings.Join(parts, ", ")
}

// Name is the option as a user types it.
func Name(o govv1.VoteOption) string {
	switch o {
	case govv1.OptionYes:
		return "yes"
	case govv1.OptionNo:
		return "no"
	case govv1.OptionAbstain:
		return "abstain"
	case govv1.OptionNoWithVeto:
		return "no_with_veto"
	}
	return o.String()
}

func trimDec(d sdkmath.LegacyDec) string {
	s := d.String()
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}
