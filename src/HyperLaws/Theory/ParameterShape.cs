using System.Globalization;

namespace HyperLaws.Theory;

/// <summary>A parameter tensor's shape as a matrix (rows x columns), repeated <see cref="Count"/> times.</summary>
public sealed record ParameterShape(long Rows, long Columns, long Count = 1)
{
    /// <summary>
    /// Parses "768x3072", "768x3072*12" (12 such matrices) or "768" (a vector, 1 x 768).
    /// Throws <see cref="FormatException"/> naming the bad text.
    /// </summary>
    public static ParameterShape Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string s = text.Trim();
        long count = 1;
        int star = s.IndexOf('*');
        if (star >= 0)
        {
            count = ParsePositive(s[(star + 1)..], text);
            s = s[..star];
        }
        string[] dims = s.Split('x', 'X');
        return dims.Length switch
        {
            1 => new ParameterShape(1, ParsePositive(dims[0], text), count),
            2 => new ParameterShape(ParsePositive(dims[0], text), ParsePositive(dims[1], text), count),
            _ => throw new FormatException($"Shape '{text}' is not of the form ROWSxCOLS[*COUNT] or N[*COUNT]."),
        };
    }

    private static long ParsePositive(string part, string whole)
    {
        if (!long.TryParse(part.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) || v <= 0)
            throw new FormatException($"Shape '{whole}': '{part}' is not a positive whole number.");
        return v;
    }
}
