using static System.FormattableString;
using HyperLaws.Theory;
using HyperLaws.Theory.Verification;

namespace HyperLaws.Plotting.Theory;

/// <summary>
/// The paper's figures (Shulgin et al. 2026) drawn from a verification sweep: (1) best proxy vs T per
/// tuning regime with the T^(-1/4) reference, and Theorem 1's optimal batch and LR vs T showing the
/// burn-in; (2) Theorem 2 at a fixed batch; (3) contours of the best proxy over (batch, iterations);
/// plus the joint optimum's hyperparameters and the ridge paths' excess.
/// </summary>
public static class TheoryFigures
{
    /// <summary>
    /// The line figures (1, 2, 4 and the ridge excess), each with its base file name (<c>figure1-best-proxy</c>,
    /// <c>figure1-theorem1-batch</c>, <c>figure1-theorem1-lr</c>, <c>figure2-theorem2</c>,
    /// <c>figure4-joint-hyperparameters</c>, <c>figure5-ridge-excess</c>).
    /// </summary>
    public static IReadOnlyList<(string Name, LineChart Chart)> LineCharts(VerificationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var proxy = new LmoProxy(report.Options.Constants);
        var joint = Curve(report, TuningRegime.Joint).Single();
        var thm1 = Curve(report, TuningRegime.FixedMomentum).ToList();
        var thm2 = Curve(report, TuningRegime.FixedBatch).Single();
        var lrOnly = Curve(report, TuningRegime.LrOnly).Single();
        var fixedLr = Curve(report, TuningRegime.FixedLearningRate).Single();
        double[] budgets = joint.Tokens;

        var charts = new List<(string, LineChart)>();

        var reference = new LineSeries("reference 2√2·T^(-1/4)", budgets, budgets.Select(proxy.LargeHorizonOptimum).ToArray(), Dashed: true, ColorHex: "#7f7f7f");
        charts.Add(("figure1-best-proxy", new LineChart(
            "Best achievable proxy per tuning regime", "token budget T", "best proxy P*",
            true, true,
            [
                Series(joint.Label, joint, p => p.Proxy),
                .. thm1.Take(1).Select(c => Series(c.Label, c, p => p.Proxy)),
                Series(thm2.Label, thm2, p => p.Proxy),
                Series(lrOnly.Label + " (eta tuned)", lrOnly, p => p.Proxy),
                Series(fixedLr.Label, fixedLr, p => p.Proxy),
                reference,
            ],
            Notes(report, joint.Name, "proxy", "P* slope"))));

        var burnIn = thm1.Select(c => new VerticalMarker(proxy.BurnInTokens(c.Solutions[0].Problem.Alpha!.Value),
            Invariant($"burn-in ends, beta = {1 - c.Solutions[0].Problem.Alpha!.Value:G4}"))).ToList();
        charts.Add(("figure1-theorem1-batch", new LineChart(
            "Theorem 1: optimal batch size at fixed momentum", "token budget T", "optimal batch b*",
            true, true,
            [.. thm1.Select(c => Series(c.Label, c, p => p.BatchSize))],
            [.. thm1.SelectMany(c => Notes(report, c.Name, "batch", Invariant($"b* slope, beta = {1 - c.Solutions[0].Problem.Alpha!.Value:G4}"), Corner.LowerRight))],
            burnIn)));
        charts.Add(("figure1-theorem1-lr", new LineChart(
            "Theorem 1: optimal learning rate at fixed momentum", "token budget T", "optimal learning rate eta*",
            true, true,
            [.. thm1.Select(c => Series(c.Label, c, p => p.LearningRate))],
            [.. thm1.SelectMany(c => Notes(report, c.Name, "eta", Invariant($"eta* slope, beta = {1 - c.Solutions[0].Problem.Alpha!.Value:G4}")))],
            burnIn)));

        double b2 = thm2.Solutions[0].Problem.Batch!.Value;
        charts.Add(("figure2-theorem2", new LineChart(
            Invariant($"Theorem 2: fixed batch b = {b2:G6}, eta and momentum tuned"), "token budget T", "optimum",
            true, true,
            [
                Series("alpha* = 1 - beta*", thm2, p => p.Alpha),
                Series("eta*", thm2, p => p.LearningRate),
                Series("P*", thm2, p => p.Proxy),
            ],
            [.. Notes(report, thm2.Name, "alpha", "alpha* slope"), .. Notes(report, thm2.Name, "eta", "eta* slope")],
            [new VerticalMarker(proxy.FixedBatchValidityTokens(b2), Invariant($"b = u*(T): valid to the right"))])));

        charts.Add(("figure4-joint-hyperparameters", new LineChart(
            "Theorem 3: jointly optimal hyperparameters (solid: numerical, dashed: closed form)", "token budget T", "optimum",
            true, true,
            [
                Series("b*", joint, p => p.BatchSize, color: Blue),
                Series("b* closed form", joint, p => p.BatchSize, closedForm: true, color: Blue),
                Series("alpha*", joint, p => p.Alpha, color: Red),
                Series("alpha* closed form", joint, p => p.Alpha, closedForm: true, color: Red),
                Series("eta*", joint, p => p.LearningRate, color: Green),
                Series("eta* closed form", joint, p => p.LearningRate, closedForm: true, color: Green),
            ],
            [.. Notes(report, joint.Name, "batch", "b* slope"), .. Notes(report, joint.Name, "alpha", "alpha* slope"), .. Notes(report, joint.Name, "eta", "eta* slope")])));

        charts.Add(("figure5-ridge-excess", new LineChart(
            "Ridge paths b ~ T^c: excess proxy over the joint optimum", "token budget T", "excess P_path / P_joint - 1 (%)",
            true, false,
            [.. report.Ridge.Select(r => new LineSeries(Invariant($"c = {r.Exponent:0.###}"), r.Tokens.ToArray(), r.RelativeExcess.Select(x => 100 * x).ToArray()))])));
        return charts;
    }

