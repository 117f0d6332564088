using System.Globalization;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Output;
using HyperLaws.Planning;
using HyperLaws.Runs;
using HyperLaws.Validation;
using Spectre.Console;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Tables and JSON of <c>hyperlaws validate --protocol 6</c> (<see cref="PlanBacktestScoreboard"/>: the backtest of <c>plan</c>, <see cref="PlanBacktest"/>).</summary>
internal sealed class PlanBacktestRenderer : IResultRenderer<PlanBacktestScoreboard>
{
    /// <summary>The renderer (stateless).</summary>
    public static readonly PlanBacktestRenderer Instance = new();

    /// <inheritdoc/>
    public JsonNode ToJson(PlanBacktestScoreboard scoreboard) => ToJson(scoreboard.Result);

    /// <inheritdoc/>
    public void WriteTable(CliIo io, PlanBacktestScoreboard scoreboard)
    {
        var result = scoreboard.Result;
        foreach (var h in result.Horizons) Print(io, result, h);
        io.Table().MarkupLine(Markup.Escape(FormattableString.Invariant(
            $"regret = final-val loss of the grid run the plan maps to / the best final-val loss at H - 1. Prediction errors: predicted / actual - 1; 'law on run' is the fitted law on the mapped run's exact schedule, against its final-val and against its last logged point of the fitted curve. Divergence screen: {(result.Options.Divergence is null ? "none" : result.Options.DivergenceSource)}. {result.Seconds:0} s in all.")));
    }

    private static string Pct(double v, int decimals = 2) => double.IsFinite(v) ? Format.Percent(v, decimals) : "-";

    private static string Loss(double v) => double.IsFinite(v) ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "-";

    private static string Run(GridRun r) => FormattableString.Invariant($"{r.Label} @ {Format.G(r.Lr, 3)}");

