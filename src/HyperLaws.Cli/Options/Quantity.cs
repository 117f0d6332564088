using System.Globalization;

namespace HyperLaws.Cli.Options;

/// <summary>
/// Parses numbers the way people write budgets: "1e10", "2.5e9", "10B", "300M", "1.5T", "4k",
/// "1_000_000". Suffixes: k/K = 1e3, M = 1e6, B/G = 1e9, T = 1e12, P = 1e15.
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
            'M' => 1e6,
            'B' or 'G' => 1e9,
            'T' => 1e12,
            'P' => 1e15,
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
