package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/internal/output"
	"github.com/akash-wallet/akw/lightclient/state"
	"github.com/akash-wallet/akw/tx/ops"
)

// proposalView is a proposal as akw shows it: the messages by type, times,
// deposits and the stored tally.
type proposalView struct {
	ID              uint64     `json:"id"`
	Status          string     `json:"status"`
	Title           string     `json:"title"`
	Summary         string     `json:"summary"`
	Proposer        string     `json:"proposer"`
	Messages        []string   `json:"messages"`
	Metadata        string     `json:"metadata,omitempty"`
	Expedited       bool       `json:"expedited"`
	SubmitTime      *time.Time `json:"submit_time,omitempty"`
	DepositEndTime  *time.Time `json:"deposit_end_time,omitempty"`
	VotingStartTime *time.Time `json:"voting_start_time,omitempty"`
	VotingEndTime   *time.Time `json:"voting_end_time,omitempty"`
	TotalDeposit    sdk.Coins  `json:"total_deposit"`
	// FinalTally is what the chain stored: the result once voting has
	// ended. During the voting period it is empty; the live tally is
	// not stored anywhere provable, so akw does not show one.
	FinalTally *tallyView `json:"final_tally_result,omitempty"`
}

type tallyView struct {
	Yes        string `json:"yes_count"`
	No         string `json:"no_count"`
	Abstain    string `json:"abstain_count"`
	NoWithVeto string `json:"no_with_veto_count"`
}

func toProposalView(p *govv1.Proposal) proposalView {
	v := proposalView{
		ID: p.Id, Status: p.Status.String(), Title: p.Title, Summary: p.Summary, Proposer: p.Proposer,
		Metadata: p.Metadata, Expedited: p.Expedited, SubmitTime: p.SubmitTime, DepositEndTime: p.DepositEndTime,
		VotingStartTime: p.VotingStartTime, VotingEndTime: p.VotingEndTime, TotalDeposit: sdk.NewCoins(p.TotalDeposit...),
		Messages: []string{},
	}
	for _, m := range p.Messages {
		v.Messages = append(v.Messages, m.TypeUrl)
	}
	if t := p.FinalTallyResult; t != nil && p.Status != govv1.StatusVotingPeriod && p.Status != govv1.StatusDepositPeriod {
		v.FinalTally = &tallyView{Yes: t.YesCount, No: t.NoCount, Abstain: t.AbstainCount, NoWithVeto: t.NoWithVetoCount}
	}
	return v
}

func printProposal(app *App, w io.Writer, p proposalView) {
	fmt.Fprintf(w, "Proposal %d: %s\n", p.ID, p.Title)
	fmt.Fprintf(w, "  status        %s\n", p.Status)
	if p.VotingEndTime != nil && !p.VotingEndTime.IsZero() {
		fmt.Fprintf(w, "  voting        %s to %s\n", p.VotingStartTime.UTC().Format(timeFormat), p.VotingEndTime.UTC().Format(timeFormat))
	} else if p.DepositEndTime != nil {
		fmt.Fprintf(w, "  deposit ends  %s\n", p.DepositEndTime.UTC().Format(timeFormat))
	}
	fmt.Fprintf(w, "  deposit       %s\n", app.coinsText(p.TotalDeposit))
	fmt.Fprintf(w, "  proposer      %s\n", p.Proposer)
	for _, m := range p.Messages {
		fmt.Fprintf(w, "  message       %s\n", m)
	}
	if p.FinalTally != nil {
		fmt.Fprintf(w, "  final tally   yes %s, no %s, abstain %s, no with veto %s\n", p.FinalTally.Yes, p.FinalTally.No, p.FinalTally.Abstain, p.FinalTally.NoWithVeto)
	} else if p.Status == govv1.StatusVotingPeriod.String() {
		fmt.Fprintf(w, "  tally         not shown: a live tally is not stored on chain and cannot be proven\n")
	}
	if p.Summary != "" {
		fmt.Fprintf(w, "  summary       %s\n", p.Summary)
	}
}

type proposalAnswer struct {
	state.Proven
	Proposal proposalView `json:"proposal"`
}

type proposalsAnswer struct {
	state.Proven
	Proposals []proposalView `json:"proposals"`
}

type voteAnswer struct {
	state.Proven
	ProposalID uint64       `json:"proposal_id"`
	Voter      string       `json:"voter"`
	Options    []voteOption `json:"options"`
}

type voteOption struct {
	Option string `json:"option"`
	Weight string `json:"weight"`
}

func parseProposalID(s string) (uint64, error) {
	id, err := strconv.ParseUint(s, 10, 64)
	if err != nil || id == 0 {
		return 0, output.UsageError(fmt.Sprintf("%q is not a proposal id", s), "give the proposal's number, e.g. 42")
	}
	return id, nil
}

// queryProposalsOptions are what `akw query proposals` was asked.
type queryProposalsOptions struct {
	Query *queryOptions
	// Status is --status: StatusVotingPeriod by default, StatusNil for all.
	Status govv1.ProposalStatus
}

