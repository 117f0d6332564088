using System.Text.Json.Nodes;

namespace HyperLaws.Cli.Tests.Commands;

// Inside the namespace so that [Theory] binds to xunit, not to the HyperLaws.Theory namespace.
using Xunit;

/// <summary>
/// <c>hyperlaws predict</c> end to end: the predicted curve checked against the LR-annealing law
/// evaluated by hand, step selection, figures, and bad schedules, law files and steps.
/// </summary>
public sealed class PredictCommandTests
{
    private const double L0 = 3.15, A = 0.51, Alpha = 0.51, C = 0.40;
    private const double Peak = 3e-4, Floor = 3e-5;
    private const int Warmup = 2160, Steps = 24000, CooldownStart = 19200; // cooldown = 0.2 of 24000 = 4800 steps

    private const string Wsd = "wsd(peak=3e-4,warmup=2160,steps=24000,cooldown=0.2,shape=linear,floor=3e-5)";
    private const string Constant = "constant(peak=3e-4,warmup=2160,steps=24000)";

    private const string TissueLaw = """{"format":"hyperlaws-law","version":1,"law":"tissue","parameters":{"L0":3.15,"A":0.51,"alpha":0.51,"C":0.40}}""";

    /// <summary>A hand-written tissue law file in a fresh temp folder.</summary>
    private static string WriteLaw(TempDir tmp, string text = TissueLaw, string name = "law.json")
    {
        string path = Path.Combine(tmp.Path, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void The_text_shows_the_schedule_with_lower_case_exponents_and_the_json_keeps_the_canonical_spec()
    {
        using var tmp = new TempDir();
        string law = WriteLaw(tmp), schedule = "cosine(peak=6.67e-4,steps=2000,warmup=100,floor=6.67e-5)";
        var text = Cli.Run("predict", "--law", law, "--schedule", schedule);
        Assert.True(text.ExitCode == 0, text.Stderr);
        Assert.Contains("floor=6.67e-05)", text.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("E-05", text.Stdout, StringComparison.Ordinal);
        var json = Cli.Run("predict", "--law", law, "--schedule", schedule, "--json").Json();
        Assert.EndsWith("floor=6.67E-05)", (string?)json["schedule"], StringComparison.Ordinal);
    }

    /// <summary>eta_k of the wsd schedule above, written out from its definition (k = 1..24000).</summary>
    private static double WsdEta(int k)
    {
        if (k < Warmup) return Peak * k / Warmup;
        if (k <= CooldownStart) return Peak;
        return Peak - (Peak - Floor) * ((double)(k - CooldownStart) / (Steps - CooldownStart));
    }

    /// <summary>
    /// S1 = sum eta_i and S2 = sum m_i with m_i = 0.999 m_{i-1} + (eta_{i-1} - eta_i), the momentum counted
    /// only after the initial warmup (here: from the first drop of the LR on).
    /// </summary>
    private static (double S1, double S2) Areas(Func<int, double> eta, int steps)
    {
        double s1 = 0, s2 = 0, m = 0;
        bool warmingUp = true;
        for (int i = 1; i <= steps; i++)
        {
            double e = eta(i);
            s1 += e;
            if (i > 1 && e < eta(i - 1)) warmingUp = false;
            if (!warmingUp) m = 0.999 * m + (eta(i - 1) - e);
            s2 += m;
        }
        return (s1, s2);
    }

    /// <summary>L = L0 + A S1^-alpha - C S2.</summary>
    private static double Tissue(double l0, double a, double alpha, double c, (double S1, double S2) areas) =>
        l0 + a * Math.Pow(areas.S1, -alpha) - c * areas.S2;

    private static double TissueByHand(Func<int, double> eta, int steps) => Tissue(L0, A, Alpha, C, Areas(eta, steps));

    private static string[] PredictArgs(string law, string schedule, params string[] extra) => ["predict", "--law", law, "--schedule", schedule, .. extra];

    [Fact]
    public void Json_has_the_curve_and_its_final_loss_matches_the_law_by_hand()
    {
        using var tmp = new TempDir();
        var json = LawCliData.RunJson(PredictArgs(WriteLaw(tmp), Wsd, "--json"));

        Assert.Equal("tissue", (string?)json["law"]);
        var steps = json["steps"]!.AsArray().Select(x => (int)x!).ToArray();
        var loss = json["loss"]!.AsArray().Select(x => (double)x!).ToArray();
        var lrs = json["learningRates"]!.AsArray().Select(x => (double)x!).ToArray();
        // The default: 200 evenly spaced steps ending at the last one.
        Assert.Equal(200, steps.Length);
        Assert.Equal(Steps, steps[^1]);
        Assert.Equal(steps.Order().Distinct(), steps);
        Assert.Equal(steps.Length, loss.Length);
        Assert.Equal(steps.Length, lrs.Length);
        for (int i = 0; i < steps.Length; i++) JsonAssert.Relative(WsdEta(steps[i]), lrs[i], 1e-12, $"lr at step {steps[i]}");
        Assert.All(loss, y => Assert.True(double.IsFinite(y)));

        double expected = TissueByHand(WsdEta, Steps);
        JsonAssert.Close(json, "finalLoss", expected, 1e-9);
        Assert.Equal(JsonAssert.Number(json, "finalLoss"), loss[^1]);
        // Sanity on the hand computation itself: the cooldown's annealing area is positive.
        Assert.True(Areas(WsdEta, Steps).S2 > 0);
    }

    [Fact]
    public void Constant_schedule_matches_the_law_by_hand()
    {
        using var tmp = new TempDir();
        var json = LawCliData.RunJson(PredictArgs(WriteLaw(tmp), Constant, "--json"));
        double expected = TissueByHand(k => k < Warmup ? Peak * k / Warmup : Peak, Steps);
        JsonAssert.Close(json, "finalLoss", expected, 1e-9);
    }

    [Fact]
    public void A_cooldown_predicts_a_lower_final_loss_than_constant()
    {
        using var tmp = new TempDir();
        string law = WriteLaw(tmp);
        double wsd = JsonAssert.Number(LawCliData.RunJson(PredictArgs(law, Wsd, "--json")), "finalLoss");
        double constant = JsonAssert.Number(LawCliData.RunJson(PredictArgs(law, Constant, "--json")), "finalLoss");
        Assert.True(wsd < constant, $"wsd {wsd} should be below constant {constant}");
    }

    [Fact]
    public void A_peak_lr_outside_the_runs_peaks_is_warned_as_rank_warns_its_candidates()
    {
        // The audit: predict at peak=10 from a law fitted at peaks near 1e-3 gave a loss below every run, rc 0, no word.
        using var tmp = new TempDir();
        string law = Path.Combine(tmp.Path, "law.json");
        LawCliData.RunJson(["fit", "--law", "tissue", "--runs", .. LawCliData.Training("25"), "--out", law, "--json"]);
        var far = LawCliData.RunJson(PredictArgs(law, "constant(peak=10,warmup=2160,steps=24000)", "--json"));
        Assert.Contains(far["warnings"]!.AsArray(), x => ((string?)x)!.StartsWith("the schedule's peak LR 10 is outside the training runs' range", StringComparison.Ordinal));
        var near = LawCliData.RunJson(PredictArgs(law, Wsd, "--json"));
        Assert.DoesNotContain(near["warnings"]!.AsArray(), x => ((string?)x)!.Contains("peak LR", StringComparison.Ordinal));
    }

    [Fact]
    public void A_law_file_from_fit_predicts()
    {
        using var tmp = new TempDir();
        string law = Path.Combine(tmp.Path, "law.json");
        var fit = LawCliData.RunJson(["fit", "--law", "tissue", "--runs", .. LawCliData.Training("25"), "--out", law, "--json"]);

        var wsd = LawCliData.RunJson(PredictArgs(law, Wsd, "--json"));
        var constant = LawCliData.RunJson(PredictArgs(law, Constant, "--json"));

        double wsdLoss = JsonAssert.Number(wsd, "finalLoss"), constantLoss = JsonAssert.Number(constant, "finalLoss");
        Assert.True(wsdLoss < constantLoss);
        Assert.InRange(wsdLoss, 3.0, 3.6); // the 25M model ends near 3.3
        // The fitted law, by hand, gives the same number as the CLI.
        var p = fit["parameters"]!;
        double expected = Tissue(JsonAssert.Number(p, "L0"), JsonAssert.Number(p, "A"), JsonAssert.Number(p, "alpha"), JsonAssert.Number(p, "C"), Areas(WsdEta, Steps));
        JsonAssert.Relative(expected, wsdLoss, 1e-9, "finalLoss of the fitted law");
    }

    [Fact]
    public void Steps_list_returns_exactly_those_steps()
    {
        using var tmp = new TempDir();
        var json = LawCliData.RunJson(PredictArgs(WriteLaw(tmp), Wsd, "--steps", "1000,5000", "--json"));

        Assert.Equal([1000, 5000], json["steps"]!.AsArray().Select(x => (int)x!).ToArray());
        Assert.Equal(2, json["loss"]!.AsArray().Count);
        var lrs = json["learningRates"]!.AsArray().Select(x => (double)x!).ToArray();
        Assert.Equal(2, lrs.Length);
        JsonAssert.Relative(WsdEta(1000), lrs[0], 1e-12, "lr at 1000 (warmup)");
        JsonAssert.Relative(Peak, lrs[1], 1e-12, "lr at 5000 (stable)");
        // finalLoss is the loss at the last requested step.
        Assert.Equal((double)json["loss"]![1]!, JsonAssert.Number(json, "finalLoss"));
    }

    [Fact]
    public void Steps_list_is_sorted_and_deduplicated()
    {
        using var tmp = new TempDir();
        var json = LawCliData.RunJson(PredictArgs(WriteLaw(tmp), Wsd, "--steps", "24000,1000,1000,20000", "--json"));
        Assert.Equal([1000, 20000, 24000], json["steps"]!.AsArray().Select(x => (int)x!).ToArray());
        JsonAssert.Close(json, "finalLoss", TissueByHand(WsdEta, Steps), 1e-9);
        JsonAssert.Relative(WsdEta(20000), (double)json["learningRates"]![1]!, 1e-12, "lr at 20000");
    }

    [Theory]
    [InlineData("every:1000", 24, 1000)]
    [InlineData("every:7000", 4, 7000)] // 7000, 14000, 21000 and the last step
    public void Steps_every_k(string steps, int count, int k)
    {
        using var tmp = new TempDir();
        var json = LawCliData.RunJson(PredictArgs(WriteLaw(tmp), Wsd, "--steps", steps, "--json"));
        var at = json["steps"]!.AsArray().Select(x => (int)x!).ToArray();

        Assert.Equal(count, at.Length);
        Assert.Equal(Steps, at[^1]);
        for (int i = 0; i < at.Length - 1; i++) Assert.Equal((i + 1) * k, at[i]);
        JsonAssert.Close(json, "finalLoss", TissueByHand(WsdEta, Steps), 1e-9);
    }

    [Fact]
    public void Plot_writes_png_svg_and_csv()
    {
        using var tmp = new TempDir();
        string law = WriteLaw(tmp);
        string png = Path.Combine(tmp.Path, "p.png");

        var r = Cli.Run(PredictArgs(law, Wsd, "--steps", "every:1000", "--plot", png));

        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}; stderr: {r.Stderr}");
        Assert.Contains("predicted final loss", r.Stdout, StringComparison.Ordinal);
        foreach (string ext in new[] { ".png", ".svg", ".csv" })
        {
            string file = Path.Combine(tmp.Path, "p" + ext);
            Assert.True(File.Exists(file), file);
            Assert.True(new FileInfo(file).Length > 0, file);
        }
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(png)[..4]);
        Assert.Contains("<svg", File.ReadAllText(Path.Combine(tmp.Path, "p.svg")), StringComparison.Ordinal);
        Assert.Contains("24000", File.ReadAllText(Path.Combine(tmp.Path, "p.csv")), StringComparison.Ordinal);
        // Each file written is named on stdout after the table, as contour, fit and sweep do (was: nothing).
        string[] written = [.. new[] { ".png", ".svg", ".csv" }.Select(ext => "written: " + Path.Combine(tmp.Path, "p" + ext))];
        Assert.Equal(written, r.Stdout.TrimEnd('\n').Split('\n')[^3..]);
    }

    [Fact]
    public void Plot_names_its_files_in_the_json_and_quiet_drops_only_the_warnings()
    {
        using var tmp = new TempDir();
        // A law fitted on a 2,000-step run asked for 24,000 steps: predict warns that it extrapolates.
        Directory.CreateDirectory(Path.Combine(tmp.Path, "runs"));
        PlanRuns.Write(Path.Combine(tmp.Path, "runs", "a.csv"), new HyperLaws.Schedules.ConstantSchedule(1e-3, 2000, 20), nanAt: null);
        string law = WriteLaw(tmp, TissueLaw[..^1] + ""","runs":["runs/a.csv"]}""");
        string png = Path.Combine(tmp.Path, "p.png");
        string[] files = [.. new[] { ".png", ".svg", ".csv" }.Select(ext => Path.Combine(tmp.Path, "p" + ext))];

        var loud = Cli.Run(PredictArgs(law, Wsd, "--steps", "24000", "--plot", png));
        Assert.Equal(0, loud.ExitCode);
        Assert.Contains("warning: ", loud.Stderr, StringComparison.Ordinal);
        var quiet = Cli.Run(PredictArgs(law, Wsd, "--steps", "24000", "--plot", png, "--quiet"));
        Assert.Equal(0, quiet.ExitCode);
        Assert.Equal("", quiet.Stderr);
        Assert.Equal(loud.Stdout, quiet.Stdout);
        Assert.Equal([.. files.Select(f => "written: " + f)], quiet.Stdout.TrimEnd('\n').Split('\n')[^3..]);

        var json = Cli.Run(PredictArgs(law, Wsd, "--steps", "24000", "--plot", png, "--json"));
        Assert.Equal(0, json.ExitCode);
        Assert.Equal(files, json.Json()["files"]!.AsArray().Select(f => (string)f!));
        Assert.NotEmpty(json.Json()["warnings"]!.AsArray());
        Assert.Empty(Cli.Run(PredictArgs(law, Wsd, "--steps", "24000", "--json")).Json()["files"]!.AsArray());
    }

    [Fact]
    public void Plot_draws_the_whole_run_densely_and_dashes_the_steps_outside_the_fitted_runs()
    {
        using var tmp = new TempDir();
        // Two runs logged every 10 steps from step 10 to 2,000: the law was fitted on steps 10..2000.
        Directory.CreateDirectory(Path.Combine(tmp.Path, "runs"));
        PlanRuns.Write(Path.Combine(tmp.Path, "runs", "a.csv"), new HyperLaws.Schedules.ConstantSchedule(1e-3, 2000, 20), nanAt: null);
        PlanRuns.Write(Path.Combine(tmp.Path, "runs", "b.csv"), new HyperLaws.Schedules.ConstantSchedule(5e-4, 1500, 20), nanAt: null);
        string law = WriteLaw(tmp, TissueLaw[..^1] + ""","runs":["runs/a.csv","runs/b.csv"]}""");
        string png = Path.Combine(tmp.Path, "p.png");

        // The table asks for one step; the figure still covers the run.
        var r = Cli.Run(PredictArgs(law, Wsd, "--steps", "24000", "--plot", png));

        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}; stderr: {r.Stderr}");
        var rows = CsvReader(File.ReadAllText(Path.Combine(tmp.Path, "p.csv")));
        var solid = rows.Where(row => row[0] == "predicted loss").ToList();
        var dashed = rows.Where(row => row[0] == "extrapolated (outside the fitted steps)").ToList();
        Assert.InRange(solid.Count, 400, 24000);
        Assert.Equal(solid.Count, dashed.Count);
        Assert.Equal(1, double.Parse(solid[0][1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Steps, double.Parse(solid[^1][1], System.Globalization.CultureInfo.InvariantCulture));
        static double X(string[] row) => double.Parse(row[1], System.Globalization.CultureInfo.InvariantCulture);
        static bool Drawn(string[] row) => row[2] != "NaN";
        // Solid exactly inside [10, 2000]; dashed outside it, meeting the solid part at the points next to each edge.
        Assert.All(solid.Where(Drawn), row => Assert.InRange(X(row), 10, 2000));
        Assert.All(solid.Where(row => X(row) >= 10 && X(row) <= 2000), row => Assert.True(Drawn(row)));
        Assert.All(dashed.Where(row => X(row) > 2000), row => Assert.True(Drawn(row)));
        Assert.True(dashed.Count(row => Drawn(row) && X(row) >= 10 && X(row) <= 2000) <= 2);
        // Before the first fitted step the loss is far above the rest: drawn dashed, or left out and the figure says so.
        string svg = File.ReadAllText(Path.Combine(tmp.Path, "p.svg"));
        Assert.True(dashed.Any(row => Drawn(row) && X(row) < 10) || svg.Contains("are not drawn", StringComparison.Ordinal));
        Assert.Contains("first fitted step 10", svg, StringComparison.Ordinal);
        Assert.Contains("last fitted step 2000", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void Plot_of_a_law_without_runs_says_the_fitted_steps_are_unknown()
    {
        using var tmp = new TempDir();
        string png = Path.Combine(tmp.Path, "p.png");
        var r = Cli.Run(PredictArgs(WriteLaw(tmp), Wsd, "--plot", png));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("fitted steps unknown", File.ReadAllText(Path.Combine(tmp.Path, "p.svg")), StringComparison.Ordinal);
        Assert.DoesNotContain("extrapolated", File.ReadAllText(Path.Combine(tmp.Path, "p.csv")), StringComparison.Ordinal);
    }

    private static List<string[]> CsvReader(string text) => [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => line.Split(','))];

    [Fact]
    public void Plot_into_an_unwritable_place_is_named()
    {
        using var tmp = new TempDir();
        string line = Cli.Run(PredictArgs(WriteLaw(tmp), Wsd, "--plot", "/proc/x/p.png", "--json")).AssertUsageError();
        Assert.Contains("/proc/x/p.png", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wsd(peak=3e-4,warmup=2160,steps=24000,cooldown=1.5)", "cooldown")]
    [InlineData("wsd(peak=3e-4,warmup=2160,steps=24000,cooldown=0.2,shape=bogus)", "shape")]
    [InlineData("wsd(peak=abc,warmup=2160,steps=24000,cooldown=0.2)", "peak")]
    [InlineData("wsd(peak=3e-4,warmup=2160,steps=24000,cooldown=0.2,bogus=1)", "bogus")]
    [InlineData("nope(peak=3e-4,steps=100)", "nope")]
    public void Bad_schedule_names_the_option_and_the_field(string schedule, string field)
    {
        using var tmp = new TempDir();
        string line = Cli.Run(PredictArgs(WriteLaw(tmp), schedule, "--json")).AssertUsageError();
        Assert.Contains("--schedule", line, StringComparison.Ordinal);
        Assert.Contains(field, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("[1, 2]")]
    [InlineData("""{"format":"something-else","law":"tissue","parameters":{}}""")]
    public void Law_file_that_is_not_a_law_is_named(string text)
    {
        using var tmp = new TempDir();
        string law = WriteLaw(tmp, text);
        string line = Cli.Run(PredictArgs(law, Wsd)).AssertUsageError();
        Assert.Contains(law, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"format":"hyperlaws-law","version":1,"law":"tissue","parameters":{"L0":3.15,"A":0.51,"alpha":0.51}}""", "'C'")]
    [InlineData("""{"format":"hyperlaws-law","version":1,"law":"tissue","parameters":{"A":0.51,"alpha":0.51,"C":0.4}}""", "'L0'")]
    [InlineData("""{"format":"hyperlaws-law","version":1,"law":"tissue","parameters":{"L0":3.15,"A":"x","alpha":0.51,"C":0.4}}""", "'A'")]
    [InlineData("""{"format":"hyperlaws-law","version":1,"law":"bogus","parameters":{}}""", "bogus")]
    [InlineData("""{"format":"hyperlaws-law","version":1,"law":"tissue"}""", "parameters")]
    public void Law_file_with_a_bad_or_missing_parameter_names_it(string text, string fragment)
    {
        using var tmp = new TempDir();
        string law = WriteLaw(tmp, text);
        string line = Cli.Run(PredictArgs(law, Wsd, "--json")).AssertUsageError();
        Assert.Contains(law, line, StringComparison.Ordinal);
        Assert.Contains(fragment, line, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_law_file_is_named()
    {
        using var tmp = new TempDir();
        string law = Path.Combine(tmp.Path, "no-such-law.json");
        Assert.Contains(law, Cli.Run(PredictArgs(law, Wsd)).AssertUsageError(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"format":"hyperlaws-law","version":1,"law":5,"parameters":{"L0":3.15,"A":0.51,"alpha":0.51,"C":0.40}}""")]
    [InlineData("""{"format":1,"law":"tissue","parameters":{"L0":3.15,"A":0.51,"alpha":0.51,"C":0.40}}""")]
    [InlineData("""{"format":"hyperlaws-law","version":1,"law":"tissue","parameters":{"L0":3.15,"A":0.51,"alpha":0.51,"C":0.40},"objective":"x"}""")]
    public void Law_file_with_wrongly_typed_fields_is_a_usage_error(string text)
    {
        using var tmp = new TempDir();
        string law = WriteLaw(tmp, text);
        Assert.Contains(law, Cli.Run(PredictArgs(law, Wsd, "--json")).AssertUsageError(), StringComparison.Ordinal);
    }

    [Fact]
    public void Law_that_is_a_folder_is_a_usage_error()
    {
        using var tmp = new TempDir();
        Assert.Contains(tmp.Path, Cli.Run(PredictArgs(tmp.Path, Wsd)).AssertUsageError(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("24001", "24001")]
    [InlineData("0", "'0'")]
    [InlineData("1000,30000", "30000")]
    [InlineData("1.5", "1.5")]
    [InlineData("every:0", "every:")]
    [InlineData("every:-5", "every:")]
    [InlineData("every:x", "every:")]
    [InlineData(",", "empty item")]
    public void Bad_steps_are_named(string steps, string fragment)
    {
        using var tmp = new TempDir();
        string line = Cli.Run(PredictArgs(WriteLaw(tmp), Wsd, "--steps", steps, "--json")).AssertUsageError();
        Assert.Contains("--steps", line, StringComparison.Ordinal);
        Assert.Contains(fragment, line, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_lists_the_options()
    {
        var r = Cli.Run("predict", "--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stderr);
        Assert.Contains("predict [options]", r.Stdout, StringComparison.Ordinal);
        foreach (string option in new[] { "--law", "--schedule", "--steps", "--plot", "--json", "--quiet" })
            Assert.Contains(option, r.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("W_clock")]
    [InlineData("H_edge")]
    [InlineData("clock_p")]
    public void A_joint_law_file_older_than_a_parameter_predicts_as_with_it_at_zero(string absent)
    {
        // The LAW.json checks indexed the file's parameters by name: a joint file written before W_clock, H_edge, clock_p, ... (positive
        // parameters of JointLaw.ZeroWhenAbsent) stopped with 'internal error (KeyNotFoundException)', exit 70.
        var names = new HyperLaws.Laws.Joint.JointLaw().ParameterNames;
        var p = new double[names.Count];
        p[HyperLaws.Laws.Joint.JointLaw.E] = 3;
        p[HyperLaws.Laws.Joint.JointLaw.Beta] = 0.34;
        p[HyperLaws.Laws.Joint.JointLaw.A] = 0.5;
        p[HyperLaws.Laws.Joint.JointLaw.Alpha] = 0.5;
        p[HyperLaws.Laws.Joint.JointLaw.Sw] = 0.05;
        p[HyperLaws.Laws.Joint.JointLaw.Kappa] = 500;
        p[HyperLaws.Laws.Joint.JointLaw.C] = 2;
        var parameters = new JsonObject();
        for (int i = 0; i < names.Count; i++) parameters[names[i]] = p[i];
        var file = new JsonObject { ["format"] = "hyperlaws-law", ["version"] = 1, ["law"] = "joint", ["parameters"] = parameters };
        using var tmp = new TempDir();
        string zero = WriteLaw(tmp, file.ToJsonString(), "zero.json");
        Assert.True(parameters.Remove(absent));
        string old = WriteLaw(tmp, file.ToJsonString(), "old.json");
        var r = Cli.Run(PredictArgs(old, Wsd, "--json"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        var expected = Cli.Run(PredictArgs(zero, Wsd, "--json"));
        Assert.True(expected.ExitCode == 0, expected.Stderr);
        Assert.Equal(expected.Json()["finalLoss"]!.ToJsonString(), r.Json()["finalLoss"]!.ToJsonString());
    }
}
