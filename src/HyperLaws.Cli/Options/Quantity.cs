using System.Globalization;

namespace HyperLaws.Cli.Options;

/// <summary>
/// Parses numbers the way people write budgets: "1e10", "2.5e9", "10B", "300M", "1.5T", "4k",
/// "1_000_000", "1.3b", "125m". Suffixes in either case: k = 1e3, m = 1e6 (never milli), b/g = 1e9, t = 1e12, p = 1e15.
/// </summary>
public static class Quantity
{
    public static bool TryParse(string? text, out double value)
    {
        value = double.NaN;
        if (string.IsNullOrWhiteSpace(text)) return false;
        string s = text.Trim().Replace("_", "", StringComparison.Ordinal);
        if (s.Length == 0) return false;
        double scale = 1;
        char last = s[^1];
        double? suffix = last switch
        {
            'k' or 'K' => 1e3,
            'm' or 'M' => 1e6,
            'b' or 'B' or 'g' or 'G' => 1e9,
            't' or 'T' => 1e12,
            'p' or 'P' => 1e15,
            _ => null,
        };
        if (suffix is { } f)
        {
            scale = f;
            s = s[..^1];
        }
        if (s.Length == 0) return false;
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)) return false;
        value = v * scale;
        return true;
    }
}
