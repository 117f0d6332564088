using System.Text.Json.Nodes;

namespace HyperLaws.Cli.Tests.Commands;

// Inside the namespace so that [Theory] binds to xunit, not to the HyperLaws.Theory namespace.
using Xunit;

/// <summary>
/// <c>hyperlaws validate --protocol 3</c> end to end on the 124M lr-scheduling grid in ../shared/data (117
/// runs; the cheap tissue law, about a second of fitting).
/// </summary>
public sealed class ValidateGridTests
{
    private static string Shared => DataFolders.Shared;

    [Fact]
    public void Protocol_3_predicts_every_held_out_run_and_scores_the_groups()
    {
        var r = Cli.Run("validate", "--protocol", "3", "--data", Shared, "--laws", "tissue", "--json");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stderr);
        var json = r.Json();

        Assert.Equal(3, (int)json["protocol"]!);
        Assert.Equal(0.2, JsonAssert.Number(json, "trainFraction"));
        Assert.Equal("val", (string?)json["fitOn"]);
        Assert.Equal("per-lr", (string?)json["fit"]);
        Assert.Equal(0.94, JsonAssert.Number(json["published"], "top2"));

        // Training: the 4 constant runs and the 14 linear-cooldown runs of fraction 0.2.
        var train = json["train"]!.AsArray().Select(n => (string)n!).ToList();
        Assert.Equal(18, train.Count);
        Assert.Equal(4, train.Count(n => n.StartsWith("stable-124m", StringComparison.Ordinal)));
        Assert.All(train.Where(n => !n.StartsWith("stable-124m", StringComparison.Ordinal)), n => Assert.Contains("decay_linear_0.2_", n, StringComparison.Ordinal));
        var excluded = Assert.Single(json["excluded"]!.AsArray());
        Assert.Contains("lr0.005", (string)excluded!["name"]!, StringComparison.Ordinal);
        Assert.True(JsonAssert.Number(excluded, "divergedAt") > 0);
        Assert.Contains("diverged", (string)excluded["reason"]!, StringComparison.Ordinal);
        int heldOut = (int)json["heldOut"]!;
        Assert.Equal(117 - 18 - 1, heldOut);

        var law = Assert.Single(json["laws"]!.AsArray())!;
        Assert.Equal("tissue", (string?)law["name"]);
        var predictions = law["predictions"]!.AsArray();
        Assert.Equal(heldOut + train.Count, predictions.Count);
        var scored = predictions.Where(p => !(bool)p!["training"]!).ToList();
        Assert.Equal(heldOut, scored.Count);
        // Measured: mean 0.40%, max 1.2% (0.012 nats); the bounds leave room for fitter changes, not for a broken protocol.
        var loss = law["finalLoss"]!;
        double mean = JsonAssert.Number(loss, "meanRelErr");
        Assert.InRange(mean, 1e-4, 0.006);
        Assert.InRange(JsonAssert.Number(loss, "maxRelErr"), mean, 0.02);
        Assert.InRange(JsonAssert.Number(loss, "mae"), 1e-4, 0.02);
        Assert.Equal(mean, scored.Average(p => JsonAssert.Number(p, "relErr")), 12);
        foreach (var p in scored)
            Assert.Equal(JsonAssert.Number(p, "relErr"), Math.Abs(JsonAssert.Number(p, "predicted") - JsonAssert.Number(p, "actual")) / JsonAssert.Number(p, "actual"), 12);

        // 14 (horizon, LR) groups: LR 1e-4 at 25k and 50k steps, the other three LRs at 15k, 25k, 35k, 50k.
        Assert.Equal(14, (int)law["groups"]!);
        var groups = law["rankingGroups"]!.AsArray();
        Assert.Equal(14, groups.Count);
        Assert.Equal(heldOut, groups.Sum(g => (int)g!["candidates"]!));
        int top1 = groups.Count(g => (int)g!["rankOfBest"]! == 1), top2 = groups.Count(g => (int)g!["rankOfBest"]! <= 2);
        Assert.Equal(top1 / 14.0, JsonAssert.Number(law, "top1"), 12);
        Assert.Equal(top2 / 14.0, JsonAssert.Number(law, "top2"), 12);
        Assert.True(top2 >= top1);
        Assert.Equal(4, (int)law["atBestLr"]!["groups"]!);
        Assert.Equal(4, (int)law["acrossLrs"]!["groups"]!);

