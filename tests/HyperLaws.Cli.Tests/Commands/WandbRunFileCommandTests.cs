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

    [Fact]
    public void Import_says_a_torn_tail_on_stderr_in_its_json_and_in_the_run_file()
    {
        using var tmp = new TempDir();
        string src = Data("truncated-tail.wandb"), runFile = tmp.Combine("t.csv");
        string[] args = ["import", src, "--schedule", "constant(peak=1e-3,steps=2)", "--loss-column", "wire/metric", "--out", runFile];
        var r = Cli.Run(args);
        Assert.Equal(0, r.ExitCode);
        string note = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"note: {src}: read up to its torn tail (", note, StringComparison.Ordinal);
        Assert.Contains("at offset 234", note, StringComparison.Ordinal);
        var header = File.ReadAllLines(runFile).Where(l => l.StartsWith("# torn_tail: ", StringComparison.Ordinal));
        Assert.Contains("at offset 234", Assert.Single(header), StringComparison.Ordinal);

        var o = Cli.Run([.. args, "--json"]).Json();
        Assert.Contains("at offset 234", o["tornTail"]!.GetValue<string>(), StringComparison.Ordinal);
        o = Cli.Run("import", Data("run-tiny0001.wandb"), "--schedule", "constant(peak=1e-3,steps=49)", "--out", runFile, "--json").Json();
        Assert.Null(o["tornTail"]);
    }

    [Fact]
    public void Import_writes_every_header_value_on_its_line_whatever_the_reader()
    {
        // A JSONL log (not a W&B file) whose meta name and optimizer hold a newline and a carriage return.
        using var tmp = new TempDir();
        string src = tmp.File("log.jsonl", "{\"meta\": {\"name\": \"two\\nlines\", \"optimizer\": \"adam\\rw\"}}\n"
            + "{\"step\": 1, \"loss\": 3.0, \"lr\": 0.001}\n{\"step\": 2, \"loss\": 2.5, \"lr\": 0.001}\n");
        string runFile = tmp.Combine("run.csv");
        Cli.Run("import", src, "--out", runFile, "--json").Json();
        string[] lines = File.ReadAllLines(runFile);
        Assert.Contains("# name: two\\nlines", lines);
        Assert.Contains("# optimizer: adam\\rw", lines);
        Assert.Equal(2, RunReader.Read(runFile).Observations.Count);
    }
}
