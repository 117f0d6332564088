using System.CommandLine;
using HyperLaws.Cli.Output;
using HyperLaws.Tests;
using Xunit;

namespace HyperLaws.Cli.Tests.Hostile;

/// <summary>
/// The bad-input contract over every option of every command (issue 13): each value option, given NaN,
/// an empty value, a non-finite number, an empty list item or a value with control characters, on an
/// otherwise valid command line, is answered with one line "hyperlaws: error: ..." naming the option,
/// exit code 2, and nothing written.
/// </summary>
public sealed class OptionContractTests : IDisposable
{
    private const string TissueLaw = """{"format":"hyperlaws-law","version":1,"law":"tissue","parameters":{"L0":3.15,"A":0.51,"alpha":0.51,"C":0.40}}""";

    private readonly TempDir _tmp = new();

    public OptionContractTests()
    {
        File.WriteAllText(Path.Combine(_tmp.Path, "law.json"), TissueLaw);
    }

    public void Dispose() => _tmp.Dispose();

    /// <summary>A valid value for each option some command requires.</summary>
    private Dictionary<string, string> Baseline() => new(StringComparer.Ordinal)
    {
        ["--law"] = Path.Combine(_tmp.Path, "law.json"),
        ["--runs"] = Path.Combine(DataFolders.Repo, "MultiPowerLaw", "loss_curve_repo", "csv_25", "cosine_24000.csv"),
        ["--train"] = Path.Combine(DataFolders.Repo, "MultiPowerLaw", "loss_curve_repo", "csv_25", "cosine_24000.csv"),
        ["--test"] = Path.Combine(DataFolders.Repo, "MultiPowerLaw", "loss_curve_repo", "csv_25", "constant_24000.csv"),
        ["--history"] = "cosine(peak=3e-4,steps=1000)",
        ["--schedule"] = "cosine(peak=3e-4,steps=1000)",
        ["--steps"] = "1000",
        ["--tokens"] = "2B",
        ["--params"] = "25M",
        ["--from-tokens"] = "1e9",
        ["--to-tokens"] = "1e11",
        ["--lr"] = "3e-3",
        ["--momentum"] = "0.9",
        ["--batch"] = "256",
        ["--sweep"] = Path.Combine(DataFolders.Shared, "steplaw", "data", "dense_lr_bs_loss.csv"),
        ["--out"] = Path.Combine(_tmp.Path, "out"),
        ["--regime"] = "joint",
        ["--data"] = DataFolders.Shared,
    };

    /// <summary>Where a command reads a required option differently from the others, or needs a mode flag.</summary>
    private static readonly Dictionary<string, string[]> Extra = new(StringComparer.Ordinal)
    {
        ["fit"] = ["--law", "tissue"],
        ["diverge"] = ["--fit"],
        ["size-law"] = ["--table", Path.Combine(DataFolders.Repo, "MultiPowerLaw", "loss_curve_repo", "csv_25", "cosine_24000.csv")], // --out writes the law fitted on --table
    };

    private static readonly string[] Hostile = ["NaN", "", " ", "1e999", "-Infinity", "1,,2", "a\u0001b\u001b[31m"];

    public static TheoryData<string> Commands()
    {
        var data = new TheoryData<string>();
        using var w = new StringWriter();
        foreach (var c in CliApp.Build(new CliIo(w, w)).Subcommands) data.Add(c.Name);
        return data;
    }

    /// <summary>A negative number, a huge one (near double's limit), and two malformed values: none is a valid setting of a number, size, list, enum, schedule or input path.</summary>
    private static readonly string[] OutOfRange = ["-1", "1e308", "abc", "1.5.2x"];

    /// <summary>
    /// Options whose value is free text or a name of something the command writes: "-1", "1e308", "abc" are valid
    /// values there (an output file may be called "abc"; a Slurm partition "abc"), so only <see cref="Hostile"/> applies.
    /// </summary>
    private static readonly IReadOnlySet<string> FreeText = new HashSet<string>(StringComparer.Ordinal)
    {
        "--out", "--plot", "--export", "--save-rule", "--log-dir", // output targets (their own tests: OutputFolderTests)
        "--train-command", "--slurm-option", "--partition", "--job-name", "--project", "--entity", // names written into scripts
    };

    /// <summary>
    /// The second half of the contract (issue 13 item 5): every value option that is not free text, given a negative
    /// number, a huge number or a malformed value, is answered with one line naming the option or the value, exit 2,
    /// and nothing written.
    /// </summary>
    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_value_option_refuses_negative_huge_and_malformed_values(string commandName) =>
        AssertRefused(commandName, OutOfRange, o => !FreeText.Contains(o.Name) && !FreeText.Contains(commandName + " " + o.Name));

    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_value_option_refuses_hostile_values(string commandName) => AssertRefused(commandName, Hostile, _ => true);

