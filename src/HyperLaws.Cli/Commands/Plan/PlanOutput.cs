using System.Globalization;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Output;
using HyperLaws.Planning;
using HyperLaws.Runs;
using HyperLaws.Schedules;
using Spectre.Console;

namespace HyperLaws.Cli.Commands.Plan;

/// <summary>
/// A <see cref="TrainingPlan"/> as JSON (plan.json, format version 2: every decision as numbers, with its words) and as tables
/// for people. The words come from <see cref="PlanExplainer"/>; this front end adds the hints that name its own options.
/// </summary>
internal static class PlanOutput
{
    /// <summary>How a user gives runs their size (<see cref="WarningKind.RunsSizeUnknownLeftOut"/>, <see cref="WarningKind.SizeUnknown"/>).</summary>
    private const string GiveSize = "give their size with `hyperlaws import --params`, or the `# params:` line of a run file";

    /// <summary>The command-line hint for a warning, appended to the explainer's words (null: none).</summary>
    public static string? Hint(PlanWarning w) => w.Kind switch
    {
        WarningKind.RunsBatchAssumed => "give it with --runs-batch-tokens",
        WarningKind.RunsAtSeveralBatches => "give --runs the runs of one batch",
        WarningKind.RunsSequenceLengthUnsettled => "give it with --seq-len",
        WarningKind.RunsSizeUnknownLeftOut => GiveSize,
        // A target at another size than the runs' gets no size scaling of its LR while the runs' size is unknown (foreign-usage
        // matrix, plan10x: MLPerf's 8B runs planned at 80B raised the peak).
        WarningKind.SizeUnknown => GiveSize + ", and the peak LR is scaled from it to the target's",
        WarningKind.AnchorPrior => "`hyperlaws sweep` proposes the runs that would calibrate them",
        WarningKind.PeakGuarded => "`hyperlaws sweep` designs such runs",
        WarningKind.WarmupGuarded => "--warmup STEPS sets your own",
        WarningKind.LrAxisFromPrior => "runs at two or more peak LRs let the law fit it (`hyperlaws sweep`)",
        WarningKind.LrAxisPriorNotPhysical => "runs at two or more peak LRs let the law fit the LR axis (`hyperlaws sweep`); --no-lr-prior plans so without trying the prior",
        WarningKind.NotScreened => "give one with --divergence",
        WarningKind.DivergenceRisk => "a lower peak or runs around it (`hyperlaws sweep`) would settle it",
        WarningKind.NoDivergencePrior => "a model fitted on runs of this optimizer (`hyperlaws diverge --fit`) can be given with --divergence",
        _ => null,
    };

    /// <summary>False when the plan carries a <see cref="WarningKind.LossNotPhysical"/> warning: its predicted losses cannot be trusted.</summary>
    public static bool LossTrusted(TrainingPlan plan) => !plan.Warnings.Any(w => w.Kind == WarningKind.LossNotPhysical);

    /// <summary>A warning in words with its command-line hint.</summary>
    public static string Text(PlanWarning w) => PlanExplainer.Warning(w) + (Hint(w) is { } h ? "; " + h : "");

    /// <summary>A reason in words; the source of a fixed batch names its option.</summary>
    public static PlanExplainer.Line Text(PlanReason r, string law)
    {
        var line = PlanExplainer.Reason(r, law);
        return r.Kind == ReasonKind.BatchFixed ? line with { Source = "--batch-tokens" } : line;
    }

