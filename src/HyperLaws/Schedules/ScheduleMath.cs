using System.Runtime.CompilerServices;

namespace HyperLaws.Schedules;

/// <summary>Small exact helpers shared by the schedules and by the laws that consume them.</summary>
public static class ScheduleMath
{
    /// <summary>
    /// S1(t) = sum_{k &lt;= t} eta_k for every t (index 0 = step 1), by Neumaier's compensated summation,
    /// so a million steps lose no more than a few ulps.
    /// </summary>
    public static double[] CumulativeSum(ReadOnlySpan<double> lrs)
    {
        var result = new double[lrs.Length];
        CumulativeSum(lrs, result);
        return result;
    }

    /// <summary>As <see cref="CumulativeSum(ReadOnlySpan{double})"/>, into <paramref name="destination"/> (same length).</summary>
    public static void CumulativeSum(ReadOnlySpan<double> lrs, Span<double> destination)
    {
        if (destination.Length != lrs.Length)
            throw new ArgumentException($"destination has length {destination.Length}, expected {lrs.Length}.", nameof(destination));
        double sum = 0, compensation = 0;
        for (int i = 0; i < lrs.Length; i++)
        {
            NeumaierAdd(ref sum, ref compensation, lrs[i]);
            destination[i] = sum + compensation;
        }
    }

    /// <summary>
    /// One step of Neumaier's compensated summation (Neumaier 1974): t = sum + x; the compensation gains the low-order bits lost by
    /// whichever operand is smaller, (sum - t) + x or (x - t) + sum; sum = t. The total is sum + compensation.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void NeumaierAdd(ref double sum, ref double compensation, double x)
    {
        double t = sum + x;
        compensation += Math.Abs(sum) >= Math.Abs(x) ? (sum - t) + x : (x - t) + sum;
        sum = t;
    }

    /// <summary>
    /// A cooldown from <paramref name="from"/> to <paramref name="to"/> at progress q in [0, 1]:
    /// linear a - (a - b) q; sqrt b + (a - b)(1 - sqrt q); cosine b + (a - b)(1 + cos(pi q))/2; exp a (b/a)^q.
    /// </summary>
    public static double Cooldown(CooldownShape shape, double from, double to, double q) => shape switch
    {
        CooldownShape.Linear => from - (from - to) * q,
        CooldownShape.Sqrt => to + (from - to) * (1 - Math.Sqrt(q)),
        CooldownShape.Cosine => to + (from - to) * (1 + Math.Cos(Math.PI * q)) / 2,
        CooldownShape.Exp => from * Math.Pow(to / from, q),
        _ => throw new ArgumentOutOfRangeException(nameof(shape)),
    };
}
