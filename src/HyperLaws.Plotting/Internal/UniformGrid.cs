namespace HyperLaws.Plotting.Internal;

/// <summary>
/// A heatmap needs equally spaced cells; this resamples a field on an uneven grid (in plot
/// coordinates) onto an even one by linear interpolation.
/// </summary>
internal static class UniformGrid
{
    /// <summary>Points used along an uneven axis, so the resampled image keeps its detail.</summary>
    private const int MinimumResampledPoints = 200;

    public static bool IsUniform(double[] axis)
    {
        double step = (axis[^1] - axis[0]) / (axis.Length - 1);
        for (int i = 1; i < axis.Length; i++)
        {
            if (Math.Abs(axis[i] - axis[i - 1] - step) > 1e-6 * Math.Abs(step))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The field on evenly spaced x and y spanning the same range (unchanged if already even).</summary>
    public static double[,] Resample(double[] x, double[] y, double[,] z)
    {
        double[,] alongX = IsUniform(x) ? z : Interpolate(z, x);
        return IsUniform(y) ? alongX : Transpose(Interpolate(Transpose(alongX), y));
    }

    /// <summary>Interpolates each row of <paramref name="z"/> (sampled at <paramref name="axis"/>) onto an even axis.</summary>
    private static double[,] Interpolate(double[,] z, double[] axis)
    {
        int rows = z.GetLength(0);
        int count = Math.Max(MinimumResampledPoints, axis.Length);
        var result = new double[rows, count];
        int j = 0;
        for (int k = 0; k < count; k++)
        {
            double t = axis[0] + (axis[^1] - axis[0]) * k / (count - 1);
            while (j < axis.Length - 2 && axis[j + 1] < t)
            {
                j++;
            }

            double f = Math.Clamp((t - axis[j]) / (axis[j + 1] - axis[j]), 0, 1);
            for (int r = 0; r < rows; r++)
            {
                result[r, k] = z[r, j] + f * (z[r, j + 1] - z[r, j]);
            }
        }

        return result;
    }

    private static double[,] Transpose(double[,] z)
    {
        var result = new double[z.GetLength(1), z.GetLength(0)];
        for (int r = 0; r < z.GetLength(0); r++)
        {
            for (int c = 0; c < z.GetLength(1); c++)
            {
                result[c, r] = z[r, c];
            }
        }

        return result;
    }
}
