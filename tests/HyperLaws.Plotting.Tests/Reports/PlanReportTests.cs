using System.Text.RegularExpressions;
using HyperLaws.Planning;
using HyperLaws.Plotting.Reports;
using HyperLaws.Schedules;
using HyperLaws.Tests;
using Xunit;

namespace HyperLaws.Plotting.Tests.Reports;

/// <summary>The synthetic plan's report, written once for the tests that read it.</summary>
public sealed class WrittenPlanReport : IDisposable
{
    private readonly TempDir _tmp = new();

    public WrittenPlanReport()
    {
        Plan = SamplePlan.Create();
        Data = SamplePlan.Data();
        Files = PlanReport.Write(Plan, Directory, data: Data);
        Html = File.ReadAllText(Path.Combine(Directory, PlanReport.FileName));
    }

    public string Directory => _tmp.Path;

    public TrainingPlan Plan { get; }

    public PlanFigureData Data { get; }

    public IReadOnlyList<string> Files { get; }

    public string Html { get; }

    public void Dispose() => _tmp.Dispose();
}

public sealed class PlanReportTests(WrittenPlanReport report) : IClassFixture<WrittenPlanReport>
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static readonly string[] AllFigures =
    [
        PlanFigures.ScalingLr, PlanFigures.ScalingBatch, PlanFigures.LossCurves, PlanFigures.LrSchedules, PlanFigures.Contour,
        PlanFigures.DivergenceMargin, PlanFigures.DivergenceProbability, PlanFigures.HeldOutPrefix + "optlaw", PlanFigures.HeldOutPrefix + "mpl",
    ];

    [Fact]
    public void Schedule_specs_shown_to_people_write_their_exponents_lower_case()
    {
        // The review of helper cleanup: the reasons embedded ToSpec() ("the rest as in wsd(...,floor=1.1E-05)") while the tables showed
        // "1.1e-05". The structured field keeps the canonical spec; the reason's words and the report show the display form.
        var axis = report.Plan.Reasons.Select(r => r.Axis).OfType<AxisDecision>().First(a => a.HeldAt.Length > 0);
        Assert.Matches(@"floor=1\.1\d*E-05", axis.HeldAt);
        var spec = new Regex(@"\b(?:wsd|cosine|linear|constant|table|continued)\([^\s]*\)");
        string reasons = string.Join("\n", PlanExplainer.Reasons(report.Plan).Select(r => r.Text));
        Assert.Matches(@"floor=1\.1\d*e-05", reasons);
        foreach (string text in new[] { reasons, report.Html })
        {
            var specs = spec.Matches(text).Select(m => m.Value).ToList();
            Assert.NotEmpty(specs);
            Assert.All(specs, s => Assert.DoesNotMatch(@"\dE[+-]\d", s));
        }
    }

    [Fact]
    public void Write_WritesEveryFigureAsPngSvgCsv_ThenTheReportLast()
    {
        var titles = PlanFigures.Build(report.Plan, report.Data).Figures.ToDictionary(f => f.Name, f => f.Title);
        Assert.Equal(AllFigures, titles.Keys);
        foreach (string name in AllFigures)
        {
            byte[] png = File.ReadAllBytes(Path.Combine(report.Directory, name + ".png"));
            Assert.Equal(PngSignature, png[..8]);
            var svg = System.Xml.Linq.XDocument.Load(Path.Combine(report.Directory, name + ".svg"));
            Assert.Equal("svg", svg.Root!.Name.LocalName);
            Assert.Contains(titles[name], svg.Root.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value.Trim()));
            Assert.StartsWith(name == PlanFigures.Contour ? "x,y,z\n" : "series,x,y\n", File.ReadAllText(Path.Combine(report.Directory, name + ".csv")));
        }

        Assert.Equal(PlanReport.FileName, Path.GetFileName(report.Files[^1]));
        Assert.All(report.Files, f => Assert.True(File.Exists(f), f));
        Assert.Equal(report.Files.Order(), System.IO.Directory.GetFiles(report.Directory).Order());
        Assert.Empty(System.IO.Directory.GetDirectories(report.Directory));
    }

    [Fact]
    public void Html_IsSelfContained_WithOneEmbeddedPngPerFigure()
    {
        string html = report.Html;

        Assert.DoesNotMatch(new Regex("(src|href)\\s*=\\s*\"?(https?:|//|file:)", RegexOptions.IgnoreCase), html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        var images = Regex.Matches(html, "<img src=\"([^\"]*)\"");
        Assert.Equal(AllFigures.Length, images.Count);
        for (int i = 0; i < images.Count; i++)
        {
            string src = images[i].Groups[1].Value;
            Assert.StartsWith("data:image/png;base64,", src);
            byte[] png = Convert.FromBase64String(src["data:image/png;base64,".Length..]);
            Assert.Equal(PngSignature, png[..8]);
            // The embedded image is the figure written next to the page, in the figure order.
            Assert.Equal(File.ReadAllBytes(Path.Combine(report.Directory, AllFigures[i] + ".png")), png);
        }

        // Every link points at a file that was written next to the page.
        var hrefs = Regex.Matches(html, "href=\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(hrefs);
        Assert.All(hrefs, href => Assert.True(File.Exists(Path.Combine(report.Directory, Uri.UnescapeDataString(href))), href));
    }

    [Fact]
    public void Html_HoldsThePlanReasonsWarningsAndAccuracy()
    {
        var plan = report.Plan;
        string html = report.Html;

        Assert.Contains(HtmlReport.Escape(plan.Best.Schedule.ToDisplaySpec()), html);
        Assert.Contains(ReportFormat.WithInterval(plan.Best.PredictedLoss, plan.Best.Lower, plan.Best.Upper), html);
        Assert.Contains(HtmlReport.Escape(PlanExplainer.Interval(plan)), html);
        Assert.Contains(ReportFormat.Integer(plan.Hyperparameters.Steps), html);
        Assert.Contains(ReportFormat.Beta(plan.Hyperparameters.Momentum), html);
        // The reasons in the explainer's words, the hostile source escaped; the peak LR's interval in the summary.
        foreach (var r in PlanExplainer.Reasons(plan))
        {
            Assert.Contains(HtmlReport.Escape(r.Text), html);
            Assert.Contains(HtmlReport.Escape(r.Source), html);
            Assert.Contains(HtmlReport.Escape(r.Decides), html);
        }
        Assert.Contains("peak LR interval", html);
        Assert.Contains(HtmlReport.Escape(ReportFormat.G(0.7 * SamplePlan.Peak, 3)), html);

        foreach (string w in PlanExplainer.Warnings(plan)) Assert.Contains("<li>" + HtmlReport.Escape(w) + "</li>", html);
        foreach (var u in plan.RunnerUps) Assert.Contains(HtmlReport.Escape(u.Schedule.ToDisplaySpec()), html);
        foreach (var a in plan.Accuracy)
        {
            Assert.Contains(HtmlReport.Escape(a.Protocol), html);
            Assert.Contains(ReportFormat.Percent(a.PredE), html);
        }

        foreach (string run in plan.Runs) Assert.Contains("<li>" + HtmlReport.Escape(run) + "</li>", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        // The sections come in the documented order.
        string[] order = ["id=\"plan\"", "id=\"runner-ups\"", "id=\"reasons\"", "id=\"warnings\"", "id=\"figures\"", "id=\"accuracy\"", "id=\"runs\""];
        int[] at = [.. order.Select(s => html.IndexOf(s, StringComparison.Ordinal))];
        Assert.All(at, i => Assert.True(i >= 0));
        Assert.Equal(at.Order(), at);
        Assert.DoesNotContain("Not drawn", html);
    }

    [Fact]
    public void Csv_HoldTheDataGiven()
    {
        var plan = report.Plan;
        var contour = report.Data.Contour!;
        var rows = CsvReader.Rows(File.ReadAllText(Path.Combine(report.Directory, PlanFigures.Contour + ".csv")));
        Assert.Equal(["x", "y", "z"], rows[0]);
        Assert.Equal(contour.Peaks.Length * contour.Warmups.Length, rows.Count - 1);
        for (int r = 0; r < contour.Warmups.Length; r++)
        {
            for (int c = 0; c < contour.Peaks.Length; c++)
            {
                string[] row = rows[1 + r * contour.Peaks.Length + c];
                Assert.Equal(contour.Peaks[c], CsvReader.Number(row[0]));
                Assert.Equal(contour.Warmups[r], CsvReader.Number(row[1]));
                Assert.Equal(contour.Loss[r, c], CsvReader.Number(row[2]));
            }
        }

        var points = CsvReader.Rows(File.ReadAllText(Path.Combine(report.Directory, PlanFigures.ScalingLr + ".points.csv")));
        Assert.Equal(plan.Scaling.LearningRatePoints.Select(p => new[] { p.Label, p.Tokens.ToString("R", System.Globalization.CultureInfo.InvariantCulture), p.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture) }),
            points.Skip(1));

        // The full predicted curves in loss-curves.full.csv; the figure's own CSV holds the drawn part, from CurveStart of the run on.
        var full = CsvReader.Rows(File.ReadAllText(Path.Combine(report.Directory, PlanFigures.LossCurves + ".full.csv")));
        Assert.Equal(["schedule", "step", "predicted_loss"], full[0]);
        var best = full.Skip(1).Where(row => row[0].StartsWith("best: ", StringComparison.Ordinal)).ToList();
        var curve = report.Data.Curves[0];
        Assert.Equal(plan.Best.Schedule.ToSpec(), curve.Schedule);
        Assert.Equal(curve.Steps, best.Select(row => CsvReader.Number(row[1])));
        Assert.Equal(curve.Loss, best.Select(row => CsvReader.Number(row[2])));
        Assert.Equal(1 + plan.RunnerUps.Count, full.Skip(1).Select(row => row[0]).Distinct().Count());
        var drawn = CsvReader.Rows(File.ReadAllText(Path.Combine(report.Directory, PlanFigures.LossCurves + ".csv"))).Skip(1)
            .Where(row => row[0].StartsWith("best: ", StringComparison.Ordinal)).ToList();
        int from = Array.FindIndex(curve.Steps, s => s >= PlanFigures.CurveStart * curve.Steps[^1]);
        Assert.True(from > 0);
        Assert.Equal(curve.Steps[from..], drawn.Select(row => CsvReader.Number(row[1])));
        Assert.Equal(curve.Loss[from..], drawn.Select(row => CsvReader.Number(row[2])));

        var heldOut = CsvReader.Rows(File.ReadAllText(Path.Combine(report.Directory, PlanFigures.HeldOutPrefix + "optlaw.runs.csv")));
        var curves = plan.Accuracy[0].Curves;
        Assert.Equal(curves.Sum(c => c.Steps.Length), heldOut.Count - 1);
        Assert.Equal(curves[^1].Predicted[^1], CsvReader.Number(heldOut[^1][3]));
    }

    [Fact]
    public void LrScheduleSample_HasTheCornersAndTheScheduleValues()
    {
        var schedule = new WsdSchedule(1e-3, 100_000, 1234, cooldown: 0.2, floor: 1e-5);

        var (steps, lr) = PlanFigures.Sample(schedule, 1000);

        Assert.InRange(steps.Length, 1000, 1004);
        Assert.Equal(1, steps[0]);
        Assert.Equal(100_000, steps[^1]);
        Assert.Equal(steps.Order(), steps);
        Assert.Equal(steps.Length, steps.Distinct().Count());
        foreach (int corner in new[] { 1234, 1235, 100_000 - schedule.CooldownLength, 100_001 - schedule.CooldownLength }) Assert.Contains(corner, steps);
        for (int i = 0; i < steps.Length; i++) Assert.Equal(schedule.At((int)steps[i]), lr[i]);
        var small = new CosineSchedule(1e-3, 50, 5);
        Assert.Equal(small.Evaluate(), PlanFigures.Sample(small, 1000).Lr);
    }
}

public sealed class PlanReportSkipTests
{
    [Fact]
    public void MissingData_SkipsThoseFigures_AndTheReportSaysSo()
    {
        var full = SamplePlan.Create();
        var plan = full with
        {
            Accuracy = [],
            Scaling = new ScalingFigureData([], [], [], []),
            Warnings = [],
            RunnerUps = [],
        };

        var set = PlanFigures.Build(plan, SamplePlan.Data() with { Contour = null, Divergence = null });

        Assert.Equal([PlanFigures.LossCurves, PlanFigures.LrSchedules], set.Figures.Select(f => f.Name));
        foreach (string name in new[] { PlanFigures.ScalingLr, PlanFigures.ScalingBatch, PlanFigures.Contour, PlanFigures.DivergenceMargin, PlanFigures.DivergenceProbability, PlanFigures.HeldOutPrefix })
            Assert.Contains(set.Skipped, s => s.StartsWith(name, StringComparison.Ordinal));
        string html = PlanReport.Build(plan, set, f => f.RenderPng()).Render();
        Assert.Contains("Not drawn:", html);
        foreach (string s in set.Skipped) Assert.Contains("<li>" + HtmlReport.Escape(s) + "</li>", html);
        Assert.Equal(2, Regex.Count(html, "<img "));
        Assert.Contains("No warnings were raised.", html);
        Assert.DoesNotContain("class=\"warning\"", html);
    }

    [Fact]
    public void RunNotes_OneLinePerKind_TheRunsFoldedBelowIt()
    {
        // A grid of resumed jobs: forty runs with resume conflicts, one torn tail.
        var notes = Enumerable.Range(0, 40)
            .Select(i => new HyperLaws.Runs.RunNote(HyperLaws.Runs.RunNoteKind.ResumeConflicts, $"run{i}.json") { Quantities = new Dictionary<string, double> { ["conflicts"] = i + 1, ["resumes"] = 1 } })
            .Append(new HyperLaws.Runs.RunNote(HyperLaws.Runs.RunNoteKind.TornTail, "live.wandb") { Detail = "a record cut at offset 96", Quantities = new Dictionary<string, double> { ["offset"] = 96 } })
            .ToList();
        var plan = SamplePlan.Create() with { Warnings = [], RunNotes = notes };
        var set = PlanFigures.Build(plan, SamplePlan.Data() with { Contour = null, Divergence = null });
        string html = PlanReport.Build(plan, set, f => f.RenderPng()).Render();

        string box = html[html.IndexOf("41 notes on reading the runs", StringComparison.Ordinal)..];
        box = box[..box.IndexOf("</div>", StringComparison.Ordinal)];
        // Two top-level lines: the torn tail in full (the only one of its kind) and one line for the forty conflicts, kinds in enum order.
        string top = Regex.Replace(box, "<details>.*?</details>", "", RegexOptions.Singleline);
        Assert.Equal(2, Regex.Count(top, "<li>"));
        Assert.Contains("<li>" + HtmlReport.Escape(PlanExplainer.RunNote(notes[^1])) + "</li>", top);
        Assert.Contains("<li>" + HtmlReport.Escape(PlanExplainer.RunNoteGroup(HyperLaws.Runs.RunNoteKind.ResumeConflicts, 40)), top);
        Assert.StartsWith("resume conflicts", PlanExplainer.RunNoteGroup(HyperLaws.Runs.RunNoteKind.ResumeConflicts, 40), StringComparison.Ordinal);
        Assert.EndsWith("in 40 runs", PlanExplainer.RunNoteGroup(HyperLaws.Runs.RunNoteKind.ResumeConflicts, 40), StringComparison.Ordinal);
        Assert.True(box.IndexOf("torn tail", StringComparison.Ordinal) < box.IndexOf("resume conflicts", StringComparison.Ordinal));
        // Every run's own line is still there, folded in one <details>.
        Assert.Equal(1, Regex.Count(box, "<details>"));
        string folded = Regex.Match(box, "<details>.*?</details>", RegexOptions.Singleline).Value;
        Assert.Contains("<summary>40 in full</summary>", folded);
        foreach (var n in notes.Take(40)) Assert.Contains("<li>" + HtmlReport.Escape(PlanExplainer.RunNote(n)) + "</li>", folded);
    }

    [Fact]
    public void DivergenceWithoutProbability_DrawsTheMarginOnly()
    {
        var plan = SamplePlan.Create();
        var data = SamplePlan.Data();
        var d = data.Divergence!;
        var set = PlanFigures.Build(plan, data with { Divergence = d with { Probability = [.. d.Peaks.Select(_ => double.NaN)] } });

        Assert.Contains(set.Figures, f => f.Name == PlanFigures.DivergenceMargin);
        Assert.DoesNotContain(set.Figures, f => f.Name == PlanFigures.DivergenceProbability);
        Assert.Contains(set.Skipped, s => s.StartsWith(PlanFigures.DivergenceProbability, StringComparison.Ordinal));
        // The margin figure holds the model's rule, peak / eta_crit against the line at 1, and both markers.
        var chart = set.Figures.Single(f => f.Name == PlanFigures.DivergenceMargin).Line!;
        Assert.Contains(chart.Series, s => s.Y.All(y => y == 1));
        Assert.Equal([d.PlanPeak, d.EtaL], chart.VerticalMarkers!.Select(m => m.X));
        Assert.Equal(d.Peaks.Select(p => p / d.EtaL), chart.Series[0].Y);
        // Above the line exactly where the peak exceeds eta_crit.
        Assert.All(d.Peaks.Zip(chart.Series[0].Y), x => Assert.Equal(x.First > d.EtaL, x.Second > 1));
    }

    [Fact]
    public void FailureWhileRendering_LeavesNothingBehind()
    {
        var plan = SamplePlan.Create();
        var data = SamplePlan.Data();
        var c = data.Contour!;
        // Peaks out of order: the contour cannot be drawn, after the first figures were rendered.
        data = data with { Contour = c with { Peaks = [.. c.Peaks.Reverse()] } };
        using var tmp = new TempDir();
        string directory = tmp.Path;
        Assert.Throws<ArgumentException>(() => PlanReport.Write(plan, directory, data: data));
        Assert.Empty(Directory.GetFileSystemEntries(directory));
    }

    [Fact]
    public void A_plan_without_its_law_has_no_figure_data_and_the_law_optimum_is_marked_on_the_contour()
    {
        // A hand-made plan holds no law: Compute gives no curves, contour or margin, so those figures are skipped.
        var plan = SamplePlan.Create();
        Assert.Same(PlanFigureData.Empty, PlanFigureData.Compute(plan));
        var set = PlanFigures.Build(plan);
        Assert.DoesNotContain(set.Figures, f => f.Name == PlanFigures.Contour || f.Name == PlanFigures.LossCurves);
        // With a law optimum other than the plan's peak, the contour draws it as its own line, named in the caption.
        var data = SamplePlan.Data();
        var marked = PlanFigures.Build(plan, data with { Contour = data.Contour! with { LawOptimumPeak = 2 * SamplePlan.Peak } });
        var contour = marked.Figures.Single(f => f.Name == PlanFigures.Contour);
        Assert.Contains(contour.Contour!.Overlays!, o => o.X.All(x => x == 2 * SamplePlan.Peak));
        Assert.Contains("the law's own optimum peak", contour.Caption, StringComparison.Ordinal);
    }
}
