using System.Text.Json.Nodes;
using HyperLaws.Cli.Output;
using HyperLaws.Evaluation;
using HyperLaws.Laws;
using HyperLaws.Validation;
using Spectre.Console;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>
/// The dispatcher of <c>hyperlaws validate</c>: from <see cref="ValidateSettings"/> to the protocol (HyperLaws.Validation)
/// and its report, which prints the scoreboard (table or JSON) next to the published numbers.
/// </summary>
internal static class ValidateHandler
{
    /// <summary>Runs the protocol the settings name; returns the exit code.</summary>
    public static int Run(CliIo io, ValidateSettings s)
    {
        Action<string>? progress = s.Quiet || s.Json ? null : m => io.Err.WriteLine("validate: " + m);
        var context = new Context(io, s.Data, s.Laws, s.Json, progress);
        if (s.Intervals.Requested)
            return IntervalValidation.Run(io, s.Intervals, s.Protocol, s.Data, s.Laws, s.Sizes, s.Json, progress);
        return s.Protocol switch
        {
            1 => Protocol1(context, s.Sizes),
            2 when s.SizesGiven => throw new UserInputException("--sizes applies to protocol 1 only (protocol 2 fits on 25M and 100M and predicts 400M)."),
            2 => Protocol2(context),
            3 => Protocol3(context, s.TrainFraction, s.Pooled, s.FitOn, s.JointNoise),
            4 when s.LawsGiven && s.Laws.Contains("joint") => LrAxisReport.StepLaw(io, context.Data, context.Json, progress),
            4 => Protocol4(context),
            5 => Protocol5(context),
            6 => Protocol6(context, !s.LawsGiven, s.FitOnGiven ? s.FitOn : null),
            7 or 8 => LrAxisReport.Run(io, context.Data, context.Laws, context.Json, s.FitOn, s.Protocol, progress,
                s.JointNoise is { } noise ? LrAxis.DefaultJoint with { Noise = noise } : null),
            10 => LrTransferReport.Run(io, context.Data, context.Json, s.FitOn, progress),
            var p => throw new UserInputException($"--protocol {p} is not available (available: 1, 2, 3, 4, 5, 6, 7, 8, 10)."),
        };
    }

    private sealed record Context(CliIo Io, string Data, IReadOnlyList<string> Laws, bool Json, Action<string>? Progress);

    private static int Protocol1(Context c, IReadOnlyList<string> sizeList)
    {
        MplSplit.CurveFolder(c.Data);

        var results = new JsonArray();
        foreach (string size in sizeList)
        {
            var result = UserInputException.Guard(() => MplSplit.Run(c.Data, size, c.Laws, c.Progress));
            var p = result.Published;
            results.Add(new JsonObject
            {
                ["size"] = size + "M",
                ["published"] = new JsonObject { ["law"] = "mpl", ["predE"] = p.PredE, ["worstE"] = p.WorstE, ["r2"] = p.RSquared },
                ["laws"] = new JsonArray([.. result.Scores.Select(s => (JsonNode)Compare.CompareRenderer.ToJson(s.Law, s.Score, result.Test))]),
            });
            if (!c.Json)
            {
                Compare.CompareRenderer.Print(c.Io, [.. result.Scores.Select(s => (s.Law, s.Score))], $"Protocol 1, {size}M: fit on {string.Join(", ", MplSplit.Train)}; predict the other six");
                c.Io.Table().MarkupLine(Markup.Escape($"published MPL ({size}M): PredE {Format.Percent(p.PredE)}, WorstE {Format.Percent(p.WorstE, 2)}, R^2 {p.RSquared:F4}"));
            }
        }
        if (c.Json) c.Io.Out.WriteLine(Json.Serialize(new JsonObject { ["protocol"] = 1, ["results"] = results }));
        return 0;
    }

