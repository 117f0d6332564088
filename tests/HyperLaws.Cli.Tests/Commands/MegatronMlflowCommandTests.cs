using HyperLaws.Readers;

namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary>
/// The commands on a real Megatron-DeepSpeed log and real MLflow file stores (tests/HyperLaws.Readers.Tests/TestData/megatron_log
/// and mlflow): fit and import read them by content and by folder; a store logged without steps is one error line, exit 2.
/// </summary>
public sealed class MegatronMlflowCommandTests
{
    private static string Data(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "TestData", .. parts]);

    [Fact]
    public void Fit_reads_a_real_megatron_log_and_import_keeps_its_curve()
    {
        using var tmp = new TempDir();
        string log = Data("megatron_log", "gpt3_125m_moe_kernel.head.log");
        var r = Cli.Run("fit", "--law", "tissue", "--runs", log, "--out", Path.Combine(tmp.Path, "LAW.json"), "--json", "--quiet");
        Assert.True(r.ExitCode == 0, r.Stderr);
        string runFile = Path.Combine(tmp.Path, "megatron.csv");
        var o = Cli.Run("import", log, "--out", runFile, "--json").Json();
        Assert.Equal(1280, o["steps"]!.GetValue<int>());
        var direct = RunReader.Read(log);
        var imported = RunReader.Read(runFile);
        Assert.Equal(direct.Observations, imported.Observations);
        Assert.Equal(direct.LearningRates, imported.LearningRates);
    }

    [Fact]
    public void Import_reads_an_mlflow_run_folder_and_fit_refuses_a_store_without_steps_in_one_line()
    {
        using var tmp = new TempDir();
        string root = Data("mlflow", "deberta_mlruns");
        string runFile = Path.Combine(tmp.Path, "deberta.csv");
        var o = Cli.Run("import", root, "--out", runFile, "--json").Json();
        Assert.Equal(3, o["steps"]!.GetValue<int>());
        Assert.Equal(RunReader.Read(root).Observations, RunReader.Read(runFile).Observations);
        string convnext = Data("mlflow", "convnext_mlruns");
        string line = Cli.Run("fit", "--law", "tissue", "--runs", convnext, "--out", Path.Combine(tmp.Path, "LAW.json")).AssertUsageError();
        Assert.StartsWith("hyperlaws: error: ", line, StringComparison.Ordinal);
        Assert.Contains(Path.Combine("metrics", "loss") + ":1: every one of its 100 lines is at step 0", line, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(tmp.Path, "LAW.json")));
    }
}
