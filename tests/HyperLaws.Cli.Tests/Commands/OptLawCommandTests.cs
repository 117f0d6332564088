using System.Text.Json.Nodes;

namespace HyperLaws.Cli.Tests.Commands;

// Inside the namespace so that [Theory] binds to xunit, not to the HyperLaws.Theory namespace.
using Xunit;

/// <summary>OptLaw through the command line: fit on the shipped 25M training curves, then predict with --explain.</summary>
public sealed class OptLawCommandTests
{
    private const string Wsd = "wsd(peak=3e-4,warmup=2160,steps=24000,cooldown=0.2,shape=linear,floor=3e-5)";

    [Fact]
    public void Fit_prints_its_named_features_and_predict_explains_the_final_loss()
    {
        using var tmp = new TempDir();
        string law = Path.Combine(tmp.Path, "optlaw.json");

        var fit = Cli.Run(["fit", "--law", "optlaw", "--runs", .. LawCliData.Training("25"), "--out", law]);
        Assert.True(fit.ExitCode == 0, $"exit {fit.ExitCode}; stderr: {fit.Stderr}");
        Assert.Contains("noise[tau=0.01]", fit.Stdout, StringComparison.Ordinal); // feature names with brackets, not taken as markup

        var json = LawCliData.RunJson("predict", "--law", law, "--schedule", Wsd, "--steps", "12000,24000", "--explain", "--json");
        Assert.Equal("optlaw", (string?)json["law"]);
        var explain = json["explain"]!;
        Assert.Equal(24000, (int)explain["step"]!);
        var terms = explain["terms"]!.AsArray();
        Assert.Equal(["L0", "convergence"], terms.Take(2).Select(t => (string)t!["name"]!).ToArray());
        Assert.All(terms.Skip(2), t => Assert.StartsWith("noise[tau=", (string)t!["name"]!, StringComparison.Ordinal));
        double sum = terms.Sum(t => JsonAssert.Number(t, "contribution"));
        Assert.Equal(JsonAssert.Number(json, "finalLoss"), sum, 9);
        // The decayed schedule ends lower than it stood mid-run, and its noise terms are what fell.
        var loss = json["loss"]!.AsArray().Select(x => (double)x!).ToArray();
        Assert.True(loss[1] < loss[0]);

        var table = Cli.Run("predict", "--law", law, "--schedule", Wsd, "--explain");
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("term by term", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("intrinsic time", table.Stdout, StringComparison.Ordinal);
    }
}
