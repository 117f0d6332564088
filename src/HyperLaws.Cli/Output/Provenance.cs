using System.CommandLine;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;

namespace HyperLaws.Cli.Output;

/// <summary>
/// Where a file came from: the tool's version (the assembly's informational version), the git commit it was built from
/// when the build knew it (the SDK appends SourceRevisionId, "+sha", to the informational version at build time; nothing
/// is asked of git at run time), the date (UTC) and the command line that reruns it.
/// </summary>
/// <param name="Version">The tool's version, e.g. "0.1.0".</param>
/// <param name="Commit">The commit, or null when the build did not record one.</param>
/// <param name="Date">When the file was made (UTC).</param>
/// <param name="Command">A shell command that reruns it (every option given, paths absolute, each word quoted for a POSIX shell when needed).</param>
public sealed record Provenance(string Version, string? Commit, DateTime Date, string Command)
{
    /// <summary>The version and commit of this build, stamped with <paramref name="date"/> and <paramref name="command"/>.</summary>
    public static Provenance Of(string command, DateTime date)
    {
        string info = typeof(Provenance).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? typeof(Provenance).Assembly.GetName().Version?.ToString() ?? "unknown";
        var (version, commit) = Split(info);
        return new Provenance(version, commit, date.ToUniversalTime(), command);
    }

    /// <summary>"0.1.0+0123abcd" -> ("0.1.0", "0123abcd"); the part after '+' is a commit only when it is hexadecimal.</summary>
    internal static (string Version, string? Commit) Split(string informational)
    {
        int plus = informational.IndexOf('+', StringComparison.Ordinal);
        if (plus < 0) return (informational, null);
        string tail = informational[(plus + 1)..];
        bool hex = tail.Length >= 7 && tail.All(char.IsAsciiHexDigit);
        return (informational[..plus], hex ? tail : null);
    }

    /// <summary>The date as ISO 8601 UTC to the second, "2026-12-05T16:30:00Z".</summary>
    public string DateText => Date.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>One line for a report: "Made by hyperlaws 0.1.0 (commit 0123abc) on 2026-12-05T16:30:00Z".</summary>
    public string Line => $"Made by hyperlaws {Version}{(Commit is null ? "" : $" (commit {Commit[..Math.Min(12, Commit.Length)]})")} on {DateText}";

    public JsonObject ToJson() => new()
    {
        ["tool"] = "hyperlaws",
        ["version"] = Version,
        ["commit"] = Commit,
        ["date"] = DateText,
        ["command"] = Command,
    };

    /// <summary>
    /// The command line that reruns <paramref name="result"/>: "hyperlaws", the command's name, then every option the user
    /// gave (in the command's order, defaults left out), the values of <paramref name="paths"/> made absolute, each word
    /// quoted for a POSIX shell (<see cref="Quote"/>).
    /// </summary>
    public static string Rerun(ParseResult result, Command command, IReadOnlySet<string> paths)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(command);
        var words = new List<string> { "hyperlaws", command.Name };
        foreach (var option in command.Options)
        {
            if (result.GetResult(option) is not { Implicit: false } given) continue;
            words.Add(option.Name);
            foreach (var token in given.Tokens)
                words.Add(paths.Contains(option.Name) ? Path.GetFullPath(token.Value) : token.Value);
        }
        return string.Join(' ', words.Select(Quote));
    }

    /// <summary>A word for a POSIX shell: as is when it holds only safe characters, else in single quotes ('\'' for a quote).</summary>
    public static string Quote(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=,+@%".Contains(c))) return word;
        var text = new StringBuilder("'");
        foreach (char c in word) text.Append(c == '\'' ? "'\\''" : c.ToString());
        return text.Append('\'').ToString();
    }
}
