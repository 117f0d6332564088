using System.Globalization;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Output;
using HyperLaws.Divergence;
using HyperLaws.Validation;
using Spectre.Console;

namespace HyperLaws.Cli.Commands.Diverge;

/// <summary><c>diverge</c>'s results as console tables or lines, one JSON object each, and DIV.json.</summary>
internal static class DivergeRenderer
{
    /// <summary>The F1 Opt-Laws reports for its divergence criterion, shown beside ours.</summary>
    public const double OptLawsF1 = 0.92;

    /// <summary>Writes DIV.json (the predictor and its training summary) atomically; returns the document.</summary>
    public static JsonObject WriteFile(DivergeSettings settings, DivergeFitResult r)
    {
        var a = settings.Assumption;
        var training = new JsonObject
        {
            ["runs"] = r.Runs, ["diverged"] = r.Diverged, ["cells"] = r.Cells,
            ["labels"] = $"sweep tables: loss > {settings.Factor.ToString(CultureInfo.InvariantCulture)} x cell best; run files: the reader's divergence mark",
            ["sweepSchedule"] = $"linear warmup {a.WarmupSteps.ToString(CultureInfo.InvariantCulture)} steps, cosine to the run's mlr (default {a.MinLr.ToString(CultureInfo.InvariantCulture)})",
            ["sources"] = Json.Strings(settings.Runs!),
            ["heldOut"] = HeldOut(r.CrossValidation),
        };
        var doc = DivergenceModelDocument.ToJson(r.Model, training);
        ResultOutput.WriteJsonFile(settings.OutPath!, doc);
        return doc;
    }

    /// <summary>Writes the calibrated DIV.json (same version 2; the calibration is provenance under "training") atomically; returns the document.</summary>
    public static JsonObject WriteCalibratedFile(DivergeSettings settings, DivergeCalibrateResult r)
    {
        var training = new JsonObject
        {
            ["calibratedFrom"] = settings.ModelPath,
            ["cellOffset"] = r.Calibration.CellOffset, ["cellScale"] = SweepCalibration.CellScale,
            ["runs"] = r.Runs, ["diverged"] = r.Diverged,
            ["labels"] = $"sweep tables: loss > {settings.Factor.ToString(CultureInfo.InvariantCulture)} x cell best; run files: the reader's divergence mark",
            ["sources"] = Json.Strings(settings.Runs!),
            ["heldOut"] = CalibrationHeldOut(r.HeldOut),
        };
        var doc = DivergenceModelDocument.ToJson(r.Model, training);
        ResultOutput.WriteJsonFile(settings.OutPath!, doc);
        return doc;
    }

    private static JsonObject CalibrationHeldOut(WithinSweepCrossValidation w) => new()
    {
        ["split"] = "leave-one-run-out (each run predicted by the saved boundary, and by it calibrated on the other runs)",
        ["saved"] = Metrics(w.Scores[SweepVariant.Prior]),
        ["calibrated"] = Metrics(w.Scores[SweepVariant.RunOutCell]),
    };

