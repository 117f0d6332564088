using System.Globalization;

namespace HyperLaws.Cli.Output;

/// <summary>
/// Number formatting for people in console tables and messages (invariant culture). One convention, the same as the
/// HTML report's: never .NET's E-notation ("4E+08", "6.08E-04"). Counts (model sizes, token budgets, batch tokens) take a
/// suffix, "400M", "1.3B", "26B" (K, M, B, T, P: the suffixes the options accept); other numbers are written with
/// <c>digits</c> significant digits, plainly where .NET's "G" format is plain (exponents -5..digits-1: "0.000608", "2.6851")
/// and with a short lowercase exponent otherwise ("6.08e-6", "1.25e10"). JSON output keeps plain numbers and does not go through this class.
/// </summary>
public static class Format
{
    /// <summary><paramref name="v"/> to <paramref name="digits"/> significant digits; an exponent is written "e-4", "e10".</summary>
    public static string G(double v, int digits = 4)
    {
        string text = v.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        int e = text.IndexOf('E', StringComparison.Ordinal);
        if (e < 0) return text;
        // "6.08E-04" -> "6.08e-4", "1.25E+10" -> "1.25e10".
        int exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return text[..e] + "e" + exponent.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A count such as a model size or token budget: "400M", "1.3B", "12T"; below 1000 the number itself.</summary>
    public static string Count(double v, int digits = 4)
    {
        if (!double.IsFinite(v)) return G(v, digits);
        (double Scale, string Suffix)[] units = [(1e15, "P"), (1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")];
        foreach (var (scale, suffix) in units)
            if (Math.Abs(v) >= scale && Math.Abs(v) < scale * 1e3 || scale == 1e15 && Math.Abs(v) >= scale) return G(v / scale, digits) + suffix;
        return G(v, digits);
    }

    /// <summary>Momentum close to 1 needs more digits than other quantities.</summary>
    public static string Beta(double beta) => beta.ToString("0.########", CultureInfo.InvariantCulture);

    public static string Percent(double fraction, int decimals = 3) =>
        (100 * fraction).ToString("F" + decimals, CultureInfo.InvariantCulture) + "%";

    public static string Signed(double v, int decimals = 4) => v.ToString((v >= 0 ? "+" : "") + "0." + new string('0', decimals), CultureInfo.InvariantCulture);
}
