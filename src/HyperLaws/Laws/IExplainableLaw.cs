namespace HyperLaws.Laws;

/// <summary>A law that can split a prediction into its terms: why one schedule beats another.</summary>
public interface IExplainableLaw : ILossLaw
{
    /// <summary>The terms of the predicted loss after <paramref name="step"/> updates; they sum to the prediction.</summary>
    IReadOnlyList<LawTerm> Explain(ReadOnlySpan<double> parameters, ScheduleHistory history, int step);
}
