using HyperLaws.Cli.Output;
using HyperLaws.Optimum;
using HyperLaws.Planning;
using HyperLaws.Theory.Verification;
using HyperLaws.Validation;

namespace HyperLaws.Cli.Commands.Demo;

/// <summary>
/// The demo's three steps on its settings, each a core call returning its result: the held-out law scores of one size, the
/// LMO check's verdict (its files written by <c>verify</c>), and the plan's target and options. The command prints between them.
/// </summary>
internal static class DemoHandler
{
    /// <summary>Step 1: the laws fitted on 3 curves of <paramref name="size"/> (through the fit cache unless --no-fit-cache) and scored on the other 6 (protocol 1).</summary>
    public static SizeResult HeldOut(DemoSettings settings, string size, Action<string>? progress) =>
        UserInputException.Guard(() => MplSplit.Run(settings.DataRoot, size, settings.Laws, progress, settings.FitCache));

    /// <summary>
    /// Step 1 for every size of <see cref="MplSplit.Sizes"/>, in that order. With <see cref="DemoSettings.Parallel"/> every
    /// (size, law) fit starts at once on the thread pool (the fits are independent; issue 12: the demo's first part used one
    /// core) and each returned call waits for its size, so the caller renders in order and the first failure in order is the
    /// one thrown; the scores are those of the sequential path, which computes each size when its call is made.
    /// </summary>
    public static IReadOnlyList<Func<SizeResult>> HeldOutAll(DemoSettings settings, Action<string>? progress)
    {
        if (!settings.Parallel)
            return [.. MplSplit.Sizes.Select(size => (Func<SizeResult>)(() => HeldOut(settings, size, progress)))];
        // One task per (size, law), each MplSplit.Run on that law alone; a size's result joins its laws' scores in --laws order.
        var jobs = MplSplit.Sizes.Select(size => settings.Laws.Select(law =>
            Task.Run(() => HeldOut(settings with { Laws = [law] }, size, progress))).ToArray()).ToArray();
        return [.. jobs.Select(laws => (Func<SizeResult>)(() =>
        {
            var parts = laws.Select(t => t.GetAwaiter().GetResult()).ToArray();
            return parts[0] with { Scores = [.. parts.SelectMany(p => p.Scores)] };
        }))];
    }

    /// <summary>Step 2: the LMO closed forms against numerical optimisation; writes verify.json and the figures under OUT/lmo; 0 when all match.</summary>
    public static int Lmo(DemoSettings settings, TextWriter errors) =>
        Verify.VerifyCommand.Run(new CliIo(TextWriter.Null, errors), new VerificationOptions(), LmoDir(settings), figures: true, json: false, quiet: true);

    /// <summary>Where step 2 writes its files.</summary>
    public static string LmoDir(DemoSettings settings) => Path.Combine(settings.OutDir, "lmo");

    /// <summary>Where step 3 writes the plan.</summary>
    public static string PlanDir(DemoSettings settings) => Path.Combine(settings.OutDir, "plan");

    /// <summary>Step 3's target: the shipped runs and a request for 10x the budget of the largest.</summary>
    public static DemoPlanTarget Target(DemoSettings settings)
    {
        string curves = MplSplit.CurveFolder(settings.DataRoot);
        var runs = LawRuns.Load([curves], recursive: true);
        var largest = RunReferences.Of(runs, runs.Max(x => x.Metadata.Parameters ?? 0), TrainingOptimizer.AdamW, null, StepLawRule.Instance);
        var request = new PlanRequest(largest.Parameters, 10 * largest.Tokens, TrainingOptimizer.AdamW);
        return new DemoPlanTarget(runs, largest, request, curves);
    }

    /// <summary>Step 3's options (the shipped divergence and LR-axis priors when present) and its provenance (the equivalent 'hyperlaws plan' line).</summary>
    public static (PlanOptions Options, Provenance Provenance) PlanSetup(DemoSettings settings, DemoPlanTarget target, Action<string>? progress)
    {
        string prior = Path.Combine(settings.DataRoot, "priors", Path.GetFileName(Plan.PlanCommand.DefaultDivergence));
        string lrPrior = Path.Combine(settings.DataRoot, "priors", Path.GetFileName(LrPrior.LrPriorCommand.DefaultPrior));
        var options = new PlanOptions
        {
            LrPrior = File.Exists(lrPrior) ? Plan.PlanCommand.LoadLrPrior(lrPrior) : null,
            LrPriorSource = $"shipped prior {Path.GetFileName(lrPrior)}",
            Laws = settings.Laws,
            Divergence = File.Exists(prior) ? DivergenceScreenOptions.Load(prior) : null,
            DivergenceSource = $"shipped prior {Path.GetFileName(Plan.PlanCommand.DefaultDivergence)} (fitted on the Step Law runs)",
            Progress = progress is null ? null : line => progress($"plan: {line} ..."),
            FitCache = settings.FitCache,
        };
        // The plan's rerun command: the same request, runs, laws and prior as 'hyperlaws plan' options.
        var words = new List<string> { "hyperlaws", "plan", "--params", Format.G(target.Request.Parameters, 17), "--tokens", Format.G(target.Request.Tokens, 17),
            "--runs", Path.GetFullPath(target.Curves), "--laws", string.Join(',', settings.Laws), "--out", Path.GetFullPath(PlanDir(settings)) };
        words.AddRange(File.Exists(prior) ? ["--divergence", Path.GetFullPath(prior)] : ["--no-divergence"]);
        words.AddRange(File.Exists(lrPrior) ? ["--lr-prior", Path.GetFullPath(lrPrior)] : ["--no-lr-prior"]);
        return (options, Provenance.Of(string.Join(' ', words.Select(Provenance.Quote)), DateTime.UtcNow));
    }
}
