using System.Globalization;

namespace HyperLaws.Numerics;

/// <summary>Rounding to significant digits, so that values derived by a rule print as a person would write them.</summary>
public static class Significant
{
    /// <summary><paramref name="v"/> rounded to <paramref name="digits"/> significant digits (through its "G" text form).</summary>
    public static double Round(double v, int digits = 3) =>
        double.Parse(v.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>
    /// <paramref name="v"/> without the noise floating-point arithmetic leaves in it: its 15-significant-digit value when that is within
    /// 4 ulps of it (0.1 x 0.00457 = 0.00045700000000000005 -> 0.000457, which a spec then writes short), else <paramref name="v"/> itself.
    /// A value that needs 16-17 digits is kept exactly; the change is at most 4 ulps (relative 1e-15).
    /// </summary>
    public static double WithoutNoise(double v)
    {
        if (!double.IsFinite(v) || v == 0) return v;
        double shorter = Round(v, 15), ulp = Math.BitIncrement(Math.Abs(v)) - Math.Abs(v);
        return Math.Abs(shorter - v) <= 4 * ulp ? shorter : v;
    }
}
