package main

import (
	"testing"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/internal/output"
)

// queryVerb builds `akw query` over one verb.
func queryVerb(leaf func(app *App, qo *queryOptions, got func(any)) *cobra.Command) flagsBuild {
	return func(app *App, got func(any)) *cobra.Command {
		return newQueryCmd(app, func(qo *queryOptions) []*cobra.Command { return []*cobra.Command{leaf(app, qo, got)} })
	}
}

func TestFlagsQuery(t *testing.T) {
	alice, aliceStr := testAddr(t, 1)
	val, valStr := testValoper(t, 2)
	def := &queryOptions{Timeout: 30 * time.Second}
	addrCases := func(verb string) []flagsCase {
		return []flagsCase{
			{name: "address", args: "query " + verb + " " + aliceStr,
				want: &queryAddrOptions{Query: def, Address: sdk.AccAddress(alice)}},
			{name: "height max-age timeout", args: "query " + verb + " " + aliceStr + " --height 7 --max-age 1m --timeout 5s",
				want: &queryAddrOptions{Query: &queryOptions{Height: 7, MaxAge: time.Minute, Timeout: 5 * time.Second}, Address: sdk.AccAddress(alice)}},
			{name: "group flag before the verb", args: "query --height 9 " + verb + " " + aliceStr,
				want: &queryAddrOptions{Query: &queryOptions{Height: 9, Timeout: 30 * time.Second}, Address: sdk.AccAddress(alice)}},
			{name: "no address", args: "query " + verb, code: output.Usage, msg: "accepts 1 arg"},
			{name: "two addresses", args: "query " + verb + " " + aliceStr + " " + aliceStr, code: output.Usage, msg: "accepts 1 arg"},
			{name: "validator address", args: "query " + verb + " " + valStr, code: output.Usage},
			{name: "bad height", args: "query " + verb + " " + aliceStr + " --height x", code: output.Usage, msg: "--height"},
			{name: "bad timeout", args: "query " + verb + " " + aliceStr + " --timeout soon", code: output.Usage, msg: "--timeout"},
			{name: "unknown flag", args: "query " + verb + " " + aliceStr + " --nosuch", code: output.Usage, msg: "unknown flag"},
		}
	}
	for verb, leaf := range map[string]func(*App, *queryOptions, func(any)) *cobra.Command{
		"account": func(app *App, qo *queryOptions, got func(any)) *cobra.Command {
			return newQueryAccountCmd(app, qo, capture[queryAddrOptions](got))
		},
		"delegations": func(app *App, qo *queryOptions, got func(any)) *cobra.Command {
			return newQueryDelegationsCmd(app, qo, capture[queryAddrOptions](got))
		},
		"unbonding": func(app *App, qo *queryOptions, got func(any)) *cobra.Command {
			return newQueryUnbondingCmd(app, qo, capture[queryAddrOptions](got))
		},
		"redelegations": func(app *App, qo *queryOptions, got func(any)) *cobra.Command {
			return newQueryRedelegationsCmd(app, qo, capture[queryAddrOptions](got))
		},
		"rewards": func(app *App, qo *queryOptions, got func(any)) *cobra.Command {
			return newQueryRewardsCmd(app, qo, capture[queryAddrOptions](got))
		},
	} {
		t.Run(verb, func(t *testing.T) { runFlagsCases(t, queryVerb(leaf), addrCases(verb)) })
	}
	t.Run("unbondings", func(t *testing.T) {
		runFlagsCases(t, queryVerb(func(app *App, qo *queryOptions, got func(any)) *cobra.Command {
			return newQueryUnbondingCmd(app, qo, capture[queryAddrOptions](got))
		}), []flagsCase{{name: "alias", args: "query unbondings " + aliceStr, want: &queryAddrOptions{Query: def, Address: sdk.AccAddress(alice)}}})
	})

	t.Run("balance", func(t *testing.T) {
		runFlagsCases(t, queryVerb(func(app *App, qo *queryOptions, got func(any)) *cobra.Command {
			return newQueryBalanceCmd(app, qo, capture[queryBalanceOptions](got))
		}), []flagsCase{
			{name: "all", args: "query balance " + aliceStr, want: &queryBalanceOptions{Query: def, Address: sdk.AccAddress(alice)}},
			{name: "balances", args: "query balances " + aliceStr, want: &queryBalanceOptions{Query: def, Address: sdk.AccAddress(alice)}},
			{name: "ibc denom", args: "query balance " + aliceStr + " --denom ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2",
				want: &queryBalanceOptions{Query: def, Address: sdk.AccAddress(alice), Denom: "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2"}},
			{name: "denom", args: "q balance " + aliceStr + " --denom uakt --height 3",
				want: &queryBalanceOptions{Query: &queryOptions{Height: 3, Timeout: 30 * time.Second}, Address: sdk.AccAddress(alice), Denom: "uakt"}},
			{name: "mistyped address", args: "query balance akash1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq --keyring-backend test", code: output.Usage, msg: "neither a valid address"},
			{name: "unknown key", args: "query balance bob --keyring-backend test", code: output.Key, msg: "bob"},
			{name: "bad keyring backend", args: "query balance bob --keyring-backend vault", code: output.Usage, msg: "unknown keyring backend"},
			{name: "no address", args: "query balance", code: output.Usage, msg: "accepts 1 arg"},
			{name: "denom without value", args: "query balance " + aliceStr + " --denom", code: output.Usage, msg: "flag needs an argument"},
			{name: "bad node", args: "query balance " + aliceStr + " --node ftp://x", code: output.Usage},
		})
	})
	t.Run("grants", func(t *testing.T) {
		runFlagsCases(t, queryVerb(func(app *App, qo *queryOptions, got func(any)) *cobra.Command {
			return newQueryGrantsCmd(app, qo, capture[queryGrantsOptions](got))
		}), []flagsCase{
			{name: "given by default", args: "query grants " + aliceStr, want: &queryGrantsOptions{Query: def, Address: sdk.AccAddress(alice)}},
			{name: "by", args: "query grants " + aliceStr + " --by", want: &queryGrantsOptions{Query: def, Address: sdk.AccAddress(alice)}},
			{name: "to", args: "q grants " + aliceStr + " --to --height 4",
				want: &queryGrantsOptions{Query: &queryOptions{Height: 4, Timeout: 30 * time.Second}, Address: sdk.AccAddress(alice), To: true}},
			{name: "by and to", args: "query grants " + aliceStr + " --by --to", code: output.Usage, msg: "--by and --to cannot be used together"},
			{name: "validator address", args: "query grants " + valStr, code: output.Usage},
			{name: "unknown key", args: "query grants bob --keyring-backend test", code: output.Key, msg: "bob"},
			{name: "no address", args: "query grants", code: output.Usage, msg: "accepts 1 arg"},
			{name: "to with a value", args: "query grants " + aliceStr + " --to=maybe", code: output.Usage, msg: "--to"},
		})
	})
	t.Run("validators", func(t *testing.T) {
		runFlagsCases(t, queryVerb(func(app *App, qo *queryOptions, got func(any)) *cobra.Command {
			return newQueryValidatorsCmd(app, qo, capture[queryValidatorsOptions](got))
		}), []flagsCase{
			{name: "plain", args: "query validators", want: &queryValidatorsOptions{Query: def}},
			{name: "max-age", args: "query validators --max-age 30s", want: &queryValidatorsOptions{Query: &queryOptions{MaxAge: 30 * time.Second, Timeout: 30 * time.Second}}},
			{name: "an argument", args: "query validators x", code: output.Usage, msg: "unknown command"},
		})
	})
	t.Run("validator", func(t *testing.T) {
		runFlagsCases(t, queryVerb(func(app *App, qo *queryOptions, got func(any)) *cobra.Command {
			return newQueryValidatorCmd(app, qo, capture[queryValidatorOptions](got))
		}), []flagsCase{
			{name: "valoper", args: "query validator " + valStr, want: &queryValidatorOptions{Query: def, Validator: sdk.ValAddress(val)}},
			{name: "account address", args: "query validator " + aliceStr, code: output.Usage, msg: "not a validator operator address"},
			{name: "no valoper", args: "query validator", code: output.Usage, msg: "accepts 1 arg"},
		})
	})
	t.Run("proposals", func(t *testing.T) {
		runFlagsCases(t, queryVerb(func(app *App, qo *queryOptions, got func(any)) *cobra.Command {
			return newQueryProposalsCmd(app, qo, capture[queryProposalsOptions](got))
		}), []flagsCase{
			{name: "plain", args: "query proposals", want: &queryProposalsOptions{Query: def, Status: govv1.StatusVotingPeriod}},
			{name: "timeout", args: "query proposals --timeout 1m", want: &queryProposalsOptions{Query: &queryOptions{Timeout: time.Minute}, Status: govv1.StatusVotingPeriod}},
			{name: "an argument", args: "query proposals 1", code: output.Usage, msg: "unknown command"},
		})
	})
	t.Run("proposal", func(t *testing.T) {
		runFlagsCases(t, queryVerb(func(app *App, qo *queryOptions, got func(any)) *cobra.Command {
			return newQueryProposalCmd(app, qo, capture[queryProposalOptions](got))
		}), []flagsCase{
			{name: "id", args: "query proposal 42", want: &queryProposalOptions{Query: def, ProposalID: 42}},
			{name: "zero", args: "query proposal 0", code: output.Usage, msg: `"0" is not a proposal id`},
			{name: "word", args: "query proposal latest", code: output.Usage, msg: `"latest" is not a proposal id`},
			{name: "no id", args: "query proposal", code: output.Usage, msg: "accepts 1 arg"},
		})
	})
	t.Run("vote", func(t *testing.T) {
		runFlagsCases(t, queryVerb(func(app *App, qo *queryOptions, got func(any)) *cobra.Command {
			return newQueryVoteCmd(app, qo, capture[queryVoteOptions](got))
		}), []flagsCase{
			{name: "id voter", args: "query vote 3 " + aliceStr, want: &queryVoteOptions{Query: def, ProposalID: 3, Voter: sdk.AccAddress(alice)}},
			{name: "bad id", args: "query vote x " + aliceStr, code: output.Usage, msg: `"x" is not a proposal id`},
			{name: "valoper voter", args: "query vote 3 " + valStr, code: output.Usage},
			{name: "no voter", args: "query vote 3", code: output.Usage, msg: "accepts 2 arg"},
		})
	})
}
