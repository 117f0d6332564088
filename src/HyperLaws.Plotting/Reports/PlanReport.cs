using HyperLaws.Planning;
using HyperLaws.Schedules;
using static HyperLaws.Plotting.Reports.ReportFormat;

namespace HyperLaws.Plotting.Reports;

/// <summary>
/// The report of a <see cref="TrainingPlan"/>: its figures (PNG, SVG, CSV; see <see cref="PlanFigures"/>) and
/// <c>report.html</c>, one self-contained page with the plan, the runner-ups, the reasons, the warnings, the figures
/// embedded, the law's held-out accuracy and the runs used.
/// </summary>
public static class PlanReport
{
    /// <summary>The report page's file name.</summary>
    public const string FileName = "report.html";

    /// <summary>
    /// Writes every figure and then <see cref="FileName"/> into <paramref name="directory"/> (created if needed) and returns
    /// the paths written, the report last. Everything is rendered into a hidden staging folder inside
    /// <paramref name="directory"/> first and moved into place only when all of it succeeded, so a failure never leaves a
    /// half-written report; the staging folder is removed either way.
    /// </summary>
    /// <param name="plan">The plan.</param>
    /// <param name="directory">The output folder.</param>
    /// <param name="meta">Extra lines under the title, split at "\n" (e.g. the provenance and the rerun command); the page holds no timestamp otherwise.</param>
    /// <param name="warningText">Words for a warning (default <see cref="PlanExplainer.Warning"/>; a front end may add its hints).</param>
    /// <param name="data">The figure data, when already computed (default: <see cref="PlanFigureData.Compute"/> here).</param>
    public static IReadOnlyList<string> Write(TrainingPlan plan, string directory, string? meta = null, Func<PlanWarning, string>? warningText = null, PlanFigureData? data = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        // The figure data (law evaluations) are computed here, only when a report is written.
        var figures = PlanFigures.Build(plan, data ?? PlanFigureData.Compute(plan));
        Directory.CreateDirectory(directory);
        string staging = Path.Combine(directory, $".plan-report-{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(staging);
        try
        {
            // The PNGs side by side (each figure renders its own plot: the same bytes as one after another) and, beside them on one
            // task, the SVGs one after another in the figures' order, as before, since the SVG writer numbers its clip paths across the
            // process; then each figure's files, side by side (each file written whole and flushed on its own: the flushes overlap).
            var png = new byte[figures.Figures.Count][];
            var svg = new string[figures.Figures.Count];
            IReadOnlyList<string>[] perFigure = new IReadOnlyList<string>[figures.Figures.Count];
            try
            {
                var svgs = Task.Run(() =>
                {
                    for (int i = 0; i < svg.Length; i++) svg[i] = figures.Figures[i].RenderSvg();
                });
                Parallel.For(0, png.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i => png[i] = figures.Figures[i].RenderPng());
                svgs.Wait();
                Parallel.For(0, perFigure.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i => perFigure[i] = figures.Figures[i].Write(staging, png[i], svg[i]));
            }
            catch (AggregateException e) when (e.InnerExceptions.Count > 0)
            {
                // As one after another: the (first) figure's own exception.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.Flatten().InnerExceptions[0]).Throw();
            }
            var staged = perFigure.SelectMany(f => f).ToList();
            var pngOf = new Dictionary<PlanFigure, byte[]>(ReferenceEqualityComparer.Instance);
            for (int i = 0; i < png.Length; i++) pngOf[figures.Figures[i]] = png[i];
            string html = Build(plan, figures, f => pngOf[f], meta, warningText).Render();
            string stagedReport = Path.Combine(staging, FileName);
            File.WriteAllText(stagedReport, html);
            staged.Add(stagedReport);

            // Renames within one folder: each file appears whole; the report last, once every figure it links to is there.
            var written = new List<string>(staged.Count);
            foreach (string file in staged)
            {
                string target = Path.Combine(directory, Path.GetFileName(file));
                File.Move(file, target, overwrite: true);
                written.Add(target);
            }

            return written;
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>
    /// The report page in memory: <paramref name="png"/> gives each figure's PNG bytes (e.g. <see cref="PlanFigure.RenderPng"/>,
    /// or the file already written); figure links point to the files <see cref="PlanFigure.FileNames"/> next to the page.
    /// </summary>
    public static HtmlReport Build(TrainingPlan plan, PlanFigureSet figures, Func<PlanFigure, byte[]> png, string? meta = null, Func<PlanWarning, string>? warningText = null)
    {
        warningText ??= PlanExplainer.Warning;
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(figures);
        ArgumentNullException.ThrowIfNull(png);
        var request = plan.Request;
        var h = plan.Hyperparameters;
        var report = new HtmlReport($"Training plan: {Count(request.Parameters)} parameters, {Count(request.Tokens)} tokens, {request.Optimizer.Name()}");
        report.Meta($"Schedule-to-loss law: {plan.Law} · batch, momentum and LR scale: {h.SourceName}, {SourceText(h.Source)} · "
            + (plan.Runs.Count == 0 ? "no runs of your own" : $"learned from {plan.Runs.Count} run{(plan.Runs.Count == 1 ? "" : "s")}"));
        if (!string.IsNullOrWhiteSpace(meta)) foreach (string line in meta.Split('\n')) report.Meta(line);

        report.Section("The plan", "plan").KeyValues(Summary(plan));
        if (plan.Warnings.Count > 0) report.Paragraph($"{plan.Warnings.Count} warning{(plan.Warnings.Count == 1 ? "" : "s")}: see below.");

        report.Section("Best plan and runner-ups", "runner-ups");
        if (plan.RunnerUps.Count == 0) report.Paragraph("No runner-up plan was asked for or found; the best plan alone:");
        else report.Paragraph("The candidate schedules ranked by the law's predicted final loss; the difference to the best tells how much the choice matters.");
        report.Table(["rank", "schedule", "peak LR", "warmup", "predicted loss", "interval", "vs best", "divergence p"],
            [.. new[] { plan.Best }.Concat(plan.RunnerUps).Select((s, i) => CandidateRow(i + 1, s, plan.Best.PredictedLoss))],
            [true, false, true, true, true, false, true, true]);

        report.Section("Why", "reasons");
        if (plan.Reasons.Count == 0) report.Paragraph("The plan gave no reasons.");
        else report.Table(["decides", "source", "reason"], [.. PlanExplainer.Reasons(plan).Select(r => (IReadOnlyList<string>)[r.Decides, r.Source, r.Text])], [false, false, false]);

        report.Section("Warnings", "warnings");
        if (plan.Warnings.Count == 0) report.Paragraph("No warnings were raised.");
        else report.Warnings([.. plan.Warnings.Select(warningText)], $"{plan.Warnings.Count} warning{(plan.Warnings.Count == 1 ? "" : "s")}");
        // What the readers noticed about the runs (a torn tail, an estimated size, ...): plan.json's runNotes, in the explainer's words,
        // one line per kind with its runs folded below it when there are several (a grid of resumed jobs has dozens of one kind).
        if (plan.RunNotes.Count > 0)
            report.WarningGroups(
                [.. plan.RunNotes.GroupBy(n => n.Kind).OrderBy(g => g.Key)
                    .Select(g => (PlanExplainer.RunNoteGroup(g.Key, g.Count()), (IReadOnlyList<string>)[.. g.Select(PlanExplainer.RunNote)]))],
                $"{plan.RunNotes.Count} note{(plan.RunNotes.Count == 1 ? "" : "s")} on reading the runs");

        report.Section("Figures", "figures");
        report.Paragraph("Each figure is also written next to this page as PNG and SVG, with the data behind it as CSV.");
        foreach (var figure in figures.Figures)
        {
            report.Heading(figure.Title);
            report.Figure(png(figure), figure.Title, figure.Caption, figure.FileNames.Select(f => new HtmlLink(LinkText(figure.Name, f), f)));
        }

        if (figures.Skipped.Count > 0) report.Paragraph("Not drawn:").Bullets(figures.Skipped);

        report.Section("Accuracy of the law on held-out runs", "accuracy");
        if (plan.Accuracy.Count == 0)
        {
            report.Paragraph("No held-out accuracy was given: the predicted loss has not been checked on runs the law was not fitted on.");
        }
        else
        {
            report.Paragraph("Each law fitted on some runs and scored on others (the protocol column says which). PredE: mean relative error over the "
                + "held-out curves' points; WorstE: the worst curve's mean relative error; final-loss error: the largest relative error of a held-out run's final loss.");
            report.Table(["law", "protocol", "PredE", "WorstE", "final-loss error", "held-out runs"],
                [.. plan.Accuracy.Select(a => (IReadOnlyList<string>)[a.Law, a.Protocol, Percent(a.PredE), Percent(a.WorstE), Percent(a.FinalError), Integer(a.Curves.Count)])],
                [false, false, true, true, true, true]);
        }

        report.Section("Runs used", "runs");
        if (plan.Runs.Count == 0) report.Paragraph("No runs were listed.");
        else report.Bullets(plan.Runs);
        return report;
    }

    private static List<KeyValuePair<string, string>> Summary(TrainingPlan plan)
    {
        var request = plan.Request;
        var h = plan.Hyperparameters;
        var best = plan.Best;
        var rows = new List<KeyValuePair<string, string>>
        {
            new("optimizer", request.Optimizer.Name()),
            new("model size N", $"{Count(request.Parameters)} parameters ({G(request.Parameters, 6)})"),
            new("token budget T", $"{Count(request.Tokens)} tokens ({G(request.Tokens, 6)}), {G(request.Tokens / request.Parameters, 3)} tokens per parameter"),
            new("batch", $"{Integer(h.BatchSequences)} sequences x {Integer(request.SequenceLength)} tokens = {Integer((long)Math.Round(h.BatchTokens))} tokens per step"
                + (request.BatchMultiple > 1 ? $" (a multiple of {Integer(request.BatchMultiple)} sequences)" : "")),
            new("steps", Integer(h.Steps)),
            new("momentum (beta1)", Beta(h.Momentum)),
            new("schedule", best.Schedule.ToDisplaySpec()),
        };
        if (best.Schedule is WarmupSchedule w)
        {
            string multiple = double.IsFinite(h.RuleLearningRate) && h.RuleLearningRate > 0 ? $" ({G(w.Peak / h.RuleLearningRate, 3)}x the scaling rule's {G(h.RuleLearningRate, 3)})" : "";
            rows.Add(new("peak learning rate", G(w.Peak, 4) + multiple));
            if (plan.Decision(PlanAxis.PeakLr) is { } peak)
            {
                rows.Add(new("peak LR interval", double.IsFinite(peak.Tolerance)
                    ? $"{(peak.LowerOpen ? "at most " : "")}{G(peak.Lower, 3)} to {G(peak.Upper, 3)}{(peak.UpperOpen ? " or more" : "")}: the peaks whose predicted loss is within the loss interval of the plan's"
                    : "none (the plan has no loss interval)"));
                rows.Add(new("peak LR decided by", peak.Guard is null
                    ? (peak.Bound == AxisBound.Interior ? $"the law's optimum over {G(peak.SearchLow, 3)}..{G(peak.SearchHigh, 3)}" : "the edge of the law's search")
                    : PlanExplainer.AxisText(peak, plan.Law)));
            }
            rows.Add(new("warmup", $"{Integer(w.Warmup)} steps ({Percent((double)w.Warmup / w.Steps, 1)} of the run)"));
            if (w is WsdSchedule wsd) rows.Add(new("cooldown", $"{Integer(wsd.CooldownLength)} steps ({Percent((double)wsd.CooldownLength / w.Steps, 1)} of the run)"));
        }
        else
        {
            rows.Add(new("scaling rule's learning rate", G(h.RuleLearningRate, 4)));
        }

        string method = $" ({PlanExplainer.Interval(plan)})";
        bool physical = !plan.Warnings.Any(w => w.Kind == WarningKind.LossNotPhysical);
        // A loss the plan withholds (NaN: no physical loss) is said in words, not printed.
        rows.Add(new("predicted final loss", double.IsNaN(best.PredictedLoss) ? "CANNOT BE PREDICTED on these runs: no law fitted on them gives a physical loss (see the warnings)"
            : WithInterval(best.PredictedLoss, best.Lower, best.Upper) + method + (physical ? "" : " NOT PHYSICAL: this loss cannot be trusted (see the warnings)")));
        rows.Add(new("divergence screen", Screen(best)));
        rows.Add(new("hyperparameters from", $"{h.SourceName}, {SourceText(h.Source)}"));
        return rows;
    }

    /// <summary>"anchor" and "calibrated" in words; any other source as given.</summary>
    private static string SourceText(string source) => source switch
    {
        "anchor" => "published anchor (a prior, not fitted to your runs)",
        "calibrated" => "calibrated on the runs",
        _ => source,
    };

    private static string Screen(PlannedSchedule s) => s.Diverges switch
    {
        null => "not screened (no divergence model)",
        true => (s.DivergenceProbability > 0.5 ? "PREDICTED TO DIVERGE" : "at or above the divergence guard's risk level") + Probability(s),
        false => "passes" + Probability(s),
    };

    private static string Probability(PlannedSchedule s) => double.IsFinite(s.DivergenceProbability) ? $" (probability of divergence {G(s.DivergenceProbability, 2)})" : "";

    private static IReadOnlyList<string> CandidateRow(int rank, PlannedSchedule s, double bestLoss)
    {
        var w = s.Schedule as WarmupSchedule;
        double delta = s.PredictedLoss - bestLoss;
        string interval = double.IsFinite(s.Lower) && double.IsFinite(s.Upper) ? $"{Loss(s.Lower)} – {Loss(s.Upper)}" : Missing;
        string p = s.Diverges is null ? Missing : G(s.DivergenceProbability, 2) + (s.Diverges == true ? (s.DivergenceProbability > 0.5 ? " (diverges)" : " (over the guard's level)") : "");
        return
        [
            Integer(rank), s.Schedule.ToDisplaySpec(), w is null ? Missing : G(w.Peak, 3), w is null ? Missing : Integer(w.Warmup),
            Loss(s.PredictedLoss), interval, rank == 1 ? "-" : LossDelta(delta), p,
        ];
    }

    /// <summary>"PNG", "SVG", "CSV", or the suffix for extra tables ("points.csv").</summary>
    private static string LinkText(string name, string file)
    {
        string suffix = file[(name.Length + 1)..];
        return suffix is "png" or "svg" or "csv" ? suffix.ToUpperInvariant() : suffix;
    }
}
