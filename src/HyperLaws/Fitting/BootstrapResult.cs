using HyperLaws.Laws;
namespace HyperLaws.Fitting;

/// <summary>A law fitted on all the data, with its bootstrap.</summary>
/// <param name="Fit">The fit on all the data (the estimate; the refits started from it).</param>
/// <param name="Bootstrap">The samples and how they were drawn (what LAW.json keeps).</param>
/// <param name="Parameters">Per-parameter median, standard error and percentile interval at the bootstrap's level.</param>
/// <param name="Unconverged">Refits kept although they stopped at the iteration cap.</param>
public sealed record BootstrapResult(LawFit Fit, BootstrapSamples Bootstrap, IReadOnlyList<ParameterInterval> Parameters, int Unconverged)
{
    /// <summary>Refits that failed (threw, or ended with a non-finite objective or parameter) and were left out.</summary>
    public int Failed => Bootstrap.Failed;
}