        var best = law["bestCooldown"]!.AsArray();
        Assert.Equal(14, best.Count);
        double[] fractions = [0.1, 0.2, 0.4, 0.6, 0.8, 0.9];
        foreach (var b in best)
        {
            Assert.Contains(JsonAssert.Number(b, "predicted"), fractions);
            Assert.Contains(JsonAssert.Number(b, "actual"), fractions);
            Assert.True(JsonAssert.Number(b, "regret") >= 0);
            Assert.True(JsonAssert.Number(b, "lr") > 0 && JsonAssert.Number(b, "horizon") >= 15000);
        }
        Assert.Equal(4, law["fits"]!.AsArray().Count);
    }

    [Fact]
    public void Table_output_and_progress()
    {
        var r = Cli.Run("validate", "--protocol", "3", "--data", Shared, "--laws", "convex", "--train-fraction", "0.8");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("linear cooldown 0.8", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("convex", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("Opt-Laws Top-2 94%", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("Best linear cooldown fraction", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("excluded: cosine-0 lr=0.005", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("validate: convex: fitting lr=0.001", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void The_repository_data_folder_lacks_the_grid_and_says_where_to_look()
    {
        string line = Cli.Run("validate", "--protocol", "3", "--data", LawCliData.Data, "--laws", "tissue", "--json").AssertUsageError();
        Assert.Contains(Path.Combine(LawCliData.Data, "lr-scheduling", "data"), line, StringComparison.Ordinal);
        Assert.Contains("--data ../shared/data", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fraction_without_runs_lists_the_fractions_there_are()
    {
        string line = Cli.Run("validate", "--protocol", "3", "--data", Shared, "--laws", "tissue", "--train-fraction", "0.3", "--json").AssertUsageError();
        Assert.Contains("--train-fraction", line, StringComparison.Ordinal);
        Assert.Contains("0.3", line, StringComparison.Ordinal);
        Assert.Contains("available: 0.1, 0.2, 0.4, 0.6, 0.8, 0.9", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--train-fraction", "abc", "--train-fraction")]
    [InlineData("--train-fraction", "1.5", "between 0 and 1")]
    [InlineData("--fit-on", "test", "--fit-on")]
    [InlineData("--joint-noise", "lags", "--joint-noise")]
    [InlineData("--joint-noise-power", "0", "--joint-noise-power")]
    [InlineData("--joint-noise-power", "2.5", "--joint-noise-power")]
    [InlineData("--joint-noise-power", "half", "--joint-noise-power")]
    [InlineData("--plan-interval", "wide", "--plan-interval")]
    [InlineData("--plan-anchor", "maybe", "--plan-anchor")]
    public void Bad_options_are_named_before_any_data_is_read(string option, string value, string expected)
    {
        string line = Cli.Run("validate", "--protocol", "3", "--data", "/nonexistent", "--laws", "tissue", option, value).AssertUsageError();
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.Contains(value, line, StringComparison.Ordinal);
    }

    [Theory]
    // The joint noise option is refused where no protocol reads it.
    [InlineData("--protocol 2 --data /nonexistent --joint-noise clock", "--joint-noise applies to protocols 3, 7 and 8")]
    // The plan interval is refused outside the plan backtest.
    [InlineData("--protocol 3 --data /nonexistent --plan-interval finite-sample", "--plan-interval applies to protocol 6 only")]
    [InlineData("--protocol 6 --intervals --data /nonexistent --plan-interval symmetric", "--plan-interval applies to the plan backtest")]
    // The rule of docs/VALIDATION.md "Intervals: the tails chosen by the centre" is a known value (refused here for the protocol, not the name).
    [InlineData("--protocol 3 --data /nonexistent --plan-interval centred", "--plan-interval applies to protocol 6 only")]
    // So is variant P's (docs/VALIDATION.md "Intervals: a pseudo horizon step when the runs have one"); an unknown name lists it.
    [InlineData("--protocol 3 --data /nonexistent --plan-interval pseudo-step", "--plan-interval applies to protocol 6 only")]
    [InlineData("--protocol 3 --data /nonexistent --plan-interval cross-step-shape", "--plan-interval applies to protocol 6 only")]
    [InlineData("--protocol 6 --data /nonexistent --plan-interval pseudo", "pseudo-step")]
    // The plan ridge flag is refused outside the plan backtest.
    [InlineData("--protocol 3 --data /nonexistent --no-plan-ridge", "--no-plan-ridge applies to the plan backtest only")]
    [InlineData("--protocol 6 --intervals --data /nonexistent --no-plan-ridge", "--no-plan-ridge applies to the plan backtest only")]
    // The joint noise power is refused where no protocol reads it and off the free weights.
    [InlineData("--protocol 2 --data /nonexistent --joint-noise-power auto", "--joint-noise-power applies to protocols 3, 7 and 8")]
    [InlineData("--protocol 3 --data /nonexistent --joint-noise clock --joint-noise-power 0.5", "needs the free noise weights")]
    // 'fit' (the power fitted): the same two refusals.
    [InlineData("--protocol 2 --data /nonexistent --joint-noise-power fit", "--joint-noise-power fit applies to protocols 3, 7, 8 and 10, and 2 and 4 with --laws joint, only")]
    [InlineData("--protocol 4 --data /nonexistent --joint-noise-power fit", "--joint-noise-power fit applies to protocols 3, 7, 8 and 10, and 2 and 4 with --laws joint, only")]
    [InlineData("--protocol 7 --data /nonexistent --joint-noise spectrum --joint-noise-power FIT", "needs the free noise weights")]
    // 'peak' (the power across peak LRs, protocol 7's option): protocols 7 and 8 only, on the free weights.
    [InlineData("--protocol 3 --data /nonexistent --joint-noise-power peak", "--joint-noise-power peak applies to protocols 7 and 8 only")]
    [InlineData("--protocol 10 --data /nonexistent --joint-noise-power Peak", "--joint-noise-power peak applies to protocols 7 and 8 only")]
    [InlineData("--protocol 7 --data /nonexistent --joint-noise clock --joint-noise-power peak", "the power across peaks needs the free noise weights")]
    // 'peak-fit' (both powers where identified): the same two refusals, naming itself.
    [InlineData("--protocol 6 --data /nonexistent --joint-noise-power peak-fit", "--joint-noise-power peak-fit applies to protocols 7 and 8 only")]
    [InlineData("--protocol 8 --data /nonexistent --joint-noise spectrum --joint-noise-power PEAK-FIT", "--joint-noise-power peak-fit: the power across peaks needs the free noise weights")]
    // 'peak-fit-clock' (both powers where identified, the intrinsic-time lags on the effective step's clock): the same refusals, naming itself.
    [InlineData("--protocol 6 --data /nonexistent --joint-noise-power peak-fit-clock", "--joint-noise-power peak-fit-clock applies to protocols 7 and 8 only")]
    [InlineData("--protocol 7 --data /nonexistent --joint-noise clock --joint-noise-power Peak-Fit-Clock", "--joint-noise-power peak-fit-clock: the power across peaks needs the free noise weights")]
    // 'peak-fit-lagprior' (both powers where identified, the noise lags' shares at their prior): the same refusals, naming itself.
    [InlineData("--protocol 10 --data /nonexistent --joint-noise-power peak-fit-lagprior", "--joint-noise-power peak-fit-lagprior applies to protocols 7 and 8 only")]
    [InlineData("--protocol 8 --data /nonexistent --joint-noise spectrum --joint-noise-power Peak-Fit-LagPrior", "--joint-noise-power peak-fit-lagprior: the power across peaks needs the free noise weights")]
    // Parsed and accepted on protocol 7: the run goes on to read the data (the missing folder is what it names).
    [InlineData("--protocol 7 --data /nonexistent-lagprior --joint-noise-power peak-fit-lagprior", "/nonexistent-lagprior")]
    [InlineData("--protocol 7 --data /nonexistent --joint-noise-power peak-fit-lag", "--joint-noise-power: 'peak-fit-lag' is not a power in (0, 2], 'auto', 'fit', 'peak', 'peak-fit', 'peak-fit-clock' or 'peak-fit-lagprior'.")]
    // The lasting term is refused where no joint fit reads it and its scale needs it.
    [InlineData("--protocol 2 --data /nonexistent --joint-lasting", "--joint-lasting applies to protocols 3, 4, 7 and 8")]
    [InlineData("--protocol 3 --data /nonexistent --joint-lasting-own-scale", "--joint-lasting-own-scale needs --joint-lasting")]
    [InlineData("--protocol 4 --data /nonexistent --joint-lasting", "--joint-lasting applies to protocol 4 only with --laws joint")]
    // The edge cost is refused where no joint fit reads it and its plateau needs it.
    [InlineData("--protocol 2 --data /nonexistent --joint-edge", "--joint-edge applies to protocols 3, 4, 7 and 8")]
    [InlineData("--protocol 7 --data /nonexistent --joint-edge-plateau", "--joint-edge-plateau needs --joint-edge")]
    [InlineData("--protocol 4 --data /nonexistent --joint-edge", "--joint-edge applies to protocol 4 only with --laws joint")]
    // The shared shape is refused off protocol 3 and with pooled fits.
    [InlineData("--protocol 1 --data /nonexistent --shared-shape", "--shared-shape applies to protocol 3 only")]
    [InlineData("--protocol 3 --data /nonexistent --laws mpl-box --shared-shape --pooled", "--shared-shape and --pooled exclude each other")]
    // The identification rule is refused when unknown or off the cross-data protocols.
    [InlineData("--protocol 14 --data /nonexistent --identification best", "--identification: unknown rule 'best' (14c, 14d, evidence or free)")]
    [InlineData("--protocol 3 --data /nonexistent --identification evidence", "--identification applies to the cross-data protocols (14 and later) only")]
    // The cross-size protocol is refused off protocol 17 and names a missing folder.
    [InlineData("--protocol 2 --data /nonexistent --cross-size", "--cross-size applies to protocol 17 only (got --protocol 2)")]
    [InlineData("--protocol 17 --data /nonexistent --cross-size --no-stall-check", "--identification, --no-stall-check and --stall-hold do not apply")]
    [InlineData("--protocol 17 --data /nonexistent --cross-size --stall-hold progress", "--stall-hold do not apply")]
    [InlineData("--protocol 17 --data /nonexistent-p17c --cross-size --laws tissue", "/nonexistent-p17c")]
    // The wide MPL starts are refused off protocol 3 and off the per-LR fits.
    [InlineData("--protocol 1 --data /nonexistent --mpl-wide-starts", "--mpl-wide-starts applies to protocol 3 only")]
    [InlineData("--protocol 3 --data /nonexistent --laws mpl --mpl-wide-starts --pooled", "--mpl-wide-starts applies to the per-LR fits only")]
    [InlineData("--protocol 3 --data /nonexistent --laws mpl --mpl-wide-starts --shared-shape", "--mpl-wide-starts applies to the per-LR fits only")]
    // The ensemble is refused off protocol 3, with --intervals, and with laws, fits or joint options of its own.
    [InlineData("--protocol 1 --data /nonexistent --ensemble", "--ensemble applies to protocol 3 only (got --protocol 1)")]
    [InlineData("--protocol 3 --data /nonexistent --ensemble --laws tissue", "--ensemble fits its declared members as declared")]
    [InlineData("--protocol 3 --data /nonexistent --ensemble --pooled", "--pooled")]
    [InlineData("--protocol 3 --intervals --data /nonexistent --ensemble --laws tissue", "--ensemble fits its declared members as declared")]
    [InlineData("--protocol 3 --intervals --data /nonexistent --ensemble", "--intervals do not apply")]
    [InlineData("--protocol 3 --data /nonexistent --ensemble --joint-noise free", "--ensemble fits its declared members as declared")]
    [InlineData("--protocol 3 --data /nonexistent --ensemble --joint-noise-power 0.5", "--ensemble fits its declared members as declared")]
    [InlineData("--protocol 3 --data /nonexistent --ensemble --joint-noise-power fit", "--ensemble fits its declared members as declared")]
    [InlineData("--protocol 3 --data /nonexistent --ensemble --joint-lasting", "--ensemble fits its declared members as declared")]
    [InlineData("--protocol 3 --data /nonexistent --ensemble --joint-edge", "--ensemble fits its declared members as declared")]
    // The plan anchor is refused outside the plan backtest.
    [InlineData("--protocol 3 --data /nonexistent --plan-anchor off", "--plan-anchor applies to the plan backtest only")]
    [InlineData("--protocol 6 --intervals --data /nonexistent --plan-anchor on", "--plan-anchor applies to the plan backtest only")]
    [InlineData("--protocol 3 --data /nonexistent --plan-anchor pairs", "--plan-anchor applies to the plan backtest only")]
    [InlineData("--protocol 3 --data /nonexistent --plan-anchor nearest", "--plan-anchor applies to the plan backtest only")]
    // Protocol 17r (--rank) is refused off protocol 17, with laws or options of the other protocol-17 checks, and names a missing folder.
    [InlineData("--protocol 3 --data /nonexistent --rank", "--rank applies to protocol 17 only (got --protocol 3)")]
    [InlineData("--protocol 17 --data /nonexistent --rank --laws tissue", "--rank fits protocol 3's ensemble members as declared")]
    [InlineData("--protocol 17 --data /nonexistent --rank --cross-size", "--cross-size, --laws, --identification, --no-stall-check and --stall-hold do not apply")]
    [InlineData("--protocol 17 --data /nonexistent --rank --stall-hold level", "--rank fits protocol 3's ensemble members as declared")]
    [InlineData("--protocol 17 --data /nonexistent --rank --identification free", "--rank fits protocol 3's ensemble members as declared")]
    [InlineData("--protocol 17 --data /nonexistent-p17r --rank", "/nonexistent-p17r")]
    // Protocols 3h and 17h (--lr-holdout): protocol 3 or protocol 17 with --rank only, ensemble-lr's members as declared, a missing folder named.
    [InlineData("--protocol 1 --data /nonexistent --lr-holdout", "--lr-holdout applies to protocol 3 and to protocol 17 with --rank only (got --protocol 1)")]
    [InlineData("--protocol 17 --data /nonexistent --lr-holdout", "(got --protocol 17 without --rank)")]
    [InlineData("--protocol 3 --data /nonexistent --lr-holdout --laws tissue", "--lr-holdout fits ensemble-lr's declared members as rank does")]
    [InlineData("--protocol 3 --data /nonexistent --lr-holdout --ensemble", "--lr-holdout fits ensemble-lr's declared members as rank does")]
    [InlineData("--protocol 3 --data /nonexistent --lr-holdout --fit-on train", "--fit-on")]
    [InlineData("--protocol 3 --data /nonexistent-p3h --lr-holdout", "/nonexistent-p3h/lr-scheduling/data not found (protocol 3")]
    [InlineData("--protocol 17 --data /nonexistent-p17h --rank --lr-holdout", "/nonexistent-p17h")]
    public void Options_are_refused_where_they_do_not_apply_or_lack_what_they_need(string arguments, string expected)
    {
        string line = Cli.Run(["validate", .. Cli.Split(arguments)]).AssertUsageError();
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }
}
