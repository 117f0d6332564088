using HyperLaws.Readers;

namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary>
/// <c>import</c> on OpenAI Parameter Golf's <c>train.log</c> (tests/HyperLaws.Readers.Tests/TestData/parameter_golf, a real file), as
/// a new user runs it: first without a schedule (the log has no LR), then with the one the refusal spells.
/// </summary>
public sealed class ParameterGolfCommandTests
{
    private static string Real(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "parameter_golf", name);

    [Fact]
    public void Import_of_a_wallclock_capped_log_spells_the_schedule_and_writes_the_logged_size_and_batch()
    {
        using var tmp = new TempDir();
        string runFile = Path.Combine(tmp.Path, "baseline.csv");
        string line = Cli.Run("import", Real("naive_baseline.log"), "--out", runFile).AssertUsageError();
        Assert.Contains("--schedule 'wsd(peak=0.04,steps=13780,cooldownSteps=WD)'", line, StringComparison.Ordinal);

        var o = Cli.Run("import", Real("naive_baseline.log"), "--schedule", "wsd(peak=0.04,steps=13780,cooldownSteps=1200)",
            "--optimizer", "muon", "--out", runFile, "--json").Json();
        Assert.Equal(13780, o["steps"]!.GetValue<int>());
        string text = File.ReadAllText(runFile);
        Assert.Contains("# params: 17059912", text, StringComparison.Ordinal);
        Assert.Contains("# tokens_per_step: 524288", text, StringComparison.Ordinal);
        var imported = RunReader.Read(runFile);
        Assert.Equal(13780, imported.Steps);
        Assert.Equal(0.0, imported.LearningRates[^1], 12);
    }
}
