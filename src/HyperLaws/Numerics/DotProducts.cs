namespace HyperLaws.Numerics;

/// <summary>
/// Dot products in a fixed order for a given length (SIMD lanes, their sum, then the scalar tail): deterministic,
/// and the four-at-once form gives each of its four results bit for bit as the one-at-a-time form.
/// </summary>
internal static class DotProducts
{
    /// <summary>sum_i x_i y_i with SIMD lanes (a fixed order for a given length: deterministic).</summary>
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        int width = System.Numerics.Vector<double>.Count, i = 0;
        var acc = System.Numerics.Vector<double>.Zero;
        for (; i <= x.Length - width; i += width)
            acc += new System.Numerics.Vector<double>(x.Slice(i, width)) * new System.Numerics.Vector<double>(y.Slice(i, width));
        double sum = System.Numerics.Vector.Sum(acc);
        for (; i < x.Length; i++) sum += x[i] * y[i];
        return sum;
    }

    /// <summary>
    /// <see cref="Dot"/> of <paramref name="x"/> with four vectors at once: each product accumulated in its own SIMD lanes
    /// in <see cref="Dot"/>'s order (lanes, their sum, then the scalar tail), so each result equals <see cref="Dot"/>'s bit
    /// for bit, with x loaded once for the four.
    /// </summary>
    public static void Dot4(ReadOnlySpan<double> x, ReadOnlySpan<double> y0, ReadOnlySpan<double> y1, ReadOnlySpan<double> y2, ReadOnlySpan<double> y3, Span<double> result)
    {
        int width = System.Numerics.Vector<double>.Count, i = 0, length = x.Length;
        if (y0.Length < length || y1.Length < length || y2.Length < length || y3.Length < length || result.Length < 4)
            throw new ArgumentException("Dot4: a vector is shorter than x, or the result holds fewer than 4 values.");
        var acc0 = System.Numerics.Vector<double>.Zero;
        var acc1 = acc0;
        var acc2 = acc0;
        var acc3 = acc0;
        for (; i <= length - width; i += width)
        {
            var v = new System.Numerics.Vector<double>(x.Slice(i, width));
            acc0 += v * new System.Numerics.Vector<double>(y0.Slice(i, width));
            acc1 += v * new System.Numerics.Vector<double>(y1.Slice(i, width));
            acc2 += v * new System.Numerics.Vector<double>(y2.Slice(i, width));
            acc3 += v * new System.Numerics.Vector<double>(y3.Slice(i, width));
        }
        double s0 = System.Numerics.Vector.Sum(acc0), s1 = System.Numerics.Vector.Sum(acc1);
        double s2 = System.Numerics.Vector.Sum(acc2), s3 = System.Numerics.Vector.Sum(acc3);
        for (; i < length; i++)
        {
            s0 += x[i] * y0[i]; s1 += x[i] * y1[i]; s2 += x[i] * y2[i]; s3 += x[i] * y3[i];
        }
        result[0] = s0; result[1] = s1; result[2] = s2; result[3] = s3;
    }
}
