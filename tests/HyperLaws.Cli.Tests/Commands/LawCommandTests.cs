using System.Text.Json.Nodes;
using HyperLaws.Laws;
using Xunit;

namespace HyperLaws.Cli.Tests.Commands;

/// <summary>fit, predict, compare and validate through the CLI, on the MPL curves shipped in data/.</summary>
public sealed class LawCommandTests
{
    private static readonly string[] Training = ["cosine_24000", "constant_24000", "wsdcon_9"];

    private static string RepoData()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "data", "MultiPowerLaw"))) return Path.Combine(dir.FullName, "data");
        throw new InvalidOperationException("data/MultiPowerLaw not found above " + AppContext.BaseDirectory);
    }

    private static string Curve(string size, string name) => Path.Combine(RepoData(), "MultiPowerLaw", "loss_curve_repo", "csv_" + size, name + ".csv");

    private static string[] Args(params object[] parts) => parts.SelectMany(p => p is string[] a ? a : [(string)p]).ToArray();

    [Fact]
    public void Fit_WritesALawFileThatPredictReads()
    {
        using var tmp = new TempDir();
        string law = Path.Combine(tmp.Path, "law.json");
        var fit = Cli.Run(Args("fit", "--law", "tissue", "--runs", Training.Select(n => Curve("25", n)).ToArray(), "--out", law, "--json"));
        var doc = fit.Json();
        Assert.Equal("tissue", (string?)doc["law"]);
        Assert.Equal(law, (string?)doc["out"]);
        Assert.Equal(3, doc["training"]!.AsArray().Count);
        foreach (string name in new[] { "L0", "A", "alpha", "C" }) Assert.True(double.IsFinite(JsonAssert.Number(doc["parameters"], name)));

        const string wsd = "wsd(peak=3e-4,warmup=2160,steps=24000,cooldown=0.2,shape=linear,floor=3e-5)";
        var predicted = Cli.Run(Args("predict", "--law", law, "--schedule", wsd, "--steps", "1000,24000", "--json")).Json();
        Assert.Equal([1000, 24000], predicted["steps"]!.AsArray().Select(x => (int)x!).ToArray());
        // The same prediction computed with the library from the saved parameters.
        var ps = doc["parameters"]!;
        double[] p = [(double)ps["L0"]!, (double)ps["A"]!, (double)ps["alpha"]!, (double)ps["C"]!];
        var y = new double[1];
        new AnnealingLaw().Predict(p, new ScheduleHistory(HyperLaws.Schedules.LrSchedule.Parse(wsd).Evaluate()), [24000], y);
        JsonAssert.Close(predicted, "finalLoss", y[0], 1e-12);

        var constant = Cli.Run(Args("predict", "--law", law, "--schedule", "constant(peak=3e-4,warmup=2160,steps=24000)", "--json")).Json();
        Assert.True(JsonAssert.Number(predicted, "finalLoss") < JsonAssert.Number(constant, "finalLoss"), "a cooldown must predict a lower final loss");

        string png = Path.Combine(tmp.Path, "curve.png");
        Assert.Equal(0, Cli.Run(Args("predict", "--law", law, "--schedule", wsd, "--steps", "every:1000", "--plot", png)).ExitCode);
        foreach (string ext in new[] { ".png", ".svg", ".csv" }) Assert.True(File.Exists(Path.ChangeExtension(png, ext)), ext);
    }

    [Fact]
    public void Compare_ScoresEveryLawOnHeldOutRuns()
    {
        using var tmp = new TempDir();
        var r = Cli.Run(Args("compare", "--train", Training.Select(n => Curve("25", n)).ToArray(),
            "--test", Curve("25", "wsd_20000_24000"), Curve("25", "wsdcon_18"), "--laws", "tissue,convex", "--plot", tmp.Path, "--json")).Json();
        var laws = r["laws"]!.AsArray();
        Assert.Equal(["tissue", "convex"], laws.Select(l => (string)l!["name"]!).ToArray());
        foreach (var l in laws)
            foreach (string m in new[] { "predE", "worstE", "r2", "mae", "rmse" }) Assert.True(double.IsFinite(JsonAssert.Number(l, m)), m);
        double tissue = JsonAssert.Number(laws[0], "predE"), convex = JsonAssert.Number(laws[1], "predE");
        Assert.InRange(tissue, 0, 0.005);
        Assert.True(tissue < convex);
        Assert.Equal(2, laws[0]!["curves"]!.AsArray().Count);
        Assert.Equal(6, Directory.GetFiles(tmp.Path).Length); // png, svg, csv per test run
    }

    [Fact]
    public void Validate_Protocol1_ScoresEverySizeNextToThePublishedNumbers()
    {
        var r = Cli.Run(Args("validate", "--data", RepoData(), "--laws", "tissue,convex", "--json", "--quiet")).Json();
        Assert.Equal(1, (int)r["protocol"]!);
        var results = r["results"]!.AsArray();
        Assert.Equal(["25M", "100M", "400M"], results.Select(x => (string)x!["size"]!).ToArray());
        Assert.Equal([0.0011, 0.00142, 0.00168], results.Select(x => JsonAssert.Number(x!["published"], "predE")).ToArray());
        foreach (var size in results)
        {
            var tissue = size!["laws"]!.AsArray().Single(l => (string)l!["name"]! == "tissue");
            Assert.InRange(JsonAssert.Number(tissue, "predE"), 0, 0.005);
            Assert.Equal(6, tissue!["curves"]!.AsArray().Count);
        }
    }

    [Theory]
    [InlineData("fit --law nope --runs x.csv --out y.json", "nope")]
    [InlineData("fit --law tissue --runs /no/such/run.csv --out /tmp/never-written.json", "/no/such/run.csv")]
    [InlineData("predict --law /no/such/law.json --schedule constant(peak=1e-3,steps=10)", "/no/such/law.json")]
    [InlineData("compare --train /no/such/a.csv --test /no/such/b.csv --laws tissue,bogus", "bogus")]
    [InlineData("validate --protocol 3", "protocol 3")]
    [InlineData("validate --data /no/such/folder", "/no/such/folder")]
    [InlineData("validate --sizes 25,999", "999")]
    public void BadInputIsOneLineNamingTheProblem(string commandLine, string fragment)
    {
        string line = Cli.Run(commandLine).AssertUsageError();
        Assert.Contains(fragment, line);
        Assert.False(File.Exists("/tmp/never-written.json"));
    }

    [Fact]
    public void BrokenRunFilesAndLawFilesAreNamed()
    {
        using var tmp = new TempDir();
        Directory.CreateDirectory(tmp.Path);
        string csv = Path.Combine(tmp.Path, "run.csv");
        File.WriteAllText(csv, "step,loss,lr\n1,3.0,1e-3\n2,NaN,1e-3\n");
        string law = Path.Combine(tmp.Path, "law.json");
        string line = Cli.Run(Args("fit", "--law", "tissue", "--runs", csv, "--out", law)).AssertUsageError();
        Assert.Contains("run.csv", line);
        Assert.False(File.Exists(law), "no law file after a failed fit");

        File.WriteAllText(law, """{"format":"hyperlaws-law","version":1,"law":"tissue","parameters":{"L0":3.1,"A":0.5,"alpha":0.5}}""");
        line = Cli.Run(Args("predict", "--law", law, "--schedule", "constant(peak=1e-3,steps=100)")).AssertUsageError();
        Assert.Contains("'C'", line);
        File.WriteAllText(law, "not json");
        Assert.Contains("law.json", Cli.Run(Args("predict", "--law", law, "--schedule", "constant(peak=1e-3,steps=100)")).AssertUsageError());

        File.WriteAllText(law, """{"format":"hyperlaws-law","version":1,"law":"tissue","parameters":{"L0":3.1,"A":0.5,"alpha":0.5,"C":0.4}}""");
        Assert.Contains("cooldown", Cli.Run(Args("predict", "--law", law, "--schedule", "wsd(peak=1e-3,steps=100,cooldown=2)")).AssertUsageError());
        Assert.Contains("every:", Cli.Run(Args("predict", "--law", law, "--schedule", "constant(peak=1e-3,steps=100)", "--steps", "every:0")).AssertUsageError());
        Assert.Contains("500", Cli.Run(Args("predict", "--law", law, "--schedule", "constant(peak=1e-3,steps=100)", "--steps", "500")).AssertUsageError());
    }
}
