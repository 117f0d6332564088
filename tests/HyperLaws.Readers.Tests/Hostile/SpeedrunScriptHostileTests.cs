using System.Globalization;
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

    /// <summary>Lines "a0 = 1" and "aI = a(I-1) + ... + a(I-1)" (<paramref name="fanOut"/> terms), I = 1..<paramref name="depth"/>.</summary>
    private static string Chain(int depth, int fanOut, bool selfReference = false)
    {
        var lines = new List<string> { "a0 = 1" };
        for (int i = 1; i <= depth; i++)
        {
            lines.Add($"a{i} = " + string.Join(" + ", Enumerable.Repeat($"a{i - 1}", fanOut)));
            if (selfReference) lines.Add($"a{i} = a{i}"); // a cycle in every name: no value of the chain is kept
        }
        return string.Join('\n', lines) + "\n";
    }

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

    [Fact]
    public void A_name_used_many_times_is_evaluated_once()
    {
        // a13 = 8^13 through 13 names of 8 terms each: 8^13 (5.5e11) evaluations without the names' values kept, 14 with.
        var run = ReadWithLoader(Chain(13, 8), "a13");
        Assert.Equal(Math.Pow(8, 13), run.Metadata.TokensPerStep);
        Assert.Equal($"the script's train loader: distributed_data_generator(..., a13) = {Math.Pow(8, 13).ToString(CultureInfo.InvariantCulture)} tokens per step", Source(run));
    }

    [Theory]
    [InlineData(60, 2, false)] // 2^60 references; deeper than the names the reader follows
    [InlineData(14, 8, true)] // a cycle in every name: no value kept, 8^14 references, cut by the bound on evaluations
    [InlineData(15_000, 1, false)] // a chain of 15,000 names: no recursion 15,000 deep
    public void A_chain_of_names_ends_fast_without_a_batch(int depth, int fanOut, bool selfReference)
    {
        var run = ReadWithLoader(Chain(depth, fanOut, selfReference), $"a{depth}");
        Assert.Null(run.Metadata.TokensPerStep);
        Assert.Equal($"the script's train loader takes 'a{depth}' tokens per step, not a literal the reader can evaluate", Source(run));
    }

    [Fact]
    public void Names_that_refer_to_each_other_give_no_batch()
    {
        var run = ReadWithLoader("b = c * 2\nc = b // 2\n", "b");
        Assert.Null(run.Metadata.TokensPerStep);
    }

    public static TheoryData<string> DeepExpressions => new()
    {
        new string('(', 100_000) + "1" + new string(')', 100_000), // longer than any expression read
        new string('-', 100_000) + "1",
        new string('(', 90) + "1" + new string(')', 90), // within the length, deeper than the nesting read
        new string('-', 150) + "1",
        string.Join("**", Enumerable.Repeat("1", 60)),
        string.Concat(Enumerable.Repeat("int(", 35)) + "1" + new string(')', 35),
    };

    [Theory]
    [MemberData(nameof(DeepExpressions))]
    public void A_deeply_nested_expression_gives_no_batch(string expr)
    {
        var run = Read($"batch_size = {expr} # batch size in tokens\n");
        Assert.Null(run.Metadata.TokensPerStep);
        Assert.StartsWith("not stated in the log", Source(run), StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_within_the_bounds_is_read()
    {
        var run = Read($"batch_size = {new string('(', 20)}8*64*1024{new string(')', 20)} # batch size in tokens\n");
        Assert.Equal(524288, run.Metadata.TokensPerStep);
    }

    public static TheoryData<string> LongBlankLines => new()
    {
        // Each about 1M characters, near the longest line a reader takes: a pattern quadratic in the blanks would take hours.
        "batch_size = 1" + new string(' ', 1_000_000) + "x",
        "batch_size =" + new string(' ', 1_000_000) + "=",
        "batch_size : int" + new string(' ', 1_000_000) + "x",
        new string(' ', 1_000_000) + "1",
        "train_loader = distributed_data_generator(" + new string(' ', 1_000_000) + "x",
        "train_loader = distributed_data_generator(x," + new string(' ', 1_000_000) + ")",
        "def f(cooldown_frac" + new string(' ', 1_000_000) + "x",
        "assert world_size ==" + new string(' ', 1_000_000) + "x",
    };

    [Theory]
    [MemberData(nameof(LongBlankLines))]
    public void A_long_run_of_blanks_is_read_in_linear_time(string line)
    {
        var run = Read(line + "\n");
        Assert.Null(run.Metadata.TokensPerStep);
    }
}