    /// <summary>The plan as JSON; with <paramref name="provenance"/>, a "provenance" object (tool version, commit, date, rerun command).</summary>
    public static JsonObject ToJson(TrainingPlan plan, Provenance? provenance = null)
    {
        var hp = plan.Hyperparameters;
        return new JsonObject
        {
            ["format"] = PlanDocument.Format,
            ["version"] = PlanDocument.Version,
            ["provenance"] = provenance?.ToJson(),
            ["request"] = new JsonObject
            {
                ["parameters"] = plan.Request.Parameters,
                ["tokens"] = plan.Request.Tokens,
                ["optimizer"] = plan.Request.Optimizer.Name(),
                ["sequenceLength"] = plan.Request.SequenceLength,
                ["batchMultiple"] = plan.Request.BatchMultiple,
            },
            ["hyperparameters"] = new JsonObject
            {
                ["batchTokens"] = hp.BatchTokens,
                ["batchSequences"] = hp.BatchSequences,
                ["steps"] = hp.Steps,
                ["momentum"] = Json.Number(hp.Momentum),
                ["ruleLearningRate"] = Json.Number(hp.RuleLearningRate),
                ["source"] = hp.Source,
                ["sourceName"] = hp.SourceName,
            },
            ["law"] = plan.Law,
            ["lossTrusted"] = LossTrusted(plan),
            ["best"] = Schedule(plan.Best),
            ["runnerUps"] = new JsonArray([.. plan.RunnerUps.Select(s => (JsonNode)Schedule(s))]),
            ["interval"] = Interval(plan),
            ["intervalMethod"] = PlanExplainer.Interval(plan),
            ["decisions"] = new JsonObject
            {
                ["peakLr"] = Axis(plan.Decision(PlanAxis.PeakLr)),
                ["warmup"] = Axis(plan.Decision(PlanAxis.Warmup)),
                ["cooldown"] = Axis(plan.Decision(PlanAxis.Cooldown)),
            },
            ["reasons"] = new JsonArray([.. plan.Reasons.Select(r => (JsonNode)Reason(r, plan.Law))]),
            ["warnings"] = new JsonArray([.. plan.Warnings.Select(w => (JsonNode)Warning(w, Text(w)))]),
            ["accuracy"] = new JsonArray([.. plan.Accuracy.Select(a => (JsonNode)new JsonObject
            {
                ["law"] = a.Law, ["protocol"] = a.Protocol, ["predE"] = Json.Number(a.PredE), ["worstE"] = Json.Number(a.WorstE), ["finalError"] = Json.Number(a.FinalError),
                ["heldOut"] = Json.Strings(a.Curves.Select(c => c.Run)),
            })]),
            ["runs"] = Json.Strings(plan.Runs),
            ["runNotes"] = RunNotesJson.Of(plan.RunNotes),
        };
    }

    /// <summary>
    /// plan.json's "interval": its kind, Q, protocol, growth g, tails and rule; with --size-intervals and a size-separate calibration also
    /// "sizeGrowth" (g_N) and "sizeGrowthFitted", written only then, so the default plan's document is unchanged.
    /// </summary>
    private static JsonObject Interval(TrainingPlan plan)
    {
        var o = new JsonObject
        {
            ["kind"] = plan.Interval.ToString(),
            ["relativeError"] = Json.Number(plan.IntervalRelativeError),
            ["protocol"] = plan.IntervalProtocol,
            ["growth"] = Json.Number(plan.IntervalGrowth),
            ["lowerQuantile"] = Json.Number(plan.IntervalTails.Lower),
            ["upperQuantile"] = Json.Number(plan.IntervalTails.Upper),
            ["rule"] = plan.IntervalRule.Length == 0 ? null : plan.IntervalRule,
        };
        if (!double.IsNaN(plan.IntervalSizeGrowth))
        {
            o["sizeGrowth"] = Json.Number(plan.IntervalSizeGrowth);
            o["sizeGrowthFitted"] = plan.IntervalSizeGrowthFitted;
        }
        return o;
    }

    /// <summary>
    /// A structured warning as every command writes it (plan's "warnings", predict/rank/contour's "withheld", contour's "warnings"):
    /// kind, text, quantities (by name, ordinal order; not finite: null), values, labels.
    /// </summary>
    internal static JsonObject Warning(PlanWarning w, string text) => new()
    {
        ["kind"] = w.Kind.ToString(),
        ["text"] = text,
        ["quantities"] = Json.Quantities(w.Quantities),
        ["values"] = Numbers(w.Values),
        ["labels"] = Json.Strings(w.Labels),
    };

    private static JsonArray Numbers(IEnumerable<double> values) => new([.. values.Select(Json.Number)]);

