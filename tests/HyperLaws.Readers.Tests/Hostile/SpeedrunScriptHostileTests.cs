using HyperLaws.Runs;
using Xunit;

namespace HyperLaws.Readers.Tests.Hostile;

/// <summary>
/// Crafted or odd scripts at the top of a speedrun log: the log is read, its batch is not stated (or is what the script states),
/// and nothing escapes as a crash, a hang or a stack overflow (the script is arithmetic the reader evaluates).
/// </summary>
public sealed class SpeedrunScriptHostileTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private const string Loader = "def distributed_data_generator(filename_pattern: str, batch_size: int, rank : int, world_size : int):\n";
    private const string Events = "step:0/100 val_loss:11.0 train_time:0ms\nstep:100/100 val_loss:3.0 train_time:0ms\n";

    /// <summary>A log whose script is <paramref name="script"/> and whose train loader takes <paramref name="batch"/>.</summary>
    private TrainingRun ReadWithLoader(string script, string batch) =>
        Read(Loader + script + $"train_loader = distributed_data_generator(args.train_files, {batch}, rank, world_size)\n");

    private TrainingRun Read(string script) =>
        RunReader.Read(_tmp.File("run.txt", script + Events), new RunReadOptions { Schedule = "constant(peak=0.01,steps=100)" });

    private static string Source(TrainingRun run) => run.Metadata.Tags["tokensPerStepSource"];

    [Theory]
    [InlineData("\u0668")] // Arabic-Indic eight
    [InlineData("\uFF18")] // fullwidth eight
    [InlineData("8\u0668")]
    public void A_world_size_in_non_ascii_digits_is_not_read(string digits)
    {
        var run = ReadWithLoader($"assert world_size == {digits}\ntrain_seq_len = 1024\n", "world_size * args.train_seq_len");
        Assert.Null(run.Metadata.TokensPerStep);
        Assert.Equal("the script's train loader takes 'world_size * args.train_seq_len' tokens per step, not a literal the reader can evaluate", Source(run));
    }

    [Fact]
    public void A_log_line_with_non_ascii_digits_is_one_line_naming_it()
    {
        string path = _tmp.File("run.txt", "code\nstep:0/100 val_loss:11.0 train_time:0ms\nstep:1\u0668/100 val_loss:3.0\n");
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(path, new RunReadOptions { Schedule = "constant(peak=0.01,steps=100)" }));
        Assert.Equal($"{path}:3: not a speedrun log line (expected 'step:K/S train_loss:X ...' or 'step:K/S val_loss:X ...'): 'step:1\u0668/100 val_loss:3.0'.", e.Message);
    }
}
