using System.CommandLine;
using HyperLaws.Cli.Output;
using HyperLaws.Tests;
using Xunit;

namespace HyperLaws.Cli.Tests.Hostile;

/// <summary>
/// The breaks the hostile-input campaign of helper fuzz (a driver running the Release CLI over every command and option of
/// --help with hostile values, paths and environments; docs/VALIDATION.md "Hostile-input campaign") found at 424cecd, as it
/// reproduced them: each is now one line "hyperlaws: error: ..." naming the input, exit code 2, and nothing written.
/// </summary>
public sealed class CampaignFoundBreaksTests : HostileTempFolder
{
    private string[] Listing() => [.. Directory.GetFileSystemEntries(Tmp.Path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

    /// <summary>Runs hyperlaws ({tmp}: the temp folder); asserts the bad-input contract and that nothing was written. Returns the line.</summary>
    private string Refused(string template)
    {
        var before = Listing();
        string line = Cli.Run([.. Cli.Split(template).Select(a => a.Replace("{tmp}", Tmp.Path, StringComparison.Ordinal))]).AssertUsageError();
        Assert.Equal(before, Listing());
        return line;
    }

    public static TheoryData<string> Commands()
    {
        var data = new TheoryData<string>();
        using var w = new StringWriter();
        foreach (var c in CliApp.Build(new CliIo(w, w)).Subcommands) data.Add(c.Name);
        return data;
    }

    /// <summary>A valid value for each option some command requires (a choice option's refusal comes before any work).</summary>
    private Dictionary<string, string> Required() => new(StringComparer.Ordinal)
    {
        ["--law"] = P("law.json"), ["--runs"] = Mpl("cosine_24000.csv"), ["--train"] = Mpl("cosine_24000.csv"), ["--test"] = Mpl("constant_24000.csv"),
        ["--history"] = "cosine(peak=3e-4,steps=1000)", ["--schedule"] = "cosine(peak=3e-4,steps=1000)", ["--steps"] = "1000", ["--tokens"] = "2B",
        ["--params"] = "25M", ["--from-tokens"] = "1e9", ["--to-tokens"] = "1e11", ["--lr"] = "3e-3", ["--momentum"] = "0.9", ["--batch"] = "256",
        ["--sweep"] = Path.Combine(DataFolders.Shared, "steplaw", "data", "dense_lr_bs_loss.csv"), ["--out"] = P("out"), ["--regime"] = "joint",
    };

    /// <summary>
    /// Property over every command: each option with a fixed set of values (its help name lists them, "a|b|c"), given another
    /// option of the command (its first flag) instead of a value, on an otherwise valid command line, is one line naming the
    /// option, exit 2, nothing written. Was: System.CommandLine's AcceptOnlyFromAmong skips a token that names an option, so the
    /// option took "--json" as its value unchecked and the flag was lost (<c>scale --regime --json</c>: lr-only, exit 0;
    /// <c>fit --bootstrap-scheme --quiet</c>: exit 70).
    /// </summary>
    [Theory]
    [MemberData(nameof(Commands))]
    public void A_choice_option_followed_by_another_option_is_refused_naming_it(string commandName)
    {
        using var w = new StringWriter();
        var command = CliApp.Build(new CliIo(w, w)).Subcommands.Single(c => c.Name == commandName);
        var choices = command.Options.Where(o => o.ValueType == typeof(string) && o.HelpName?.Contains('|', StringComparison.Ordinal) == true).ToList();
        string flag = command.Options.First(o => o.ValueType == typeof(bool) && o.Name.StartsWith("--", StringComparison.Ordinal) && o.Name != "--help").Name;
        var baseline = Required();
        var failures = new List<string>();
        foreach (var option in choices)
        {
            var args = new List<string> { commandName };
            foreach (var _ in command.Arguments) args.Add(baseline["--runs"]);
            if (commandName == "fit") args.AddRange(option.Name == "--law" ? ["--bootstrap", "10"] : ["--law", "tissue", "--bootstrap", "10"]);
            foreach (var required in command.Options.Where(o => o.Required && o != option && !args.Contains(o.Name)))
                args.AddRange([required.Name, baseline[required.Name]]);
            args.AddRange([option.Name, flag]);
            var before = Listing();
            var r = Cli.Run([.. args]);
            string line = r.Stderr.TrimEnd('\n');
            if (r.ExitCode != CliApp.UsageError || r.Stdout.Length > 0 || line.Contains('\n', StringComparison.Ordinal) || !line.StartsWith($"hyperlaws: error: {option.Name}", StringComparison.Ordinal))
                failures.Add($"{string.Join(' ', args)}: exit {r.ExitCode}: {ErrorText.OneLine(r.Stderr)}");
            if (!Listing().SequenceEqual(before)) failures.Add($"{string.Join(' ', args)}: wrote files");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>
    /// An option restricted to listed values by AcceptOnly completes to them (as AcceptOnlyFromAmong's did): every value its help
    /// lists is a completion, on the options the campaign met and on every option with completions at all.
    /// </summary>
    [Fact]
    public void A_choice_option_completes_to_its_values()
    {
        using var w = new StringWriter();
        var commands = CliApp.Build(new CliIo(w, w)).Subcommands;
        var completing = commands.SelectMany(c => c.Options.Select(o => (Key: $"{c.Name} {o.Name}", Option: o)))
            .Where(x => x.Option.ValueType == typeof(string) && x.Option.HelpName?.Contains('|', StringComparison.Ordinal) == true)
            .Select(x => (x.Key, Help: x.Option.HelpName!.Split('|'), Completions: x.Option.GetCompletions(System.CommandLine.Completions.CompletionContext.Empty).Select(c => c.Label).ToList()))
            .Where(x => x.Completions.Count > 0).ToList();
        Assert.Empty(new[] { "scale --regime", "transfer --regime", "scale --optimizer", "fit --bootstrap-scheme", "predict --stall-hold", "sweep --anchor" }.Except(completing.Select(x => x.Key)));
        Assert.All(completing, x => Assert.Empty(x.Help.Except(x.Completions)));
    }

    /// <summary>The cases the campaign met, run through: was exit 0 (lr-only, --json dropped), exit 70, progress printed despite --quiet.</summary>
    [Theory]
    [InlineData("scale --regime --json --tokens 1e9", "--regime: Argument '--json' not recognized. Must be one of: 'lr-only' ")]
    [InlineData("transfer --regime --json --from-tokens 1e9 --lr 3e-3 --momentum 0.9 --batch 256 --to-tokens 1e11", "--regime: Argument '--json' not recognized.")]
    [InlineData("scale --regime joint --optimizer --json --tokens 1e9", "--optimizer: Argument '--json' not recognized. Must be one of: 'nsgd' 'signsgd' 'muon'")]
    [InlineData("fit --law tissue --runs {tmp}/law.json --out {tmp}/l.json --bootstrap 10 --bootstrap-scheme --quiet", "--bootstrap-scheme: Argument '--quiet' not recognized.")]
    [InlineData("predict --law {tmp}/law.json --schedule cosine(peak=3e-4,steps=1000) --stall-hold --json", "--stall-hold: Argument '--json' not recognized. Must be one of: 'level' 'progress'")]
    public void A_choice_option_does_not_swallow_the_next_option(string commandLine, string expected) =>
        Assert.StartsWith("hyperlaws: error: " + expected, Refused(commandLine), StringComparison.Ordinal);

    /// <summary>Was: exit 0, the value ignored (the regime tunes that quantity itself; the output was as if it were not given).</summary>
    [Theory]
    [InlineData("joint", "--lr 5e-3", "--lr does not apply with --regime joint, which tunes it (read by fixed-lr only).")]
    [InlineData("joint", "--momentum 0.9", "--momentum does not apply with --regime joint, which tunes it (read by lr-only, fixed-momentum, fixed-lr only).")]
    [InlineData("joint", "--batch 256", "--batch does not apply with --regime joint, which tunes it (read by lr-only, fixed-batch only).")]
    [InlineData("fixed-momentum", "--momentum 0.9 --batch 256", "--batch does not apply with --regime fixed-momentum, which tunes it (read by lr-only, fixed-batch only).")]
    [InlineData("fixed-batch", "--batch 256 --ridge-exponent 0.25", "--ridge-exponent does not apply with --regime fixed-batch, which tunes it (read by ridge only).")]
    [InlineData("ridge", "--ridge-exponent 0.25 --momentum 0.9", "--momentum does not apply with --regime ridge, which tunes it (read by lr-only, fixed-momentum, fixed-lr only).")]
    public void Scale_refuses_a_fixed_quantity_its_regime_tunes(string regime, string options, string error) =>
        Assert.Equal($"hyperlaws: error: {error}", Refused($"scale --regime {regime} --tokens 1e9 {options}"));

    /// <summary>Each regime still takes the quantities it holds fixed (the refusal above is not a refusal of everything).</summary>
    [Theory]
    [InlineData("lr-only", "--batch 256 --momentum 0.9")]
    [InlineData("fixed-momentum", "--momentum 0.9")]
    [InlineData("fixed-batch", "--batch 256")]
    [InlineData("joint", "")]
    [InlineData("ridge", "--ridge-exponent 0.25")]
    [InlineData("fixed-lr", "--lr 5e-3 --momentum 0.9")]
    public void Scale_takes_the_quantities_its_regime_fixes(string regime, string options)
    {
        var r = Cli.Run($"scale --regime {regime} --tokens 1e9 --json {options}".TrimEnd());
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(regime, (string?)r.Json()["regime"]);
    }

    /// <summary>Was: exit 0, --ridge-exponent ignored (only the ridge path reads it).</summary>
    [Fact]
    public void Transfer_refuses_a_ridge_exponent_outside_the_ridge_regime() =>
        Assert.Equal("hyperlaws: error: --ridge-exponent applies to --regime ridge only (got --regime joint).",
            Refused("transfer --regime joint --ridge-exponent 0.3 --from-tokens 1e9 --lr 3e-3 --momentum 0.9 --batch 256 --to-tokens 1e11"));

    /// <summary>Was: "ca must be positive and finite (got 0)." (the core's name, not the option's; 1e-400 underflows to 0).</summary>
    [Theory]
    [InlineData("scale --regime joint --tokens 1e9 --ca 0", "--ca: '0' is not positive.")]
    [InlineData("scale --regime joint --tokens 1e9 --ca 1e-400", "--ca: '1e-400' is not positive.")]
    [InlineData("verify --no-figures --quiet --budgets 5 --cc 0", "--cc: '0' is not positive.")]
    public void A_proxy_coefficient_of_zero_is_refused_naming_its_option(string commandLine, string error) =>
        Assert.StartsWith($"hyperlaws: error: {error}", Refused(commandLine), StringComparison.Ordinal);

    /// <summary>Was: exit 0 and "#SBATCH --time=\u0661\u0662" in the job script (the time limit's \d matched any Unicode digit).</summary>
    [Theory]
    [InlineData("\u0661\u0662")]
    [InlineData("\uff11\uff10:00")]
    [InlineData("1-\u0662")]
    public void Sweep_refuses_a_time_limit_in_non_ascii_digits(string time) =>
        Assert.StartsWith($"hyperlaws: error: --time: '{time}' is not a Slurm time limit", Refused($"sweep --params 1B --tokens 20B --out {{tmp}}/sw --time {time}"), StringComparison.Ordinal);

    /// <summary>Was: exit 0, the run fitted as two runs (its points counted twice), whether named twice or through its folder and itself.</summary>
    [Fact]
    public void A_run_given_twice_is_refused()
    {
        Directory.CreateDirectory(P("runs"));
        File.Copy(Mpl("cosine_24000.csv"), P(Path.Combine("runs", "cosine_24000.csv")));
        string run = P(Path.Combine("runs", "cosine_24000.csv"));
        Assert.Equal($"hyperlaws: error: {run}: the run is given twice ('{run}' twice): its points would count twice.",
            Refused($"fit --law tissue --runs {run} --runs {run} --out {{tmp}}/l.json"));
        Assert.Equal($"hyperlaws: error: {run}: the run is given twice (through '{P("runs")}' and '{run}'): its points would count twice.",
            Refused($"fit --law tissue --runs {P("runs")} {run} --out {{tmp}}/l.json"));
    }

    /// <summary>A link and its target, or a folder's link and the folder, are one file given twice; same-named files in two folders are two runs.</summary>
    [Fact]
    public void A_run_given_through_a_link_is_refused_and_same_named_files_are_not()
    {
        Directory.CreateDirectory(P("runs"));
        // The link keeps the run's name (the MPL reader knows the file by it).
        Directory.CreateDirectory(P("links"));
        string run = P(Path.Combine("runs", "cosine_24000.csv")), link = P(Path.Combine("links", "cosine_24000.csv"));
        File.Copy(Mpl("cosine_24000.csv"), run);
        File.CreateSymbolicLink(link, run);
        Directory.CreateSymbolicLink(P("runs-link"), P("runs"));
        Assert.Equal($"hyperlaws: error: {link}: the run is given twice (through '{run}' and '{link}'): its points would count twice.",
            Refused($"fit --law tissue --runs {run} {link} --out {{tmp}}/l.json"));
        string throughFolder = P(Path.Combine("runs-link", "cosine_24000.csv"));
        Assert.Equal($"hyperlaws: error: {throughFolder}: the run is given twice (through '{run}' and '{throughFolder}'): its points would count twice.",
            Refused($"fit --law tissue --runs {run} {throughFolder} --out {{tmp}}/l.json"));
        Assert.StartsWith($"hyperlaws: error: {run}: the run is given twice (through '{P("runs-link")}' and '{run}')",
            Refused($"fit --law tissue --runs {P("runs-link")} {run} --out {{tmp}}/l.json"), StringComparison.Ordinal);
        // A copy of the same name in another folder: another file, two runs (the fit goes on past the check).
        Directory.CreateDirectory(P("other"));
        string copy = P(Path.Combine("other", "cosine_24000.csv"));
        File.Copy(Mpl("cosine_24000.csv"), copy);
        var r = Cli.Run("fit", "--law", "tissue", "--runs", run, copy, "--out", P("l.json"), "--quiet");
        Assert.True(r.ExitCode == 0, r.Stderr);
    }

    /// <summary>A writer failing as .NET's console stream does on a closed descriptor (EBADF).</summary>
    private sealed class ClosedWriter : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char value) => throw new UnauthorizedAccessException("Access to the path is denied.");

        public override void Write(string? value) => throw new UnauthorizedAccessException("Access to the path is denied.");
    }

    /// <summary>Was (<c>hyperlaws scale ... &gt;&amp;-</c>): "internal error (UnauthorizedAccessException): Access to the path is denied.", exit 70.</summary>
    [Fact]
    public void A_closed_stdout_is_one_error_line_and_exit_2()
    {
        using var error = new StringWriter();
        int code = CliApp.Run(["scale", "--regime", "joint", "--tokens", "1e9"], new StandardStreamWriter(new ClosedWriter(), isError: false), new StandardStreamWriter(error, isError: true));
        Assert.Equal(CliApp.UsageError, code);
        Assert.Equal("hyperlaws: error: standard output: cannot write to it (is it closed? Access to the path is denied).\n", error.ToString().ReplaceLineEndings("\n"));
    }

    private sealed class FullWriter : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char value) => throw new IOException("No space left on device : '/dev/stdout'");

        public override void Write(string? value) => throw new IOException("No space left on device : '/dev/stdout'");
    }