    private static JsonObject Reason(PlanReason r, string law)
    {
        var line = Text(r, law);
        return new JsonObject
        {
            ["kind"] = r.Kind.ToString(),
            ["decides"] = line.Decides,
            ["source"] = line.Source,
            ["chosen"] = Json.Number(r.Chosen),
            ["chosenLabel"] = r.ChosenLabel.Length > 0 ? r.ChosenLabel : null,
            ["considered"] = new JsonArray([.. r.Considered.Select(o => (JsonNode)new JsonObject { ["label"] = o.Label, ["value"] = Json.Number(o.Value), ["loss"] = Json.Number(o.Loss) })]),
            ["quantities"] = Json.Quantities(r.Quantities),
            ["decisive"] = r.Decisive is { } d ? new JsonObject { ["term"] = d.Name, ["formula"] = d.Formula, ["difference"] = Json.Number(d.Difference) } : null,
            ["text"] = line.Text,
        };
    }

    /// <summary>An axis decision: chosen value and loss, the law's optimum, the bound, the interval, the guard, the evaluated points.</summary>
    private static JsonObject? Axis(AxisDecision? a) => a is null ? null : new JsonObject
    {
        ["chosen"] = Json.Number(a.Chosen),
        ["chosenLoss"] = Json.Number(a.ChosenLoss),
        ["optimum"] = Json.Number(a.Optimum),
        ["optimumLoss"] = Json.Number(a.OptimumLoss),
        ["bound"] = a.Bound.ToString(),
        ["search"] = new JsonObject { ["low"] = Json.Number(a.SearchLow), ["high"] = Json.Number(a.SearchHigh) },
        ["tolerance"] = Json.Number(a.Tolerance),
        ["interval"] = double.IsFinite(a.Tolerance)
            ? new JsonObject { ["lower"] = Json.Number(a.Lower), ["upper"] = Json.Number(a.Upper), ["lowerOpen"] = a.LowerOpen, ["upperOpen"] = a.UpperOpen, ["upperAtDivergence"] = a.UpperAtDivergence }
            : null,
        ["guard"] = a.Guard is { } g ? new JsonObject
        {
            ["kind"] = g.Kind.ToString(),
            ["limit"] = Json.Number(g.Limit),
            ["supportLow"] = Json.Number(g.SupportLow),
            ["supportHigh"] = Json.Number(g.SupportHigh),
            ["divergenceBoundary"] = Json.Number(g.DivergenceBoundary),
            ["sweepPeaks"] = Numbers(g.SweepPeaks),
            ["sweepPeaksInRunUnits"] = Numbers(g.SweepPeaksInRunUnits),
        } : a.WarmupGuard is { } wg ? new JsonObject
        {
            ["kind"] = "Warmup" + wg.Source,
            ["limit"] = Json.Number(wg.Limit),
            ["supported"] = Json.Number(wg.Supported),
            ["run"] = wg.Run,
            ["runPeak"] = Json.Number(wg.RunPeak),
            ["comparable"] = wg.Comparable,
            ["sweepWarmups"] = Numbers(wg.SweepWarmups),
        } : null,
        ["heldAt"] = a.HeldAt,
        ["points"] = new JsonArray([.. a.Points.Select(p => (JsonNode)new JsonArray(Json.Number(p.Value), Json.Number(p.Loss)))]),
    };

    private static JsonObject Schedule(PlannedSchedule s) => new()
    {
        ["schedule"] = s.Schedule.ToSpec(),
        ["family"] = s.Schedule.Family.Name,
        ["peak"] = s.Schedule is WarmupSchedule w ? w.Peak : null,
        ["warmup"] = s.Schedule is WarmupSchedule wu ? wu.Warmup : null,
        ["cooldown"] = s.Schedule is WsdSchedule ws ? ws.CooldownLength : null,
        ["steps"] = s.Schedule.Steps,
        ["predictedLoss"] = Json.Number(s.PredictedLoss),
        ["interval"] = double.IsNaN(s.Lower) ? null : new JsonObject { ["lower"] = Json.Number(s.Lower), ["upper"] = Json.Number(s.Upper) },
        ["diverges"] = s.Diverges,
        ["divergenceProbability"] = Json.Number(s.DivergenceProbability),
    };

    /// <summary>"x (lower..upper)" of an axis decision, "beyond" marking an open end.</summary>
    public static string WithInterval(AxisDecision a)
    {
        string v = PlanExplainer.Value(a.Axis, a.Chosen);
        if (!double.IsFinite(a.Tolerance)) return v;
        return $"{v} (interval {(a.LowerOpen ? "<=" : "")}{PlanExplainer.Value(a.Axis, a.Lower)} to {PlanExplainer.Value(a.Axis, a.Upper)}{(a.UpperOpen ? " or more" : "")})";
    }

