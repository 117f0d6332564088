using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using HyperLaws.Cli.Output;
using HyperLaws.Platform;

namespace HyperLaws.Cli.Options;

/// <summary>
/// Checks every value on the command line once, before any command runs, so no command sees: an empty
/// value (<c>--out ''</c>, <c>--laws ''</c>), a control character, an empty item of a list (<c>--steps 1,,2</c>), a number that
/// is not finite (<c>NaN</c>, <c>Infinity</c>, <c>1e999</c>), or a path naming a FIFO, a device or a socket
/// (which would block a read forever or be replaced by a write). Response files (<c>@FILE</c>) are checked
/// before the parser expands them.
/// </summary>
public static class InputGuard
{
    /// <summary>Checks the raw arguments: <c>@FILE</c> response files must be readable regular files.</summary>
    public static void CheckResponseFiles(IReadOnlyList<string> args)
    {
        foreach (string arg in args)
        {
            if (arg == "--") break;
            if (arg.Length < 2 || arg[0] != '@') continue;
            string path = arg[1..];
            var kind = SafeKind(path);
            if (kind == PathKind.Missing) throw new UserInputException($"response file '{ErrorText.Echo(path)}' not found.");
            if (kind == PathKind.Special) throw new UserInputException($"response file '{ErrorText.Echo(path)}' is not a regular file (a device, FIFO or socket).");
            if (kind == PathKind.Directory) throw new UserInputException($"response file '{ErrorText.Echo(path)}' is a folder.");
        }
    }

    /// <summary>Checks every option and argument value of a parse.</summary>
    public static void Check(ParseResult parse)
    {
        var values = Values(parse).ToList();
        foreach (var (name, value) in values)
        {
            CheckValue(name, value);
            if (OutputOptions.Contains(name)) CheckOutput(name, value);
        }
        CheckOutputsAreNotInputs(values);
        foreach (var option in Walk(parse.RootCommandResult).OfType<OptionResult>())
        {
            string name = option.Option.Name;
            if ((OutputOptions.Contains(name) || name == "--save-rule") && option.Tokens.Count > 0)
                CheckOutputPlace(name, option.Tokens[0].Value, option.Option.HelpName ?? "OUT");
        }
    }

