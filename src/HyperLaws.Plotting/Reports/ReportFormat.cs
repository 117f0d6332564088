using System.Globalization;

namespace HyperLaws.Plotting.Reports;

/// <summary>
/// Numbers for people in reports and figure labels, invariant culture: 4 significant digits with a short exponent
/// ("3.2e-4", "1.25e10"), counts with a suffix ("400M", "12B"), percentages, and "n/a" for NaN.
/// </summary>
internal static class ReportFormat
{
    public const string Missing = "n/a";

    /// <summary><paramref name="value"/> to <paramref name="digits"/> significant digits; exponents written "e10", "e-5".</summary>
    public static string G(double value, int digits = 4)
    {
        if (double.IsNaN(value)) return Missing;
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        string text = value.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        int e = text.IndexOf('E', StringComparison.Ordinal);
        if (e < 0) return text;
        // "3.2E-05" -> "3.2e-5", "1.25E+10" -> "1.25e10".
        int exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return text[..e] + "e" + exponent.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A count such as a model size or token budget: "400M", "1.5B", "12T" (K, M, B, T, P as Quantity parses them).</summary>
    public static string Count(double value)
    {
        if (!double.IsFinite(value)) return G(value);
        (double Scale, string Suffix)[] units = [(1e15, "P"), (1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")];
        foreach (var (scale, suffix) in units)
            if (Math.Abs(value) >= scale) return G(value / scale, 4) + suffix;
        return G(value, 6);
    }

    /// <summary>A whole number with thousands separators: "12,345".</summary>
    public static string Integer(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A fraction as a percentage: 0.0123 -> "1.23%".</summary>
    public static string Percent(double fraction, int decimals = 2) =>
        double.IsFinite(fraction) ? (100 * fraction).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + "%" : G(fraction);

    /// <summary>A momentum close to 1 needs more digits than other quantities: "0.95", "0.9995".</summary>
    public static string Beta(double beta) => double.IsFinite(beta) ? beta.ToString("0.########", CultureInfo.InvariantCulture) : G(beta);

    /// <summary>A loss with four decimals ("2.6850"), so losses line up and differences of 1e-4 show; G5 outside 0.01..1000.</summary>
    public static string Loss(double value) =>
        double.IsFinite(value) && Math.Abs(value) >= 0.01 && Math.Abs(value) < 1000 ? value.ToString("F4", CultureInfo.InvariantCulture) : G(value, 5);

    /// <summary>A loss difference with its sign and four decimals: "+0.0068".</summary>
    public static string LossDelta(double value) =>
        double.IsFinite(value) ? (value >= 0 ? "+" : "") + value.ToString("F4", CultureInfo.InvariantCulture) : G(value);

    /// <summary>A loss with its interval, "2.6850 [2.6550, 2.7150]", or the loss alone when the interval is missing.</summary>
    public static string WithInterval(double value, double lower, double upper) =>
        double.IsFinite(lower) && double.IsFinite(upper) ? $"{Loss(value)} [{Loss(lower)}, {Loss(upper)}]" : Loss(value);
}