    private static void Print(CliIo io, PlanBacktestResult result, HorizonBacktest h)
    {
        var console = io.Table();
        var inv = CultureInfo.InvariantCulture;
        string title = string.Create(inv, $"Protocol 6, plan backtest at H = {h.Horizon} steps: learned from {h.Available.Count} runs of horizon < {h.Horizon} (stable runs cut to {h.LearnedFrom}); best of the {h.GridRuns} grid runs at H: {Run(h.Best)}, {Loss(h.Best.FinalLoss)}");
        var baselines = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(title)).AddColumn("baseline").AddColumn("scored as")
            .AddColumn(new TableColumn("final-val").RightAligned()).AddColumn(new TableColumn("regret").RightAligned());
        foreach (var b in h.Baselines)
            baselines.AddRow([.. new[] { b.Rule, b.Run is null ? "-" : Run(b.Run), Loss(b.Loss), Pct(b.Regret, 3) }.Select(Markup.Escape)]);
        console.Write(baselines);
        if (h.Calibration is { } cal)
            console.MarkupLine(Markup.Escape(string.Create(inv, $"LR calibration on those runs: optimum {Format.G(cal.LearningRate0, 3)} at {Format.Count(cal.Tokens0, 3)} tokens ({cal.Optima.Count} budget(s)){(cal.LearningRateExponent is { } e ? $", moving as D^{e:0.###}" : "")}.")));

        var plans = new Table().Border(TableBorder.Rounded).Title("the plans' choices, scored by the nearest grid run");
        foreach (var c in new[] { "law", "fit on", "plan", "law's peak", "scored as", "regret", "tie's regret", "law's pick of the grid runs", "time" })
            plans.AddColumn(new TableColumn(Markup.Escape(c)));
        var accuracy = new Table().Border(TableBorder.Rounded).Title("the plans' predicted final loss against that run");
        foreach (var c in new[] { "law", "fit on", "predicted [interval]", "held-out error", "final-val", "error", "law on run: final-val / fitted curve", "in interval" })
            accuracy.AddColumn(new TableColumn(Markup.Escape(c)));
        var correction = new Table().Border(TableBorder.Rounded).Title("the horizon-bias correction in those predictions (PlanOptions.HorizonBias), and the law's own prediction");
        foreach (var c in new[] { "law", "fit on", "bias b (runs, LR)", "law's own prediction", "its error", "in its interval", "held-out error, corrected" })
            correction.AddColumn(new TableColumn(Markup.Escape(c)));
        foreach (var c in h.Cases)
        {
            string interval = double.IsNaN(c.Lower) ? "(none)" : $"[{Loss(c.Lower)}, {Loss(c.Upper)}]";
            string[] choice = [c.Law, PlanBacktest.Name(c.FitOn), c.Choice.ToString(), Format.G(c.UnitPeak, 3), Run(c.Match.Run), Pct(c.Regret, 3), Pct(c.TiedRegret, 3),
                $"{Run(c.GridPick)} ({Pct(c.GridPickRegret, 3)})", string.Create(inv, $"{c.Seconds:0.0} s")];
            plans.AddRow([.. choice.Select(Markup.Escape)]);
            string[] error = [c.Law, PlanBacktest.Name(c.FitOn), $"{Loss(c.Predicted)} {interval}", Pct(c.HeldOutError), Loss(c.Actual), Pct(c.PredictionError),
                $"{Pct(c.LawOnGridError)} / {Pct(c.LawOnGridSplitError)}", c.Covers is { } v ? (v ? "yes" : "no") + (c.CoversSplit is { } s ? (s ? " / yes" : " / no") : "") : "-"];
            accuracy.AddRow([.. error.Select(Markup.Escape)]);
            string[] corrected = [c.Law, PlanBacktest.Name(c.FitOn), Bias(c.Correction), Loss(c.LawPredicted), Pct(c.LawPredictionError),
                c.LawCovers is { } lc ? (lc ? "yes" : "no") : "-", Pct(c.HeldOutCorrectedError)];
            correction.AddRow([.. corrected.Select(Markup.Escape)]);
        }
        console.Write(plans);
        console.Write(accuracy);
        console.Write(correction);
        foreach (var split in result.Options.FitOn)
            if (result.Options.Laws.Count > 1 && h.PlannerChoice(split) is { } auto)
                console.MarkupLine(Markup.Escape($"fit on {PlanBacktest.Name(split)}: the planner with --laws {string.Join(',', result.Options.Laws)} plans with {auto.Law} "
                    + (double.IsFinite(auto.HeldOutError) ? $"(smallest held-out final-loss error, {Pct(auto.HeldOutError)} on {auto.HeldOutWorst})" : "(nothing to hold out: the first law)")
                    + (h.PlannerChoice(split, corrected: true) is { } byCorrected && double.IsFinite(byCorrected.HeldOutCorrectedError)
                        ? $"; with the horizon-bias correction on, by the corrected held-out error: {byCorrected.Law} ({Pct(byCorrected.HeldOutCorrectedError)}; "
                          + string.Join(", ", h.Cases.Where(c => c.FitOn == split).Select(c => $"{c.Law} {Pct(c.HeldOutCorrectedError)}")) + ")."
                        : ".")));
        foreach (var c in h.Cases.Where(c => c.Match.Notes.Count > 0).DistinctBy(c => (c.Choice, c.Match.Run)))
            console.MarkupLine(Markup.Escape($"  {c.Choice} -> {Run(c.Match.Run)}: {string.Join("; ", c.Match.Notes)}"));
    }

    private static string Bias(HorizonCorrection c) => c.Residuals == 0 ? "-"
        : FormattableString.Invariant($"{(c.Bias >= 0 ? "+" : "")}{Pct(c.Bias)} ({c.Residuals}{(double.IsFinite(c.PeakLr) ? ", " + Format.G(c.PeakLr, 3) : ", pooled")}{(c.FinalEvaluation ? ", final-val" : "")}){(c.Applied ? "" : " not applied")}");

    private static JsonObject ToJson(PlanBacktestResult r) => new()
    {
        ["protocol"] = 6,
        ["target"] = "history.final-val: loss on the full validation set after the last step",
        ["parameters"] = r.Parameters,
        ["batchTokens"] = r.Options.BatchTokens,
        ["sequenceLength"] = r.Options.SequenceLength,
        ["divergence"] = r.Options.Divergence is null ? "none" : r.Options.DivergenceSource,
        ["finiteSampleIntervals"] = r.Options.FiniteSampleIntervals,
        ["centredIntervals"] = r.Options.CentredIntervals,
        ["crossStepIntervals"] = r.Options.CrossStepIntervals,
        ["pseudoStepIntervals"] = r.Options.PseudoStepIntervals,
        ["shapeIntervals"] = r.Options.ShapeIntervals,
        ["anchoredLoss"] = r.Options.AnchoredLoss,
        ["anchoredIntervalPairs"] = r.Options.AnchoredIntervalPairs,
        ["anchorAcrossLr"] = r.Options.AnchorAcrossLr.ToString(),
        ["forceAnchorAcrossLr"] = r.Options.ForceAnchorAcrossLr,
        ["runsPeak"] = r.Options.PeakFromRunsEvidence,
        ["runsBest"] = r.Options.PeakFromRunsBest,
        ["runsPeakFinalEvaluation"] = r.Options.PeakFromFinalEvaluation,
        ["heldOutRidgeTolerance"] = r.Options.HeldOutRidgeTolerance,
        ["seconds"] = Math.Round(r.Seconds, 1),
        ["excluded"] = Json.Strings(r.Excluded),
        ["horizons"] = new JsonArray([.. r.Horizons.Select(h => (JsonNode)new JsonObject
        {
            ["horizon"] = h.Horizon,
            ["learnedFrom"] = h.LearnedFrom,
            ["available"] = Json.Strings(h.Available),
            ["gridRuns"] = h.GridRuns,
            ["best"] = RunJson(h.Best),
            ["calibration"] = h.Calibration is { } c ? new JsonObject
            {
                ["learningRate"] = c.LearningRate0,
                ["tokens"] = c.Tokens0,
                ["budgets"] = c.Optima.Count,
                ["learningRateExponent"] = c.LearningRateExponent is { } e ? Json.Number(e) : null,
            } : null,
            ["baselines"] = new JsonArray([.. h.Baselines.Select(b => (JsonNode)new JsonObject
            {
                ["name"] = b.Name,
                ["rule"] = b.Rule,
                ["run"] = b.Run is null ? null : RunJson(b.Run),
                ["loss"] = b.Loss,
                ["regret"] = b.Regret,
            })]),
            ["plannerChoice"] = new JsonObject(r.Options.FitOn.Select(s => KeyValuePair.Create(PlanBacktest.Name(s), (JsonNode?)h.PlannerChoice(s)?.Law))),
            ["plannerChoiceCorrected"] = new JsonObject(r.Options.FitOn.Select(s => KeyValuePair.Create(PlanBacktest.Name(s), (JsonNode?)h.PlannerChoice(s, corrected: true)?.Law))),
            ["plans"] = new JsonArray([.. h.Cases.Select(c => (JsonNode)CaseJson(c))]),
        })]),
    };

    internal static JsonObject RunJson(GridRun r) => new()
    {
        ["name"] = r.Name,
        ["schedule"] = r.Label,
        ["lr"] = r.Lr,
        ["horizon"] = r.Horizon,
        ["finalLoss"] = Json.Number(r.FinalLoss),
    };

    internal static JsonObject CaseJson(BacktestCase c) => new()
    {
        ["law"] = c.Law,
        ["fitOn"] = PlanBacktest.Name(c.FitOn),
        ["runs"] = c.Runs,
        ["seconds"] = Math.Round(c.Seconds, 2),
        ["rule"] = c.RuleSource,
        ["choice"] = new JsonObject
        {
            ["family"] = c.Choice.Family,
            ["peak"] = c.Choice.Peak,
            ["peakInRunsUnits"] = c.UnitPeak,
            ["warmup"] = c.Choice.Warmup,
            ["cooldown"] = c.Choice.Cooldown,
            ["floor"] = c.Choice.Floor,
        },
        ["scoredAs"] = RunJson(c.Match.Run),
        ["mappingNotes"] = Json.Strings(c.Match.Notes),
        ["tiedWith"] = c.Match.Tied is { } t ? RunJson(t) : null,
        ["regret"] = c.Regret,
        ["tiedRegret"] = Json.Number(c.TiedRegret),
        ["gridPick"] = RunJson(c.GridPick),
        ["gridPickRegret"] = c.GridPickRegret,
        ["predicted"] = Json.Number(c.Predicted),
        ["lower"] = Json.Number(c.Lower),
        ["upper"] = Json.Number(c.Upper),
        ["intervalRule"] = c.IntervalRule,
        ["relativeWidth"] = Json.Number(c.RelativeWidth),
        ["heldOutFinalError"] = Json.Number(c.HeldOutError),
        ["heldOutWorst"] = c.HeldOutWorst,
        ["heldOutCorrectedError"] = Json.Number(c.HeldOutCorrectedError),
        ["actual"] = c.Actual,
        ["actualFittedCurve"] = Json.Number(c.ActualSplit),
        ["predictionError"] = Json.Number(c.PredictionError),
        ["lawOnRun"] = Json.Number(c.LawOnGrid),
        ["lawOnRunError"] = Json.Number(c.LawOnGridError),
        ["lawOnRunErrorFittedCurve"] = Json.Number(c.LawOnGridSplitError),
        ["horizonBias"] = new JsonObject
        {
            ["bias"] = Json.Number(c.Correction.Bias),
            ["residuals"] = c.Correction.Residuals,
            ["peakLr"] = Json.Number(c.Correction.PeakLr),
            ["finalEvaluation"] = c.Correction.FinalEvaluation,
            ["applied"] = c.Correction.Applied,
        },
        // The peak's guard and the runs' own evidence on the peak (PeakEvidence): whether there was any, and whether it moved the peak.
        ["peakGuard"] = c.PeakGuard?.ToString(),
        ["runsEvidence"] = c.RunsEvidence is { } re ? new JsonObject
        {
            ["kind"] = re.Kind.ToString(),
            ["bestPeak"] = re.BestPeak,
            ["bestRun"] = re.BestRun,
            ["bestLoss"] = re.BestLoss,
            ["lower"] = Json.Number(re.Lower),
            ["upper"] = Json.Number(re.Upper),
            ["peaks"] = re.Peaks,
            ["runs"] = re.Runs,
            ["split"] = PlanBacktest.Name(re.Split),
            ["finalEvaluation"] = re.FinalEvaluation,
            ["movedPeak"] = c.PeakGuard == GuardKind.RunsEvidence,
        } : null,
        ["observedBest"] = c.ObservedBest is { } ob ? new JsonObject
        {
            ["outcome"] = ob.Outcome.ToString(),
            ["applied"] = ob.Applied,
            ["keptIncumbent"] = ob.KeptIncumbent,
            ["run"] = ob.Run,
            ["runLoss"] = Json.Number(ob.RunLoss),
            ["runsCompared"] = ob.RunsCompared,
            ["incumbent"] = ob.Incumbent,
            ["lawPick"] = ob.Pick,
            ["shapeMismatch"] = Json.Number(ob.ShapeMismatch),
            ["pickLoss"] = Json.Number(ob.PickLoss),
            ["incumbentLoss"] = Json.Number(ob.IncumbentLoss),
            ["keptLoss"] = Json.Number(ob.KeptLoss),   // the kept schedule's loss (rebuilt at its run's own warmup; NaN when not kept)
            ["gain"] = Json.Number(ob.Gain),
            ["threshold"] = Json.Number(ob.Threshold),
            ["comparisons"] = ob.Comparisons,
        } : null,
        ["anchored"] = c.Anchored is { } an ? new JsonObject
        {
            ["applied"] = an.Applied,
            ["anchored"] = an.Anchored,
            ["run"] = an.Run,
            ["runSteps"] = an.RunSteps,
            ["runPeak"] = Json.Number(an.RunPeak),
            ["observed"] = Json.Number(an.Observed),
            ["finalEvaluation"] = an.FinalEvaluation,
            ["tailEstimate"] = an.Tail,
            ["lastLogged"] = Json.Number(an.LastLogged),
            ["lawOnRun"] = Json.Number(an.LawOnRun),
            ["lawAtTarget"] = Json.Number(an.LawAtTarget),
            ["ratio"] = Json.Number(an.Ratio),
            ["predicted"] = Json.Number(an.Predicted),
            ["lower"] = Json.Number(an.Lower),
            ["upper"] = Json.Number(an.Upper),
            ["error"] = Json.Number(an.Predicted / c.Actual - 1),
            ["covers"] = PlanBacktest.Covers(an.Lower, an.Upper, c.Actual),
            ["residuals"] = an.Residuals,
            ["calibrated"] = an.Calibrated,
            ["distance"] = Json.Number(an.Distance),
            ["withoutPredicted"] = Json.Number(an.WithoutLoss),
            ["withoutLower"] = Json.Number(an.WithoutLower),
            ["withoutUpper"] = Json.Number(an.WithoutUpper),
            // The residuals that calibrate the interval (AnchoredLoss.Residuals): the forward check of docs/VALIDATION.md "Protocol 6: the anchored interval from every horizon pair" reads them.
            ["calibration"] = new JsonArray([.. an.CalibrationResiduals.Select(x => (JsonNode)new JsonObject
            {
                ["run"] = x.Run,
                ["predicted"] = Json.Number(x.Predicted),
                ["actual"] = Json.Number(x.Actual),
                ["relative"] = Json.Number(x.Relative),
                ["horizonRatio"] = Json.Number(x.Distance.HorizonRatio),
                ["distance"] = Json.Number(x.Distance.Value),
            })]),
            ["acrossLr"] = an.AcrossLr,
            ["lrRatio"] = Json.Number(an.LrRatio),
            ["lrLaw"] = an.LrLaw,
            ["lawAtRunPeak"] = Json.Number(an.LawAtRunPeak),
            ["lrLawAtTarget"] = Json.Number(an.LrLawAtTarget),
            ["lrLawAtRunPeak"] = Json.Number(an.LrLawAtRunPeak),
            ["widening"] = Json.Number(an.Widening),
            ["lawRatioPredicted"] = Json.Number(an.LawRatioPredicted),
        } : null,
        // The anchor's O(a) estimators with each run's final evaluation hidden (AnchorTailCheck; docs/VALIDATION.md "The plan's anchor without a final evaluation").
        ["anchorTail"] = new JsonArray([.. c.AnchorTail.Select(x => (JsonNode)new JsonObject
        {
            ["run"] = x.Run,
            ["steps"] = x.Steps,
            ["final"] = Json.Number(x.Final),
            ["lastLogged"] = Json.Number(x.LastLogged),
            ["tail"] = Json.Number(x.Tail),
            ["lawAtEnd"] = Json.Number(x.LawAtEnd),
            ["line"] = Json.Number(x.Line),
            ["points"] = x.Points,
        })]),
        ["lawPredicted"] = Json.Number(c.LawPredicted),
        ["lawPredictionError"] = Json.Number(c.LawPredictionError),
        ["lawCovers"] = c.LawCovers,
        ["covers"] = c.Covers,
        ["coversFittedCurve"] = c.CoversSplit,
    };
}
