namespace HyperLaws.Plotting.Internal;

/// <summary>
/// Chooses round values on log and linear scales: tick candidates for log axes and contour levels.
/// Log positions are log10 of the real value.
/// </summary>
internal static class NiceScale
{
    private const double Tolerance = 1e-9;

    /// <summary>Widest log span (decades) for which evenly spaced values are worth offering.</summary>
    private const double LinearSpan = 2;

    /// <summary>Most values a linear layout may hold; guards against degenerate ranges.</summary>
    private const long MaxLinearCount = 10_000;

    private static readonly int[] OneTwoFive = [1, 2, 5];
    private static readonly int[] AllMantissas = [1, 2, 3, 4, 5, 6, 7, 8, 9];

    /// <summary>
    /// Tick layouts for a log axis over [lo, hi] (log10 units), most preferred first: powers of ten
    /// every 1, 2, 3, 5, 10… decades, then 1-2-5 and 1…9 times a power of ten, then evenly spaced
    /// round values (for spans well under a decade).
    /// </summary>
    public static IEnumerable<ScaleLayout> LogTickLayouts(double lo, double hi)
    {
        foreach (int step in DecadeSteps(hi - lo))
        {
            yield return Decades(lo, hi, step);
        }

        yield return Mantissas(lo, hi, OneTwoFive);
        yield return Mantissas(lo, hi, AllMantissas);
        if (hi - lo >= LinearSpan)
        {
            yield break;
        }

        double min = Math.Pow(10, lo);
        double max = Math.Pow(10, hi);
        for (double step = NiceStep((max - min) / 10); step <= max - min; step = NextNiceStep(step))
        {
            yield return Linear(min, max, step, log: true);
        }
    }

    /// <summary>
    /// About <paramref name="count"/> round contour levels strictly inside (min, max), in plot units
    /// (log10 of the value when <paramref name="log"/>); labels give the real value. Log scales
    /// prefer powers of ten and 1-2-5 values; otherwise multiples of a 1-2-5 step.
    /// </summary>
    public static ScaleLayout ContourLevels(double min, double max, int count, bool log)
    {
        count = Math.Max(count, 1);
        var candidates = new List<ScaleLayout>();
        if (log)
        {
            candidates.AddRange(DecadeSteps(max - min).Reverse().Select(step => Decades(min, max, step)));
            candidates.Add(Mantissas(min, max, OneTwoFive));
            candidates.Add(Mantissas(min, max, AllMantissas));
        }

        if (!log || max - min < LinearSpan)
        {
            double realMin = log ? Math.Pow(10, min) : min;
            double realMax = log ? Math.Pow(10, max) : max;
            double step = NiceStep((realMax - realMin) / count / 10);
            for (int i = 0; i < 7; i++, step = NextNiceStep(step))
            {
                candidates.Add(Linear(realMin, realMax, step, log));
            }
        }

        return candidates.Select(layout => Inside(layout, min, max)).MinBy(layout => Math.Abs(layout.Major.Length - count))!;
    }

    /// <summary>The smallest of 1, 2, 5 × 10ⁿ that is at least <paramref name="x"/>.</summary>
    private static double NiceStep(double x)
    {
        double power = Math.Pow(10, Math.Floor(Math.Log10(x)));
        double fraction = x / power;
        return (fraction <= 1 + Tolerance ? 1 : fraction <= 2 + Tolerance ? 2 : fraction <= 5 + Tolerance ? 5 : 10) * power;
    }

    private static double NextNiceStep(double step)
    {
        double power = Math.Pow(10, Math.Floor(Math.Log10(step) + Tolerance));
        double fraction = Math.Round(step / power);
        return (fraction < 2 ? 2 : fraction < 5 ? 5 : 10) * power;
    }

    /// <summary>Decade strides 1, 2, 3, 5, 10, 20, 30, 50… up to the span.</summary>
    private static IEnumerable<int> DecadeSteps(double span)
    {
        int[] multipliers = [1, 2, 3, 5];
        for (int power = 1; ; power *= 10)
        {
            foreach (int multiplier in multipliers)
            {
                int step = multiplier * power;
                yield return step;
                if (step >= span)
                {
                    yield break;
                }
            }
        }
    }

    /// <summary>Powers of ten every <paramref name="step"/> decades; minors at 2…9 × 10ⁿ or at the skipped decades.</summary>
    private static ScaleLayout Decades(double lo, double hi, int step)
    {
        var major = new List<double>();
        var labels = new List<string>();
        var minor = new List<double>();
        for (int k = (int)Math.Floor(lo); k <= (int)Math.Ceiling(hi); k++)
        {
            if (InRange(k, lo, hi))
            {
                if (k % step == 0)
                {
                    major.Add(k);
                    labels.Add(NumberFormat.Power(k));
                }
                else
                {
                    minor.Add(k);
                }
            }

            if (step == 1)
            {
                minor.AddRange(Enumerable.Range(2, 8).Select(m => k + Math.Log10(m)).Where(p => InRange(p, lo, hi)));
            }
        }

        return new ScaleLayout([.. major], [.. labels], [.. minor]);
    }

    /// <summary>m × 10ⁿ for each m in <paramref name="mantissas"/>; minors at the other integers 2…9.</summary>
    private static ScaleLayout Mantissas(double lo, double hi, int[] mantissas)
    {
        var major = new List<double>();
        var labels = new List<string>();
        var minor = new List<double>();
        for (int k = (int)Math.Floor(lo); k <= (int)Math.Ceiling(hi); k++)
        {
            foreach (int m in AllMantissas)
            {
                double position = k + Math.Log10(m);
                if (!InRange(position, lo, hi))
                {
                    continue;
                }

                if (mantissas.Contains(m))
                {
                    major.Add(position);
                    labels.Add(NumberFormat.Number(m * Math.Pow(10, k)));
                }
                else
                {
                    minor.Add(position);
                }
            }
        }

        return new ScaleLayout([.. major], [.. labels], [.. minor]);
    }

    /// <summary>Multiples of <paramref name="step"/> in [min, max] (real units); positions are log10 when <paramref name="log"/>.</summary>
    private static ScaleLayout Linear(double min, double max, double step, bool log)
    {
        var major = new List<double>();
        var labels = new List<string>();
        double first = Math.Ceiling(min / step - Tolerance);
        double last = Math.Floor(max / step + Tolerance);
        if (!(last - first < MaxLinearCount))
        {
            return new ScaleLayout([], [], []);
        }

        for (double i = first; i <= last; i++)
        {
            double value = i * step;
            if (log && value <= 0)
            {
                continue;
            }

            major.Add(log ? Math.Log10(value) : value);
            labels.Add(NumberFormat.Number(value));
        }

        return new ScaleLayout([.. major], [.. labels], []);
    }

    /// <summary>Keeps the majors strictly inside (min, max): a level on the boundary draws nothing useful.</summary>
    private static ScaleLayout Inside(ScaleLayout layout, double min, double max)
    {
        double margin = Tolerance * (max - min);
        int[] keep = [.. Enumerable.Range(0, layout.Major.Length).Where(i => layout.Major[i] > min + margin && layout.Major[i] < max - margin)];
        return new ScaleLayout([.. keep.Select(i => layout.Major[i])], [.. keep.Select(i => layout.Labels[i])], []);
    }

    private static bool InRange(double position, double lo, double hi) =>
        position >= lo - Tolerance && position <= hi + Tolerance;
}
