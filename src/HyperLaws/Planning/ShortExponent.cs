using System.Globalization;

namespace HyperLaws.Planning;

/// <summary>A number's text with its exponent written short and lowercase ("6.554e4", "2.5e-4"), never .NET's "6.554E+04".</summary>
internal static class ShortExponent
{
    /// <summary><paramref name="text"/> (an invariant-culture "G" format) with "E+04" written "e4" and "E-04" written "e-4".</summary>
    public static string Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int e = text.IndexOf('E', StringComparison.Ordinal);
        return e < 0 ? text : text[..e] + "e" + int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
    }
}
