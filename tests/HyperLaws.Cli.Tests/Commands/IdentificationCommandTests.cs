using System.Text.Json.Nodes;
using HyperLaws.Tests;
using Xunit;

namespace HyperLaws.Cli.Tests.Commands;

/// <summary>
/// Terms the runs cannot identify, through the CLI: <c>fit</c> on the first half of the published MPL 25M constant-LR run (every
/// fitted point at one LR) warns on stderr, says so in its JSON and in LAW.json (with the prior the term was held at), and
/// <c>predict</c> and <c>rank</c> carry the warning on; <c>--no-priors</c> leaves the term free and says that; a run with a decay
/// gets no warning.
/// </summary>
public sealed class IdentificationCommandTests
{
    /// <summary>The first (<paramref name="upTo"/>) steps of an MPL 25M curve as a generic CSV with its schedule.</summary>
    private static string Run(TempDir tmp, string file, string schedule, int upTo)
    {
        var rows = File.ReadAllLines(Path.Combine(DataFolders.Repo, "MultiPowerLaw", "loss_curve_repo", "csv_25", file)).Skip(1)
            .Select(l => l.Split(',')).Where(c => c.Length >= 3 && int.Parse(c[0], System.Globalization.CultureInfo.InvariantCulture) <= upTo)
            .Select(c => $"{c[0]},{c[2]},train");
        string path = Path.Combine(tmp.Path, Path.GetFileNameWithoutExtension(file) + ".csv");
        File.WriteAllLines(path, ["# schedule: " + schedule, "step,loss,split", .. rows]);
        return path;
    }

    private const string Wsd = "wsd(peak=3e-4,steps=24000,warmup=2160,cooldownSteps=4800)";

    [Fact]
    public void Fit_on_a_constant_lr_first_half_warns_keeps_the_prior_in_law_json_and_predict_and_rank_warn_too()
    {
        using var tmp = new TempDir();
        string run = Run(tmp, "constant_24000.csv", "constant(peak=3e-4,steps=24000,warmup=2160)", 12000);
        string law = Path.Combine(tmp.Path, "LAW.json");
        var fit = Cli.Run("fit", "--law", "tissue", "--runs", run, "--out", law);
        Assert.True(fit.ExitCode == 0, fit.Stderr);
        var warning = Assert.Single(fit.Stderr.Split('\n'), l => l.StartsWith("warning: tissue: the annealing term (C) is not identified", StringComparison.Ordinal));
        Assert.Contains("held at a prior: C = ", warning, StringComparison.Ordinal);
        Assert.Contains("would identify it", warning, StringComparison.Ordinal);

        var doc = JsonNode.Parse(File.ReadAllText(law))!.AsObject();
        var term = Assert.Single(doc["unidentified"]!.AsArray())!.AsObject();
        Assert.Equal("annealing", (string?)term["term"]);
        Assert.Equal(["C"], term["parameters"]!.AsArray().Select(x => (string?)x));
        Assert.StartsWith("C = ", (string?)term["prior"], StringComparison.Ordinal);

        var json = Cli.Run("fit", "--law", "tissue", "--runs", run, "--out", law, "--json").Json();
        Assert.Single(json["unidentified"]!.AsArray());
        Assert.Contains("not identified", (string?)Assert.Single(json["warnings"]!.AsArray()), StringComparison.Ordinal);

        // predict: the warning, and whether this schedule uses the term.
        var decayed = Cli.Run("predict", "--law", law, "--schedule", Wsd, "--json").Json();
        Assert.Contains("this schedule decays", (string?)Assert.Single(decayed["warnings"]!.AsArray()), StringComparison.Ordinal);
        Assert.True(decayed["finalLoss"]!.GetValue<double>() > 0);
        var flat = Cli.Run("predict", "--law", law, "--schedule", "constant(peak=3e-4,steps=24000,warmup=2160)");
        Assert.True(flat.ExitCode == 0, flat.Stderr);
        Assert.Contains("this schedule does not decay", flat.Stderr, StringComparison.Ordinal);

        // rank: among its warnings (and structured).
        var rank = Cli.Run("rank", "--law", law, "--steps", "24000", "--json").Json();
        Assert.Contains(rank["warnings"]!.AsArray(), w => ((string?)w)!.Contains("ranked by the prior", StringComparison.Ordinal));
        Assert.Single(rank["unidentified"]!.AsArray());

        // --no-priors: reported, left free.
        var free = Cli.Run("fit", "--law", "tissue", "--runs", run, "--out", law, "--no-priors", "--json").Json();
        Assert.Null(Assert.Single(free["unidentified"]!.AsArray())!["prior"]);
        Assert.Contains("left free", (string?)Assert.Single(free["warnings"]!.AsArray()), StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_whose_fitted_part_decays_gets_no_warning()
    {
        using var tmp = new TempDir();
        // To step 16000 the cosine (to 10%) has come down to 37% of its peak: the decay's shape is seen (protocol 14d).
        string run = Run(tmp, "cosine_24000.csv", "cosine(peak=3e-4,steps=24000,warmup=2160,floor=3e-5)", 16000);
        string law = Path.Combine(tmp.Path, "LAW.json");
        var json = Cli.Run("fit", "--law", "tissue", "--runs", run, "--out", law, "--json").Json();
        Assert.Empty(json["unidentified"]!.AsArray());
        Assert.Empty(json["warnings"]!.AsArray());
        Assert.Null(JsonNode.Parse(File.ReadAllText(law))!["unidentified"]);
        Assert.Empty(Cli.Run("predict", "--law", law, "--schedule", Wsd, "--json").Json()["warnings"]!.AsArray());
    }

    [Fact]
    public void A_run_whose_fitted_part_holds_only_the_start_of_its_decay_is_said_to_be_seen_in_part()
    {
        using var tmp = new TempDir();
        // To step 12000 the cosine is at 55% of its peak (no fitted point at or below half): the decay is seen only in part.
        string run = Run(tmp, "cosine_24000.csv", "cosine(peak=3e-4,steps=24000,warmup=2160,floor=3e-5)", 12000);
        string law = Path.Combine(tmp.Path, "LAW.json");
        // The default rule (protocol 14e/15e): tissue's free fit of this half passes the physical checks, so it is kept and said so.
        var r = Cli.Run("fit", "--law", "tissue", "--runs", run, "--out", law);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("note: tissue: the runs' decay is seen only in part", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("not identified", r.Stderr, StringComparison.Ordinal);
        var json = Cli.Run("fit", "--law", "tissue", "--runs", run, "--out", law, "--json").Json();
        Assert.Empty(json["unidentified"]!.AsArray());
        // Protocol 14d's rule held it at the prior; that fit is what the library gives for the rule (tests/HyperLaws.Tests PartialDecayTests).
    }
}