    /// <summary>A full stdout (<c>&gt; /dev/full</c>) is named by its failure, not called closed.</summary>
    [Fact]
    public void A_full_stdout_names_the_failure()
    {
        using var error = new StringWriter();
        int code = CliApp.Run(["scale", "--regime", "joint", "--tokens", "1e9"], new StandardStreamWriter(new FullWriter(), isError: false), new StandardStreamWriter(error, isError: true));
        Assert.Equal(CliApp.UsageError, code);
        Assert.Equal("hyperlaws: error: standard output: cannot write to it (No space left on device : '/dev/stdout').\n", error.ToString().ReplaceLineEndings("\n"));
    }

    /// <summary>Counts the calls that reach it (each writes its text whole, with the newline where a WriteLine).</summary>
    private sealed class CountingWriter : TextWriter
    {
        public int Calls { get; private set; }

        public System.Text.StringBuilder Text { get; } = new();

        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char value) { Calls++; Text.Append(value); }

        public override void Write(char[] buffer, int index, int count) { Calls++; Text.Append(buffer, index, count); }

        public override void Write(string? value) { Calls++; Text.Append(value); }

        public override void WriteLine(char[] buffer, int index, int count) { Calls++; Text.Append(buffer, index, count).Append('\n'); }

        public override void WriteLine(ReadOnlySpan<char> buffer) { Calls++; Text.Append(buffer).Append('\n'); }
    }

    /// <summary>A line given as a span or a char range reaches the stream in one write (TextWriter's default writes the newline apart).</summary>
    [Fact]
    public void A_span_line_is_forwarded_in_one_call()
    {
        var inner = new CountingWriter();
        using var writer = new StandardStreamWriter(inner, isError: false);
        writer.WriteLine("abc".AsSpan());
        writer.WriteLine(['x', 'y', 'z'], 1, 2);
        Assert.Equal((2, "abc\nyz\n"), (inner.Calls, inner.Text.ToString()));
        using var full = new StandardStreamWriter(new FullWriter(), isError: false);
        Assert.Contains("No space left on device", Assert.Throws<UserInputException>(() => full.WriteLine("abc".AsSpan())).Message, StringComparison.Ordinal);
    }

    /// <summary>Was (<c>hyperlaws scale --tokens x 2&gt;&amp;-</c>): the error line's write threw out of the handler, the process aborted (exit 134).</summary>
    [Fact]
    public void A_closed_stderr_keeps_the_exit_code()
    {
        using var output = new StringWriter();
        int code = CliApp.Run(["scale", "--regime", "joint", "--tokens", "x"], new StandardStreamWriter(output, isError: false), new StandardStreamWriter(new ClosedWriter(), isError: true));
        Assert.Equal(CliApp.UsageError, code);
        Assert.Equal("", output.ToString());
    }
}
