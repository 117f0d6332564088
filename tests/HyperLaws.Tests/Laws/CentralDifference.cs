using HyperLaws.Laws;

namespace HyperLaws.Tests.Laws;

/// <summary>The derivative of a law's predictions in one parameter by central differences, (L(p + h e_j) - L(p - h e_j)) / 2h, for the gradient tests.</summary>
internal static class CentralDifference
{
    /// <summary>dL/dp_j at each of <paramref name="steps"/>, with step <paramref name="step"/>.</summary>
    public static double[] Of(ILossLaw law, double[] p, ScheduleHistory history, int[] steps, int j, double step)
    {
        var up = (double[])p.Clone();
        var down = (double[])p.Clone();
        up[j] += step;
        down[j] -= step;
        var yu = new double[steps.Length];
        var yd = new double[steps.Length];
        law.Predict(up, history, steps, yu);
        law.Predict(down, history, steps, yd);
        return [.. yu.Zip(yd, (u, d) => (u - d) / (2 * step))];
    }
}
