using HyperLaws.Laws;

namespace HyperLaws.Tests.Laws;

/// <summary>
/// MPL counting the calls it gets (every call evaluates one curve), its values as MPL's. With <paramref name="nanGradientBelowA"/>
/// its derivatives are NaN wherever A is below that value (a law whose Jacobian the fitter must zero); by default never.
/// </summary>
internal sealed class CountingMultiPowerLaw(double nanGradientBelowA = double.NegativeInfinity) : IFusedGradientLaw
{
    private readonly MultiPowerLaw _inner = new();
    private int _calls;
    public int Calls => _calls;
    public string Name => _inner.Name;
    public IReadOnlyList<string> ParameterNames => _inner.ParameterNames;
    public IReadOnlyList<bool> Positive => _inner.Positive;
    public IReadOnlyList<double[]> StartingPoints(IReadOnlyList<FitTarget> targets) => _inner.StartingPoints(targets);

    public void Predict(ReadOnlySpan<double> p, ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> output)
    {
        Interlocked.Increment(ref _calls);
        _inner.Predict(p, history, steps, output);
    }

    public void PredictWithGradient(ReadOnlySpan<double> p, ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> output, Span<double> gradient)
    {
        Interlocked.Increment(ref _calls);
        _inner.PredictWithGradient(p, history, steps, output, gradient);
        if (p[MultiPowerLaw.A] < nanGradientBelowA) gradient.Fill(double.NaN);
    }

    public void PredictFused(ReadOnlySpan<double> p, ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> values, Span<double> gradientValues, Span<double> gradient)
    {
        Interlocked.Increment(ref _calls);
        ((IFusedGradientLaw)_inner).PredictFused(p, history, steps, values, gradientValues, gradient);
        if (p[MultiPowerLaw.A] < nanGradientBelowA) gradient.Fill(double.NaN);
    }
}