    /// <summary>
    /// Every flag (an option that takes no value) of every command, given one (<c>--quiet=yes</c>), is answered with one line
    /// "FLAG takes no value", exit 2, nothing written (was: "Unrecognized command or argument 'yes'", the flag not named); so is
    /// a separate true/false after it (was: taken as the flag's value, while "FLAG=false" was refused).
    /// </summary>
    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_flag_given_a_value_says_it_takes_none(string commandName)
    {
        using var w = new StringWriter();
        var command = CliApp.Build(new CliIo(w, w)).Subcommands.Single(c => c.Name == commandName);
        var failures = new List<string>();
        foreach (var flag in command.Options.Where(o => o.ValueType == typeof(bool)))
        {
            // "--flag=yes", and a separate "--flag false" / "--flag true" (was: taken as the flag's value, "--json false" the text tables).
            foreach (string[] given in new[] { new[] { flag.Name + "=yes" }, [flag.Name, "false"], [flag.Name, "true"] })
            {
                string value = given.Length == 1 ? "yes" : given[1];
                var r = Cli.Run([commandName, .. given]);
                string? failure = Refusal(r, flag.Name, value);
                if (failure is null && !r.Stderr.Contains($"{flag.Name} takes no value (got '{value}')", StringComparison.Ordinal)) failure = "does not say it takes no value: " + r.Stderr;
                if (failure is not null) failures.Add($"{commandName} {string.Join(' ', given)}: {failure}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal([Path.Combine(_tmp.Path, "law.json")], Directory.GetFileSystemEntries(_tmp.Path, "*", SearchOption.AllDirectories));
    }

    private void AssertRefused(string commandName, string[] values, Func<Option, bool> applies)
    {
        using var w = new StringWriter();
        var command = CliApp.Build(new CliIo(w, w)).Subcommands.Single(c => c.Name == commandName);
        var baseline = Baseline();
        var valueOptions = command.Options.Where(o => o.ValueType != typeof(bool) && !o.Name.StartsWith("--help", StringComparison.Ordinal) && o.Name != "-h" && applies(o)).ToList();
        Assert.NotEmpty(valueOptions);
        var failures = new List<string>();
        int cases = 0;
        foreach (var option in valueOptions)
        {
            foreach (string value in values)
            {
                if (option.Name == "--schedule" && value == "1,,2") continue; // a spec is no list; its parser has its own tests
                var args = new List<string> { commandName };
                // Positional arguments (import's FILE) get a valid value, so the hostile option is what is wrong.
                foreach (var _ in command.Arguments) args.Add(baseline["--runs"]);
                // rank needs --law or --runs before it reads its other options (a law-ranker run, as when --law was required).
                var extra = Extra.GetValueOrDefault(commandName) ?? (commandName == "rank" ? ["--law", baseline["--law"]] : []);
                if (extra.Length > 0 && extra[0] != option.Name) args.AddRange(extra);
                foreach (var required in command.Options.Where(o => o.Required && o != option && !args.Contains(o.Name)))
                {
                    Assert.True(baseline.TryGetValue(required.Name, out string? v), $"{commandName}: add a valid baseline value for the required option {required.Name}");
                    args.AddRange([required.Name, v!]);
                }
                if (option.Name != "--out" && !args.Contains("--out") && command.Options.Any(o => o.Name == "--out")) args.AddRange(["--out", baseline["--out"]]);
                args.AddRange([option.Name, value]);
                var before = Directory.GetFileSystemEntries(_tmp.Path, "*", SearchOption.AllDirectories).Order().ToArray();
                var r = Cli.Run([.. args]);
                string? failure = Refusal(r, option.Name, value);
                if (failure is not null) failures.Add($"{commandName} {option.Name} '{ErrorText.Echo(value)}': {failure}");
                if (!Directory.GetFileSystemEntries(_tmp.Path, "*", SearchOption.AllDirectories).Order().SequenceEqual(before))
                    failures.Add($"{commandName} {option.Name} '{ErrorText.Echo(value)}': wrote files");
                cases++;
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(valueOptions.Count * values.Length - (values.Contains("1,,2") && valueOptions.Any(o => o.Name == "--schedule") ? 1 : 0), cases);
    }

    /// <summary>Why a run breaks the contract (exit 2, stdout empty, one line naming the option or the value, no control characters or .NET names), or null.</summary>
    private static string? Refusal(CliResult r, string option, string value)
    {
        if (r.ExitCode != CliApp.UsageError) return $"exit {r.ExitCode}: {ErrorText.OneLine(r.Stderr)}";
        if (r.Stdout.Length > 0) return "wrote to stdout";
        string line = r.Stderr.TrimEnd('\n', '\r');
        if (line.Contains('\n', StringComparison.Ordinal) || line.Contains('\r', StringComparison.Ordinal)) return "more than one line: " + ErrorText.OneLine(line);
        if (!line.StartsWith("hyperlaws: error:", StringComparison.Ordinal)) return "not a 'hyperlaws: error:' line: " + line;
        // The line names the input: the option, or (for a path) the value as given, escaped.
        if (!line.Contains(option, StringComparison.Ordinal) && !line.Contains(ErrorText.Echo(value), StringComparison.Ordinal)) return "names neither the option nor the value: " + line;
        if (line.Any(char.IsControl)) return "control characters in: " + ErrorText.OneLine(line);
        if (line.Contains("System.", StringComparison.Ordinal)) return ".NET name in: " + line;
        return null;
    }
}
