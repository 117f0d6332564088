
namespace HyperLaws.Laws;

/// <summary>A fitted law: its parameters, the robust objective reached, and how the search ended.</summary>
/// <param name="Law">The law.</param>
/// <param name="Parameters">Fitted values, in the order of <see cref="ILossLaw.ParameterNames"/>.</param>
/// <param name="Objective">Mean Huber loss of the relative residuals at the optimum.</param>
/// <param name="Iterations">Levenberg-Marquardt iterations of the winning start.</param>
/// <param name="Evaluations">Law evaluations over all starts.</param>
/// <param name="Converged">True when the winning start stopped on a tolerance, not the iteration cap.</param>
/// <param name="StopReason">Why the winning start stopped.</param>
public sealed record LawFit(ILossLaw Law, double[] Parameters, double Objective, int Iterations, int Evaluations, bool Converged, string StopReason)
{
    /// <summary>False when the search ended with a parameter at +/-infinity or NaN (the fit did not converge to a law).</summary>
    public bool HasFiniteParameters => Array.TrueForAll(Parameters, double.IsFinite);

    /// <summary>The non-finite parameters by name, e.g. <c>B = Infinity</c>; empty when all are finite.</summary>
    public string NonFiniteSummary() => string.Join(", ", Parameters
        .Select((v, i) => (Name: i < Law.ParameterNames.Count ? Law.ParameterNames[i] : $"#{i + 1}", Value: v))
        .Where(x => !double.IsFinite(x.Value))
        .Select(x => $"{x.Name} = {x.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}"));

    /// <summary>Predicted losses at <paramref name="steps"/> of <paramref name="history"/>, for a model of <paramref name="modelSize"/> parameters (laws across sizes need it).</summary>
    public double[] Predict(ScheduleHistory history, int[] steps, double modelSize = double.NaN)
    {
        var y = new double[steps.Length];
        Law.Predict(Parameters, history, modelSize, steps, y);
        return y;
    }
}
