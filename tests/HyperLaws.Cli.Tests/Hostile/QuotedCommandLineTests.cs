using System.CommandLine;
using System.Text.RegularExpressions;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Theory;

namespace HyperLaws.Cli.Tests.Hostile;

// Inside the namespace so that [Theory] binds to xunit, not to the HyperLaws.Theory namespace.
using Xunit;

/// <summary>
/// Every command line the code quotes to its user ("give it with `hyperlaws import --tokens-per-step`", "refit it with 'hyperlaws
/// diverge --fit ...'") names options that command takes: sweep told its user <c>hyperlaws import --batch-tokens</c>, which import
/// does not have (review of helper cleanup). The sources of the CLI and the core are scanned (literals and comments alike) for
/// "hyperlaws CMD" and the options after it up to the end of the quote or clause; each is looked up on CMD's parser
/// (<see cref="CliApp.Build"/>). The option maps the CLI keeps for the core's quantities are checked on their commands too.
/// </summary>
public sealed partial class QuotedCommandLineTests
{
    /// <summary>"hyperlaws CMD" and what follows on its line, up to a quote, backtick, semicolon or ", " (the end of a quoted command line or its clause).</summary>
    [GeneratedRegex(@"hyperlaws ([a-z][a-z-]*)([^""'`;\n]*?)(?=[""'`;\n]|, |$)")]
    private static partial Regex Quoted();

    /// <summary>An option token: "--" and a letter, not inside a word ("a--b").</summary>
    [GeneratedRegex(@"(?<![\w-])--[a-z][a-z0-9-]*")]
    private static partial Regex OptionToken();

    private static readonly RootCommand Root = CliApp.Build(new CliIo(TextWriter.Null, TextWriter.Null));

    [Fact]
    public void Every_quoted_command_line_names_options_its_command_takes()
    {
        string src = Path.Combine(RepositoryRoot(), "src");
        var files = new[] { "HyperLaws", "HyperLaws.Cli" }
            .SelectMany(p => Directory.EnumerateFiles(Path.Combine(src, p), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.True(files.Count > 200, $"only {files.Count} source files found under {src}");
        int checkedOptions = 0;
        var problems = new List<string>();
        foreach (string file in files)
        {
            string text = File.ReadAllText(file);
            foreach (Match m in Quoted().Matches(text))
            {
                foreach (string problem in Problems(m.Groups[1].Value, m.Groups[2].Value, ref checkedOptions))
                    problems.Add($"{Path.GetRelativePath(src, file)}:{1 + text.AsSpan(0, m.Index).Count('\n')}: \"{m.Value.Trim()}\": {problem}");
            }
        }
        Assert.True(checkedOptions >= 5, $"only {checkedOptions} quoted options found: the scan is broken");
        Assert.True(problems.Count == 0, "quoted command lines name options their command does not take:" + Environment.NewLine + string.Join(Environment.NewLine, problems));
    }

    [Theory]
    [InlineData("import", " --batch-tokens", false)]
    [InlineData("import", " --tokens-per-step", true)]
    [InlineData("diverge", " --fit --runs ... --out DIV.json", true)]
    [InlineData("predict", " --no-stall-check", true)]
    [InlineData("fit", " --no-stall-check", false)]
    [InlineData("plan", " --params 400M --tokens 590B --help", true)]
    public void The_lookup_refuses_an_option_the_command_lacks(string command, string rest, bool valid)
    {
        int count = 0;
        Assert.Equal(valid, !Problems(command, rest, ref count).Any());
        Assert.True(count > 0);
    }

    [Theory]
    [InlineData("scale")]
    [InlineData("transfer")]
    public void Every_quantity_the_core_may_miss_maps_to_an_option_of_the_commands_that_report_it(string command)
    {
        var options = OptionNames(Root.Subcommands.Single(c => c.Name == command));
        foreach (var q in Enum.GetValues<ScalingQuantity>())
            Assert.Contains(ScalingQuantityOptions.Of(q), options);
    }

    /// <summary>Each option of <paramref name="rest"/> that <paramref name="command"/> (a subcommand of it when the first word names one) does not take; nothing for a word that is no command (prose).</summary>
    private static IEnumerable<string> Problems(string command, string rest, ref int checkedOptions)
    {
        if (Root.Subcommands.FirstOrDefault(c => c.Name == command) is not { } cmd) return [];
        string[] words = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length > 0 && cmd.Subcommands.FirstOrDefault(c => c.Name == words[0]) is { } sub) cmd = sub;
        var options = OptionNames(cmd);
        var problems = new List<string>();
        foreach (Match o in OptionToken().Matches(rest))
        {
            checkedOptions++;
            if (!options.Contains(o.Value)) problems.Add($"{cmd.Name} has no option {o.Value}");
        }
        return problems;
    }

    /// <summary>The names and aliases of <paramref name="command"/>'s options and of the recursive ones of the commands above it (--help).</summary>
    private static HashSet<string> OptionNames(Command command)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var o in command.Options) { names.Add(o.Name); names.UnionWith(o.Aliases); }
        foreach (var o in Root.Options.Where(o => o.Recursive)) { names.Add(o.Name); names.UnionWith(o.Aliases); }
        return names;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "HyperLaws.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"no HyperLaws.slnx above {AppContext.BaseDirectory}");
    }
}