    /// <summary>
    /// Where an axis value came from: the law's optimum, or the guard. <paramref name="risk"/>: the divergence guard's risk level
    /// (the Divergence reason's <c>risk</c>, <see cref="PlanOptions.DivergenceRisk"/>; NaN for a guard without one), said where it held the peak.
    /// </summary>
    public static string From(AxisDecision a, string law, double risk = double.NaN) => a.Guard switch
    {
        { Kind: GuardKind.Divergence } when risk < 0.5 => $"guard: the highest peak with P(diverge) under {Format.G(risk, 3)}",
        { Kind: GuardKind.AboveRuns } => $"guard: {law}'s optimum {(a.Bound == AxisBound.Interior ? PlanExplainer.Value(a.Axis, a.Optimum) : "is beyond the search")}; held at the runs' highest LR",
        { Kind: GuardKind.BelowRuns } => $"guard: {law}'s optimum {(a.Bound == AxisBound.Interior ? PlanExplainer.Value(a.Axis, a.Optimum) : "is below the search")}; held at the runs' lowest LR",
        { Kind: GuardKind.Divergence } => "guard: the highest peak that trains",
        { Kind: GuardKind.RunsEvidence } => $"guard: {law}'s optimum {(a.Bound == AxisBound.Interior ? PlanExplainer.Value(a.Axis, a.Optimum) : "is at the search's edge")}; held at the runs' own optimum",
        null when a.WarmupGuard is { Source: WarmupSource.Prior } => $"guard: {law}'s optimum {PlanExplainer.Value(a.Axis, a.Optimum)}; held at the stated prior ({(a.WarmupGuard.Run.Length > 0 ? "the highest-peak runs, below the plan's, have none" : "no run carries a warmup")})",
        null when a.WarmupGuard is { } wg => $"guard: {law}'s optimum {PlanExplainer.Value(a.Axis, a.Optimum)}; held at the runs' shortest warmup at {(wg.Comparable ? "a comparable" : "their highest")} peak ({wg.Run})",
        _ => a.Bound == AxisBound.Interior ? $"{law}'s optimum" : $"{law}: edge of the search",
    };

    /// <summary>The divergence guard's risk level the plan was made at (its Divergence reason's <c>risk</c>); NaN with no reason or a guard without a level.</summary>
    private static double Risk(TrainingPlan plan) =>
        plan.Reasons.FirstOrDefault(r => r.Kind == ReasonKind.Divergence) is { } r ? r.Q("risk") : double.NaN;

