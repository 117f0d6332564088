namespace HyperLaws.Laws;

/// <summary>
/// A schedule-to-loss law: a parametric map from the learning-rate history to the loss curve.
/// Parameters are a flat vector (names in <see cref="ParameterNames"/>) so one fitter serves all laws.
/// </summary>
public interface ILossLaw
{
    /// <summary>Stable short name ("mpl", "tissue", "convex", "optlaw").</summary>
    string Name { get; }

    /// <summary>The parameters' names, in the order of the parameter vector (as LAW.json keys them).</summary>
    IReadOnlyList<string> ParameterNames { get; }

    /// <summary>
    /// Writes the predicted loss after each of <paramref name="steps"/> updates (1-based, ascending)
    /// into <paramref name="output"/>, given the history (lr[0] is step 1).
    /// </summary>
    void Predict(ReadOnlySpan<double> parameters, ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> output);

    /// <summary>
    /// Like <see cref="Predict(ReadOnlySpan{double}, ScheduleHistory, ReadOnlySpan{int}, Span{double})"/> for a model
    /// of <paramref name="modelSize"/> parameters (NaN when unknown). Laws of one size ignore it; laws across
    /// sizes (<see cref="SizedLaw"/>) need it. The fitter and <c>LawFit</c> call this with each curve's size.
    /// </summary>
    void Predict(ReadOnlySpan<double> parameters, ScheduleHistory history, double modelSize, ReadOnlySpan<int> steps, Span<double> output) =>
        Predict(parameters, history, steps, output);
}
