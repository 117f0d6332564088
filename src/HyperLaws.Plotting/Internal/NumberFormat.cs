using System.Globalization;
using System.Text;

namespace HyperLaws.Plotting.Internal;

/// <summary>Short, readable labels for tick marks and contour levels.</summary>
internal static class NumberFormat
{
    private const string Superscripts = "⁰¹²³⁴⁵⁶⁷⁸⁹";

    /// <summary>10 to an integer power, e.g. "10³" or "10⁻⁴".</summary>
    public static string Power(int exponent)
    {
        var text = new StringBuilder("10");
        if (exponent < 0)
        {
            text.Append('⁻');
        }

        foreach (char digit in Math.Abs(exponent).ToString(CultureInfo.InvariantCulture))
        {
            text.Append(Superscripts[digit - '0']);
        }

        return text.ToString();
    }

    /// <summary>
    /// A value to four significant digits: plain between 1e-3 and 1e5, otherwise as m×10ⁿ.
    /// </summary>
    public static string Number(double value)
    {
        if (value == 0 || !double.IsFinite(value))
        {
            return value == 0 ? "0" : value.ToString(CultureInfo.InvariantCulture);
        }

        double rounded = double.Parse(value.ToString("G4", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        int exponent = (int)Math.Floor(Math.Log10(Math.Abs(rounded)));
        if (exponent is >= -3 and <= 4)
        {
            return rounded.ToString("0.######", CultureInfo.InvariantCulture);
        }

        double mantissa = Math.Round(rounded / Math.Pow(10, exponent), 3);
        string sign = mantissa < 0 ? "-" : "";
        return Math.Abs(mantissa) == 1
            ? sign + Power(exponent)
            : mantissa.ToString("0.###", CultureInfo.InvariantCulture) + "×" + Power(exponent);
    }
}
