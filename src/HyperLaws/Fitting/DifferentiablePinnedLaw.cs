using HyperLaws.Laws;

namespace HyperLaws.Fitting;

/// <summary>A <see cref="PinnedLaw"/> of a differentiable law: its gradient is the inner law's, restricted to the free parameters.</summary>
internal sealed class DifferentiablePinnedLaw(IDifferentiableLaw inner, IReadOnlyDictionary<int, double> pins, IReadOnlyList<double[]> starts)
    : PinnedLaw(inner, pins, starts), IDifferentiableLaw
{
    private readonly IDifferentiableLaw _inner = inner;

    public void PredictWithGradient(ReadOnlySpan<double> parameters, ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> output, Span<double> gradient) =>
        PredictWithGradient(parameters, history, double.NaN, steps, output, gradient);

    public void PredictWithGradient(ReadOnlySpan<double> parameters, ScheduleHistory history, double modelSize, ReadOnlySpan<int> steps, Span<double> output, Span<double> gradient)
    {
        var full = new double[steps.Length * FullCount];
        _inner.PredictWithGradient(Expand(parameters), history, modelSize, steps, output, full);
        Columns(full, steps.Length, gradient);
    }
}