    /// <summary>Figure 3, <c>figure3-contour</c>: the best proxy over (batch size, iterations) with the LR tuned.</summary>
    public static (string Name, ContourChart Chart) Contour(VerificationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var c = report.Contour;
        return ("figure3-contour", new ContourChart(
            Invariant($"Best proxy over batch x iterations (beta = {1 - c.Alpha:G4}, eta tuned)"),
            "batch size b", "iterations K", "best proxy P*",
            c.Batches, c.Iterations, c.Proxy, true, true, true, 12,
            [new LineSeries("Theorem 1 optimum b*(T), K = T/b*", c.OptimalPathBatch, c.OptimalPathIterations, Dashed: true, ColorHex: "#ffffff")]));
    }

    /// <summary>Writes every figure (PNG, SVG and CSV) into <paramref name="directory"/>; returns the paths.</summary>
    public static IReadOnlyList<string> WriteAll(VerificationReport report, string directory)
    {
        var paths = new List<string>();
        foreach (var (name, chart) in LineCharts(report)) paths.AddRange(FigureWriter.Write(chart, directory, name));
        var (cname, contour) = Contour(report);
        paths.AddRange(FigureWriter.Write(contour, directory, cname));
        return paths;
    }

    private static IEnumerable<RegimeCurve> Curve(VerificationReport r, TuningRegime regime) => r.Curves.Where(c => c.Regime == regime);

    private const string Blue = "#1f77b4", Red = "#d62728", Green = "#2ca02c";

    private static LineSeries Series(string name, RegimeCurve curve, Func<HyperparameterPoint, double> get, bool closedForm = false, string? color = null) =>
        new(name, curve.Tokens, curve.Solutions.Select(s => get(closedForm ? s.ClosedForm : s.Numerical)).ToArray(), Dashed: closedForm, ColorHex: color);

    private static IReadOnlyList<Annotation> Notes(VerificationReport r, string curve, string quantity, string label, Corner corner = Corner.LowerLeft) =>
        r.Checks.Where(c => c.Curve == curve && c.Quantity == quantity)
            .Select(c => new Annotation(Invariant($"{label}: {c.Numerical:F3} (theory {c.Theory:F3})"), corner))
            .ToList();
}
