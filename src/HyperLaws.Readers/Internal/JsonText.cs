using System.Globalization;
using System.Text;
using System.Text.Json;

namespace HyperLaws.Readers.Internal;

/// <summary>JSON helpers: Python's bare NaN/Infinity tokens, numbers that may be strings or null, clear errors.</summary>
internal static class JsonText
{
    /// <summary>
    /// Reads a whole JSON file and parses it as <see cref="Parse"/> does: an unreadable file is `file:0: cannot read the file`,
    /// an empty (or all-whitespace) one `file:1: the file is empty.`
    /// </summary>
    public static JsonDocument ReadFile(string file)
    {
        string text;
        try
        {
            text = BoundedText.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RunFormatException(file, "0", $"cannot read the file: {e.Message}", e);
        }
        if (text.Trim().Length == 0) throw new RunFormatException(file, "1", "the file is empty.");
        return Parse(file, text, "");
    }

    /// <summary>
    /// Parses JSON that may contain Python's bare <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c> tokens
    /// (json.dump writes them); they become the strings "NaN", "Infinity", "-Infinity".
    /// </summary>
    public static JsonDocument Parse(string file, string text, string location)
    {
        string fixedText = QuoteNonFinite(text);
        try
        {
            return JsonDocument.Parse(fixedText, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            string where = e.LineNumber is { } ln ? $"{location}{(location.Length > 0 ? " " : "")}line {ln + 1}" : location;
            throw new RunFormatException(file, where.Length > 0 ? where : "1", $"invalid or truncated JSON: {e.Message}", e);
        }
    }

    internal static string QuoteNonFinite(string text)
    {
        if (!text.Contains("NaN", StringComparison.Ordinal) && !text.Contains("Infinity", StringComparison.Ordinal)) return text;
        var sb = new StringBuilder(text.Length + 64);
        bool inString = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (inString)
            {
                sb.Append(c);
                if (c == '\\' && i + 1 < text.Length) sb.Append(text[++i]);
                else if (c == '"') inString = false;
                continue;
            }
            if (c == '"') { inString = true; sb.Append(c); continue; }
            if (Matches(text, i, "NaN")) { sb.Append("\"NaN\""); i += 2; continue; }
            if (Matches(text, i, "-Infinity")) { sb.Append("\"-Infinity\""); i += 8; continue; }
            if (Matches(text, i, "Infinity")) { sb.Append("\"Infinity\""); i += 7; continue; }
            sb.Append(c);
        }
        return sb.ToString();
    }

    private static bool Matches(string text, int i, string token) => string.CompareOrdinal(text, i, token, 0, token.Length) == 0;

    /// <summary>A number that may be a JSON number, a NaN/Infinity string, or null (= NaN).</summary>
    public static bool TryNumber(JsonElement e, out double x)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Number:
                return e.TryGetDouble(out x);
            case JsonValueKind.Null:
                x = double.NaN;
                return true;
            case JsonValueKind.String:
                string s = e.GetString()!.Trim().ToLowerInvariant();
                x = s switch
                {
                    "nan" or "-nan" => double.NaN,
                    "inf" or "infinity" or "+inf" or "+infinity" => double.PositiveInfinity,
                    "-inf" or "-infinity" => double.NegativeInfinity,
                    _ => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : double.NaN,
                };
                return s is "nan" or "-nan" or "inf" or "infinity" or "+inf" or "+infinity" or "-inf" or "-infinity" || !double.IsNaN(x);
            default:
                x = double.NaN;
                return false;
        }
    }

    public static double Number(string file, JsonElement e, string path)
    {
        if (!TryNumber(e, out double x)) throw new RunFormatException(file, path, $"expected a number, found {Describe(e)}.");
        return x;
    }

    public static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{Truncate(e.GetString()!)}\"",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => e.GetRawText(),
    };

    private static string Truncate(string s) => s.Length > 40 ? s[..40] + "..." : s;
}
