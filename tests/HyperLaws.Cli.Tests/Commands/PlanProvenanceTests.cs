using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HyperLaws.Cli.Output;

namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary>
/// plan.json and report.html say which build made them, when, and with which command; the command reruns the plan; console
/// tables show counts with suffixes and no E-notation.
/// </summary>
[Collection(PlanRuns.Collection)]
public sealed partial class PlanProvenanceTests(PlanRuns runs)
{
    [Fact]
    public void Plan_json_and_the_report_carry_version_commit_date_and_the_rerun_command()
    {
        Assert.Equal(0, runs.Result.ExitCode);
        var p = JsonNode.Parse(File.ReadAllText(Path.Combine(runs.OutDir, "plan.json")))!["provenance"]!;
        Assert.Equal("hyperlaws", (string?)p["tool"]);
        Assert.Matches(@"^\d+\.\d+\.\d+", (string)p["version"]!);
        // The SDK stamps the commit at build time (SourceRevisionId); a build outside git has none.
        if (p["commit"] is { } commit) Assert.Matches("^[0-9a-f]{7,40}$", (string)commit!);
        var date = DateTime.ParseExact((string)p["date"]!, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        Assert.InRange(date, DateTime.UtcNow.AddHours(-1), DateTime.UtcNow.AddMinutes(1));
        string command = (string)p["command"]!;
        Assert.StartsWith("hyperlaws plan --params 1e8 --tokens 4e8 ", command, StringComparison.Ordinal);
        Assert.Contains("--runs " + Provenance.Quote(Path.GetFullPath(runs.Folder)), command, StringComparison.Ordinal);
        Assert.Contains("--laws tissue", command, StringComparison.Ordinal);
        Assert.Contains("--json", command, StringComparison.Ordinal);
        Assert.DoesNotContain("--optimizer", command, StringComparison.Ordinal); // a default not given is left out

        string html = File.ReadAllText(Path.Combine(runs.OutDir, "report.html"));
        Assert.Contains("Made by hyperlaws " + (string)p["version"]!, html, StringComparison.Ordinal);
        Assert.Contains(System.Net.WebUtility.HtmlEncode("Rerun: " + command), html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_rerun_command_reruns_the_plan_exactly()
    {
        string command = (string)runs.Result.Json()["provenance"]!["command"]!;
        string[] words = ShellWords(command);
        Assert.Equal("hyperlaws", words[0]);
        // The rerun writes its files elsewhere: the shared plan's folder (PlanRuns.OutDir) is read by the other classes.
        int outAt = Array.IndexOf(words, "--out");
        Assert.Equal(Path.GetFullPath(runs.OutDir), words[outAt + 1]);
        using var tmp = new TempDir(create: false);
        words[outAt + 1] = tmp.Path;
        var again = Cli.Run(words[1..]);
        Assert.Equal(0, again.ExitCode);
        var first = runs.Result.Json();
        var second = again.Json();
        Assert.Equal(first["best"]!.ToJsonString(), second["best"]!.ToJsonString());
        Assert.Equal(first["runnerUps"]!.ToJsonString(), second["runnerUps"]!.ToJsonString());
    }

    [Theory]
    [InlineData("plain-1.3B_x/y:z=1,2", "plain-1.3B_x/y:z=1,2")]
    [InlineData("two words", "'two words'")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("$HOME;rm", "'$HOME;rm'")]
    [InlineData("", "''")]
    public void Words_are_quoted_for_a_posix_shell(string word, string quoted)
    {
        Assert.Equal(quoted, Provenance.Quote(word));
        Assert.Equal([word], ShellWords(quoted));
    }

    [Theory]
    [InlineData("0.1.0+9bea0e7d1d54ee2d30591907005d292dac08a111", "0.1.0", "9bea0e7d1d54ee2d30591907005d292dac08a111")]
    [InlineData("0.1.0", "0.1.0", null)]
    [InlineData("0.1.0+local", "0.1.0", null)]
    public void The_commit_is_read_from_the_informational_version(string informational, string version, string? commit) =>
        Assert.Equal((version, commit), Provenance.Split(informational));

    [Fact]
    public void Console_tables_show_counts_with_suffixes_and_no_e_notation()
    {
        using var tmp = new TempDir(create: false);
        var r = Cli.Run([.. runs.Args(), "--quiet", "--out", tmp.Path]);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("100M", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("400M", r.Stdout, StringComparison.Ordinal);
        Assert.DoesNotMatch(ENotation(), r.Stdout);
    }

    [Theory]
    [InlineData(4e8, "400M")]
    [InlineData(1.3e9, "1.3B")]
    [InlineData(2.6e10, "26B")]
    [InlineData(1.5e12, "1.5T")]
    [InlineData(999, "999")]
    [InlineData(65536, "65.54K")]
    public void Counts_take_a_suffix(double value, string text) => Assert.Equal(text, Format.Count(value));

    [Theory]
    [InlineData(6.08e-4, 3, "0.000608")]
    [InlineData(6.08e-6, 3, "6.08e-6")]
    [InlineData(1.25e10, 4, "1.25e10")]
    [InlineData(0.0125, 4, "0.0125")]
    [InlineData(2.68512, 5, "2.6851")]
    public void Other_numbers_use_a_short_lowercase_exponent(double value, int digits, string text) => Assert.Equal(text, Format.G(value, digits));

    /// <summary>.NET's E-notation: "4E+08", "6.08E-04".</summary>
    [GeneratedRegex(@"\dE[+-]\d")]
    private static partial Regex ENotation();

    /// <summary>Splits a command line as a POSIX shell does for unquoted words and single-quoted strings.</summary>
    internal static string[] ShellWords(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool inWord = false, quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '\'') quoted = false;
                else word.Append(c);
            }
            else if (c == '\'') { quoted = true; inWord = true; }
            else if (c == '\\' && i + 1 < line.Length) { word.Append(line[++i]); inWord = true; }
            else if (c == ' ')
            {
                if (inWord) words.Add(word.ToString());
                word.Clear();
                inWord = false;
            }
            else { word.Append(c); inWord = true; }
        }
        if (inWord) words.Add(word.ToString());
        return [.. words];
    }
}
