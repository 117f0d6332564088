using System.Globalization;

namespace HyperLaws.Cli.Output;

/// <summary>Number formatting for people (invariant culture).</summary>
public static class Format
{
    public static string G(double v, int digits = 4) => v.ToString("G" + digits, CultureInfo.InvariantCulture);

    /// <summary>Momentum close to 1 needs more digits than other quantities.</summary>
    public static string Beta(double beta) => beta.ToString("0.########", CultureInfo.InvariantCulture);

    public static string Percent(double fraction, int decimals = 3) =>
        (100 * fraction).ToString("F" + decimals, CultureInfo.InvariantCulture) + "%";

    public static string Signed(double v, int decimals = 4) => v.ToString((v >= 0 ? "+" : "") + "0." + new string('0', decimals), CultureInfo.InvariantCulture);
}
