using System.Text.Json.Nodes;

namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary>
/// <c>plan</c> and <c>rank --runs</c> on a real MLPerf Training log (tests/HyperLaws.Readers.Tests/TestData/mlperf_log: AMD MI355X's
/// Llama 3.1 8B <c>result_0</c>, batch 32 x 8,192 tokens, peak 8e-4, 14 validation losses, no training loss), the findings of
/// protocol 19 (docs/VALIDATION.md, "Protocol 19's open findings fixed"): the plan takes the sequence length the run states, and the
/// ensemble ranker prints a member without a value as left out, never NaN.
/// </summary>
public sealed class MlperfCommandTests
{
    private static string Amd => Path.Combine(AppContext.BaseDirectory, "TestData", "mlperf_log", "amd_mi355x_llama31_8b_result_0.txt");

    /// <summary>NVIDIA's llama31_8b log, its first 222 lines (2 evaluations, 16 x 8,192 tokens a step).</summary>
    private static string Nvidia => Path.Combine(AppContext.BaseDirectory, "TestData", "mlperf_log", "nvidia_ngpu8_llama31_8b_result_0_head222.txt");

    [Fact]
    public void Compare_scores_a_log_of_evaluations_only_with_validation()
    {
        // The AMD log has no training loss: compare read only training losses and refused it (protocol 21's user path, helper
        // foreignmoe); with --validation it fits and scores the 14 evaluations, as fit --validation does.
        string line = Cli.Run("compare", "--train", Amd, "--test", Amd, "--laws", "tissue").AssertUsageError();
        Assert.EndsWith("no train losses to use (it has 14 validation losses: fit them with --validation).", line, StringComparison.Ordinal);
        var r = Cli.Run("compare", "--train", Amd, "--test", Amd, "--laws", "tissue", "--validation", "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var law = Assert.Single(r.Json()["laws"]!.AsArray())!;
        Assert.Equal("tissue", law["name"]!.GetValue<string>());
        Assert.InRange(JsonAssert.Number(law, "predE"), 0, 0.02); // in sample: the fitted evaluations themselves
        Assert.Equal("amd_mi355x_llama31_8b_result_0", Assert.Single(law["curves"]!.AsArray())!["run"]!.GetValue<string>());

        // Across peak LRs (AMD at 8e-4 predicting NVIDIA's log at 4e-4) OptLaw's free noise term goes to losses the AMD run does not
        // support (PredE about 209, i.e. 20,900%): its row still scores them, and a note says so; tissue's stay physical (no note).
        r = Cli.Run("compare", "--train", Amd, "--test", Nvidia, "--laws", "optlaw,tissue", "--validation");
        Assert.True(r.ExitCode == 0, r.Stderr);
        // The range said is the one checked: half the AMD run's lowest 21-evaluation median (all 14: their median, 2.807) to twice its
        // highest evaluation (3.869), not its lowest loss (its last evaluation, 2.58).
        var amd = HyperLaws.Readers.RunReader.Read(Amd);
        var evals = amd.Split(HyperLaws.Runs.LossSplit.Validation).Select(o => o.Loss).Order().ToArray();
        double median = (evals[6] + evals[7]) / 2;
        string range = $"lie outside {Format(0.5 * median)} to {Format(2 * evals[^1])}, half the training runs' lowest loss ({Format(median)}, the lowest median of 21 consecutive logged losses) to twice their highest ({Format(evals[^1])})";
        Assert.Contains("compare: note: optlaw predicts losses the training runs do not support: 2 of 2 predicted points (the first ", r.Stderr, StringComparison.Ordinal);
        Assert.Contains(", of nvidia_ngpu8_llama31_8b_result_0_head222) " + range + ": its row scores them (supported: false in --json).", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("note: tissue predicts", r.Stderr, StringComparison.Ordinal);
        r = Cli.Run("compare", "--train", Amd, "--test", Nvidia, "--laws", "optlaw,tissue", "--validation", "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var laws = r.Json()["laws"]!.AsArray();
        Assert.False(laws[0]!["supported"]!.GetValue<bool>());
        Assert.True(laws[1]!["supported"]!.GetValue<bool>());
        Assert.Equal("validation", r.Json()["split"]!.GetValue<string>());
    }

    private static string Format(double v) => v.ToString("G4", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void A_fit_on_no_more_points_than_the_laws_parameters_is_noted()
    {
        // NVIDIA's first 222 lines hold 2 evaluations: tissue (4 parameters) passes through both, in-sample PredE 0.
        using var tmp = new TempDir();
        var r = Cli.Run("compare", "--train", Nvidia, "--test", Nvidia, "--laws", "tissue", "--validation");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("compare: note: tissue has 4 free parameters and is fitted on 2 point(s): the runs do not determine its fit", r.Stderr, StringComparison.Ordinal);
        r = Cli.Run("fit", "--law", "tissue", "--validation", "--runs", Nvidia, "--out", Path.Combine(tmp.Path, "law.json"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("free parameters and is fitted on 2 point(s): the runs do not determine its fit", r.Stderr, StringComparison.Ordinal);
        // 14 evaluations: no note.
        r = Cli.Run("compare", "--train", Amd, "--test", Amd, "--laws", "tissue", "--validation");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.DoesNotContain("free parameters", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Fitting_runs_of_different_batches_in_steps_is_noted()
    {
        // AMD's log trains at 32 x 8,192 tokens a step, NVIDIA's (its first 222 lines) at 16 x 8,192: one law in steps across them
        // takes a step of each for the same progress (protocol 21's gpt-oss logs: batches 16-64). One batch: no note.
        using var tmp = new TempDir();
        var r = Cli.Run("fit", "--law", "tissue", "--validation", "--runs", Amd, Nvidia, "--out", Path.Combine(tmp.Path, "law.json"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("note: the runs train at 2 batches (131.1K, 262.1K tokens per step): the laws count optimizer steps", r.Stderr, StringComparison.Ordinal);
        r = Cli.Run("compare", "--train", Amd, Nvidia, "--test", Amd, "--laws", "tissue", "--validation");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("note: the runs train at 2 batches (131.1K, 262.1K tokens per step)", r.Stderr, StringComparison.Ordinal);
        r = Cli.Run("fit", "--law", "tissue", "--validation", "--runs", Amd, "--out", Path.Combine(tmp.Path, "one.json"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.DoesNotContain("batches (", r.Stderr, StringComparison.Ordinal);
        // Fitted at one batch, a test run at another: the note covers the test runs and names that one.
        r = Cli.Run("compare", "--train", Amd, "--test", Nvidia, "--laws", "tissue", "--validation");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("note: the runs train at 2 batches (131.1K, 262.1K tokens per step; test run nvidia_ngpu8_llama31_8b_result_0_head222 at 131.1K, "
            + "the training runs at 262.1K): the laws count optimizer steps, so one law fitted across them takes a step of each for the same progress, "
            + "and predicts a run at another batch in the steps it was fitted in", r.Stderr, StringComparison.Ordinal);
        // plan across them: the same, as a warning (plan converts only its reference run's batch).
        r = Cli.Run("plan", "--runs", Amd, Nvidia, "--params", "8B", "--tokens", "1.6B", "--laws", "tissue", "--no-divergence", "--no-fit-cache",
            "--fit-on", "val", "--out", Path.Combine(tmp.Path, "plan"), "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var warning = r.Json()["warnings"]!.AsArray().Single(w => w!["kind"]!.GetValue<string>() == "RunsAtSeveralBatches")!;
        Assert.Equal([131072.0, 262144.0], warning["values"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Contains("the plan converts only its reference run's batch to its own, not the runs' steps across batches; give --runs the runs of one batch",
            warning["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_counts_the_batch_in_the_runs_stated_sequences_unless_given_one()
    {
        using var tmp = new TempDir();
        var r = Cli.Run("plan", "--runs", Amd, "--params", "8B", "--tokens", "1.6B", "--laws", "tissue", "--no-divergence", "--no-fit-cache",
            "--out", Path.Combine(tmp.Path, "plan"), "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var json = r.Json();
        Assert.Equal(8192, json["request"]!["sequenceLength"]!.GetValue<int>());
        var hp = json["hyperparameters"]!;
        Assert.Equal(hp["batchTokens"]!.GetValue<double>(), hp["batchSequences"]!.GetValue<double>() * 8192);
        var reason = json["reasons"]!.AsArray().Single(x => x!["kind"]!.GetValue<string>() == "SequenceLength")!;
        Assert.Equal(8192, reason["chosen"]!.GetValue<double>());
        Assert.Contains("the run states 8192 tokens per sequence", reason["text"]!.GetValue<string>(), StringComparison.Ordinal);

        // A given --seq-len is the user's: kept, no reason.
        r = Cli.Run("plan", "--runs", Amd, "--params", "8B", "--tokens", "1.6B", "--laws", "tissue", "--no-divergence", "--no-fit-cache",
            "--seq-len", "2048", "--out", Path.Combine(tmp.Path, "plan2"), "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        json = r.Json();
        Assert.Equal(2048, json["request"]!["sequenceLength"]!.GetValue<int>());
        Assert.DoesNotContain(json["reasons"]!.AsArray(), x => x!["kind"]!.GetValue<string>() == "SequenceLength");
    }

    /// <summary>
    /// <c>import</c> keeps the sequence length the log states (<c># sequence_length:</c>, read back by the generic reader), so a plan on
    /// the imported run file counts its batch in the run's 8,192-token sequences, as a plan on the log itself does.
    /// </summary>
    [Fact]
    public void Import_keeps_the_runs_sequence_length_for_a_plan_on_the_run_file()
    {
        using var tmp = new TempDir();
        string file = Path.Combine(tmp.Path, "amd.csv");
        var r = Cli.Run("import", Amd, "--out", file);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("# sequence_length: 8192\n", File.ReadAllText(file), StringComparison.Ordinal);

        r = Cli.Run("plan", "--runs", file, "--params", "8B", "--tokens", "1.6B", "--laws", "tissue", "--no-divergence", "--no-fit-cache",
            "--out", Path.Combine(tmp.Path, "plan"), "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(8192, r.Json()["request"]!["sequenceLength"]!.GetValue<int>());
    }

    /// <summary>
    /// The ensemble's bare fit of mpl-g1 on this constant-LR curve (its loss-drop term not identified: no LR decay) does not reach finite
    /// parameters (protocol 19's "mpl-g1's fit at lr=0.0008"): the warning says which parameters and why, the member is left out, and
    /// neither the table nor the JSON shows NaN for it.
    /// </summary>
    [Fact]
    public void Rank_runs_names_a_member_without_a_value_as_left_out_never_nan()
    {
        var r = Cli.Run("rank", "--runs", Amd, "--steps", "5376", "--top", "3");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.DoesNotContain("NaN", r.Stdout, StringComparison.Ordinal);
        string members = r.Stdout.Replace("\n", " ", StringComparison.Ordinal);
        Assert.Contains("mpl-g1-a left out", members, StringComparison.Ordinal);
        Assert.Contains("warning: mpl-g1's fit at lr=0.0008 did not reach finite parameters (", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("its loss drop term (B, C, beta, gamma) is not identified by that LR's runs", r.Stderr, StringComparison.Ordinal);

        var json = Cli.Run("rank", "--runs", Amd, "--steps", "5376", "--top", "3", "--json").Json();
        Assert.DoesNotContain("NaN", json.ToJsonString(), StringComparison.Ordinal);
        foreach (var c in json["candidates"]!.AsArray())
        {
            var leftOut = c!["leftOut"]!.AsArray().Select(x => x!.GetValue<string>()).ToList();
            Assert.Contains("mpl-g1-a", leftOut);
            foreach (var (name, value) in c["members"]!.AsObject())
                Assert.Equal(value is null, leftOut.Contains(name));
        }
    }
}
