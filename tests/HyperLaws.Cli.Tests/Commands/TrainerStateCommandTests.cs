using System.Globalization;
using HyperLaws.Readers;

namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary>
/// The commands on Hugging Face Trainer states: the real files of tests/HyperLaws.Readers.Tests/TestData/hf_trainer_state
/// read by <c>fit</c> and <c>import</c> as they are, a Trainer output folder read through its latest checkpoint, and a
/// broken state refused with one line, exit 2.
/// </summary>
public sealed class TrainerStateCommandTests
{
    private static string Real(string name) =>
        Path.Combine(AppContext.BaseDirectory, "TestData", "hf_trainer_state", name + ".trainer_state.json");

    [Fact]
    public void Fit_reads_a_real_trainer_state_and_a_trainer_output_folder()
    {
        using var tmp = new TempDir();
        string folder = Path.Combine(tmp.Path, "metamath-run", "checkpoint-128");
        Directory.CreateDirectory(folder);
        File.Copy(Real("metamath"), Path.Combine(folder, "trainer_state.json"));
        foreach (string runs in new[] { Real("metamath"), Path.Combine(tmp.Path, "metamath-run") })
        {
            var r = Cli.Run("fit", "--law", "mpl", "--runs", runs, "--out", Path.Combine(tmp.Path, "LAW.json"), "--json", "--quiet");
            var o = r.Json();
            Assert.Equal(0, r.ExitCode);
            Assert.Single(o["training"]!.AsArray());
        }
    }

    [Fact]
    public void Import_writes_the_real_files_losses_and_interpolated_lrs()
    {
        using var tmp = new TempDir();
        string runFile = Path.Combine(tmp.Path, "qlora.csv");
        var o = Cli.Run("import", Real("qlora"), "--out", runFile, "--json").Json();
        Assert.Equal(10000, o["steps"]!.GetValue<int>());
        Assert.Equal(1000, o["losses"]!.GetValue<int>());
        Assert.StartsWith("interpolated linearly between 1000 logged LRs", o["lr"]!.GetValue<string>(), StringComparison.Ordinal);
        var direct = RunReader.Read(Real("qlora"));
        var imported = RunReader.Read(runFile);
        Assert.Equal(direct.LearningRates, imported.LearningRates);
        Assert.Equal(direct.Observations, imported.Observations);
    }

    [Fact]
    public void Fit_notes_a_run_that_went_over_its_data_several_times()
    {
        using var tmp = new TempDir();
        var entries = Enumerable.Range(1, 60).Select(i => string.Create(CultureInfo.InvariantCulture,
            $"{{\"epoch\": {i / 20.0:R}, \"learning_rate\": 0.001, \"loss\": {3 + 5 / Math.Sqrt(10 * i):R}, \"step\": {10 * i}}}"));
        string state = Path.Combine(tmp.Path, "trainer_state.json");
        File.WriteAllText(state, $"{{\"global_step\": 600, \"log_history\": [{string.Join(",", entries)}]}}");
        var r = Cli.Run("fit", "--law", "mpl", "--runs", state, "--out", Path.Combine(tmp.Path, "LAW.json"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains($"note: {state} went over its data 3 times (its log's epoch)", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_state_is_one_line_exit_2_for_fit_and_import()
    {
        using var tmp = new TempDir();
        string text = File.ReadAllText(Real("metamath"));
        string cut = Path.Combine(tmp.Path, "trainer_state.json");
        File.WriteAllText(cut, text[..(text.Length / 3)]);
        string line = Cli.Run("fit", "--law", "mpl", "--runs", cut, "--out", Path.Combine(tmp.Path, "LAW.json")).AssertUsageError();
        Assert.StartsWith($"hyperlaws: error: {cut}:", line, StringComparison.Ordinal);
        Assert.Contains("invalid or truncated JSON", line, StringComparison.Ordinal);
        line = Cli.Run("import", cut, "--out", Path.Combine(tmp.Path, "run.csv")).AssertUsageError();
        Assert.Contains("invalid or truncated JSON", line, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(tmp.Path, "run.csv")));
    }

    [Fact]
    public void A_state_without_the_asked_loss_is_one_line_exit_2()
    {
        using var tmp = new TempDir();
        string line = Cli.Run("import", Real("stanford_alpaca"), "--loss-column", "eval_loss", "--out", Path.Combine(tmp.Path, "run.csv")).AssertUsageError();
        Assert.Equal($"hyperlaws: error: {Real("stanford_alpaca")}:log_history: no entry logs 'eval_loss' (1219 entries; losses logged: loss).", line);
    }
}
