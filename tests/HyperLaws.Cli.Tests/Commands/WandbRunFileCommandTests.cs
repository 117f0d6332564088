using HyperLaws.Readers;

namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary>
/// The commands on W&amp;B's local run files (tests/HyperLaws.Readers.Tests/TestData/wandb_runfile): import reads one by its header,
/// and fit answers a corrupted copy (a flipped byte, a cut tail of a finished run, a wrong header) with one line, exit 2, no output.
/// </summary>
public sealed class WandbRunFileCommandTests
{
    private static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "wandb_runfile", name);

    [Fact]
    public void Import_reads_a_run_file_with_a_schedule()
    {
        using var tmp = new TempDir();
        string src = Data("run-tiny0001.wandb"), runFile = tmp.Combine("tiny.csv");
        var o = Cli.Run("import", src, "--schedule", "constant(peak=1e-3,steps=49)", "--out", runFile, "--json").Json();
        Assert.Equal(49, o["steps"]!.GetValue<int>());
        var direct = RunReader.Read(src, new RunReadOptions { Schedule = "constant(peak=1e-3,steps=49)" });
        Assert.Equal(direct.Observations, RunReader.Read(runFile).Observations);
    }

    [Theory]
    [InlineData("crc", ":offset 1431: chunk CRC mismatch")]
    [InlineData("cut", ":offset 3384: the file ends inside a chunk (0 of 5 data bytes): the file is truncated")]
    [InlineData("header", ":offset 0: not a W&B run file")]
    public void Fit_answers_a_corrupted_run_file_in_one_line(string damage, string expected)
    {
        using var tmp = new TempDir();
        byte[] b = File.ReadAllBytes(Data("run-274fsr9r.wandb"));
        switch (damage)
        {
            case "crc": b[1431 + 7 + 10] ^= 0x01; break; // a data byte of the history row of _step 1
            case "cut": b = b[..^5]; break; // into the footer, after the exit record
            default: b[0] = (byte)'#'; break;
        }
        string file = tmp.File("run-274fsr9r.wandb", b);
        string law = tmp.Combine("LAW.json");
        string line = Cli.Run("fit", "--law", "tissue", "--runs", file, "--out", law).AssertUsageError();
        Assert.StartsWith("hyperlaws: error: ", line, StringComparison.Ordinal);
        Assert.Contains(file + expected, line, StringComparison.Ordinal);
        Assert.False(File.Exists(law));
    }
}