func newQueryProposalsCmd(app *App, qo *queryOptions, runF func(*queryProposalsOptions) error) *cobra.Command {
	var status string
	cmd := &cobra.Command{
		Use:   "proposals [--status deposit|voting|passed|rejected|failed|all]",
		Short: "Governance proposals in their voting period (or with --status), proven complete",
		Long: `Governance proposals in their voting period, or with the status --status
asks for, proven complete: the voting ones through the chain's voting-period
index, the others by walking every proposal the chain keeps.`,
		Args: cobra.NoArgs,
		RunE: func(_ *cobra.Command, _ []string) error {
			o := &queryProposalsOptions{Query: qo}
			parse := func() (err error) {
				if o.Status, err = state.ParseProposalStatus(status); err != nil {
					return output.Wrap(output.Usage, err, "", "give --status "+strings.Join(state.ProposalStatuses, ", --status "))
				}
				return nil
			}
			if err := queryArgs(app, parse); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return runQueryProposals(app, o)
		},
	}
	cmd.Flags().StringVar(&status, "status", "voting", "which proposals: "+strings.Join(state.ProposalStatuses, ", "))
	return cmd
}

func runQueryProposals(app *App, o *queryProposalsOptions) error {
	status := o.Status
	return runQuery(app, o.Query, func(ctx context.Context, v *state.View) error {
		var (
			proven    state.Proven
			proposals []*govv1.Proposal
			what      = proposalStatusWords(status)
		)
		if status == govv1.StatusVotingPeriod {
			ps, err := v.VotingProposals(ctx)
			if err != nil {
				return err
			}
			proven, proposals = ps.Proven, ps.Proposals
		} else {
			ps, err := v.ProposalsWithStatus(ctx, status)
			if err != nil {
				return err
			}
			proven, proposals = ps.Proven, ps.Proposals
		}
		out := proposalsAnswer{Proven: proven, Proposals: []proposalView{}}
		for _, p := range proposals {
			out.Proposals = append(out.Proposals, toProposalView(p))
		}
		return app.Printer.Result(out, func(w io.Writer) error {
			fmt.Fprintf(w, "Proposals %s: %d\n", what, len(out.Proposals))
			for _, p := range out.Proposals {
				printProposal(app, w, p)
			}
			provenLine(w, out.Proven, "the list of proposals "+what+" (complete) and each proposal")
			return nil
		})
	})
}

// proposalStatusWords names the proposals a --status asks for.
func proposalStatusWords(s govv1.ProposalStatus) string {
	switch s {
	case govv1.StatusNil:
		return "of every status"
	case govv1.StatusDepositPeriod, govv1.StatusVotingPeriod:
		return "in " + ops.StatusWords(s)
	}
	return ops.StatusWords(s)
}

// queryProposalOptions are what `akw query proposal` was asked.
type queryProposalOptions struct {
	Query      *queryOptions
	ProposalID uint64
}

func newQueryProposalCmd(app *App, qo *queryOptions, runF func(*queryProposalOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   "proposal ID",
		Short: "One governance proposal",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			o := &queryProposalOptions{Query: qo}
			if err := queryArgs(app, func() (err error) { o.ProposalID, err = parseProposalID(args[0]); return }); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return runQueryProposal(app, o)
		},
	}
}

func runQueryProposal(app *App, o *queryProposalOptions) error {
	id := o.ProposalID
	return runQuery(app, o.Query, func(ctx context.Context, v *state.View) error {
		p, err := v.Proposal(ctx, id)
		if err != nil {
			return err
		}
		out := proposalAnswer{Proven: p.Proven, Proposal: toProposalView(p.Proposal)}
		return app.Printer.Result(out, func(w io.Writer) error {
			printProposal(app, w, out.Proposal)
			provenLine(w, out.Proven, "proposal record")
			return nil
		})
	})
}

// queryVoteOptions are what `akw query vote` was asked.
type queryVoteOptions struct {
	Query      *queryOptions
	ProposalID uint64
	Voter      sdk.AccAddress
}

func newQueryVoteCmd(app *App, qo *queryOptions, runF func(*queryVoteOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   "vote ID VOTER",
		Short: "A voter's vote on a proposal",
		Args:  cobra.ExactArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			o := &queryVoteOptions{Query: qo}
			parse := func() (err error) {
				if o.ProposalID, err = parseProposalID(args[0]); err != nil {
					return err
				}
				o.Voter, err = resolveAccount(app, args[1])
				return err
			}
			if err := queryArgs(app, parse); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return runQueryVote(app, o)
		},
	}
}

func runQueryVote(app *App, o *queryVoteOptions) error {
	id, voter := o.ProposalID, o.Voter
	return runQuery(app, o.Query, func(ctx context.Context, v *state.View) error {
		a, err := v.Vote(ctx, id, voter)
		if err != nil {
			return err
		}
		out := voteAnswer{Proven: a.Proven, ProposalID: a.Vote.ProposalId, Voter: a.Vote.Voter, Options: []voteOption{}}
		for _, o := range a.Vote.Options {
			out.Options = append(out.Options, voteOption{Option: o.Option.String(), Weight: trimDec(o.Weight)})
		}
		return app.Printer.Result(out, func(w io.Writer) error {
			fmt.Fprintf(w, "Vote of %s on proposal %d\n", out.Voter, out.ProposalID)
			for _, o := range out.Options {
				fmt.Fprintf(w, "  %s (weight %s)\n", o.Option, o.Weight)
			}
			provenLine(w, out.Proven, "vote record")
			return nil
		})
	})
}