    public static void WriteCalibration(CliIo io, DivergeSettings settings, DivergeCalibrateResult r, JsonObject doc)
    {
        double factor = Math.Exp(r.Calibration.CellOffset);
        if (settings.Json)
        {
            ResultOutput.WriteJson(io, new JsonObject
            {
                ["model"] = settings.OutPath, ["calibratedFrom"] = settings.ModelPath,
                ["runs"] = r.Runs, ["diverged"] = r.Diverged,
                ["cellOffset"] = r.Calibration.CellOffset, ["etaCritFactor"] = factor,
                ["boundary"] = doc["boundary"]!.DeepClone(),
                ["heldOut"] = CalibrationHeldOut(r.HeldOut),
            });
            return;
        }
        io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {settings.OutPath}: eta_crit x{factor:0.###} of {settings.ModelPath}'s on {r.Runs} runs ({r.Diverged} diverged); eta_crit = {EtaText(r.Model.Rule)}"));
        io.Table().Write(MetricsTable("Held-out divergence prediction (leave-one-run-out)",
            [("saved boundary", r.HeldOut.Scores[SweepVariant.Prior]), ("calibrated on the other runs", r.HeldOut.Scores[SweepVariant.RunOutCell])]));
    }

    public static void WriteFit(CliIo io, DivergeSettings settings, DivergeFitResult r, JsonObject doc)
    {
        string outPath = settings.OutPath!;
        var def = r.CrossValidation.Pooled.Boundary;
        if (settings.Json)
        {
            ResultOutput.WriteJson(io, new JsonObject
            {
                ["model"] = outPath,
                ["runs"] = r.Runs, ["diverged"] = r.Diverged, ["cells"] = r.Cells,
                ["boundary"] = doc["boundary"]!.DeepClone(),
                ["split"] = "leave-one-cell-out",
                ["precision"] = Json.Number(def.Precision), ["recall"] = Json.Number(def.Recall), ["f1"] = Json.Number(def.F1),
                ["heldOut"] = HeldOut(r.CrossValidation),
                ["optLawsF1"] = OptLawsF1,
                ["seconds"] = Math.Round(r.Seconds, 2),
            });
        }
        else PrintScores(io, r.CrossValidation, $"wrote {outPath}: eta_crit = {EtaText(r.Model.Rule)}");
    }

    public static void WriteValidation(CliIo io, DivergeSettings settings, DivergenceValidationResult res, double seconds)
    {
        if (settings.Json)
        {
            var node = ValidationJson(res, settings.DataRoot);
            node["seconds"] = Math.Round(seconds, 2);
            ResultOutput.WriteJson(io, node);
        }
        else PrintValidation(io, res);
    }

    public static void WriteScore(CliIo io, DivergeSettings settings, DivergeScoreResult r)
    {
        string modelPath = settings.ModelPath!;
        var m = r.Scores.Boundary;
        if (settings.Json)
        {
            ResultOutput.WriteJson(io, new JsonObject
            {
                ["model"] = Path.GetFullPath(modelPath),
                ["sources"] = Json.Strings(settings.Runs!),
                ["runs"] = r.Runs, ["diverged"] = r.Diverged, ["cells"] = r.Cells,
                ["predictor"] = "boundary",
                ["scores"] = new JsonObject
                {
                    ["precision"] = Json.Number(m.Precision), ["recall"] = Json.Number(m.Recall), ["f1"] = Json.Number(m.F1), ["accuracy"] = Json.Number(m.Accuracy),
                    ["truePositives"] = m.TruePositives, ["falsePositives"] = m.FalsePositives, ["falseNegatives"] = m.FalseNegatives, ["trueNegatives"] = m.TrueNegatives,
                },
            });
            return;
        }
        var table = new Table().Border(TableBorder.Rounded)
            .Title(Markup.Escape($"{modelPath} on {r.Runs} runs ({r.Diverged} diverged)"))
            .AddColumn("predictor").AddColumn(new TableColumn("precision").RightAligned()).AddColumn(new TableColumn("recall").RightAligned())
            .AddColumn(new TableColumn("F1").RightAligned()).AddColumn(new TableColumn("TP/FP/FN/TN").RightAligned());
        table.AddRow("critical peak LR (eta_crit)", Share(m.Precision), Share(m.Recall), Share(m.F1), $"{m.TruePositives}/{m.FalsePositives}/{m.FalseNegatives}/{m.TrueNegatives}");
        io.Table().Write(table);
    }

    public static void WritePrediction(CliIo io, DivergeSettings settings, DivergePredictResult r)
    {
        var p = r.Prediction;
        double b = settings.BatchTokens;
        if (settings.Json)
        {
            ResultOutput.WriteJson(io, new JsonObject
            {
                ["schedule"] = r.Schedule.ToSpec(), ["params"] = settings.Parameters, ["batchTokens"] = b, ["tokens"] = r.Profile.Steps * b, ["warmupSteps"] = r.WarmupSteps, ["peakLr"] = r.Profile.Peak,
                ["criticalPeakLr"] = p.EtaL, ["margin"] = p.Margin, ["probability"] = p.Probability,
                ["S1"] = p.S1, ["S2"] = p.S2, ["R"] = Json.Number(p.Ratio),
                ["diverges"] = p.Diverges,
            });
            return;
        }
        io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{(p.Diverges ? "DIVERGING" : "stable")}: peak LR {Format.G(p.PeakLr)} is {(p.Margin > 0 ? $"{Math.Exp(p.Margin):0.##}x above" : $"{Math.Exp(-p.Margin):0.##}x below")} the critical peak LR eta_crit = {Format.G(p.EtaL)}; P(diverge) = {p.Probability:F3}; area above eta_crit S2/S1 = {Format.G(p.Ratio)}"));
    }

    /// <summary>The held-out scores of protocol 4's divergence part as JSON (also under 'validate --protocol 4').</summary>
    internal static JsonObject ValidationJson(DivergenceValidationResult res, string dataRoot)
    {
        var def = res.CrossValidation.Pooled.Boundary;
        return new JsonObject
        {
            ["protocol"] = "4 (divergence)", ["data"] = dataRoot,
            ["runs"] = res.Runs, ["diverged"] = res.Diverged, ["cells"] = res.Groups,
            ["split"] = "leave-one-cell-out",
            ["precision"] = Json.Number(def.Precision), ["recall"] = Json.Number(def.Recall), ["f1"] = Json.Number(def.F1),
            ["heldOut"] = HeldOut(res.CrossValidation),
            ["batchCurvature"] = res.BatchCurvature,
            ["withinSweep"] = res.WithinSweep is { } w ? WithinSweepJson(w) : null,
            ["ceilings"] = res.Ceilings is { } c ? CeilingsJson(c) : null,
            ["optLawsF1"] = OptLawsF1,
        };
    }

    /// <summary>Protocol 4-D's in-sample ceilings: each with its counts and the F1 bound 2P/(2P + errors) of its family.</summary>
    private static JsonObject CeilingsJson(DivergenceCeilings c)
    {
        JsonObject WithBound(BinaryMetrics m)
        {
            var node = Metrics(m);
            node["f1Bound"] = Json.Number(DivergenceCeiling.F1Bound(m));
            return node;
        }
        var r = c.Model.Rule;
        return new JsonObject
        {
            ["declared"] = "docs/VALIDATION.md, protocol 4-D",
            ["model"] = new JsonObject
            {
                ["A"] = Json.Number(r.A), ["B"] = Json.Number(r.B), ["C"] = Json.Number(r.C), ["G"] = Json.Number(r.G), ["E"] = Json.Number(r.E),
                ["W"] = Json.Number(r.W), ["slope"] = Json.Number(r.Slope),
            },
            ["inSample"] = Metrics(c.InSample),
            ["perCellLr"] = WithBound(c.PerCellLr),
            ["perCellIntercept"] = WithBound(c.PerCellIntercept),
        };
    }

    internal static void PrintValidation(CliIo io, DivergenceValidationResult res)
    {
        PrintScores(io, res.CrossValidation, $"{res.Runs} runs, {res.Diverged} diverged, {res.Groups} cells (Step Law 2x rule + lr-scheduling){(res.BatchCurvature ? "; every fit with the edge's curvature in ln batch (--batch-curvature)" : "")}");
        if (res.WithinSweep is { } w) PrintWithinSweep(io, w);
        if (res.Ceilings is { } c)
        {
            io.Table().Write(MetricsTable("In sample (protocol 4-D): the boundary fitted on all runs, and each cell's fewest-error threshold",
                [("the boundary fitted on all runs", c.InSample),
                 ($"one LR threshold per cell (in sample: any per-cell threshold has F1 <= {F(DivergenceCeiling.F1Bound(c.PerCellLr))})", c.PerCellLr),
                 ($"its slopes, one intercept per cell (in sample: any per-cell intercept has F1 <= {F(DivergenceCeiling.F1Bound(c.PerCellIntercept))})", c.PerCellIntercept)]));
            io.Out.WriteLine("fitted on all runs: eta_crit = " + EtaText(c.Model.Rule));
        }
    }

    /// <summary>The variants of protocols 4-D2 and 4-D3 in report order, with their names.</summary>
    private static readonly (SweepVariant Variant, string Key, string Name)[] Variants =
    [
        (SweepVariant.Prior, "prior", "prior alone (= leave-one-cell-out)"),
        (SweepVariant.RunOutCell, "runOutCell", "4-D2 leave-one-run-out: cell offset"),
        (SweepVariant.RunOutCellRow, "runOutCellRow", "4-D2 leave-one-run-out: cell + batch-row offsets"),
        (SweepVariant.RowOutCell, "rowOutCell", "4-D3 leave-one-batch-row-out: cell offset"),
        (SweepVariant.RowOutCellRow, "rowOutCellRow", "4-D3 leave-one-batch-row-out: cell offset of the cell + row fit"),
    ];

    /// <summary>The held-out runs whose verdicts are shown one by one: the diverged runs of groups with few positives (the 124M lr-scheduling run).</summary>
    private static IEnumerable<WithinSweepPrediction> Watched(WithinSweepCrossValidation w) =>
        w.Predictions.Where(p => p.Example.Diverged).GroupBy(p => p.Example.Group).Where(g => g.Count() <= 2).SelectMany(g => g);

    private static JsonObject WithinSweepJson(WithinSweepCrossValidation w)
    {
        var scores = new JsonObject();
        foreach (var (v, key, name) in Variants)
        {
            var m = Metrics(w.Scores[v]);
            m["name"] = name;
            scores[key] = m;
        }
        return new JsonObject
        {
            ["declared"] = "docs/VALIDATION.md, protocols 4-D2 and 4-D3",
            ["cellScale"] = SweepCalibration.CellScale, ["rowScale"] = SweepCalibration.RowScale,
            ["scores"] = scores,
            ["watched"] = new JsonArray([.. Watched(w).Select(p => (JsonNode)new JsonObject
            {
                ["run"] = p.Example.Name, ["group"] = p.Example.Group, ["peakLr"] = p.Example.PeakLr,
                ["criticalPeakLr"] = new JsonObject([.. Variants.Select(x => KeyValuePair.Create(x.Key, (JsonNode?)Json.Number(p.CriticalPeakLr[x.Variant])))]),
                ["probability"] = new JsonObject([.. Variants.Select(x => KeyValuePair.Create(x.Key, (JsonNode?)Json.Number(p.Probability(x.Variant))))]),
            })]),
        };
    }

    private static void PrintWithinSweep(CliIo io, WithinSweepCrossValidation w)
    {
        io.Table().Write(MetricsTable("Calibrated on the rest of the sweep (protocols 4-D2, 4-D3; each cell's prior is its leave-one-cell-out model)",
            Variants.Select(x => (x.Name, w.Scores[x.Variant]))));
        foreach (var p in Watched(w))
            io.Out.WriteLine($"{p.Example.Group} {p.Example.Name} (peak {Format.G(p.Example.PeakLr)}, diverged): "
                + string.Join("; ", Variants.Select(x => $"{x.Key} eta_crit {Format.G(p.CriticalPeakLr[x.Variant], 3)}, P {p.Probability(x.Variant).ToString("F3", CultureInfo.InvariantCulture)}")));
    }

    private static string EtaText(CriticalLrRule r) => string.Create(CultureInfo.InvariantCulture,
        $"exp({r.A:F3} {r.B:+0.000;-0.000} ln(N/1e8) {r.C:+0.000;-0.000} ln(B/1e6){(r.G != 0 ? $" {r.G:+0.0000;-0.0000} ln(B/1e6)^2" : "")} {r.E:+0.000;-0.000} ln(D/1e10){(r.W != 0 ? $" {r.W:+0.000;-0.000} ln(W/1000)" : "")}) = {Format.G(Math.Exp(r.A), 3)} at N=1e8, B=1M tokens, D=1e10 tokens; logistic slope {r.Slope:G3}");

    private static JsonObject Metrics(BinaryMetrics m) => new()
    {
        ["precision"] = Json.Number(m.Precision), ["recall"] = Json.Number(m.Recall), ["f1"] = Json.Number(m.F1),
        ["tp"] = m.TruePositives, ["fp"] = m.FalsePositives, ["fn"] = m.FalseNegatives, ["tn"] = m.TrueNegatives,
    };

    private static JsonObject HeldOut(DivergenceCrossValidation cv)
    {
        var node = new JsonObject
        {
            ["split"] = "leave-one-cell-out (each cell predicted by a model fitted on the others)",
            ["folds"] = cv.Folds.Count,
            ["boundary"] = Metrics(cv.Pooled.Boundary),
        };
        if (cv.Pooled.Area.Count > 0) node["areaBaseline"] = Metrics(cv.Pooled.Area);
        return node;
    }

    private static void PrintScores(CliIo io, DivergenceCrossValidation cv, string headline)
    {
        io.Out.WriteLine(headline);
        List<(string, BinaryMetrics)> rows = [("critical peak LR (the model)", cv.Pooled.Boundary)];
        if (cv.Pooled.Area.Count > 0) rows.Add(("baseline: Opt-Laws area criterion (R > 1)", cv.Pooled.Area));
        io.Table().Write(MetricsTable($"Held-out divergence prediction (leave-one-cell-out, {cv.Folds.Count} folds; Opt-Laws F1 {OptLawsF1.ToString(CultureInfo.InvariantCulture)})", rows));
    }

    /// <summary>One row per predictor: precision, recall, F1 and the four counts.</summary>
    private static Table MetricsTable(string title, IEnumerable<(string Name, BinaryMetrics M)> rows)
    {
        var table = new Table().Border(TableBorder.Rounded).Title(title)
            .AddColumn("predictor").AddColumn(new TableColumn("precision").RightAligned()).AddColumn(new TableColumn("recall").RightAligned())
            .AddColumn(new TableColumn("F1").RightAligned()).AddColumn(new TableColumn("TP").RightAligned()).AddColumn(new TableColumn("FP").RightAligned())
            .AddColumn(new TableColumn("FN").RightAligned()).AddColumn(new TableColumn("TN").RightAligned());
        foreach (var (name, m) in rows)
            table.AddRow(Markup.Escape(name), F(m.Precision), F(m.Recall), F(m.F1), I(m.TruePositives), I(m.FalsePositives), I(m.FalseNegatives), I(m.TrueNegatives));
        return table;
    }

    private static string Share(double x) => double.IsNaN(x) ? "n/a" : Format.G(x, 3);

    private static string F(double x) => double.IsNaN(x) ? "-" : x.ToString("F3", CultureInfo.InvariantCulture);

    private static string I(int x) => x.ToString(CultureInfo.InvariantCulture);
}
