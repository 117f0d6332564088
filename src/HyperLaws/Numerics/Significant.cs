using System.Globalization;

namespace HyperLaws.Numerics;

/// <summary>Rounding to significant digits, so that values derived by a rule print as a person would write them.</summary>
public static class Significant
{
    /// <summary><paramref name="v"/> rounded to <paramref name="digits"/> significant digits (through its "G" text form).</summary>
    public static double Round(double v, int digits = 3) =>
        double.Parse(v.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