    /// <summary>The plan, the runner-ups, the reasons and the held-out accuracy as tables.</summary>
    public static void Write(IAnsiConsole console, TrainingPlan plan)
    {
        var hp = plan.Hyperparameters;
        var best = plan.Best;
        var w = best.Schedule as WarmupSchedule;
        var summary = new Table().Border(TableBorder.Rounded).Title("plan").AddColumn("setting").AddColumn("value").AddColumn("from");
        summary.AddRow("optimizer", plan.Request.Optimizer.Name(), "");
        summary.AddRow("model size N", Format.Count(plan.Request.Parameters), "");
        summary.AddRow("token budget T", Format.Count(plan.Request.Tokens), "");
        summary.AddRow("batch", Markup.Escape($"{hp.BatchSequences} x {plan.Request.SequenceLength} = {Format.Count(hp.BatchTokens)} tokens"), Markup.Escape(hp.SourceName));
        summary.AddRow("steps", hp.Steps.ToString(CultureInfo.InvariantCulture), "T / batch");
        summary.AddRow("momentum (beta1)", Format.Beta(Math.Round(hp.Momentum, 4)), Markup.Escape(hp.SourceName));
        summary.AddRow("schedule", Markup.Escape(best.Schedule.ToDisplaySpec()), Markup.Escape(plan.Law));
        if (w is not null)
        {
            var peak = plan.Decision(PlanAxis.PeakLr);
            summary.AddRow("peak LR", Markup.Escape(peak is null ? Format.G(w.Peak) : WithInterval(peak)),
                Markup.Escape((peak is null ? plan.Law : From(peak, plan.Law, Risk(plan))) + $"; {Format.G(w.Peak / hp.RuleLearningRate, 2)} x the rule's {Format.G(hp.RuleLearningRate)}"));
            var warm = plan.Decision(PlanAxis.Warmup);
            var warmReason = plan.Reasons.FirstOrDefault(r => r.Kind == ReasonKind.Warmup);
            string warmFrom = warmReason?.Q("given") == 1 ? "given (--warmup)"
                : warmReason?.Q("redecided") == 1 ? $"the kept run's own ({(warmReason.Labels.Count > 0 ? warmReason.Labels[0] : "")})"
                    + (warmReason.Q("heldAtLimit") == 1 ? ", held at the warmup guard's limit" : warmReason.Q("capped") == 1 ? ", capped at the search's top" : "")
                : warm is null ? plan.Law : From(warm, plan.Law);
            summary.AddRow("warmup", Markup.Escape(warm is null || warmReason?.Q("redecided") == 1 ? $"{w.Warmup} steps" : WithInterval(warm) + (warm.Chosen != w.Warmup ? $" = {w.Warmup} steps" : "")), Markup.Escape(warmFrom));
            if (plan.Decision(PlanAxis.Cooldown) is { } cool)
                summary.AddRow("cooldown", Markup.Escape(WithInterval(cool) + " of the run"), Markup.Escape(From(cool, plan.Law)));
        }
        // A loss the plan withholds (NaN: no physical loss, LossPlausibility.Withheld) is said in words, never printed as a number.
        summary.AddRow("predicted final loss", double.IsNaN(best.PredictedLoss) ? "[red]CANNOT BE PREDICTED on these runs (see warnings)[/]"
            : Markup.Escape(Format.G(best.PredictedLoss, 5) + (double.IsNaN(best.Lower) ? "" : $" ({Format.G(best.Lower, 5)} to {Format.G(best.Upper, 5)})"))
                + (LossTrusted(plan) ? "" : " [red]NOT PHYSICAL: cannot be trusted (see warnings)[/]"), Markup.Escape(plan.Law));
        if (best.Diverges is { } d)
            summary.AddRow("divergence", d ? "predicted to DIVERGE" : "predicted to train",
                Markup.Escape($"p = {Format.G(best.DivergenceProbability, 3)}" + (double.IsFinite(Risk(plan)) ? $"; the guard's level {Format.G(Risk(plan), 3)}" : "")));
        console.Write(summary);

        if (plan.RunnerUps.Count > 0)
        {
            var runners = new Table().Border(TableBorder.Rounded).Title("runner-ups").AddColumn("#").AddColumn("schedule").AddColumn(new TableColumn("predicted loss").RightAligned()).AddColumn("diverges");
            int i = 2;
            foreach (var s in plan.RunnerUps)
                runners.AddRow((i++).ToString(CultureInfo.InvariantCulture), Markup.Escape(s.Schedule.ToDisplaySpec()), double.IsNaN(s.PredictedLoss) ? "-" : Format.G(s.PredictedLoss, 5), s.Diverges is { } x ? (x ? "yes" : "no") : "?");
            console.Write(runners);
        }

        var why = new Table().Border(TableBorder.Rounded).Title("reasons").AddColumn("decides").AddColumn("by").AddColumn("why");
        foreach (var r in plan.Reasons)
        {
            var line = Text(r, plan.Law);
            why.AddRow(Markup.Escape(line.Decides), Markup.Escape(line.Source), Markup.Escape(line.Text));
        }
        console.Write(why);

        if (plan.Accuracy.Count > 0)
        {
            var acc = new Table().Border(TableBorder.Rounded).Title("laws on held-out runs").AddColumn("law").AddColumn(new TableColumn("PredE").RightAligned())
                .AddColumn(new TableColumn("WorstE").RightAligned()).AddColumn(new TableColumn("final-loss error").RightAligned()).AddColumn("protocol");
            foreach (var a in plan.Accuracy)
                acc.AddRow(Markup.Escape(a.Law), Format.Percent(a.PredE), Format.Percent(a.WorstE), Format.Percent(a.FinalError), Markup.Escape(a.Protocol));
            console.Write(acc);
        }
        if (plan.Warnings.Count > 0)
        {
            console.MarkupLine("[bold]warnings[/]");
            foreach (var warning in plan.Warnings) console.MarkupLine(Markup.Escape($"- {Text(warning)}."));
        }
    }
}