    /// <summary>Protocol 2: each law across sizes, fitted on the 25M and 100M curves, predicting every 400M curve.</summary>
    private static int Protocol2(Context c)
    {
        MplSplit.CurveFolder(c.Data);
        var result = UserInputException.Guard(() => CrossSize.Run(c.Data, c.Laws, c.Progress));
        var headline = CrossSize.Variants[0];
        double reference = result.Laws.Count > 0 && result.Laws[0].Headline.Fit.Law is SizedLaw sized ? sized.Spec.ReferenceSize : double.NaN;
        if (c.Json)
        {
            c.Io.Out.WriteLine(Json.Serialize(new JsonObject
            {
                ["protocol"] = 2,
                ["train"] = Json.Strings(result.Train.Select(t => t.Name)),
                ["test"] = Json.Strings(result.Test.Select(t => t.Name)),
                ["sizeLaw"] = new JsonObject
                {
                    ["headline"] = headline.Name,
                    ["offset"] = "L0(N) = E + b (N/Nref)^-beta",
                    ["offsetExponent"] = headline.OffsetExponent,
                    ["offsetExponentSource"] = "Hoffmann et al. 2022 (Chinchilla), approach 3",
                    ["referenceSize"] = Json.Number(reference),
                },
                ["laws"] = new JsonArray([.. result.Laws.Select(l =>
                {
                    var node = ScoreJson(l.Law, l.Headline, result.Test);
                    node["variants"] = new JsonArray([.. l.Variants.Select(v => (JsonNode)ScoreJson(l.Law, v, result.Test))]);
                    node["baseline"] = ScoreJson(l.Law, l.Baseline, result.Test);
                    return (JsonNode)node;
                })]),
            }));
            return 0;
        }
        var console = c.Io.Table();
        var table = new Table().Border(TableBorder.Rounded)
            .Title(Markup.Escape($"Protocol 2: fit on the 9 curves of 25M and of 100M; predict the 9 curves of 400M (headline size law: {headline.Name})"))
            .AddColumn("law").AddColumn("size law");
        foreach (var h in new[] { "PredE", "WorstE", "MaxE", "R^2", "MAE", "RMSE", "Kendall tau", "in-sample PredE 25M / 100M" }) table.AddColumn(new TableColumn(h).RightAligned());
        foreach (var l in result.Laws)
            foreach (var s in l.Variants.Append(l.Baseline))
            {
                var m = s.Summary;
                table.AddRow(Markup.Escape(l.Law), Markup.Escape(s == l.Headline ? s.Variant + " *" : s.Variant), Format.Percent(m.PredE), Format.Percent(m.WorstE), Format.Percent(m.MaxE),
                    m.RSquared.ToString("F4", System.Globalization.CultureInfo.InvariantCulture), Format.G(m.Mae, 3), Format.G(m.Rmse, 3),
                    s.RankTau.ToString("F3", System.Globalization.CultureInfo.InvariantCulture), string.Join(" / ", s.InSample.Select(x => Format.Percent(x.Summary.PredE))));
            }
        console.Write(table);
        console.MarkupLine(Markup.Escape($"* headline. L0(N) = E + b (N/Nref)^-beta, beta fixed (0.34: Chinchilla); 'power': every other positive parameter p_ref (N/Nref)^e_p; 'shared': one shape for all sizes; '100M only': the law fitted on 100M alone, no size law. Nref = {Format.G(reference)}."));
        return 0;
    }

    private static JsonObject ScoreJson(string law, CrossSizeScore s, IReadOnlyList<HyperLaws.Laws.FitTarget> test)
    {
        var node = Compare.CompareRenderer.ToJson(law, new LawScore(s.Fit, s.Test, s.Predictions, s.Summary, s.RankTau), test);
        node["variant"] = s.Variant;
        if (s.Fit.Law is SizedLaw sized)
        {
            node["largeModelOffset"] = Json.Number(sized.LargeModelOffset(s.Fit.Parameters));
            node["offsetExponent"] = Json.Number(sized.OffsetExponent(s.Fit.Parameters));
        }
        node["inSample"] = new JsonArray([.. s.InSample.Select(x => (JsonNode)new JsonObject
        {
            ["size"] = Format.G(x.ModelSize / 1e6) + "M",
            ["predE"] = Json.Number(x.Summary.PredE),
            ["worstE"] = Json.Number(x.Summary.WorstE),
            ["r2"] = Json.Number(x.Summary.RSquared),
        })]);
        node["fitSeconds"] = Math.Round(s.Seconds, 2);
        return node;
    }

