using HyperLaws.Planning;
using HyperLaws.Runs;

namespace HyperLaws.Cli.Commands.Plan;

/// <summary>Makes the plan: request, runs and options -> <see cref="Planner"/> -> <see cref="TrainingPlan"/>; no console I/O.</summary>
internal static class PlanHandler
{
    /// <summary>The runs a plan learns from: those given, else the shipped Multi-Power-Law curves (searched with their subfolders).</summary>
    public static IReadOnlyList<TrainingRun> LoadRuns(IReadOnlyList<string>? given)
    {
        var runs = LawRuns.Load(given is { Count: > 0 } ? given : [Options.ShippedData.Resolve(PlanCommand.DefaultRuns)], recursive: true);
        // The planner's own refusal (RunReferences) cannot name the files; say which runs were given and why none is used.
        if (!runs.Any(r => !r.Diverged && r.Steps > 0 && r.LearningRates.Max() > 0))
            throw new UserInputException($"--runs: nothing to plan from: every run diverged or never had a positive learning rate ({string.Join("; ", runs.Take(3).Select(LawRuns.Describe))}{(runs.Count > 3 ? $"; and {runs.Count - 3} more" : "")}).");
        return runs;
    }

    /// <summary>
    /// The divergence probability at or above which plan warns about its peak (<see cref="WarningKind.DivergenceRisk"/>) by default: the core's
    /// stated level, <see cref="PlanOptions.StatedDivergenceRisk"/> (one run in four). One threshold for the warning and the guard: a plan
    /// warns at its own <see cref="PlanOptions.DivergenceRisk"/> (<c>--divergence-risk</c>). The audit: modded-nanogpt's runs (p14) gave a
    /// 124M plan whose peak had p = 0.49.
    /// </summary>
    public const double DivergenceRisk = PlanOptions.StatedDivergenceRisk;

    /// <summary><paramref name="plan"/> with a <see cref="WarningKind.DivergenceRisk"/> warning when its peak's divergence probability is at least <paramref name="threshold"/> (default <see cref="DivergenceRisk"/>).</summary>
    public static TrainingPlan WithDivergenceRisk(TrainingPlan plan, double threshold = DivergenceRisk)
    {
        ArgumentNullException.ThrowIfNull(plan);
        double p = plan.Best.DivergenceProbability;
        if (!(p >= threshold) || plan.Warnings.Any(w => w.Kind is WarningKind.DivergenceRisk or WarningKind.AllDiverge)) return plan;
        double peak = plan.Best.Schedule is HyperLaws.Schedules.WarmupSchedule ws ? ws.Peak : plan.Best.Schedule.Evaluate().Max();
        return plan with
        {
            Warnings = [.. plan.Warnings, new PlanWarning(WarningKind.DivergenceRisk) { Quantities = new Dictionary<string, double> { ["probability"] = p, ["threshold"] = threshold, ["peak"] = peak } }],
        };
    }

    /// <summary>The plan; a request the planner refuses is one line of user error (naming --warmup, --tokens or --runs-batch-tokens where the planner's refusal names that input, and --batch-steps steps where it offers that count: the core names no option).</summary>
    public static TrainingPlan Make(PlanRequest request, IReadOnlyList<TrainingRun> runs, PlanOptions options) =>
        UserInputException.Guard(() =>
        {
            try
            {
                return WithDivergenceRisk(Planner.Make(request, runs, options), options.DivergenceRisk);
            }
            catch (ArgumentException e) when (e.Data[nameof(PlanRequest)] is nameof(PlanRequest.WarmupSteps))
            {
                throw new UserInputException($"--warmup: {Output.ErrorText.OneLine(e.Message)}");
            }
            catch (ArgumentException e) when (e.Data[nameof(PlanRequest)] is nameof(PlanRequest.Tokens))
            {
                // A critical-batch count over the horizon: the core's "count a plan step as one step of the runs", which ends the line, is --batch-steps steps.
                string line = Output.ErrorText.OneLine(e.Message);
                if (e.Data[nameof(BatchSteps)] is nameof(BatchSteps.Steps) && line.EndsWith('.')) line = line[..^1] + " (--batch-steps steps).";
                throw new UserInputException($"--tokens: {line}");
            }
            catch (ArgumentException e) when (e.Data[nameof(PlanOptions)] is nameof(PlanOptions.RunsTokensPerStep))
            {
                throw new UserInputException($"--runs-batch-tokens: {Output.ErrorText.OneLine(e.Message)}");
            }
        });
}
