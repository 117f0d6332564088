namespace HyperLaws.Numerics;

/// <summary>
/// Dot products in a fixed order for a given length (SIMD lanes, their sum, then the scalar tail): deterministic,
/// and the two-by-four form gives each of its eight results bit for bit as the one-at-a-time form.
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
    /// The dot products of <paramref name="x0"/> and <paramref name="x1"/> with four vectors each (eight results), each
    /// accumulated in its own SIMD lanes in <see cref="Dot"/>'s order (lanes, their sum, then the scalar tail), so
    /// each equals <see cref="Dot"/>'s bit for bit; every y is loaded once for both x's.
    /// </summary>
    public static void Dot2x4(ReadOnlySpan<double> x0, ReadOnlySpan<double> x1, ReadOnlySpan<double> y0, ReadOnlySpan<double> y1,
        ReadOnlySpan<double> y2, ReadOnlySpan<double> y3, Span<double> result0, Span<double> result1)
    {
        int width = System.Numerics.Vector<double>.Count, i = 0, length = x0.Length;
        if (x1.Length < length || y0.Length < length || y1.Length < length || y2.Length < length || y3.Length < length || result0.Length < 4 || result1.Length < 4)
            throw new ArgumentException("Dot2x4: a vector is shorter than x0, or a result holds fewer than 4 values.");
        ref double rx0 = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x0);
        ref double rx1 = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x1);
        ref double ry0 = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(y0);
        ref double ry1 = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(y1);
        ref double ry2 = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(y2);
        ref double ry3 = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(y3);
        System.Numerics.Vector<double> a00 = System.Numerics.Vector<double>.Zero, a01 = a00, a02 = a00, a03 = a00, a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        for (; i <= length - width; i += width)
        {
            // In bounds: i + width <= length <= every span's length (checked above).
            nuint at = (nuint)i;
            var v0 = System.Numerics.Vector.LoadUnsafe(ref rx0, at);
            var v1 = System.Numerics.Vector.LoadUnsafe(ref rx1, at);
            var w0 = System.Numerics.Vector.LoadUnsafe(ref ry0, at);
            var w1 = System.Numerics.Vector.LoadUnsafe(ref ry1, at);
            var w2 = System.Numerics.Vector.LoadUnsafe(ref ry2, at);
            var w3 = System.Numerics.Vector.LoadUnsafe(ref ry3, at);
            a00 += v0 * w0; a01 += v0 * w1; a02 += v0 * w2; a03 += v0 * w3;
            a10 += v1 * w0; a11 += v1 * w1; a12 += v1 * w2; a13 += v1 * w3;
        }
        double s00 = System.Numerics.Vector.Sum(a00), s01 = System.Numerics.Vector.Sum(a01), s02 = System.Numerics.Vector.Sum(a02), s03 = System.Numerics.Vector.Sum(a03);
        double s10 = System.Numerics.Vector.Sum(a10), s11 = System.Numerics.Vector.Sum(a11), s12 = System.Numerics.Vector.Sum(a12), s13 = System.Numerics.Vector.Sum(a13);
        for (; i < length; i++)
        {
            s00 += x0[i] * y0[i]; s01 += x0[i] * y1[i]; s02 += x0[i] * y2[i]; s03 += x0[i] * y3[i];
            s10 += x1[i] * y0[i]; s11 += x1[i] * y1[i]; s12 += x1[i] * y2[i]; s13 += x1[i] * y3[i];
        }
        (result0[0], result0[1], result0[2], result0[3]) = (s00, s01, s02, s03);
        (result1[0], result1[1], result1[2], result1[3]) = (s10, s11, s12, s13);
    }
}
