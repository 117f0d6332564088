
namespace HyperLaws.Laws;

/// <summary>What the fitter needs beyond <see cref="ILossLaw"/>: which parameters are positive, and where to start.</summary>
public interface IFittableLaw : ILossLaw
{
    /// <summary>True for parameters that must stay positive (searched as logarithms).</summary>
    IReadOnlyList<bool> Positive { get; }

    /// <summary>Deterministic starting points derived from the data (e.g. L0 below the smallest loss).</summary>
    IReadOnlyList<double[]> StartingPoints(IReadOnlyList<FitTarget> targets);
}