    private static int Protocol3(Context c, string trainFraction, bool pooled, string fitOn, HyperLaws.Laws.Joint.JointNoise? jointNoise)
    {
        var options = ScheduleGridReport.Options(trainFraction, pooled, fitOn, out bool all, out double? fraction);
        if (jointNoise is { } noise) options = options with { Joint = new HyperLaws.Laws.Joint.JointFitOptions { Noise = noise } };
        string folder = Path.Combine(c.Data, "lr-scheduling", "data");
        if (!Directory.Exists(folder))
            throw new UserInputException($"--data: {folder} not found (protocol 3 needs the lr-scheduling W&B exports, which the repository does not ship; try --data ../shared/data).");
        var runs = ScheduleGrid.Load(c.Data);
        var fractions = ScheduleGridReport.Fractions(runs, all, fraction, folder);
        var results = fractions.Select(f => UserInputException.Guard(() => ScheduleGrid.Run(runs, c.Laws, options with { TrainFraction = f },
            c.Progress is { } p && all ? m => p(FormattableString.Invariant($"train fraction {f}: {m}")) : c.Progress))).ToList();
        ScheduleGridReport.Write(c.Io, c.Json, all, results);
        return 0;
    }

    /// <summary>Protocol 6: <c>plan</c> backtested on the 124M grid, each horizon planned from what was known before it.</summary>
    private static int Protocol6(Context c, bool defaultLaws, string? fitOn)
    {
        var splits = PlanBacktestReport.Splits(fitOn);
        string folder = Path.Combine(c.Data, "lr-scheduling", "data");
        if (!Directory.Exists(folder))
            throw new UserInputException($"--data: {folder} not found (protocol 6 needs the lr-scheduling W&B exports, which the repository does not ship; try --data ../shared/data).");
        var options = new PlanBacktestOptions { FitOn = splits };
        if (!defaultLaws) options = options with { Laws = c.Laws };
        var result = UserInputException.Guard(() => PlanBacktest.Run(ScheduleGrid.Load(c.Data), options, c.Progress));
        PlanBacktestReport.Write(c.Io, c.Json, result);
        return 0;
    }

    /// <summary>
    /// Protocol 4 on the Step Law grid: the optimal LR and batch per cell (<c>lrBatch</c>) and the held-out
    /// divergence predictor (<c>divergence</c>, with the lr-scheduling runs as one more cell).
    /// </summary>
    private static int Protocol4(Context c)
    {
        if (!File.Exists(StepLawGrid.TablePath(c.Data)))
            throw new UserInputException($"--data: {StepLawGrid.TablePath(c.Data)} not found (protocol 4 needs the Step Law grid, which the repository does not ship; try --data ../shared/data).");
        var result = UserInputException.Guard(() => StepLawGrid.Run(c.Data, c.Progress));
        c.Progress?.Invoke("divergence: labelling the Step Law and lr-scheduling runs, holding out each cell in turn ...");
        var divergence = UserInputException.Guard(() => DivergenceValidation.Run(c.Data));
        if (c.Json)
        {
            var lrBatch = Optimum.OptimumRenderer.ToJson(result.Headline);
            lrBatch["source"] = result.Source;
            lrBatch["points"] = result.Points;
            lrBatch["inSample"] = new JsonObject
            {
                ["rule"] = Optimum.OptimumRenderer.RuleJson(result.InSample.Rule),
                ["summaries"] = new JsonArray([.. result.InSample.Summaries.Select(s => (JsonNode)Optimum.OptimumRenderer.SummaryJson(s))]),
            };
            lrBatch["variants"] = new JsonArray([.. result.Variants.Select(v => (JsonNode)new JsonObject
            {
                ["name"] = v.Name,
                ["rule"] = Optimum.OptimumRenderer.RuleJson(v.Result.Rule),
                ["summaries"] = new JsonArray([.. v.Result.Summaries.Select(s => (JsonNode)Optimum.OptimumRenderer.SummaryJson(s))]),
            })]);
            lrBatch["published"] = new JsonObject { ["stepLawMeanGapInSample"] = StepLawGridResult.PublishedStepLawMeanGap };
            c.Io.Out.WriteLine(Json.Serialize(new JsonObject { ["protocol"] = 4, ["lrBatch"] = lrBatch, ["divergence"] = Diverge.DivergeRenderer.ValidationJson(divergence, c.Data) }));
            return 0;
        }
        Optimum.OptimumRenderer.Print(c.Io, result.Headline, $"Protocol 4 (LR/batch), Step Law grid: {result.Points} runs, {result.Headline.Cells.Count} cells");
        var console = c.Io.Table();
        var table = new Table().Border(TableBorder.Rounded).Title("Leave-one-cell-out mean / max gap per variant (first: headline, fixed a priori)").AddColumn("variant");
        foreach (var h in new[] { "fitted", "Step Law", "DeepSeek" }) table.AddColumn(new TableColumn(h).RightAligned());
        foreach (var v in result.Variants)
            table.AddRow([Markup.Escape(v.Name), .. v.Result.Summaries.Select(s => $"{Format.Percent(s.Mean)} / {Format.Percent(s.Max)}")]);
        var ins = result.InSample.Summaries[0];
        table.AddRow("in-sample (headline)", $"{Format.Percent(ins.Mean)} / {Format.Percent(ins.Max)}", "", "");
        console.Write(table);
        console.MarkupLine(Markup.Escape($"published: Step Law's rule, in-sample mean gap {Format.Percent(StepLawGridResult.PublishedStepLawMeanGap)} (Li et al. 2025)."));
        Diverge.DivergeRenderer.PrintValidation(c.Io, divergence);
        return 0;
    }

