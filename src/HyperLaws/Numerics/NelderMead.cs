namespace HyperLaws.Numerics;

/// <summary>
/// Derivative-free minimisation by the Nelder-Mead simplex (Nelder and Mead 1965) with the standard
/// coefficients (reflection 1, expansion 2, contraction 1/2, shrink 1/2). Deterministic: the initial
/// simplex is the start plus one step along each axis.
/// </summary>
public static class NelderMead
{
    /// <summary>The best point <paramref name="X"/>, its value, and the number of function evaluations spent.</summary>
    /// <param name="X">The best vertex of the final simplex.</param>
    /// <param name="Value">f at <paramref name="X"/>.</param>
    /// <param name="Evaluations">Calls of f, at most the budget.</param>
    public sealed record Result(double[] X, double Value, int Evaluations);

    /// <summary>
    /// Minimises <paramref name="f"/> from <paramref name="start"/> (initial simplex: the start plus <paramref name="steps"/>[i]
    /// along axis i); stops when the spread of the simplex values falls to <paramref name="tolerance"/> times |best value|
    /// or after <paramref name="maxEvaluations"/> evaluations. A NaN value counts as worse than any number.
    /// </summary>
    public static Result Minimize(Func<double[], double> f, double[] start, double[] steps, double tolerance = 1e-10, int maxEvaluations = 2000)
    {
        int n = start.Length;
        if (steps.Length != n) throw new ArgumentException("steps and start differ in length.");
        var simplex = new double[n + 1][];
        var values = new double[n + 1];
        int evaluations = 0;
        double F(double[] x)
        {
            evaluations++;
            double v = f(x);
            return double.IsNaN(v) ? double.PositiveInfinity : v;
        }
        simplex[0] = (double[])start.Clone();
        values[0] = F(simplex[0]);
        for (int i = 0; i < n; i++)
        {
            simplex[i + 1] = (double[])start.Clone();
            simplex[i + 1][i] += steps[i];
            values[i + 1] = F(simplex[i + 1]);
        }

        while (evaluations < maxEvaluations)
        {
            var order = Enumerable.Range(0, n + 1).OrderBy(i => values[i]).ThenBy(i => i).ToArray();
            simplex = order.Select(i => simplex[i]).ToArray();
            values = order.Select(i => values[i]).ToArray();
            double spread = Math.Abs(values[n] - values[0]);
            if (spread <= tolerance * (Math.Abs(values[0]) + 1e-300) || spread == 0) break;

            var centroid = new double[n];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) centroid[j] += simplex[i][j] / n;
            double[] Along(double t) => Enumerable.Range(0, n).Select(j => centroid[j] + t * (simplex[n][j] - centroid[j])).ToArray();

            var reflected = Along(-1);
            double fr = F(reflected);
            if (fr < values[0])
            {
                var expanded = Along(-2);
                double fe = F(expanded);
                (simplex[n], values[n]) = fe < fr ? (expanded, fe) : (reflected, fr);
            }
            else if (fr < values[n - 1])
            {
                (simplex[n], values[n]) = (reflected, fr);
            }
            else
            {
                var contracted = fr < values[n] ? Along(-0.5) : Along(0.5);
                double fc = F(contracted);
                if (fc < Math.Min(fr, values[n]))
                {
                    (simplex[n], values[n]) = (contracted, fc);
                }
                else
                {
                    for (int i = 1; i <= n; i++)
                    {
                        for (int j = 0; j < n; j++) simplex[i][j] = simplex[0][j] + 0.5 * (simplex[i][j] - simplex[0][j]);
                        values[i] = F(simplex[i]);
                    }
                }
            }
        }
        int best = Array.IndexOf(values, values.Min());
        return new Result(simplex[best], values[best], evaluations);
    }
}
