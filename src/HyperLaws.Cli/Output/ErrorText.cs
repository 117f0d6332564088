using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace HyperLaws.Cli.Output;

/// <summary>
/// The one error path's wording rules: every message one line; no .NET parameter or type names; the
/// user's input echoed at most <see cref="MaxEcho"/> characters a word, control characters escaped.
/// </summary>
public static partial class ErrorText
{
    /// <summary>Longest user value quoted through <see cref="Echo"/>.</summary>
    public const int MaxEcho = 100;

    /// <summary>
    /// Longest run of non-blank characters kept in any message: a safety net for input echoed without
    /// <see cref="Echo"/> (a 5 MB line, a 100,000-digit number); long enough for real file paths.
    /// </summary>
    public const int MaxWord = 256;

    /// <summary>Longest message shown in all.</summary>
    public const int MaxLength = 600;

    /// <summary>The message made one readable line.</summary>
    public static string OneLine(string? message)
    {
        if (string.IsNullOrWhiteSpace(message)) return "(no message)";
        string s = ParameterSuffix().Replace(message, "");
        s = ActualValueLine().Replace(s, "");
        s = ExpectedType().Replace(s, m => "as " + Friendly(m.Groups[1].Value));
        s = DotNetTypeName().Replace(s, "a value");
        s = string.Join(" ", s.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        s = Escape(s);
        s = LongWord().Replace(s, m => m.Value[..MaxWord] + $"...({m.Value.Length - MaxWord} more characters)");
        if (s.Length > MaxLength) s = s[..MaxLength] + "...";
        return s.Length == 0 ? "(no message)" : s;
    }

    /// <summary>User input quoted for a message: control characters escaped, at most <see cref="MaxEcho"/> characters.</summary>
    public static string Echo(string? input)
    {
        if (input is null) return "(none)";
        string s = Escape(input.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal));
        return s.Length <= MaxEcho ? s : s[..MaxEcho] + $"...({s.Length - MaxEcho} more characters)";
    }

    private static string Escape(string s)
    {
        if (!s.Any(NeedsEscape)) return s;
        var sb = new StringBuilder(s.Length + 8);
        foreach (char c in s)
        {
            if (!NeedsEscape(c)) sb.Append(c);
            else if (c <= 0xFF) sb.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
            else sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
        }
        return sb.ToString();
    }

    // Control characters, and format characters such as bidirectional overrides that would reorder the line shown.
    private static bool NeedsEscape(char c) => char.IsControl(c) || char.GetUnicodeCategory(c) == UnicodeCategory.Format;

    private static string Friendly(string type) =>
        type.Contains("Int32", StringComparison.Ordinal) || type.Contains("Int64", StringComparison.Ordinal) ? "a whole number"
        : type.Contains("Double", StringComparison.Ordinal) || type.Contains("Single", StringComparison.Ordinal) ? "a number"
        : type.Contains("Boolean", StringComparison.Ordinal) ? "true or false"
        : "a valid value";

    [GeneratedRegex(@"\s*\(Parameter '[^']*'\)")]
    private static partial Regex ParameterSuffix();

    [GeneratedRegex(@"(\r?\n)\s*Actual value was [^\r\n]*")]
    private static partial Regex ActualValueLine();

    [GeneratedRegex(@"as expected type '([^']*)'")]
    private static partial Regex ExpectedType();

    [GeneratedRegex(@"\bSystem\.[A-Za-z0-9_.`\[\],]+")]
    private static partial Regex DotNetTypeName();

    [GeneratedRegex(@"\S{257,}")]
    private static partial Regex LongWord();
}