    /// <summary>Protocol 5, critical batch: S(B) = S_min (1 + B_noise/B) per size, then B_noise against N and the horizon T.</summary>
    private static int Protocol5(Context c)
    {
        var result = UserInputException.Guard(() => CriticalBatch.Run(CriticalBatch.Load(c.Data)));
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        if (c.Json)
        {
            JsonObject Law(HyperLaws.Numerics.PowerLawFit f) => new() { ["exponent"] = f.Exponent, ["standardError"] = f.ExponentStandardError, ["prefactor"] = f.Prefactor, ["rSquared"] = f.RSquared };
            var bnoise = Law(result.InSize);
            bnoise["jackknifeMin"] = result.JackknifeMin;
            bnoise["jackknifeMax"] = result.JackknifeMax;
            c.Io.Out.WriteLine(Json.Serialize(new JsonObject
            {
                ["protocol"] = 5,
                ["sizes"] = new JsonArray([.. result.Sizes.Select(s => (JsonNode)new JsonObject
                {
                    ["model"] = s.Model, ["parameters"] = s.Parameters, ["points"] = s.Points, ["targetLoss"] = s.TargetLoss, ["horizonTokens"] = s.ChinchillaTokens,
                    ["sMin"] = s.SMin, ["bNoiseTokens"] = s.BNoise, ["eMinTokens"] = s.EMin, ["rmsLogError"] = s.RmsLogError,
                })]),
                ["bNoiseInParameters"] = bnoise,
                ["bNoiseInHorizon"] = Law(result.InHorizon),
                ["sMinInParameters"] = Law(result.SMinInSize),
                ["lmoTheory"] = new JsonObject { ["batchExponentInHorizon"] = 0.5, ["statement"] = "Theorem 1 (fixed momentum): b* ~ T^(1/2)" },
            }));
            return 0;
        }
        var console = c.Io.Table();
        var table = new Table().Border(TableBorder.Rounded).Title("Protocol 5: S(B) = S_min (1 + B_noise / B) per model size (B in tokens)")
            .AddColumn("model").AddColumn(new TableColumn("target loss").RightAligned()).AddColumn(new TableColumn("horizon T (tokens)").RightAligned())
            .AddColumn(new TableColumn("S_min").RightAligned()).AddColumn(new TableColumn("B_noise (tokens)").RightAligned())
            .AddColumn(new TableColumn("E_min (tokens)").RightAligned()).AddColumn(new TableColumn("RMS error in ln S").RightAligned());
        foreach (var s in result.Sizes)
            table.AddRow(s.Model, Format.G(s.TargetLoss), Format.G(s.ChinchillaTokens, 3), Format.G(s.SMin, 4), Format.G(s.BNoise, 4), Format.G(s.EMin, 3), Format.G(s.RmsLogError, 3));
        console.Write(table);
        string Line(string what, HyperLaws.Numerics.PowerLawFit f) => string.Create(inv, $"{what}: exponent {f.Exponent:F3} +- {f.ExponentStandardError:F3} (R^2 {f.RSquared:F3}, {f.Points} sizes)");
        console.WriteLine(Line("B_noise ~ N^e", result.InSize) + string.Create(inv, $"; leaving one size out: {result.JackknifeMin:F3} to {result.JackknifeMax:F3}"));
        console.WriteLine(Line("B_noise ~ T^e (T = the Chinchilla horizon that sets each target)", result.InHorizon));
        console.WriteLine(Line("S_min ~ N^e", result.SMinInSize));
        console.WriteLine(string.Create(inv, $"LMO theory (Theorem 1, fixed momentum): b* ~ T^0.5; measured B_noise ~ T^{result.InHorizon.Exponent:F3}. Different quantities: b* minimises the proxy bound at a fixed horizon, B_noise is the batch where halving the steps costs doubling the data."));
        return 0;
    }
}
