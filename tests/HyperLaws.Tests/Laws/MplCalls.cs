using HyperLaws.Laws;

namespace HyperLaws.Tests.Laws;

/// <summary>MPL's evaluation paths as arrays, for the tests that check two configurations of the law give the same numbers.</summary>
internal static class MplCalls
{
    /// <summary>The law's losses at <paramref name="at"/> (<c>Predict</c>).</summary>
    public static double[] Values(MultiPowerLaw law, double[] p, ScheduleHistory h, int[] at)
    {
        var y = new double[at.Length];
        law.Predict(p, h, at, y);
        return y;
    }

    /// <summary>The losses and their 7-parameter gradient (<c>PredictWithGradient</c>).</summary>
    public static (double[] Values, double[] Gradient) Gradient(MultiPowerLaw law, double[] p, ScheduleHistory h, int[] at)
    {
        var (y, g) = (new double[at.Length], new double[7 * at.Length]);
        law.PredictWithGradient(p, h, at, y, g);
        return (y, g);
    }

    /// <summary>The fused path: the plain losses, the losses beside the gradient, and the 7-parameter gradient (<c>PredictFused</c>).</summary>
    public static (double[] Plain, double[] Values, double[] Gradient) Fused(MultiPowerLaw law, double[] p, ScheduleHistory h, int[] at)
    {
        var (plain, values, g) = (new double[at.Length], new double[at.Length], new double[7 * at.Length]);
        ((IFusedGradientLaw)law).PredictFused(p, h, at, plain, values, g);
        return (plain, values, g);
    }

    /// <summary>The variable-projection basis (3 per step) and its gradient (12 per step) (<c>Basis</c>).</summary>
    public static (double[] Basis, double[] Gradient) Basis(MultiPowerLaw law, double[] p, ScheduleHistory h, int[] at)
    {
        var (basis, g) = (new double[3 * at.Length], new double[12 * at.Length]);
        law.Basis(p, h, at, basis, g);
        return (basis, g);
    }
}