    /// <summary>
    /// An output must be writable where it is named, checked before any work (a fit, a plan) so that a bad output is one
    /// line and nothing is left behind: a file output (<c>--out LAW.json</c>, <c>--plot OUT.png</c>; every output option
    /// whose value is not a DIR) may not name a folder or end with '/'; a folder output may not be a file; and the nearest
    /// folder that exists on the way to it must be a folder this process may create entries in (not a file, not read-only).
    /// <paramref name="helpName"/> is the option's help name: <c>DIR</c> for a folder output.
    /// </summary>
    public static void CheckOutputPlace(string name, string value, string helpName)
    {
        bool folder = helpName == "DIR";
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(value));
        var kind = SafeKind(full);
        if (!folder && (Path.EndsInDirectorySeparator(value) || kind == PathKind.Directory))
            throw new UserInputException($"{name}: '{ErrorText.Echo(value)}' is a folder; give a file name (e.g. {ErrorText.Echo(Path.Combine(value, helpName))}).");
        if (folder && kind == PathKind.Regular) throw new UserInputException($"{name}: '{ErrorText.Echo(value)}' is a file, not a folder.");
        // The folder the output's files are created in: the target folder itself when it exists, else its nearest existing parent.
        string? place = folder && kind == PathKind.Directory ? full : Path.GetDirectoryName(full);
        while (place is not null && SafeKind(place) == PathKind.Missing) place = Path.GetDirectoryName(place);
        if (place is null) return;
        if (SafeKind(place) != PathKind.Directory)
            throw new UserInputException($"{name}: cannot write '{ErrorText.Echo(value)}': '{ErrorText.Echo(place)}' is a file, not a folder.");
        if (!FileKind.CanCreateIn(place))
            throw new UserInputException($"{name}: cannot write '{ErrorText.Echo(value)}': no permission to create files in '{ErrorText.Echo(place)}'.");
        if (!CreatesIn(place))
            throw new UserInputException($"{name}: cannot write '{ErrorText.Echo(value)}': no file can be created in '{ErrorText.Echo(place)}' (a read-only or virtual file system, such as /proc).");
    }

    /// <summary>
    /// Whether a file can be created in the folder <paramref name="place"/>, tried: access(2) answers for permissions only, and root
    /// passes it for /proc and /sys, where no file can be created (<c>plan --out /proc/x</c> was refused only after the plan was made). A hidden empty file of a name no one uses (<c>.hyperlaws-probe-PID-GUID</c>, created only if
    /// absent) is made and removed at once (deleted when closed): nothing is left, and nothing the output would be is written.
    /// </summary>
    private static bool CreatesIn(string place)
    {
        string probe = Path.Combine(place, $".hyperlaws-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using var created = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Every option and command-argument value of a parse, with the option's or argument's name.</summary>
    private static IEnumerable<(string Name, string Value)> Values(ParseResult parse)
    {
        foreach (var result in Walk(parse.RootCommandResult))
        {
            string? name = result switch
            {
                OptionResult o => o.Option.Name,
                ArgumentResult { Parent: CommandResult } a => a.Argument.Name,
                _ => null,
            };
            if (name is null) continue;
            foreach (var token in result.Tokens) yield return (name, token.Value);
        }
    }

    /// <summary>
    /// An output may not be one of the command's input files: <c>fit --runs run.csv --out run.csv</c> replaced the run by the
    /// fitted law (exit 0), <c>import log.csv --out log.csv</c> the log by its import. Paths are compared in full (after
    /// <see cref="Path.GetFullPath(string)"/>); a folder given as input may still receive new files.
    /// </summary>
    private static void CheckOutputsAreNotInputs(IReadOnlyList<(string Name, string Value)> values)
    {
        var outputs = new List<(string Name, string Value, string Full)>();
        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            string? full = FullPathOrNull(value);
            if (full is null) continue;
            if (OutputOptions.Contains(name) || name == "--save-rule") outputs.Add((name, value, full));
            else if (File.Exists(full)) inputs.TryAdd(full, name);
        }
        foreach (var (name, value, full) in outputs)
        {
            if (inputs.TryGetValue(full, out string? input))
                throw new UserInputException($"{name}: '{ErrorText.Echo(value)}' is also an input ({input}); writing it would replace that file: name another output.");
        }
    }

    private static string? FullPathOrNull(string value)
    {
        if (value.Length == 0 || value.Length > 4096 || value.Contains('\0', StringComparison.Ordinal)) return null;
        try
        {
            return Path.TrimEndingDirectorySeparator(Path.GetFullPath(value));
        }
        catch (Exception e) when (e is ArgumentException or IOException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Options that name something the command writes (a file or a folder).</summary>
    public static readonly IReadOnlySet<string> OutputOptions = new HashSet<string>(StringComparer.Ordinal) { "--out", "--plot", "--export" };

    /// <summary>An output target may not be the root folder, a symbolic link, or a FIFO/device/socket (checked before any work).</summary>
    public static void CheckOutput(string name, string value)
    {
        if (value.Contains('\0', StringComparison.Ordinal)) throw new UserInputException($"{name}: the path holds a NUL character.");
        string full;
        try
        {
            full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(value));
        }
        catch (Exception e) when (e is ArgumentException or IOException or NotSupportedException)
        {
            throw new UserInputException($"{name}: '{ErrorText.Echo(value)}' is not a valid path.");
        }
        if (Path.GetPathRoot(full) is { } root && Path.TrimEndingDirectorySeparator(root) == full)
            throw new UserInputException($"{name}: '{ErrorText.Echo(value)}' is the root folder; name a file or folder under it.");
        if (SafeOfKind(full) == PathKind.SymbolicLink)
            throw new UserInputException($"{name}: '{ErrorText.Echo(value)}' is a symbolic link; give the real path (a link is neither replaced nor followed).");
    }

    private static PathKind SafeOfKind(string path)
    {
        try
        {
            return FileKind.Of(path);
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
        {
            return PathKind.Missing;
        }
    }

    /// <summary>The checks on one value of option (or argument) <paramref name="name"/>.</summary>
    public static void CheckValue(string name, string value)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new UserInputException($"{name}: empty value.");
        // No setting, path or spec needs a control character; one in a file name (an escape sequence) would end up in files and terminals.
        if (value.Any(char.IsControl)) throw new UserInputException($"{name}: '{ErrorText.Echo(value)}' contains control characters.");
        bool structured = value.IndexOfAny(['(', '{', '[', '"']) >= 0;
        if (!structured && value.Contains(',', StringComparison.Ordinal))
        {
            var items = value.Split(',');
            if (items.Any(string.IsNullOrWhiteSpace)) throw new UserInputException($"{name}: '{ErrorText.Echo(value)}' has an empty item.");
            foreach (var item in items) CheckFinite(name, item.Trim(), value);
        }
        else if (!structured)
        {
            CheckFinite(name, value.Trim(), value);
        }
        if (value.Length < 4096 && SafeKind(value) == PathKind.Special)
            throw new UserInputException($"{name}: '{ErrorText.Echo(value)}' is not a regular file (a device, FIFO or socket).");
    }

    private static void CheckFinite(string name, string item, string whole)
    {
        // NaN, Infinity, ∞ and numbers past double's range (1e999) parse to non-finite values: never a valid setting.
        foreach (string part in item.Split(':'))
        {
            string p = part.Trim().Replace("_", "", StringComparison.Ordinal);
            if (p.Length > 0 && char.IsAsciiLetter(p[^1]) && p.Length > 1 && (char.IsAsciiDigit(p[^2]) || p[^2] == '.')) p = p[..^1];
            if (double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && !double.IsFinite(v))
                throw new UserInputException($"{name}: '{ErrorText.Echo(whole)}' is not a finite number.");
        }
    }

    private static PathKind SafeKind(string path)
    {
        if (path.Length == 0 || path.Contains('\0', StringComparison.Ordinal)) return PathKind.Missing;
        try
        {
            return FileKind.Target(path);
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
        {
            return PathKind.Missing;
        }
    }

    private static IEnumerable<SymbolResult> Walk(SymbolResult result)
    {
        yield return result;
        if (result is not CommandResult command) yield break;
        foreach (var child in command.Children)
            foreach (var r in Walk(child))
                yield return r;
    }
}
