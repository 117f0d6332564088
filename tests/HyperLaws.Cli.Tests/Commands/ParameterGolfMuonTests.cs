using HyperLaws.Planning;
using HyperLaws.Readers;

namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary>
/// Muon runs (OpenAI Parameter Golf's real <c>train.log</c>s, tests/HyperLaws.Readers.Tests/TestData/parameter_golf: matrix_lr 0.04, stopped
/// at 13,780 and 13,450 steps) through <c>diverge</c>, <c>sweep</c> and the plan's anchor (issue 10, p18c): no AdamW prior or rule
/// applied to them silently.
/// </summary>
public sealed class ParameterGolfMuonTests
{
    private static string Prior => Path.Combine(DataFolders.Repo, "priors", "divergence-steplaw.json");

    private static string Real(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "parameter_golf", name);

    /// <summary>The two fixtures imported as a new user does (the schedule the import's refusal spells, warmdown 1200).</summary>
    private static string Import(TempDir tmp)
    {
        string dir = Path.Combine(tmp.Path, "runs");
        Directory.CreateDirectory(dir);
        foreach (var (log, steps) in new[] { ("naive_baseline.log", 13780), ("sliding_window_eval.log", 13450) })
            Cli.Run("import", Real(log), "--schedule", $"wsd(peak=0.04,steps={steps},cooldownSteps=1200)", "--optimizer", "muon",
                "--out", Path.Combine(dir, Path.ChangeExtension(log, ".csv")), "--json").Json();
        return dir;
    }

    [Fact]
    public void Diverge_gives_no_AdamW_verdict_on_a_Muon_run()
    {
        string line = Cli.Run("diverge", "--model", Prior, "--schedule", "wsd(peak=0.04,steps=13780,cooldownSteps=1200)",
            "--params", "17M", "--batch", "524288", "--optimizer", "muon").AssertUsageError();
        Assert.Contains("--optimizer muon: no divergence prior exists for muon", line, StringComparison.Ordinal);
        // AdamW (the default) keeps the prior's verdict.
        var o = Cli.Run("diverge", "--model", Prior, "--schedule", "wsd(peak=0.04,steps=13780,cooldownSteps=1200)",
            "--params", "17M", "--batch", "524288", "--json").Json();
        Assert.NotNull(o);
    }

    [Fact]
    public void Sweep_for_Muon_without_runs_centres_on_AdamWs_rule_as_is_and_nsgd_still_refuses()
    {
        // Muon without runs: AdamW's rule carried as is (docs/VALIDATION.md, "Planned LR for the optimizers Marin measured"), said in the notes.
        var muon = Cli.Run("sweep", "--params", "17M", "--tokens", "7.2B", "--optimizer", "muon", "--json").Json();
        var adam = Cli.Run("sweep", "--params", "17M", "--tokens", "7.2B", "--optimizer", "adamw", "--json").Json();
        Assert.Equal(adam!["runs"]!.AsArray().Select(r => (double)r!["lr"]!), muon!["runs"]!.AsArray().Select(r => (double)r!["lr"]!));
        Assert.Contains("Muon takes the AdamW value as is", (string)muon["notes"]![0]!, StringComparison.Ordinal);
        string line = Cli.Run("sweep", "--params", "17M", "--tokens", "7.2B", "--optimizer", "nsgd").AssertUsageError();
        Assert.Contains("--optimizer nsgd: no published LR rule exists for nsgd", line, StringComparison.Ordinal);
        Assert.Contains("--runs", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Sweep_for_Muon_refuses_runs_whose_best_has_no_tokens_per_step_naming_the_import_option()
    {
        using var tmp = new TempDir();
        string dir = Import(tmp);
        foreach (string file in Directory.GetFiles(dir, "*.csv"))
            File.WriteAllLines(file, File.ReadAllLines(file).Where(l => !l.StartsWith("# tokens_per_step:", StringComparison.Ordinal)));
        string line = Cli.Run("sweep", "--params", "17M", "--tokens", "7.2B", "--optimizer", "muon", "--runs", dir).AssertUsageError();
        Assert.Contains("--runs: the best of the runs (sliding_window_eval", line, StringComparison.Ordinal);
        Assert.Contains("hyperlaws import --tokens-per-step", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Sweep_for_Muon_is_centred_on_the_best_runs_peak_carried_by_the_LMO_rule()
    {
        using var tmp = new TempDir();
        var o = Cli.Run("sweep", "--params", "17M", "--tokens", "7.2B", "--optimizer", "muon", "--runs", Import(tmp), "--json").Json();
        // The best run by final validation loss: sliding_window_eval (2.0592 at 13,450 steps of 524,288 tokens) over the baseline (2.0606).
        Assert.Contains("sliding_window_eval", o["anchor"]!.GetValue<string>(), StringComparison.Ordinal);
        double d0 = 13450.0 * 524288;
        foreach (var b in o["budgets"]!.AsArray())
        {
            double d = b!["tokens"]!.GetValue<double>();
            Assert.Equal(0.04 * Math.Pow(d / d0, -0.25), b["anchorLr"]!.GetValue<double>(), 1e-9);
        }
        // The grid brackets the runs' LR scale (AdamW's Step Law centred it on 4e-4..1.3e-2 here).
        var lrs = o["budgets"]!.AsArray().SelectMany(b => b!["lrs"]!.AsArray().Select(x => x!.GetValue<double>())).ToList();
        Assert.True(lrs.Max() > 0.04 && lrs.Min() < 0.1, string.Join(", ", lrs));
    }

    [Fact]
    public void The_anchor_observes_the_validation_loss_at_the_runs_last_step()
    {
        using var tmp = new TempDir();
        var run = RunReader.Read(Path.Combine(Import(tmp), "naive_baseline.csv"));
        var (loss, final) = AnchoredLoss.Observed(run, HyperLaws.Runs.LossSplit.Train);
        Assert.True(final);
        Assert.Equal(run.Final(HyperLaws.Runs.LossSplit.Validation)!.Value.Loss, loss);
        Assert.Equal(2.0606, loss, 4);
        Assert.NotEqual(run.Final(HyperLaws.Runs.LossSplit.Train)!.Value.Loss, loss);
        // The runs' evidence: both trained at 0.04, none diverged.
        var evidence = RunEvidence.Of([run]);
        Assert.Equal(0.04, evidence.HighestTrained, 12);
        Assert.Equal(double.PositiveInfinity, evidence.LowestDiverged);
    }
}
