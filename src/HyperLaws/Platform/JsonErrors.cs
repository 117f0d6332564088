using System.Text.Json;
using System.Text.RegularExpressions;

namespace HyperLaws.Platform;

/// <summary>
/// A <see cref="JsonException"/> said in one short line. System.Text.Json quotes the offending text in
/// full (a bare <c>nan</c> quotes the rest of the file); here quotes are cut to 20 characters and the
/// position is given as line and byte.
/// </summary>
internal static partial class JsonErrors
{
    public static string Describe(JsonException e)
    {
        string why = e.Message;
        int cut = why.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut < 0) cut = why.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut >= 0) why = why[..cut];
        why = LongQuote().Replace(why, m => "'" + m.Groups[1].Value[..20] + "...'");
        why = string.Join(" ", why.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        if (why.Length > 160) why = why[..160] + "...";
        return e.LineNumber is { } line ? $"{why.TrimEnd()} (line {line + 1}, byte {e.BytePositionInLine + 1})" : why.TrimEnd();
    }

    [GeneratedRegex(@"'([^']{21,})'")]
    private static partial Regex LongQuote();
}
